"""Signed-in people: a token given once on a form becomes a signed session cookie.

The cookie holds the token's sha256 (never the token), the holder's name and role as
signed in, and a CSRF secret; it is signed with itsdangerous under a secret kept 0600
under ./var (``LEDGER_WEB_SECRET_FILE``). Every request looks the digest up in the tokens
file again, so a revoked token ends its sessions. Every form carries the CSRF secret and
every POST is refused without it (the cookie is SameSite=Strict besides).
"""

from __future__ import annotations

import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from api import tokens
from api.http.deps import Services
from domain.contract import Actor

COOKIE = "ledger_session"
MAX_AGE = 8 * 3600  # one working day; signing in again costs one paste
CSRF_FIELD = "csrf"


def secret_file() -> Path:
    return Path(os.environ.get("LEDGER_WEB_SECRET_FILE", "./var/web-secret"))


def load_or_create_secret(path: Path | None = None) -> str:
    """The session signing secret, created (0600, atomically) on first use."""
    path = path or secret_file()
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    aside = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(secrets.token_urlsafe(48))
    try:
        os.link(aside, path)  # two processes starting together keep the first one's secret
    except FileExistsError:
        pass
    finally:
        aside.unlink(missing_ok=True)
    return path.read_text().strip()


@dataclass(frozen=True)
class Visitor:
    """Whoever sent the request: signed in (``actor``) or not, with the session's CSRF secret."""

    csrf: str
    actor: Actor | None = None
    digest: str | None = None

    @property
    def role(self) -> str | None:
        return self.actor.role if self.actor else None


class Sessions:
    """Reads and writes the session cookie."""

    def __init__(self, secret: str) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt="ledger-web-session")

    def visitor(self, request: Request, services: Services) -> Visitor:
        """The visitor of ``request``; a stale, forged or revoked session reads as signed out."""
        data = self._read(request)
        csrf = data.get("c") if isinstance(data.get("c"), str) else None
        if not csrf:
            return Visitor(csrf=secrets.token_urlsafe(24))
        digest = data.get("d")
        holder = services.tokens.holder(digest) if isinstance(digest, str) else None
        if holder is None:
            return Visitor(csrf=csrf)
        return Visitor(csrf=csrf, actor=Actor(name=holder.name, role=holder.role), digest=digest)

    def _read(self, request: Request) -> dict[str, Any]:
        raw = request.cookies.get(COOKIE)
        if not raw:
            return {}
        try:
            data = self._serializer.loads(raw, max_age=MAX_AGE)
        except BadSignature:
            return {}
        return data if isinstance(data, dict) else {}

    def sign_in(self, request: Request, response: Response, services: Services,
                token: str) -> Actor | None:
        """Start a session for ``token`` (a fresh CSRF secret); None if the token is not valid."""
        digest = tokens.digest(token.strip())
        holder = services.tokens.holder(digest)
        if holder is None:
            return None
        self._write(request, response, {"c": secrets.token_urlsafe(24), "d": digest})
        return Actor(name=holder.name, role=holder.role)

    def keep(self, request: Request, response: Response, visitor: Visitor) -> None:
        """Set the cookie of a visitor who has none yet (the sign-in form needs its CSRF)."""
        if not self._read(request).get("c"):
            self._write(request, response, {"c": visitor.csrf})

    def sign_out(self, request: Request, response: Response) -> None:
        self._write(request, response, {"c": secrets.token_urlsafe(24)})

    def _write(self, request: Request, response: Response, data: dict[str, Any]) -> None:
        response.set_cookie(COOKIE, self._serializer.dumps(data), max_age=MAX_AGE, path="/",
                            httponly=True, samesite="strict",
                            secure=request.url.scheme == "https")


def csrf_valid(visitor: Visitor, sent: object) -> bool:
    """Whether a form's CSRF field is this session's secret."""
    return isinstance(sent, str) and hmac.compare_digest(sent.encode(), visitor.csrf.encode())

"""API tokens: only their SHA-256 is stored (API.md, tokens file)."""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import orjson

ROLES = ("admin", "bestallare", "utforare", "revisor", "kommunstyrelsen")
FEED_SCOPES = ("calendar", "dossier")
"""What a read-only feed token opens (as ``?token=``): nothing else."""
FEED_ROLE = "revisor"
"""A feed token reads only, so it holds the read-only role."""


@dataclass(frozen=True)
class TokenHolder:
    name: str
    role: str
    scopes: tuple[str, ...] = ()
    """Empty for an API token; for a feed token the documents it may fetch."""
    contract: str | None = None
    """A feed token limited to one contract."""

    @property
    def is_feed(self) -> bool:
        return bool(self.scopes)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def load(path: Path) -> dict[str, TokenHolder]:
    """sha256 hex → holder; an absent file means no tokens."""
    if not path.exists():
        return {}
    data = orjson.loads(path.read_bytes())
    return {t["sha256"]: _holder(t) for t in data.get("tokens", []) if t.get("role") in ROLES}


def _holder(record: dict) -> TokenHolder:
    scopes = record.get("scopes") or ()
    # A record naming scopes this version does not know opens nothing (fail closed).
    if scopes and not set(scopes) <= set(FEED_SCOPES):
        scopes = ("none",)
    return TokenHolder(name=record["name"], role=record["role"], scopes=tuple(scopes),
                       contract=record.get("contract"))


def create(path: Path, *, role: str, name: str, scopes: tuple[str, ...] = (),
           contract: str | None = None, created: str | None = None) -> str:
    """Store a new token's hash and return the token (shown once, never stored).

    With ``scopes`` it is a read-only feed token (role revisor) for those documents only,
    optionally for one ``contract``."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}, not '{role}'")
    if not name.strip():
        raise ValueError("name must not be empty")
    unknown = sorted(set(scopes) - set(FEED_SCOPES))
    if unknown:
        raise ValueError(f"scope must be {' or '.join(FEED_SCOPES)}, not '{unknown[0]}'")
    if contract is not None and not scopes:
        raise ValueError("--contract limits a feed token; give --scope too")
    token = secrets.token_urlsafe(32)
    record: dict = {"sha256": digest(token), "role": FEED_ROLE if scopes else role,
                    "name": name.strip()}
    if scopes:
        record["scopes"] = sorted(set(scopes))
    if contract:
        record["contract"] = contract
    if created:
        record["created"] = created
    data = _read(path)
    data["tokens"].append(record)
    _write(path, data)
    return token


def listed(path: Path) -> list[dict]:
    """Every token record without its hash: id (the hash's first 12 hex), name, role, scopes."""
    return [{"id": t["sha256"][:12], "name": t.get("name", ""), "role": t.get("role", ""),
             "scopes": list(t.get("scopes") or []), "contract": t.get("contract"),
             "created": t.get("created")} for t in _read(path)["tokens"]]


def revoke(path: Path, token_id: str) -> dict:
    """Remove the one token whose id (a prefix of its hash, at least 8 hex) is ``token_id``."""
    token_id = token_id.strip().lower()
    if len(token_id) < 8:
        raise ValueError("give at least the first 8 characters of the id 'ledger token list' shows")
    data = _read(path)
    found = [t for t in data["tokens"] if t["sha256"].startswith(token_id)]
    if len(found) != 1:
        raise LookupError(f"{'no' if not found else 'more than one'} token has the id '{token_id}'")
    data["tokens"] = [t for t in data["tokens"] if t is not found[0]]
    _write(path, data)
    return {"id": found[0]["sha256"][:12], "name": found[0].get("name", ""),
            "role": found[0].get("role", "")}


def _read(path: Path) -> dict:
    return orjson.loads(path.read_bytes()) if path.exists() else {"tokens": []}


def _write(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(orjson.dumps(data, option=orjson.OPT_INDENT_2))
    os.chmod(tmp, 0o600)
    tmp.replace(path)

"""Bearer tokens against the hashed tokens file, re-read when the file changes."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from api import tokens
from api.http.problems import Unauthenticated
from domain.contract import Actor
from domain.errors import LedgerError, NotPermitted
from domain.events import RECORDERS

log = logging.getLogger("ledger.http")


class TokensUnavailable(LedgerError):
    """The tokens file cannot be read: every request is refused (fail closed), never the
    last good set of tokens, which might hold a revoked one."""

    status = 503
    title = "Service unavailable"
    rule = "tokens_file"

# Roles that may record something at all, and who may register contracts (DOMAIN.md §5).
RECORDING_ROLES = frozenset().union(*RECORDERS.values())
REGISTERING_ROLES = RECORDERS["ContractRegistered"]


class TokenStore:
    """sha256 → holder, from ``LEDGER_TOKENS_FILE``; reloaded when its mtime or size changes.

    The file is looked at (one stat) at most every ``recheck`` seconds while tokens are
    found, and at once for a token not known: a token created while running is accepted
    on its first request, a revoked one is refused within ``recheck`` seconds."""

    def __init__(self, path: Path, *, recheck: float = 0.5) -> None:
        self.path = path
        self.recheck = recheck
        self._stamp: tuple[int, int] | None = None
        self._checked = -float("inf")  # time.monotonic() of the last stat
        self._holders: dict[str, tokens.TokenHolder] = {}
        self._problem: str | None = None
        self._lock = threading.Lock()

    def problem(self) -> str | None:
        """Why the tokens file cannot be used now (None when it can)."""
        self._current()
        return self._problem

    def holder(self, digest: str) -> tokens.TokenHolder | None:
        """The holder of a token's sha256, if the tokens file (as of ``recheck`` ago) has it."""
        if time.monotonic() - self._checked < self.recheck and self._problem is None:
            found = self._holders.get(digest)
            if found is not None:
                return found
        holders = self._current()
        if self._problem is not None:
            raise TokensUnavailable(f"the tokens file cannot be used ({self._problem}); no "
                                    "request is served until it is fixed", field="LEDGER_TOKENS_FILE")
        return holders.get(digest)

    def _current(self) -> dict[str, tokens.TokenHolder]:
        self._checked = time.monotonic()
        try:
            stat = self.path.stat()
            stamp: tuple[int, int] | None = (stat.st_mtime_ns, stat.st_size)
        except FileNotFoundError:
            stamp = None  # no file: no tokens
        except OSError as error:
            stamp = (-1, error.errno or 0)
        if stamp != self._stamp:
            with self._lock:
                if stamp != self._stamp:
                    try:
                        self._holders = tokens.load(self.path) if stamp else {}
                        if self._problem is not None:
                            log.warning("tokens file %s readable again", self.path)
                        self._problem = None
                    except tokens.TokensFileError as error:
                        # Writers replace the file atomically, so a broken file is broken:
                        # fail closed, never the old set (it may hold a revoked token).
                        self._holders = {}
                        if self._problem != str(error):
                            log.error("tokens file %s cannot be used, refusing every request "
                                      "with 503: %s", self.path, error)
                        self._problem = str(error)
                    self._stamp = stamp
        return self._holders

    def actor(self, authorization: str | None) -> Actor:
        """The caller named by an ``Authorization`` header; 401 without a valid bearer token."""
        if not authorization:
            raise Unauthenticated("send 'Authorization: Bearer <token>'; create one with "
                                  "'ledger token create'", field="Authorization",
                                  rule="bearer_token")
        scheme, _, token = authorization.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise Unauthenticated("the Authorization header must be 'Bearer <token>'",
                                  field="Authorization", rule="bearer_token")
        holder = self.holder(tokens.digest(token))
        if holder is None:
            raise Unauthenticated("the bearer token is not valid (unknown or revoked)",
                                  field="Authorization", rule="valid_token")
        if holder.is_feed:
            raise NotPermitted("this is a read-only feed token: it opens only "
                               f"{' and '.join(holder.scopes)}, as ?token=", field="Authorization",
                               rule="feed_token_scope")
        return Actor(name=holder.name, role=holder.role)

    def feed_actor(self, authorization: str | None, token: str | None, scope: str,
                   contract: str | None) -> tuple[Actor, str | None]:
        """The caller of a feed (calendar, dossier): a bearer token, or a feed token as ``?token=``
        whose scopes include ``scope`` and whose contract (if it names one) is ``contract``.
        Returns the caller and the contract the answer is limited to."""
        if token is None:
            return self.actor(authorization), contract
        holder = self.holder(tokens.digest(token.strip()))
        if holder is None:
            raise Unauthenticated("the feed token is not valid (unknown or revoked)",
                                  field="token", rule="valid_token")
        if scope not in holder.scopes:
            # API tokens never travel in URLs, where logs and browser histories keep them.
            raise NotPermitted(f"?token= takes a feed token for {scope} only (ledger token create "
                               "--scope ...); send other tokens as 'Authorization: Bearer'",
                               field="token", rule="feed_token_scope")
        if holder.contract is not None and contract not in (None, holder.contract):
            raise NotPermitted(f"this feed token is for contract '{holder.contract}' only",
                               field="token", rule="feed_token_contract")
        return Actor(name=holder.name, role=holder.role), holder.contract or contract


def require_role(actor: Actor, roles: frozenset[str], what: str) -> Actor:
    """403 unless ``actor`` holds one of ``roles``."""
    if actor.role not in roles:
        raise NotPermitted(f"role '{actor.role}' may not {what}; "
                           f"allowed: {', '.join(sorted(roles))} (DOMAIN.md §5)",
                           field="Authorization", rule="role_may_record")
    return actor

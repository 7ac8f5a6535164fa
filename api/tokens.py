"""API tokens: only their SHA-256 is stored (API.md, tokens file).

The file is changed only under an exclusive lock (``PATH.lock``, ``flock``) and replaced
atomically (a temporary file in the same folder, fsynced, renamed over it), so that
concurrent ``ledger token create`` keep every token and a reader never sees half a file.
A file that cannot be read or parsed is an error (``TokensFileError``), never "no tokens".
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import secrets
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


class TokensFileError(ValueError):
    """The tokens file exists but cannot be read or is not a tokens file."""


def read(path: Path) -> dict[str, Any]:
    """The file's document as stored (unknown keys kept); ``{"tokens": []}`` if absent."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {"tokens": []}
    except OSError as error:
        raise TokensFileError(f"cannot read {path}: {error.strerror or error}") from None
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        what = "empty" if not raw.strip() else f"not JSON ({error})"
        raise TokensFileError(f"{path} is {what}") from None
    if not isinstance(data, dict) or not isinstance(data.get("tokens"), list) or not all(
            isinstance(t, dict) and isinstance(t.get("sha256"), str) for t in data["tokens"]):
        raise TokensFileError(f'{path} is not {{"tokens": [{{"sha256", "role", "name"}}, ...]}}')
    return data


def load(path: Path) -> dict[str, TokenHolder]:
    """sha256 hex → holder; an absent file means no tokens; a broken one raises."""
    return {t["sha256"]: _holder(t) for t in read(path)["tokens"] if t.get("role") in ROLES}


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold the tokens file's exclusive lock (a sibling ``.lock`` file, never replaced)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def save(path: Path, data: dict[str, Any]) -> None:
    """Replace the file atomically with ``data`` (mode 0600); call under ``locked``."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(orjson.dumps(data, option=orjson.OPT_INDENT_2))
            file.flush()
            os.fsync(file.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):  # the rename itself durable
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def update(path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    """Read, ``change`` in place and save the file, all under its lock."""
    with locked(path):
        data = read(path)
        change(data)
        save(path, data)


def _holder(record: dict) -> TokenHolder:
    scopes = record.get("scopes") or ()
    # A record naming scopes this version does not know opens nothing (fail closed).
    if scopes and not set(scopes) <= set(FEED_SCOPES):
        scopes = ("none",)
    return TokenHolder(name=str(record.get("name", "")), role=record["role"], scopes=tuple(scopes),
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
    if len(name) > 200:
        raise ValueError("name must be at most 200 characters")
    from domain.personal_data import find_personnummer

    if find_personnummer(name):
        raise ValueError("name contains a Swedish personnummer or samordningsnummer; name the "
                         "holder without it (DOMAIN.md §7)")
    token = secrets.token_urlsafe(32)
    record: dict = {"sha256": digest(token), "role": FEED_ROLE if scopes else role,
                    "name": name.strip()}
    if scopes:
        record["scopes"] = sorted(set(scopes))
    if contract:
        record["contract"] = contract
    if created:
        record["created"] = created
    update(path, lambda data: data["tokens"].append(record))
    return token


def listed(path: Path) -> list[dict]:
    """Every token record without its hash: id (the hash's first 12 hex), name, role, scopes."""
    return [{"id": t["sha256"][:12], "name": t.get("name", ""), "role": t.get("role", ""),
             "scopes": list(t.get("scopes") or []), "contract": t.get("contract"),
             "created": t.get("created")} for t in read(path)["tokens"]]


def revoke(path: Path, token_id: str) -> dict:
    """Remove the one token whose id (a prefix of its hash, at least 8 hex) is ``token_id``."""
    token_id = token_id.strip().lower()
    if len(token_id) < 8:
        raise ValueError("give at least the first 8 characters of the id 'ledger token list' shows")
    removed: list[dict] = []

    def remove(data: dict[str, Any]) -> None:
        found = [t for t in data["tokens"] if t["sha256"].startswith(token_id)]
        if len(found) != 1:
            raise LookupError(f"{'no' if not found else 'more than one'} token has the id '{token_id}'")
        data["tokens"] = [t for t in data["tokens"] if t is not found[0]]
        removed.append(found[0])

    update(path, remove)
    return {"id": removed[0]["sha256"][:12], "name": removed[0].get("name", ""),
            "role": removed[0].get("role", "")}

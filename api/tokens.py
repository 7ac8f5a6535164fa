"""API tokens: only their SHA-256 is stored (API.md, tokens file)."""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import orjson

ROLES = ("admin", "bestallare", "utforare", "revisor", "kommunstyrelsen")


@dataclass(frozen=True)
class TokenHolder:
    name: str
    role: str


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def load(path: Path) -> dict[str, TokenHolder]:
    """sha256 hex → holder; an absent file means no tokens."""
    if not path.exists():
        return {}
    data = orjson.loads(path.read_bytes())
    return {t["sha256"]: TokenHolder(name=t["name"], role=t["role"])
            for t in data.get("tokens", []) if t.get("role") in ROLES}


def create(path: Path, *, role: str, name: str) -> str:
    """Store a new token's hash and return the token (shown once, never stored)."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}, not '{role}'")
    if not name.strip():
        raise ValueError("name must not be empty")
    token = secrets.token_urlsafe(32)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = orjson.loads(path.read_bytes()) if path.exists() else {"tokens": []}
    data["tokens"].append({"sha256": digest(token), "role": role, "name": name.strip()})
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(orjson.dumps(data, option=orjson.OPT_INDENT_2))
    os.chmod(tmp, 0o600)
    tmp.replace(path)
    return token

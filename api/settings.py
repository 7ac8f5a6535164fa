"""Configuration from the environment (API.md, Configuration)."""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from domain.storage import Database

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def database() -> Database:
    """The database named by ``LEDGER_DATABASE_URL`` (default: an SQLite file under ./var)."""
    return Database.from_environment()


def tokens_file() -> Path:
    return Path(os.environ.get("LEDGER_TOKENS_FILE", "./var/tokens.json"))


def signing_key_file() -> Path:
    return Path(os.environ.get("LEDGER_SIGNING_KEY_FILE", "./var/signing-key.pem"))


def today() -> date:
    """``LEDGER_TODAY`` if set (demos, tests), else today's date in Stockholm."""
    override = os.environ.get("LEDGER_TODAY")
    if override:
        return date.fromisoformat(override)
    return datetime.now(tz=STOCKHOLM).date()

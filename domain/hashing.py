"""Hash links (issue: verifiable ledger): SHA-256 over canonical JSON, chained per contract.

Canonical JSON is orjson with sorted keys, UTF-8, no insignificant whitespace.
``link = sha256(prev_link_hex + "\\n" + canonical(body))``; the first link of a
contract uses ``GENESIS``. The body names the contract, the sequence number,
the recording instant (UTC, ISO 8601 with microseconds), actor, role and the
event payload exactly as stored.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

import orjson

GENESIS = "0" * 64


def canonical(value: Any) -> bytes:
    """Canonical JSON bytes: sorted keys, no whitespace, UTF-8."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def entry_body(*, contract: str, seq: int, recorded_at: datetime, actor: str, role: str,
               event: dict[str, Any]) -> dict[str, Any]:
    """The hashed fields of one ledger entry."""
    return {
        "contract": contract,
        "seq": seq,
        "recorded_at": recorded_at.isoformat(timespec="microseconds"),
        "actor": actor,
        "role": role,
        "event": event,
    }


def link(prev_hash: str, body: dict[str, Any]) -> str:
    """The hash link of an entry whose predecessor's link is ``prev_hash``."""
    return hashlib.sha256(prev_hash.encode("ascii") + b"\n" + canonical(body)).hexdigest()


def extend_head(head: str, entry_hash: str) -> str:
    """The ledger head after one more entry (all contracts, in recording order)."""
    return hashlib.sha256(head.encode("ascii") + b"\n" + entry_hash.encode("ascii")).hexdigest()

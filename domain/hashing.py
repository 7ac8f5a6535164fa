"""Hash links (issue: verifiable ledger): SHA-256 over canonical JSON, chained per contract.

Canonical JSON is orjson with sorted keys, UTF-8, no insignificant whitespace.
``link = sha256(prev_link_hex + "\\n" + canonical(body))``; the first link of a
contract uses ``GENESIS``. Two body formulas exist, chosen per entry by the
``link_version`` stored with it (docs/VERIFYING.md §2):

* version 1 (entries stored before gallring existed; absent = 1): the body holds
  the event payload itself, so the payload can never be removed;
* version 2 (every new entry): the body holds the payload's digest
  ``event_sha256 = sha256(canonical(event))`` beside its type and effective date, so
  an archive decision can remove the payload and keep the digest (gallring) while
  every link, head and checkpoint still verifies.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

import orjson

GENESIS = "0" * 64
LINK_VERSION = 2  # the formula new entries are linked with


def canonical(value: Any) -> bytes:
    """Canonical JSON bytes: sorted keys, no whitespace, UTF-8."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def event_digest(event: dict[str, Any]) -> str:
    """The payload's digest as a version-2 body holds it."""
    return hashlib.sha256(canonical(event)).hexdigest()


def entry_body(*, contract: str, seq: int, recorded_at: datetime, actor: str, role: str,
               event: dict[str, Any], link_version: int = 1) -> dict[str, Any]:
    """The hashed fields of one ledger entry (``link_version`` 1: the payload itself)."""
    if link_version == 2:
        return digest_body(contract=contract, seq=seq,
                           recorded_at=recorded_at.isoformat(timespec="microseconds"),
                           actor=actor, role=role, type=event["type"],
                           effective_date=event["effective_date"], event_sha256=event_digest(event))
    return {
        "contract": contract,
        "seq": seq,
        "recorded_at": recorded_at.isoformat(timespec="microseconds"),
        "actor": actor,
        "role": role,
        "event": event,
    }


def digest_body(*, contract: str, seq: int, recorded_at: str, actor: str, role: str, type: str,
                effective_date: str, event_sha256: str) -> dict[str, Any]:
    """A version-2 body: what stays of an entry when its payload is gallrad, all of it hashed."""
    return {"contract": contract, "seq": seq, "recorded_at": recorded_at, "actor": actor,
            "role": role, "type": type, "effective_date": effective_date,
            "event_sha256": event_sha256}


def link(prev_hash: str, body: dict[str, Any]) -> str:
    """The hash link of an entry whose predecessor's link is ``prev_hash``."""
    return hashlib.sha256(prev_hash.encode("ascii") + b"\n" + canonical(body)).hexdigest()


def extend_head(head: str, entry_hash: str) -> str:
    """The ledger head after one more entry (all contracts, in recording order)."""
    return hashlib.sha256(head.encode("ascii") + b"\n" + entry_hash.encode("ascii")).hexdigest()

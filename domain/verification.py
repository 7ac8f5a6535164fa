"""Verify the ledger's hash links from the stored records alone (docs/VERIFYING.md).

The verifier is pure: it is fed stored records in recording (notification)
order and recomputes, for every entry, the link from its stored fields and the
previous link of its contract, checks that each contract's entries are
numbered 1..n without gaps or duplicates, checks the stored ``prev_hash``, and
folds every entry's hash into the ledger head. It stops at the first bad entry
and names it: contract ref, seq, notification id, and what is wrong.

Kinds of bad entry:

``changed``       its stored fields no longer hash to its stored link (a changed byte),
                  its stored ``prev_hash`` or ``topic`` was altered, it was moved to
                  another contract's stream, or its state no longer decodes;
``deleted``       the contract's previous entry (or entries) are missing;
``out_of_order``  it holds another entry's content (two entries swapped or moved) or
                  repeats a seq;
``forged``        it was inserted: it hashes to its own link but does not link to its
                  contract's previous entry, or it links to nothing at all.

Hot path: the stored JSON dicts are used as they are (no pydantic, no event
objects); hashing is orjson + hashlib. ``stored_records`` reads the rows of an
application through its recorder's ``select_notifications`` in batches and
decrypts/decompresses with the application mapper's cipher and compressor.
"""

from __future__ import annotations

import binascii
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import orjson

from domain.contract import contract_id
from domain.hashing import GENESIS

TOPIC_REGISTERED = "domain.contract:Contract.Registered"
TOPIC_RECORDED = "domain.contract:Contract.Recorded"
CONTRACT_TOPICS = (TOPIC_REGISTERED, TOPIC_RECORDED)

_SORT = orjson.OPT_SORT_KEYS
_dumps = orjson.dumps
_sha256 = hashlib.sha256


@dataclass(frozen=True)
class BadEntry:
    """The first entry that does not verify."""

    contract: str | None
    seq: int | None
    notification_id: int | None
    kind: str
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return {"contract": self.contract, "seq": self.seq,
                "notification_id": self.notification_id, "kind": self.kind,
                "detail": self.detail}

    def describe(self) -> str:
        where = f"contract '{self.contract}'" if self.contract else "an entry"
        return (f"{where} entry {self.seq} (notification {self.notification_id}): "
                f"{self.kind}: {self.detail}")


@dataclass(frozen=True)
class Report:
    """The outcome of a verification.

    ``events`` is the number of entries that verified (all of them when ``ok``);
    ``head`` the ledger head over them (``None`` when not ok); ``head_at`` the
    head after the first ``head_after`` entries, if that was asked for and reached.
    """

    ok: bool
    events: int
    head: str | None
    contracts: int
    bad: BadEntry | None = None
    head_at: str | None = None

    def as_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {"ok": self.ok, "events": self.events, "head": self.head}
        if self.bad is not None:
            result["first_bad_entry"] = self.bad.as_dict()
        return result


def recorded_at_text(value: str | datetime) -> str:
    """The recording instant as it is hashed: ISO 8601 with microseconds and offset."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="microseconds")
    if len(value) == 32 and value[19] == ".":
        return value
    return datetime.fromisoformat(value).isoformat(timespec="microseconds")


def _link(prev: str, body: dict[str, Any]) -> str:
    return _sha256(prev.encode("ascii") + b"\n" + _dumps(body, option=_SORT)).hexdigest()


class Verifier:
    """Incremental verifier: ``add_*`` each record in recording order, then ``report()``."""

    def __init__(self, *, head_after: int | None = None) -> None:
        self.events = 0
        self.head = GENESIS
        self.head_after = head_after
        self.head_at: str | None = GENESIS if head_after == 0 else None
        self.bad: BadEntry | None = None
        # chain key (originator id, or ref) -> [ref, last seq, last link, notification id,
        # last link as bytes]
        self._chains: dict[Any, list[Any]] = {}

    # --- feeding --------------------------------------------------------------

    def add_stored(self, notification_id: int, originator_id: Any, seq: int, topic: str,
                   state: Any) -> bool:
        """One stored row: its columns and its decoded (plaintext JSON) state. False once bad."""
        if self.bad is not None:
            return False
        try:
            ts = state["timestamp"]
            ts = ts["_data_"] if type(ts) is dict else ts
            return self.add_entry(
                notification_id, seq, state["ref"], ts, state["actor"], state["role"],
                state["entry"], state["prev_hash"], state["hash"],
                originator_id=originator_id, registration=topic == TOPIC_REGISTERED,
                link_version=state.get("link_version", 1),
                event_sha256=state.get("event_sha256"),
            )
        except (KeyError, TypeError, ValueError, AttributeError, UnicodeError) as error:
            return self.add_undecodable(notification_id, originator_id, seq,
                                        f"its stored state lacks or garbles a field ({error!r})",
                                        ref=state.get("ref") if type(state) is dict else None)

    def add_undecodable(self, notification_id: int, originator_id: Any, seq: int | None,
                        why: str, *, ref: Any = None) -> bool:
        """A row whose state cannot be read at all: always the first bad entry."""
        if self.bad is None:
            chain = self._chains.get(originator_id) if originator_id is not None else None
            if not isinstance(ref, str):
                ref = chain[0] if chain else None
            self.bad = BadEntry(ref, seq, notification_id, "changed", why)
        return False

    def add_entry(self, notification_id: int, seq: int, ref: str, recorded_at: str, actor: str,
                  role: str, event: dict[str, Any], prev_hash: str, hash: str, *,
                  originator_id: Any = None, registration: bool | None = None,
                  link_version: Any = 1, event_sha256: Any = None) -> bool:
        """One entry by its fields. ``registration`` is whether it is stored as the
        contract's ``Registered`` event (``None``: not known, e.g. from an export);
        ``link_version`` and ``event_sha256`` as stored with it (docs/VERIFYING.md §2)."""
        if self.bad is not None:
            return False
        if len(recorded_at) != 32 or recorded_at[19] != ".":
            recorded_at = recorded_at_text(recorded_at)
        body_or_why = hashed_body(ref, seq, recorded_at, actor, role, event, link_version,
                                  event_sha256)
        if isinstance(body_or_why, str):
            chain = self._chains.get(ref if originator_id is None else originator_id)
            self.bad = BadEntry(chain[0] if chain else ref, seq, notification_id, "changed",
                                body_or_why)
            return False
        return self._add_body(notification_id, seq, ref, body_or_why, prev_hash, hash,
                              originator_id, registration)

    def _add_body(self, notification_id: int, seq: int, ref: str, body: dict[str, Any],
                  prev_hash: str, hash: str, originator_id: Any,
                  registration: bool | None) -> bool:
        key = ref if originator_id is None else originator_id
        chain = self._chains.get(key)
        if chain is None:
            expected_seq, expected_prev = 1, GENESIS
        else:
            expected_seq, expected_prev = chain[1] + 1, chain[2]
        if (seq != expected_seq or prev_hash != expected_prev
                or _link(expected_prev, body) != hash
                or (registration is not None and registration != (seq == 1))
                or (chain is not None and chain[0] != ref)
                or (chain is None and originator_id is not None
                    and _as_uuid(originator_id) != contract_id(ref))):
            self.bad = self._diagnose(notification_id, seq, ref, body, prev_hash, hash,
                                      expected_seq, expected_prev, chain, originator_id,
                                      registration)
            return False
        if chain is None:
            self._chains[key] = [ref, seq, hash, notification_id, hash.encode("ascii")]
        else:
            chain[1] = seq
            chain[2] = hash
            chain[3] = notification_id
            chain[4] = hash.encode("ascii")
        self.head = _sha256(self.head.encode("ascii") + b"\n" + hash.encode("ascii")).hexdigest()
        self.events += 1
        if self.events == self.head_after:
            self.head_at = self.head
        return True

    def feed(self, records: Iterable[tuple[Any, ...]]) -> Verifier:
        """Feed ``stored_records`` tuples until the first bad entry."""
        for nid, oid, seq, topic, state, error in records:
            ok = (self.add_stored(nid, oid, seq, topic, state) if error is None
                  else self.add_undecodable(nid, oid, seq, error))
            if not ok:
                break
        return self

    def feed_rows(self, rows: Iterable[tuple[Any, ...]], decode: Any = None) -> bool:
        """Feed raw rows ``(notification id, originator id, seq, topic, state bytes)``;
        ``decode`` as from ``state_decoder`` (``None``: plain JSON). False once bad.

        The common case (a plain ``Recorded`` entry that extends its contract's chain) is
        inlined here; everything else, and every failure, goes through ``add_stored``.
        """
        if self.bad is not None:
            return False
        chains, sha, dumps, sort, loads = self._chains, _sha256, _dumps, _SORT, orjson.loads
        hexlify = binascii.hexlify
        head, events, head_after = self.head.encode("ascii"), self.events, self.head_after
        recorded = TOPIC_RECORDED
        for nid, oid, seq, topic, raw in rows:
            state = error = None
            try:
                state = loads(raw) if decode is None else decode(raw)[0]
                if topic == recorded:
                    chain = chains.get(oid)
                    ts = state["timestamp"]["_data_"]
                    prev, ref = state["prev_hash"], state["ref"]
                    if (chain is not None and chain[1] + 1 == seq and chain[2] == prev
                            and chain[0] == ref and len(ts) == 32 and ts[19] == "."):
                        h = state["hash"]
                        hb = h.encode()
                        entry = state["entry"]
                        if state.get("link_version", 1) == 1:  # version 1: the payload itself
                            body = {"contract": ref, "seq": seq, "recorded_at": ts,
                                    "actor": state["actor"], "role": state["role"],
                                    "event": entry}
                        else:  # version 2 and not gallrad (else the slow path)
                            digest = sha(dumps(entry, option=sort)).hexdigest()
                            body = {"contract": ref, "seq": seq, "recorded_at": ts,
                                    "actor": state["actor"], "role": state["role"],
                                    "type": entry["type"],
                                    "effective_date": entry["effective_date"],
                                    "event_sha256": digest}
                            if (state["link_version"] != 2 or "redacted" in entry
                                    or digest != state["event_sha256"]):
                                raise ValueError("slow path")
                        if hexlify(sha(chain[4] + b"\n" + dumps(body, option=sort)).digest()) == hb:
                            chain[1] = seq
                            chain[2] = h
                            chain[3] = nid
                            chain[4] = hb
                            head = hexlify(sha(head + b"\n" + hb).digest())
                            events += 1
                            if events == head_after:
                                self.head_at = head.decode()
                            continue
            except Exception:  # the slow path below says what is wrong
                pass
            if decode is None:
                try:
                    state = loads(raw)
                    error = None if type(state) is dict else "its stored state is not a JSON object"
                except orjson.JSONDecodeError as problem:
                    error = f"its stored state is no longer valid JSON ({problem}){_NO_KEY}"
            else:
                state, error = decode(raw)
            self.head, self.events = head.decode(), events
            ok = (self.add_stored(nid, oid, seq, topic, state) if error is None
                  else self.add_undecodable(nid, oid, seq, error))
            head, events = self.head.encode("ascii"), self.events
            if not ok:
                break
        self.head, self.events = head.decode(), events
        return self.bad is None

    def report(self) -> Report:
        if self.bad is not None:
            return Report(False, self.events, None, len(self._chains), self.bad)
        return Report(True, self.events, self.head, len(self._chains), None, self.head_at)

    # --- the failure path: say what is wrong ------------------------------------

    def _diagnose(self, notification_id: int, seq: int, ref: str, body: dict[str, Any],
                  prev_hash: str, hash: str, expected_seq: int, expected_prev: str,
                  chain: list[Any] | None, originator_id: Any,
                  registration: bool | None) -> BadEntry:
        def bad(kind: str, detail: str, contract: str | None = ref) -> BadEntry:
            return BadEntry(contract, seq, notification_id, kind, detail)

        if chain is not None and chain[0] != ref:
            return bad("changed", f"it is stored in contract '{chain[0]}''s stream but names "
                                  f"contract '{ref}' (moved or altered)", chain[0])
        if chain is None and originator_id is not None and \
                _as_uuid(originator_id) != contract_id(ref):
            return bad("changed", f"it names contract '{ref}' but is stored under another "
                                  f"contract's id ({originator_id})")
        if seq < expected_seq:
            return bad("out_of_order", f"seq {seq} comes after entry {expected_seq - 1} of this "
                                       "contract (a repeated or reordered entry)")
        if seq > expected_seq:
            missing = (f"entry {expected_seq}" if seq == expected_seq + 1
                       else f"entries {expected_seq}..{seq - 1}")
            if chain is not None and prev_hash == expected_prev:
                return bad("forged", f"it claims to follow entry {expected_seq - 1} but is "
                                     f"numbered {seq} (inserted with a made-up seq)")
            verb = "are" if seq > expected_seq + 1 else "is"
            return bad("deleted", f"{missing} of contract '{ref}' {verb} missing before it "
                                  "(deleted)")
        if registration is not None and registration != (seq == 1):
            stored = "Registered" if registration else "Recorded"
            return bad("changed", f"it is stored as a {stored} event, which entry {seq} "
                                  "cannot be (topic altered, or forged)")
        expected_link = _link(expected_prev, body)
        if expected_link == hash:
            return bad("changed", f"its stored prev_hash {prev_hash[:16]}… was altered; "
                                  f"the previous link is {expected_prev[:16]}…")
        if prev_hash == expected_prev:
            return bad("changed", "its stored fields no longer hash to its stored link "
                                  "(content changed, or the entry forged with a made-up hash)")
        # Links to another predecessor: is it some other entry's content (swapped/moved)?
        for other in range(1, expected_seq + 1000):
            if _link(prev_hash, {**body, "seq": other}) == hash:
                if other == seq:
                    return bad("forged", f"it hashes to its own link but does not link to "
                                         f"entry {seq - 1} of this contract: it was inserted, "
                                         f"or entry {seq - 1} was rewritten with a recomputed "
                                         "hash")
                return bad("out_of_order", f"it holds the content recorded as entry {other} "
                                           "of this contract (entries swapped or moved)")
        return bad("forged", "neither its link nor its prev_hash matches this contract's "
                             "chain (made-up entry, or content and links both changed)")


_HEX = frozenset("0123456789abcdef")


def hashed_body(ref: str, seq: int, recorded_at: str, actor: str, role: str, event: Any,
                link_version: Any, event_sha256: Any) -> dict[str, Any] | str:
    """The body an entry's link is computed over (docs/VERIFYING.md §2), or why it has none.

    Version 1 hashes the payload itself. Version 2 hashes its digest: computed from the
    payload, which must equal the stored ``event_sha256``, or, for a gallrad entry (its
    payload replaced by ``{"type", "effective_date", "redacted"}``), the stored digest."""
    if link_version == 1:  # (a version-1 entry written since carries an empty event_sha256)
        return {"contract": ref, "seq": seq, "recorded_at": recorded_at, "actor": actor,
                "role": role, "event": event}
    if link_version != 2 or type(link_version) is not int:
        return f"its link_version {link_version!r} is not 1 or 2"
    if not (isinstance(event_sha256, str) and len(event_sha256) == 64
            and set(event_sha256) <= _HEX):
        return "its event_sha256 is not 64 lowercase hex digits"
    if not isinstance(event, dict):
        return "its event is not an object"
    if "redacted" in event:
        redacted = event["redacted"]
        if set(event) != {"type", "effective_date", "redacted"} or not isinstance(redacted, dict) \
                or set(redacted) != {"decision", "redacted_at"}:
            return ("it is marked gallrad but does not hold exactly type, effective_date and "
                    "redacted {decision, redacted_at}")
        digest = event_sha256
    else:
        digest = hashlib.sha256(_dumps(event, option=_SORT)).hexdigest()
        if digest != event_sha256:
            return "its payload no longer hashes to its stored event_sha256 (content changed)"
    return {"contract": ref, "seq": seq, "recorded_at": recorded_at, "actor": actor,
            "role": role, "type": event.get("type"), "effective_date": event.get("effective_date"),
            "event_sha256": digest}


def _as_uuid(value: Any) -> UUID:
    return value if isinstance(value, UUID) else UUID(str(value))


# --- reading an application's stored rows -------------------------------------------

Row = tuple[int, Any, int, str, bytes]  # notification id, originator id, seq, topic, state


def stored_rows(app: Any, *, batch: int = 5000, after: int = 0) -> Iterator[list[Row]]:
    """Batches of raw contract-event rows in recording order, through the app's recorder."""
    select = _select(app.recorder)
    start = after
    while True:
        rows = select(start, batch)
        if not rows:
            return
        yield rows
        if len(rows) < batch:
            return
        start = rows[-1][0]


def _select(recorder: Any) -> Any:
    """The recorder's ``select_notifications`` as row tuples. On SQLite, the same query
    through the recorder's own connection pool with plain tuple rows and the originator id
    kept as its stored hex text: building a ``Notification`` and a ``UUID`` per row would
    take a third of the verification time."""
    from eventsourcing.sqlite import SQLiteApplicationRecorder

    if not isinstance(recorder, SQLiteApplicationRecorder):
        def select_notifications(start: int, limit: int) -> list[Row]:
            return [(n.id, n.originator_id, n.originator_version, n.topic, n.state)
                    for n in recorder.select_notifications(
                        start=start, limit=limit, topics=CONTRACT_TOPICS,
                        inclusive_of_start=False)]
        return select_notifications
    statement = (f"SELECT rowid, originator_id, originator_version, topic, state "
                 f"FROM {recorder.events_table_name} "
                 f"WHERE rowid>? AND topic IN ({','.join('?' * len(CONTRACT_TOPICS))}) "
                 "ORDER BY rowid LIMIT ?")

    def select(start: int, limit: int) -> list[Row]:
        with recorder.datastore.transaction(commit=False) as cursor:
            raw = cursor.sqlite_cursor
            raw.row_factory = None
            raw.execute(statement, [start, *CONTRACT_TOPICS, limit])
            return raw.fetchall()  # type: ignore[no-any-return]

    return select


_NO_KEY = "; if the ledger is encrypted at rest, set LEDGER_CIPHER_KEY"


def state_decoder(app: Any) -> Any:
    """``decode(bytes) -> (state dict, None) or (None, why)`` with the app mapper's cipher and
    compressor, then orjson (the stored JSON as it is: no transcoding, no event objects)."""
    mapper = app.mapper
    cipher, compressor = mapper.cipher, mapper.compressor
    loads = orjson.loads

    def decode(raw: Any) -> tuple[Any, str | None]:
        try:
            if cipher is not None:
                raw = cipher.decrypt(bytes(raw))
            if compressor is not None:
                raw = compressor.decompress(raw)
        except Exception as error:  # any failure is a bad entry, never a crash
            return None, (f"its stored state does not decrypt (ciphertext altered, or the wrong "
                          f"LEDGER_CIPHER_KEY): {type(error).__name__}")
        try:
            state = loads(raw)
        except orjson.JSONDecodeError as error:
            return None, f"its stored state is no longer valid JSON ({error}){_NO_KEY}"
        if type(state) is not dict:
            return None, "its stored state is not a JSON object"
        return state, None

    return decode


def stored_records(app: Any, *, batch: int = 5000,
                   after: int = 0) -> Iterator[tuple[int, Any, int, str, Any, str | None]]:
    """``(notification id, originator id, seq, topic, state dict, error)`` of every contract
    event in recording order; ``error`` names why a row's state does not decode (then
    ``state`` is ``None``)."""
    decode = state_decoder(app)
    for rows in stored_rows(app, batch=batch, after=after):
        for nid, oid, seq, topic, raw in rows:
            state, error = decode(raw)
            yield nid, oid, seq, topic, state, error


def verify_application(app: Any, *, head_after: int | None = None,
                       batch: int = 5000) -> Report:
    """Verify every contract event an application (the ``Ledger``) has stored."""
    verifier = Verifier(head_after=head_after)
    plain = app.mapper.cipher is None and app.mapper.compressor is None
    decode = state_decoder(app)
    for rows in stored_rows(app, batch=batch):
        if not verifier.feed_rows(rows, None if plain else decode):
            break
    return verifier.report()

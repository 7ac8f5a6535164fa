"""The ledger application: the one place where decisions meet storage."""

from __future__ import annotations

import copy
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError
from eventsourcing.sqlite import SQLiteApplicationRecorder

from domain.commit import GroupCommit
from domain.contract import _NAMESPACE, Actor, Contract, Entry, contract_id
from domain.errors import (
    DuplicateContract,
    IdempotencyConflict,
    ImpossibleAct,
    StaleVersion,
    UnknownContract,
    UnknownEntry,
)
from domain.events import ContractRegistered, Event
from domain.hashing import canonical
from domain.storage import Database

Respond = Callable[[Entry], dict[str, Any]]
log = logging.getLogger("ledger")

LATEST_CONTRACTS = 2000  # contracts whose last saved state the ledger keeps to decide on
# Contracts whose entries and evaluations a process keeps between appends (the API's history
# and evaluations, the projection's memo). Below the number of contracts written in turn, every
# append would miss: read its contract's whole history back and judge it from the start.
HOT_CONTRACTS = 1024


class IdempotencyRecord(Aggregate):
    """The first outcome of a request made with an ``Idempotency-Key``.

    Saved in the same transaction as the entry it produced, so a retry, even
    after a restart or from another process, finds it and writes nothing.
    """

    class Created(Aggregate.Created):
        key: str
        fingerprint: str
        contract_ref: str
        seq: int
        response: dict[str, Any]

    def __init__(self, key: str, fingerprint: str, contract_ref: str, seq: int,
                 response: dict[str, Any]) -> None:
        self.key = key
        self.fingerprint = fingerprint
        self.contract_ref = contract_ref
        self.seq = seq
        self.response = response


def idempotency_id(key: str) -> UUID:
    return uuid5(_NAMESPACE, f"idempotency:{key}")


def fingerprint(ref: str, event: Event, actor: Actor) -> str:
    """What makes two requests 'the same' for an idempotency key."""
    return canonical({"ref": ref, "actor": [actor.name, actor.role],
                      "event": event.model_dump(mode="json")}).hex()


@dataclass(frozen=True)
class Outcome:
    """The result of recording (or, with ``dry_run``, of deciding) one event."""

    ref: str
    seq: int
    version: int
    entry: Entry
    response: dict[str, Any] | None = None
    replayed: bool = False
    written: bool = True
    position: int | None = None  # the ledger notification id of what was written, if any


def entry_of(ref: str, event: Any) -> Entry:
    """The reader's view of one stored contract event."""
    data = event.entry
    return Entry(
        contract=ref,
        seq=event.originator_version,
        type=data["type"],
        effective_date=date.fromisoformat(data["effective_date"]),
        recorded_at=event.timestamp,
        actor=event.actor,
        role=event.role,
        data=data,
        prev_hash=event.prev_hash,
        hash=event.hash,
    )


class Ledger(Application[UUID]):
    """Records contract events; reads of history go through the projections."""

    name = "Ledger"
    snapshotting_intervals = {Contract: 200}  # noqa: RUF012 - the library's class attribute

    def __init__(self, env: dict[str, str] | None = None) -> None:
        env = dict(env or {})
        # Settings for another database replace the default's: merged, a PostgreSQL
        # ledger would keep SQLite's APPLICATION_RECORDER_TOPIC and fail to start.
        settings = {} if "PERSISTENCE_MODULE" in env else Database.from_environment().environment()
        settings.setdefault("AGGREGATE_CACHE_MAXSIZE", "2000")
        settings.update(env)
        super().__init__(settings)
        # SQLite has one writer at a time; concurrent saves from this process's threads
        # would otherwise meet on the file lock and back off in SQLite's busy handler
        # (sleeps of up to 100 ms). Taking turns here costs nothing: the commit is serial.
        self._save_lock: threading.Lock | None = (
            threading.Lock() if isinstance(self.recorder, SQLiteApplicationRecorder) else None)
        # The last saved state of recently written contracts, to decide the next event on
        # without asking the store (the library's cache checks it for newer events on every
        # get). Another process's write cannot be overlooked: a decision on an older version
        # fails to save (the version is taken), the entry is dropped and the store asked.
        self._latest: OrderedDict[str, Contract] = OrderedDict()
        self._latest_lock = threading.Lock()
        # Set where other processes append to the same contracts (API processes beside a
        # `ledger project` worker): the kept state is then brought up to the store's first.
        self.others_append = False
        # Concurrent appends share transactions (domain.commit); LEDGER_GROUP_COMMIT=false
        # saves each on its own as before, for comparison in the bench.
        alone = os.environ.get("LEDGER_GROUP_COMMIT", "true").lower() in {"false", "0", "no", "n"}
        self.commits: GroupCommit | None = None if alone else GroupCommit(self.save)

    def save(self, *objs: Any, **kwargs: Any) -> Any:
        if self._save_lock is None:
            recordings = super().save(*objs, **kwargs)
        else:
            with self._save_lock:
                recordings = super().save(*objs, **kwargs)
        for obj in objs:
            if isinstance(obj, Contract):
                self._remember(copy.deepcopy(obj))
        return recordings

    def _remember(self, contract: Contract) -> None:
        with self._latest_lock:
            known = self._latest.get(contract.ref)
            if known is None or known.version < contract.version:
                self._latest[contract.ref] = contract
            self._latest.move_to_end(contract.ref)
            while len(self._latest) > LATEST_CONTRACTS:
                self._latest.popitem(last=False)

    def _forget(self, ref: str) -> None:
        with self._latest_lock:
            self._latest.pop(ref, None)

    @classmethod
    def open(cls, database: Database, **extra: str) -> Ledger:
        """A ledger on the given database."""
        return cls({**database.environment(), **extra})

    # --- writes ----------------------------------------------------------------

    def register(self, event: ContractRegistered, actor: Actor,
                 *, recorded_at: datetime | None = None) -> Outcome:
        """Register a new contract (its first entry); 409 if the ref is taken."""
        if self.exists(event.ref):
            raise DuplicateContract(f"contract '{event.ref}' is already registered",
                                    field="ref", rule="unique_ref")
        contract = Contract.register(event, actor, recorded_at or now())
        outcome = self._outcome(contract)
        try:
            self.save(contract)
        except IntegrityError:
            raise DuplicateContract(f"contract '{event.ref}' is already registered",
                                    field="ref", rule="unique_ref") from None
        return outcome

    def record(self, ref: str, event: Event, actor: Actor, *,
               expected_version: int | None = None, idempotency_key: str | None = None,
               dry_run: bool = False, respond: Respond | None = None,
               recorded_at: datetime | None = None, gallring: bool = False) -> Outcome:
        """Decide and append one event to a contract.

        ``respond`` computes the response body from the new entry before it is
        saved, so that an idempotent retry can return exactly the first answer.
        ``gallring``: only ``domain.redaction`` records an ``EntryRedacted``, since it also
        removes the content; by any other way in the decision would be recorded and the
        content kept.
        """
        if idempotency_key and not dry_run:
            first = self._first_outcome(idempotency_key, ref, event, actor)
            if first:
                return first
        contract = self.contract(ref)
        if expected_version is not None and expected_version != contract.version:
            self._forget(ref)  # ask the store: another process may have written since
            contract = self.contract(ref)
        if expected_version is not None and expected_version != contract.version:
            raise StaleVersion(
                f"If-Match: contract '{ref}' is at version {contract.version}, "
                f"not {expected_version}; read it again and retry",
                field="If-Match", rule="expected_version")
        contract.record(event, actor, recorded_at or now())  # (role first: 403 before this)
        if event.type_name == "EntryRedacted" and not gallring:
            raise ImpossibleAct(
                "type: an EntryRedacted is recorded by `ledger redact REF SEQ --decision "
                "DIARIENR`, which also removes the entry's content (docs/VERIFYING.md §2a)",
                field="type", rule="redact_by_command")
        outcome = self._outcome(contract)
        response = respond(outcome.entry) if respond else None
        if dry_run:
            return Outcome(ref, outcome.seq, outcome.version, outcome.entry, response,
                           written=False)
        pending: list[Aggregate] = [contract]
        if idempotency_key:
            pending.append(IdempotencyRecord._create(
                IdempotencyRecord.Created, id=idempotency_id(idempotency_key),
                key=idempotency_key, fingerprint=fingerprint(ref, event, actor),
                contract_ref=ref, seq=outcome.seq, response=response or {}))
        try:
            recordings = self.commits.commit(*pending) if self.commits else self.save(*pending)
        except IntegrityError:
            self._forget(ref)
            if idempotency_key:
                first = self._first_outcome(idempotency_key, ref, event, actor)
                if first:
                    return first
            raise StaleVersion(
                f"contract '{ref}' changed while this request was decided; read it and retry",
                field="If-Match", rule="expected_version") from None
        return Outcome(ref, outcome.seq, outcome.version, outcome.entry, response,
                       position=max((r.notification.id for r in recordings), default=None))

    def _first_outcome(self, key: str, ref: str, event: Event, actor: Actor) -> Outcome | None:
        try:
            record: IdempotencyRecord = self.repository.get(idempotency_id(key))
        except AggregateNotFoundError:
            return None
        if record.fingerprint != fingerprint(ref, event, actor):
            raise IdempotencyConflict(
                "Idempotency-Key: this key was used for a different request; "
                "use a new key for a new request", field="Idempotency-Key",
                rule="idempotency_key")
        entry = self.entry(record.contract_ref, record.seq)
        return Outcome(record.contract_ref, record.seq, record.seq, entry, record.response,
                       replayed=True, written=False)

    def _outcome(self, contract: Contract) -> Outcome:
        event = contract.pending_events[-1]
        entry = entry_of(contract.ref, event)
        return Outcome(contract.ref, entry.seq, contract.version, entry)

    # --- reads of the write side ---------------------------------------------

    def exists(self, ref: str) -> bool:
        return any(True for _ in self.events.get(contract_id(ref), lte=1))

    def contract(self, ref: str) -> Contract:
        """The contract aggregate (a copy to decide on); 404 if unknown."""
        with self._latest_lock:
            known = self._latest.get(ref)
        if known is not None:
            contract = copy.deepcopy(known)
            if self.others_append:
                # One select: decided on a head another process has passed, the append would
                # fail to save, and take every other append of its group commit with it.
                newer = list(self.events.get(contract.id, gt=contract.version))
                for event in newer:
                    contract = event.mutate(contract)
                if newer:
                    self._remember(copy.deepcopy(contract))
            return contract
        try:
            contract: Contract = self.repository.get(contract_id(ref))
        except AggregateNotFoundError:
            raise UnknownContract(f"no contract with ref '{ref}'", field="ref",
                                  rule="contract_must_exist") from None
        contract = self._unless_snapshot_stale(contract)
        self._remember(copy.deepcopy(contract))
        return contract

    def _unless_snapshot_stale(self, contract: Contract) -> Contract:
        """``contract`` if its head is the hash of its last stored entry; else (a snapshot
        edited or out of step) the contract replayed from its events, the snapshot ignored."""
        if self.snapshots is None:  # (one select per load the ledger has not cached)
            return contract
        last = list(self.events.get(contract.id, gt=contract.version - 1, lte=contract.version))
        if last and getattr(last[0], "hash", None) == contract.head:
            return contract
        log.warning("contract %s: the snapshot does not stand for entry %s (hash differs); "
                    "ignored, replayed from the events", contract.ref, contract.version)
        replayed: Any = None
        for event in self.events.get(contract.id):
            replayed = event.mutate(replayed)
        return replayed  # type: ignore[no-any-return]

    def entries(self, ref: str, *, after: int = 0) -> list[Entry]:
        """Every entry of a contract from the event store, in order (no read model)."""
        events = list(self.events.get(contract_id(ref), gt=after or None))
        if not events and after == 0:
            raise UnknownContract(f"no contract with ref '{ref}'", field="ref",
                                  rule="contract_must_exist")
        return [entry_of(ref, event) for event in events]

    def entry(self, ref: str, seq: int) -> Entry:
        events = list(self.events.get(contract_id(ref), gt=seq - 1, lte=seq))
        if not events:
            raise UnknownEntry(f"no entry {seq} in contract '{ref}'", field="seq",
                               rule="entry_must_exist")
        return entry_of(ref, events[0])

    def ledger_events(self, *, after: int = 0, limit: int = 1000) -> Iterator[tuple[int, Entry]]:
        """Contract entries of all contracts in recording order, with notification ids."""
        for notification in self.recorder.select_notifications(
                start=after, limit=limit, topics=CONTRACT_TOPICS, inclusive_of_start=False):
            event = self.mapper.to_domain_event(notification)
            yield notification.id, entry_of(event.ref, event)


CONTRACT_TOPICS = (
    "domain.contract:Contract.Registered",
    "domain.contract:Contract.Recorded",
)


def now() -> datetime:
    """The recording instant (UTC)."""
    return datetime.now(tz=UTC)

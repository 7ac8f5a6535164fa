"""Every read the API and the CLI serve, from the read models, as of a date and as known at an instant.

* ``as_of`` (valid time, a date): judged from the stored dates of each obligation and
  deviation (``status_on`` / ``open_on``), given everything recorded now.
* ``known_at`` (transaction time, an aware instant): only entries recorded at or before
  it count; they are loaded from the audit trail by (ref, recorded_at) and the pure
  rules run over them, so an ``EntryCorrected`` recorded later is not applied.

Current obligations are served from the view, never by replaying streams. Reads
beyond a contract's horizon, and reads as known at an earlier instant, compute
from the audit trail; the entries and evaluations of recent contracts are cached
(keyed by what was recorded, so a cache entry never goes stale).
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from domain.contract import Entry
from domain.errors import InvalidEvent, UnknownContract
from domain.ledger import HOT_CONTRACTS, Ledger
from domain.rules.agreement import Pending
from domain.rules.history import History, entry_types
from domain.rules.model import (
    BillingSummary,
    CompensationView,
    Deviation,
    Evaluation,
    MonthBilling,
    NoticePosition,
    Obligation,
    ObligationStatus,
)
from domain.storage import Database
from domain.terms import ContractDescription
from projections import rules
from projections.catchup import BATCH, catch_up
from projections.engines import close_view, open_view
from projections.judgement import ContractRow, amendments_of, terms_on
from projections.rows import OPEN_STATUS, OVERDUE_STATUS, gc_paused, open_doc
from projections.views import ContractStamp, Progress, ReadModelView, obligation_order

OpenStatus = Literal["open", "overdue"]
HOLDERS = ("bestallare", "utforare")
REF = re.compile(ContractDescription.model_fields["ref"].metadata[0].pattern)
Stamped = ContractRow | ContractStamp  # either says which entries a contract's rows reflect


@dataclass(frozen=True, slots=True)
class ContractSummary:
    """One contract in the list (API: GET /contracts)."""

    ref: str
    title: str
    diarienummer: str | None
    status: str
    version: int


@dataclass(frozen=True, slots=True)
class ContractDetail:
    """One contract with the terms in force on ``as_of`` (API: GET /contracts/{ref})."""

    ref: str
    title: str
    diarienummer: str | None
    status: str
    version: int
    terms: dict[str, Any]
    in_force_from: date
    as_of: date
    known_at: datetime | None


@dataclass(frozen=True, slots=True)
class Head:
    """How far the read models have come: entries, the ledger head hash over them, and the
    last ledger notification reflected."""

    events: int
    head: str
    position: int


class _Lru:
    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)


class ReadModels:
    """The read models of one database; one per process, safe for FastAPI's thread pool."""

    def __init__(self, database: Database, *, today: Callable[[], date],
                 ledger: Ledger | None = None) -> None:
        self.database = database
        self._today = today
        self.view: ReadModelView = open_view(database)
        self._ledger = ledger
        self._owns_ledger = ledger is None
        self._catching_up = threading.Lock()
        self._entries = _Lru(32)
        self._typed_entries = _Lru(64)
        self._evaluations = _Lru(64)
        # Stored obligation documents are small and every contract is read in turn by a list
        # or a feed: keep as many as the ledger keeps hot contracts (64 missed on every read
        # of 1 000 contracts in turn, bench_reads).
        self._obligations = _Lru(HOT_CONTRACTS)

    def close(self) -> None:
        close_view(self.view)
        if self._owns_ledger and self._ledger is not None:
            self._ledger.close()

    def __enter__(self) -> ReadModels:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- keeping up ----------------------------------------------------------------------

    def catch_up(self, *, batch_size: int = BATCH, progress: Progress | None = None) -> int:
        """Apply everything the ledger recorded since the view's position (batched)."""
        with self._catching_up:
            if self._ledger is None:
                self._ledger = Ledger.open(self.database)
            return catch_up(self.view, self._ledger, today=self._today(), batch_size=batch_size,
                            progress=progress)

    def head(self) -> Head:
        events, head = self.view.head()
        return Head(events, head, self.view.position())

    # --- contracts ------------------------------------------------------------------------

    def contracts(self) -> list[ContractSummary]:
        """Every contract: ref, title, diarienummer, status (as judged today), version."""
        return [ContractSummary(r.ref, r.title, r.diarienummer, r.status, r.version)
                for r in self.view.contract_rows()]

    def contract(self, ref: str, *, as_of: date, known_at: datetime | None = None) -> ContractDetail:
        """The contract with the terms in force on ``as_of`` (with their citations)."""
        row = self._row(ref)
        if self._current(row, known_at):
            status = row.status if as_of == row.judged_on else \
                rules.status(self._load(row, None, rules.NOTICE_ENTRIES), as_of)
            return ContractDetail(row.ref, row.title, row.diarienummer, status, row.version,
                                  row.terms_on(as_of), row.in_force_from, as_of, known_at)
        entries = self._load(row, known_at)
        registration = entries[0].data
        return ContractDetail(
            ref, registration["title"], registration.get("diarienummer"),
            rules.status(entries, as_of), entries[-1].seq,
            terms_on(registration["terms"], amendments_of(entries), as_of),
            date.fromisoformat(registration["in_force_from"]["date"]), as_of, known_at)

    # --- the audit trail -----------------------------------------------------------------

    def events(self, ref: str, *, known_at: datetime | None = None, after: int = 0,
               limit: int = 100) -> list[Entry]:
        """Entries of a contract in seq order (both times, actor, payload, hash link)."""
        self._stamp(ref)
        return self.view.entries(ref, known_at=known_at, after=after, limit=limit)

    # --- obligations and deviations ---------------------------------------------------------

    def obligations(self, ref: str, *, as_of: date, known_at: datetime | None = None,
                    status: ObligationStatus | None = None) -> list[tuple[Obligation, ObligationStatus]]:
        """Every obligation arisen up to ``as_of`` with its status on that day, unless ``status``
        filters; ordered by due date."""
        row = self._stamp(ref)
        if self._current(row, known_at) and as_of <= row.horizon:
            stored = self._stored(row)
        else:
            stored = sorted(self._evaluate(row, known_at, as_of).obligations, key=obligation_order)
        judged = [(o, o.status_on(as_of)) for o in stored if o.arises_on <= as_of]
        return [(o, s) for o, s in judged if status is None or s == status]

    def open_obligations(self, *, as_of: date, status: OpenStatus | None = None,
                         due_before: date | None = None, holder: str | None = None,
                         due_after: date | None = None, ref: str | None = None,
                         ) -> list[tuple[str, Obligation, OpenStatus]]:
        """Obligations open or overdue on ``as_of`` across contracts, as (ref, obligation, status),
        by due date; ``due_before`` keeps those due strictly before that day."""
        if not self._open_filters(status, holder):
            return []
        found = self.view.open_obligations(as_of=as_of, status=status, due_before=due_before,
                                           holder=holder, due_after=due_after, ref=ref)
        late = {r for r in self.view.refs_beyond_horizon(as_of) if ref is None or r == ref}
        if late:
            found = [(r, o) for r, o in found if r not in late]
            found.extend((r, o) for r, o, _ in self._late_open(late, as_of, status, due_before, holder,
                                                               due_after))
        found.sort(key=lambda item: (item[1].due or date.max, item[0], item[1].id))
        return [(ref, o, o.status_on(as_of)) for ref, o in found]  # type: ignore[misc]

    def open_obligation_docs(self, *, as_of: date, status: OpenStatus | None = None,
                             due_before: date | None = None, holder: str | None = None,
                             due_after: date | None = None, ref: str | None = None) -> list[bytes]:
        """What ``open_obligations`` finds, in the same order, as GET /obligations serves each
        (``rows.open_doc``, its status on ``as_of``): stored documents, nothing decoded."""
        if not self._open_filters(status, holder):
            return []
        found = self.view.open_obligation_docs(as_of=as_of, status=status, due_before=due_before,
                                               holder=holder, due_after=due_after, ref=ref)
        late = {r for r in self.view.refs_beyond_horizon(as_of) if ref is None or r == ref}
        if late:
            found = [row for row in found if row[1] not in late]
            found.extend((o.due or date.max, r, o.id, open_doc(r, o), judged == "overdue")
                         for r, o, judged in self._late_open(late, as_of, status, due_before, holder,
                                                             due_after))
            found.sort(key=_doc_order)
        return [doc.replace(OPEN_STATUS, OVERDUE_STATUS, 1) if overdue else doc  # see rows.open_doc
                for _, _, _, doc, overdue in found]

    @staticmethod
    def _open_filters(status: str | None, holder: str | None) -> bool:
        """Whether the filters can match at all; InvalidEvent for a status never open."""
        if status not in (None, "open", "overdue"):
            raise InvalidEvent(f"status: '{status}' is not open or overdue", field="status",
                               rule="open_status")
        return holder is None or holder in HOLDERS

    def _late_open(self, late: set[str], as_of: date, status: str | None, due_before: date | None,
                   holder: str | None, due_after: date | None = None,
                   ) -> Iterator[tuple[str, Obligation, str]]:
        """The open obligations of contracts whose stored rows stop before ``as_of``, by the rules."""
        for row in map(self._stamp, sorted(late)):
            for o in self._evaluate(row, None, as_of).obligations:
                judged = o.status_on(as_of)
                if (o.arises_on <= as_of and judged in ("open", "overdue")
                        and (status is None or judged == status)
                        and (due_before is None or (o.due is not None and o.due < due_before))
                        and (due_after is None or (o.due is not None and o.due > due_after))
                        and (holder is None or o.holder == holder)):
                    yield row.ref, o, judged

    def deviations(self, ref: str, *, as_of: date, known_at: datetime | None = None,
                   ) -> list[tuple[Deviation, bool]]:
        """Every deviation begun by ``as_of``, with whether it is open on that day."""
        row = self._stamp(ref)
        if self._current(row, known_at) and as_of <= row.horizon:
            begun = self.view.deviations(ref, since_by=as_of)
        else:
            begun = [d for d in self._evaluate(row, known_at, as_of).deviations if d.since <= as_of]
        return [(d, d.open_on(as_of)) for d in begun]

    # --- notice, compensation, billing (computed from the entries) --------------------------

    def notice(self, ref: str, *, as_of: date, known_at: datetime | None = None) -> NoticePosition:
        """Running, under notice or ended on ``as_of``; the notices and their effect."""
        return rules.notice(self._load(self._stamp(ref), known_at, rules.NOTICE_ENTRIES), as_of)

    def compensation(self, ref: str, *, year: int, as_of: date | None = None,
                     known_at: datetime | None = None) -> CompensationView:
        """The indexed compensation for ``year``: base, every step, annual and monthly amounts,
        from the entries effective by ``as_of`` (all if None)."""
        return rules.compensation(self._load(self._stamp(ref), known_at, rules.COMPENSATION_ENTRIES),
                                  year, as_of=as_of)

    def billing(self, ref: str, *, year: int, as_of: date | None = None,
                known_at: datetime | None = None) -> BillingSummary | None:
        """Billed hours and amounts per month and for ``year``; None without a billing clause."""
        return rules.billing(self._load(self._stamp(ref), known_at, rules.BILLING_ENTRIES), year,
                             as_of=as_of)

    def billing_month(self, ref: str, *, month: str, as_of: date | None = None,
                      known_at: datetime | None = None) -> tuple[BillingSummary, MonthBilling] | None:
        """One month of hourly billing and its year; None without a billing clause."""
        return rules.month_billing(self._load(self._stamp(ref), known_at, rules.BILLING_ENTRIES),
                                   month, as_of=as_of)

    def acceptances(self, ref: str, *, known_at: datetime | None = None) -> list[Pending]:
        """Two-party acts awaiting the other party's acceptance, as recorded by ``known_at``."""
        entries = self._load(self._stamp(ref), known_at, rules.ACCEPTANCE_ENTRIES)
        return rules.agreement.pending(History.build(entries))

    def entries_of(self, ref: str, types: frozenset[str], *, known_at: datetime | None = None,
                   ) -> list[Entry]:
        """The registration, amendments, corrections and entries of ``types`` (issue 12's frame)."""
        return self._load(self._stamp(ref), known_at, entry_types(types))

    # --- internals -------------------------------------------------------------------------

    def _row(self, ref: str) -> ContractRow:
        # No registered ref falls outside the pattern; nor may such text reach the database
        # (PostgreSQL refuses NUL in text).
        row = self.view.contract_row(ref) if REF.fullmatch(ref) else None
        if row is None:
            raise _unknown(ref)
        return row

    def _stamp(self, ref: str) -> ContractStamp:
        """As ``_row`` without the terms (whose JSON is the most of a row to read and parse)."""
        stamp = self.view.contract_stamp(ref) if REF.fullmatch(ref) else None
        if stamp is None:
            raise _unknown(ref)
        return stamp

    @staticmethod
    def _current(row: Stamped, known_at: datetime | None) -> bool:
        return known_at is None or known_at >= row.last_recorded_at

    def _load(self, row: Stamped, known_at: datetime | None,
              types: frozenset[str] | None = None) -> list[Entry]:
        """The entries of a contract as recorded by ``known_at`` (all if None). With ``types``
        (``rules.entry_types`` of a rule family) only those need be loaded: a read of the
        notices of 10 000 entries loads the dozen notices, the registration and amendments."""
        if types is not None:
            return self._typed(row, known_at, types)
        if self._current(row, known_at):
            return self._prefix(row.ref, row.version)
        assert known_at is not None
        count, last = self.view.recorded_seqs(row.ref, known_at)
        if count == 0:
            raise _not_yet(row.ref, known_at)
        if count == last:  # recorded in seq order, the usual case: a prefix
            return self._prefix(row.ref, last)
        return self.view.entries(row.ref, known_at=known_at)

    def _typed(self, row: Stamped, known_at: datetime | None, types: frozenset[str]) -> list[Entry]:
        """The entries of ``types`` as recorded by ``known_at``, or all of them where a prefix of
        every entry is cached already. Cached by the prefix they come from: entries never change."""
        last = row.version
        if not self._current(row, known_at):
            assert known_at is not None
            count, last = self.view.recorded_seqs(row.ref, known_at)
            if count == 0:
                raise _not_yet(row.ref, known_at)
            if count != last:  # recorded out of seq order: not a prefix
                return self.view.entries(row.ref, known_at=known_at, types=types)
        if self._entries.get(row.ref) is not None:  # every entry of a prefix: complete it
            return self._prefix(row.ref, last)
        key = (row.ref, last, types)
        found: list[Entry] | None = self._typed_entries.get(key)
        if found is None:
            found = self.view.entries(row.ref, through=last, types=types)
            self._typed_entries.put(key, found)
        return found

    def _prefix(self, ref: str, last: int) -> list[Entry]:
        """Entries 1 .. ``last`` of ``ref``. The longest prefix read so far is cached (entries
        never change) and only what it lacks is read: a read as known at an earlier instant
        loads just the entries recorded by then."""
        known: list[Entry] = self._entries.get(ref) or []
        if len(known) >= last:
            return known if len(known) == last else known[:last]
        with gc_paused(last - len(known)):  # the rows fetched as much as the entries made of them
            entries = known + self.view.entries(ref, after=len(known), through=last)
            if not _is_prefix(entries, last):  # what was cached does not lead on: read it whole
                entries = self.view.entries(ref, through=last)
        current = self._entries.get(ref)
        if _is_prefix(entries, last) and (current is None or len(current) < last):
            self._entries.put(ref, entries)
        return entries

    def _stored(self, stamp: ContractStamp) -> list[Obligation]:
        """The contract's stored obligations in ``obligation_order``, cached by the version and day
        they were judged on: rows are a function of the entries and the day, and entries never
        change, so a key never goes stale."""
        found = self._obligations.get((stamp.ref, stamp.version, stamp.judged_on))
        if found is None:
            # A write may land after ``stamp`` was read: file the rows under their own stamp.
            fresh, found = self.view.stored_obligations(stamp.ref)
            if fresh is not None:
                self._obligations.put((fresh.ref, fresh.version, fresh.judged_on), found)
        return found  # type: ignore[no-any-return]

    def _evaluate(self, row: Stamped, known_at: datetime | None, as_of: date) -> Evaluation:
        entries = self._load(row, known_at)
        through = max(as_of, row.horizon)  # as the stored rows were judged, or further
        key = (row.ref, len(entries), entries[-1].seq, entries[-1].hash, through)
        evaluation = self._evaluations.get(key)
        if evaluation is None:
            evaluation = rules.evaluate(entries, through=through)
            self._evaluations.put(key, evaluation)
        return evaluation  # type: ignore[no-any-return]


def _is_prefix(entries: list[Entry], last: int) -> bool:
    """Whether ``entries`` are seqs 1 .. ``last`` (ascending and distinct, as the view gives them)."""
    return len(entries) == last and (last == 0 or entries[-1].seq == last)


def _not_yet(ref: str, known_at: datetime) -> UnknownContract:
    return UnknownContract(f"contract '{ref}' was not yet registered at {known_at.isoformat()}",
                           field="known_at", rule="contract_must_exist")


def _unknown(ref: str) -> UnknownContract:
    return UnknownContract(f"no contract with ref '{ref}'", field="ref", rule="contract_must_exist")


def _doc_order(row: tuple[Any, ...]) -> tuple[str, str, str]:
    # As ``open_obligations``: by due date (none last, as date.max), contract, id. A due date is
    # ISO text or a date, as the engine gives it, and the rules' ones dates: str() is ISO for both.
    return str(row[0]), row[1], row[2]

"""The contract aggregate: decide whether an event may be recorded, then record it.

Write state is only what decisions need: the reference, the terms in force for
validating amendments, and a compact index of earlier entries (type, recorder,
whether closed or corrected). Everything people read is built by projections.
Applying an event only assigns state and never re-checks a rule, so replaying
an old contract never breaks when a rule changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property, lru_cache
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5
from zoneinfo import ZoneInfo

from eventsourcing.domain import Aggregate

from domain.controls import PARTY_NAMES, check_party, check_units, needs_acceptance, other_party
from domain.errors import ImpossibleAct, InvalidEvent, NotPermitted
from domain.events import (
    RECORDERS,
    REFERENCES,
    AmendmentSigned,
    ContractRegistered,
    Event,
    load_event,
)
from domain.hashing import GENESIS, LINK_VERSION, entry_body, event_digest, link
from domain.terms import Terms, amend, merge_patch

_NAMESPACE = uuid5(NAMESPACE_URL, "urn:linkoping:verksamhetsuppdrag-ledger")

# Entries that close the entry they reference (DOMAIN.md §5). A withdrawal of notice is a
# proposal: it closes the notice only once the other party accepts it (``_evolve``).
_CLOSES = {
    "BreachRemedied": "remedied",
    "DisputeDecided": "decided",
    "DisputeWithdrawn": "withdrawn",
    "SupervisionClosed": "closed",
}
# Entries refused when the entry they reference is closed.
_NEEDS_OPEN = frozenset({*_CLOSES, "TerminationNoticeWithdrawn", "DisputeReferredToKommunstyrelsen",
                         "DisputeDialogueHeld"})
# Notices of a planned change may be given from the change's recording, ahead of its date.
_NOTIFIES_AHEAD = frozenset({"StaffingChangeNotified", "PremisesChangeNotified"})
_STOCKHOLM = ZoneInfo("Europe/Stockholm")


@lru_cache(maxsize=4096)  # uuid5 hashes with SHA-1: a tenth of an append's cost uncached
def contract_id(ref: str) -> UUID:
    """The stable aggregate id of a contract reference."""
    return uuid5(_NAMESPACE, f"contract:{ref}")


@dataclass(frozen=True, slots=True)
class Actor:
    """The authenticated caller who records an entry."""

    name: str
    role: str


@dataclass(frozen=True, init=False)
class Entry:
    """One recorded event as readers see it: the fact, both times, who, and its hash link."""

    contract: str
    seq: int
    type: str
    effective_date: date
    recorded_at: datetime
    actor: str
    role: str
    data: dict[str, Any]
    prev_hash: str
    hash: str

    def __init__(self, contract: str, seq: int, type: str, effective_date: date,
                 recorded_at: datetime, actor: str, role: str, data: dict[str, Any],
                 prev_hash: str, hash: str) -> None:
        # Frozen: the instance dict is filled at once, where the generated __init__ sets
        # each field through object.__setattr__ at five times the cost (every read of the
        # audit trail, every rebuild, builds one Entry per row).
        self.__dict__.update(contract=contract, seq=seq, type=type, effective_date=effective_date,
                             recorded_at=recorded_at, actor=actor, role=role, data=data,
                             prev_hash=prev_hash, hash=hash)

    @cached_property
    def event(self) -> Event:
        return load_event(self.data)


class Contract(Aggregate):
    """One verksamhetsuppdrag: the stream every entry about it is appended to."""

    class Registered(Aggregate.Created):
        ref: str
        entry: dict[str, Any]
        actor: str
        role: str
        prev_hash: str
        hash: str
        # Stored with every entry since gallring (docs/VERIFYING.md §2); an entry stored
        # before lacks both and reads as version 1 (its body holds the payload itself).
        link_version: int = 1
        event_sha256: str = ""

    class Recorded(Aggregate.Event):
        ref: str
        entry: dict[str, Any]
        actor: str
        role: str
        prev_hash: str
        hash: str
        link_version: int = 1
        event_sha256: str = ""

        def apply(self, aggregate: Contract) -> None:
            aggregate._evolve(self)

    def __init__(self, ref: str, entry: dict[str, Any], actor: str, role: str,
                 prev_hash: str, hash: str) -> None:
        self.ref = ref
        self.terms: dict[str, Any] = entry["terms"]
        self.head = hash
        # One row per seq (index seq - 1): (type, actor, role, effective_date, closed_by).
        # Rows are replaced, never changed in place, and terms are replaced on amendment,
        # which is what makes the cheap copy in __deepcopy__ faithful.
        self.index: list[Sequence[Any]] = [(entry["type"], actor, role, entry["effective_date"], None)]
        self.corrected: list[int] = []
        self._new_state()

    def _new_state(self) -> None:
        # Keyed by str(seq): snapshots store state as JSON, whose keys are text.
        # Two-party acts: seq → [proposing party, seq of its acceptance or None]; closing
        # entries (withdrawals too): seq → the seq they close; planned changes: seq → the
        # Stockholm date they were recorded.
        self.proposals: dict[str, list[Any]] = {}
        self.closers: dict[str, int] = {}
        self.recorded_on: dict[str, str] = {}
        # Gallrad entries: seq → the seq of the EntryRedacted that recorded the decision.
        self.redacted: dict[str, int] = {}

    class_version = 3

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        """A snapshot taken before two-party acts were tracked: none is known as pending, and a
        withdrawal recorded before then stays as the index shows it."""
        state.update(proposals={}, closers={}, recorded_on={})

    @staticmethod
    def upcast_v2_v3(state: dict[str, Any]) -> None:
        """A snapshot taken before gallring existed: nothing was gallrad."""
        state.update(redacted={})

    def __deepcopy__(self, memo: dict[int, Any]) -> Contract:
        # The repository copies every cached aggregate before a command; a full deepcopy of
        # a long index costs more than the whole decision, a copy of the two lists does not.
        clone = object.__new__(type(self))
        clone.__dict__.update(self.__dict__)
        clone.index = list(self.index)
        clone.corrected = list(self.corrected)
        clone.proposals = {seq: list(row) for seq, row in self.proposals.items()}
        clone.closers = dict(self.closers)
        clone.recorded_on = dict(self.recorded_on)
        clone.redacted = dict(self.redacted)
        clone._pending_events = list(self._pending_events)
        return clone

    # --- decisions ------------------------------------------------------------

    @classmethod
    def register(cls, event: ContractRegistered, actor: Actor, recorded_at: datetime, *,
                 link_version: int = LINK_VERSION) -> Contract:
        """Decide and record a new contract. ``link_version`` 1 only to re-record an entry of
        an old export (``api.export``): every new entry is linked over its payload's digest."""
        _check_role(event, actor)
        entry = event.model_dump(mode="json")
        body = entry_body(contract=event.ref, seq=1, recorded_at=recorded_at, actor=actor.name,
                          role=actor.role, event=entry, link_version=link_version)
        return cls._create(
            cls.Registered, id=contract_id(event.ref), timestamp=recorded_at, ref=event.ref,
            entry=entry, actor=actor.name, role=actor.role, prev_hash=GENESIS,
            hash=link(GENESIS, body), **_versioned(entry, link_version),
        )

    def record(self, event: Event, actor: Actor, recorded_at: datetime, *,
               link_version: int = LINK_VERSION) -> None:
        """Decide whether ``event`` may be recorded (raises a LedgerError if not), then record it."""
        self.decide(event, actor)
        entry = event.model_dump(mode="json")
        body = entry_body(contract=self.ref, seq=self.version + 1, recorded_at=recorded_at,
                          actor=actor.name, role=actor.role, event=entry, link_version=link_version)
        self.trigger_event(
            self.Recorded, timestamp=recorded_at, ref=self.ref, entry=entry, actor=actor.name,
            role=actor.role, prev_hash=self.head, hash=link(self.head, body),
            **_versioned(entry, link_version),
        )

    def decide(self, event: Event, actor: Actor) -> None:
        """Refuse what is impossible in the ledger's own terms (DOMAIN.md §2.1); judge nothing else."""
        if isinstance(event, ContractRegistered):
            raise ImpossibleAct(f"contract '{self.ref}' is already registered",
                                field="type", rule="registered_once")
        _check_role(event, actor)
        check_party(event, actor)
        reference = REFERENCES.get(event.type_name)
        if reference:
            self._check_reference(event, actor, *reference)
        if event.type_name == "EntryCorrected":
            self._check_correction(event, actor)
        elif event.type_name == "EntryRedacted":
            self._check_redaction(event)
        elif event.type_name == "AgreementAccepted":
            self._check_acceptance(event, actor)
        check_units(event, self.terms)
        if isinstance(event, AmendmentSigned):
            try:
                amend(Terms.model_validate(self.terms), event.changes)
            except ValueError as error:
                raise InvalidEvent(
                    f"changes: the amended terms would not be valid: {error}",
                    field="changes", rule="amended_terms_valid",
                ) from None
        for seq in getattr(event, "concerning_seqs", ()):
            self._row(seq, "concerning_seqs")

    def _row(self, seq: int, field: str) -> Sequence[Any]:
        if seq > len(self.index):
            raise ImpossibleAct(f"{field}: contract '{self.ref}' has no entry {seq}",
                                field=field, rule="reference_exists")
        return self.index[seq - 1]

    def _check_reference(self, event: Event, actor: Actor, field: str,
                         types: tuple[str, ...]) -> None:
        seq = getattr(event, field)
        row = self._row(seq, field)
        kind, _recorder, role, effective, closed = row
        if kind not in types or seq in self.corrected:
            what = "a corrected entry" if seq in self.corrected else f"a {kind}"
            raise ImpossibleAct(
                f"{field}: entry {seq} is {what}, not an effective {' or '.join(types)}",
                field=field, rule="reference_type",
            )
        if closed and event.type_name in _NEEDS_OPEN:
            raise ImpossibleAct(f"{field}: entry {seq} is already {closed}",
                                field=field, rule="reference_open")
        earliest = date.fromisoformat(effective)
        if event.type_name in _NOTIFIES_AHEAD and str(seq) in self.recorded_on:
            # A planned change may be notified from the day it was recorded (insyn, "i förväg").
            earliest = min(earliest, date.fromisoformat(self.recorded_on[str(seq)]))
        # An acceptance may carry an earlier date (agreed before it was written down): the
        # agreed effect applies from the later of the two dates (DOMAIN.md §2 principle 3).
        if event.effective_date < earliest and event.type_name != "AgreementAccepted":
            raise ImpossibleAct(
                f"effective_date: {event.effective_date} is before entry {seq} it refers to "
                f"({earliest})", field="effective_date", rule="reference_precedes",
            )
        if event.type_name == "DisputeWithdrawn" and role != actor.role:
            raise NotPermitted("only the party that raised the dispute may withdraw it",
                               field="dispute_seq", rule="raising_party_withdraws")

    def _check_correction(self, event: Any, actor: Actor) -> None:
        row = self._row(event.entry_seq, "entry_seq")
        if event.entry_seq == 1:
            raise ImpossibleAct("entry_seq: the registration cannot be corrected; amend the terms",
                                field="entry_seq", rule="registration_stands")
        if row[0] == "EntryCorrected":
            raise ImpossibleAct("entry_seq: a correction cannot itself be corrected",
                                field="entry_seq", rule="correct_original")
        if event.entry_seq in self.corrected:
            raise ImpossibleAct(f"entry_seq: entry {event.entry_seq} is already corrected",
                                field="entry_seq", rule="correct_once")
        if actor.role != "admin" and (row[1], row[2]) != (actor.name, actor.role):
            raise NotPermitted("only whoever recorded the entry, or an admin, may correct it",
                               field="entry_seq", rule="recorder_corrects")

    def _check_redaction(self, event: Any) -> None:
        """Gallring removes facts, never the terms or the ledger's own acts of correction
        and gallring, which the write state and every judgement are built on."""
        row = self._row(event.entry_seq, "entry_seq")
        if event.entry_seq == 1 or row[0] in _NOT_REDACTABLE:
            raise ImpossibleAct(
                f"entry_seq: entry {event.entry_seq} ({row[0]}) cannot be gallrad: the terms, "
                "corrections and gallring decisions must stay readable",
                field="entry_seq", rule="redactable_kind")
        if str(event.entry_seq) in self.redacted:
            raise ImpossibleAct(f"entry_seq: entry {event.entry_seq} is already gallrad",
                                field="entry_seq", rule="redact_once")

    def _check_acceptance(self, event: Any, actor: Actor) -> None:
        seq = event.proposal_seq
        kind = self.index[seq - 1][0]
        proposal = self.proposals.get(str(seq))
        if proposal is None:
            raise ImpossibleAct(
                f"proposal_seq: entry {seq} ({kind}) needs no acceptance: only an agreed notice "
                "period, a withdrawal of notice and a change of FTE allocation that requires "
                "agreement await the other party", field="proposal_seq", rule="needs_acceptance")
        party, accepted = proposal
        if accepted is not None:
            raise ImpossibleAct(f"proposal_seq: entry {seq} is already accepted (entry {accepted})",
                                field="proposal_seq", rule="accepted_once")
        if actor.role == party:
            raise NotPermitted(
                f"proposal_seq: entry {seq} is {PARTY_NAMES.get(party, party)}'s own act; only "
                f"the other party ({PARTY_NAMES[other_party(party)]}) can accept it",
                field="proposal_seq", rule="other_party_accepts")
        if kind == "TerminationNoticeWithdrawn":
            notice = self.closers.get(str(seq))
            if notice is not None and self.index[notice - 1][4]:
                raise ImpossibleAct(f"proposal_seq: notice {notice} is already withdrawn",
                                    field="proposal_seq", rule="reference_open")

    # --- evolution: assign state only ------------------------------------------

    def _evolve(self, recorded: Contract.Recorded) -> None:
        entry = recorded.entry
        kind = entry["type"]
        self.head = recorded.hash
        self.index.append((kind, recorded.actor, recorded.role, entry["effective_date"], None))
        seq = str(len(self.index))
        if "redacted" in entry:  # gallrad: its content is gone and it counts for nothing
            return
        if kind in _CLOSES:
            self.closers[seq] = entry[REFERENCES[kind][0]]
            self._label(self.closers[seq], _CLOSES[kind])
        elif kind in ("EntryCorrected", "EntryRedacted"):
            if entry["entry_seq"] not in self.corrected:
                self.corrected.append(entry["entry_seq"])
                self._undo(entry["entry_seq"])
            if kind == "EntryRedacted":
                # As if replayed from the gallrad stub, which records nothing of its own.
                gone = str(entry["entry_seq"])
                self.redacted[gone] = int(seq)
                for rows in (self.closers, self.proposals, self.recorded_on):
                    rows.pop(gone, None)
        elif kind == "AmendmentSigned":
            self.terms = merge_patch(self.terms, entry["changes"])
        elif kind == "AgreementAccepted":
            proposal = str(entry["proposal_seq"])
            if proposal in self.proposals:  # absent only under a version-1 snapshot
                self.proposals[proposal][1] = int(seq)
            if proposal in self.closers:  # an accepted withdrawal closes its notice
                self._label(self.closers[proposal], "withdrawn")
        if needs_acceptance(entry, self.terms):
            self.proposals[seq] = [entry.get("by") or recorded.role, None]
        if kind == "TerminationNoticeWithdrawn":
            self.closers[seq] = entry["notice_seq"]
        elif kind in ("StaffingChanged", "PremisesChanged"):
            self.recorded_on[seq] = recorded.timestamp.astimezone(_STOCKHOLM).date().isoformat()

    def _label(self, seq: int, closed: str | None) -> None:
        self.index[seq - 1] = (*self.index[seq - 1][:4], closed)

    def _undo(self, seq: int) -> None:
        """A corrected entry blocks nothing: what it closed or accepted is open again."""
        kind, key = self.index[seq - 1][0], str(seq)
        if kind in _CLOSES and key in self.closers:
            self._label(self.closers[key], None)
        elif kind == "AgreementAccepted":
            proposal = next((p for p, row in self.proposals.items() if row[1] == seq), None)
            if proposal is not None:
                self.proposals[proposal][1] = None
                if proposal in self.closers:
                    self._label(self.closers[proposal], None)
        elif kind == "TerminationNoticeWithdrawn" and self.proposals.get(key, [None, None])[1]:
            self._label(self.closers[key], None)


# Entries whose content the write state or every judgement rests on (see _check_redaction).
_NOT_REDACTABLE = frozenset({"ContractRegistered", "AmendmentSigned", "EntryCorrected",
                             "EntryRedacted"})


def _versioned(entry: dict[str, Any], link_version: int) -> dict[str, Any]:
    """The envelope fields a version-2 entry is stored with; none for version 1."""
    if link_version == 1:
        return {}
    return {"link_version": link_version, "event_sha256": event_digest(entry)}


def _check_role(event: Event, actor: Actor) -> None:
    allowed = RECORDERS[event.type_name]
    if actor.role not in allowed:
        raise NotPermitted(
            f"role '{actor.role}' may not record {event.type_name}; "
            f"it is recorded by {' or '.join(sorted(allowed))} (DOMAIN.md §5)",
            field="type", rule="role_may_record",
        )

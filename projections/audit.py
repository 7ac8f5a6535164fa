"""``verify --read-models``: the read models and the snapshots checked against the entries.

Hash links prove the entries; nothing proved what the API *serves* from the read models
or what decisions start from (snapshots). This judges every contract again from its
entries (the same ``judge`` the projection and rebuild use, on the day the view judged
it) and compares what the view holds, row by row: the audit trail, the contract row, each
obligation and deviation, and each obligation as the cross-contract list serves it. Each
snapshot is compared with the contract replayed from its events up to the snapshot's
version. The first difference is named.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import orjson

from domain.contract import Contract, contract_id
from domain.ledger import Ledger
from projections.judgement import judge
from projections.rows import open_doc
from projections.views import ReadModelView

EVERYTHING = date(9999, 12, 31)


@dataclass(frozen=True)
class ReadModelReport:
    ok: bool
    contracts: int
    snapshots: int
    problem: str | None = None
    pending: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "contracts": self.contracts, "snapshots": self.snapshots,
                "pending": self.pending, **({"problem": self.problem} if self.problem else {})}


def verify_read_models(view: ReadModelView, ledger: Ledger) -> ReadModelReport:
    """Compare the view and the snapshots with the entries; the first difference, if any."""
    rows = {row.ref: row for row in view.contract_rows()}
    pending = set(view.pending())
    refs = sorted(set(rows) | {ref for ref, in view._select("SELECT DISTINCT ref FROM {rm_entries}",
                                                             tuples=True)})
    checked = 0
    for ref in refs:
        problem = _contract_problem(view, ledger, ref, rows.get(ref), ref in pending)
        if problem:
            return ReadModelReport(False, checked, 0, f"read models: contract '{ref}': {problem}",
                                   len(pending))
        checked += 1
    snapshots = 0
    for ref in refs:
        problem, count = _snapshot_problem(ledger, ref)
        snapshots += count
        if problem:
            return ReadModelReport(False, checked, snapshots, f"snapshot of '{ref}': {problem}",
                                   len(pending))
    return ReadModelReport(True, checked, snapshots, pending=len(pending))


def _contract_problem(view: ReadModelView, ledger: Ledger, ref: str, row: Any,
                      pending: bool) -> str | None:
    stored = ledger.entries(ref)
    shown = view.entries(ref)
    for entry, expected in zip(shown, stored, strict=False):
        if entry != expected:
            return f"audit trail entry {expected.seq} differs from the ledger's"
    if len(shown) > len(stored):
        return f"audit trail holds entry {shown[len(stored)].seq}, which the ledger does not"
    if pending:
        return None  # entries in, judgement to come: nothing judged to compare yet
    if row is None:
        return "no contract row although its entries are in the view" if shown else None
    if row.version > len(shown):
        return f"the contract row is at version {row.version}, its audit trail at {len(shown)}"
    expected = judge(stored[:row.version], today=row.judged_on)
    if row != expected.contract:
        field = next((f for f in row.__dataclass_fields__
                      if getattr(row, f) != getattr(expected.contract, f)), "?")
        return f"contract row: {field} differs from what its entries give"
    served = sorted(view.obligations(ref, arisen_by=EVERYTHING), key=_order)
    judged = sorted(expected.obligations, key=_order)
    if served != judged:
        theirs = {o.id: o for o in judged}
        for o in served:
            if theirs.pop(o.id, None) != o:
                return f"obligation {o.id} differs from what the entries give"
        return f"obligation {next(iter(theirs), '?')} is missing"
    docs = {oid: _doc(doc) for oid, doc in view._select(
        "SELECT id, doc FROM {rm_obligations} WHERE ref = ?", (ref,), tuples=True)}
    for o in judged:
        if docs.get(o.id) != orjson.loads(open_doc(ref, o)):
            return f"obligation {o.id} as listed across contracts differs from what the entries give"
    deviations = view.deviations(ref, since_by=EVERYTHING)
    if deviations != expected.deviations:
        n = next((i for i, (a, b) in enumerate(zip(deviations, expected.deviations, strict=False))
                  if a != b), min(len(deviations), len(expected.deviations)))
        return f"deviation {n + 1} differs from what the entries give"
    return None


def _snapshot_problem(ledger: Ledger, ref: str) -> tuple[str | None, int]:
    if ledger.snapshots is None:
        return None, 0
    count = 0
    for snapshot in ledger.snapshots.get(contract_id(ref)):
        count += 1
        stored: Contract = snapshot.mutate(None)  # type: ignore[assignment]
        replayed: Any = None
        for event in ledger.events.get(contract_id(ref), lte=snapshot.originator_version):
            replayed = event.mutate(replayed)
        if _state(stored) != _state(replayed):
            return (f"the snapshot at version {snapshot.originator_version} differs from the "
                    "contract replayed from its entries", count)
    return None, count


def _state(contract: Contract) -> Any:
    state = {k: v for k, v in vars(contract).items() if not k.startswith("_")}
    # As stored: tuples come back from a snapshot as lists.
    return orjson.loads(orjson.dumps({**state, "version": contract.version}, default=str))


def _doc(value: Any) -> Any:
    return orjson.loads(value) if isinstance(value, bytes | str | memoryview) else value


def _order(obligation: Any) -> tuple[date, str]:
    return obligation.due or date.max, obligation.id

"""The rows of judged contracts, written across the contracts, obligations and deviations models.

``_replace`` writes a batch of judgements in the caller's transaction, touching only the rows
that changed; ``judged_rows``/``write_judged`` carry rows judged in another process (a
rebuild's forked child) as plain values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from domain.rules.model import Deviation, Obligation
from projections.audit_trail import AuditTrail
from projections.contracts import Contracts
from projections.deviations import Deviations
from projections.judgement import Judgement
from projections.obligations import Obligations


@dataclass(frozen=True, slots=True)
class JudgedRows:
    """The contract, obligation and deviation rows of judged contracts, encoded for a view's
    engine (``judged_rows``): plain values, cheap to pickle to another process."""

    versions: list[tuple[str, int]]  # (ref, the last seq judged)
    contracts: list[tuple[Any, ...]]
    obligations: list[list[Any]]
    deviations: list[list[Any]]

    def without(self, refs: set[str]) -> JudgedRows:
        return JudgedRows([v for v in self.versions if v[0] not in refs],
                          [c for c in self.contracts if c[0] not in refs],
                          [o for o in self.obligations if o[0] not in refs],
                          [d for d in self.deviations if d[0] not in refs])


class JudgementWriter(AuditTrail, Contracts, Obligations, Deviations):
    """Writes judgements; the view (``views.ReadModelView``) gives ``_writing`` and
    ``_locked_position``."""

    _written: Any
    _unconfirmed: dict[str, Any]

    def _writing(self) -> Any:
        raise NotImplementedError

    def _locked_position(self, cursor: Any) -> int:
        raise NotImplementedError

    def _replace(self, cursor: Any, judgements: Sequence[Judgement]) -> None:
        """Replace the contract, obligation and deviation rows of the judged contracts.

        The rows this view last wrote for a contract are remembered with the version and day
        they were judged on; when the stored contract row still shows that version and day,
        the stored rows are those (a judgement is a function of the entries and the day, and
        entries are never changed), so only the obligations and deviations that differ are
        deleted and inserted. Otherwise (another process, a rebuild) everything is replaced."""
        written = self._written
        full: list[tuple[str]] = []
        drop_obligations: list[tuple[str, Any]] = []
        drop_deviations: list[tuple[str, int]] = []
        obligations: list[list[Any]] = []
        deviations: list[list[Any]] = []
        fresh: dict[str, tuple[Any, dict[str, tuple[Obligation, list[Any]]],
                               dict[int, tuple[Deviation, list[Any]]]]] = {}
        for j in judgements:
            ref = j.contract.ref
            known = written.pop(ref, None)
            if known is not None and self._judged_stamp(cursor, ref) != known[0]:
                known = None
            old_o, old_d = (known[1], known[2]) if known is not None else ({}, {})
            # An obligation or deviation equal to the one last written keeps its row: most of a
            # contract's are the very objects judged before (``judge(previous=)``).
            o_rows: dict[str, tuple[Obligation, list[Any]]] = {}
            for o in j.obligations:
                old = old_o.get(o.id)
                o_rows[o.id] = old if old is not None and (old[0] is o or old[0] == o) else \
                    (o, self._obligation_row(ref, o))
            d_rows: dict[int, tuple[Deviation, list[Any]]] = {}
            for n, dev in enumerate(j.deviations):
                old_dev = old_d.get(n)
                d_rows[n] = old_dev if old_dev is not None and (old_dev[0] is dev or old_dev[0] == dev) \
                    else (dev, self._deviation_row(ref, n, dev))
            if known is None:
                full.append((ref,))
                obligations.extend(row for _, row in o_rows.values())
                deviations.extend(row for _, row in d_rows.values())
            else:
                drop_obligations.extend((ref, key) for key, old in old_o.items()
                                        if o_rows.get(key) is not old)
                obligations.extend(new[1] for key, new in o_rows.items() if old_o.get(key) is not new)
                drop_deviations.extend((ref, n) for n, old in old_d.items() if d_rows.get(n) is not old)
                deviations.extend(new[1] for n, new in d_rows.items() if old_d.get(n) is not new)
            fresh[ref] = ((j.contract.version, str(self._encode_date(j.contract.judged_on))), o_rows, d_rows)
        refs = [(j.contract.ref,) for j in judgements]
        self._delete_rows(cursor, ("rm_contracts", "rm_pending"), refs)
        if full:
            self._delete_rows(cursor, ("rm_obligations", "rm_deviations"), full)
        self._delete_obligations(cursor, drop_obligations)
        self._delete_deviations(cursor, drop_deviations)
        self._insert_judged(cursor, JudgedRows([(j.contract.ref, j.contract.version) for j in judgements],
                                               [self._contract_values(j.contract) for j in judgements],
                                               obligations, deviations))
        # Remembered only once this transaction commits (see ``_writing``).
        self._unconfirmed.update(fresh)

    def _delete_rows(self, cursor: Any, tables: Sequence[str], refs: list[tuple[str]]) -> None:
        for name in tables:
            cursor.executemany(self._sql(f"DELETE FROM {{{name}}} WHERE ref = ?"), refs)

    def judged_rows(self, judgements: Sequence[Judgement]) -> JudgedRows:
        """The rows of ``judgements`` as ``_replace`` writes them whole; no database needed."""
        obligations, deviations = [], []
        for j in judgements:
            ref = j.contract.ref
            obligations.extend(self._obligation_row(ref, o) for o in j.obligations)
            deviations.extend(self._deviation_row(ref, n, d) for n, d in enumerate(j.deviations))
        return JudgedRows([(j.contract.ref, j.contract.version) for j in judgements],
                          [self._contract_values(j.contract) for j in judgements], obligations, deviations)

    def write_judged(self, judged: JudgedRows) -> int:
        """Write rows judged elsewhere (``judged_rows``) for the contracts whose entries in the view
        are still exactly those judged; one transaction. Returns how many were written; the
        others stay as they were (pending, for ``judge_pending``)."""
        with self._writing() as cursor:
            self._locked_position(cursor)
            stale = {ref for ref, version in judged.versions if self._last_seq(cursor, ref) != version}
            if stale:
                judged = judged.without(stale)
            self._delete_rows(cursor, ("rm_contracts", "rm_pending", "rm_obligations", "rm_deviations"),
                              [(ref,) for ref, _ in judged.versions])
            self._insert_judged(cursor, judged)
            for ref, _ in judged.versions:
                self._written.pop(ref, None)
        return len(judged.versions)

    def _insert_judged(self, cursor: Any, judged: JudgedRows) -> None:
        self._insert_contracts(cursor, judged.contracts)
        self._insert_obligations(cursor, judged.obligations)
        self._insert_deviations(cursor, judged.deviations)

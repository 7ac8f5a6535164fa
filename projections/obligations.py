"""The obligations read model: ``rm_obligations``, every obligation arisen up to a contract's horizon.

Its DDL, its rows (one column per field of ``domain.rules.model.Obligation``, ``closed_on``
for the open-on-a-day range, and ``doc``: the row as GET /obligations serves it,
``rows.open_doc``), its writer and its readers (per contract; open across contracts).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from operator import itemgetter
from typing import Any

from domain.rules.model import Obligation
from projections.base import Types, ViewBase, columns, placeholders
from projections.contracts import STAMP, ContractStamp, stamp_of
from projections.rows import OBLIGATIONS, gc_paused, open_doc

TABLES = ("rm_obligations",)
_DOC_KEY = itemgetter(0, 1, 2)  # an open-obligation document's order: due, ref, id


def table_ddl(t: Types) -> list[str]:
    # closed_on: the first of fulfilled_on and void_on (9999-12-31 if neither): open on D ⇔ closed_on > D.
    return [f"CREATE TABLE IF NOT EXISTS {t.table('rm_obligations')} (ref TEXT NOT NULL, "
            f"{columns(OBLIGATIONS.sql_types(t.date, t.int))}, closed_on {t.date}, "
            f"doc {t.blob} NOT NULL, PRIMARY KEY (ref, id))"]


def index_ddl(t: Types) -> list[str]:
    # The cross-contract query ranges over the rows still open on D (their number stays bounded,
    # closed ones pile up) and tests every other filter in the index, so only the rows it
    # serves are read from the table.
    return [f"CREATE INDEX IF NOT EXISTS rm_obligations_open ON {t.table('rm_obligations')} "
            "(closed_on, arises_on, due, holder)"]


def obligation_order(obligation: Obligation) -> tuple[date, str]:
    """By due date (none last), then id: the same on every engine."""
    return obligation.due or date.max, obligation.id


def _closed_on(obligation: Obligation, encode_date: Callable[[date], Any]) -> Any:
    # Never null (date.max while open), so "open on D" is one index range: closed_on > D.
    closed = [d for d in (obligation.fulfilled_on, obligation.void_on) if d is not None]
    return encode_date(min(closed, default=date.max))


class Obligations(ViewBase):
    """``rm_obligations``."""

    # --- writer --------------------------------------------------------------------------

    def _obligation_row(self, ref: str, o: Obligation) -> list[Any]:
        return [ref, *self._obligation_codec[0](o), _closed_on(o, self._encode_date), open_doc(ref, o)]

    def _insert_obligations(self, cursor: Any, rows: Sequence[list[Any]]) -> None:
        if rows:
            names = ", ".join(f'"{n}"' for n in OBLIGATIONS.names)
            cursor.executemany(self._sql(f"INSERT INTO {{rm_obligations}} (ref, {names}, closed_on, doc) "
                                         f"VALUES (?, {placeholders(len(OBLIGATIONS.names))}, ?, ?)"), rows)

    def _delete_obligations(self, cursor: Any, keys: Sequence[tuple[str, Any]]) -> None:
        if keys:
            cursor.executemany(self._sql("DELETE FROM {rm_obligations} WHERE ref = ? AND id = ?"), keys)

    # --- readers -------------------------------------------------------------------------

    def obligations(self, ref: str, *, arisen_by: date) -> list[Obligation]:
        names = ", ".join(f'"{n}"' for n in OBLIGATIONS.names)
        rows = self._select(f"SELECT {names} FROM {{rm_obligations}} WHERE ref = ? AND arises_on <= ?",
                            (ref, self._encode_date(arisen_by)), tuples=True)
        return sorted(map(self._obligation_codec[1], rows), key=obligation_order)

    def stored_obligations(self, ref: str) -> tuple[ContractStamp | None, list[Obligation]]:
        """Every stored obligation of ``ref``, in ``obligation_order``, and the stamp of the contract
        row they were written with (one snapshot)."""
        names = ", ".join(f'"{n}"' for n in OBLIGATIONS.names)
        with self._transaction(commit=False) as cursor:
            stamps = self._fetch(cursor, self._sql(STAMP), (ref,))
            rows = self._fetch(cursor, self._sql(f"SELECT {names} FROM {{rm_obligations}} WHERE ref = ?"),
                               (ref,))
        with gc_paused(len(rows)):
            found = sorted(map(self._obligation_codec[1], rows), key=obligation_order)
        return (stamp_of(stamps[0]) if stamps else None), found

    def open_obligations(self, *, as_of: date, status: str | None = None, due_before: date | None = None,
                         holder: str | None = None, due_after: date | None = None,
                         ref: str | None = None) -> list[tuple[str, Obligation]]:
        """Obligations open or overdue on ``as_of`` across contracts: one indexed query."""
        names = ", ".join(f'"{n}"' for n in OBLIGATIONS.names)
        where, params = self._open_where(as_of, status, due_before, holder, due_after, ref)
        decode = self._obligation_codec[1]
        return [(row[0], decode(row[1:]))
                for row in self._select(f"SELECT ref, {names} FROM {{rm_obligations}} {where}", params,
                                        tuples=True)]

    def open_obligation_docs(self, *, as_of: date, status: str | None = None, due_before: date | None = None,
                             holder: str | None = None, due_after: date | None = None,
                             ref: str | None = None) -> list[tuple[Any, str, str, bytes, Any]]:
        """As ``open_obligations``, but as served: (due, ref, id, stored ``open_doc``, whether
        overdue on ``as_of``), in ``open_obligations`` order (due, none last as 9999-12-31; ref;
        id). Sorted here, on the keys: the engine's sort would move every document."""
        where, params = self._open_where(as_of, status, due_before, holder, due_after, ref)
        text = f"SELECT COALESCE(due, ?), ref, id, doc, due < ? FROM {{rm_obligations}} {where}"
        found = self._select(text, [self._encode_date(date.max), self._encode_date(as_of), *params],
                             tuples=True)
        found.sort(key=_DOC_KEY)
        return found

    def _open_where(self, as_of: date, status: str | None, due_before: date | None,
                    holder: str | None, due_after: date | None = None,
                    ref: str | None = None) -> tuple[str, list[Any]]:
        # Every term is a column of rm_obligations_open, led by the range closed_on > D.
        day = self._encode_date(as_of)
        text = "WHERE closed_on > ? AND arises_on <= ?"
        params: list[Any] = [day, day]
        if status == "overdue":
            text += " AND due < ?"
            params.append(day)
        elif status == "open":
            text += " AND (due IS NULL OR due >= ?)"
            params.append(day)
        for value, term in ((due_before, " AND due < ?"), (due_after, " AND due > ?")):
            if value is not None:
                text += term
                params.append(self._encode_date(value))
        for value, term in ((holder, " AND holder = ?"), (ref, " AND ref = ?")):
            if value is not None:
                text += term
                params.append(value)
        return text, params

    @property
    def _obligation_codec(self) -> Any:
        codec = self.__dict__.get("_obligation_codec_")
        if codec is None:
            decode_date = date.fromisoformat if self.placeholder == "?" else None
            codec = self.__dict__["_obligation_codec_"] = (OBLIGATIONS.encoder(self._encode_date),
                                                           OBLIGATIONS.decoder(decode_date))
        return codec

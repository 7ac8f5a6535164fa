"""What every read-model table module shares: the engine's dialect and its plain reads.

``ReadModelView`` (``views``) is one tracking recorder built from one mixin per read model
(``audit_trail``, ``contracts``, ``obligations``, ``deviations``); each mixin owns its tables'
DDL, its writes and its reads, and uses only the hooks below, which the engine classes fill.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

APPLICATION = "Ledger"
NAME = "rm"  # the tables' prefix, and of the view's environment keys (RM_SQLITE_DBNAME)


@dataclass(frozen=True)
class Types:
    """Column types and table names of one engine, for a module's DDL."""

    date: str
    int: str
    instant: str
    blob: str
    table: Callable[[str], str]
    clustered: str = ""  # SQLite: the audit trail stored in key order (WITHOUT ROWID)


class ViewBase:
    """The engine hooks the table mixins use (filled by the engine classes in ``views``)."""

    placeholder = "?"
    application = APPLICATION  # the tracking row's name: a rebuild's fresh view has its own

    def table(self, name: str) -> str:
        return name

    def _tables(self) -> tuple[str, ...]:
        raise NotImplementedError

    def _encode_date(self, value: date) -> Any:
        return value

    def _encode_instant(self, value: datetime) -> Any:
        return value

    def _transaction(self, *, commit: bool) -> Any:
        raise NotImplementedError

    def _fetch(self, cursor: Any, text: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        """Rows as plain tuples (faster than the library's named rows)."""
        raise NotImplementedError

    @property
    def instants_as_text(self) -> bool:
        """Whether audit rows hold their instant as ``iso_instant`` text (SQLite)."""
        return self.placeholder == "?"

    def _sql(self, text: str) -> str:
        for name in self._tables():
            text = text.replace("{" + name + "}", self.table(name))
        return text if self.placeholder == "?" else text.replace("?", self.placeholder)

    def _select(self, text: str, params: Sequence[Any] = (), *, tuples: bool = False) -> list[Any]:
        with self._transaction(commit=False) as cursor:
            if tuples:
                return self._fetch(cursor, self._sql(text), params)
            cursor.execute(self._sql(text), params)
            return list(cursor.fetchall())


def columns(pairs: Sequence[tuple[str, str]]) -> str:
    return ", ".join(f'"{name}" {kind}' for name, kind in pairs)


def placeholders(n: int) -> str:
    return ", ".join("?" * n)

"""The contracts read model: ``rm_contracts`` (one row per contract, as judged) and ``rm_pending``
(contracts whose entries are in the view but not yet judged).

Its DDL, its writer (rows of judged contracts, pending marks) and its readers (the list, one
contract, the stamp saying which entries and day a contract's stored rows reflect).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import orjson

from projections.base import Types, ViewBase, placeholders
from projections.judgement import ContractRow

TABLES = ("rm_contracts", "rm_pending")
CONTRACT_COLUMNS = ("ref", "title", "diarienummer", "status", "version", "terms", "in_force_from",
                    "horizon", "judged_on", "base_terms", "amendments", "last_recorded_at")
STAMP = "SELECT ref, version, horizon, judged_on, last_recorded_at FROM {rm_contracts} WHERE ref = ?"


def table_ddl(t: Types) -> list[str]:
    return [
        f"CREATE TABLE IF NOT EXISTS {t.table('rm_contracts')} ("
        f"ref TEXT PRIMARY KEY, title TEXT NOT NULL, diarienummer TEXT, status TEXT NOT NULL, "
        f"version {t.int} NOT NULL, terms TEXT NOT NULL, in_force_from {t.date} NOT NULL, "
        f"horizon {t.date} NOT NULL, judged_on {t.date} NOT NULL, base_terms TEXT NOT NULL, "
        f"amendments TEXT NOT NULL, last_recorded_at {t.instant} NOT NULL)",
        f"CREATE TABLE IF NOT EXISTS {t.table('rm_pending')} (ref TEXT PRIMARY KEY)",
    ]


def index_ddl(t: Types) -> list[str]:
    # Reads beyond the horizon look for the contracts it stops short of (rows of ~12 kB each
    # to scan without it).
    return [f"CREATE INDEX IF NOT EXISTS rm_contracts_horizon ON {t.table('rm_contracts')} (horizon)"]


@dataclass(frozen=True, slots=True)
class ContractStamp:
    """The columns of a contract row that say which entries and stored rows it reflects."""

    ref: str
    version: int
    horizon: date
    judged_on: date
    last_recorded_at: datetime


class Contracts(ViewBase):
    """``rm_contracts`` and ``rm_pending``."""

    # --- writer --------------------------------------------------------------------------

    def _contract_values(self, row: ContractRow) -> tuple[Any, ...]:
        date_ = self._encode_date
        return (row.ref, row.title, row.diarienummer, row.status, row.version, _json(row.terms),
                date_(row.in_force_from), date_(row.horizon), date_(row.judged_on), _json(row.base_terms),
                _json(row.amendments), self._encode_instant(row.last_recorded_at))

    def _insert_contracts(self, cursor: Any, rows: Sequence[tuple[Any, ...]]) -> None:
        cursor.executemany(self._sql(f"INSERT INTO {{rm_contracts}} ({', '.join(CONTRACT_COLUMNS)}) "
                                     f"VALUES ({placeholders(len(CONTRACT_COLUMNS))})"), rows)

    def _mark_pending(self, cursor: Any, refs: Iterable[str]) -> None:
        cursor.executemany(self._sql("INSERT INTO {rm_pending} (ref) VALUES (?) "
                                     "ON CONFLICT (ref) DO NOTHING"), [(ref,) for ref in refs])

    def _judged_stamp(self, cursor: Any, ref: str) -> tuple[int, str] | None:
        """(version, judged_on as text) of the stored row, in the writer's transaction."""
        cursor.execute(self._sql("SELECT version, judged_on FROM {rm_contracts} WHERE ref = ?"), (ref,))
        row = cursor.fetchone()
        return None if row is None else (row["version"], str(row["judged_on"]))

    # --- readers -------------------------------------------------------------------------

    def contract_rows(self) -> list[ContractRow]:
        rows = self._select(f"SELECT {', '.join(CONTRACT_COLUMNS)} FROM {{rm_contracts}}")
        return [_contract_of_row(row) for row in rows]

    def contract_stamp(self, ref: str) -> ContractStamp | None:
        """What reads of a contract's entries and obligations need of its row: not its terms."""
        rows = self._select(STAMP, (ref,), tuples=True)
        return stamp_of(rows[0]) if rows else None

    def contract_row(self, ref: str) -> ContractRow | None:
        rows = self._select(f"SELECT {', '.join(CONTRACT_COLUMNS)} FROM {{rm_contracts}} WHERE ref = ?",
                            (ref,))
        return _contract_of_row(rows[0]) if rows else None

    def refs_beyond_horizon(self, as_of: date) -> list[str]:
        """Contracts whose stored obligations stop before ``as_of``."""
        return [row["ref"] for row in self._select("SELECT ref FROM {rm_contracts} WHERE horizon < ?",
                                                   (self._encode_date(as_of),))]

    def pending(self) -> list[str]:
        """Contracts whose entries are in the view but not yet judged (a catch-up in progress)."""
        return [row["ref"] for row in self._select("SELECT ref FROM {rm_pending} ORDER BY ref")]


def _json(value: Any) -> str:
    return orjson.dumps(value).decode()


def _date(value: Any) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _instant(value: Any) -> datetime:
    return datetime.fromisoformat(value) if isinstance(value, str) else value.astimezone(UTC)


def stamp_of(row: Sequence[Any]) -> ContractStamp:
    ref, version, horizon, judged_on, recorded = row
    return ContractStamp(ref, version, _date(horizon), _date(judged_on), _instant(recorded))


def _contract_of_row(row: Any) -> ContractRow:
    return ContractRow(
        ref=row["ref"], title=row["title"], diarienummer=row["diarienummer"], status=row["status"],
        version=row["version"], terms=orjson.loads(row["terms"]),
        in_force_from=_date(row["in_force_from"]), horizon=_date(row["horizon"]),
        judged_on=_date(row["judged_on"]), base_terms=orjson.loads(row["base_terms"]),
        amendments=orjson.loads(row["amendments"]), last_recorded_at=_instant(row["last_recorded_at"]))

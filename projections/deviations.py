"""The deviations read model: ``rm_deviations``, every deviation of a contract begun up to its horizon.

Its DDL, its rows (one column per field of ``domain.rules.model.Deviation``), and its reader.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from domain.rules.model import Deviation
from projections.base import Types, ViewBase, columns, placeholders
from projections.rows import DEVIATIONS

TABLES = ("rm_deviations",)


def table_ddl(t: Types) -> list[str]:
    return [f"CREATE TABLE IF NOT EXISTS {t.table('rm_deviations')} (ref TEXT NOT NULL, n {t.int} NOT NULL, "
            f"{columns(DEVIATIONS.sql_types(t.date, t.int))}, PRIMARY KEY (ref, n))"]


def index_ddl(t: Types) -> list[str]:
    return []


class Deviations(ViewBase):
    """``rm_deviations``: row n of a contract is its n-th deviation as judged."""

    def _deviation_row(self, ref: str, n: int, deviation: Deviation) -> list[Any]:
        return [ref, n, *self._deviation_codec[0](deviation)]

    def _insert_deviations(self, cursor: Any, rows: Sequence[list[Any]]) -> None:
        if rows:
            names = ", ".join(f'"{n}"' for n in DEVIATIONS.names)
            cursor.executemany(self._sql(f"INSERT INTO {{rm_deviations}} (ref, n, {names}) "
                                         f"VALUES (?, ?, {placeholders(len(DEVIATIONS.names))})"), rows)

    def _delete_deviations(self, cursor: Any, keys: Sequence[tuple[str, int]]) -> None:
        if keys:
            cursor.executemany(self._sql("DELETE FROM {rm_deviations} WHERE ref = ? AND n = ?"), keys)

    def deviations(self, ref: str, *, since_by: date) -> list[Deviation]:
        names = ", ".join(f'"{n}"' for n in DEVIATIONS.names)
        rows = self._select(f"SELECT {names} FROM {{rm_deviations}} WHERE ref = ? AND since <= ? "
                            "ORDER BY n", (ref, self._encode_date(since_by)), tuples=True)
        decode = self._deviation_codec[1]
        return [decode(row) for row in rows]

    @property
    def _deviation_codec(self) -> Any:
        codec = self.__dict__.get("_deviation_codec_")
        if codec is None:
            decode_date = date.fromisoformat if self.placeholder == "?" else None
            codec = self.__dict__["_deviation_codec_"] = (DEVIATIONS.encoder(self._encode_date),
                                                          DEVIATIONS.decoder(decode_date))
        return codec

"""Rows of the read models: rule values and audit entries to table rows and back.

The obligation and deviation tables have one column per field of the rules'
dataclasses (``domain.rules.model``), derived from their type hints, so a field
the rules add later gets its column without a second list to keep in step.
Dates go in as dates, citations and tuples as JSON text (orjson).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any, Literal

import orjson
from pydantic import BaseModel

from domain.contract import Entry
from domain.rules.model import Deviation, Obligation

Kind = Literal["date", "int", "bool", "text", "model", "tuple", "json"]


def _kind(hint: Any) -> tuple[Kind, Any]:
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    if typing.get_origin(hint) in (typing.Union, types.UnionType) and len(args) == 1:
        hint = args[0]
    if hint is date:
        return "date", None
    if hint is bool:
        return "bool", None
    if hint is int:
        return "int", None
    if hint is str or typing.get_origin(hint) is Literal:
        return "text", None
    if isinstance(hint, type) and issubclass(hint, BaseModel):
        return "model", hint
    if typing.get_origin(hint) is tuple:
        return "tuple", None
    return "json", None


@dataclasses.dataclass(frozen=True)
class Codec:
    """Columns of one rules dataclass, and the conversions to and from a row."""

    cls: type
    columns: tuple[tuple[str, Kind, Any], ...]

    @classmethod
    def of(cls, value_class: type) -> Codec:
        hints = typing.get_type_hints(value_class)
        return cls(value_class, tuple((f.name, *_kind(hints[f.name]))
                                      for f in dataclasses.fields(value_class)))

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for name, _, _ in self.columns)

    def sql_types(self, date_type: str, int_type: str) -> list[tuple[str, str]]:
        kinds = {"date": date_type, "int": int_type, "bool": int_type}
        return [(name, kinds.get(kind, "TEXT")) for name, kind, _ in self.columns]

    def to_row(self, value: Any, encode_date: Callable[[date], Any]) -> list[Any]:
        row = []
        for name, kind, _ in self.columns:
            item = getattr(value, name)
            if item is None:
                row.append(None)
            elif kind == "date":
                row.append(encode_date(item))
            elif kind == "bool":
                row.append(int(item))
            elif kind == "model":
                row.append(orjson.dumps(item.model_dump(mode="json")).decode())
            elif kind in ("tuple", "json"):
                row.append(orjson.dumps(item, default=_json_default).decode())
            else:
                row.append(item)
        return row

    def from_row(self, row: Any) -> Any:
        values = {}
        for name, kind, model in self.columns:
            item = row[name]
            if item is None:
                values[name] = None
            elif kind == "date":
                values[name] = date.fromisoformat(item) if isinstance(item, str) else item
            elif kind == "bool":
                values[name] = bool(item)
            elif kind == "model":
                values[name] = model.model_validate(orjson.loads(item))
            elif kind == "tuple":
                values[name] = tuple(orjson.loads(item))
            elif kind == "json":
                values[name] = orjson.loads(item)
            else:
                values[name] = item
        return self.cls(**values)


def _json_default(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    raise TypeError(type(value).__name__)


OBLIGATIONS = Codec.of(Obligation)
DEVIATIONS = Codec.of(Deviation)

# The audit trail, in the order of its columns.
ENTRY_COLUMNS = ("ref", "seq", "notification_id", "type", "effective_date", "recorded_at",
                 "actor", "role", "data", "prev_hash", "hash")


def entry_row(notification_id: int, entry: Entry, encode_date: Callable[[date], Any],
              encode_instant: Callable[[datetime], Any]) -> tuple[Any, ...]:
    return (entry.contract, entry.seq, notification_id, entry.type,
            encode_date(entry.effective_date), encode_instant(entry.recorded_at), entry.actor,
            entry.role, orjson.dumps(entry.data).decode(), entry.prev_hash, entry.hash)


def entry_of_row(row: Any) -> Entry:
    effective = row["effective_date"]
    recorded = row["recorded_at"]
    return Entry(
        contract=row["ref"],
        seq=row["seq"],
        type=row["type"],
        effective_date=date.fromisoformat(effective) if isinstance(effective, str) else effective,
        recorded_at=(datetime.fromisoformat(recorded) if isinstance(recorded, str)
                     else recorded.astimezone(UTC)),
        actor=row["actor"],
        role=row["role"],
        data=orjson.loads(row["data"]),
        prev_hash=row["prev_hash"],
        hash=row["hash"],
    )


def iso_instant(value: datetime) -> str:
    """A UTC instant as fixed-width ISO text, so that text order is time order (SQLite)."""
    return value.astimezone(UTC).isoformat(timespec="microseconds")

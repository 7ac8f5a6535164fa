"""Rows of the read models: rule values and audit entries to table rows and back.

The obligation and deviation tables have one column per field of the rules'
dataclasses (``domain.rules.model``), derived from their type hints, so a field
the rules add later gets its column without a second list to keep in step.
Dates go in as dates, citations and tuples as JSON text (orjson).
"""

from __future__ import annotations

import dataclasses
import gc
import types
import typing
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache, partial
from operator import attrgetter
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

    def encoder(self, encode_date: Callable[[date], Any]) -> Callable[[Any], list[Any]]:
        """value → row values in column order, dates through ``encode_date``."""
        by_kind: dict[str, Callable[[Any], Any]] = {"date": encode_date, "bool": int, "model": _model_json,
                                                    "tuple": _dumps, "json": _dumps}
        convert = [(i, by_kind[kind]) for i, (_, kind, _) in enumerate(self.columns) if kind in by_kind]
        values = attrgetter(*self.names)

        def encode(value: Any) -> list[Any]:
            row = list(values(value))
            for i, to_column in convert:
                if row[i] is not None:
                    row[i] = to_column(row[i])
            return row

        return encode

    def decoder(self, decode_date: Callable[[Any], date] | None) -> Callable[[Sequence[Any]], Any]:
        """row values in column order → value; ``decode_date`` None where the driver gives dates."""
        by_kind: dict[str, Callable[[Any], Any] | None] = {"date": decode_date, "bool": bool,
                                                           "tuple": _tuple, "json": orjson.loads}
        cls = self.cls
        namespace: dict[str, Any] = {"new": object.__new__, "cls": cls}
        values = []
        for i, (_, kind, model) in enumerate(self.columns):
            function = partial(_model_of_json, model) if kind == "model" else by_kind.get(kind)
            if function is None:
                values.append(f"v{i}")
            else:
                namespace[f"f{i}"] = function
                values.append(f"None if v{i} is None else f{i}(v{i})")
        # Reads decode thousands of rows: one generated function, each column converted in
        # line, beats a loop over the columns by half. The rules' values are frozen slotted
        # dataclasses: their slots are set directly, as their __init__ would.
        if "__slots__" in cls.__dict__:
            body = ["value = new(cls)"]
            for i, name in enumerate(self.names):
                namespace[f"s{i}"] = cls.__dict__[name].__set__
                body.append(f"s{i}(value, {values[i]})")
            body.append("return value")
        else:
            body = [f"return cls({', '.join(f'{n}={v}' for n, v in zip(self.names, values, strict=True))})"]
        unpack = "".join(f"v{i}, " for i in range(len(self.columns)))
        source = "def decode(row):\n    " + "\n    ".join([f"{unpack}= row", *body]) + "\n"
        exec(source, namespace)  # the source is built from the column names above only
        return namespace["decode"]  # type: ignore[no-any-return]


def _dumps(value: Any) -> str:
    return orjson.dumps(value, default=_json_default).decode()


def _tuple(text: str) -> tuple[Any, ...]:
    return tuple(orjson.loads(text))


# Citations repeat across thousands of rows: encode and decode each distinct one once.
@lru_cache(maxsize=4096)
def _model_json(value: BaseModel) -> str:
    return orjson.dumps(value.model_dump(mode="json")).decode()


@lru_cache(maxsize=4096)
def _model_of_json(model: type[BaseModel], text: str) -> BaseModel:
    return model.model_validate(orjson.loads(text))


def citation_json(value: BaseModel) -> str:
    """A citation (or any model column) as the JSON text the view stores."""
    return _model_json(value)


# --- the open-obligation document ---------------------------------------------------------
#
# GET /obligations is the longest answer there is (every open obligation of every contract).
# Each obligation row therefore also stores itself as that list serves it: a JSON object,
# status "open", which a read that finds it overdue rewrites (the first ``OPEN_STATUS``). The API's
# tests hold these bytes to its response model (``ContractObligationOut``).

OPEN_STATUS = b'"status":"open"'
OVERDUE_STATUS = b'"status":"overdue"'


def open_doc(ref: str, obligation: Obligation) -> bytes:
    """The obligation as GET /obligations serves it, status open. No text value can hold
    ``OPEN_STATUS``: its quotes would be escaped."""
    o = obligation
    return orjson.dumps({
        "id": o.id, "kind": o.kind, "holder": o.holder, "clause": orjson.Fragment(_model_json(o.clause)),
        "due": o.due, "due_working_day": o.due_working_day, "status": "open",
        "created_by_seq": o.created_by_seq, "fulfilled_by_seq": o.fulfilled_by_seq, "period": o.period,
        "explanation": o.explanation, "contract": ref})


def _json_default(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    raise TypeError(type(value).__name__)


OBLIGATIONS = Codec.of(Obligation)
DEVIATIONS = Codec.of(Deviation)

# The audit trail, in the order of its columns. The key (ref, seq), the position in the ledger,
# the instant recorded (indexed, for ``known_at``) and the type (reads that need a few types,
# e.g. the notices, load only those) are columns; the entry itself is one JSON array
# (``entry_row``): a contract's reads load thousands of entries, and one value per row is a
# third of the cost of one column per field to fetch and decode.
ENTRY_COLUMNS = ("ref", "seq", "notification_id", "recorded_at", "type", "entry")
# What reads of one contract's entries select.
ENTRY_READ_COLUMNS = ("entry",)


def entry_row(notification_id: int, entry: Entry, *, instant_as_text: bool) -> tuple[Any, ...]:
    """The audit row of ``entry``, in ``ENTRY_COLUMNS`` order; its instant as ``iso_instant``
    text (SQLite) or a UTC datetime. The entry packed: [seq, type, effective date, instant
    recorded, actor, role, data, prev hash, hash]."""
    text = iso_instant(entry.recorded_at)
    packed = orjson.dumps([entry.seq, entry.type, entry.effective_date, text, entry.actor, entry.role,
                           entry.data, entry.prev_hash, entry.hash])
    return (entry.contract, entry.seq, notification_id, text if instant_as_text else entry.recorded_at,
            entry.type, packed)


def stored_entry_row(notification_id: int, seq: int, stored: dict[str, Any], *,
                     instant_as_text: bool) -> tuple[Any, ...]:
    """``entry_row`` of an entry from its event's state as the ledger stores it (decoded JSON,
    its timestamp tagged), without making the ``Entry``: the same row, at a third of the cost."""
    data = stored["entry"]
    text = iso_instant_text(stored["timestamp"]["_data_"])
    packed = orjson.dumps([seq, data["type"], data["effective_date"], text, stored["actor"], stored["role"],
                           data, stored["prev_hash"], stored["hash"]])
    return (stored["ref"], seq, notification_id, text if instant_as_text else datetime.fromisoformat(text),
            data["type"], packed)


def entries_of_rows(ref: str, rows: Sequence[Sequence[Any]]) -> list[Entry]:
    """The entries of ``ref`` from rows of ``ENTRY_READ_COLUMNS`` values."""
    loads, new, day, instant = orjson.loads, _new, date.fromisoformat, datetime.fromisoformat
    entries = []
    with gc_paused(len(rows)):
        for (packed,) in rows:
            seq, type_, effective, recorded, actor, role, data, prev_hash, hash_ = loads(packed)
            # Entry is a frozen dataclass: filling its __dict__ is what __init__ does, at a
            # quarter of the cost.
            entry = new(Entry)
            entry.__dict__.update(contract=ref, seq=seq, type=type_, effective_date=day(effective),
                                  recorded_at=instant(recorded), actor=actor, role=role, data=data,
                                  prev_hash=prev_hash, hash=hash_)
            entries.append(entry)
    return entries


@contextmanager
def gc_paused(objects: int, threshold: int = 1000) -> Iterator[None]:
    """No cyclic garbage collection while ``objects`` (≥ ``threshold``) values are decoded.

    The values made are acyclic, yet every few hundred of them trigger a collection that
    traverses the young ones again: a third of the time of decoding thousands of entries.
    Only re-enabled if it was enabled (another thread decoding at once may see it off)."""
    if objects < threshold or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


_new = object.__new__


def iso_instant(value: datetime) -> str:
    """A UTC instant as fixed-width ISO text, so that text order is time order (SQLite)."""
    if value.utcoffset() != ZERO:
        value = value.astimezone(UTC)
    return value.isoformat(timespec="microseconds")


def iso_instant_text(text: str) -> str:
    """``iso_instant`` of the instant ISO ``text`` writes; as it is if already in that form
    (UTC, microseconds: how the ledger stores nearly every instant)."""
    if len(text) == _ISO_UTC_LENGTH and text.endswith("+00:00"):
        return text
    return iso_instant(datetime.fromisoformat(text))


ZERO = timedelta(0)
_ISO_UTC_LENGTH = len("2025-01-01T00:00:00.000000+00:00")

"""Rows of the read models: every value comes back from its row as it went in."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from domain.contract import Entry
from domain.rules.model import Deviation, Obligation
from domain.terms import Citation
from projections.rows import (
    DEVIATIONS,
    ENTRY_COLUMNS,
    ENTRY_READ_COLUMNS,
    OBLIGATIONS,
    Codec,
    entries_of_rows,
    entry_row,
    iso_instant,
    iso_instant_text,
    stored_entry_row,
)

CLAUSE = Citation(document="SON 2019-755", section="4.2 Lex Sarah", quote="En kopia ska omgående skickas.")

OBLIGATIONS_ = [
    Obligation("lex_sarah_copy:2", "lex_sarah_copy", "utforare", CLAUSE, date(2025, 6, 2), date(2025, 6, 2),
               date(2025, 5, 30), 2, "skicka kopian"),
    Obligation("annual_report:2024", "annual_report", "utforare",
               CLAUSE.model_copy(update={"inferred": True}), None, None, date(2025, 1, 1), None, "",
               period="2024", fulfilled_by_seq=7,
               fulfilled_on=date(2025, 3, 1), void_on=date(2025, 4, 1), void_reason="rättad"),
]
DEVIATIONS_ = [
    Deviation("premises_outside_tatort", CLAUSE, date(2021, 10, 1), (8, 16), "utanför tätorten",
              until=date(2022, 10, 1)),
    Deviation("hours_above_cap", CLAUSE, date(2021, 10, 1), (), "", until=None),
]


@pytest.mark.parametrize(("codec", "values"), [(OBLIGATIONS, OBLIGATIONS_), (DEVIATIONS, DEVIATIONS_)])
@pytest.mark.parametrize("engine", ["sqlite", "postgres"])
def test_rules_values_come_back_from_their_rows(codec: Codec, values: list, engine: str) -> None:  # type: ignore[type-arg]
    # SQLite stores dates as ISO text; psycopg hands back date objects.
    encode_date, decode_date = ((date.isoformat, date.fromisoformat) if engine == "sqlite"
                                else (lambda d: d, None))
    encode, decode = codec.encoder(encode_date), codec.decoder(decode_date)
    for value in values:
        row = encode(value)
        assert len(row) == len(codec.names)
        back = decode(tuple(row))
        assert back == value and type(back) is type(value)
        assert [getattr(back, n) for n in codec.names] == [getattr(value, n) for n in codec.names]


@dataclasses.dataclass(frozen=True)
class Plain:
    name: str
    on: date | None
    flag: bool
    tags: tuple[int, ...]


def test_a_class_without_slots_is_built_through_its_init() -> None:
    codec = Codec.of(Plain)
    value = Plain("a", date(2025, 1, 2), True, (1, 2))
    assert codec.decoder(date.fromisoformat)(tuple(codec.encoder(date.isoformat)(value))) == value
    assert codec.decoder(date.fromisoformat)(("b", None, 0, "[]")) == Plain("b", None, False, ())


def test_entries_come_back_from_their_rows() -> None:
    entry = Entry(contract="familjeradgivning", seq=3, type="LexSarahReported",
                  effective_date=date(2025, 5, 30),
                  recorded_at=datetime(2025, 6, 2, 8, 30, 0, 123, tzinfo=UTC),
                  actor="anna", role="utforare", data={"type": "LexSarahReported", "count": 1, "å": "ä"},
                  prev_hash="a" * 64, hash="b" * 64)
    read = [ENTRY_COLUMNS.index(name) for name in ENTRY_READ_COLUMNS]

    def back(row: tuple[object, ...], times: int = 1) -> list[Entry]:
        return entries_of_rows(row[0], [[row[i] for i in read]] * times)  # type: ignore[arg-type]

    row = entry_row(17, entry, instant_as_text=True)
    assert row[:5] == ("familjeradgivning", 3, 17, "2025-06-02T08:30:00.000123+00:00", "LexSarahReported")
    # An instant recorded in another offset comes back as the same instant, in UTC; the
    # PostgreSQL column keeps the instant as given (TIMESTAMPTZ).
    plus_one = timezone(timedelta(hours=1))
    elsewhere = dataclasses.replace(entry, recorded_at=entry.recorded_at.astimezone(plus_one))
    postgres = entry_row(17, elsewhere, instant_as_text=False)
    assert postgres[3] == entry.recorded_at
    for stored in (row, postgres):
        two = back(stored, 2)
        assert two == [entry, entry] and two[0] is not two[1] and two[0].data is not two[1].data
        assert two[0].recorded_at.utcoffset() == timedelta(0)
        assert vars(two[0]) == vars(entry)
    whole = dataclasses.replace(entry, recorded_at=datetime(2025, 6, 2, 8, 30, tzinfo=UTC))
    assert back(entry_row(1, whole, instant_as_text=True)) == [whole]
    assert entries_of_rows("x", []) == []


@pytest.mark.parametrize("recorded", [
    datetime(2025, 6, 2, 8, 30, 0, 123, tzinfo=UTC),
    datetime(2025, 6, 2, 8, 30, tzinfo=UTC),  # isoformat() writes no microseconds
    datetime(2025, 6, 2, 10, 30, 0, 5, tzinfo=timezone(timedelta(hours=2))),
], ids=["utc", "whole-second", "another-offset"])
def test_an_audit_row_from_the_stored_state_is_the_row_of_its_entry(recorded: datetime) -> None:
    """The rebuild makes audit rows from events as stored, without the Entry: the same rows."""
    data = {"type": "LexSarahReported", "effective_date": "2025-05-30", "count": 1, "å": "ä"}
    entry = Entry(contract="familjeradgivning", seq=3, type="LexSarahReported",
                  effective_date=date(2025, 5, 30), recorded_at=recorded, actor="anna",
                  role="utforare", data=data, prev_hash="a" * 64, hash="b" * 64)
    # As the library stores a datetime (its transcoding writes isoformat()).
    stored = {"timestamp": {"_type_": "datetime_iso", "_data_": recorded.isoformat()},
              "ref": "familjeradgivning", "entry": data, "actor": "anna", "role": "utforare",
              "prev_hash": "a" * 64, "hash": "b" * 64}
    for as_text in (True, False):
        assert stored_entry_row(17, 3, stored, instant_as_text=as_text) == \
            entry_row(17, entry, instant_as_text=as_text)
    assert iso_instant_text(recorded.isoformat()) == iso_instant(recorded)

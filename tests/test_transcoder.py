"""OrjsonTranscoder: every type survives the round trip, in the library's own wire format."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import orjson
import pytest
from eventsourcing.persistence import (
    DatetimeAsISO,
    DecimalAsStr,
    JSONTranscoder,
    Transcoding,
    TranscodingNotRegisteredError,
    UUIDAsHex,
)

from domain.ledger import Ledger
from domain.storage import Database
from domain.transcoder import DateAsISO, OrjsonTranscoder

STOCKHOLM = ZoneInfo("Europe/Stockholm")
CONTRACT_ID = UUID("6f1c2a4e-9b7d-4c3e-8a21-0d5e7f9b3c11")


class Party(Enum):
    BESTALLARE = "bestallare"
    UTFORARE = "utforare"


@dataclass(frozen=True)
class Signature:
    by: Party
    signed_on: date
    contract: UUID


class PartyAsName(Transcoding):
    type = Party
    name = "party"

    def encode(self, obj: Party) -> str:
        return obj.name

    def decode(self, data: str) -> Party:
        return Party[data]


class SignatureAsDict(Transcoding):
    # Its data holds values that need transcodings of their own.
    type = Signature
    name = "signature"

    def encode(self, obj: Signature) -> dict[str, Any]:
        return {"by": obj.by, "signed_on": obj.signed_on, "contract": obj.contract}

    def decode(self, data: dict[str, Any]) -> Signature:
        return Signature(**data)


def _registered(transcoder: JSONTranscoder) -> JSONTranscoder:
    # What Application.construct_transcoder registers, plus the test's own types.
    for transcoding in (UUIDAsHex(), DecimalAsStr(), DatetimeAsISO(), PartyAsName(),
                        SignatureAsDict()):
        transcoder.register(transcoding)
    return transcoder


@pytest.fixture
def orjson_transcoder() -> JSONTranscoder:
    return _registered(OrjsonTranscoder())


@pytest.fixture
def library_transcoder() -> JSONTranscoder:
    transcoder = _registered(JSONTranscoder())
    transcoder.register(DateAsISO())
    return transcoder


VALUES: dict[str, Any] = {
    "date": date(2025, 3, 15),
    "datetime_utc": datetime(2025, 3, 15, 9, 30, 12, 345678, tzinfo=UTC),
    "datetime_stockholm": datetime(2025, 7, 1, 8, 0, tzinfo=STOCKHOLM),
    "datetime_offset": datetime(2024, 12, 31, 23, 59, 59, tzinfo=timezone(timedelta(hours=-5))),
    "decimal": Decimal("4093284.00"),
    "decimal_scale": Decimal("0.10"),
    "decimal_negative": Decimal("-1.2500"),
    "uuid": CONTRACT_ID,
    "text": "Linköpings kommun — §5.3 \"hävning\"",
    "nested": {
        "fte_allocation": {"Skäggetorp": Decimal("1.0"), "Valla": Decimal("0.5")},
        "sessions": [{"minutes": 61}, {"minutes": 45, "on": date(2025, 2, 28)}],
        "periods": [[date(2024, 1, 1), date(2024, 12, 31)], []],
        "ids": [CONTRACT_ID, {"contract": CONTRACT_ID}],
        "flags": [True, False, None, 0, 1.5],
    },
    "enum": Party.UTFORARE,
    "nested_transcoding": Signature(Party.BESTALLARE, date(2025, 1, 31), CONTRACT_ID),
}


def _assert_exact(actual: Any, expected: Any) -> None:
    """Equal and of exactly the same types all the way down (a datetime is not a date)."""
    assert type(actual) is type(expected), (actual, expected)
    if isinstance(expected, dict):
        assert list(actual) == list(expected)
        for key in expected:
            _assert_exact(actual[key], expected[key])
    elif isinstance(expected, list):
        assert len(actual) == len(expected)
        for got, want in zip(actual, expected, strict=True):
            _assert_exact(got, want)
    else:
        assert actual == expected
        if isinstance(expected, datetime):
            assert actual.utcoffset() == expected.utcoffset()
        if isinstance(expected, Decimal):
            assert actual.as_tuple() == expected.as_tuple()  # same scale: "0.10" stays "0.10"


@pytest.mark.parametrize("name", list(VALUES))
def test_round_trip_keeps_value_and_exact_type(orjson_transcoder: JSONTranscoder, name: str) -> None:
    # given a value of a type the ledger stores
    value = {"value": VALUES[name]}
    # when it is encoded and decoded
    decoded = orjson_transcoder.decode(orjson_transcoder.encode(value))
    # then it comes back equal and with exactly the same types
    _assert_exact(decoded, value)


@pytest.mark.parametrize("name", list(VALUES))
def test_wire_format_is_the_library_json_transcoders(
        orjson_transcoder: JSONTranscoder, library_transcoder: JSONTranscoder, name: str) -> None:
    # given the same value
    value = {"value": VALUES[name]}
    # when both transcoders encode it
    ours, theirs = orjson_transcoder.encode(value), library_transcoder.encode(value)
    # then the bytes are identical, and each reads what the other wrote
    assert ours == theirs
    _assert_exact(library_transcoder.decode(ours), value)
    _assert_exact(orjson_transcoder.decode(theirs), value)


def test_dates_are_tagged_not_bare_strings(orjson_transcoder: JSONTranscoder) -> None:
    # given a date (orjson alone would write "2025-03-15" and read back a str)
    # when it is encoded
    raw = orjson.loads(orjson_transcoder.encode({"effective_date": date(2025, 3, 15)}))
    # then the registry's tag is on the wire
    assert raw == {"effective_date": {"_type_": "date_iso", "_data_": "2025-03-15"}}


def test_tuples_come_back_as_lists_with_their_items_transcoded(
        orjson_transcoder: JSONTranscoder) -> None:
    # given a tuple of UUIDs and dates
    value = {"pair": (CONTRACT_ID, date(2025, 3, 15))}
    # when it round-trips
    decoded = orjson_transcoder.decode(orjson_transcoder.encode(value))
    # then it is a list (as with the library) whose items keep their types
    _assert_exact(decoded, {"pair": [CONTRACT_ID, date(2025, 3, 15)]})


def test_string_subclasses_are_written_as_plain_strings_like_the_library(
        orjson_transcoder: JSONTranscoder, library_transcoder: JSONTranscoder) -> None:
    class Ref(str):
        pass

    # given a str subclass, which json writes as its text without consulting the registry
    value = {"ref": Ref("familjeradgivning")}
    # when both encode it
    # then both write the plain text
    assert orjson_transcoder.encode(value) == library_transcoder.encode(value) == \
        b'{"ref":"familjeradgivning"}'


def test_unregistered_type_is_refused_like_the_library(
        orjson_transcoder: JSONTranscoder, library_transcoder: JSONTranscoder) -> None:
    @dataclass(frozen=True)
    class Unknown:
        x: int

    # given a type without a transcoding (orjson would write a dataclass natively)
    # when it is encoded
    # then both transcoders refuse it rather than lose its type silently
    for transcoder in (orjson_transcoder, library_transcoder):
        with pytest.raises(TranscodingNotRegisteredError):
            transcoder.encode({"x": Unknown(1)})


def test_unknown_tag_is_refused_on_decode(orjson_transcoder: JSONTranscoder) -> None:
    # given stored data tagged with a name nobody registered
    data = b'{"x":{"_type_":"no_such_type","_data_":"1"}}'
    # when it is decoded
    # then it is refused, as the library does
    with pytest.raises(TranscodingNotRegisteredError):
        orjson_transcoder.decode(data)


def test_ledger_stores_with_the_orjson_transcoder(tmp_path: Any) -> None:
    # given a ledger opened on a database
    ledger = Ledger.open(Database.from_url(f"sqlite:///{tmp_path / 'ledger.db'}"))
    try:
        # then its mapper uses the OrjsonTranscoder with the library's transcodings and dates
        transcoder = ledger.mapper.transcoder
        assert isinstance(transcoder, OrjsonTranscoder)
        value = {"d": date(2025, 3, 15), "t": VALUES["datetime_utc"], "m": Decimal("605.00"),
                 "id": CONTRACT_ID}
        _assert_exact(transcoder.decode(transcoder.encode(value)), value)
    finally:
        ledger.close()

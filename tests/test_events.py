"""The event vocabulary refuses, with the field named, what the ledger must never keep."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from domain.events import EVENT_CLASSES, RECORDERS, load_event, parse_event
from domain.personal_data import find_personnummer


@pytest.mark.parametrize("text", ["19121212-1212", "121212-1212", "1212121212", "121212+1212",
                                  "701063-2391", "samtal med 198507099805 i dag"])
def test_personnummer_and_samordningsnummer_are_found(text: str) -> None:
    assert find_personnummer(text)


@pytest.mark.parametrize("text", ["SON 2019-755", "3.5.1-12345/2024", "19121212-1213",
                                  "4093284 kr", "tel 013-20 60 00", "121212121212121"])
def test_diarienummer_amounts_and_bad_check_digits_are_not_personal_data(text: str) -> None:
    assert find_personnummer(text) is None


@pytest.mark.parametrize(("fields", "field", "words"), [
    ({"note": "klienten 19121212-1212"}, "note", "personnummer"),
    ({"document_ref": "a\x00b"}, "document_ref", "NUL"),
    ({"ivo_diarienummer": "8.1.2-701063-2391"}, "ivo_diarienummer", "personnummer"),
])
def test_text_fields_are_guarded(fields: dict, field: str, words: str) -> None:
    with pytest.raises(ValidationError) as refused:
        parse_event({"type": "LexSarahNotifiedToIVO", "effective_date": "2025-01-02", **fields})
    assert f"'{field}'" in str(refused.value) and words in str(refused.value)


def test_nested_text_is_guarded_too() -> None:
    with pytest.raises(ValidationError, match=r"'breaches\.1'.*personnummer"):
        parse_event({"type": "BreachNoticeIssued", "effective_date": "2025-01-02", "written": True,
                     "breaches": ["för få socionomer", "gäller 121212-1212"]})


def test_integers_beyond_64_bits_are_refused() -> None:
    # A seq is bounded by its own field now; a merge patch's value is any JSON.
    with pytest.raises(ValidationError, match="too large a number"):
        parse_event({"type": "AmendmentSigned", "effective_date": "2025-01-02",
                     "changes": {"x": 2**64}, "signatories": [
                         {"party": "bestallare", "name": "A", "authorised": True},
                         {"party": "utforare", "name": "B", "authorised": True}]})
    with pytest.raises(ValidationError, match="less than or equal"):
        parse_event({"type": "BreachRemedied", "effective_date": "2025-01-02",
                     "breach_notice_seq": 2**64})


def test_an_amendment_needs_an_authorised_signatory_of_both_parties() -> None:
    with pytest.raises(ValidationError, match="missing: utforare"):
        parse_event({"type": "AmendmentSigned", "effective_date": "2025-01-02",
                     "changes": {"termination": {"notice_months": 6}},
                     "signatories": [{"party": "bestallare", "name": "A", "authorised": True},
                                     {"party": "utforare", "name": "B", "authorised": False}]})


def test_stored_payloads_are_retyped_without_being_judged_again() -> None:
    event = parse_event({"type": "IndexationApplied", "effective_date": "2025-01-02", "year": 2025,
                         "index": "OPI", "percent": "2.9"})
    again = load_event(event.model_dump(mode="json"))
    assert again == event and type(again.percent).__name__ == "Decimal"


def test_every_event_type_names_who_may_record_it() -> None:
    assert set(RECORDERS) == set(EVENT_CLASSES)
    assert len(EVENT_CLASSES) == 31

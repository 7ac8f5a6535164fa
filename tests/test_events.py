"""The event vocabulary refuses, with the field named, what the ledger must never keep."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from domain.events import EVENT_CLASSES, RECORDERS, load_event, parse_event
from domain.personal_data import find_personnummer


@pytest.mark.parametrize("text", ["19121212-1212", "121212-1212", "1212121212", "121212+1212",
                                  "701063-2391", "samtal med 198507099805 i dag",
                                  # any separator form (issue 11): space, en/em dash, spaced
                                  "850709 9805", "850709–9805", "850709—9805", "850709 – 9805",
                                  "19850709 9805", "701063 2391", "850709\u22129805"])
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
                     "changes": {"termination": {"notice_months": 6}}, **AUTHORITY,
                     "signatories": [{"party": "bestallare", "name": "A", "authorised": True},
                                     {"party": "utforare", "name": "B", "authorised": False}]})


AUTHORITY = {"document_ref": "SON 2025-12",
             "decision": {"body": "Social- och omsorgsnämnden", "paragraph": "§ 45",
                          "decided_on": "2024-12-18", "diarienummer": "SON 2025-12"}}


@pytest.mark.parametrize(("kind", "fields"), [
    ("TerminationNoticeGiven", {"by": "bestallare", "written": True}),
    ("BreachNoticeIssued", {"written": True, "breaches": ["Verksamhetsberättelsen saknas"]}),
    ("EarlyTerminationGiven", {"breach_notice_seq": 2, "written": True}),
    ("AmendmentSigned", {"changes": {"termination": {"notice_months": 6}}, "signatories": [
        {"party": "bestallare", "name": "A", "authorised": True},
        {"party": "utforare", "name": "B", "authorised": True}]}),
])
def test_decided_acts_require_their_decision_and_letter(kind: str, fields: dict) -> None:
    """Decisions carry their authority: notice, breach notice, early termination and amendment
    name the decision behind them (422 naming the field) and, written, the letter's diarienummer."""
    body = {"type": kind, "effective_date": "2025-01-02", **fields}
    with pytest.raises(ValidationError, match=r"decision: .* kräver beslutet"):
        parse_event({**body, "document_ref": "SON 2025-12"})
    with pytest.raises(ValidationError, match=r"document_ref: .* kräver dess diarienummer"):
        parse_event({**body, "decision": AUTHORITY["decision"]})
    with pytest.raises(ValidationError, match=r"decision: ange paragraf"):
        parse_event({**body, **AUTHORITY, "decision": {**AUTHORITY["decision"], "paragraph": None}})
    assert parse_event({**body, **AUTHORITY}).decision.paragraph == "§ 45"  # type: ignore[attr-defined]


def test_an_oral_notice_needs_its_decision_but_no_letter() -> None:
    """An oral notice is no letter: no document_ref, but still the decision behind it."""
    body = {"type": "TerminationNoticeGiven", "effective_date": "2025-01-02", "by": "utforare",
            "written": False}
    assert parse_event({**body, "decision": AUTHORITY["decision"]}).document_ref is None
    with pytest.raises(ValidationError, match="decision"):
        parse_event(body)


def test_stored_acts_without_a_decision_still_load() -> None:
    """Entries recorded before the decision was required load, the decision absent."""
    stored = load_event({"type": "TerminationNoticeGiven", "effective_date": "2024-02-01",
                         "by": "bestallare", "written": True, "agreed_months": None,
                         "document_ref": None, "note": None})
    assert stored.decision is None  # type: ignore[attr-defined]
    decided = load_event({"type": "DisputeDecided", "effective_date": "2025-04-15",
                          "dispute_seq": 2, "decision": "Står fast", "paragraph": "§ 112"})
    assert decided.anslaget_on is None  # type: ignore[attr-defined]


@pytest.mark.parametrize(("fields", "words"), [
    ({"anslaget_on": "2025-04-18", "document_ref": "KS 2025-5"}, "justerat_on: kommunstyrelsens"),
    ({"justerat_on": "2025-04-17", "document_ref": "KS 2025-5"}, "anslaget_on: kommunstyrelsens"),
    ({"justerat_on": "2025-04-14", "anslaget_on": "2025-04-18", "document_ref": "KS 2025-5"},
     "justerat_on: protokollet kan inte justeras före"),
    ({"justerat_on": "2025-04-17", "anslaget_on": "2025-04-16", "document_ref": "KS 2025-5"},
     "anslaget_on: justeringen kan inte anslås före"),
    ({"justerat_on": "2025-04-17", "anslaget_on": "2025-04-18"}, "document_ref: kommunstyrelsens"),
])
def test_kommunstyrelsens_decision_records_its_protocol_dates(fields: dict, words: str) -> None:
    """DisputeDecided: justerat_on and anslaget_on (laglighetsprövning runs from the posting)."""
    with pytest.raises(ValidationError, match=words):
        parse_event({"type": "DisputeDecided", "effective_date": "2025-04-15", "dispute_seq": 2,
                     "decision": "Står fast", "paragraph": "§ 112", **fields})


def test_stored_payloads_are_retyped_without_being_judged_again() -> None:
    event = parse_event({"type": "IndexationApplied", "effective_date": "2025-01-02", "year": 2025,
                         "index": "OPI", "percent": "2.9"})
    again = load_event(event.model_dump(mode="json"))
    assert again == event and type(again.percent).__name__ == "Decimal"


def test_every_event_type_names_who_may_record_it() -> None:
    assert set(RECORDERS) == set(EVENT_CLASSES)
    # issue 12 added eleven (EntryRedacted: gallring), issue 11 AgreementAccepted,
    # issue 13 TrackingStartChanged
    assert len(EVENT_CLASSES) == 44


def test_no_default_grants_a_legal_effect() -> None:
    """A field whose absence would give an act its effect is required or defaults to none
    (issue 11): no boolean of any event defaults to true, and the written-ness of an early
    termination must be stated."""
    defaults_true = [f"{kind}.{name}" for kind, cls in EVENT_CLASSES.items()
                     for name, field in cls.model_fields.items() if field.default is True]
    assert defaults_true == []
    assert EVENT_CLASSES["EarlyTerminationGiven"].model_fields["written"].is_required()
    with pytest.raises(ValidationError):
        parse_event({"type": "EarlyTerminationGiven", "effective_date": "2025-01-01",
                     "breach_notice_seq": 2})

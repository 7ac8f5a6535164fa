"""The event forms are generated from the event models: every type, every field, in Swedish."""

from __future__ import annotations

import pytest

from api.web import forms
from domain import vocabulary
from domain.events import EVENT_CLASSES, RECORDERS

RECORDABLE = [code for code in EVENT_CLASSES if code != "ContractRegistered"]
DECISION = {"decision-body": "Social- och omsorgsnämnden", "decision-paragraph": "§ 12",
            "decision-decided_on": "2025-03-05", "decision-diarienummer": "SOC 2025-0042",
            "document_ref": "SOC 2025-0043"}


@pytest.mark.parametrize("event_type", RECORDABLE)
def test_every_field_of_every_event_has_a_widget_and_a_swedish_label(event_type):
    found = forms.widgets(event_type, {}, party="utforare", entries=[], terms={})
    names = [w.name for w in found]
    assert set(names) == set(EVENT_CLASSES[event_type].model_fields) - {"type"}
    assert names[0] == "effective_date" and names[-2:] == ["document_ref", "note"]
    for widget in found:
        assert widget.label.lower() == vocabulary.label("field", widget.name).lower(), widget.name
        assert widget.label != widget.name, f"{event_type}.{widget.name} has no Swedish label"


def test_each_role_is_offered_the_events_it_may_record():
    assert [code for code, _ in forms.event_types_for("revisor")] == []
    offered = dict(forms.event_types_for("utforare"))
    assert "LexSarahNotifiedToIVO" in offered and "BreachNoticeIssued" not in offered
    assert offered["LexSarahNotifiedToIVO"] == vocabulary.label("event", "LexSarahNotifiedToIVO")
    assert all("utforare" in RECORDERS[code] for code in offered)


def test_typed_values_become_the_models_input():
    event, errors = forms.validate("StaffingChanged", {
        "effective_date": "2025-03-10", "planned": "ja", "fte_allocation": "Valla: 0,5\nRyd: 1",
        "socionomer": "3", "manager_changed": "nej", "fte_allocation_partial": "ja"})
    assert errors == {}
    assert event is not None and str(event.fte_allocation["Valla"]) == "0.5"
    event, errors = forms.validate("ServiceHoursReported", {
        "effective_date": "2025-03-10", "month": "2025-02", "sessions": "61\n45",
        "group_sessions": "90, 6"})
    assert errors == {} and [s.minutes for s in event.sessions] == [61, 45]
    assert event.group_sessions[0].participants == 6
    event, errors = forms.validate("AmendmentSigned", {
        **DECISION, "effective_date": "2025-03-10", "changes": '{"termination": {"notice_months": 6}}',
        "signatories-0-party": "bestallare", "signatories-0-name": "Anna", "signatories-0-authorised": "ja",
        "signatories-1-party": "utforare", "signatories-1-name": "Lena", "signatories-1-authorised": "ja"})
    assert errors == {} and len(event.signatories) == 2
    assert event.decision.body == "Social- och omsorgsnämnden"
    assert str(event.decision.decided_on) == "2025-03-05"


@pytest.mark.parametrize(("event_type", "form", "field", "words"), [
    ("TerminationNoticeGiven", {"effective_date": "10/3/2025", "by": "bestallare", "written": "ja"},
     "effective_date", "ÅÅÅÅ-MM-DD"),
    ("TerminationNoticeGiven", {"effective_date": "2025-03-10", "by": "bestallare"}, "written",
     "Välj ja eller nej"),
    ("TerminationNoticeGiven", {"effective_date": "2025-03-10", "by": "bestallare", "written": "ja",
                                "agreed_months": "tolv"}, "agreed_months", "heltal"),
    ("IndexationApplied", {"effective_date": "2025-03-10", "year": "2025", "index": "OPI",
                           "percent": "2,55555"}, "percent", "decimaler"),
    ("WaitingTimeReported", {"effective_date": "2025-03-10", "period": "2025-13",
                             "longest_wait_days": "3"}, "period", "ÅÅÅÅ-MM"),
    ("StaffingChanged", {"effective_date": "2025-03-10", "planned": "ja", "fte_allocation": "Valla"},
     "fte_allocation", "namn: tal"),
    ("AmendmentSigned", {"effective_date": "2025-03-10", "changes": "{not json"}, "changes", "JSON"),
    ("AmendmentSigned", {**DECISION, "effective_date": "2025-03-10", "changes": '{"a": 1}',
                         "signatories-0-party": "bestallare", "signatories-0-name": "Anna",
                         "signatories-0-authorised": "ja", "signatories-1-party": "utforare",
                         "signatories-1-name": "Lena"}, "signatories", "behörig"),
    ("LexSarahNotifiedToIVO", {"effective_date": "2025-03-10", "note": "gäller 19121212-1212"},
     "note", "personnummer"),
    # The decision behind an act: required, and each of its fields under its own name.
    ("TerminationNoticeGiven", {"effective_date": "2025-03-10", "by": "bestallare", "written": "ja",
                                "document_ref": "SOC 1"}, "decision", "beslutet bakom"),
    ("TerminationNoticeGiven", {**DECISION, "effective_date": "2025-03-10", "by": "bestallare",
                                "written": "ja", "decision-body": ""}, "decision-body", "Fyll i"),
    ("BreachNoticeIssued", {**DECISION, "effective_date": "2025-03-10", "written": "ja",
                            "breaches": "Sent", "decision-decided_on": "5 mars"},
     "decision-decided_on", "ÅÅÅÅ-MM-DD"),
    ("EarlyTerminationGiven", {**DECISION, "effective_date": "2025-03-10", "written": "ja",
                               "breach_notice_seq": "2", "decision-paragraph": ""},
     "decision", "delegationsordningen"),
    ("TerminationNoticeGiven", {**DECISION, "effective_date": "2025-03-10", "by": "bestallare",
                                "written": "ja", "document_ref": ""}, "document_ref", "diarienummer"),
    ("DisputeDecided", {"effective_date": "2025-03-10", "dispute_seq": "2", "decision": "Bifall",
                        "paragraph": "§ 3", "justerat_on": "2025-03-12", "document_ref": "KS 1"},
     "anslaget_on", "anslaget"),
    ("ForceMajeureDeclared", {"effective_date": "2025-03-10", "by": "utforare", "cause": "crisis",
                              "description": "Pandemi", "duties": "annual_report",
                              "until": "2025-03-01"}, "until", "före"),
])
def test_errors_are_swedish_and_under_their_field(event_type, form, field, words):
    event, errors = forms.validate(event_type, form)
    assert event is None
    assert words in errors[field], errors


def test_the_decision_is_a_fieldset_of_its_own_fields_in_swedish():
    found = {w.name: w for w in forms.widgets("TerminationNoticeGiven", {}, party="bestallare",
                                                entries=[], terms={})}
    decision = found["decision"]
    assert decision.kind == "model" and decision.label == "Beslut" and decision.required
    assert [(c.name, c.label) for c in decision.children] == [
        ("decision-body", "Beslutande organ"), ("decision-paragraph", "Paragraf"),
        ("decision-delegation_point", "Delegationspunkt"), ("decision-decided_on", "Beslutsdatum"),
        ("decision-diarienummer", "Diarienummer")]
    assert [c.required for c in decision.children] == [True, False, False, True, True]
    assert all(c.help for c in decision.children)


def test_the_new_events_offer_swedish_choices():
    cause = {w.name: w for w in forms.widgets("ForceMajeureDeclared", {}, party="utforare", entries=[],
                                              terms={})}["cause"]
    assert dict(cause.choices)["labour_dispute"] == "arbetskonflikt"
    assert all(code != name for code, name in cause.choices)
    signatories = {w.name: w for w in forms.widgets("AmendmentSigned", {}, party="utforare", entries=[],
                                                    terms={})}["signatories"]
    assert [c.value for c in signatories.rows[0] if c.name.endswith("party")] == ["bestallare"]
    assert [c.label for c in signatories.rows[1]] == ["Part 2", "Namn 2", "Behörig 2"]


def test_a_missing_decision_is_named_with_the_other_errors_not_after_them():
    event, errors = forms.validate("TerminationNoticeGiven", {"by": "bestallare"})
    assert event is None and {"effective_date", "written", "decision"} <= set(errors), errors
    assert "beslutet bakom" in errors["decision"]

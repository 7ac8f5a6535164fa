"""Segregation of duties (issue 11, DOMAIN.md §2 principle 3): a party speaks only for itself,
consent is recorded by the consenting party, units and target ids are the contract's, and
nothing is silent. Every test runs on SQLite and PostgreSQL (the ``client`` fixture)."""

from __future__ import annotations

import pytest

from api.http.examples import EVENT_EXAMPLES
from domain.events import EVENT_TYPES, PARTY_FIELDS, RECORDERS
from tests.api.conftest import ROLES
from tests.support.builders import with_authority

V, F, S, C = ("/contracts/vald-i-nara-relation", "/contracts/familjeradgivning",
              "/contracts/skolsocialt-team", "/contracts/familjecentraler")
DAY = "2025-06-02"  # LEDGER_TODAY of the API tests
UNITS = {"Skäggetorp": "1.0", "Berga": "1.0", "Ryd": "1.0", "Lambohov": "1.0", "Valla": "0.5",
         "Ljungsbro": "1.0", "Ekholmen": "1.0", "Tannefors": "1.0"}
NINE = {**UNITS, "Valla": "1.0", "Tannefors": "2.0"}  # 9,0 FTE
# Valid bodies of every event with a party field (the OpenAPI examples), less that field.
PARTY_BODIES = {kind: {k: v for k, v in EVENT_EXAMPLES[kind].items()
                       if k != "by" and not k.endswith(("_seq", "_seqs"))}
                for kind in PARTY_FIELDS}


def post(client, auth, path: str, role: str, body: dict, **query) -> object:
    # The decision behind an act and a KS protocol's dates (issue 12) are filled in where unstated.
    return client.post(f"{path}/events", json=with_authority({"effective_date": DAY, **body}),
                       headers=auth(role), params=query)


# --- a party speaks only for itself -------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(PARTY_FIELDS))
@pytest.mark.parametrize("party", ["bestallare", "utforare"])
@pytest.mark.parametrize("role", ROLES)
def test_party_field_must_be_the_callers_party(client, auth, role, party, kind):
    """Role × party field × event type: only the party itself records its act; else 403
    naming both the party in the field and the caller's."""
    fields = dict.fromkeys(PARTY_FIELDS[kind], party)
    response = post(client, auth, V, role, {"type": kind, **PARTY_BODIES[kind], **fields},
                    dry_run="true")
    if role not in RECORDERS[kind]:
        assert response.status_code == 403 and response.json()["rule"] == "role_may_record"
    elif party != role:
        problem = response.json()
        assert response.status_code == 403, response.text
        assert problem["rule"] == "party_is_caller" and problem["field"] == "by"
        assert f"'{party}'" in problem["detail"] and f"'{role}'" in problem["detail"]
    else:
        assert response.status_code == 200, response.text


def test_admin_records_no_partys_act():
    """Admin registers contracts, corrects entries and keeps the ledger's own facts (a party's
    new name, the day tracking starts, gallring); no act of a party is admin's."""
    assert {kind for kind in EVENT_TYPES if "admin" in RECORDERS[kind]} == {
        "ContractRegistered", "EntryCorrected", "EntryRedacted", "PartySucceeded",
        "TrackingStartChanged"}


# --- consent is recorded by the consenting party --------------------------------------------


def test_agreed_notice_period_awaits_the_other_partys_acceptance(client, auth):
    """V 1.1 "om parterna inte kommer överens om annat": the utförare's one month is 12 months
    until the beställare accepts; then one month from the later of the two dates."""
    notice = post(client, auth, V, "utforare", {"type": "TerminationNoticeGiven", "by": "utforare",
                                                "written": True, "agreed_months": 1}).json()
    assert any(e["effect"] == "awaits_acceptance" for e in notice["effects"])
    seq = notice["seq"]
    assert client.get(f"{V}/notice", headers=auth("revisor")).json()["ends_on"] == "2026-06-02"
    pending = client.get(f"{V}/acceptances", headers=auth("revisor")).json()["pending"]
    assert pending == [{"seq": seq, "type": "TerminationNoticeGiven", "recorded_by": "utforare",
                        "awaiting": "bestallare", "effective_date": DAY}]

    own = post(client, auth, V, "utforare", {"type": "AgreementAccepted", "proposal_seq": seq})
    assert own.status_code == 403 and own.json()["rule"] == "other_party_accepts"
    accepted = post(client, auth, V, "bestallare", {"type": "AgreementAccepted", "proposal_seq": seq,
                                                    "effective_date": "2025-06-10"})
    assert accepted.status_code == 201, accepted.text
    assert [e["effect"] for e in accepted.json()["effects"]] == ["accepts"]
    notice_now = client.get(f"{V}/notice", headers=auth("revisor"), params={"as_of": "2025-06-10"})
    assert notice_now.json()["ends_on"] == "2025-07-10"
    assert client.get(f"{V}/acceptances", headers=auth("revisor")).json()["pending"] == []
    again = post(client, auth, V, "bestallare", {"type": "AgreementAccepted", "proposal_seq": seq})
    assert again.status_code == 409 and again.json()["rule"] == "accepted_once"


def test_an_act_needing_no_acceptance_cannot_be_accepted(client, auth):
    seq = post(client, auth, V, "bestallare", {"type": "TerminationNoticeGiven", "by": "bestallare",
                                               "written": True}).json()["seq"]
    response = post(client, auth, V, "utforare", {"type": "AgreementAccepted", "proposal_seq": seq})
    assert response.status_code == 409 and response.json()["rule"] == "needs_acceptance"


def test_utforare_alone_cannot_agree_an_fte_change(client, auth):
    """C 2 "i samråd med beställaren": nine FTE recorded by Leanlink change neither the agreed
    allocation nor the pay until the beställare accepts; then pay follows from that month."""
    change = post(client, auth, C, "utforare", {"type": "StaffingChanged", "planned": True,
                                                "fte_allocation": NINE}).json()
    assert [d["kind"] for d in change["deviations"]] == ["fte_change_not_agreed"]
    before = client.get(f"{C}/compensation", headers=auth("revisor"), params={"year": 2026}).json()
    assert before["agreed_fte"] == "7.5"
    post(client, auth, C, "bestallare", {"type": "AgreementAccepted", "proposal_seq": change["seq"],
                                         "effective_date": "2025-09-15"})
    year = client.get(f"{C}/compensation", headers=auth("revisor"), params={"year": 2025}).json()
    rates = {m["month"]: m["annual_rate"] for m in year["months"]}
    assert rates["2025-08"] != rates["2025-09"] == rates["2025-12"]  # from the month it takes effect
    assert float(year["agreed_fte"]) == 9.0
    deviations = client.get(f"{C}/deviations", headers=auth("revisor"),
                            params={"as_of": "2025-10-01"}).json()["deviations"]
    [fte] = [d for d in deviations if d["kind"] == "fte_change_not_agreed"]
    assert (fte["until"], fte["open"]) == ("2025-09-15", False)


def test_withdrawal_without_effect_never_blocks_a_later_one(client, auth):
    notice = post(client, auth, C, "bestallare", {"type": "TerminationNoticeGiven", "by": "bestallare",
                                                  "written": True}).json()["seq"]
    first = post(client, auth, C, "bestallare", {"type": "TerminationNoticeWithdrawn",
                                                 "notice_seq": notice}).json()["seq"]
    corrected = post(client, auth, C, "bestallare", {"type": "EntryCorrected", "entry_seq": first,
                                                     "reason": "fel datum"})
    assert corrected.status_code == 201
    second = post(client, auth, C, "bestallare", {"type": "TerminationNoticeWithdrawn",
                                                  "notice_seq": notice})
    assert second.status_code == 201, second.text
    third = post(client, auth, C, "utforare", {"type": "TerminationNoticeWithdrawn",
                                               "notice_seq": notice})
    assert third.status_code == 201, third.text  # the second awaits acceptance: nothing blocks
    post(client, auth, C, "utforare", {"type": "AgreementAccepted",
                                       "proposal_seq": second.json()["seq"]})
    assert client.get(f"{C}/notice", headers=auth("revisor")).json()["status"] == "running"
    late = post(client, auth, C, "bestallare", {"type": "TerminationNoticeWithdrawn",
                                                "notice_seq": notice})
    assert late.status_code == 409 and "already withdrawn" in late.json()["detail"]


def test_a_corrected_entry_blocks_nothing(client, auth):
    breach = post(client, auth, V, "bestallare", {"type": "BreachNoticeIssued", "written": True,
                                                  "breaches": ["brist"]}).json()["seq"]
    remedy = post(client, auth, V, "utforare", {"type": "BreachRemedied",
                                                "breach_notice_seq": breach}).json()["seq"]
    post(client, auth, V, "utforare", {"type": "EntryCorrected", "entry_seq": remedy, "reason": "fel"})
    again = post(client, auth, V, "utforare", {"type": "BreachRemedied", "breach_notice_seq": breach})
    assert again.status_code == 201, again.text


def test_fields_that_let_one_party_certify_consent_are_refused(client, auth):
    for path, body in ((C, {"type": "StaffingChanged", "planned": True, "fte_allocation": NINE,
                            "agreed_with_bestallare": True}),
                       (V, {"type": "TerminationNoticeWithdrawn", "notice_seq": 1,
                            "agreed_by_both": True})):
        response = post(client, auth, path, "utforare", body)
        assert response.status_code == 422, response.text


# --- units and target ids are the contract's ---------------------------------------------


def test_fte_allocation_names_the_contracts_units(client, auth):
    partial = post(client, auth, C, "utforare", {"type": "StaffingChanged", "planned": True,
                                                 "fte_allocation": {"Valla": "1.0", "Skaggetorp": "1"}})
    problem = partial.json()
    assert partial.status_code == 422 and problem["rule"] == "fte_units"
    assert "unknown units: Skaggetorp" in problem["detail"] and "missing units: " in problem["detail"]
    assert "Skäggetorp" in problem["detail"]
    explicit = post(client, auth, C, "utforare", {"type": "StaffingChanged", "planned": True,
                                                  "fte_allocation": {"Valla": "1.0"},
                                                  "fte_allocation_partial": True})
    assert explicit.status_code == 201, explicit.text
    [deviation] = explicit.json()["deviations"]
    assert "Valla 0.5→1" in deviation["explanation"] and "Skäggetorp" not in deviation["explanation"]
    elsewhere = post(client, auth, V, "utforare", {"type": "StaffingChanged", "planned": True,
                                                   "fte_allocation": UNITS})
    assert elsewhere.status_code == 422


def test_outcome_target_ids_are_the_contracts(client, auth):
    response = post(client, auth, V, "utforare", {"type": "AnnualReportSubmitted", "year": 2024,
                                                  "outcomes": {"1": "100"}})
    problem = response.json()
    assert response.status_code == 422 and problem["rule"] == "outcome_targets"
    assert "latt_att_komma_i_kontakt" in problem["detail"]


def test_openapi_examples_use_real_ids(client, auth):
    from api.http.examples import EVENT_EXAMPLES, MORE_EXAMPLES

    report = post(client, auth, V, "utforare", {"type": "AnnualReportSubmitted",
                                                **EVENT_EXAMPLES["AnnualReportSubmitted"]})
    assert report.status_code == 201, report.text
    for name, (kind, fields) in MORE_EXAMPLES.items():
        if kind == "StaffingChanged":
            response = post(client, auth, C, "utforare", {"type": kind, **fields}, dry_run="true")
            assert response.status_code == 200, (name, response.text)


# --- planned changes, nothing silent, billing, personal data --------------------------------


def test_nothing_silent(client, auth):
    breach = post(client, auth, F, "bestallare", {"type": "BreachNoticeIssued", "written": True,
                                                  "breaches": ["brist"]}).json()
    [said] = breach["effects"]
    assert said["effect"] == "no_effect" and "förtida uppsägning" in said["summary"]
    assert said["clause"]["section"] == "Förtida uppsägning (saknas)"
    early = post(client, auth, V, "utforare", {"type": "AnnualReportSubmitted", "year": 2025}).json()
    assert [e["effect"] for e in early["effects"]] == ["no_effect"]
    assert "har inte slutat" in early["effects"][0]["summary"]
    dispute = post(client, auth, V, "utforare", {"type": "DisputeRaised", "by": "utforare",
                                                 "subject": "tvist"}).json()["seq"]
    decided = post(client, auth, V, "kommunstyrelsen", {"type": "DisputeDecided",
                                                        "dispute_seq": dispute, "decision": "x",
                                                        "paragraph": "§ 1"}).json()
    assert decided["effects"] and decided["effects"][0]["clause"]["section"] == "5.2 Tvist"


def test_billing_month_shows_hours_above_the_cap_unpriced_f(client, auth):
    post(client, auth, F, "utforare", {"type": "ServiceHoursReported", "month": "2025-05",
                                       "sessions": [{"minutes": 600}] * 260})  # 2 600 hours
    body = client.get(f"{F}/billing", headers=auth("revisor"), params={"month": "2025-05"}).json()
    assert (body["client_hours"], body["hours_above_cap"], body["cap_hours"]) == (
        "2600.00", "10.00", "2590")
    assert body["amount"] == str((2590 * __import__("decimal").Decimal(body["hourly_rate"]))
                                 .quantize(__import__("decimal").Decimal("0.01")))
    assert client.get(f"{V}/billing", headers=auth("revisor"),
                      params={"month": "2025-05"}).status_code == 404


@pytest.mark.parametrize("text", ["850709 9805", "850709–9805", "850709—9805", "8507099805",
                                  "19850709-9805", "850709+9805", "198507099805", "850709 - 9805"])
def test_personnummer_in_any_separator_form_is_refused(client, auth, text):
    response = post(client, auth, V, "utforare", {"type": "LexSarahReported", "note": f"avser {text}"})
    assert response.status_code == 422 and "personnummer" in response.text

"""Reads: as_of / known_at, paging, filters, terms with citations, the dossier and the calendar."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from tests.support.builders import post_event

V = "/contracts/vald-i-nara-relation"
F = "/contracts/familjeradgivning"


def test_contract_shows_terms_with_citations(client, auth):
    body = client.get(V, headers=auth("revisor")).json()
    assert (body["ref"], body["diarienummer"], body["status"], body["version"]) == \
        ("vald-i-nara-relation", "SON 2019-755", "running", 1)
    termination = body["terms"]["termination"]
    assert termination["notice_months"] == 12
    assert set(termination["citation"]) >= {"document", "section", "quote"}


def test_amended_terms_apply_from_their_effective_date(client, auth):
    post_event(client, auth, F, "bestallare", type="AmendmentSigned", effective_date="2025-01-01",
          changes={"termination": {"notice_months": 6}}, signatories=[
              {"party": "bestallare", "name": "A", "authorised": True},
              {"party": "utforare", "name": "B", "authorised": True}])
    before = client.get(F, params={"as_of": "2024-12-31"}, headers=auth("revisor")).json()
    after = client.get(F, params={"as_of": "2025-01-01"}, headers=auth("revisor")).json()
    assert before["terms"]["termination"]["notice_months"] == 12
    assert after["terms"]["termination"]["notice_months"] == 6


def test_events_page_with_after_and_limit(client, auth):
    for day in ("2025-05-26", "2025-05-27", "2025-05-28"):
        post_event(client, auth, V, "utforare", type="LexSarahReported", effective_date=day)
    first = client.get(f"{V}/events", params={"limit": 2}, headers=auth("revisor")).json()
    assert [e["seq"] for e in first["events"]] == [1, 2]
    assert first["next_after"] == 2
    rest = client.get(f"{V}/events", params={"after": 2, "limit": 2}, headers=auth("revisor")).json()
    assert [e["seq"] for e in rest["events"]] == [3, 4]
    assert rest["next_after"] is None
    event = rest["events"][0]
    assert set(event) >= {"seq", "type", "effective_date", "recorded_at", "actor", "data", "hash",
                          "prev_hash"}
    assert event["prev_hash"] == first["events"][1]["hash"]
    assert datetime.fromisoformat(event["recorded_at"]).tzinfo is not None


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 1001}, {"after": -1}, {"limit": "x"}])
def test_paging_out_of_bounds_is_422(client, auth, params):
    response = client.get(f"{V}/events", params=params, headers=auth("revisor"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] in params


def test_known_at_shows_what_the_ledger_knew(client, auth):
    time.sleep(0.01)
    before = datetime.now(tz=UTC).isoformat()
    time.sleep(0.01)
    post_event(client, auth, V, "bestallare", type="TerminationNoticeGiven", effective_date="2025-03-15",
          by="bestallare", written=True)
    then = client.get(f"{V}/notice", params={"known_at": before}, headers=auth("revisor")).json()
    now = client.get(f"{V}/notice", headers=auth("revisor")).json()
    assert (then["status"], now["status"]) == ("running", "under_notice")
    events = client.get(f"{V}/events", params={"known_at": before}, headers=auth("revisor")).json()
    assert [e["seq"] for e in events["events"]] == [1]


def test_obligations_as_of_and_status_filter(client, auth):
    post_event(client, auth, V, "utforare", type="LexSarahNotifiedToIVO", effective_date="2025-05-30")
    everything = client.get(f"{V}/obligations", headers=auth("revisor")).json()
    assert everything["as_of"] == "2025-06-02"
    copy = next(o for o in everything["obligations"] if o["kind"] == "lex_sarah_copy")
    assert copy["status"] == "open"
    assert set(copy["clause"]) >= {"section", "quote"}
    later = client.get(f"{V}/obligations", params={"as_of": "2025-06-10", "status": "overdue"},
                       headers=auth("revisor")).json()
    assert "lex_sarah_copy:2" in [o["id"] for o in later["obligations"]]
    assert {o["status"] for o in later["obligations"]} == {"overdue"}


def test_open_obligations_across_contracts_with_filters(client, auth):
    body = client.get("/obligations", params={"holder": "utforare", "due_before": "2025-04-01"},
                      headers=auth("revisor")).json()
    assert body["obligations"]
    assert {o["holder"] for o in body["obligations"]} == {"utforare"}
    assert all(o["due"] < "2025-04-01" for o in body["obligations"])
    assert {o["status"] for o in body["obligations"]} <= {"open", "overdue"}
    assert {o["contract"] for o in body["obligations"]} <= {
        "vald-i-nara-relation", "familjeradgivning", "skolsocialt-team", "familjecentraler"}


def test_obligation_lists_are_byte_for_byte_what_their_models_give(client, auth):
    # The obligation lists are written straight to JSON (api.http.schemas); they must be what
    # validating into the response models and dumping them gives.
    from api.http.effects import obligation_view
    from api.http.schemas import ContractObligationOut, ObligationList, ObligationOut, OpenObligationList

    post_event(client, auth, V, "utforare", type="LexSarahNotifiedToIVO", effective_date="2025-05-30")
    post_event(client, auth, F, "utforare", type="LexSarahNotifiedToIVO", effective_date="2025-03-03")
    post_event(client, auth, F, "utforare", type="LexSarahCopySent", effective_date="2025-03-04",
               anmalan_seq=2)
    time.sleep(0.01)
    known_at = datetime.now(tz=UTC)
    post_event(client, auth, V, "utforare", type="LexSarahNotifiedToIVO", effective_date="2025-06-01")
    reads = client.app.state.services.reads
    checked = 0
    for params in ({}, {"as_of": "2025-06-10"}, {"as_of": "2025-06-10", "status": "overdue"},
                   {"as_of": "2031-02-01"}, {"known_at": known_at.isoformat()},
                   {"known_at": known_at.astimezone(timezone(timedelta(hours=2))).isoformat()}):
        response = client.get(f"{V}/obligations", params=params, headers=auth("revisor"))
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json"
        day = date.fromisoformat(params.get("as_of", "2025-06-02"))
        at = datetime.fromisoformat(params["known_at"]) if "known_at" in params else None
        found = reads.obligations(V.rsplit("/", 1)[1], as_of=day, known_at=at, status=params.get("status"))
        expected = ObligationList.model_validate({
            "as_of": day, "known_at": params.get("known_at"),
            "obligations": [ObligationOut.model_validate(obligation_view(o, judged)) for o, judged in found]})
        assert response.content == expected.model_dump_json().encode()
        checked += len(found)
    for params in ({}, {"as_of": "2025-06-10"}, {"status": "overdue", "holder": "utforare"},
                   {"due_before": "2025-06-05"}, {"as_of": "2031-02-01"}):
        response = client.get("/obligations", params=params, headers=auth("revisor"))
        assert response.status_code == 200
        day = date.fromisoformat(params.get("as_of", "2025-06-02"))
        found = reads.open_obligations(as_of=day, status=params.get("status"), holder=params.get("holder"),
                                       due_before=date.fromisoformat(params.get("due_before", "9999-12-31")))
        expected = OpenObligationList.model_validate({"as_of": day, "obligations": [
            ContractObligationOut.model_validate({**obligation_view(o, judged), "contract": ref})
            for ref, o, judged in found]})
        assert response.content == expected.model_dump_json().encode()
        checked += len(found)
    assert checked > 30


def test_deviations_and_compensation(client, auth):
    post_event(client, auth, F, "utforare", type="PremisesChanged", effective_date="2025-05-01",
          address="Gården 1, Vikingstad", within_tatort=False)
    deviations = client.get(f"{F}/deviations", headers=auth("revisor")).json()["deviations"]
    assert [(d["kind"], d["open"]) for d in deviations] == [("premises_outside_tatort", True)]
    money = client.get(f"{V}/compensation", params={"year": 2020}, headers=auth("revisor")).json()
    assert money["base_amount"] == "4093284.00"
    assert money["annual_amount"].endswith(".00") and "." in money["monthly_amount"]


def test_dispute_dossier_as_html_and_pdf(client, auth):
    post_event(client, auth, F, "utforare", type="DisputeRaised", effective_date="2025-05-01",
          by="utforare", subject="Lokalernas läge", clauses=["3"], concerning_seqs=[1])
    post_event(client, auth, F, "bestallare", type="DisputeReferredToKommunstyrelsen",
          effective_date="2025-05-20", dispute_seq=2)
    html = client.get(f"{F}/disputes/2/dossier", headers=auth("kommunstyrelsen"))
    assert html.status_code == 200
    assert html.headers["content-type"].startswith("text/html")
    assert "Lokalernas läge" in html.text and "hänskjuten till kommunstyrelsen" in html.text
    assert "Ingen dialog" in html.text
    pdf = client.get(f"{F}/disputes/2/dossier",
                     headers={**auth("kommunstyrelsen"), "Accept": "application/pdf"})
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    refused = client.get(f"{F}/disputes/2/dossier",
                         headers={**auth("revisor"), "Accept": "application/json"})
    assert refused.status_code == 406
    assert client.get(f"{F}/disputes/1/dossier", headers=auth("revisor")).status_code == 404


def test_calendar_lists_open_deadlines_as_all_day_events(client, auth):
    post_event(client, auth, V, "utforare", type="LexSarahNotifiedToIVO", effective_date="2025-05-30")
    response = client.get("/calendar.ics", params={"contract": "vald-i-nara-relation"},
                          headers=auth("revisor"))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "DTSTART;VALUE=DATE:20250602\r\n" in text
    assert "UID:vald-i-nara-relation.lex_sarah_copy:2@verksamhetsuppdrag-ledger" in text.replace("\r\n ", "")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert "skolsocialt-team" not in text
    assert client.get("/calendar.ics", params={"contract": "nope"},
                      headers=auth("revisor")).status_code == 404


def test_verify_and_checkpoint(client, auth):
    verify = client.get("/ledger/verify", headers=auth("revisor")).json()
    assert (verify["ok"], verify["events"]) == (True, 4)
    checkpoint = client.get("/ledger/checkpoint", headers=auth("revisor")).json()
    assert checkpoint["head"] == verify["head"]
    assert set(checkpoint) >= {"events", "head", "signed_at", "signature", "public_key"}

"""What is due: GET /obligations filters, dispute lists, unknown query parameters, sv labels."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from api import tokens
from tests.support.builders import post_event, with_authority

V = "/contracts/vald-i-nara-relation"
F = "/contracts/familjeradgivning"


def _get(client, auth, path, **params):
    response = client.get(path, params=params, headers=auth("revisor"))
    assert response.status_code == 200, response.text
    return response.json()


def test_the_default_is_open_and_overdue_and_status_repeats(client, auth):
    post_event(client, auth, V, "utforare", type="LexSarahNotifiedToIVO", effective_date="2025-05-30")
    everything = _get(client, auth, "/obligations")["obligations"]
    assert {o["status"] for o in everything} == {"open", "overdue"}
    both = _get(client, auth, "/obligations", status=["open", "overdue"])["obligations"]
    assert both == everything
    only_open = _get(client, auth, "/obligations", status="open")["obligations"]
    assert only_open and {o["status"] for o in only_open} == {"open"}
    settled = _get(client, auth, "/obligations", status=["fulfilled", "void"])["obligations"]
    assert all(o["status"] in ("fulfilled", "void") for o in settled)


def test_what_is_due_this_month(client, auth):
    post_event(client, auth, V, "utforare", type="LexSarahNotifiedToIVO", effective_date="2025-05-30")
    post_event(client, auth, F, "utforare", type="LexSarahNotifiedToIVO", effective_date="2025-06-10")
    june = _get(client, auth, "/obligations", due_after="2025-05-31", due_before="2025-07-01",
                as_of="2025-06-15")["obligations"]
    assert june and all("2025-06-01" <= o["due"] <= "2025-06-30" for o in june)
    later = _get(client, auth, "/obligations", due_after="2025-06-05", as_of="2025-06-15")["obligations"]
    assert later and all(o["due"] > "2025-06-05" for o in later)
    assert len(later) < len(_get(client, auth, "/obligations", as_of="2025-06-15")["obligations"])


def test_holder_and_contract_filters(client, auth):
    mine = _get(client, auth, "/obligations", contract="familjeradgivning", holder="utforare")
    assert mine["obligations"] and {(o["contract"], o["holder"]) for o in mine["obligations"]} == {
        ("familjeradgivning", "utforare")}
    unknown = client.get("/obligations", params={"contract": "nope"}, headers=auth("revisor"))
    assert unknown.status_code == 404


def test_obligations_carry_their_swedish_labels(client, auth):
    found = _get(client, auth, "/obligations", contract="familjeradgivning")["obligations"]
    overdue = next(o for o in found if o["status"] == "overdue")
    assert overdue["sv"]["status"] == "försenad"
    assert overdue["sv"]["holder"] == "utföraren"
    assert overdue["sv"]["kind"] in ("Verksamhetsberättelse", "Sammanställning av lex Sarah-ärenden")
    one = _get(client, auth, f"{F}/obligations")["obligations"][0]
    assert set(one["sv"]) == {"kind", "holder", "status"}
    assert _get(client, auth, "/contracts")["contracts"][0]["sv"]["status"] == "löper"
    event = _get(client, auth, f"{F}/events")["events"][0]
    assert event["sv"] == {"type": "Avtal registrerat", "role": "administratör"}


@pytest.mark.parametrize(("path", "params"), [
    ("/obligations", {"due_afterr": "2025-01-01"}),
    ("/obligations", {"token": "x"}),
    ("/contracts", {"as_of": "2025-01-01"}),
    (f"{V}/obligations", {"statuss": "open"}),
    (f"{V}/events", {"limit": "5", "foo": "1"}),
    ("/ledger/verify", {"x": "1"}),
    ("/disputes", {"contract": "x"}),
])
def test_an_unknown_query_parameter_is_422_naming_it(client, auth, path, params):
    response = client.get(path, params=params, headers=auth("revisor"))
    assert response.status_code == 422, (path, response.text)
    body = response.json()
    assert body["rule"] == "unknown_query_parameter"
    assert body["field"] in params and body["field"] not in ("limit",)


def test_an_unknown_query_parameter_on_a_write_writes_nothing(client, auth):
    before = len(_get(client, auth, f"{V}/events")["events"])
    response = client.post(f"{V}/events", params={"dryrun": "true"}, headers=auth("utforare"),
                           json={"type": "LexSarahReported", "effective_date": "2025-05-30"})
    assert response.status_code == 422 and response.json()["field"] == "dryrun"
    assert len(_get(client, auth, f"{V}/events")["events"]) == before


def test_disputes_are_listed_per_contract_and_across(client, auth):
    raised = post_event(client, auth, F, "utforare", type="DisputeRaised", effective_date="2025-05-01",
                   by="utforare", subject="Lokalernas läge", clauses=["3"])["seq"]
    post_event(client, auth, F, "bestallare", type="DisputeReferredToKommunstyrelsen",
          effective_date="2025-05-20", dispute_seq=raised)
    other = post_event(client, auth, V, "bestallare", type="DisputeRaised", effective_date="2025-04-01",
                  by="bestallare", subject="Rapportering")["seq"]
    mine = _get(client, auth, f"{F}/disputes")["disputes"]
    assert mine == [{"sv": {"status": "hänskjuten till kommunstyrelsen", "by": "utföraren"},
                     "ref": "familjeradgivning", "seq": raised, "subject": "Lokalernas läge",
                     "by": "utforare", "raised_on": "2025-05-01", "status": "referred",
                     "dossier": f"{F}/disputes/{raised}/dossier", "decided_on": None,
                     "paragraph": None, "justerat_on": None, "anslaget_on": None,
                     "appeal_window_ends": None, "appealable_until": None, "appealable": None}]
    every = _get(client, auth, "/disputes")["disputes"]
    assert [(d["ref"], d["seq"], d["status"]) for d in every] == [
        ("vald-i-nara-relation", other, "raised"), ("familjeradgivning", raised, "referred")]
    assert _get(client, auth, "/disputes", status="raised")["disputes"][0]["seq"] == other
    assert client.get(mine[0]["dossier"], headers=auth("kommunstyrelsen")).status_code == 200
    assert client.get("/contracts/nope/disputes", headers=auth("revisor")).status_code == 404


def test_validation_errors_carry_a_swedish_message_beside_the_english(client, auth):
    response = client.post(f"{V}/events", headers=auth("bestallare"), json={
        "type": "BreachNoticeIssued", "effective_date": "2025-13-01", "written": "kanske",
        "breaches": "ett"})
    assert response.status_code == 422
    body = response.json()
    by_field = {e["field"]: e for e in body["errors"]}
    assert by_field["effective_date"]["message_sv"] == "ska vara ett datum (ÅÅÅÅ-MM-DD)"
    assert by_field["written"]["message_sv"] == "ska vara true eller false"
    assert by_field["breaches"]["message_sv"] == "ska vara en lista"
    assert all(e["message"] and e["message"] != e["message_sv"] for e in body["errors"])
    assert body["detail_sv"].startswith("inget registrerades; ")
    personal = client.post(f"{V}/events", headers=auth("utforare"), json={
        "type": "LexSarahReported", "effective_date": "2025-05-01", "note": "gäller 19121212-1212"})
    assert "person- eller samordningsnummer" in personal.json()["errors"][0]["message_sv"]
    query = client.get("/obligations", params={"due_after": "igår"}, headers=auth("revisor"))
    assert query.json()["errors"][0]["message_sv"] == "ska vara ett datum (ÅÅÅÅ-MM-DD)"


def test_one_access_log_line_per_request_with_its_id_and_no_token(client, auth, caplog):
    feed = tokens.create(Path(os.environ["LEDGER_TOKENS_FILE"]), role="revisor", name="Kalender",
                         scopes=("calendar",))
    with caplog.at_level("INFO", logger="ledger.access"):
        ok = client.get("/calendar.ics", params={"token": feed})
        refused = client.get("/obligations", params={"nope": "1"}, headers=auth("revisor"))
    lines = [r.getMessage() for r in caplog.records if r.name == "ledger.access"]
    assert len(lines) == 2
    assert f"request_id={ok.headers['x-request-id']}" in lines[0] and " 200 " in lines[0]
    assert f"request_id={refused.json()['request_id']}" in lines[1] and " 422 " in lines[1]
    assert "GET /calendar.ics " in lines[0]
    bearer = auth("revisor")["Authorization"].split()[1]
    assert all(feed not in line and "token" not in line and bearer not in line for line in lines)


def test_the_notice_and_its_notices_carry_swedish_labels(client, auth):
    post_event(client, auth, V, "bestallare", type="TerminationNoticeGiven", effective_date="2025-03-15",
          by="bestallare", written=False)
    body = _get(client, auth, f"{V}/notice")
    assert body["sv"] == {"status": "löper"}
    assert body["notices"][0]["sv"] == {"kind": "uppsägning", "by": "beställaren"}
    effects = client.post(f"{V}/events", params={"dry_run": "true"}, headers=auth("utforare"),
                          json=with_authority({"type": "TerminationNoticeGiven",
                                               "effective_date": "2025-06-02", "by": "utforare",
                                               "written": True})).json()["effects"]
    assert effects[0]["summary"] == "uppsägningen gäller: uppdraget upphör 2026-06-02"

"""Bokförs från: duties due before the ledger tracked a contract are not overdue."""

from __future__ import annotations

V = "/contracts/vald-i-nara-relation"


def _post(client, auth, role, **body):
    return client.post(f"{V}/events", json=body, headers=auth(role))


def _statuses(client, auth, **params):
    found = client.get(f"{V}/obligations", params=params, headers=auth("revisor")).json()["obligations"]
    return {o["id"]: (o["status"], o["sv"]["status"]) for o in found}


def test_duties_due_before_the_tracking_start_are_before_tracking(client, auth):
    before = _statuses(client, auth)
    assert before["annual_report:2020"] == ("overdue", "försenad")
    copy = _post(client, auth, "utforare", type="LexSarahNotifiedToIVO", effective_date="2024-01-10")
    assert copy.status_code == 201
    report = _post(client, auth, "utforare", type="AnnualReportSubmitted", effective_date="2025-05-01",
                   year=2022)
    assert report.status_code == 201
    moved = _post(client, auth, "admin", type="TrackingStartChanged", effective_date="2025-06-02",
                  tracked_from="2025-06-02")
    assert moved.status_code == 201, moved.text
    after = _statuses(client, auth)
    assert after["annual_report:2020"] == ("before_tracking", "före bokföringen")
    assert after["annual_report:2024"] == ("before_tracking", "före bokföringen")  # due 2025-03-31
    assert after["annual_report:2022"][0] == "fulfilled"  # an event records it
    copy_id = next(i for i in after if i.startswith("lex_sarah_copy:"))
    assert after[copy_id][0] == "overdue"  # created by a recorded event
    # What is due across contracts leaves them out; asked for, they are there.
    due = client.get("/obligations", params={"contract": "vald-i-nara-relation"},
                     headers=auth("revisor")).json()["obligations"]
    assert {o["status"] for o in due} == {"overdue"} and [o["id"] for o in due] == [copy_id]
    untracked = client.get("/obligations", params={"contract": "vald-i-nara-relation",
                                                   "status": "before_tracking"},
                           headers=auth("revisor")).json()["obligations"]
    assert {o["id"] for o in untracked} >= {"annual_report:2020", "lex_sarah_summary:2020"}


def test_only_admin_moves_the_tracking_start(client, auth):
    refused = _post(client, auth, "bestallare", type="TrackingStartChanged",
                    effective_date="2025-06-02", tracked_from="2025-06-02")
    assert refused.status_code == 403
    assert _statuses(client, auth)["annual_report:2020"][0] == "overdue"

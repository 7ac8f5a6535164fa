"""Recording through the API: If-Match, concurrency, idempotency, dry runs, read-after-write."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

from tests.api.conftest import TODAY

V = "/contracts/vald-i-nara-relation"
NOTICE = {"type": "TerminationNoticeGiven", "effective_date": "2025-03-15", "by": "bestallare",
          "written": True, "document_ref": "SON 2025-101",
          "decision": {"body": "Social- och omsorgsnämnden", "paragraph": "§ 31",
                       "decided_on": "2025-03-12", "diarienummer": "SON 2025-101"}}
LEX_SARAH = {"type": "LexSarahNotifiedToIVO", "effective_date": "2025-05-30",
             "ivo_diarienummer": "IVO 3.5.1-1/2025"}


def _count(client, auth) -> int:
    return len(client.get(f"{V}/events", headers=auth("revisor")).json()["events"])


def test_notice_answers_201_with_its_effect_etag_and_location(client, auth):
    response = client.post(f"{V}/events", json=NOTICE, headers=auth("bestallare"))

    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["seq"], body["version"]) == (2, 2)
    # Changed with issue 13: the summary is Swedish and the effect carries its sv label.
    assert {"effect": "notice", "summary": "uppsägningen gäller: uppdraget upphör 2026-03-15",
            "obligation": None, "ends_on": "2026-03-15", "clause": None,
            "sv": {"effect": "uppsägning"}} in body["effects"]
    assert body["deviations"] == []
    assert response.headers["ETag"] == '"2"'
    assert response.headers["Location"] == f"{V}/events/2"
    assert client.get(response.headers["Location"], headers=auth("revisor")).json()["type"] == \
        "TerminationNoticeGiven"


def test_an_oral_notice_is_recorded_with_its_deviation(client, auth):
    response = client.post(f"{V}/events", json={**NOTICE, "written": False, "by": "utforare"},
                           headers=auth("utforare"))

    assert response.status_code == 201, response.text
    deviations = response.json()["deviations"]
    assert [d["kind"] for d in deviations] == ["notice_not_written"]
    assert deviations[0]["seqs"] == [2]


def test_an_event_opening_an_obligation_lists_it(client, auth):
    body = client.post(f"{V}/events", json=LEX_SARAH, headers=auth("utforare")).json()

    opened = [e for e in body["effects"] if e["effect"] == "opens"]
    assert [e["obligation"]["kind"] for e in opened] == ["lex_sarah_copy"]
    assert opened[0]["obligation"]["created_by_seq"] == 2

    copy = {"type": "LexSarahCopySent", "effective_date": "2025-05-30", "anmalan_seq": 2}
    fulfilled = client.post(f"{V}/events", json=copy, headers=auth("utforare")).json()["effects"]
    assert [(e["effect"], e["obligation"]["fulfilled_by_seq"]) for e in fulfilled] == [("fulfils", 3)]


def test_read_after_write_reflects_the_write(client, auth):
    assert client.get(f"{V}/notice", headers=auth("revisor")).json()["status"] == "running"

    client.post(f"{V}/events", json=NOTICE, headers=auth("bestallare"))

    assert client.get(f"{V}/notice", headers=auth("revisor")).json()["ends_on"] == "2026-03-15"
    assert client.get(V, headers=auth("revisor")).json()["version"] == 2
    client.post(f"{V}/events", json=LEX_SARAH, headers=auth("utforare"))
    obligations = client.get(f"{V}/obligations", headers=auth("revisor")).json()["obligations"]
    assert "lex_sarah_copy:3" in [o["id"] for o in obligations]


def test_stale_if_match_is_409_and_writes_nothing(client, auth):
    assert client.post(f"{V}/events", json=NOTICE, headers=auth("bestallare")).status_code == 201

    response = client.post(f"{V}/events", json=LEX_SARAH,
                           headers={**auth("utforare"), "If-Match": '"1"'})

    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["rule"] == "expected_version"
    assert _count(client, auth) == 2


def test_current_if_match_quoted_or_bare_is_accepted(client, auth):
    first = client.post(f"{V}/events", json=LEX_SARAH, headers={**auth("utforare"), "If-Match": '"1"'})
    second = client.post(f"{V}/events", json=LEX_SARAH, headers={**auth("utforare"), "If-Match": "2"})
    assert (first.status_code, second.status_code) == (201, 201)


def test_malformed_if_match_is_422_naming_the_header(client, auth):
    response = client.post(f"{V}/events", json=LEX_SARAH,
                           headers={**auth("utforare"), "If-Match": 'W/"x"'})
    assert response.status_code == 422
    assert response.json()["field"] == "If-Match"


def test_concurrent_posts_with_the_same_if_match_write_exactly_one(client, auth):
    threads = 8
    barrier = Barrier(threads)

    def post(_: int) -> int:
        barrier.wait()
        return client.post(f"{V}/events", json=LEX_SARAH,
                           headers={**auth("utforare"), "If-Match": '"1"'}).status_code

    with ThreadPoolExecutor(threads) as pool:
        statuses = sorted(pool.map(post, range(threads)))

    assert statuses == [201] + [409] * (threads - 1)
    assert _count(client, auth) == 2


def test_idempotency_key_returns_the_first_response_and_writes_once(client, auth):
    headers = {**auth("utforare"), "Idempotency-Key": "report-2025-05-30"}
    first = client.post(f"{V}/events", json=LEX_SARAH, headers=headers)
    again = client.post(f"{V}/events", json=LEX_SARAH, headers=headers)

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _count(client, auth) == 2


def test_idempotency_key_survives_a_restart(open_client, auth):
    headers = {**auth("utforare"), "Idempotency-Key": "restart-1"}
    with open_client() as client:
        first = client.post(f"{V}/events", json=LEX_SARAH, headers=headers)
        client.post(f"{V}/events", json=NOTICE, headers=auth("bestallare"))
    with open_client() as client:
        again = client.post(f"{V}/events", json=LEX_SARAH, headers=headers)
        assert again.status_code == 201
        assert again.json() == first.json()
        assert _count(client, auth) == 3


def test_idempotency_key_with_another_body_is_422(client, auth):
    headers = {**auth("utforare"), "Idempotency-Key": "k-1"}
    client.post(f"{V}/events", json=LEX_SARAH, headers=headers)

    response = client.post(f"{V}/events", json={**LEX_SARAH, "effective_date": "2025-05-31"},
                           headers=headers)

    assert response.status_code == 422
    assert response.json()["field"] == "Idempotency-Key"
    assert _count(client, auth) == 2


def test_dry_run_answers_what_would_happen_and_writes_nothing(client, auth):
    notice_today = {**NOTICE, "effective_date": TODAY}
    response = client.post(f"{V}/events?dry_run=true", json=notice_today,
                           headers=auth("bestallare"))

    assert response.status_code == 200
    body = response.json()
    assert body["dry_run"] is True
    assert body["effects"][0]["summary"] == "uppsägningen gäller: uppdraget upphör 2026-06-02"
    assert _count(client, auth) == 1
    assert client.get(f"{V}/notice", headers=auth("revisor")).json()["status"] == "running"


def test_a_personnummer_in_a_note_is_422_naming_the_field(client, auth):
    response = client.post(f"{V}/events", json={**LEX_SARAH, "note": "gäller 19121212-1212"},
                           headers=auth("utforare"))

    assert response.status_code == 422
    problem = response.json()
    assert problem["field"] == "note"
    assert "personnummer" in problem["detail"]
    assert [e["field"] for e in problem["errors"]] == ["note"]
    assert _count(client, auth) == 1


def test_an_impossible_act_is_409(client, auth):
    remedy = {"type": "BreachRemedied", "effective_date": "2025-05-30", "breach_notice_seq": 1}
    response = client.post(f"{V}/events", json=remedy, headers=auth("utforare"))
    assert response.status_code == 409
    assert response.json()["field"] == "breach_notice_seq"


def test_register_a_contract_as_admin(client, auth):
    from api.http.examples import contract_example

    body = contract_example()
    response = client.post("/contracts", json=body, headers=auth("admin"))

    assert response.status_code == 201, response.text
    assert response.json() == {"ref": body["ref"], "seq": 1, "version": 1}
    assert response.headers["Location"] == f"/contracts/{body['ref']}"
    refs = [c["ref"] for c in client.get("/contracts", headers=auth("revisor")).json()["contracts"]]
    assert body["ref"] in refs
    again = client.post("/contracts", json=body, headers=auth("admin"))
    assert again.status_code == 409
    assert again.json()["rule"] == "unique_ref"

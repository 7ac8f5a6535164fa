"""Every refusal is problem+json with the field and the rule; nothing malformed reaches a 500."""

from __future__ import annotations

import pytest

V = "/contracts/vald-i-nara-relation"
PROBLEM = {"type", "title", "status", "detail"}


def _problem(response, status):
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert set(body) >= PROBLEM and body["status"] == status
    return body


def test_unknown_route_and_method(client, auth):
    _problem(client.get("/no/such/thing", headers=auth("admin")), 404)
    _problem(client.delete(V, headers=auth("admin")), 405)


def test_unknown_contract_and_entry(client, auth):
    assert _problem(client.get("/contracts/nope/obligations", headers=auth("admin")), 404)["field"] == "ref"
    _problem(client.get(f"{V}/events/99", headers=auth("admin")), 404)
    _problem(client.post("/contracts/nope/events", headers=auth("utforare"),
                         json={"type": "LexSarahReported", "effective_date": "2025-01-01"}), 404)


@pytest.mark.parametrize(("content", "headers"), [
    (b"{not json", {"Content-Type": "application/json"}),
    (b'{"type": "LexSarahReported", "effective_date": "2025-01-01"}', {"Content-Type": "text/plain"}),
    (b"\xff\xfe\x00", {"Content-Type": "application/json"}),
    (b"[]", {"Content-Type": "application/json"}),
    (b"", {}),
])
def test_malformed_bodies_are_422(client, auth, content, headers):
    response = client.post(f"{V}/events", content=content, headers={**auth("utforare"), **headers})
    body = _problem(response, 422)
    assert body["errors"][0]["field"] == "body"


@pytest.mark.parametrize(("event", "field"), [
    ({"type": "NoSuchEvent", "effective_date": "2025-01-01"}, "type"),
    ({"type": "LexSarahReported", "effective_date": "2025-02-30"}, "effective_date"),
    ({"type": "LexSarahReported"}, "effective_date"),
    ({"type": "LexSarahReported", "effective_date": "2025-01-01", "count": 10**40}, "count"),
    ({"type": "DisputeRaised", "effective_date": "2025-01-01", "by": "utforare", "subject": "x",
      "concerning_seqs": [10**30]}, "concerning_seqs.0"),
    ({"type": "LexSarahReported", "effective_date": "2025-01-01", "note": "\u0000\ud7ff"}, "note"),
    ({"type": "LexSarahReported", "effective_date": "2025-01-01", "note": "ÅÄÖ \U0010ffff 🦆"}, None),
    ({"type": "LexSarahReported", "effective_date": "2025-01-01", "surprise": 1}, "surprise"),
])
def test_ill_typed_events_name_the_field(client, auth, event, field):
    response = client.post(f"{V}/events", json=event, headers=auth("utforare"))
    if field is None:
        assert response.status_code in (201, 422)
        return
    body = _problem(response, 422)
    assert field in [e["field"] for e in body.get("errors", [])] or body.get("field") == field


@pytest.mark.parametrize("query", ["as_of=2025-13-01", "as_of=99999-01-01", "as_of=0001-01-01",
                                   "known_at=yesterday", "known_at=2025-01-01T00:00:00",
                                   "status=lost"])
def test_bad_query_parameters_are_422(client, auth, query):
    body = _problem(client.get(f"{V}/obligations?{query}", headers=auth("revisor")), 422)
    assert body["errors"][0]["field"] == query.split("=")[0]


def test_huge_path_numbers_and_odd_refs(client, auth):
    _problem(client.get(f"{V}/events/{10**30}", headers=auth("revisor")), 422)
    _problem(client.get("/contracts/%F0%9F%92%A5%00", headers=auth("revisor")), 404)
    _problem(client.get(f"{V}/disputes/0/dossier", headers=auth("revisor")), 422)


def test_nul_characters_are_refused_before_any_store(client, auth):
    response = client.post(f"{V}/events", headers=auth("utforare"),
                           json={"type": "PremisesChanged", "effective_date": "2025-01-01",
                                 "address": "Gata\u00001", "within_tatort": True})
    assert _problem(response, 422)["field"] == "address"
    _problem(client.get("/calendar.ics?contract=a%00b", headers=auth("revisor")), 404)

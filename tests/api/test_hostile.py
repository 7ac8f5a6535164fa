"""Hostile input: each case is a 4xx naming its field or limit, and nothing is written."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

REF = "familjeradgivning"
SIGNED = [{"party": "bestallare", "name": "A", "authorised": True},
          {"party": "utforare", "name": "B", "authorised": True}]


def _nested(depth: int) -> dict[str, Any]:
    value: dict[str, Any] = {"x": 1}
    for _ in range(depth):
        value = {"x": value}
    return value


BODIES: dict[str, dict[str, Any]] = {
    "far-future": {"type": "LexSarahReported", "effective_date": "9999-12-31"},
    "year-one": {"type": "LexSarahReported", "effective_date": "0001-01-01"},
    "before-1990": {"type": "LexSarahReported", "effective_date": "1989-12-31"},
    "after-2199": {"type": "LexSarahReported", "effective_date": "2200-01-01"},
    "datetime-as-date": {"type": "LexSarahReported", "effective_date": "2025-01-02T00:00:00"},
    "expires-year-one": {"type": "InsuranceProofSubmitted", "effective_date": "2025-01-02",
                         "insurer": "If", "amount": "10000000.00", "expires_on": "0001-01-01"},
    "expires-9999": {"type": "InsuranceProofSubmitted", "effective_date": "2025-01-02",
                     "insurer": "If", "amount": "10000000.00", "expires_on": "9999-12-31"},
    "count-true": {"type": "LexSarahReported", "effective_date": "2025-01-02", "count": True},
    "count-string": {"type": "LexSarahReported", "effective_date": "2025-01-02", "count": "7"},
    "flag-string": {"type": "PremisesChanged", "effective_date": "2025-01-02", "address": "Gatan 1",
                    "within_tatort": "yes"},
    "changes-600-deep": {"type": "AmendmentSigned", "effective_date": "2025-01-02",
                         "changes": _nested(600), "signatories": SIGNED},
    "changes-wide": {"type": "AmendmentSigned", "effective_date": "2025-01-02",
                     "changes": {f"k{i}": 1 for i in range(1000)}, "signatories": SIGNED},
    "many-breaches": {"type": "BreachNoticeIssued", "effective_date": "2025-01-02", "written": True,
                      "breaches": ["x"] * 101},
    "many-seqs": {"type": "DisputeRaised", "effective_date": "2025-01-02", "subject": "x",
                  "concerning_seqs": [1] * 1001},
}


def _written(client: TestClient, headers: dict[str, str]) -> int:
    return len(client.get(f"/contracts/{REF}/events", headers=headers,
                          params={"limit": 1000}).json()["events"])


@pytest.mark.parametrize("body", list(BODIES.values()), ids=list(BODIES))
def test_hostile_bodies_are_422(client: TestClient, auth: Callable[[str], dict[str, str]],
                                body: dict[str, Any]) -> None:
    headers = auth("admin")
    before = _written(client, headers)
    for dry_run in (True, False):
        response = client.post(f"/contracts/{REF}/events", json=body, headers=headers,
                               params={"dry_run": dry_run})
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["field"] != "body" or "json" in response.text
    assert _written(client, headers) == before


def test_a_body_over_the_limit_is_413(client: TestClient, auth: Callable[[str], dict[str, str]],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEDGER_MAX_BODY_BYTES", "2000")
    body = {"type": "LexSarahReported", "effective_date": "2025-01-02", "note": "x" * 3000}
    response = client.post(f"/contracts/{REF}/events", json=body, headers=auth("utforare"))
    assert response.status_code == 413, response.text
    assert response.json()["rule"] == "max_body_bytes"
    # Streamed without a Content-Length, too.
    chunks = iter([b'{"type": "LexSarahReported", "note": "', b"x" * 3000, b'"}'])
    response = client.post(f"/contracts/{REF}/events", content=chunks,
                           headers={**auth("utforare"), "Content-Type": "application/json"})
    assert response.status_code == 413, response.text


def test_huge_headers_are_431(client: TestClient, auth: Callable[[str], dict[str, str]]) -> None:
    response = client.get("/contracts", headers={**auth("revisor"), "X-Padding": "x" * 20_000})
    assert response.status_code == 431
    assert response.json()["rule"] == "max_header_bytes"


def test_a_utf16_body_is_422(client: TestClient, auth: Callable[[str], dict[str, str]]) -> None:
    body = '{"type": "LexSarahReported", "effective_date": "2025-01-02"}'.encode("utf-16")
    response = client.post(f"/contracts/{REF}/events", content=body,
                           headers={**auth("utforare"), "Content-Type": "application/json"})
    assert response.status_code == 422, response.text


@pytest.mark.parametrize("known_at", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00"])
def test_extreme_known_at_is_422(client: TestClient, auth: Callable[[str], dict[str, str]],
                                 known_at: str) -> None:
    for path in (f"/contracts/{REF}/obligations", f"/contracts/{REF}/events", f"/contracts/{REF}"):
        response = client.get(path, headers=auth("revisor"), params={"known_at": known_at})
        assert response.status_code == 422, (path, response.text)


def test_a_personnummer_in_an_idempotency_key_is_422(client: TestClient,
                                                     auth: Callable[[str], dict[str, str]]) -> None:
    response = client.post(f"/contracts/{REF}/events",
                           json={"type": "LexSarahReported", "effective_date": "2025-01-02"},
                           headers={**auth("utforare"), "Idempotency-Key": "19121212-1212"})
    assert response.status_code == 422, response.text
    assert "personnummer" in response.text


def test_a_registration_with_a_term_date_out_of_range_is_422(
        client: TestClient, auth: Callable[[str], dict[str, str]]) -> None:
    from api.http.examples import contract_example

    body = contract_example() | {"ref": "extrem-datum"}
    body["in_force_from"] = body["in_force_from"] | {"date": "0001-01-01"}
    response = client.post("/contracts", json=body, headers=auth("admin"))
    assert response.status_code == 422, response.text
    assert "1990-01-01" in response.text

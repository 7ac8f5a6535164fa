"""Who may do what (DOMAIN.md §5, API.md): every role × every event type, and every read."""

from __future__ import annotations

import pytest

from api.http.examples import EVENT_EXAMPLES, contract_example
from domain.events import EVENT_TYPES, PARTY_FIELDS, RECORDERS
from tests.api.conftest import ROLES

F = "/contracts/familjeradgivning"
READS = [
    "/contracts", F, f"{F}/events", f"{F}/events/1", f"{F}/obligations", "/obligations",
    f"{F}/deviations", f"{F}/notice", f"{F}/compensation?year=2025", "/calendar.ics",
    "/ledger/verify", "/ledger/checkpoint",
]


def test_every_event_type_has_an_example():
    assert set(EVENT_EXAMPLES) == set(EVENT_TYPES) - {"ContractRegistered"}


def test_every_role_records_exactly_the_events_domain_md_gives_it(client, auth):
    wrong = []
    for kind, fields in EVENT_EXAMPLES.items():
        body = {"type": kind, "effective_date": "2025-05-30", **fields}
        for role in ROLES:
            status = client.post(f"{F}/events", json=body, headers=auth(role)).status_code
            # A party's act is recorded by that party only (DOMAIN.md §2 principle 3).
            allowed = role in RECORDERS[kind] and all(
                body[name] == role for name in PARTY_FIELDS.get(kind, ()))
            if (allowed and status not in (201, 409, 422)) or (not allowed and status != 403):
                wrong.append((kind, role, status))
    assert wrong == []


def test_only_admin_registers_contracts(client, auth):
    body = contract_example()
    statuses = {role: client.post("/contracts", json=body, headers=auth(role)).status_code
                for role in ROLES if role != "admin"}
    assert statuses == dict.fromkeys(statuses, 403)
    assert client.post("/contracts", json=body, headers=auth("admin")).status_code == 201


@pytest.mark.parametrize("path", READS)
def test_every_role_reads_and_no_token_is_401(client, auth, path):
    for role in ROLES:
        response = client.get(path, headers=auth(role))
        assert response.status_code == 200, (role, path, response.text)
    anonymous = client.get(path)
    assert anonymous.status_code == 401
    assert anonymous.headers["WWW-Authenticate"].startswith("Bearer")
    assert anonymous.headers["content-type"] == "application/problem+json"


def test_an_invalid_token_is_401_and_health_needs_none(client):
    response = client.get("/contracts", headers={"Authorization": "Bearer not-a-token"})
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]
    assert client.get("/contracts", headers={"Authorization": "Basic abc"}).status_code == 401
    assert client.get("/health").json() == {"status": "ok"}


def test_a_token_created_while_running_is_accepted(client, api_env):
    from api import settings, tokens

    token = tokens.create(settings.tokens_file(), role="revisor", name="late")
    assert client.get("/contracts", headers={"Authorization": f"Bearer {token}"}).status_code == 200

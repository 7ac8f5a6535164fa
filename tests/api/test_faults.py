"""Storage trouble under a running API: 503 with Retry-After, readiness, recovery without restart."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest
from eventsourcing.persistence import OperationalError
from fastapi.testclient import TestClient

import projections.views as views_module
from api.http import create_app
from domain.ledger import Ledger
from domain.storage import Database
from projections.rebuild import rebuild
from tests.api.conftest import TODAY
from tests.projections.support import opened, snapshot
from tests.support.builders import seed
from tests.support.postgres import Cluster

REF = "familjeradgivning"
NOTE = {"type": "LexSarahReported", "effective_date": "2025-05-02"}


@pytest.fixture
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    """Short bounds, so that each outage is answered within seconds."""
    monkeypatch.setenv("LEDGER_STORAGE_TIMEOUT", "2")
    monkeypatch.setenv("LEDGER_READ_YOUR_WRITES_TIMEOUT", "1")
    monkeypatch.setenv("LEDGER_READY_MAX_LAG_SECONDS", "1")
    import projections.runner as runner_module
    from domain.retry import Backoff

    monkeypatch.setattr(runner_module, "Backoff", lambda: Backoff(first=0.05, most=0.5))


@contextmanager
def serving(database: Database) -> Iterator[TestClient]:
    with TestClient(create_app(database), raise_server_exceptions=False) as client:
        yield client


def until(check: Callable[[], Any], seconds: float = 60) -> Any:
    """Poll ``check`` until it returns something true (the deadline only guards a hang)."""
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.1)


def assert_read_models_equal_a_rebuild(client: TestClient, database: Database) -> None:
    services = client.app.state.services  # type: ignore[attr-defined]
    live = snapshot(services.runner.view)
    rebuild(database, today=date.fromisoformat(TODAY))
    with opened(database) as view:
        assert snapshot(view) == live


def events(client: TestClient, headers: dict[str, str]) -> list[int]:
    response = client.get(f"/contracts/{REF}/events", headers=headers, params={"limit": 1000})
    assert response.status_code == 200, response.text
    return [e["seq"] for e in response.json()["events"]]


@pytest.mark.usefixtures("quick")
def test_postgres_restarted_under_a_running_api(
        postgres_cluster: Any, postgres_database: Database, api_env: dict[str, str],
        auth: Callable[[str], dict[str, str]]) -> None:
    if not isinstance(postgres_cluster, Cluster):
        pytest.skip("the server is external (LEDGER_TEST_POSTGRES_URL): it cannot be restarted here")
    ledger = Ledger.open(postgres_database)
    seed(ledger)
    ledger.close()
    headers = auth("utforare")
    with serving(postgres_database) as client:
        assert client.post(f"/contracts/{REF}/events", json=NOTE, headers=headers).status_code == 201
        assert client.get("/health/ready").status_code == 200
        before = events(client, headers)

        postgres_cluster.pause()
        try:
            down = client.post(f"/contracts/{REF}/events", json=NOTE, headers=headers)
            assert down.status_code == 503, down.text
            assert down.headers["Retry-After"].isdigit()
            assert down.headers["content-type"] == "application/problem+json"
            assert down.json()["written"] is False
            assert client.get(f"/contracts/{REF}/obligations", headers=headers).status_code == 503
            not_ready = client.get("/health/ready")
            assert not_ready.status_code == 503
            assert not_ready.json()["checks"]["store"]["ok"] is False
            assert client.get("/health").status_code == 200  # alive, only not ready
        finally:
            postgres_cluster.resume()

        # The same API, not restarted: writes succeed again (pooled connections cut by the
        # restart may answer 503 once each first) and the read models catch up.
        written = until(lambda: client.post(f"/contracts/{REF}/events", json=NOTE,
                                            headers=headers).status_code == 201)
        assert written
        assert until(lambda: client.get("/health/ready").status_code == 200)
        # Each pool finds its connections cut on its first use after the restart (then at
        # most one 503): reads recover the same way.
        assert until(lambda: client.get(f"/contracts/{REF}/events", headers=headers).status_code == 200)
        after = events(client, headers)
        assert after == [*before, before[-1] + 1]  # the refused write was not written
        assert_read_models_equal_a_rebuild(client, postgres_database)


@pytest.mark.usefixtures("quick")
def test_a_views_file_that_cannot_grow_gives_503_written_then_heals(
        seeded_database: Database, api_env: dict[str, str], auth: Callable[[str], dict[str, str]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    headers = auth("utforare")
    real = views_module.ReadModelView._append

    def disk_full(self: Any, cursor: Any, batch: Any) -> None:
        raise OSError(28, "database or disk is full")

    with serving(seeded_database) as client:
        before = events(client, headers)
        monkeypatch.setattr(views_module.ReadModelView, "_append", disk_full)
        response = client.post(f"/contracts/{REF}/events", json=NOTE, headers=headers)
        assert response.status_code == 503, response.text
        body = response.json()
        assert body["written"] is True and body["seq"] == before[-1] + 1
        assert response.headers["Location"] == f"/contracts/{REF}/events/{body['seq']}"
        assert "WAS written" in body["detail"]
        assert until(lambda: client.get("/health/ready").status_code == 503)
        assert "disk is full" in client.get("/health/ready").json()["checks"]["read_models"]["error"]

        monkeypatch.setattr(views_module.ReadModelView, "_append", real)
        assert until(lambda: client.get("/health/ready").status_code == 200)
        assert events(client, headers) == [*before, body["seq"]]  # written once
        assert client.post(f"/contracts/{REF}/events", json=NOTE, headers=headers).status_code == 201
        assert_read_models_equal_a_rebuild(client, seeded_database)


@pytest.mark.usefixtures("quick")
def test_a_storage_error_on_write_is_503_nothing_written(
        seeded_database: Database, api_env: dict[str, str], auth: Callable[[str], dict[str, str]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    headers = auth("utforare")
    with serving(seeded_database) as client:
        before = events(client, headers)
        recorder = client.app.state.services.ledger.recorder  # type: ignore[attr-defined]

        def failing(*args: Any, **kwargs: Any) -> None:
            raise OperationalError("disk I/O error")

        monkeypatch.setattr(recorder, "insert_events", failing)
        response = client.post(f"/contracts/{REF}/events", json=NOTE, headers=headers)
        assert response.status_code == 503, response.text
        assert response.json()["written"] is False
        assert response.json()["rule"] == "storage_unavailable"
        monkeypatch.undo()
        assert events(client, headers) == before


def test_ready_when_current(client: TestClient) -> None:
    response = client.get("/health/ready")
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "ready"
    assert response.json()["checks"]["read_models"]["behind_entries"] == 0


def test_verify_covers_the_read_models(client: TestClient, auth: Callable[[str], dict[str, str]]) -> None:
    body = client.get("/ledger/verify", params={"read_models": True}, headers=auth("revisor")).json()
    assert body["ok"] is True
    assert body["read_models"]["ok"] is True and body["read_models"]["contracts"] == 4


def test_lost_races_without_if_match_are_retried_then_503(
        client: TestClient, auth: Callable[[str], dict[str, str]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    import api.http.routes.events as events_route
    from domain.errors import StaleVersion

    ledger = client.app.state.services.ledger  # type: ignore[attr-defined]
    real, calls = ledger.record, {"n": 0}

    def losing(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] < 3:
            raise StaleVersion("contract changed while this request was decided")
        return real(*args, **kwargs)

    monkeypatch.setattr(ledger, "record", losing)
    response = client.post(f"/contracts/{REF}/events", json=NOTE, headers=auth("utforare"))
    assert response.status_code == 201 and calls["n"] == 3  # won on the third try

    def always_losing(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        raise StaleVersion("contract changed while this request was decided")

    monkeypatch.setattr(ledger, "record", always_losing)
    monkeypatch.setattr(events_route, "RACE_DEADLINE", 0.3)
    response = client.post(f"/contracts/{REF}/events", json=NOTE, headers=auth("utforare"))
    assert response.status_code == 503, response.text
    assert response.json()["rule"] == "write_contention" and response.json()["written"] is False
    # With If-Match the caller named a version: a lost race is the 409 it asked for.
    response = client.post(f"/contracts/{REF}/events", json=NOTE,
                           headers={**auth("utforare"), "If-Match": '"1"'})
    assert response.status_code == 409

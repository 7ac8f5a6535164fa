"""An API client per backend: a fresh database with the four contracts, a token per role."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from api import tokens
from api.http import create_app
from domain.ledger import Ledger
from domain.storage import Database
from tests.support.builders import seed

TODAY = "2025-06-02"
ROLES = tokens.ROLES


@pytest.fixture
def api_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A fixed today, a tokens file with one token per role, a throwaway signing key."""
    monkeypatch.setenv("LEDGER_TODAY", TODAY)
    monkeypatch.setenv("LEDGER_SIGNING_KEY_FILE", str(tmp_path / "signing-key.pem"))
    monkeypatch.setenv("LEDGER_WEB_SECRET_FILE", str(tmp_path / "web-secret"))
    path = tmp_path / "tokens.json"
    monkeypatch.setenv("LEDGER_TOKENS_FILE", str(path))
    return {role: tokens.create(path, role=role, name=f"api-test-{role}") for role in ROLES}


@pytest.fixture
def seeded_database(database: Database) -> Database:
    """``database`` with the four catalogue contracts registered."""
    ledger = Ledger.open(database)
    try:
        seed(ledger)
    finally:
        ledger.close()
    return database


@pytest.fixture
def open_client(seeded_database: Database, api_env: dict[str, str]) -> Callable[..., object]:
    """Open a client on a new app over the same database (e.g. to simulate a restart)."""

    @contextmanager
    def opened() -> Iterator[TestClient]:
        with TestClient(create_app(seeded_database), raise_server_exceptions=False) as client:
            client.event_hooks["response"].append(_swedish_problems)
            yield client

    return opened


def _swedish_problems(response: httpx.Response) -> None:
    """Every problem any API test meets has its Swedish text for people (README, API.md)."""
    if response.headers.get("content-type") == "application/problem+json":
        response.read()
        detail_sv = response.json().get("detail_sv")
        assert isinstance(detail_sv, str) and detail_sv.strip(), response.text


@pytest.fixture
def client(open_client: Callable[..., object]) -> Iterator[TestClient]:
    with open_client() as opened:  # type: ignore[attr-defined]
        yield opened


@pytest.fixture
def auth(api_env: dict[str, str]) -> Callable[[str], dict[str, str]]:
    """``auth(role)`` → the Authorization header of that role's token."""
    return lambda role: {"Authorization": f"Bearer {api_env[role]}"}

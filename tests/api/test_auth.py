"""The token store's file checks, and dependencies that cost no thread hop."""

from __future__ import annotations

import inspect
from pathlib import Path

import orjson
import pytest

from api import tokens
from api.http import deps
from api.http.auth import TokenStore
from api.http.problems import Unauthenticated


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr("api.http.auth.time.monotonic", fake)
    return fake


def _revoke(path: Path, name: str) -> None:
    data = orjson.loads(path.read_bytes())
    data["tokens"] = [t for t in data["tokens"] if t["name"] != name]
    data["tokens"].append({"sha256": "0" * 64, "role": "revisor", "name": "padding-" + "x" * 40})
    path.write_bytes(orjson.dumps(data))


def test_a_new_token_is_accepted_at_once_even_between_checks(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "tokens.json"
    first = tokens.create(path, role="admin", name="first")
    store = TokenStore(path, recheck=60)
    assert store.actor(f"Bearer {first}").name == "first"
    second = tokens.create(path, role="revisor", name="second")
    clock.now += 0.001
    assert store.actor(f"Bearer {second}").role == "revisor"


def test_a_revoked_token_is_refused_after_the_recheck_interval(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "tokens.json"
    token = tokens.create(path, role="admin", name="gone")
    store = TokenStore(path, recheck=0.5)
    assert store.actor(f"Bearer {token}").name == "gone"
    _revoke(path, "gone")
    clock.now += 0.1
    assert store.actor(f"Bearer {token}").name == "gone"  # not looked at yet
    clock.now += 0.5
    with pytest.raises(Unauthenticated):
        store.actor(f"Bearer {token}")


def test_the_file_is_not_looked_at_between_checks(tmp_path: Path, clock: Clock,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "tokens.json"
    token = tokens.create(path, role="admin", name="a")
    store = TokenStore(path, recheck=0.5)
    store.actor(f"Bearer {token}")
    stats = []
    original = Path.stat
    monkeypatch.setattr(Path, "stat", lambda self, **kw: stats.append(self) or original(self, **kw))
    for _ in range(10):
        store.actor(f"Bearer {token}")
    assert stats == []
    clock.now += 1
    store.actor(f"Bearer {token}")
    assert stats == [path]


@pytest.mark.parametrize("dependency", [deps.services, deps.caller, deps.recorder, deps.registrar,
                                        deps.expected_version, deps.contract_ref])
def test_dependencies_run_on_the_event_loop(dependency: object) -> None:
    # FastAPI runs a plain def dependency in the thread pool: a thread hop per request each.
    assert inspect.iscoroutinefunction(dependency)

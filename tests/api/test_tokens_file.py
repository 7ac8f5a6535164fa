"""The tokens file: changed under a lock and atomically, and a broken one fails closed."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest
from fastapi.testclient import TestClient

from api import tokens
from api.http.auth import TokenStore, TokensUnavailable


def test_concurrent_creates_keep_every_token(tmp_path: Path) -> None:
    path = tmp_path / "tokens.json"
    script = ("import sys; from pathlib import Path; from api import tokens\n"
              "for i in range(8): print(tokens.create(Path(sys.argv[1]), role='revisor', name=f'n{i}'))")
    runs = [subprocess.Popen([sys.executable, "-c", script, str(path)], stdout=subprocess.PIPE,
                             text=True, cwd=Path(__file__).parents[2]) for _ in range(6)]
    printed = [line for run in runs for line in run.communicate(timeout=60)[0].split()]
    assert all(run.returncode == 0 for run in runs)
    assert len(printed) == 48
    stored = tokens.load(path)
    assert {tokens.digest(token) for token in printed} == set(stored)
    assert os.stat(path).st_mode & 0o777 == 0o600


def test_unknown_keys_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "tokens.json"
    path.write_bytes(orjson.dumps({"tokens": [{"sha256": "a" * 64, "role": "admin", "name": "x",
                                               "scopes": ["calendar"]}], "version": 2}))
    tokens.create(path, role="revisor", name="y")
    data = orjson.loads(path.read_bytes())
    assert data["version"] == 2 and data["tokens"][0]["scopes"] == ["calendar"]


@pytest.mark.parametrize("content", [b"", b"{", b"[]", b'{"tokens": {}}', b'{"tokens": [1]}'],
                         ids=["empty", "truncated", "list", "map", "not-a-record"])
def test_a_broken_file_fails_closed(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "tokens.json"
    token = tokens.create(path, role="admin", name="old")
    store = TokenStore(path, recheck=0)
    assert store.actor(f"Bearer {token}").name == "old"
    path.write_bytes(content)
    with pytest.raises(TokensUnavailable):
        store.actor(f"Bearer {token}")  # never the old set: it may hold a revoked token
    assert store.problem()


def test_a_broken_file_is_503_and_not_ready(client: TestClient,
                                            auth: Callable[[str], dict[str, str]],
                                            caplog: pytest.LogCaptureFixture) -> None:
    client.app.state.services.tokens.recheck = 0  # type: ignore[attr-defined]  # look at once
    assert client.get("/contracts", headers=auth("admin")).status_code == 200
    path = Path(os.environ["LEDGER_TOKENS_FILE"])
    good = path.read_bytes()
    path.write_bytes(b"{not json")
    response = client.get("/contracts", headers=auth("admin"))
    assert response.status_code == 503, response.text
    assert response.json()["rule"] == "tokens_file"
    assert client.get("/health/ready").json()["checks"]["tokens"]["ok"] is False
    assert any("tokens file" in r.getMessage() and "503" in r.getMessage() for r in caplog.records)
    path.write_bytes(good)
    assert client.get("/contracts", headers=auth("admin")).status_code == 200

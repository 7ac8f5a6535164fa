"""Every problem the app can give carries a Swedish ``detail_sv`` from the one vocabulary.

The codes are walked in the source: every ``rule`` a refusal class declares or a raise names,
so a new refusal without its Swedish sentence fails here. Each is then raised through the real
app's handlers, as the API and as a page; the 503s, the bounds and the 500 through theirs.
(``tests/api/conftest.py`` also checks ``detail_sv`` on every problem any API test meets.)
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient

from api.http.faults import StorageUnavailable, WrittenButBehind
from api.web.common import PageRoute
from domain import vocabulary
from domain.errors import LedgerError

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("domain", "api", "projections")
# Codes made from a value rather than written out: Starlette's own 404 and 405 (http_{status}),
# and the 503's variant for a write that was not written.
MADE = {"http_404", "http_405", "storage_unavailable_not_written"}


def _rules_in_source() -> set[str]:
    """Every ``rule="..."`` keyword and ``rule = "..."`` class attribute in the source."""
    found: set[str] = set()
    for folder in SOURCES:
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                named = (isinstance(node, ast.keyword) and node.arg == "rule") or (
                    isinstance(node, ast.Assign) and len(node.targets) == 1
                    and isinstance(node.targets[0], ast.Name) and node.targets[0].id == "rule")
                value = getattr(node, "value", None) if named else None
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    found.add(value.value)
    return found


def _refusal_classes() -> set[type[LedgerError]]:
    for folder in SOURCES:
        for module in pkgutil.walk_packages([str(ROOT / folder)], prefix=f"{folder}."):
            importlib.import_module(module.name)
    found: set[type[LedgerError]] = set()
    stack: list[type[LedgerError]] = [LedgerError]
    while stack:
        cls = stack.pop()
        found.add(cls)
        stack.extend(cls.__subclasses__())
    return found


def test_every_rule_in_the_code_has_a_swedish_sentence() -> None:
    rules = _rules_in_source() | {cls.rule for cls in _refusal_classes()}
    assert len(rules) > 60, "the walk found too few rules to be walking the code"
    missing = sorted(rules - set(vocabulary.PROBLEMS))
    assert not missing, f"rules without a Swedish sentence in vocabulary.PROBLEMS: {missing}"
    stale = sorted(set(vocabulary.PROBLEMS) - rules - MADE)
    assert not stale, f"sentences for rules the code no longer has: {stale}"


@pytest.mark.parametrize("rule", sorted(vocabulary.PROBLEMS))
def test_each_sentence_is_swedish_and_complete(rule: str) -> None:
    text = vocabulary.problem(rule, field="note", limit=1, seq=2, version=3, failing="store",
                              request_id="abc")
    assert text.endswith(".") and text[:1].isupper(), text
    assert not re.search(r"[{}]", text), text
    assert re.search(r"(?i)[åäö]| (är|ska|inte|kan|får|det|en|ett|i|på|och) ", text), text


def _raiser(error: Exception) -> Callable[[], None]:
    def raise_it() -> None:
        raise error
    return raise_it


FAULTS: dict[str, tuple[Exception, str]] = {
    "storage": (sqlite3.OperationalError("disk I/O error"), vocabulary.problem("storage_unavailable")),
    "timeout": (TimeoutError("read models"), vocabulary.problem("storage_unavailable")),
    "not-written": (StorageUnavailable(OSError("gone"), written=False),
                    vocabulary.problem("storage_unavailable_not_written")),
    "contention": (StorageUnavailable(LedgerError("lost"), written=False),
                   vocabulary.problem("write_contention")),
    "behind": (WrittenButBehind(ref="x", seq=7, version=8, cause=TimeoutError()),
               vocabulary.problem("read_models_behind", seq=7, version=8)),
    "bug": (RuntimeError("a bug"), ""),
}


@pytest.fixture
def app(client: TestClient) -> FastAPI:
    """The real app with routes that raise each refusal and fault, as the API and as pages."""
    app: FastAPI = client.app  # type: ignore[assignment]
    pages = APIRouter(route_class=PageRoute)
    for rule in vocabulary.PROBLEMS:
        refusal = LedgerError(f"refused ({rule})", rule=rule, field="note")
        app.add_api_route(f"/test/problem/{rule}", _raiser(refusal))
        pages.add_api_route(f"/test/sida/{rule}", _raiser(refusal))
    for name, (error, _) in FAULTS.items():
        app.add_api_route(f"/test/fault/{name}", _raiser(error))
        pages.add_api_route(f"/test/sida-fel/{name}", _raiser(error))
    app.include_router(pages)
    return app


def test_every_refusal_answers_its_sentence(client: TestClient, app: FastAPI) -> None:
    for rule in vocabulary.PROBLEMS:
        body = client.get(f"/test/problem/{rule}").json()
        assert body["rule"] == rule
        expected = vocabulary.problem(rule, field="note", request_id=body["request_id"])
        assert body["detail_sv"] == expected, rule


def test_every_refusal_on_a_page_is_the_sentence_in_swedish(client: TestClient, app: FastAPI) -> None:
    for rule in vocabulary.PROBLEMS:
        response = client.get(f"/test/sida/{rule}")
        assert response.headers["content-type"].startswith("text/html"), rule
        expected = vocabulary.problem(rule, field="note", request_id=response.headers["x-request-id"])
        assert _escaped(expected) in response.text, rule


@pytest.mark.parametrize("name", sorted(FAULTS))
def test_every_fault_answers_in_swedish(client: TestClient, app: FastAPI, name: str) -> None:
    response = client.get(f"/test/fault/{name}")
    body = response.json()
    expected = FAULTS[name][1] or vocabulary.problem("internal", request_id=body["request_id"])
    assert response.status_code == (500 if name == "bug" else 503)
    assert body["detail_sv"] == expected
    page = client.get(f"/test/sida-fel/{name}")
    assert page.status_code == response.status_code
    assert page.headers["content-type"].startswith("text/html")
    assert "Tillfälligt otillgänglig" in page.text or name == "bug"


def test_the_bounds_answer_in_swedish_as_problems_and_as_pages(
        client: TestClient, auth: Callable[[str], dict[str, str]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEDGER_MAX_BODY_BYTES", "2000")
    too_large = vocabulary.problem("max_body_bytes", limit=vocabulary.number(2000))
    api = client.post("/contracts/familjeradgivning/events", content=b"{" + b" " * 3000 + b"}",
                      headers={**auth("utforare"), "Content-Type": "application/json"})
    assert (api.status_code, api.json()["detail_sv"]) == (413, too_large)
    assert api.json()["errors"][0]["message_sv"] == too_large
    page = client.post("/avtal/familjeradgivning/registrera", content=b"typ=" + b"x" * 3000,
                       headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert page.status_code == 413 and page.headers["content-type"].startswith("text/html")
    assert _escaped(too_large) in page.text
    headers = client.get("/", headers={"X-Padding": "x" * 20_000})
    assert headers.status_code == 431
    assert _escaped(vocabulary.problem("max_header_bytes", limit=vocabulary.number(16_384))) \
        in headers.text
    unknown = client.get("/ingen/sadan/sida", headers={"Accept": "text/html,*/*;q=0.8"})
    assert unknown.status_code == 404 and vocabulary.problem("http_404") in unknown.text
    assert client.get("/ingen/sadan/sida").json()["detail_sv"] == vocabulary.problem("http_404")


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") \
        .replace('"', "&#34;").replace("'", "&#39;")

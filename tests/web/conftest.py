"""The pages in a real browser: Debian's chromium driven by Playwright, against a live server.

Each test gets a fresh database on each backend with the four contracts, a token per role,
``LEDGER_TODAY`` fixed at 2025-03-10, and the app served by uvicorn on a loopback port in a
thread of this process. The browser is started once per worker (``executable_path``: the
Playwright browser download is not used). Screenshots go to test-artefacts/web/ (gitignored).
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from api import tokens
from domain.ledger import Ledger
from domain.storage import Database
from tests.support.builders import seed

playwright_api = pytest.importorskip("playwright.sync_api")
# A shared, busy machine can take seconds to paint a page: waits are long, never timed assertions.
playwright_api.expect.set_options(timeout=20_000)

TODAY = "2025-03-10"
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
ARTEFACTS = Path(__file__).resolve().parents[2] / "test-artefacts" / "web"
NAMES = {"admin": "Ada Admin", "bestallare": "Anna Beställare", "utforare": "Lena Leanlink",
         "revisor": "Rut Revisor", "kommunstyrelsen": "Kim Kommunstyrelsen"}


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(f"Debian's chromium is needed at {CHROMIUM} for the page tests: apt-get install "
                    "chromium (make test installs it)", pytrace=False)
    with playwright_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def web_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Fixed today, a token per role, throwaway key, checkpoints and session secret."""
    monkeypatch.setenv("LEDGER_TODAY", TODAY)
    monkeypatch.setenv("LEDGER_SIGNING_KEY_FILE", str(tmp_path / "signing-key.pem"))
    monkeypatch.setenv("LEDGER_CHECKPOINTS_DIR", str(tmp_path / "checkpoints"))
    monkeypatch.setenv("LEDGER_WEB_SECRET_FILE", str(tmp_path / "web-secret"))
    path = tmp_path / "tokens.json"
    monkeypatch.setenv("LEDGER_TOKENS_FILE", str(path))
    return {role: tokens.create(path, role=role, name=NAMES[role]) for role in tokens.ROLES}


@pytest.fixture
def web_ledger(database: Database) -> Iterator[Ledger]:
    """The seeded ledger, for givens recorded before the server starts."""
    ledger = Ledger.open(database)
    seed(ledger)
    try:
        yield ledger
    finally:
        ledger.close()


class LiveServer:
    """The app served by uvicorn in a thread, on a free loopback port."""

    def __init__(self, database: Database) -> None:
        import uvicorn

        from api.http import create_app

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.server = uvicorn.Server(uvicorn.Config(create_app(database), host="127.0.0.1",
                                                    port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the web server did not start")
            time.sleep(0.02)
        self.url = f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)


@pytest.fixture
def serve(web_env: dict[str, str], database: Database) -> Iterator[Callable[[], LiveServer]]:
    """``serve()`` starts the server (after the test has recorded its givens)."""
    started: list[LiveServer] = []

    def start() -> LiveServer:
        started.append(LiveServer(database))
        return started[-1]

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def sign_in(browser: Any, web_env: dict[str, str]) -> Iterator[Callable[..., Any]]:
    """``sign_in(server, role)`` → a page of a fresh browser context, signed in as ``role``."""
    contexts: list[Any] = []

    def open_as(server: LiveServer, role: str) -> Any:
        context = browser.new_context(base_url=server.url, locale="sv-SE",
                                      viewport={"width": 1280, "height": 900})
        context.set_default_timeout(30_000)
        contexts.append(context)
        page = context.new_page()
        page.goto("/")
        page.get_by_label("Token").fill(web_env[role])
        page.get_by_role("button", name="Logga in").click()
        page.wait_for_url(re.compile(r"/$"))
        return page

    yield open_as
    for context in contexts:
        context.close()


DAY = re.compile("^Datum")
"""The event's own date (not the decision's Beslutsdatum)."""
DECISION = {"Beslutande organ": "Social- och omsorgsnämnden", "Paragraf": "§ 12",
            "Beslutsdatum": "2025-03-05", "Diarienummer": "SOC 2025-0042"}
"""The decision behind an act (issue 12), as a person fills in the form's Beslut fieldset."""


def state_decision(page: Any, document_ref: str = "SOC 2025-0043") -> None:
    """Fill in the decision behind the act and the letter's diarienummer."""
    group = page.get_by_role("group", name=re.compile("^Beslut"))
    for label, value in DECISION.items():
        group.get_by_label(label).fill(value)
    page.get_by_label("Diarienummer för skrivelsen").fill(document_ref)


def shoot(page: Any, name: str) -> Path:
    """A full-page screenshot under test-artefacts/web/."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTEFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def serious_violations(page: Any) -> list[str]:
    """axe-core's serious and critical violations on the page (id, impact, first target)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes'][0]['target'] if v['nodes'] else '?'}"
            for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]

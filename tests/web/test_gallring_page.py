"""The contract page's timeline after gallring: the entry says by which decision, without content
(the app in process, no browser)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from api.http import create_app
from domain.storage import Database
from tests.support.builders import actor, event
from tests.test_verification import run_cli

SECRET = "Gallringsbar notering om en namngiven person"


def test_the_timeline_shows_the_decision_not_the_content(web_env, web_ledger,
                                                         database: Database) -> None:
    seq = web_ledger.record("familjeradgivning", event(
        "WaitingTimeReported", "2025-02-28", period="2025-02", longest_wait_days=20, note=SECRET),
        actor("utforare")).seq
    done = run_cli(database, "redact", "familjeradgivning", str(seq), "--decision", "KS 2026/55")
    assert done.exit_code == 0, done.output
    with TestClient(create_app(database), base_url="http://testserver") as client:
        form = client.get("/logga-in")
        csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
        assert csrf
        client.post("/logga-in", data={"csrf": csrf.group(1), "token": web_env["revisor"],
                                       "nasta": "/"}, follow_redirects=False)
        page = client.get("/avtal/familjeradgivning")
    assert page.status_code == 200, page.text[:500]
    assert "gallrad enligt beslut KS 2026/55: innehållet är borttaget" in page.text
    assert "Gallring" in page.text  # the decision's own entry, by its Swedish name
    assert SECRET not in page.text

"""After gallring the API's reads serve the redacted entry, never its content, and never a 500."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import quote

from tests.test_verification import run_cli

F = "/contracts/familjeradgivning"
SECRET = "Gallringsbar tvist om en namngiven familj"


def test_every_read_after_gallring(open_client, seeded_database, auth) -> None:
    with open_client() as client:
        raised = client.post(f"{F}/events", headers=auth("utforare"), json={
            "type": "DisputeRaised", "effective_date": "2025-05-02", "by": "utforare",
            "subject": SECRET, "clauses": ["1.2"]})
        assert raised.status_code == 201, raised.text
        seq = raised.json()["seq"]
        assert SECRET in client.get(f"{F}/disputes", headers=auth("bestallare")).text
    before = quote(datetime.now(tz=UTC).isoformat())
    # The API is stopped while gallring (README), then started again.
    done = run_cli(seeded_database, "redact", "familjeradgivning", str(seq), "--decision", "KS 2026/7")
    assert done.exit_code == 0, done.output
    with open_client() as client:
        reads = [f"{F}/events", f"{F}/events/{seq}", F, f"{F}/disputes", "/disputes",
                 f"{F}/obligations", f"{F}/deviations", f"{F}/notice", "/obligations",
                 f"{F}/disputes/{seq}/dossier", f"{F}/events?known_at={before}",
                 f"{F}?known_at={before}", "/ledger/verify", "/calendar.ics"]
        for path in reads:
            response = client.get(path, headers=auth("bestallare"))
            assert response.status_code in (200, 404), (path, response.status_code, response.text)
            assert SECRET not in response.text, path
        entry = client.get(f"{F}/events/{seq}", headers=auth("revisor")).json()
        assert entry["data"]["redacted"]["decision"] == "KS 2026/7"
        assert entry["sv"]["type"] == "Tvist väckt"
        assert client.get(f"{F}/disputes", headers=auth("bestallare")).json() in ([], {"disputes": []})
        assert client.get("/ledger/verify", headers=auth("revisor")).json()["ok"] is True

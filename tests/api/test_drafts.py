"""POST /contracts/drafts: admin sends a text, gets a proposed body with citations and what was not
found; nothing is registered until the reviewed body is POSTed to /contracts."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

TEXT = """\
Verksamhetsuppdrag avseende stödboende

Diarienummer: ON 2026-41
Datum: 2026-02-10

Linköpings kommun genom omsorgsnämnden, nedan kallad beställaren, ger utföraren Leanlink Råd och Stöd
följande uppdrag.

1 Uppdragstid
Uppdraget gäller från 2026-07-01 och tills vidare. Uppsägningstiden är nio månader om parterna inte
kommer överens om annat. Uppsägning ska vara skriftlig.

2 Ersättning
Ersättningen är 1 800 000 kronor per år i 2026 års prisläge. Ersättning utbetalas månadsvis i efterskott.

3 Ändringar
Ändringar och tillägg till uppdraget ska göras skriftligen av behöriga företrädare.
"""
PLAIN = {"Content-Type": "text/plain; charset=utf-8"}


def post(client: TestClient, auth: Callable[[str], dict[str, str]], body: bytes | str, role: str = "admin",
         headers: dict[str, str] | None = None, **params: str):
    return client.post("/contracts/drafts", content=body, params=params,
                       headers={**auth(role), **(PLAIN if headers is None else headers)})


def test_admin_gets_a_draft_with_citations_and_findings_and_nothing_is_registered(
        client: TestClient, auth: Callable[[str], dict[str, str]]) -> None:
    before = client.get("/contracts", headers=auth("revisor")).json()["contracts"]
    response = post(client, auth, TEXT, ref="stodboende")
    assert response.status_code == 200, response.text
    draft = response.json()
    body = draft["body"]
    assert (body["ref"], body["title"], body["diarienummer"], body["dated"]) \
        == ("stodboende", "Stödboende", "ON 2026-41", "2026-02-10")
    assert body["in_force_from"]["date"] == "2026-07-01"
    termination = body["terms"]["termination"]
    assert termination["notice_months"] == 9
    assert termination["citation"]["section"] == "1 Uppdragstid"
    assert "Uppsägningstiden är nio månader" in termination["citation"]["quote"]
    assert body["terms"]["compensation"]["amount"] == "1800000"
    assert {"family": "early_termination",
            "finding": "ingen förtida uppsägning vid avtalsbrott (rättelsetid) angiven"} in draft["not_found"]
    assert draft["problems"] == []
    assert client.get("/contracts", headers=auth("revisor")).json()["contracts"] == before


def test_the_reviewed_body_registers_like_any_contract(client: TestClient,
                                                       auth: Callable[[str], dict[str, str]]) -> None:
    body = post(client, auth, TEXT, ref="stodboende").json()["body"]
    body["terms"]["termination"]["notice_months"] = 6  # the reviewer's edit
    registered = client.post("/contracts", json=body, headers=auth("admin"))
    assert registered.status_code == 201, registered.text
    terms = client.get("/contracts/stodboende", headers=auth("revisor")).json()["terms"]
    assert terms["termination"]["notice_months"] == 6
    assert terms["compensation"]["citation"]["quote"].startswith("Ersättningen är 1 800 000 kronor")


def test_only_admin_may_draft(client: TestClient, auth: Callable[[str], dict[str, str]]) -> None:
    assert post(client, auth, TEXT, role="utforare").status_code == 403
    assert client.post("/contracts/drafts", content=TEXT, headers=PLAIN).status_code == 401


def test_refusals_name_the_field_and_the_rule(client: TestClient,
                                              auth: Callable[[str], dict[str, str]]) -> None:
    cases = [
        (post(client, auth, TEXT, headers={"Content-Type": "application/json"}), 415, "media_type"),
        (post(client, auth, "   \n"), 422, "not_empty"),
        (post(client, auth, "Uppsägningstiden är tolv månader.".encode("latin-1")), 422, "utf8"),
        (post(client, auth, "a" * 1_000_001), 413, "body_size"),
    ]
    for response, status, rule in cases:
        assert response.status_code == status
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["rule"] == rule


def test_a_text_without_clauses_is_answered_with_what_is_missing(
        client: TestClient, auth: Callable[[str], dict[str, str]]) -> None:
    draft = post(client, auth, "Detta är ett brev om något helt annat.").json()
    families = {n["family"] for n in draft["not_found"]}
    assert {"termination", "compensation", "insurance", "description.in_force_from"} <= families
    assert any(p.startswith("terms.compensation") or p.startswith("in_force_from") for p in draft["problems"])

"""Sign-in, the session cookie and CSRF, without a browser (the app in process)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api import tokens
from api.http import create_app
from api.web.session import COOKIE
from domain.storage import Database


@pytest.fixture
def client(web_env: dict[str, str], web_ledger, database: Database) -> Iterator[TestClient]:
    with TestClient(create_app(database), base_url="http://testserver") as opened:
        yield opened


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF field"
    return found.group(1)


def _sign_in(client: TestClient, token: str) -> str:
    """Sign in; the CSRF code of the signed-in session."""
    form = client.get("/logga-in")
    client.post("/logga-in", data={"csrf": _csrf(form.text), "token": token, "nasta": "/"},
                follow_redirects=False)
    return _csrf(client.get("/").text)


def test_signing_in_sets_a_strict_httponly_cookie_without_the_token(client, web_env):
    form = client.get("/logga-in")
    response = client.post("/logga-in", data={"csrf": _csrf(form.text), "token": web_env["revisor"],
                                              "nasta": "/att-gora"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/att-gora"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    assert "Secure" not in cookie  # plain http here; https sets Secure
    assert web_env["revisor"] not in cookie
    assert client.get("/att-gora").status_code == 200


def test_over_tls_the_cookie_is_secure(web_env, web_ledger, database):
    with TestClient(create_app(database), base_url="https://testserver") as client:
        form = client.get("/logga-in")
        assert "Secure" in form.headers["set-cookie"]


def test_a_post_without_the_sessions_csrf_code_is_refused_and_writes_nothing(client, web_env, web_ledger):
    _sign_in(client, web_env["bestallare"])
    response = client.post("/avtal/familjecentraler/registrera", data={
        "csrf": "forged", "typ": "TerminationNoticeGiven", "version": "1", "atgard": "spara",
        "effective_date": "2025-03-10", "by": "bestallare", "written": "ja"})
    assert response.status_code == 400 and "säkerhetskod" in response.text
    assert len(web_ledger.entries("familjecentraler")) == 1
    # Nor may another site sign someone in: the sign-in form has its code too.
    client.cookies.clear()
    refused = client.post("/logga-in", data={"token": web_env["admin"], "nasta": "/"})
    assert refused.status_code == 400


def test_a_forged_or_revoked_session_reads_as_signed_out(client, web_env, tmp_path: Path):
    _sign_in(client, web_env["utforare"])
    assert client.get("/", follow_redirects=False).status_code == 200
    good = client.cookies.get(COOKIE)
    client.cookies.set(COOKIE, good[:-2] + ("AA" if not good.endswith("AA") else "BB"))
    assert client.get("/", follow_redirects=False).headers["location"].startswith("/logga-in")
    client.cookies.set(COOKIE, good)
    path = tmp_path / "tokens.json"
    data = json.loads(path.read_text())
    data["tokens"] = [t for t in data["tokens"] if t["sha256"] != tokens.digest(web_env["utforare"])]
    path.write_text(json.dumps(data))
    client.app.state.services.tokens.recheck = 0  # re-read the file at once
    assert client.get("/", follow_redirects=False).headers["location"].startswith("/logga-in")


def test_sign_in_goes_on_only_to_a_page_of_this_site(client, web_env):
    form = client.get("/logga-in")
    response = client.post("/logga-in", data={"csrf": _csrf(form.text), "token": web_env["admin"],
                                              "nasta": "//evil.example/x"}, follow_redirects=False)
    assert response.headers["location"] == "/"


def test_sign_out_ends_the_session(client, web_env):
    csrf = _sign_in(client, web_env["kommunstyrelsen"])
    client.post("/logga-ut", data={"csrf": csrf})
    assert client.get("/", follow_redirects=False).status_code == 303


def test_docs_use_the_local_swagger_ui(client):
    html = client.get("/docs").text
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200
    assert client.get("/static/vendor/htmx/htmx.min.js").status_code == 200


def _hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert found, f"no hidden field {name}"
    return found.group(1)


def test_spara_records_what_was_previewed_once_even_if_sent_twice(client, web_env, web_ledger):
    csrf = _sign_in(client, web_env["bestallare"])
    form = {"csrf": csrf, "typ": "TerminationNoticeGiven", "version": "1",
            "effective_date": "2025-03-10", "by": "bestallare", "written": "ja",
            "decision-body": "Social- och omsorgsnämnden", "decision-paragraph": "§ 12",
            "decision-decided_on": "2025-03-05", "decision-diarienummer": "SOC 2025-0042",
            "document_ref": "SOC 2025-0043"}
    preview = client.post("/avtal/familjecentraler/registrera", data={**form, "atgard": "forhandsgranska"})
    assert preview.status_code == 200 and "2026-03-10" in preview.text
    assert len(web_ledger.entries("familjecentraler")) == 1
    save = {**form, "atgard": "spara", "granskat": _hidden(preview.text, "granskat"),
            "nyckel": _hidden(preview.text, "nyckel")}
    first = client.post("/avtal/familjecentraler/registrera", data=save, follow_redirects=False)
    again = client.post("/avtal/familjecentraler/registrera", data=save, follow_redirects=False)
    assert first.status_code == again.status_code == 303
    assert first.headers["location"] == again.headers["location"]
    assert len(web_ledger.entries("familjecentraler")) == 2
    # Changed after the preview: shown again for review, not saved.
    changed = client.post("/avtal/familjecentraler/registrera", data={
        **save, "version": "2", "effective_date": "2025-03-11", "nyckel": "x" * 20})
    assert changed.status_code == 200 and "ändrades efter förra förhandsgranskningen" in changed.text
    assert len(web_ledger.entries("familjecentraler")) == 2


def test_a_link_may_fill_in_fields_of_a_form(client, web_env):
    _sign_in(client, web_env["utforare"])
    page = client.get("/avtal/vald-i-nara-relation/registrera?typ=LexSarahReported&count=3&type=x")
    assert re.search(r'id="f-count"[^>]*value="3"', page.text)
    assert client.get("/avtal/vald-i-nara-relation/registrera?typ=BreachNoticeIssued").status_code == 403


def test_the_dossier_comes_as_pdf_too(client, web_env, web_ledger):
    from tests.support.builders import actor, event

    web_ledger.record("familjecentraler", event("DisputeRaised", "2025-02-01", by="bestallare",
                                                subject="Ersättningen", clauses=["2"]), actor("bestallare"))
    _sign_in(client, web_env["kommunstyrelsen"])
    pdf = client.get("/avtal/familjecentraler/tvister/2?format=pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get("/avtal/familjecentraler/tvister/1").status_code == 404


def test_the_contract_page_shows_money_per_month_and_the_dispute_read(client, web_env, web_ledger):
    from tests.support.builders import actor, event

    web_ledger.record("familjeradgivning", event(
        "ServiceHoursReported", "2025-02-28", month="2025-02", sessions=[{"minutes": 61}]), actor("utforare"))
    raised = web_ledger.record("familjecentraler", event(
        "DisputeRaised", "2025-02-01", by="bestallare", subject="Ersättningen", clauses=["2"]),
        actor("bestallare"))
    web_ledger.record("familjecentraler", event(
        "DisputeDecided", "2025-02-20", dispute_seq=raised.seq, decision="Bifall", paragraph="§ 7",
        justerat_on="2025-02-24", anslaget_on="2025-02-25"), actor("kommunstyrelsen"))
    _sign_in(client, web_env["revisor"])
    billing = client.get("/avtal/familjeradgivning").text
    assert "Debitering per månad 2025" in billing and "2025-02" in billing
    assert "hittills i år" in billing  # the month's own read (billing_month)
    centres = client.get("/avtal/familjecentraler").text
    assert "Ersättning per månad 2025" in centres and "2025-12" in centres
    disputes = centres[centres.index('id="h-tvister"'):centres.index('id="h-villkor"')]
    # Anslaget 2025-02-25 + three weeks = 2025-03-18, a Tuesday: the last day to appeal.
    assert "avgjord" in disputes and "§ 7" in disputes and "till och med 2025-03-18" in disputes
    assert "intern överenskommelse" in centres


def test_a_party_cannot_accept_its_own_proposal_and_is_told_so_under_the_field(client, web_env, web_ledger):
    from tests.support.builders import actor, event

    web_ledger.record("vald-i-nara-relation", event(
        "TerminationNoticeGiven", "2025-03-10", by="utforare", written=True, agreed_months=3),
        actor("utforare"))
    csrf = _sign_in(client, web_env["utforare"])
    refused = client.post("/avtal/vald-i-nara-relation/registrera", data={
        "csrf": csrf, "typ": "AgreementAccepted", "version": "2", "effective_date": "2025-03-10",
        "proposal_seq": "2", "atgard": "forhandsgranska"})
    assert refused.status_code == 403
    error = re.search(r'id="proposal_seq-fel">(.*?)</p>', refused.text, re.S)
    assert error and "Bara motparten" in error.group(1)
    assert len(web_ledger.entries("vald-i-nara-relation")) == 2

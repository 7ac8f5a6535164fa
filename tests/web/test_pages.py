"""Every page: axe-core finds no serious or critical violation, and a screenshot is kept."""

from __future__ import annotations

from typing import Any

import pytest

from api.checkpoints import cosign, ledger_checkpoint, load_or_create_key, store_checkpoint
from tests.support.builders import actor, event
from tests.web.conftest import ARTEFACTS, DAY, serious_violations, shoot, state_decision

expect = pytest.importorskip("playwright.sync_api").expect


def _history(ledger: Any) -> None:
    """A little of everything the contract page shows: a notice, a dispute, a lex Sarah
    anmälan, a corrected entry, indexation and billed hours."""
    bestallare, utforare = actor("bestallare"), actor("utforare")
    ledger.record("vald-i-nara-relation", event("TerminationNoticeGiven", "2024-01-15",
                                                by="bestallare", written=True), bestallare)
    ledger.record("vald-i-nara-relation", event("IndexationApplied", "2024-01-01", year=2024,
                                                index="OPI", percent="2.5"), bestallare)
    ledger.record("vald-i-nara-relation", event("LexSarahNotifiedToIVO", "2025-02-03"), utforare)
    ledger.record("vald-i-nara-relation", event("PremisesChanged", "2025-02-04", address="Fel 1",
                                                within_tatort=True), utforare)
    ledger.record("vald-i-nara-relation", event("EntryCorrected", "2025-02-05", entry_seq=5,
                                                reason="Fel avtal"), utforare)
    ledger.record("familjecentraler", event("DisputeRaised", "2025-02-01", by="bestallare",
                                            subject="Ersättningen för 2024", clauses=["2"]), bestallare)
    ledger.record("familjeradgivning", event("ServiceHoursReported", "2025-02-28", month="2025-02",
                                             sessions=[{"minutes": 61}, {"minutes": 45}],
                                             group_sessions=[{"minutes": 90, "participants": 6}]),
                  utforare)
    checkpoint = ledger_checkpoint(ledger)
    store_checkpoint(cosign(checkpoint, load_or_create_key(), "bestallare"))


def _check(page: Any, name: str, problems: dict[str, list[str]]) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    found = serious_violations(page)
    if found:
        problems[name] = found
    shoot(page, name)


def test_every_page_passes_axe_and_is_photographed(serve, web_ledger, sign_in, browser):
    _history(web_ledger)
    server = serve()
    problems: dict[str, list[str]] = {}
    anonymous = browser.new_page(base_url=server.url)
    anonymous.goto("/logga-in")
    _check(anonymous, "logga-in", problems)
    anonymous.get_by_role("button", name="Logga in").click()
    expect(anonymous.locator("#token-fel")).to_contain_text("Fyll i din token")  # ours, in Swedish
    _check(anonymous, "logga-in-fel", problems)
    anonymous.close()

    page = sign_in(server, "bestallare")
    console: list[str] = []  # a script or style the page's policy blocked shows up here
    page.on("console", lambda message: console.append(message.text) if message.type == "error" else None)
    for name, url in [
        ("oversikt", "/"), ("att-gora", "/att-gora"),
        ("att-gora-manad", "/att-gora?period=manad&holder=utforare"),
        ("avtal-vald-i-nara-relation", "/avtal/vald-i-nara-relation"),
        ("avtal-familjeradgivning", "/avtal/familjeradgivning"),
        ("avtal-skolsocialt-team", "/avtal/skolsocialt-team"),
        ("avtal-familjecentraler", "/avtal/familjecentraler"),
        ("avtal-per-dag", "/avtal/vald-i-nara-relation?as_of=2024-06-30"),
        ("avtal-fel-datum", "/avtal/vald-i-nara-relation?as_of=2024-13-01"),
        ("registrera", "/avtal/familjecentraler/registrera"),
        ("registrera-uppsagning", "/avtal/familjecentraler/registrera?typ=TerminationNoticeGiven"),
        ("registrera-andring", "/avtal/familjecentraler/registrera?typ=AmendmentSigned"),
        ("tidsresa", "/avtal/vald-i-nara-relation/tidsresa"),
        ("granskning", "/granskning"),
        ("akt", "/avtal/familjecentraler/tvister/2"),
        ("finns-inte", "/avtal/finns-inte"),
    ]:
        page.goto(url)
        _check(page, name, problems)

    page.goto("/avtal/familjecentraler/registrera?typ=TerminationNoticeGiven")
    page.get_by_role("button", name="Förhandsgranska").click()
    _check(page, "registrera-fel", problems)
    page.get_by_label(DAY).fill("2025-03-10")
    page.get_by_role("group", name="Skriftlig").get_by_label("Ja").check()
    state_decision(page)
    page.get_by_role("button", name="Förhandsgranska").click()
    _check(page, "registrera-forhandsgranskning", problems)

    page.goto("/avtal/vald-i-nara-relation/tidsresa")
    options = page.locator("#tidpunkter option")
    page.get_by_label("Som känt vid (först)").fill(options.nth(0).get_attribute("value"))
    page.get_by_label("Som känt vid (sedan)").fill(options.last.get_attribute("value"))
    page.get_by_role("button", name="Jämför").click()
    expect(page.locator(".comparison")).to_be_visible()
    _check(page, "tidsresa-jamforelse", problems)
    assert not problems, problems
    assert [m for m in console if not m.startswith("Failed to load resource")] == [], console

    page.goto("/docs")  # Swagger UI's own page: served from here, photographed, not ours to fix
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Verksamhetsuppdrag ledger")
    shoot(page, "docs")


def test_the_contract_page_prints_on_a4(serve, web_ledger, sign_in):
    _history(web_ledger)
    page = sign_in(serve(), "revisor")
    page.goto("/avtal/vald-i-nara-relation")
    page.emulate_media(media="print")
    expect(page.locator("header nav")).to_be_hidden()
    expect(page.locator("form.filters")).to_be_hidden()
    citation = page.locator("details.citation blockquote").first
    expect(citation).to_be_visible()  # the clause texts are printed, not folded away
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    pdf = page.pdf(path=str(ARTEFACTS / "avtal-utskrift.pdf"), format="A4", print_background=True)
    assert pdf.startswith(b"%PDF")
    shoot(page, "avtal-utskrift")


def test_the_export_downloads_and_verifies(serve, web_ledger, sign_in, tmp_path):
    from api.export import verify_export

    _history(web_ledger)
    page = sign_in(serve(), "revisor")
    page.goto("/granskning")
    expect(page.locator("main")).to_contain_text("Liggaren verifierar")
    expect(page.locator("main")).to_contain_text("beställaren")  # the co-signature
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner export").click()
    path = tmp_path / "export.jsonl"
    download.value.save_as(path)
    report = verify_export(path)
    assert report.ok and report.events == 4 + 7

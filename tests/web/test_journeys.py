"""The journeys of issue 14, in a real browser, on each backend."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.support.builders import actor, event
from tests.web.conftest import DAY, NAMES, serious_violations, shoot, state_decision

expect = pytest.importorskip("playwright.sync_api").expect

MAY_RECORD = {"admin": True, "bestallare": True, "utforare": True, "revisor": False,
              "kommunstyrelsen": True}


@pytest.mark.parametrize("role", list(MAY_RECORD))
def test_each_role_signs_in_and_is_offered_what_its_role_may_do(serve, web_ledger, sign_in, role):
    server = serve()
    page = sign_in(server, role)
    expect(page.get_by_role("heading", level=1)).to_have_text("Översikt")
    expect(page.locator("header")).to_contain_text(NAMES[role])
    page.get_by_role("link", name="Våld i nära relation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Våld i nära relation")
    offered = page.get_by_role("link", name="Registrera händelse")
    expect(offered).to_have_count(1 if MAY_RECORD[role] else 0)
    if not MAY_RECORD[role]:
        page.goto("/avtal/vald-i-nara-relation/registrera")
        expect(page.get_by_role("heading", level=1)).to_have_text("Inte tillåtet")
    page.get_by_role("button", name="Logga ut").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in")
    page.goto("/att-gora")
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in")


def test_a_wrong_token_is_refused_next_to_the_field(serve, web_ledger, browser):
    server = serve()
    page = browser.new_page(base_url=server.url)
    page.goto("/logga-in")
    page.get_by_label("Token").fill("not-a-token")
    page.get_by_role("button", name="Logga in").click()
    field = page.get_by_label("Token")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#token-fel")).to_contain_text("inte giltig")
    assert "token-fel" in (field.get_attribute("aria-describedby") or "")
    page.close()


def test_contract_manager_sees_this_months_duties_previews_a_notice_saves_it_and_sees_the_end_date(
        serve, web_ledger, sign_in):
    page = sign_in(serve(), "bestallare")
    page.get_by_role("link", name="Att göra").click()
    page.get_by_label("Ansvarig").select_option("utforare")
    page.get_by_label("Period").select_option("manad")
    page.evaluate("window.stillHere = true")
    page.get_by_role("button", name="Visa").click()
    page.wait_for_url(re.compile(r"period=manad"))
    rows = page.locator("#resultat tbody tr")
    expect(rows.first).to_contain_text("försenad")  # overdue first
    this_month = rows.filter(has_text="Verksamhetsberättelse 2024")
    expect(this_month).to_have_count(3)  # V, F and S report on 2024 by 31 March
    expect(this_month.first).to_contain_text("2025-03-31")
    expect(page.locator("#resultat")).not_to_contain_text("2025-04")  # nothing due after March
    assert page.evaluate("window.stillHere === true")  # htmx swapped the list in, no reload
    page.goto("/avtal/vald-i-nara-relation")
    page.get_by_role("link", name="Registrera händelse").click()
    page.get_by_label("Händelse").select_option("TerminationNoticeGiven")
    page.get_by_role("button", name="Visa formulär").click()
    page.get_by_label(DAY).fill("2025-03-10")
    expect(page.get_by_label("Part")).to_have_value("bestallare")
    page.get_by_role("group", name="Skriftlig").get_by_label("Ja").check()
    state_decision(page)
    page.get_by_role("button", name="Förhandsgranska").click()
    preview = page.locator(".preview")
    expect(preview).to_contain_text("inget är sparat ännu")
    expect(preview.locator(".ends-on")).to_have_text("2026-03-10")
    assert len(web_ledger.entries("vald-i-nara-relation")) == 1  # the preview wrote nothing
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("status").first).to_contain_text("Händelsen sparades som post 2")
    expect(page.locator(".lead")).to_contain_text("uppsagt till 2026-03-10")
    expect(page.locator("#post-2")).to_contain_text("Uppsägning")
    expect(page.locator("#post-2")).to_contain_text(NAMES["bestallare"])


def test_leanlink_records_a_lex_sarah_anmalan_and_sees_the_copy_duty(serve, web_ledger, sign_in):
    page = sign_in(serve(), "utforare")
    page.goto("/avtal/skolsocialt-team/registrera?typ=LexSarahNotifiedToIVO")
    page.get_by_label(DAY).fill("2025-03-07")
    page.get_by_label("IVO:s diarienummer").fill("IVO 3.5.1-1234/2025")
    page.get_by_role("button", name="Förhandsgranska").click()
    expect(page.locator(".preview")).to_contain_text("Öppnar skyldighet: Kopia av lex Sarah-anmälan")
    page.get_by_role("button", name="Spara").click()
    duty = page.locator("tr", has_text="Kopia av lex Sarah-anmälan")
    expect(duty).to_contain_text("2025-03-10")  # "omgående": the next working day after a Friday
    expect(duty).to_contain_text("öppen")
    page.get_by_role("link", name="Att göra").click()
    expect(page.locator("#resultat")).to_contain_text("Kopia av lex Sarah-anmälan")


def test_field_errors_are_swedish_and_tied_to_their_fields(serve, web_ledger, sign_in):
    page = sign_in(serve(), "utforare")
    page.goto("/avtal/familjeradgivning/registrera?typ=PremisesChanged")
    page.get_by_label(DAY).fill("2025-03-10")
    page.get_by_label("Adress").fill("Storgatan 1")
    page.get_by_role("button", name="Förhandsgranska").click()
    summary = page.locator("#felsammanfattning")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("ingenting har sparats")
    expect(page.locator("#within_tatort-fel")).to_contain_text("Välj ja eller nej")
    expect(page.get_by_role("group", name="Inom tätorten").get_by_label("Ja")).to_have_attribute(
        "aria-invalid", "true")
    page.get_by_role("group", name="Inom tätorten").get_by_label("Ja").check()
    page.get_by_label("Adress").fill("Storgatan 1, 19121212-1212")
    page.get_by_role("button", name="Förhandsgranska").click()
    address = page.get_by_label("Adress")
    expect(address).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#address-fel")).to_contain_text("personnummer")
    assert "address-fel" in (address.get_attribute("aria-describedby") or "")
    assert len(web_ledger.entries("familjeradgivning")) == 1


def test_a_stale_version_gives_the_conflict_message_and_writes_nothing(serve, web_ledger, sign_in):
    server = serve()
    anna = sign_in(server, "bestallare")
    anna.goto("/avtal/familjecentraler/registrera?typ=TerminationNoticeGiven")
    anna.get_by_label(DAY).fill("2025-03-10")
    anna.get_by_role("group", name="Skriftlig").get_by_label("Ja").check()
    state_decision(anna)
    anna.get_by_role("button", name="Förhandsgranska").click()
    expect(anna.get_by_role("button", name="Spara")).to_be_visible()
    lena = sign_in(server, "utforare")  # records in between
    lena.goto("/avtal/familjecentraler/registrera?typ=InsuranceProofSubmitted")
    lena.get_by_label(DAY).fill("2025-03-10")
    lena.get_by_label("Försäkringsgivare").fill("Kommunassurans")
    lena.get_by_label(re.compile("^Belopp")).fill("20000000")
    lena.get_by_label("Gäller till").fill("2026-03-31")
    lena.get_by_role("button", name="Förhandsgranska").click()
    lena.get_by_role("button", name="Spara").click()
    expect(lena.get_by_role("status").first).to_contain_text("post 2")
    anna.get_by_role("button", name="Spara").click()
    conflict = anna.locator("#konflikt")
    expect(conflict).to_contain_text("Någon annan har registrerat")
    expect(conflict).to_contain_text("version 1")
    expect(conflict).to_contain_text("Försäkringsbevis lämnat")
    expect(conflict).to_be_focused()
    assert [e.type for e in web_ledger.entries("familjecentraler")] == [
        "ContractRegistered", "InsuranceProofSubmitted"]


def _notice_history(ledger: Any) -> None:
    ledger.record("vald-i-nara-relation", event("TerminationNoticeGiven", "2024-01-15",
                                                by="bestallare", written=True), actor("bestallare"))


def test_auditor_changes_the_as_of_date_replays_to_an_earlier_instant_and_compares_two(
        serve, web_ledger, sign_in):
    _notice_history(web_ledger)
    page = sign_in(serve(), "revisor")
    page.goto("/avtal/vald-i-nara-relation")
    expect(page.locator(".lead")).to_contain_text("upphört 2025-01-15")
    page.get_by_label("Per dag").fill("2024-06-30")
    page.get_by_role("button", name="Visa", exact=True).click()
    expect(page.locator(".lead")).to_contain_text("uppsagt till 2025-01-15")
    expect(page.get_by_role("status").first).to_contain_text("avtalet visas per 2024-06-30")
    page.get_by_role("link", name="Tidsresa och jämförelse").click()
    page.get_by_role("link", name="Som känt direkt efter post 1").click()
    expect(page.locator(".lead")).to_contain_text("löpande")
    expect(page.locator("#post-2")).to_have_count(0)
    page.go_back()
    instants = page.locator("#tidpunkter option")
    page.get_by_label("Som känt vid (först)").fill(instants.nth(0).get_attribute("value"))
    page.get_by_label("Som känt vid (sedan)").fill(instants.nth(1).get_attribute("value"))
    page.get_by_role("button", name="Jämför").click()
    result = page.locator(".comparison")
    expect(result).to_contain_text("status löper → upphört")
    expect(result.locator(".between")).to_contain_text("Post 2: Uppsägning 2024-01-15")
    shoot(page, "tidsresa-jamforelse")


def test_kommunstyrelsen_opens_a_dossier(serve, web_ledger, sign_in):
    web_ledger.record("familjecentraler", event(
        "DisputeRaised", "2025-02-01", by="bestallare", subject="Ersättningen för 2024",
        clauses=["2"]), actor("bestallare"))
    page = sign_in(serve(), "kommunstyrelsen")
    page.goto("/avtal/familjecentraler")
    disputes = page.locator("section[aria-labelledby=h-tvister]")
    expect(disputes).to_contain_text("Ersättningen för 2024")
    disputes.get_by_role("link", name=re.compile("Akt till kommunstyrelsen")).click()
    expect(page.locator("body")).to_contain_text("Ersättningen för 2024")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    shoot(page, "akt")


def tab_to(page: Any, selector: str, limit: int = 80) -> None:
    """Press Tab until ``selector`` has the focus (as someone without a mouse would), and check
    the focus is visible there."""
    target = page.locator(selector)
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            outline = target.evaluate("el => getComputedStyle(el).outlineStyle")
            assert outline != "none", f"no visible focus on {selector}"
            return
    raise AssertionError(f"{selector} cannot be reached with Tab")


def test_the_notice_journey_can_be_done_with_the_keyboard_alone(serve, web_ledger, sign_in):
    page = sign_in(serve(), "bestallare")
    page.keyboard.press("Tab")  # the first stop is the way past the header
    expect(page.get_by_role("link", name="Hoppa till innehållet")).to_be_focused()
    tab_to(page, "a[href='/avtal/familjeradgivning']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Familjerådgivning")
    tab_to(page, "a[href='/avtal/familjeradgivning/registrera']")
    page.keyboard.press("Enter")
    tab_to(page, "#f-typ")
    page.keyboard.type("Upps")  # a select follows typed letters: "Uppsägning"
    tab_to(page, "form.filters button")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=2, name="Uppsägning")).to_be_visible()
    tab_to(page, "#f-effective_date")
    page.keyboard.type("2025-03-10")
    tab_to(page, "#f-written-ja")
    page.keyboard.press("Space")
    for field, text in [("decision-body", "Social- och omsorgsnämnden"), ("decision-paragraph", "§ 12"),
                        ("decision-decided_on", "2025-03-05"), ("decision-diarienummer", "SOC 2025-0042"),
                        ("document_ref", "SOC 2025-0043")]:
        tab_to(page, f"#f-{field}")
        page.keyboard.type(text)
    tab_to(page, "button[value=forhandsgranska]")
    page.keyboard.press("Enter")
    expect(page.locator(".preview .ends-on")).to_have_text("2026-03-10")
    tab_to(page, "button[value=spara]")
    page.keyboard.press("Enter")
    expect(page.locator(".lead")).to_contain_text("uppsagt till 2026-03-10")


def test_an_agreed_notice_period_takes_effect_once_the_other_party_accepts_it(serve, web_ledger, sign_in):
    server = serve()
    lena = sign_in(server, "utforare")
    lena.goto("/avtal/vald-i-nara-relation/registrera?typ=TerminationNoticeGiven")
    lena.get_by_label(DAY).fill("2025-03-10")
    expect(lena.get_by_label("Part")).to_have_value("utforare")
    lena.get_by_role("group", name="Skriftlig").get_by_label("Ja").check()
    lena.get_by_label("Överenskommen uppsägningstid").fill("3")
    state_decision(lena)
    lena.get_by_role("button", name="Förhandsgranska").click()
    preview = lena.locator(".preview")
    expect(preview.locator(".ends-on")).to_have_text("2026-03-10")  # one-sided: twelve months
    expect(preview).to_contain_text("Väntar på motpartens godkännande")
    lena.get_by_role("button", name="Spara").click()
    expect(lena.locator(".lead")).to_contain_text("uppsagt till 2026-03-10")
    expect(lena.locator("#godkannanden")).to_contain_text("beställaren")
    expect(lena.locator("#godkannanden").get_by_role("link", name="Godkänn")).to_have_count(0)

    anna = sign_in(server, "bestallare")
    anna.get_by_role("link", name="Att göra").click()
    awaiting = anna.locator("#vantar tbody tr")
    expect(awaiting).to_have_count(1)
    expect(awaiting).to_contain_text("Våld i nära relation")
    expect(awaiting).to_contain_text("Uppsägning")
    expect(awaiting).to_contain_text("utföraren")
    assert serious_violations(anna) == []
    shoot(anna, "att-gora-godkannande")
    awaiting.get_by_role("link", name="Godkänn").click()
    expect(anna.get_by_role("heading", level=2, name="Överenskommelse godkänd")).to_be_visible()
    expect(anna.get_by_label("Förslag (post)")).to_have_value("2")  # prefilled by the link
    anna.get_by_label(DAY).fill("2025-03-10")
    anna.get_by_role("button", name="Förhandsgranska").click()
    expect(anna.locator(".preview")).to_contain_text("inget är sparat ännu")
    expect(anna.locator(".preview")).to_contain_text("post 2")  # what is accepted, in words
    assert serious_violations(anna) == []
    shoot(anna, "registrera-godkannande")
    anna.get_by_role("button", name="Spara").click()
    expect(anna.get_by_role("status").first).to_contain_text("Händelsen sparades som post 3")
    expect(anna.locator(".lead")).to_contain_text("uppsagt till 2025-06-10")  # three months, agreed
    expect(anna.locator("section[aria-labelledby=h-godkannanden]")).to_contain_text("Inget väntar")
    anna.get_by_role("link", name="Att göra").click()
    expect(anna.locator("main")).to_contain_text("Inget väntar på ditt godkännande")


def test_the_contract_page_shows_stale_legal_references_and_the_municipal_frame(serve, web_ledger, sign_in):
    page = sign_in(serve(), "revisor")
    page.goto("/avtal/skolsocialt-team")
    frame = page.locator("section[aria-labelledby=h-rattslig]")
    expect(frame).to_contain_text("intern överenskommelse inom en och samma juridiska person")
    expect(frame).to_contain_text("Samarbetsöverenskommelse")  # incorporated, not held
    warnings = frame.locator("ul.legal-basis > li")
    expect(warnings.filter(has_text="Sveriges Kommuner och Landsting (SKL)")).to_contain_text(
        "nytt namn Sveriges Kommuner och Regioner (SKR) från 2019-11-27")
    expect(warnings.filter(has_text="SOSFS 2006:5")).to_contain_text("SOSFS 2006:5: ersatt av SOSFS 2014:5")
    expect(warnings.filter(has_text="Socialtjänstlagen (SoL)")).to_contain_text("socialtjänstlag (2025:400)")
    expect(warnings.first.locator("details.citation")).not_to_have_count(0)  # the clause that cites it
    assert serious_violations(page) == []
    shoot(page, "avtal-skolsocialt-team-rattslig-grund")

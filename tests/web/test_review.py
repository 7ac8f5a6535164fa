"""Nytt avtal från text (issue 17): an admin pastes a contract's text, reviews the proposed terms
beside the text with every quote marked, changes one, drops one, previews and registers."""

from __future__ import annotations

import re

import pytest

from domain.errors import LedgerError
from tests.web.conftest import serious_violations, shoot

expect = pytest.importorskip("playwright.sync_api").expect

# Written for this test, in the seeds' manner (not a copy of any of them).
TEXT = """Verksamhetsuppdrag avseende

Stödsamtal för unga vuxna,
Leanlink
Råd och Stöd

Diarienummer: SON 2024-321
Datum: 2024-05-14

1.0 VERKSAMHETSUPPDRAG

Linköpings kommun genom social- och omsorgsnämnden, nedan kallad beställaren, ger utföraren \
Leanlink Råd och Stöd i uppdrag att erbjuda stödsamtal för unga vuxna.

1.1 TIDSPERIOD

Uppdraget gäller från och med 2024-07-01 och löper tills vidare. Uppsägningstiden är nio månader \
om inte parterna enas om annat. Uppsägning ska ske skriftligen.

1.2 ERSÄTTNING

Ersättningen uppgår till 2 150 000 kronor per år i 2024 års prisnivå. Ersättningen räknas upp \
årligen med omsorgsprisindex (OPI) från och med 2025-01-01. Ersättningen utbetalas med 1/12 per \
månad i efterskott.

2.0 UPPFÖLJNING

Utföraren ska senast den 31 mars varje år lämna en verksamhetsberättelse till beställaren.

3.0 TVIST

Tvist ska i första hand lösas genom dialog mellan parterna. Kan parterna inte enas ska tvisten \
avgöras av allmän domstol.
"""
NOTICE = "Uppsägningstiden är nio månader om inte parterna enas om annat."


def _row(page, label: str):
    return page.locator("fieldset.villkor").filter(has=page.get_by_label(f"Värde: {label}", exact=True))


def test_admin_reviews_a_drafted_contract_edits_drops_and_registers_it(serve, web_ledger, sign_in):
    server = serve()
    page = sign_in(server, "admin")
    page.get_by_role("link", name="Nytt avtal från text").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nytt avtal från text")
    page.get_by_role("button", name="Läs texten").click()  # nothing pasted: said at the field
    expect(page.get_by_label("Avtalets text")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#text-fel")).to_contain_text("Klistra in avtalets text")
    assert not serious_violations(page)
    shoot(page, "utkast")
    page.get_by_label("Referens för det nya avtalet").fill("stodsamtal-unga")
    page.get_by_label("Avtalets text").fill(TEXT)
    page.get_by_role("button", name="Läs texten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Granska utkast: stodsamtal-unga")

    # The quote is marked in the text, and the proposed notice period links to it.
    notice = _row(page, "uppsägningstid (månader)")
    expect(page.get_by_label("Värde: uppsägningstid (månader)", exact=True)).to_have_value("9")
    quote_id = notice.get_by_role("link", name="Visa citatet i texten").get_attribute("href")
    assert quote_id and quote_id.startswith("#citat-")
    mark = page.locator(f"mark{quote_id}")
    expect(mark).to_contain_text(NOTICE)
    expect(page.locator("mark")).to_have_count(7)  # every quote of the draft, once each
    expect(page.locator("ul.saknas")).to_contain_text("Förtida uppsägning: ingen förtida uppsägning")
    assert not serious_violations(page)
    shoot(page, "utkast-granska")

    # A new value typed but Behåll left chosen is an error at the field, not a silent loss.
    page.get_by_label("Värde: uppsägningstid (månader)", exact=True).fill("sex")
    page.get_by_role("button", name="Förhandsgranska").click()
    field = page.get_by_label("Värde: uppsägningstid (månader)", exact=True)
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#felsammanfattning")).to_contain_text("välj Ändra")
    notice = _row(page, "uppsägningstid (månader)")
    notice.get_by_label("Ändra").check()
    page.get_by_role("button", name="Förhandsgranska").click()
    expect(page.locator("#felsammanfattning")).to_contain_text("Skriv ett heltal")
    assert not serious_violations(page)
    shoot(page, "utkast-fel")

    page.get_by_label("Värde: uppsägningstid (månader)", exact=True).fill("6")
    # Drop the disputes clause: both of its proposed fields.
    for label in ("avgörs av", "dialog först"):
        _row(page, label).get_by_label("Ta bort").check()
    page.get_by_role("button", name="Förhandsgranska").click()
    expect(page.get_by_role("status")).to_contain_text("utkastet kan registreras")
    expect(page.get_by_label("Värde: uppsägningstid (månader)", exact=True)).to_have_value("6")

    page.get_by_role("button", name="Registrera").click()
    page.wait_for_url(re.compile(r"/avtal/stodsamtal-unga"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Stödsamtal för unga vuxna")
    termination = page.locator("section.term").filter(has=page.get_by_role("heading", name="Uppsägning"))
    expect(termination).to_contain_text("6")
    expect(termination).not_to_contain_text("9")
    expect(page.locator("section.term").filter(has=page.get_by_role("heading", name="Tvister"))) \
        .to_have_count(0)
    assert web_ledger.entries("stodsamtal-unga")[0].data["terms"]["termination"]["notice_months"] == 6


def test_a_dropped_required_field_is_named_in_swedish_and_nothing_is_registered(serve, web_ledger,
                                                                               sign_in):
    server = serve()
    page = sign_in(server, "admin")
    page.goto("/utkast")
    page.get_by_label("Referens för det nya avtalet").fill("stodsamtal-unga")
    page.get_by_label("Avtalets text").fill(TEXT)
    page.get_by_role("button", name="Läs texten").click()
    _row(page, "uppsägningstid (månader)").get_by_label("Ta bort").check()
    page.get_by_role("button", name="Registrera").click()
    expect(page.locator("#felsammanfattning")).to_contain_text("saknas")
    expect(_row(page, "uppsägningstid (månader)")).to_contain_text("saknas")
    with pytest.raises(LedgerError):
        web_ledger.entries("stodsamtal-unga")

    # A reference already in the ledger: the ledger's refusal, in Swedish, nothing written.
    _row(page, "uppsägningstid (månader)").get_by_label("Behåll").check()
    page.get_by_label("Referens för det nya avtalet").fill("familjeradgivning")
    before = len(web_ledger.entries("familjeradgivning"))
    page.get_by_role("button", name="Registrera").click()
    expect(page.locator("#felsammanfattning")).to_contain_text("Det finns redan ett avtal")
    assert len(web_ledger.entries("familjeradgivning")) == before


@pytest.mark.parametrize("role", ["bestallare", "revisor"])
def test_only_an_admin_may_draft_a_contract(serve, web_ledger, sign_in, role):
    server = serve()
    page = sign_in(server, role)
    expect(page.get_by_role("link", name="Nytt avtal från text")).to_have_count(0)
    page.goto("/utkast")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inte tillåtet")
    response = page.request.post("/utkast", form={"text": TEXT, "ref": "x-y", "atgard": "registrera"})
    assert response.status == 403


# --- the review without a browser: marks, choices, problems ----------------------------------

def _draft():
    from api.web import draft_review as review
    from domain.drafting.reader import draft_contract

    draft = draft_contract(TEXT, ref="stodsamtal-unga")
    marked = review.marked_text(TEXT, draft)
    return review, draft, marked, review.rows_of(draft, marked.quote_ids)


def _index(families, path: str) -> int:
    return next(row.index for f in families for row in f.rows if row.path == path)


def test_every_quote_is_marked_once_and_only_quoted_text_is_marked():
    _, _, marked, families = _draft()
    text = " ".join("".join(t for t, _, _ in line) for line in marked.lines)
    highlighted = " ".join(t for line in marked.lines for t, is_marked, _ in line if is_marked)
    assert NOTICE in highlighted and "Tvist ska i första hand" not in highlighted
    for quote, quote_id in marked.quote_ids.items():
        start = int(quote_id.removeprefix("citat-"))
        assert text[start:start + len(quote)] == quote  # the id names where the quote starts
    payment = next(r for f in families for r in f.rows if r.path == "terms.compensation.payment")
    assert marked.quote_ids["Ersättningen utbetalas med 1/12 per månad i efterskott."] == payment.quote_id


def test_choices_change_drop_and_keep_and_a_clause_without_fields_is_dropped():
    review, draft, _, families = _draft()
    notice = _index(families, "terms.termination.notice_months")
    form = {f"atgard-{notice}": "andra", f"varde-{notice}": " 6 ",
            f"atgard-{_index(families, 'terms.disputes.forum')}": "ta-bort",
            f"atgard-{_index(families, 'terms.disputes.dialogue_first')}": "ta-bort"}
    errors: dict[str, str] = {}
    body = review.edited(draft, families, form, errors)
    assert errors == {}
    assert body["terms"]["termination"]["notice_months"] == 6
    assert body["terms"]["disputes"] is None
    assert body["terms"]["annual_report"] == draft.terms["annual_report"]  # kept as proposed
    assert draft.terms["termination"]["notice_months"] == 9  # the draft itself is untouched
    event, problems = review.problems(body)
    assert problems == {} and event is not None and event.terms.termination.notice_months == 6


def test_bad_choices_are_named_at_their_field_in_swedish():
    review, draft, _, families = _draft()
    notice = _index(families, "terms.termination.notice_months")
    written = _index(families, "terms.termination.written_required")
    errors: dict[str, str] = {}
    review.edited(draft, families, {f"atgard-{notice}": "andra", f"varde-{notice}": "sex",
                                    f"varde-{written}": "nej"}, errors)
    assert errors["terms.termination.notice_months"].startswith("Skriv ett heltal")
    assert "välj Ändra" in errors["terms.termination.written_required"]  # typed, but Behåll chosen
    body = review.edited(draft, families, {f"atgard-{notice}": "ta-bort"}, {})
    _, problems = review.problems(body)
    assert problems["terms.termination.notice_months"].startswith("saknas")
    _, problems = review.problems({**body, "ref": "Inte En Ref"})
    assert "description.ref" in problems and "fel form" in problems["description.ref"]

"""A whole agreement the reader has never seen, written for the test in other words than the seeds:
every family it states is read with its value and a verbatim quote, every family it lacks is
reported not found, and the draft registers as it stands."""

from __future__ import annotations

from domain.drafting.reader import draft_contract
from domain.drafting.score import citations
from domain.drafting.text import normalise

AGREEMENT = """\
Linköpings kommun
Verksamhetsuppdrag avseende boendestöd för unga vuxna

Dnr: ON 2025-318
Datum: 2025-09-15

1. Parter
Linköpings kommun genom omsorgsnämnden, nedan kallad beställaren, ger utföraren Leanlink Råd och Stöd
i uppdrag att bedriva boendestöd.

2. Avtalstid
Uppdraget gäller från och med den 1 mars 2026 och tills vidare. Uppdraget kan sägas upp skriftligen av
vardera parten med sex månaders varsel.

3. Ersättning
Ersättningen uppgår till 2 400 000 kr per år i 2025 års pris- och lönenivå.
Från 2027 räknas ersättningen om varje år med prisindex för kommunal verksamhet (PKV).
Ersättningen betalas månadsvis i efterskott med 1/12 av årsbeloppet.

4. Uppföljning
Utföraren ska senast den 28 februari varje år lämna en årsrapport till beställaren.

5. Lokaler
Verksamheten ska bedrivas i lokaler inom Linköpings tätort. Vid flytt av verksamheten till andra lokaler
ska utföraren meddela beställaren i förväg.

6. Försäkring
Utföraren ska ha en ansvarsförsäkring om 15 mnkr per skadetillfälle.

7. Tvister
Tvister om detta uppdrag avgörs av kommunstyrelsen.
"""


def test_every_stated_family_is_read_with_a_verbatim_quote() -> None:
    draft = draft_contract(AGREEMENT, ref="boendestod")
    d, t = draft.description, draft.terms
    assert (d["title"], d["diarienummer"], d["dated"], d["bestallare"], d["utforare"]) == (
        "Boendestöd för unga vuxna", "ON 2025-318", "2025-09-15", "Omsorgsnämnden", "Leanlink Råd och Stöd")
    assert d["in_force_from"]["date"] == "2026-03-01"
    assert (t["termination"]["notice_months"], t["termination"]["written_required"]) == (6, True)
    money = t["compensation"]
    assert (money["basis"], money["amount"], money["price_year"], money["payment"]) == (
        "annual", "2400000", 2025, "1/12 per månad i efterskott")
    assert (money["indexation"]["index"], money["indexation"]["from_year"]) == ("PKV", 2027)
    assert (t["annual_report"]["month"], t["annual_report"]["day"]) == (2, 28)
    premises = t["premises"]
    assert (premises["must_be_in_tatort"], premises["notify_on_change"], premises["notify"]) == (
        True, True, "beställaren")
    assert (t["insurance"]["person_damage"], t["insurance"]["property_damage"]) == ("15000000", "15000000")
    assert (t["disputes"]["forum"], t["disputes"]["dialogue_first"]) == ("kommunstyrelsen", False)
    text = normalise(AGREEMENT)
    assert all(c["quote"] in text for c in citations({"d": d, "t": t}).values())
    assert draft.problems() == []


def test_every_family_it_lacks_is_reported_not_found() -> None:
    draft = draft_contract(AGREEMENT)
    missing = {n["family"] for n in draft.not_found}
    assert {"early_termination", "volume", "billing", "fte_allocation", "lex_sarah_summary",
            "lex_sarah_copy", "supervision_report", "insyn", "competence", "waiting_time",
            "force_majeure", "expected_results", "amendments"} <= missing
    stated = {"termination", "compensation", "annual_report", "premises", "insurance", "disputes"}
    assert not stated & missing
    assert all(draft.terms[f] is None for f in missing if f in draft.terms and f != "amendments")


PARAGRAPHS = """\
Verksamhetsuppdrag avseende öppenvård

Diarienr: SON 2024-77

§ 1 Giltighet
Överenskommelsen gäller fr.o.m. 2025-01-01 tills vidare. Vardera parten får säga upp
överenskommelsen med en uppsägningstid om arton månader. Uppsägningen ska vara skriftlig.

§ 2 Ersättning
Ersättningen uppgår till 6,2 miljoner kronor per år i 2024 års prisnivå. Ersättningen räknas
upp årligen från 2026 enligt omsorgsprisindex (OPI). Utbetalning sker månadsvis i efterskott.

§ 3 Rapportering
Anmälningar enligt lex Sarah till IVO ska i kopia skickas till beställaren utan dröjsmål.
Om Inspektionen för vård och omsorg inleder tillsyn av verksamheten ska utföraren omedelbart
informera beställaren.

§ 4 Avtalsbrott
Om utföraren brister i sina åtaganden och inte vidtagit rättelse inom tjugo dagar efter skriftlig
anmodan får beställaren säga upp uppdraget med en uppsägningstid om två månader.
"""


def test_paragraph_sections_and_other_wording() -> None:
    draft = draft_contract(PARAGRAPHS)
    t = draft.terms
    assert draft.description["in_force_from"]["citation"]["section"] == "§ 1 Giltighet"
    assert t["termination"]["notice_months"] == 18
    assert t["termination"]["citation"]["section"] == "§ 1 Giltighet"
    assert (t["early_termination"]["cure_days"], t["early_termination"]["notice_months"]) == (20, 2)
    assert (t["compensation"]["amount"], t["compensation"]["price_year"]) == ("6200000", 2024)
    assert t["compensation"]["payment"] == "månadsvis i efterskott"
    assert (t["lex_sarah_copy"]["policy"], t["supervision_report"]["policy"]) == ("omgaende", "omgaende")
    assert t["annual_report"] is None and t["disputes"] is None


FRAME = """\
Verksamhetsuppdrag avseende ungdomsmottagning

Dnr: SON 2026-12
Linköpings kommun genom barn- och ungdomsnämnden, nedan kallad beställaren, ger utföraren Leanlink
Ungdom i uppdrag att bedriva ungdomsmottagning.

1 Giltighet
Uppdraget gäller från och med 2026-07-01 och tills vidare. Uppsägningstiden är nio månader.

2 Ersättning
Ersättningen uppgår till 3 100 000 kr per år i 2026 års prisnivå. Utbetalning sker månadsvis i efterskott.
Avstämning sker kvartalsvis. Om förutsättningarna ändras väsentligt har vardera parten rätt att begära
omförhandling av ersättningen.

3 Uppföljning
Utföraren ska utan kostnad lämna de uppgifter som beställaren begär, inom sju arbetsdagar.
Klagomål som även berör Utbildningsförvaltningen ska utföraren snarast överlämna till förvaltningen.
Samverkan med skolan regleras närmare i bilagan ”Samverkansrutin för ungdomsmottagningen”.

4 Försäkring
Utföraren ska ha ansvarsförsäkring om 10 mnkr för personskada och 2 mnkr för sakskada. Försäkringen
ska vidmakthållas under hela uppdragstiden. Saknas bevis om försäkring får kommunen teckna försäkring
på utförarens bekostnad.

5 Lagstiftning
Verksamheten bedrivs enligt socialtjänstlagen och hälso- och sjukvårdslagen (HSL).
"""


def test_issue_12_families_in_other_words_register_as_they_stand() -> None:
    draft = draft_contract(FRAME, ref="ungdomsmottagning")
    t = draft.terms
    on_request = t["information_on_request"]
    assert on_request["working_days"] == 7 and "policy_citation" not in on_request
    assert t["quarterly_reconciliation"]["holder"] == "bestallare"
    assert t["renegotiation"]["citation"]["section"] == "2 Ersättning"
    assert (t["complaint_forwarding"]["notify"], t["complaint_forwarding"]["working_days"]) == (
        "Utbildningsförvaltningen", 1)
    assert [d["title"] for d in t["incorporated_documents"]] == ["Samverkansrutin för ungdomsmottagningen"]
    insurance = t["insurance"]
    assert (insurance["person_damage"], insurance["property_damage"], insurance["separate_amounts"]) == (
        "10000000", "2000000", True)
    assert insurance["maintain_citation"]["section"] == "4 Försäkring" and t["insurance_remedy"] is not None
    assert [(x["reference"], x["status"]) for x in t["legal_basis"]] == [
        ("Socialtjänstlagen (SoL)", "superseded")]
    assert draft.unmodelled[0]["references"] == ["hälso- och sjukvårdslagen (HSL)"]
    text = normalise(FRAME)
    assert all(c["quote"] in text for c in citations({"t": t}).values() if c["document"] != "DOMAIN.md")
    assert draft.problems() == []

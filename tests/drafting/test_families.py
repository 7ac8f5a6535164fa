"""Each clause family on sentences written for the test (none copied from the seeds), with the
negatives: a number that is not a notice period, "12 månader" in an unrelated sentence, a fee
that is not the compensation."""

from __future__ import annotations

from domain.drafting import duties, money
from domain.drafting.cite import Reading
from domain.drafting.reader import draft_contract
from domain.drafting.text import normalise, read_document


def read(text: str) -> Reading:
    return Reading(read_document(text), "Testavtal")


def quoted(clause: dict, text: str) -> bool:
    return clause["citation"]["quote"] in normalise(text)


# --- termination ---------------------------------------------------------------------

NOTICE = """\
3 AVTALSTID
Avtalet löper tills vidare. Uppsägningstiden är sex (6) månader om inte annat överenskommits.
Uppsägning ska ske skriftligen.
"""


def test_notice_period_in_words_with_written_form_and_agreement_otherwise() -> None:
    clause = money.termination(read(NOTICE))
    assert clause is not None and quoted(clause, NOTICE)
    assert (clause["notice_months"], clause["written_required"], clause["parties_may_agree_otherwise"]) \
        == (6, True, True)
    assert clause["citation"]["section"] == "3 Avtalstid"


def test_notice_period_stated_alone_is_not_written_or_agreeable() -> None:
    clause = money.termination(read("Uppsägningstiden är tolv månader."))
    assert clause is not None
    assert (clause["notice_months"], clause["written_required"], clause["parties_may_agree_otherwise"]) \
        == (12, False, False)


def test_twelve_months_in_an_unrelated_sentence_is_no_notice_period() -> None:
    text = "Verksamheten följs upp var 12 månader. Rapporten omfattar de senaste 12 månaderna."
    assert money.termination(read(text)) is None
    assert draft_contract(text).not_found[0] == {"family": "termination",
                                                 "finding": "ingen uppsägningstid angiven"}


def test_a_notice_sentence_without_a_period_in_months_is_not_read() -> None:
    assert money.termination(read("Uppsägningstiden framgår av bilaga 2.")) is None


def test_early_termination_is_not_the_ordinary_notice() -> None:
    text = ("Om leverantören bryter mot avtalet och inte inom femton (15) dagar efter skriftlig anmärkning "
            "rättat bristen får kommunen säga upp avtalet med en uppsägningstid om en månad.")
    assert money.termination(read(text)) is None
    clause = money.early_termination(read(text))
    assert clause is not None and (clause["cure_days"], clause["notice_months"]) == (15, 1)


def test_no_early_termination_without_both_cure_days_and_months() -> None:
    text = "Om utföraren bryter mot uppdraget får beställaren säga upp det. Uppsägningstiden är 3 månader."
    assert money.early_termination(read(text)) is None


# --- amendments ----------------------------------------------------------------------


def test_explicit_amendment_clause() -> None:
    text = "Ändringar eller tillägg till avtalet ska vara skriftliga och undertecknade av båda parter."
    assert money.amendments(read(text))["explicit"] is True


def test_amendment_inferred_from_notice_for_new_terms_and_marked_inferred() -> None:
    clause = money.amendments(read("Var och en av parterna får säga upp avtalet för villkorsändring."))
    assert clause["explicit"] is False and clause["citation"]["inferred"] is True


def test_no_amendment_clause_is_a_finding() -> None:
    draft = draft_contract("Avtalet gäller tills vidare.")
    assert "amendments" in {n["family"] for n in draft.not_found}


# --- compensation --------------------------------------------------------------------

MONEY_TEXT = """\
4. Ersättning
Ersättningen uppgår till 2 150 000 kr per år i 2023 års prisnivå.
Från 2024 räknas ersättningen upp årligen med konsumentprisindex (KPI).
Om KPI upphör att publiceras ska indexklausulen omförhandlas.
Ersättningen faktureras med 1/12 per månad. Avstämning sker halvårsvis.
Avgiften för deltagarna är 90 kr per tillfälle i 2023 års pris.
"""


def test_annual_compensation_with_index_and_payment() -> None:
    clause = money.compensation(read(MONEY_TEXT))
    assert clause is not None and quoted(clause, MONEY_TEXT)
    assert (clause["basis"], clause["amount"], clause["price_year"]) == ("annual", "2150000", 2023)
    assert (clause["payment"], clause["reconciliation"]) == ("1/12 per månad i efterskott", "halvårsvis")
    index = clause["indexation"]
    assert (index["index"], index["from_year"], index["renegotiate_if_discontinued"]) == ("KPI", 2024, True)


def test_hourly_and_fte_compensation() -> None:
    hourly = money.compensation(read("Ersättning utgår med 720 kronor per timme i 2024 års pris."))
    assert hourly is not None and (hourly["basis"], hourly["amount"]) == ("hourly", "720")
    fte = money.compensation(read("2 Ersättning\n3,2 mnkr motsvarande 4,5 årsarbetare (2022 års pris)\n"))
    assert fte is not None and (fte["basis"], fte["amount"], fte["fte"]) == ("fte", "3200000", "4.5")


def test_a_fee_or_an_insurance_sum_is_not_the_compensation() -> None:
    text = ("Avgiften för besökaren är 100 kr per besök i 2022 års pris. Ansvarsförsäkringen ska "
            "omfatta 10 mnkr i 2022 års pris.")
    assert money.compensation(read(text)) is None


def test_an_amount_without_a_price_year_is_not_proposed() -> None:
    assert money.compensation(read("Ersättningen är 500 000 kr per år.")) is None


# --- volume, billing, FTE -----------------------------------------------------------

BILLING = """\
Ersättning per timme
Uppdraget beräknas omfatta omkring 120 familjer per år. Högst 1 200 timmar per år får beställas.
Beställaren kan skriftligen avropa fler timmar.
Debiteringen sker i timmar där en timme är 60 minuter, och för varje påbörjad kvart utgår en fjärdedel.
Utföraren får debitera tre klienttimmar för varje genomförd grupptimme med minst sex deltagare.
Regeln gäller för 2-3 timmars gruppverksamhet.
Avgiften är 50 kr per besök i 2024 års pris. Avgiften tillfaller kommunen.
"""


def test_volume_cap_cases_and_written_call_off() -> None:
    clause = money.volume(read(BILLING))
    assert clause is not None and quoted(clause, BILLING)
    assert (clause["max_hours_per_year"], clause["expected_cases_per_year"],
            clause["raised_by_written_avrop"]) == ("1200", 120, True)


def test_hours_per_year_without_a_cap_word_are_no_volume_cap() -> None:
    assert money.volume(read("Personalen arbetar 1 700 timmar per år.")) is None


def test_hourly_billing_rules() -> None:
    clause = money.billing(read(BILLING))
    assert clause is not None
    assert (clause["minutes_per_hour"], clause["started_quarter_rounding"], clause["group_min_participants"],
            clause["group_client_hours_per_hour"], clause["group_min_minutes"], clause["group_max_minutes"]) \
        == (60, True, 6, "3", 120, 180)
    assert (clause["visitor_fee"], clause["visitor_fee_price_year"]) == ("50", 2024)
    assert clause["visitor_fee_citation"]["quote"].endswith("Avgiften tillfaller kommunen.")


def test_no_billing_without_a_group_rule() -> None:
    assert money.billing(read("Debiterbar tid räknas i timmar där en timme är 60 minuter.")) is None


def test_fte_allocation_list_and_agreed_change() -> None:
    text = """\
Tjänsterna fördelas enligt följande:

Norra skolan: 1,5 årsarbetare

Södra skolan: 0,5 årsarbetare

Fördelningen kan i samråd med beställaren förändras vid behov.
"""
    clause = money.fte_allocation(read(text))
    assert clause is not None and quoted(clause, text)
    assert clause["units"] == {"Norra skolan": "1.5", "Södra skolan": "0.5"}
    assert clause["change_citation"]["quote"].startswith("Fördelningen kan i samråd")


def test_shared_last_word_of_the_units_is_dropped() -> None:
    text = ("Resurserna fördelas enligt följande:\n\nAby Fritidsgård: 1,0 årsarbetare\n\n"
            "By Fritidsgård: 2,0 årsarbetare\n")
    clause = money.fte_allocation(read(text))
    assert clause is not None and clause["units"] == {"Aby": "1", "By": "2"}


# --- duties --------------------------------------------------------------------------

DUTIES = """\
Uppföljning
Leverantören ska senast den 30 april varje år lämna en verksamhetsberättelse till nämnden.

Lex Sarah
En sammanställning av alla lex Sarah-rapporter ska lämnas senast 30 april varje år.
Kopia av varje anmälan enligt lex Sarah till IVO ska utan dröjsmål skickas till handläggaren.

Tillsyn
Om Inspektionen för vård och omsorg inleder tillsyn ska leverantören på eget initiativ meddela nämnden.
"""


def test_yearly_reports_and_prompt_duties() -> None:
    r = read(DUTIES)
    report, summary = duties.annual_report(r), duties.lex_sarah_summary(r)
    assert report is not None and (report["month"], report["day"]) == (4, 30)
    assert summary is not None and (summary["month"], summary["day"]) == (4, 30)
    assert report["citation"]["quote"] != summary["citation"]["quote"]
    copy, supervision = duties.lex_sarah_copy(r), duties.supervision_report(r)
    assert copy is not None and (copy["policy"], copy["working_days"]) == ("omgaende", 1)
    assert supervision is not None and (supervision["policy"], supervision["working_days"]) \
        == ("pa_eget_initiativ", 5)


def test_a_report_without_a_due_day_is_not_proposed() -> None:
    assert duties.annual_report(read("Leverantören ska lämna en verksamhetsberättelse varje år.")) is None


def test_premises_insyn_and_competence() -> None:
    text = """\
Lokaler
Verksamheten ska bedrivas i lokaler inom Norrköpings tätort. Vid byte av lokal ska förvaltningen informeras.

Förändringar
Leverantören ska meddela beställaren om planerade förändringar av bemanningen.
Uppgifterna ska skickas till avdelningschefen på förvaltningen.

Bemanning
I verksamheten ska minst tre medarbetare ha socionomexamen.
"""
    r = read(text)
    premises = duties.premises(r)
    assert premises is not None
    assert (premises["must_be_in_tatort"], premises["notify_on_change"], premises["notify"]) \
        == (True, True, "förvaltningen")
    insyn = duties.insyn(r)
    assert insyn is not None and insyn["notify"] == "avdelningschefen på förvaltningen"
    competence = duties.competence(r)
    assert competence is not None and competence["min_socionomer"] == 3


def test_insurance_amounts_cap_and_renewal_proof() -> None:
    text = """\
Försäkring
Leverantören ska ha en ansvarsförsäkring som omfattar 10 mnkr för personskada och 5 mnkr för sakskada.
Ansvaret för ren förmögenhetsskada begränsas till 1 mnkr.
Bevis om att förnyad försäkring finns ska lämnas senast två veckor före det att försäkringen löper ut.
"""
    clause = duties.insurance(read(text))
    assert clause is not None
    assert (clause["person_damage"], clause["property_damage"], clause["pure_economic_loss_cap"],
            clause["renewal_proof_days_before_expiry"], clause["proof_before_signing"]) \
        == ("10000000", "5000000", "1000000", 14, False)


def test_waiting_time_disputes_and_force_majeure() -> None:
    text = """\
Tillgänglighet
Ett första samtal ska erbjudas inom tre veckor. Om väntetider över 21 dagar uppstår under en längre tid ska
nämnden informeras.

Tvist
Tvist ska i första hand lösas genom dialog och därefter avgöras av kommunstyrelsen.

Befrielse
Krig eller eldsvåda fritar parterna från deras skyldigheter. Arbetskonflikt fritar inte leverantören.
"""
    r = read(text)
    waiting = duties.waiting_time(r)
    assert waiting is not None
    assert (waiting["max_wait_days"], waiting["first_talk_within_days"], waiting["consecutive_reports"]) \
        == (21, 21, 2)
    assert waiting["persistence_citation"]["inferred"] is True
    dispute = duties.disputes(r)
    assert dispute is not None and (dispute["forum"], dispute["dialogue_first"]) == ("kommunstyrelsen", True)
    fm = duties.force_majeure(r)
    assert fm is not None
    assert (fm["labour_dispute_excused"], fm["crisis_preparedness_excused"]) == (False, True)


def test_expected_results_with_percentages() -> None:
    text = "Förväntat resultat\n- Brukarna ska vara nöjda. (90%)\n- Väntetiden ska vara kort. (75 %)\n"
    clause = duties.expected_results(read(text))
    assert clause is not None
    assert [(t["text"], t["percent"]) for t in clause["targets"]] == [
        ("Brukarna ska vara nöjda.", "90"), ("Väntetiden ska vara kort.", "75")]


def test_references_the_ledger_does_not_know_are_listed_not_proposed() -> None:
    text = ("Verksamheten ska följa patientdatalagen (PDL), Offentlighets- och sekretesslagen och "
            "SOSFS 2011:9.")
    draft = draft_contract(text)
    assert [u["family"] for u in draft.unmodelled] == ["legal_basis"]
    assert draft.unmodelled[0]["references"] == ["patientdatalagen (PDL)",
                                                 "Offentlighets- och sekretesslagen", "SOSFS 2011:9"]
    assert draft.unmodelled[0]["citation"]["quote"] == text
    assert draft.terms["legal_basis"] is None and "legal_basis" in {n["family"] for n in draft.not_found}

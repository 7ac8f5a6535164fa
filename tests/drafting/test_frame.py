"""Issue 12's clause families read from sentences written for the test (none copied from the
seeds), each with its negatives: information on request, renegotiation, complaints concerning the
förvaltning, quarterly reconciliation, the insurance remedy, incorporated documents, separate
insurance amounts, and the legal basis with its currency from the ledger's one table."""

from __future__ import annotations

import json
from importlib.resources import files

import pytest

from domain.drafting import duties, frame
from domain.drafting import phrases as ph
from domain.drafting.cite import Reading
from domain.drafting.reader import draft_contract
from domain.drafting.text import normalise, read_document
from domain.legal import KNOWN_REFERENCES, currency
from domain.terms import LegalReference


def read(text: str) -> Reading:
    return Reading(read_document(text), "Testavtal")


def quoted(clause: dict, text: str) -> bool:
    return clause["citation"]["quote"] in normalise(text)


# --- information on request ----------------------------------------------------------

def test_information_on_request_without_a_time_takes_the_policy_and_says_so() -> None:
    text = "Leverantören ska utan kostnad lämna de uppgifter om verksamheten som förvaltningen begär."
    clause = frame.information_on_request(read(text))
    assert clause is not None and quoted(clause, text)
    assert clause["working_days"] == 10
    policy = clause["policy_citation"]
    assert policy["inferred"] is True and policy["document"] == "DOMAIN.md"


def test_information_on_request_with_a_stated_time() -> None:
    text = "Utföraren ska lämna de uppgifter som nämnden begär inom fem arbetsdagar."
    clause = frame.information_on_request(read(text))
    assert clause is not None and clause["working_days"] == 5 and "policy_citation" not in clause


@pytest.mark.parametrize("text", [
    "Utföraren ska på begäran av beställaren kunna visa sin plan för miljöarbetet.",
    "Uppgifter om enskilda får inte lämnas ut utan samtycke.",
])
def test_a_request_that_is_not_for_information_is_not_read(text: str) -> None:
    assert frame.information_on_request(read(text)) is None
    assert "information_on_request" in {n["family"] for n in draft_contract(text).not_found}


# --- renegotiation ---------------------------------------------------------------------

def test_renegotiation_called_for_and_its_subject() -> None:
    text = ("Ändras lagstiftningen väsentligt får var och en av parterna påkalla förhandling om "
            "justering av priset.")
    clause = frame.renegotiation(read(text))
    assert clause is not None and quoted(clause, text) and clause["subject"] == "justering av priset"
    other = frame.renegotiation(read("Om Statistiska centralbyrån slutar publicera indexet ska "
                                     "prisklausulen omförhandlas."))
    assert other is not None and other["subject"] == "prisklausulen"


@pytest.mark.parametrize("text", ["Förhandlingar om nya lokaler pågår under våren.",
                                  "Parterna träffas varje månad för att stämma av verksamheten."])
def test_talks_that_are_not_a_right_to_renegotiate(text: str) -> None:
    assert frame.renegotiation(read(text)) is None


# --- complaints that concern the förvaltning ----------------------------------------------

def test_complaints_concerning_the_forvaltning_are_passed_on() -> None:
    text = ("Klagomål som även gäller Barn- och ungdomsförvaltningen ska utföraren omgående "
            "vidarebefordra till förvaltningen.")
    clause = frame.complaint_forwarding(read(text))
    assert clause is not None and quoted(clause, text)
    assert (clause["notify"], clause["working_days"]) == ("Barn- och ungdomsförvaltningen", 1)
    plain = frame.complaint_forwarding(read("Vid klagomål som rör nämnden ska utföraren informera den."))
    assert plain is not None and (plain["notify"], plain["working_days"]) == ("Nämnden", 5)


@pytest.mark.parametrize("text", [
    "Utföraren ska ha en rutin för klagomålshantering och informera brukarna om den.",
    "Klagomål från brukare ska dokumenteras och följas upp av verksamheten.",
])
def test_a_complaints_routine_is_not_forwarding(text: str) -> None:
    assert frame.complaint_forwarding(read(text)) is None


# --- quarterly reconciliation -------------------------------------------------------------

def test_quarterly_reconciliation_with_the_policy_cited() -> None:
    text = "Betalning sker i efterskott. Avstämning sker kvartalsvis mot utfallet."
    clause = frame.quarterly_reconciliation(read(text))
    assert clause is not None and clause["citation"]["quote"] == "Avstämning sker kvartalsvis mot utfallet."
    assert (clause["holder"], clause["due_days_after_quarter"]) == ("bestallare", 30)
    assert clause["policy_citation"]["inferred"] is True


def test_a_monthly_reconciliation_or_a_quarterly_meeting_is_not_quarterly_reconciliation() -> None:
    assert frame.quarterly_reconciliation(read("Avstämning görs månadsvis.")) is None
    assert frame.quarterly_reconciliation(read("Parterna träffas kvartalsvis för uppföljning.")) is None


# --- insurance: the remedy, separate amounts, cover kept up --------------------------------

def test_insurance_remedy_and_its_negative() -> None:
    text = "Saknas bevis får beställaren teckna försäkringen på leverantörens bekostnad."
    clause = frame.insurance_remedy(read(text))
    assert clause is not None and quoted(clause, text)
    assert frame.insurance_remedy(read("Leverantören bär själv kostnaden för sin försäkring.")) is None


def test_separate_amounts_and_cover_kept_for_the_whole_term() -> None:
    text = ("Leverantören ska ha ansvarsförsäkring om 10 mnkr för personskada och 5 mnkr för sakskada. "
            "Försäkringen ska vidmakthållas under hela avtalstiden.")
    clause = duties.insurance(read(text))
    assert clause is not None and clause["separate_amounts"] is True
    assert clause["maintain_citation"]["quote"] == "Försäkringen ska vidmakthållas under hela avtalstiden."
    one = duties.insurance(read("Leverantören ska ha ansvarsförsäkring om 15 Mkr för personskada och "
                                "sakskada. Försäkringen ska vidmakthållas."))
    assert one is not None and one["separate_amounts"] is False and "maintain_citation" not in one
    assert (one["person_damage"], one["property_damage"]) == ("15000000", "15000000")


# --- incorporated documents --------------------------------------------------------------

def test_a_document_the_activity_is_regulated_in() -> None:
    text = "Arbetet preciseras i bilagan ”Rutin för samverkan kring unga”. Bilagan följer med avtalet."
    found = frame.incorporated_documents(read(text))
    assert found is not None and len(found) == 1
    assert (found[0]["title"], found[0]["held_by_ledger"]) == ("Rutin för samverkan kring unga", False)


@pytest.mark.parametrize("text", ["Verksamheten kallas ”Ungdomsmottagningen” av brukarna.",
                                  "Verksamheten regleras i lag och i nämndens reglemente."])
def test_a_quoted_name_or_an_unnamed_rule_is_no_incorporated_document(text: str) -> None:
    assert frame.incorporated_documents(read(text)) is None


# --- legal basis -------------------------------------------------------------------------

def test_known_references_with_their_clauses_and_the_ledgers_currency() -> None:
    text = """\
Lagar
Verksamheten ska bedrivas enligt socialtjänstlagen och SOSFS 2006:5.
Index
Indexet publiceras av Sveriges Kommuner och Landsting varje år.
Vården
Regionen, tidigare landstinget, ansvarar för vården.
"""
    found = {x["reference"]: x for x in frame.legal_basis(read(text)) or []}
    assert set(found) == {"Socialtjänstlagen (SoL)", "SOSFS 2006:5", "Sveriges Kommuner och Landsting (SKL)",
                          "landsting"}
    sol = found["Socialtjänstlagen (SoL)"]
    assert (sol["status"], sol["successor"], sol["since"]) == ("superseded", "socialtjänstlag (2025:400)",
                                                               "2025-07-01")
    assert [c["section"] for c in sol["clauses"]] == ["Lagar"]
    assert [c["quote"] for c in found["landsting"]["clauses"]] == [
        "Regionen, tidigare landstinget, ansvarar för vården."]  # not the SKL's name
    assert all(c["quote"] in normalise(text) for x in found.values() for c in x["clauses"])
    proposed = draft_contract(text).terms["legal_basis"]
    assert [LegalReference.model_validate(x).reference for x in proposed] == list(found)


@pytest.mark.parametrize("text", [
    "Verksamheten följer socialtjänstlagen (2025:400) från och med i år.",
    "Solen skiner och sol-projektet fortsätter.",
    "Indexet publiceras av Sveriges Kommuner och Landsting.",
])
def test_no_known_reference_where_the_text_cites_none(text: str) -> None:
    names = {x["reference"] for x in frame.legal_basis(read(text)) or []}
    assert "Socialtjänstlagen (SoL)" not in names and "landsting" not in names


def test_every_recognised_reference_has_its_currency_in_the_one_table() -> None:
    assert {name for _, name, _ in ph.LEGAL_REFERENCES} == set(KNOWN_REFERENCES)


@pytest.mark.parametrize("ref", ["vald-i-nara-relation", "familjeradgivning", "skolsocialt-team",
                                 "familjecentraler"])
def test_the_catalogue_agrees_with_the_table_of_known_references(ref: str) -> None:
    """The catalogue writes currency per contract; the reader's table must not drift from it."""
    raw = json.loads((files("domain.catalogue") / f"{ref}.json").read_text(encoding="utf-8"))
    for item in raw["terms"].get("legal_basis") or []:
        known = currency(item["reference"])
        assert known is not None, item["reference"]
        assert {k: known[k] for k in ("status", "successor", "since", "checked_on")} == \
            {k: item[k] for k in ("status", "successor", "since", "checked_on")}


def test_every_new_family_absent_is_reported_not_found() -> None:
    draft = draft_contract("Uppsägningstiden är sex månader. Uppsägning ska ske skriftligen.")
    missing = {n["family"] for n in draft.not_found}
    assert {"information_on_request", "renegotiation", "complaint_forwarding", "quarterly_reconciliation",
            "insurance_remedy", "incorporated_documents", "legal_basis"} <= missing
    assert all(n["finding"] == ph.NOT_FOUND[n["family"]] for n in draft.not_found)

"""The texts of the event forms: help under each field, and errors in Swedish.

Pydantic's and the ledger's messages are English (API.md); a person reads these instead.
"""

from __future__ import annotations

from typing import Any

from domain import vocabulary

HELP: dict[str, str] = {
    "effective_date": "Dagen det hände, t.ex. dagen skrivelsen kom fram (ÅÅÅÅ-MM-DD).",
    "document_ref": "Diarienummer för skrivelsen; krävs där handlingen är en skrivelse eller ett beslut.",
    "decision": "Beslutet bakom handlingen: vem som beslutade, enligt vilken § eller delegationspunkt, "
                "när och med vilket diarienummer.",
    "decision-body": "Nämnden, eller delegatens funktion, t.ex. socialchef.",
    "decision-paragraph": "§ i protokollet, t.ex. § 45. Fyll i den eller delegationspunkten.",
    "decision-delegation_point": "Punkt i delegationsordningen, om beslutet fattades på delegation.",
    "decision-decided_on": "Dagen beslutet fattades (ÅÅÅÅ-MM-DD).",
    "decision-diarienummer": "Beslutets diarienummer.",
    "justerat_on": "Dagen protokollet justerades (ÅÅÅÅ-MM-DD).",
    "anslaget_on": "Dagen justeringen anslogs; överklagandetiden räknas därifrån (ÅÅÅÅ-MM-DD).",
    "proposal_seq": "Den överenskommelse din part godkänner.",
    "fte_allocation_partial": "Ja om raderna bara anger de enheter som ändras; nej om de anger alla enheter.",
    "duties": "Skyldigheter som skjuts upp, med koder åtskilda av kommatecken, t.ex. annual_report.",
    "quarter": "Kvartalet, t.ex. 2025-Q1.",
    "note": "Kort anteckning. Skriv aldrig personnummer eller uppgifter om enskilda.",
    "by": "Den part som agerar; du kan bara registrera din egen parts handlingar.",
    "written": "Var handlingen skriftlig? En muntlig uppsägning saknar verkan.",
    "agreed_months": "Fyll bara i om parterna kommit överens om en annan uppsägningstid; "
                     "den gäller först när motparten godkänt den.",
    "breaches": "Ett avtalsbrott per rad.",
    "concerning_seqs": "Postnummer i avtalets tidslinje, åtskilda med kommatecken.",
    "clauses": "Avtalspunkter, t.ex. 5.3, åtskilda med kommatecken.",
    "fte_allocation": "En enhet per rad: namn: årsarbetare, t.ex. Valla: 0,5.",
    "outcomes": "Ett mål per rad: mål-id: procent, t.ex. skydd: 85.",
    "sessions": "Ett samtal per rad, i minuter.",
    "group_sessions": "Ett gruppsamtal per rad: minuter, deltagare, t.ex. 90, 6.",
    "changes": "Ändringarna av villkoren som JSON (merge patch), t.ex. "
               '{"termination": {"notice_months": 6}}.',
    "percent": "Procent med decimalkomma, t.ex. 2,5.",
    "amount": "Kronor, t.ex. 20000000.",
    "period": "Månaden rapporten gäller (ÅÅÅÅ-MM).",
    "month": "Månaden timmarna utfördes (ÅÅÅÅ-MM).",
    "expires_on": "Sista dag försäkringen gäller (ÅÅÅÅ-MM-DD).",
    "due": "Sista dag för svaret, om en sådan anges (ÅÅÅÅ-MM-DD).",
    "ivo_diarienummer": "IVO:s diarienummer, om det finns. Inga uppgifter om enskilda.",
    "count": "Antal interna rapporter; inga detaljer om ärendena.",
    "within_tatort": "Ligger den nya lokalen inom Linköpings tätort?",
    "planned": "Är förändringen planerad (och alltså ska meddelas i förväg)?",
    "reason": "Varför posten rättas; posten ligger kvar i historiken.",
}


def swedish(item: Any, message: str) -> str:
    """One pydantic error (or a rule's message) as a person reads it, in Swedish."""
    kind = str(item.get("type", ""))
    ctx = item.get("ctx") or {}
    number = vocabulary.number
    if kind == "missing":
        return "Fyll i fältet."
    if kind.startswith("date") or "must be a date YYYY-MM-DD" in message:
        return "Skriv ett datum som ÅÅÅÅ-MM-DD, till exempel 2025-06-30."
    if "(date_range)" in message:
        return "Datumet måste ligga mellan 1990-01-01 och 2199-12-31."
    if kind.startswith("int"):
        return "Skriv ett heltal."
    if kind == "decimal_max_places":
        return f"Högst {ctx.get('decimal_places')} decimaler."
    if kind.startswith("decimal"):
        return "Skriv ett tal med decimalkomma, till exempel 7,5."
    if kind == "greater_than_equal":
        return f"Måste vara minst {number(ctx.get('ge'))}."
    if kind == "greater_than":
        return f"Måste vara större än {number(ctx.get('gt'))}."
    if kind == "less_than_equal":
        return f"Får vara högst {number(ctx.get('le'))}."
    if kind == "string_too_short":
        return "Fyll i fältet."
    if kind == "string_too_long":
        return f"Högst {number(ctx.get('max_length'))} tecken."
    if kind == "too_short":
        return f"Ange minst {number(ctx.get('min_length'))}."
    if kind == "too_long":
        return f"Högst {number(ctx.get('max_length'))} rader."
    if kind == "string_pattern_mismatch":
        return "Skriv en månad som ÅÅÅÅ-MM."
    if kind in ("literal_error", "bool_parsing", "bool_type"):
        return "Välj ett av alternativen."
    if "personnummer" in message:
        return ("Texten innehåller något som liknar ett personnummer eller samordningsnummer. "
                "Liggaren gäller avtal, inte personer, och kan inte radera uppgiften i efterhand.")
    if message.startswith("decision:"):
        return ("Ange paragraf (§) i protokollet eller punkt i delegationsordningen."
                if "paragraf" in message else
                "Ange beslutet bakom handlingen: beslutande organ, paragraf eller delegationspunkt, "
                "beslutsdatum och diarienummer.")
    if message.startswith("document_ref:"):
        return "Ange diarienummer: handlingen är en skrivelse eller ett beslut och kräver det."
    if message.startswith("until:"):
        return "Befrielsen kan inte sluta före den dag den började (datum)."
    if message.startswith(("justerat_on:", "anslaget_on:")):
        text = message.split(": ", 1)[1]
        return text[:1].upper() + text[1:] + "."
    if message.startswith("signatories"):
        return "En ändring måste undertecknas av en behörig företrädare för var och en av parterna."
    if message.startswith("changes"):
        return "Ändringen måste ändra minst ett villkor."
    if "NUL" in message:
        return "Texten innehåller ett tecken som inte kan sparas."
    if "too large" in message:
        return "Talet är för stort."
    return "Ogiltigt värde."


LEDGER_RULES: dict[str, str] = {
    # Where the form says more than the vocabulary's sentence (``vocabulary.PROBLEMS``), which
    # every other refusal on the form reads.
    "role_may_record": "Din roll får inte registrera den här händelsen.",
    "party_is_caller": "En part kan bara registrera sina egna handlingar: välj din egen part.",
    "other_party_accepts": "Bara motparten kan godkänna en överenskommelse; din part föreslog den.",
    "fte_units": "Ange avtalets egna enheter: alla, eller bara de som ändras och då ja på "
                 "”Bara angivna enheter ändras”.",
    "outcome_targets": "Ange målen med avtalets mål-id (se Förväntat resultat under Villkor på avtalssidan).",
}

"""Swedish for people: names of every code, and the number, money and date formats.

Codes and JSON field names stay English (API.md); whatever a person reads (the API's
labels, the dossier, the calendar, the CLI, the web page) takes its words from here,
so one code has one Swedish name everywhere. Pure: the standard library only.

Formats: money "4 093 284,00 kr" and numbers "1 000", "7,5" with a no-break space
(U+00A0) between thousands, so a figure never wraps; dates ISO 8601 (the Swedish
standard for documents); instants in Europe/Stockholm to the minute.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")
NBSP = "\u00a0"
NOTHING = "–"
"""What a missing value reads as."""

PARTIES: dict[str, str] = {
    "bestallare": "beställaren",
    "utforare": "utföraren",
}

ROLES: dict[str, str] = {
    "admin": "administratör",
    "bestallare": "beställaren",
    "utforare": "utföraren",
    "revisor": "revisor",
    "kommunstyrelsen": "kommunstyrelsen",
}

EVENT_TYPES: dict[str, str] = {
    "ContractRegistered": "Avtal registrerat",
    "AmendmentSigned": "Ändring undertecknad",
    "TerminationNoticeGiven": "Uppsägning",
    "TerminationNoticeWithdrawn": "Uppsägning återkallad",
    "AgreementAccepted": "Överenskommelse godkänd",
    "BreachNoticeIssued": "Påpekande om avtalsbrott",
    "BreachRemedied": "Avtalsbrott åtgärdat",
    "EarlyTerminationGiven": "Förtida uppsägning",
    "LexSarahReported": "Lex Sarah-rapport",
    "LexSarahNotifiedToIVO": "Lex Sarah-anmälan till IVO",
    "LexSarahCopySent": "Kopia av lex Sarah-anmälan skickad",
    "LexSarahSummarySubmitted": "Lex Sarah-sammanställning lämnad",
    "SupervisionOpened": "IVO-tillsyn inledd",
    "SupervisionReportedToBestallare": "Beställaren informerad om tillsyn",
    "SupervisionClosed": "IVO-tillsyn avslutad",
    "PremisesChanged": "Lokalbyte",
    "PremisesChangeNotified": "Lokalbyte meddelat",
    "StaffingChanged": "Bemanningsändring",
    "StaffingChangeNotified": "Bemanningsändring meddelad",
    "AnnualReportSubmitted": "Verksamhetsberättelse lämnad",
    "IndexationApplied": "Uppräkning tillämpad",
    "InsuranceProofSubmitted": "Försäkringsbevis lämnat",
    "WaitingTimeReported": "Väntetid rapporterad",
    "WaitingTimeNotified": "Väntetider meddelade",
    "ServiceHoursReported": "Utförda timmar rapporterade",
    "AdditionalHoursOrdered": "Avrop av ytterligare timmar",
    "InformationRequested": "Begäran om information",
    "InformationProvided": "Information lämnad",
    "DisputeRaised": "Tvist väckt",
    "DisputeDialogueHeld": "Dialog i tvisten",
    "DisputeReferredToKommunstyrelsen": "Tvist hänskjuten till kommunstyrelsen",
    "DisputeDecided": "Beslut i tvisten",
    "DisputeWithdrawn": "Tvist återkallad",
    "EntryCorrected": "Rättelse",
    "TrackingStartChanged": "Bokföringsstart ändrad",
    "RenegotiationRequested": "Begäran om omförhandling",
    "RenegotiationConcluded": "Omförhandling avslutad",
    "ComplaintReceived": "Klagomål mottaget",
    "ComplaintForwarded": "Klagomål vidarebefordrat till förvaltningen",
    "QuarterReconciled": "Kvartalsavstämning gjord",
    "ForceMajeureDeclared": "Befrielsegrund åberopad",
    "ForceMajeureEnded": "Befrielsegrund upphört",
    "PartySucceeded": "Part har fått ny benämning",
}

OBLIGATION_KINDS: dict[str, str] = {
    "annual_report": "Verksamhetsberättelse",
    "lex_sarah_summary": "Sammanställning av lex Sarah-ärenden",
    "lex_sarah_copy": "Kopia av lex Sarah-anmälan",
    "supervision_report": "Information om IVO-tillsyn",
    "premises_notice": "Meddelande om lokalbyte",
    "staffing_notice": "Meddelande om bemanningsändring",
    "cure_breach": "Rättelse av avtalsbrott",
    "insurance_proof": "Försäkringsbevis",
    "waiting_time_notice": "Meddelande om väntetider",
    "dispute_dialogue": "Dialog i tvist",
    "information_request": "Begärd information",
    "complaint_information": "Information om klagomål till förvaltningen",
    "quarterly_reconciliation": "Kvartalsavstämning",
    "renegotiation": "Omförhandling",
}

DEVIATION_KINDS: dict[str, str] = {
    "notice_not_written": "Uppsägningen är inte skriftlig",
    "no_notice_clause": "Avtalet anger ingen uppsägningstid",
    "early_termination_without_grounds": "Förtida uppsägning utan grund",
    "socionomer_below_minimum": "För få socionomer",
    "counsellors_below_minimum": "För få auktoriserade familjerådgivare",
    "fte_change_not_agreed": "Ändrad tjänstefördelning utan samråd",
    "premises_outside_tatort": "Lokal utanför tätorten",
    "insurance_below_minimum": "Försäkringsbelopp under kravet",
    "insurance_lapsed": "Försäkringen har löpt ut",
    "hours_above_cap": "Timmar över taket",
    "outcome_below_target": "Resultat under målet",
    "referral_without_dialogue": "Hänskjuten utan föregående dialog",
    "force_majeure_without_effect": "Befrielsegrund utan verkan",
    "insurance_remedy_available": "Kommunen får teckna försäkring på utförarens bekostnad",
}

FORCE_MAJEURE_CAUSES: dict[str, str] = {
    "labour_dispute": "arbetskonflikt",
    "crisis": "extraordinär händelse eller kris",
    "authority": "myndighets beslut",
    "other": "annan grund",
}

STATUSES: dict[str, str] = {
    # obligations
    "open": "öppen",
    "fulfilled": "uppfylld",
    "overdue": "försenad",
    "void": "bortfallen",
    "before_tracking": "före bokföringen",
    "suspended": "vilande (befrielsegrund)",
    # notice
    "running": "löper",
    "under_notice": "uppsagt",
    "ended": "upphört",
    # disputes
    "raised": "väckt",
    "dialogue_held": "dialog förd",
    "referred": "hänskjuten till kommunstyrelsen",
    "decided": "avgjord",
    "withdrawn": "återkallad",
    # contracts, legal basis
    "active": "gällande",
    "current": "gällande",
    "superseded": "ersatt",
    "renamed": "namnändrad",
}

FIELDS: dict[str, str] = {
    # issue 11 and 12 fields
    "amended": "avtalet ändrat",
    "body": "beslutande organ",
    "cause": "grund",
    "complaint_seq": "klagomål (post)",
    "concerns_forvaltning": "rör förvaltningen",
    "decided_on": "beslutsdatum",
    "declaration_seq": "befrielsegrund (post)",
    "delegation_point": "delegationspunkt",
    "description": "beskrivning",
    "duties": "skyldigheter",
    "fte_allocation_partial": "bara angivna enheter ändras",
    "grounds": "skäl",
    "person_damage": "personskadebelopp",
    "property_damage": "sakskadebelopp",
    "quarter": "kvartal",
    "successor": "ny benämning",
    "suspended_from": "vilande från",
    "suspended_until": "vilande till och med",
    # every event
    "type": "händelse",
    "effective_date": "datum",
    "recorded_at": "registrerad",
    "document_ref": "diarienummer för skrivelsen",
    "note": "anteckning",
    "seq": "post",
    "actor": "registrerad av",
    "role": "roll",
    "hash": "kontrollsumma",
    "prev_hash": "föregående kontrollsumma",
    # the contract
    "ref": "avtal",
    "title": "benämning",
    "diarienummer": "diarienummer",
    "dated": "daterat",
    "bestallare": "beställare",
    "utforare": "utförare",
    "in_force_from": "gäller från",
    "documents": "handlingar",
    "terms": "villkor",
    "tracked_from": "bokförs från",
    "changes": "ändringar",
    "signatories": "undertecknare",
    "party": "part",
    "name": "namn",
    "authorised": "behörig",
    # termination and breaches
    "by": "part",
    "written": "skriftlig",
    "agreed_months": "överenskommen uppsägningstid (månader)",
    "notice_seq": "uppsägning (post)",
    "agreed_by_both": "överenskommen av båda parter",
    "proposal_seq": "förslag (post)",
    "breaches": "avtalsbrott",
    "breach_notice_seq": "påpekande (post)",
    # lex Sarah, IVO
    "count": "antal",
    "ivo_diarienummer": "IVO:s diarienummer",
    "anmalan_seq": "anmälan (post)",
    "year": "år",
    "supervision_seq": "tillsyn (post)",
    "outcome": "utfall",
    # premises, staffing
    "address": "adress",
    "within_tatort": "inom tätorten",
    "change_seq": "ändring (post)",
    "planned": "planerad",
    "fte_allocation": "årsarbetare per enhet",
    "socionomer": "socionomer",
    "authorised_counsellors": "auktoriserade familjerådgivare",
    "manager_changed": "ny chef",
    "agreed_with_bestallare": "i samråd med beställaren",
    # reports, money, insurance
    "outcomes": "resultat (procent av målet)",
    "index": "index",
    "percent": "procent",
    "preliminary": "preliminär",
    "insurer": "försäkringsgivare",
    "amount": "belopp",
    "expires_on": "gäller till",
    "period": "period",
    "longest_wait_days": "längsta väntetid (dagar)",
    "month": "månad",
    "sessions": "samtal",
    "group_sessions": "gruppsamtal",
    "minutes": "minuter",
    "participants": "deltagare",
    "hours": "timmar",
    # information, disputes, corrections
    "subject": "ämne",
    "due": "senast",
    "request_seq": "begäran (post)",
    "clauses": "avtalspunkter",
    "concerning_seqs": "berörda poster",
    "dispute_seq": "tvist (post)",
    "decision": "beslut",
    "paragraph": "paragraf",
    "justerat_on": "justerat",
    "anslaget_on": "anslaget",
    "entry_seq": "rättad post",
    "reason": "skäl",
    # obligations and deviations
    "id": "id",
    "kind": "slag",
    "holder": "ansvarig",
    "clause": "avtalspunkt",
    "due_working_day": "närmaste arbetsdag",
    "status": "status",
    "created_by_seq": "uppkom genom (post)",
    "fulfilled_by_seq": "uppfylld genom (post)",
    "explanation": "förklaring",
    "since": "sedan",
    "until": "till",
    "seqs": "poster",
    # notice and compensation
    "notice_months": "uppsägningstid (månader)",
    "ends_on": "upphör",
    "end_if_notice_today": "upphör vid uppsägning i dag",
    "base_amount": "grundbelopp",
    "price_year": "prisnivå (år)",
    "annual_amount": "årsbelopp",
    "monthly_amount": "månadsbelopp",
    "missing_years": "år utan uppräkning",
    "raised_on": "väckt",
}

EFFECTS: dict[str, str] = {
    "opens": "öppnar",
    "fulfils": "uppfyller",
    "voids": "upphäver",
    "notice": "uppsägning",
    "withdraws_notice": "återkallar uppsägning",
    "awaits_acceptance": "väntar på motpartens godkännande",
    "accepts": "godkänner",
    "no_effect": "saknar verkan",
    "recorded": "registrerad",
    "suspends": "skjuter upp",
}
"""What an event does to an obligation or the notice (the effects list of a POST)."""

NOTICE_KINDS: dict[str, str] = {
    "ordinary": "uppsägning",
    "early": "förtida uppsägning",
}

TERMS: dict[str, str] = {
    # the clauses of a contract's terms (domain.terms.Terms)
    "termination": "Uppsägning",
    "early_termination": "Förtida uppsägning",
    "amendments": "Ändringar och tillägg",
    "compensation": "Ersättning",
    "volume": "Volym",
    "billing": "Debitering per timme",
    "fte_allocation": "Årsarbetare per enhet",
    "annual_report": "Verksamhetsberättelse",
    "lex_sarah_summary": "Sammanställning av lex Sarah-ärenden",
    "lex_sarah_copy": "Kopia av lex Sarah-anmälan",
    "supervision_report": "Information om IVO-tillsyn",
    "premises": "Lokaler",
    "insyn": "Insyn",
    "competence": "Kompetens",
    "insurance": "Ansvarsförsäkring",
    "waiting_time": "Väntetid",
    "disputes": "Tvister",
    "force_majeure": "Befrielsegrunder",
    "expected_results": "Förväntat resultat",
    "policies": "Tolkningar där avtalet är tyst",
    "information_on_request": "Information på begäran",
    "renegotiation": "Omförhandling",
    "quarterly_reconciliation": "Kvartalsavstämning",
    "complaint_forwarding": "Klagomål som rör förvaltningen",
    "insurance_remedy": "Kommunens rätt att försäkra",
    "incorporated_documents": "Handlingar som ingår i avtalet",
    "legal_basis": "Rättslig grund",
    "separate_amounts": "separata belopp",
    "due_days_after_quarter": "dagar efter kvartalet",
    "holder": "ansvarig",
    "subject": "avser",
    "held_by_ledger": "finns i liggaren",
    # their fields
    "notice_months": "uppsägningstid (månader)",
    "written_required": "skriftlighet krävs",
    "parties_may_agree_otherwise": "parterna får komma överens om annat",
    "cure_days": "rättelsefrist (dagar)",
    "explicit": "uttryckligen i avtalet",
    "from_year": "från år",
    "renegotiate_if_discontinued": "omförhandlas om index upphör",
    "basis": "grund",
    "amount": "belopp",
    "price_year": "prisnivå (år)",
    "fte": "årsarbetare",
    "payment": "betalning",
    "reconciliation": "avstämning",
    "indexation": "uppräkning",
    "index": "index",
    "expected_cases_per_year": "förväntade ärenden per år",
    "max_hours_per_year": "högst timmar per år",
    "raised_by_written_avrop": "kan höjas genom skriftligt avrop",
    "minutes_per_hour": "minuter per timme",
    "started_quarter_rounding": "påbörjad kvart räknas",
    "group_min_participants": "minsta antal deltagare i grupp",
    "group_client_hours_per_hour": "klienttimmar per grupptimme",
    "group_min_minutes": "gruppsamtal minst (minuter)",
    "group_max_minutes": "gruppsamtal högst (minuter)",
    "visitor_fee": "besöksavgift",
    "visitor_fee_price_year": "besöksavgiftens prisnivå (år)",
    "units": "enheter",
    "change_requires_agreement": "ändring kräver samråd",
    "month": "månad",
    "day": "dag",
    "working_days": "arbetsdagar",
    "policy": "tolkning",
    "must_be_in_tatort": "ska ligga i tätorten",
    "notify_on_change": "ändring ska meddelas",
    "notify": "meddelas till",
    "notice_working_days": "meddelas inom (arbetsdagar)",
    "description": "beskrivning",
    "min_socionomer": "minst antal socionomer",
    "min_authorised_counsellors": "minst antal auktoriserade familjerådgivare",
    "person_damage": "personskada",
    "property_damage": "sakskada",
    "pure_economic_loss_cap": "ren förmögenhetsskada, tak",
    "renewal_proof_days_before_expiry": "bevis om förnyelse senast (dagar före)",
    "proof_before_signing": "bevis före undertecknande",
    "first_talk_within_days": "första samtal inom (dagar)",
    "max_wait_days": "längsta väntetid (dagar)",
    "consecutive_reports": "rapporter i följd",
    "forum": "avgörs av",
    "dialogue_first": "dialog först",
    "labour_dispute_excused": "arbetskonflikt befriar",
    "crisis_preparedness_excused": "krisberedskap befriar",
    "targets": "mål",
    "omgaende_working_days": "”omgående”: arbetsdagar",
    "unspecified_notice_working_days": "meddelande utan angiven tid: arbetsdagar",
    "weekend_deadline_moves": "sista dag på helg flyttas",
    # values of some of them
    "annual": "per år",
    "hourly": "per timme",
    "omgaende": "omgående",
    "pa_eget_initiativ": "på eget initiativ",
    "ska_meddelas": "ska meddelas",
}
"""The clauses of the terms and their fields (the contract page lists them with citations)."""

PROBLEMS: dict[str, str] = {
    # the ``rule`` of every refusal (problem+json ``detail_sv``, the web's error pages)
    "ledger": "Liggaren vägrade begäran.",
    "request": "Begäran är felaktig.",
    "validation": "Uppgifterna är felaktiga; inget registrerades.",
    "internal": "Ett oväntat fel inträffade; uppge begärans id {request_id} när du rapporterar det.",
    "http_404": "Det finns ingen sådan sida eller resurs.",
    "http_405": "Metoden är inte tillåten här.",
    # who may ask
    "bearer_token": "Inloggning krävs: skicka 'Authorization: Bearer <token>' (en token skapas "
                    "med 'ledger token create').",
    "valid_token": "Token är inte giltig (okänd eller återkallad).",
    "feed_token_scope": "En flödestoken öppnar bara kalendern eller underlaget den skapades för, "
                        "som ?token=; andra tokens skickas som 'Authorization: Bearer'.",
    "feed_token_contract": "Flödestoken gäller ett annat avtal.",
    "role_may_record": "Din roll får inte göra detta.",
    "tokens_file": "Tokenfilen kan inte läsas, så ingen inloggning kan prövas just nu; försök "
                   "igen om en stund.",
    "csrf": "Formuläret saknar giltig säkerhetskod (CSRF). Ladda om sidan och försök igen.",
    # what is asked for
    "contract_must_exist": "Det finns inget sådant avtal.",
    "entry_must_exist": "Det finns ingen sådan post i avtalet.",
    "dispute_exists": "Posten är ingen tvist.",
    "billing_clause": "Avtalet faktureras inte per timme; det har ingen faktureringsklausul.",
    "accept": "Svaret finns inte i det format som begärs (Accept).",
    "unknown_query_parameter": "Okänd frågeparameter {field}; den här adressen tar inte emot den.",
    "open_status": "Status kan här bara vara öppen (open) eller försenad (overdue).",
    "obligation_status": "Status ska vara open, fulfilled, overdue, void eller before_tracking.",
    # the request as sent
    "max_body_bytes": "Inget registrerades: innehållet är större än {limit} byte "
                      "(LEDGER_MAX_BODY_BYTES).",
    "max_header_bytes": "Begärans huvuden är tillsammans större än {limit} byte.",
    "utf8_json": "Inget registrerades: JSON ska vara UTF-8 utan byteordningsmarkering (RFC 8259).",
    "body_size": "Texten är för stor.",
    "media_type": "Texten ska skickas som text/plain i UTF-8.",
    "text": "Texten kan inte läsas.",
    "utf8": "Texten är inte UTF-8.",
    "not_empty": "Får inte vara tomt.",
    "event_type": "Välj vilken händelse du vill registrera.",
    "if_match_version": "If-Match ska vara avtalets version, den ETag du läste (t.ex. \"3\").",
    "iso_date": "Ska vara ett datum (ÅÅÅÅ-MM-DD).",
    "iso_month": "Ska vara en månad (ÅÅÅÅ-MM).",
    "iso_instant": "Ska vara en tidpunkt enligt ISO 8601.",
    "instant_has_offset": "Tidpunkten behöver en tidszon, t.ex. +01:00.",
    "party": "Parten ska vara bestallare (beställaren) eller utforare (utföraren).",
    # the act itself
    "event_schema": "Händelsen är felaktigt utformad; inget registrerades.",
    "impossible_act": "Handlingen är inte möjlig i liggaren; inget registrerades.",
    "expected_version": "Avtalet har ändrats sedan du läste det; läs det igen och försök på nytt. "
                        "Inget registrerades.",
    "idempotency_key": "Idempotency-Key har redan använts för en annan begäran; använd en ny "
                       "nyckel för en ny begäran.",
    "unique_ref": "Ett avtal med den beteckningen är redan registrerat.",
    "registered_once": "Avtalet är redan registrerat.",
    "amended_terms_valid": "De ändrade villkoren skulle inte vara giltiga.",
    "reference_exists": "Det finns ingen sådan post i avtalet.",
    "reference_type": "Posten är inte av rätt slag, eller så är den rättad.",
    "reference_open": "Posten är redan avslutad.",
    "reference_precedes": "Datumet ligger före den post som händelsen hänvisar till.",
    "raising_party_withdraws": "Bara den part som väckte tvisten kan återkalla den.",
    "registration_stands": "Registreringen av avtalet kan inte rättas; ändra villkoren i stället.",
    "correct_original": "En rättelse kan inte själv rättas.",
    "correct_once": "Posten är redan rättad.",
    "recorder_corrects": "Bara den som registrerade posten, eller en administratör, kan rätta den.",
    "party_is_caller": "En part kan bara registrera sina egna handlingar.",
    "other_party_accepts": "Bara motparten kan godkänna en överenskommelse, inte den part som "
                           "föreslog den.",
    "accepted_once": "Överenskommelsen är redan godkänd.",
    "needs_acceptance": "Den posten behöver inget godkännande av motparten.",
    "fte_units": "Ange avtalets egna enheter: alla, eller bara de som ändras "
                 "(fte_allocation_partial).",
    "outcome_targets": "Ange resultaten med avtalets mål-id.",
    # the store and the read models
    "storage_unavailable": "Lagringen är inte tillgänglig just nu; försök igen om en stund.",
    "storage_unavailable_not_written": "Inget registrerades: lagringen är inte tillgänglig just "
                                       "nu. Försök igen om en stund, med samma Idempotency-Key så "
                                       "att det blir en enda händelse.",
    "write_contention": "Inget registrerades: avtalet ändrades hela tiden under begäran; försök "
                        "igen om en stund.",
    "read_models_behind": "Händelsen registrerades (post {seq}, version {version}); skicka den "
                          "inte igen. Läsmodellerna har ännu inte hunnit ikapp: åligganden och "
                          "avvikelser visar den strax.",
    "not_ready": "Tjänsten är inte redo ({failing}); försök igen om en stund.",
    # checkpoints, export and import, the command line's settings
    "ledger_verifies": "Liggaren kan inte verifieras, så den signeras eller exporteras inte.",
    "checkpoint": "Kontrollpunkten är felaktig.",
    "checkpoint_file": "Kontrollpunktsfilen kan inte läsas.",
    "key_file": "Signeringsnyckelns fil kan inte användas.",
    "import_into_empty": "En export kan bara läsas in i en tom liggare.",
    "database_exists": "Det finns ingen liggardatabas där LEDGER_DATABASE_URL pekar.",
    "configuration": "Tjänsten är felaktigt inställd; se serverns logg.",
    "storage_timeout": "LEDGER_STORAGE_TIMEOUT ska vara ett helt antal sekunder från 1 till 600.",
    "database_url": "LEDGER_DATABASE_URL ska vara sqlite:///SÖKVÄG eller "
                    "postgresql://ANVÄNDARE:LÖSENORD@VÄRD:PORT/DATABAS.",
    "sqlite_url": "LEDGER_DATABASE_URL anger ingen fil; skriv sqlite:///SÖKVÄG.",
    "postgres_url": "LEDGER_DATABASE_URL behöver en värd och ett databasnamn.",
    "projector_mode": "LEDGER_PROJECTOR ska vara inprocess eller external.",
}
"""Every refusal's rule in Swedish; ``{name}`` is filled by ``problem`` where the refusal knows it."""

_CATEGORIES: dict[str, dict[str, str]] = {
    "party": PARTIES,
    "role": ROLES,
    "event": EVENT_TYPES,
    "obligation": OBLIGATION_KINDS,
    "deviation": DEVIATION_KINDS,
    "status": STATUSES,
    "field": FIELDS,
    "effect": EFFECTS,
    "notice_kind": NOTICE_KINDS,
    "term": TERMS,
    "cause": FORCE_MAJEURE_CAUSES,
    "problem": PROBLEMS,
}


def label(category: str, code: str) -> str:
    """The Swedish name of a code; an unknown code (or category) reads as itself."""
    return _CATEGORIES.get(category, {}).get(code, code)


class _Unknown(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return NOTHING


def problem(rule: str, **values: Any) -> str:
    """The Swedish of a refusal's ``rule`` (a general sentence for a rule not listed); a value
    the sentence names and the caller does not give reads as NOTHING."""
    template = PROBLEMS.get(rule, "Begäran kunde inte utföras.")
    return template.format_map(_Unknown({key: v for key, v in values.items() if v is not None}))


# --- formats ------------------------------------------------------------------------


def _decimal(value: Decimal | int | float | str) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        number_ = Decimal(str(value)) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError):
        return None
    return number_ if number_.is_finite() else None


def _group(digits: str) -> str:
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)]
    return NBSP.join(parts)


def number(value: Decimal | int | float | str) -> str:
    """'1 000', '7,5', '-0,25': decimal comma, thousands apart; the decimals as given."""
    parsed = _decimal(value)
    if parsed is None:
        return str(value)
    text = format(parsed, "f")
    sign = "-" if text.startswith("-") else ""
    whole, _, fraction = text.lstrip("-").partition(".")
    return f"{sign}{_group(whole)}" + (f",{fraction}" if fraction else "")


def money(amount: Decimal | str | None) -> str:
    """'4 093 284,00 kr': kronor with öre."""
    if amount is None:
        return NOTHING
    parsed = _decimal(amount)
    if parsed is None:
        return str(amount)
    return f"{number(parsed.quantize(Decimal('0.01')))}{NBSP}kr"


def day(value: date | str | None) -> str:
    """'2026-11-26' (ISO 8601 is the Swedish standard for dates in documents)."""
    if value is None:
        return NOTHING
    if isinstance(value, datetime):
        return value.astimezone(STOCKHOLM).date().isoformat() if value.tzinfo else value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value)[:10]).isoformat()
    except ValueError:
        return str(value)


def instant(value: datetime | str | None) -> str:
    """'2026-11-26 02:13': Stockholm time to the minute (a naive instant is UTC)."""
    if value is None:
        return NOTHING
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M")


def percent(value: Decimal | int | float | str) -> str:
    """'2,5 %'."""
    return f"{number(value)}{NBSP}%"


# --- field values -------------------------------------------------------------------

_PARTY_FIELDS = frozenset({"by", "holder", "party", "awaiting", "recorded_by"})
_MONEY_FIELDS = frozenset({
    "amount", "base_amount", "annual_amount", "monthly_amount", "per_fte_amount",
    "hourly_rate", "visitor_fee", "amount_before", "amount_after",
})
_PERCENT_FIELDS = frozenset({"percent"})
_DATE_FIELDS = frozenset({
    "effective_date", "expires_on", "due", "due_working_day", "justerat_on", "anslaget_on",
    "dated", "since", "until", "ends_on", "end_if_notice_today", "tracked_from", "raised_on",
    "in_force_from", "as_of", "given_on",
})
_INSTANT_FIELDS = frozenset({"recorded_at", "known_at", "signed_at"})
_SEQ_LIST_FIELDS = frozenset({"concerning_seqs", "seqs"})


def _fte(v: Any) -> str:
    parsed = _decimal(v)
    if parsed is None:
        return str(v)
    return number(parsed if parsed.as_tuple().exponent < 0 else parsed.quantize(Decimal("0.0")))


def _mapping(field: str, v: dict[str, Any]) -> str:
    scalars = not any(isinstance(item, dict | list) for item in v.values())
    if field in ("fte_allocation", "units") and scalars:
        return "; ".join(f"{unit} {_fte(fte)}" for unit, fte in v.items())
    if field == "outcomes" and scalars:
        return "; ".join(f"{target} {percent(p)}" for target, p in v.items())
    if field == "signatory" or {"party", "name"} <= set(v):
        who = f"{v.get('name')} ({label('party', str(v.get('party')))}"
        return who + (", behörig)" if v.get("authorised") else ", ej behörig)")
    if field in ("session", "group_session") or "minutes" in v:
        text = f"{number(v['minutes'])} min"
        return text + (f", {number(v['participants'])} deltagare" if "participants" in v else "")
    if {"section", "quote"} <= set(v):
        return f"{v['section']}: ”{v['quote']}”"
    return "; ".join(f"{label('field', str(key))}: {value(str(key), item)}" for key, item in v.items())


def value(field: str, v: object) -> str:
    """Any event (or obligation) field's value as a person reads it."""
    if v is None:
        return NOTHING
    if isinstance(v, bool):
        return "ja" if v else "nej"
    if isinstance(v, dict):
        return _mapping(field, v) if v else NOTHING
    if isinstance(v, list | tuple | set | frozenset):
        if not v:
            return NOTHING
        if field in _SEQ_LIST_FIELDS:
            return ", ".join(f"post {item}" for item in v)
        singular = {"signatories": "signatory", "sessions": "session",
                    "group_sessions": "group_session"}.get(field, field)
        return ", ".join(value(singular, item) for item in v)
    if hasattr(v, "model_dump"):
        return value(field, v.model_dump(mode="json"))
    if field in _PARTY_FIELDS:
        return label("party", str(v))
    if field == "role":
        return label("role", str(v))
    if field == "type":
        return label("event", str(v))
    if field == "status":
        return label("status", str(v))
    if field == "kind":
        code = str(v)
        return OBLIGATION_KINDS.get(code) or DEVIATION_KINDS.get(code) or NOTICE_KINDS.get(code, code)
    if field in _MONEY_FIELDS:
        return money(v)  # type: ignore[arg-type]
    if field in _PERCENT_FIELDS:
        return percent(v)  # type: ignore[arg-type]
    if field in _INSTANT_FIELDS:
        return instant(v)  # type: ignore[arg-type]
    if field in _DATE_FIELDS or isinstance(v, date):
        return instant(v) if isinstance(v, datetime) else day(v)  # type: ignore[arg-type]
    if field in ("hours", "fte", "max_hours_per_year") and _decimal(v) is not None:  # type: ignore[arg-type]
        return f"{number(v)} h" if field != "fte" else _fte(v)  # type: ignore[arg-type]
    if isinstance(v, Decimal | float):
        return number(v)
    if isinstance(v, int):
        # Years, sequence numbers and counts: no thousands space in a year.
        return str(v) if field in ("year", "price_year") or field.endswith("seq") else number(v)
    return str(v)

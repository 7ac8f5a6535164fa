"""The Swedish names of the ledger's codes: parties, roles, event types, kinds, statuses, effects."""

from __future__ import annotations

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
    "EntryRedacted": "Gallring",
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

"""One example body per event type, for the interactive docs (``openapi_examples``)."""

from __future__ import annotations

from typing import Any

from domain.catalogue import catalogue_entry

_D = "2025-03-17"
_DECISION = {"body": "Social- och omsorgsnämnden", "paragraph": "§ 31", "decided_on": "2025-03-12",
             "diarienummer": "SON 2025-101"}

EVENT_EXAMPLES: dict[str, dict[str, Any]] = {
    "AmendmentSigned": {"document_ref": "SON 2025-101", "decision": _DECISION,
                        "changes": {"termination": {"notice_months": 6}}, "signatories": [
        {"party": "bestallare", "name": "Anna Andersson", "authorised": True},
        {"party": "utforare", "name": "Bo Berg", "authorised": True}]},
    "TerminationNoticeGiven": {"by": "bestallare", "written": True,
                               "document_ref": "SON 2025-101", "decision": _DECISION},
    "TerminationNoticeWithdrawn": {"notice_seq": 2},
    "AgreementAccepted": {"proposal_seq": 3},
    "BreachNoticeIssued": {"written": True, "breaches": ["Verksamhetsberättelsen har inte lämnats"],
                           "document_ref": "SON 2025-101", "decision": _DECISION},
    "BreachRemedied": {"breach_notice_seq": 2},
    "EarlyTerminationGiven": {"breach_notice_seq": 2, "written": True,
                              "document_ref": "SON 2025-101", "decision": _DECISION},
    "LexSarahReported": {"count": 1},
    "LexSarahNotifiedToIVO": {"ivo_diarienummer": "IVO 3.5.1-12345/2025"},
    "LexSarahCopySent": {"anmalan_seq": 2},
    "LexSarahSummarySubmitted": {"year": 2024},
    "SupervisionOpened": {"ivo_diarienummer": "IVO 8.1-2345/2025"},
    "SupervisionReportedToBestallare": {"supervision_seq": 2},
    "SupervisionClosed": {"supervision_seq": 2, "outcome": "Ärendet avslutat utan kritik"},
    "PremisesChanged": {"address": "Storgatan 1, Linköping", "within_tatort": True},
    "PremisesChangeNotified": {"change_seq": 2},
    "StaffingChanged": {"planned": True, "socionomer": 2, "manager_changed": False},
    "StaffingChangeNotified": {"change_seq": 2},
    "AnnualReportSubmitted": {"year": 2024, "outcomes": {"latt_att_komma_i_kontakt": "100",
                                                         "skola_fritid_normaliserad": "85"}},
    "IndexationApplied": {"year": 2025, "index": "OPI", "percent": "2.9"},
    "InsuranceProofSubmitted": {"insurer": "Kommunassurans", "amount": "20000000.00",
                                "expires_on": "2026-03-31"},
    "WaitingTimeReported": {"period": "2025-02", "longest_wait_days": 18},
    "WaitingTimeNotified": {},
    "ServiceHoursReported": {"month": "2025-02", "sessions": [{"minutes": 61}, {"minutes": 45}],
                             "group_sessions": [{"minutes": 90, "participants": 6}]},
    "AdditionalHoursOrdered": {"year": 2025, "hours": "200", "written": True},
    "DisputeRaised": {"by": "utforare", "subject": "Tolkning av uppsägningstiden",
                      "clauses": ["1.1"], "concerning_seqs": [2]},
    "DisputeDialogueHeld": {"dispute_seq": 2, "outcome": "Ingen enighet"},
    "DisputeReferredToKommunstyrelsen": {"dispute_seq": 2},
    "DisputeDecided": {"dispute_seq": 2, "decision": "Uppsägningstiden är 12 månader",
                       "paragraph": "§ 123", "justerat_on": "2025-12-22",
                       "anslaget_on": "2025-12-23", "document_ref": "KS 2025-400"},
    "DisputeWithdrawn": {"dispute_seq": 2},
    "EntryCorrected": {"entry_seq": 2, "reason": "Fel datum angavs"},
    "EntryRedacted": {"entry_seq": 2, "decision": "KS 2026-123"},  # refused here: `ledger redact`
    "InformationRequested": {"subject": "Väntetider och antal ärenden 2024", "due": "2025-04-15"},
    "InformationProvided": {"request_seq": 2},
    "RenegotiationRequested": {"by": "utforare", "grounds": "Ändrade arbetstidsbestämmelser från 2025"},
    "RenegotiationConcluded": {"request_seq": 2, "outcome": "Ersättningen höjs", "amended": True},
    "ComplaintReceived": {"concerns_forvaltning": True},
    "ComplaintForwarded": {"complaint_seq": 2},
    "QuarterReconciled": {"quarter": "2025-Q1", "outcome": "Inga avvikelser"},
    "ForceMajeureDeclared": {"by": "utforare", "cause": "crisis", "description": "Brand i lokalen",
                             "duties": ["supervision_report"], "until": "2025-12-31", "clause": "5.1"},
    "ForceMajeureEnded": {"declaration_seq": 2},
    "PartySucceeded": {"party": "bestallare", "successor": "Socialnämnden"},
    "TrackingStartChanged": {"tracked_from": "2025-01-01"},
}


# More than one example where one contract's units differ from another's: the ids are real.
MORE_EXAMPLES: dict[str, tuple[str, dict[str, Any]]] = {
    "StaffingChanged (familjecentraler, every unit)": ("StaffingChanged", {
        "planned": True, "fte_allocation": {
            "Skäggetorp": "1.0", "Berga": "1.0", "Ryd": "1.0", "Lambohov": "1.0", "Valla": "1.0",
            "Ljungsbro": "1.0", "Ekholmen": "1.0", "Tannefors": "0.5"}}),
    "StaffingChanged (familjecentraler, some units)": ("StaffingChanged", {
        "planned": True, "fte_allocation": {"Valla": "1.0", "Tannefors": "0.5"},
        "fte_allocation_partial": True}),
    "TerminationNoticeGiven (agreed period)": ("TerminationNoticeGiven", {
        "by": "utforare", "written": True, "agreed_months": 6,
        "document_ref": "LL 2025-7", "decision": _DECISION}),
}


def event_examples() -> dict[str, dict[str, Any]]:
    """``openapi_examples`` for ``POST /contracts/{ref}/events``."""
    examples = {name: {"summary": name,
                       "value": {"type": name, "effective_date": _D, **fields}}
                for name, fields in EVENT_EXAMPLES.items()}
    for name, (kind, fields) in MORE_EXAMPLES.items():
        examples[name] = {"summary": name, "value": {"type": kind, "effective_date": _D, **fields}}
    return examples


def contract_example() -> dict[str, Any]:
    """A ``ContractRegistered`` body: the catalogue's Familjerådgivning under a new ref."""
    item = catalogue_entry("familjeradgivning")
    description = item.description.model_dump(mode="json")
    description["ref"] = "familjeradgivning-2026"
    return {"effective_date": description["in_force_from"]["date"], **description,
            "terms": item.terms.model_dump(mode="json")}

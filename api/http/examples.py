"""One example body per event type, for the interactive docs (``openapi_examples``)."""

from __future__ import annotations

from typing import Any

from domain.catalogue import catalogue_entry

_D = "2025-03-17"

EVENT_EXAMPLES: dict[str, dict[str, Any]] = {
    "AmendmentSigned": {"changes": {"termination": {"notice_months": 6}}, "signatories": [
        {"party": "bestallare", "name": "Anna Andersson", "authorised": True},
        {"party": "utforare", "name": "Bo Berg", "authorised": True}]},
    "TerminationNoticeGiven": {"by": "bestallare", "written": True,
                               "document_ref": "SON 2025-101"},
    "TerminationNoticeWithdrawn": {"notice_seq": 2, "agreed_by_both": True},
    "BreachNoticeIssued": {"written": True, "breaches": ["Verksamhetsberättelsen har inte lämnats"]},
    "BreachRemedied": {"breach_notice_seq": 2},
    "EarlyTerminationGiven": {"breach_notice_seq": 2, "written": True},
    "LexSarahReported": {"count": 1},
    "LexSarahNotifiedToIVO": {"ivo_diarienummer": "IVO 3.5.1-12345/2025"},
    "LexSarahCopySent": {"anmalan_seq": 2},
    "LexSarahSummarySubmitted": {"year": 2024},
    "SupervisionOpened": {"ivo_diarienummer": "IVO 8.1-2345/2025"},
    "SupervisionReportedToBestallare": {"supervision_seq": 2},
    "SupervisionClosed": {"supervision_seq": 2, "outcome": "Ärendet avslutat utan kritik"},
    "PremisesChanged": {"address": "Storgatan 1, Linköping", "within_tatort": True},
    "PremisesChangeNotified": {"change_seq": 2},
    "StaffingChanged": {"planned": True, "socionomer": 2, "manager_changed": False,
                        "agreed_with_bestallare": True},
    "StaffingChangeNotified": {"change_seq": 2},
    "AnnualReportSubmitted": {"year": 2024, "outcomes": {"1": "100", "2": "85"}},
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
                       "paragraph": "§ 123"},
    "DisputeWithdrawn": {"dispute_seq": 2},
    "EntryCorrected": {"entry_seq": 2, "reason": "Fel datum angavs"},
    "TrackingStartChanged": {"tracked_from": "2025-01-01"},
}


def event_examples() -> dict[str, dict[str, Any]]:
    """``openapi_examples`` for ``POST /contracts/{ref}/events``."""
    return {name: {"summary": name,
                   "value": {"type": name, "effective_date": _D, **fields}}
            for name, fields in EVENT_EXAMPLES.items()}


def contract_example() -> dict[str, Any]:
    """A ``ContractRegistered`` body: the catalogue's Familjerådgivning under a new ref."""
    item = catalogue_entry("familjeradgivning")
    description = item.description.model_dump(mode="json")
    description["ref"] = "familjeradgivning-2026"
    return {"effective_date": description["in_force_from"]["date"], **description,
            "terms": item.terms.model_dump(mode="json")}

"""One valid instance of every event type, recorded in an order where every reference holds.

``HISTORY`` starts after the registration of ``REF`` (seq 1), so the event at
index ``i`` gets seq ``i + 2``; reference fields point at earlier seqs.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from domain.contract import Actor
from domain.events import Event
from tests.support.builders import actor, event

REF = "vald-i-nara-relation"

UTFORARE = actor("utforare", "Anna Utförare")
BESTALLARE = actor("bestallare", "Bertil Beställare")
KOMMUNSTYRELSEN = actor("kommunstyrelsen", "Kommunstyrelsens kansli")
ADMIN = actor("admin", "Förvaltningens administratör")


def _history() -> list[tuple[Actor, Event]]:
    u, b, k = UTFORARE, BESTALLARE, KOMMUNSTYRELSEN
    return [
        # 2
        (u, event("AmendmentSigned", date(2024, 1, 15), document_ref="SON 2024-17",
                  note="Uppsägningstiden kortas efter överenskommelse",
                  changes={"termination": {"notice_months": 6}},
                  signatories=[{"party": "bestallare", "name": "Britt Nämndordförande",
                                "authorised": True},
                               {"party": "utforare", "name": "Ulf Verksamhetschef",
                                "authorised": True}])),
        # 3
        (b, event("TerminationNoticeGiven", date(2024, 2, 1), by="bestallare", written=True,
                  agreed_months=9)),
        # 4
        (b, event("TerminationNoticeWithdrawn", "2024-02-20", notice_seq=3)),
        # 5
        (b, event("BreachNoticeIssued", date(2024, 3, 1), written=True,
                  breaches=["Verksamhetsberättelsen för 2023 saknas",
                            "Lex Sarah-sammanställningen saknas"])),
        # 6
        (u, event("BreachRemedied", date(2024, 3, 20), breach_notice_seq=5)),
        # 7
        (b, event("BreachNoticeIssued", date(2024, 4, 2), written=True,
                  breaches=["Bemanningen understiger två socionomer"])),
        # 8
        (b, event("EarlyTerminationGiven", date(2024, 5, 10), breach_notice_seq=7, written=True)),
        # 9
        (u, event("LexSarahReported", date(2024, 5, 12), count=3)),
        # 10
        (u, event("LexSarahNotifiedToIVO", date(2024, 5, 13), ivo_diarienummer="3.5.1-12345/2024")),
        # 11
        (u, event("LexSarahCopySent", date(2024, 5, 14), anmalan_seq=10)),
        # 12
        (u, event("LexSarahSummarySubmitted", date(2025, 3, 28), year=2024)),
        # 13
        (b, event("SupervisionOpened", date(2024, 6, 3), ivo_diarienummer="3.1.2-5678/2024")),
        # 14
        (u, event("SupervisionReportedToBestallare", date(2024, 6, 4), supervision_seq=13)),
        # 15
        (u, event("SupervisionClosed", date(2024, 9, 30), supervision_seq=13,
                  outcome="IVO avslutar ärendet utan kritik")),
        # 16
        (u, event("PremisesChanged", date(2024, 10, 1), address="Storgatan 12, 582 23 Linköping",
                  within_tatort=True)),
        # 17
        (u, event("PremisesChangeNotified", date(2024, 10, 2), change_seq=16)),
        # 18
        (u, event("StaffingChanged", date(2024, 10, 15), planned=True,
                  socionomer=4, authorised_counsellors=1, manager_changed=True)),
        # 19
        (u, event("StaffingChangeNotified", date(2024, 10, 16), change_seq=18)),
        # 20
        (u, event("AnnualReportSubmitted", date(2025, 3, 25), year=2024,
                  outcomes={"latt_att_komma_i_kontakt": Decimal("100"),
                            "barn_okad_forstaelse_lyssnade": "82.50"})),
        # 21
        (b, event("IndexationApplied", date(2025, 1, 15), year=2025, index="OPI",
                  percent=Decimal("2.8500"), preliminary=True)),
        # 22
        (u, event("InsuranceProofSubmitted", date(2025, 1, 20), insurer="Länsförsäkringar Östgöta",
                  amount=Decimal("20000000.00"), expires_on=date(2026, 1, 31))),
        # 23
        (u, event("WaitingTimeReported", date(2025, 2, 5), period="2025-01", longest_wait_days=21)),
        # 24
        (u, event("WaitingTimeNotified", date(2025, 2, 6))),
        # 25
        (u, event("ServiceHoursReported", date(2025, 2, 3), month="2025-01",
                  sessions=[{"minutes": 60}, {"minutes": 61}, {"minutes": 45}],
                  group_sessions=[{"minutes": 90, "participants": 6},
                                  {"minutes": 120, "participants": 4}])),
        # 26
        (b, event("AdditionalHoursOrdered", date(2025, 2, 10), year=2025, hours=Decimal("120.50"),
                  written=True)),
        # 27
        (u, event("DisputeRaised", date(2025, 3, 1), by="utforare",
                  subject="Indexeringen 2025 är felaktigt beräknad", clauses=["1.2", "5.2"],
                  concerning_seqs=[21])),
        # 28
        (b, event("DisputeDialogueHeld", date(2025, 3, 10), dispute_seq=27,
                  outcome="Parterna är inte överens")),
        # 29
        (u, event("DisputeReferredToKommunstyrelsen", date(2025, 3, 20), dispute_seq=27)),
        # 30
        (k, event("DisputeDecided", date(2025, 4, 15), dispute_seq=27,
                  decision="Indexeringen står fast", paragraph="§ 112")),
        # 31
        (b, event("DisputeRaised", date(2025, 5, 1), by="bestallare", subject="Lokalens tillgänglighet")),
        # 32
        (b, event("DisputeWithdrawn", date(2025, 5, 5), dispute_seq=31)),
        # 33: corrected by whoever recorded entry 23
        (u, event("EntryCorrected", date(2025, 5, 6), entry_seq=23,
                  reason="Fel månad angiven; rapporten avsåg december")),
        # 34: the utförare accepts the beställare's withdrawal of notice (entry 4)
        (u, event("AgreementAccepted", date(2025, 5, 7), proposal_seq=4)),
        # 35-44: issue 12's clause families and the legal frame
        (b, event("InformationRequested", date(2025, 5, 12), subject="Väntetider 2024",
                  due=date(2025, 5, 30))),
        (u, event("InformationProvided", date(2025, 5, 20), request_seq=35)),
        (u, event("RenegotiationRequested", date(2025, 5, 21), by="utforare",
                  grounds="Ändrade arbetstidsbestämmelser")),
        (b, event("RenegotiationConcluded", date(2025, 6, 2), request_seq=37,
                  outcome="Ingen ändring", amended=False)),
        (u, event("ComplaintReceived", date(2025, 6, 3), concerns_forvaltning=True, count=2)),
        (u, event("ComplaintForwarded", date(2025, 6, 4), complaint_seq=39)),
        (b, event("QuarterReconciled", date(2025, 4, 15), quarter="2025-Q1",
                  outcome="Inga avvikelser")),
        (u, event("ForceMajeureDeclared", date(2025, 6, 10), by="utforare", cause="crisis",
                  description="Brand i lokalen", duties=["supervision_report"],
                  until=date(2025, 6, 20), clause="5.1")),
        (u, event("ForceMajeureEnded", date(2025, 6, 18), declaration_seq=42)),
        (ADMIN, event("PartySucceeded", date(2025, 7, 1), party="bestallare",
                      successor="Socialnämnden")),
        # 45: admin moves the day the ledger tracks the contract from
        (ADMIN, event("TrackingStartChanged", date(2025, 5, 7), tracked_from=date(2020, 1, 1))),
    ]


HISTORY = _history()


def exact_types(value: Any) -> Any:
    """``value`` with every leaf replaced by (type, value), to compare types as well as values."""
    if isinstance(value, dict):
        return {key: exact_types(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [exact_types(item) for item in value]
    return (type(value), value)

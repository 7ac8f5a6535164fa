"""The reader on the seed texts: drafts validate, quotes are verbatim, and a drafted contract,
registered like any other, gives the same obligations, deviations, notices and compensation as
the shipped catalogue for a fixed history (draft → register → rules)."""

from __future__ import annotations

import os
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from domain.catalogue import catalogue_entry
from domain.drafting.evaluate import evaluate, totals
from domain.drafting.reader import draft_contract
from domain.drafting.score import citations, verbatim
from domain.drafting.text import normalise
from domain.events import ContractRegistered, parse_event
from domain.ledger import Ledger
from domain.rules import evaluate as judge
from domain.rules.compensation import compensation
from domain.storage import Database
from domain.terms import Terms
from tests.support.builders import ADMIN, actor, registered, with_authority

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
DOCUMENTS = [(e, name) for e in ("vald-i-nara-relation", "familjeradgivning", "skolsocialt-team",
                                 "familjecentraler")
             for name in catalogue_entry(e).description.documents]
THROUGH = date(2025, 6, 30)


@pytest.fixture(scope="module")
def seeds() -> Path:
    if not SEEDS.is_dir():
        reason = f"seed texts not found at {SEEDS}"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return SEEDS


@pytest.mark.parametrize(("ref", "name"), DOCUMENTS)
def test_draft_validates_and_every_quote_is_verbatim(seeds: Path, ref: str, name: str) -> None:
    text = (seeds / name).read_text(encoding="utf-8")
    draft = draft_contract(text, ref=f"{ref}-utkast", documents=[name])
    assert draft.problems() == []
    body = {"description": draft.description, "terms": draft.terms, "unmodelled": draft.unmodelled}
    hits, quotes = verbatim(body, text)
    assert quotes > 10 and hits == quotes
    assert all(c["quote"] and c["section"] for c in citations(body).values() if not c.get("inferred"))


def test_eval_figures_meet_the_targets(seeds: Path) -> None:
    """Issue 17 targets: recall ≥ 0.9, precision ≥ 0.95, every quote verbatim, every absent family
    reported not found. The figures come from running the reader; none is written down."""
    t = totals(evaluate(seeds))
    assert t.truth > 200 and t.recall >= 0.9 and t.precision >= 0.95
    assert t.quotes_verbatim == t.quotes > 0
    assert t.absent_reported == t.absent > 0


def test_eval_sees_a_clause_taken_out_of_a_text(seeds: Path, tmp_path: Path) -> None:
    """The figures move with the reader's output: without its notice sentence, a text loses recall."""
    for name in ("002_6619e6e748f6e486.txt",):
        text = (seeds / name).read_text(encoding="utf-8")
        (tmp_path / name).write_text(text.replace("Uppsägningstiden är 12 månader", "Tiden är oklar"),
                                     encoding="utf-8")
    before = {s.document: s for s in evaluate(seeds)}
    after = {s.document: s for s in evaluate(_only(tmp_path, seeds))}
    name = "002_6619e6e748f6e486.txt"
    assert after[name].comparison.recalled == before[name].comparison.recalled - 3
    assert "termination" in {n["family"] for n in after[name].draft.not_found}


def _only(changed: Path, seeds: Path) -> Path:
    for path in seeds.iterdir():
        if not (changed / path.name).exists():
            (changed / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    return changed


# --- draft → register → rules ----------------------------------------------------------


def history(terms: Terms) -> list[tuple[str, str, dict[str, Any]]]:
    """(role, type, fields) from seq 2 on: something for every clause family."""
    staffing: dict[str, Any] = {"planned": True, "socionomer": 1, "authorised_counsellors": 0,
                                "manager_changed": True}
    if terms.fte_allocation is not None:
        units = {k: str(v) for k, v in terms.fte_allocation.units.items()}
        first = next(iter(units))
        units[first] = str(Decimal(units[first]) + Decimal("0.5"))
        staffing["fte_allocation"] = units
    outcomes = {t.id: "50" for t in terms.expected_results.targets} if terms.expected_results else {}
    return [
        ("utforare", "LexSarahReported", {"effective_date": "2024-02-01"}),
        ("utforare", "LexSarahNotifiedToIVO", {"effective_date": "2024-03-04"}),
        ("utforare", "SupervisionOpened", {"effective_date": "2024-04-02"}),
        ("utforare", "PremisesChanged", {"effective_date": "2024-05-06", "address": "Storgatan 1, Motala",
                                         "within_tatort": False}),
        ("utforare", "StaffingChanged", {"effective_date": "2024-06-03", **staffing}),
        ("utforare", "InsuranceProofSubmitted", {"effective_date": "2024-07-01", "insurer": "Bolaget",
                                                 "amount": "10000000.00", "expires_on": "2025-06-30"}),
        ("utforare", "WaitingTimeReported", {"effective_date": "2024-07-31", "period": "2024-07",
                                             "longest_wait_days": 20}),
        ("utforare", "WaitingTimeReported", {"effective_date": "2024-08-31", "period": "2024-08",
                                             "longest_wait_days": 25}),
        ("bestallare", "BreachNoticeIssued", {"effective_date": "2024-09-02", "written": True,
                                              "breaches": ["Bemanningen understiger kraven"]}),
        ("bestallare", "EarlyTerminationGiven", {"effective_date": "2024-10-15", "breach_notice_seq": 10,
                                                  "written": True}),
        ("utforare", "TerminationNoticeGiven", {"effective_date": "2024-10-20", "by": "utforare",
                                                "written": False}),
        ("bestallare", "DisputeRaised", {"effective_date": "2024-11-04", "by": "bestallare",
                                         "subject": "Bemanningen"}),
        ("bestallare", "DisputeReferredToKommunstyrelsen", {"effective_date": "2024-11-20",
                                                            "dispute_seq": 13}),
        ("utforare", "AnnualReportSubmitted", {"effective_date": "2025-03-20", "year": 2024,
                                               "outcomes": outcomes}),
        ("bestallare", "TerminationNoticeGiven", {"effective_date": "2025-04-01", "by": "bestallare",
                                                  "written": True}),
    ]


def judged(ledger: Ledger, event: ContractRegistered) -> dict[str, Any]:
    """Register ``event``, record the fixed history, and judge it; citations left out."""
    ledger.register(event, ADMIN)
    terms = event.terms
    for role, type_, fields in history(terms):
        ledger.record(event.ref, parse_event(with_authority({"type": type_, **fields})), actor(role))
    entries = ledger.entries(event.ref)
    result = judge(entries, through=THROUGH)
    money = compensation(entries, 2025, as_of=THROUGH)
    return {
        "obligations": sorted((o.kind, o.holder, o.due, o.due_working_day, o.arises_on, o.created_by_seq,
                               o.period, o.fulfilled_by_seq, o.void_on) for o in result.obligations),
        "deviations": sorted((d.kind, d.since, d.until, d.seqs) for d in result.deviations),
        "notices": [(n.seq, n.kind, n.effective, n.ends_on) for n in result.notices],
        "status": (result.notice.status, result.notice.notice_months, result.notice.ends_on)
        if result.notice else None,
        "compensation": (money.basis, money.base_amount, money.price_year, money.annual_amount,
                         money.monthly_amount, money.hourly_rate),
    }


@pytest.mark.parametrize(("ref", "name"), DOCUMENTS)
def test_drafted_contract_is_judged_as_the_catalogue(database: Database, seeds: Path, ref: str,
                                                    name: str) -> None:
    text = (seeds / name).read_text(encoding="utf-8")
    body = draft_contract(text, ref=f"{ref}-utkast", documents=[name]).body()
    body.pop("type")
    drafted = ContractRegistered.model_validate(body)
    ledger = Ledger.open(database)
    try:
        expected = judged(ledger, registered(ref))
        got = judged(ledger, drafted)
    finally:
        ledger.close()
    assert expected["obligations"] and expected["deviations"]
    assert got == expected


def test_quotes_are_cut_from_the_text_not_rewritten(seeds: Path) -> None:
    text = (seeds / "004_05e707a276e0a879.txt").read_text(encoding="utf-8")
    draft = draft_contract(text)
    quote = draft.terms["fte_allocation"]["citation"]["quote"]
    units = draft.terms["fte_allocation"]["units"]
    assert quote in normalise(text) and quote.count("årsarbetare") == len(units)

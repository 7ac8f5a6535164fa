"""Every obligation and deviation quotes the sentence of its own clause (issue 11).

Walks every obligation and deviation kind the rules produce on every contract and
checks the quote is verbatim in the seed text *under the section it names*: the text
is cut into sections at the lines that are headings of a cited section, and the quote
must be in a section with the named heading. A missing clause is cited as missing:
its section is marked "(saknas)", and the text has no such heading.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from domain.rules import evaluate
from domain.terms import Citation
from tests.rules.builders import ALL, C, F, Given, S, V, d

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
DOCUMENTS = {V: ["000_b10c256f60d95dd0.txt", "001_ee13ae15e25b4d9d.txt"],
             F: ["002_6619e6e748f6e486.txt"], S: ["003_0993e86fcccbfd8e.txt"],
             C: ["004_05e707a276e0a879.txt"]}
THROUGH = "2027-06-30"
OBLIGATION_KINDS = {"annual_report", "lex_sarah_summary", "lex_sarah_copy", "supervision_report",
                    "premises_notice", "staffing_notice", "cure_breach", "insurance_proof",
                    "waiting_time_notice", "dispute_dialogue"}
DEVIATION_KINDS = {"notice_not_written", "no_notice_clause", "early_termination_without_grounds",
                   "socionomer_below_minimum", "counsellors_below_minimum", "fte_change_not_agreed",
                   "premises_outside_tatort", "insurance_below_minimum", "insurance_lapsed",
                   "hours_above_cap", "outcome_below_target", "referral_without_dialogue"}
_FULL = {"Skäggetorp": "1.0", "Berga": "1.0", "Ryd": "1.0", "Lambohov": "1.0", "Valla": "1.0",
         "Ljungsbro": "1.0", "Ekholmen": "1.0", "Tannefors": "1.0"}


def _heading(text: str) -> str:
    return re.sub(r"^[\d.]+\s*", "", text.strip()).casefold()


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def sections(text: str, headings: set[str]) -> list[tuple[str, str]]:
    """(heading, normalised text) of each section: cut at every line that is one of ``headings``."""
    found: list[tuple[str, list[str]]] = [("", [])]
    for line in text.splitlines():
        if _heading(line) in headings:
            found.append((_heading(line), []))
        else:
            found[-1][1].append(line)
    return [(heading, _normalise("\n".join(lines))) for heading, lines in found]


def scenarios(ref: str) -> Iterator[Given]:
    """Histories that between them make every kind the contract can have."""
    given = Given(ref)
    given.then("LexSarahNotifiedToIVO", "2024-02-05")
    given.then("SupervisionOpened", "2024-02-06", role="bestallare")
    given.then("PremisesChanged", "2024-02-07", address="Vikingstad", within_tatort=False)
    given.then("StaffingChanged", "2024-02-08", planned=True, socionomer=0, authorised_counsellors=0)
    if ref == C:
        given.then("StaffingChanged", "2024-02-09", planned=True,
                   fte_allocation={**_FULL, "Valla": "1.5"})
    given.then("InsuranceProofSubmitted", "2024-02-12", insurer="AB", amount="1000.00",
               expires_on="2024-06-30")
    for month, wait in (("2024-01", 20), ("2024-02", 21)):
        given.then("WaitingTimeReported", "2024-03-01", period=month, longest_wait_days=wait)
    given.then("ServiceHoursReported", "2024-03-02", month="2024-02",
               sessions=[{"minutes": 600}] * 300)
    if ref == V:
        given.then("AnnualReportSubmitted", "2025-02-01", year=2024,
                   outcomes={t.id: "10" for t in given.terms.expected_results.targets})
    dispute = given.then("DisputeRaised", "2024-04-01", by="utforare", subject="tvist")
    given.then("DisputeReferredToKommunstyrelsen", "2024-04-02", dispute_seq=dispute)
    yield given

    ends = Given(ref)
    ends.notice("2024-05-01", written=False)
    ends.notice("2024-05-02")
    yield ends

    early = Given(ref)
    breach = early.then("BreachNoticeIssued", "2024-05-01", written=True, breaches=["brist"])
    early.then("EarlyTerminationGiven", "2024-05-02", breach_notice_seq=breach, written=True)
    yield early


def judged(ref: str) -> Iterator[tuple[str, Citation]]:
    for given in scenarios(ref):
        evaluation = evaluate(given.entries, through=d(THROUGH))
        for item in [*evaluation.obligations, *evaluation.deviations]:
            yield item.kind, item.clause


@pytest.fixture(scope="module")
def texts() -> dict[str, list[str]]:
    if not SEEDS.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"seed texts not found at {SEEDS}")
        pytest.skip(f"seed texts not found at {SEEDS}")
    return {ref: [(SEEDS / name).read_text(encoding="utf-8") for name in names]
            for ref, names in DOCUMENTS.items()}


@pytest.mark.parametrize("ref", ALL)
def test_every_quote_is_verbatim_under_the_section_it_names(ref: str, texts) -> None:
    found = list(judged(ref))
    headings = {_heading(c.section) for _, c in found if not c.section.endswith("(saknas)")}
    wrong = []
    for kind, citation in found:
        if citation.document == "DOMAIN.md":
            continue  # a policy of ours, cited as such
        if citation.section.endswith("(saknas)"):
            missing = _heading(citation.section.removesuffix("(saknas)"))
            if any(_heading(line) == missing for text in texts[ref] for line in text.splitlines()):
                wrong.append(f"{kind}: cites {citation.section!r} as missing, but the text has it")
            continue
        quote = _normalise(citation.quote)
        heading = _heading(citation.section)
        if not any(quote in body for text in texts[ref]
                   for name, body in sections(text, headings) if name == heading):
            wrong.append(f"{kind}: {citation.quote!r} not under {citation.section!r}")
    assert not wrong, "\n".join(wrong)


def test_every_kind_is_walked() -> None:
    kinds = {kind for ref in ALL for kind, _ in judged(ref)}
    assert kinds >= OBLIGATION_KINDS, OBLIGATION_KINDS - kinds
    assert kinds >= DEVIATION_KINDS, DEVIATION_KINDS - kinds


def test_each_outcome_target_cites_its_own_sentence_v() -> None:
    """V Förväntat resultat: a target below its percent quotes that target, not the first."""
    given = next(scenarios(V))
    below = [x for x in evaluate(given.entries, through=d(THROUGH)).deviations
             if x.kind == "outcome_below_target"]
    targets = given.terms.expected_results.targets
    assert sorted(x.clause.quote for x in below) == sorted(t.text for t in targets)


@pytest.mark.parametrize("ref", (F, C))
def test_early_termination_without_clause_cites_the_missing_clause(ref: str) -> None:
    """F and C state a notice period; what they lack is a clause on förtida uppsägning."""
    early = list(scenarios(ref))[2]
    [deviation] = [x for x in evaluate(early.entries, through=d(THROUGH)).deviations
                   if x.kind == "early_termination_without_grounds"]
    assert deviation.clause.section == "Förtida uppsägning (saknas)"
    assert "förtida uppsägning" in deviation.clause.quote and deviation.clause.inferred

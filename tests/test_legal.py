"""The legal frame: the stale references the issue lists, the municipal frame, laglighetsprövning."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.catalogue import catalogue_entry
from domain.legal import appeal_window, incorporated_documents, internal_agreement, legal_basis
from tests.rules.builders import C, F, S, V, d

# (contract, reference as the text names it, status, successor contains, since)
STALE = [
    (V, "Socialtjänstlagen (SoL)", "superseded", "socialtjänstlag (2025:400)", "2025-07-01"),
    (S, "Socialtjänstlagen (SoL)", "superseded", "socialtjänstlag (2025:400)", "2025-07-01"),
    (F, "Socialtjänstlagen (SoL)", "superseded", "socialtjänstlag (2025:400)", "2025-07-01"),
    (V, "service utan föregående biståndsprövning", "renamed",
     "insatser utan individuell behovsprövning", "2025-07-01"),
    (V, "Sveriges Kommuner och Landsting (SKL)", "renamed", "Sveriges Kommuner och Regioner (SKR)",
     "2019-11-27"),
    (S, "Sveriges Kommuner och Landsting (SKL)", "renamed", "SKR", "2019-11-27"),
    (C, "Sveriges Kommuner och Landsting (SKL)", "renamed", "SKR", "2019-11-27"),
    (V, "SOSFS 2006:5", "superseded", "SOSFS 2014:5", None),
    (S, "SOSFS 2006:5", "superseded", "SOSFS 2014:5", None),
    (S, "landsting", "renamed", "regioner", "2019-01-01"),
    (S, "lag om kommuners och landstings åtgärder inför och vid extraordinära händelser i fredstid "
        "och höjd beredskap", "renamed", "kommuners och regioners", "2020-01-01"),
    (V, "Barnkonventionen", "current", "lag (2018:1197)", "2020-01-01"),
    (S, "Barnkonventionen", "current", "lag (2018:1197)", "2020-01-01"),
    (F, "Barnkonventionen", "current", "lag (2018:1197)", "2020-01-01"),
]


@pytest.mark.parametrize(("ref", "reference", "status", "successor", "since"), STALE)
def test_legal_basis_lists_the_stale_references(ref: str, reference: str, status: str,
                                                successor: str, since: str | None) -> None:
    """Each reference the issue lists, with its status, successor, date and the clause citing it."""
    found = {v.reference: v for v in legal_basis(catalogue_entry(ref).terms, stale_only=True)}
    view = found[reference]
    assert view.status == status and successor in (view.successor or "")
    if since:
        assert view.since == d(since)
    assert view.stale and view.checked_on <= date(2026, 11, 26)
    assert view.clauses and all(c["quote"] and c["section"] for c in view.clauses)


def test_skl_was_stale_when_skolsocialt_team_and_familjecentraler_were_signed() -> None:
    """SKL became SKR on 2019-11-27: before S was dated (2019-12-02) and C began (2021-01-01)."""
    for ref in (S, C):
        item = catalogue_entry(ref)
        [skl] = [v for v in legal_basis(item.terms) if v.reference.startswith("Sveriges Kommuner")]
        signed = item.description.dated or item.description.in_force_from.date
        assert skl.since is not None and skl.since < signed


def test_stale_references_come_first() -> None:
    views = legal_basis(catalogue_entry(V).terms)
    flags = [v.stale for v in views]
    assert flags == sorted(flags, reverse=True)


@pytest.mark.parametrize("ref", (V, F, S, C))
def test_every_contract_is_an_internal_agreement_under_kommunstyrelsen(ref: str) -> None:
    sentence = internal_agreement(catalogue_entry(ref).terms)
    assert "en och samma juridiska person" in sentence and "kommunstyrelsen" in sentence
    assert sentence.count(".") == 1  # one plain sentence


def test_skolsocialt_team_says_the_samarbetsoverenskommelse_is_not_held() -> None:
    """S 1.0: "Verksamheten regleras i detalj i dokumentet ”Samarbetsöverenskommelse …”"."""
    [sentence] = incorporated_documents(catalogue_entry(S).terms)
    assert "Samarbetsöverenskommelse" in sentence and "inte finns i liggaren" in sentence
    assert incorporated_documents(catalogue_entry(V).terms) == []


@pytest.mark.parametrize(("posted", "window_ends", "until"), [
    ("2025-03-03", "2025-03-24", "2025-03-24"),  # Monday → Monday three weeks later
    ("2025-04-12", "2025-05-03", "2025-05-05"),  # ends on a Saturday → Monday
    ("2025-12-03", "2025-12-24", "2025-12-29"),  # julafton, juldagen, annandag jul, weekend
    ("2025-05-30", "2025-06-20", "2025-06-23"),  # midsommarafton → Monday
    ("2026-04-12", "2026-05-03", "2026-05-04"),  # Sunday → Monday
])
def test_laglighetsprovning_three_weeks_from_the_posting(posted: str, window_ends: str,
                                                          until: str) -> None:
    """Kommunallagen 13 kap. 5 §: within three weeks from the day the justering was posted; a last
    day that is no working day moves to the next (lagen (1930:173) om beräkning av lagstadgad tid)."""
    window = appeal_window(d(posted))
    assert (window.window_ends, window.appealable_until) == (d(window_ends), d(until))
    assert window.open_on(d(until)) and not window.open_on(d(until) + timedelta(days=1))

"""Whatever the text, the reader answers: no exception, and every quote is cut from the text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.drafting.reader import draft_contract
from domain.drafting.score import citations
from domain.drafting.text import normalise

# Fragments of contract Swedish, shuffled into texts no contract would contain.
FRAGMENTS = [
    "Uppsägningstiden är", "tolv", "(12)", "månader", "trettio (30) dagar", "en vecka", "1.1 TIDSPERIOD",
    "Ersättning", "4 093 284 kronor", "5,5 mnkr", "per år", "per timme", "i 2019 års prisläge", "1/12",
    "Lex Sarah", "kopia", "omgående", "IVO inleder tillsyn", "informera", "senast 31 mars",
    "verksamhetsberättelse", "tätort", "byte av lokaler", "ska", "meddelas", "minst två", "socionom",
    "ansvarsförsäkring", "20 Mkr", "personskada", "sakskada", "Tvist", "lösas av kommunstyrelsen",
    "fördelas enligt följande:", "Enhet: 1,0 årsarbetare", "(80%)", "\n", "\n\n", ".", ",", " ",
    "\uf0b7", "- ", "2020-01-01", "Diarienummer:", "Datum:", "avseende", "genom omsorgsnämnden",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=60))
def test_any_text_gives_a_draft_whose_quotes_are_in_the_text(parts: list[str]) -> None:
    text = " ".join(parts)
    draft = draft_contract(text)
    flat = normalise(text)
    for citation in citations({"d": draft.description, "t": draft.terms, "u": draft.unmodelled}).values():
        assert normalise(citation["quote"]) in flat
    assert isinstance(draft.problems(), list)

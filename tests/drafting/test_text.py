"""The reader's building blocks on sentences written for the test: numbers, units, money, dates,
headings and sentences."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.drafting.text import amounts, dates, first_quantity, number, quantities, read_document, yearly_due


@pytest.mark.parametrize(("word", "value"), [
    ("12", 12), ("tolv", 12), ("Trettio", 30), ("en", 1), ("ett", 1), ("tjugofem", 25),
    ("5,5", Decimal("5.5")), ("nittio", 90),
])
def test_numbers_in_digits_and_words(word: str, value: Decimal) -> None:
    assert number(word) == value


@pytest.mark.parametrize("word", ["tolvtal", "många", "", "5.5.5"])
def test_not_numbers(word: str) -> None:
    assert number(word) is None


@pytest.mark.parametrize(("text", "kind", "value"), [
    ("Avtalet kan sägas upp med tolv månaders varsel.", "months", 12),
    ("Bristen ska vara åtgärdad inom fjorton (14) dagar.", "days", 14),
    ("Beviset lämnas senast en vecka innan.", "days", 7),
    ("Svar ges inom två veckor.", "days", 14),
    ("Rapporten lämnas inom 3 arbetsdagar.", "working_days", 3),
    ("Giltigt i två år.", "years", 2),
])
def test_quantities_with_their_unit(text: str, kind: str, value: int) -> None:
    assert first_quantity(text, kind) == value


def test_words_and_bracketed_digits_that_disagree_are_not_read() -> None:
    assert quantities("inom tio (30) dagar") == []


def test_a_number_without_a_time_unit_is_no_quantity() -> None:
    assert quantities("Teamet består av 12 medarbetare och 3 chefer.") == []


@pytest.mark.parametrize(("text", "kronor"), [
    ("Beloppet är 1 250 000 kronor per år.", [Decimal(1_250_000)]),
    ("Högst 7,25 mnkr.", [Decimal(7_250_000)]),
    ("Försäkring om 10 Mkr och 3 mkr.", [Decimal(10_000_000), Decimal(3_000_000)]),
    ("Avgiften är 150 kr per tillfälle.", [Decimal(150)]),
    ("Ersättningen är 640 tkr.", [Decimal(640_000)]),
])
def test_amounts_in_kronor(text: str, kronor: list[Decimal]) -> None:
    assert [a.kronor for a in amounts(text)] == kronor


@pytest.mark.parametrize("text", ["Högst 1 800 timmar per år.", "Lokalen är 240 kvm.", "År 2021 kr"])
def test_numbers_that_are_not_money(text: str) -> None:
    assert [a.kronor for a in amounts(text) if a.kronor != 2021] == []


def test_dates_iso_and_in_words_and_impossible_ones_skipped() -> None:
    text = "Gäller från 2024-03-01, ersätter avtalet av den 5 maj 2019 men inte 2023-02-30."
    assert [d for d, _ in dates(text)] == [date(2024, 3, 1), date(2019, 5, 5)]


@pytest.mark.parametrize(("text", "due"), [
    ("Rapporten ska lämnas senast den 15 april varje år.", (4, 15)),
    ("senast 31 mars", (3, 31)),
    ("senast 29 februari", None),
    ("Rapporten lämnas den 15 april.", None),
])
def test_yearly_due_day(text: str, due: tuple[int, int] | None) -> None:
    assert yearly_due(text) == due


TEXT = """\
Innehåll
1.1 Avtalstid 3
Försäkring 4

Sida huvud

1.1 AVTALSTID
Avtalet gäller tills vidare. Parterna kan t.ex. säga upp det
skriftligen.

Sida huvud

2 (9)

3.Ekonomi:
Ersättningen betalas ut varje månad.

Försäkring
Leverantören ska ha försäkring.
\uf0b7 Första punkten
\uf0b7 Andra punkten
"""


def test_headings_are_numbered_or_short_lines_alone_not_contents_page_numbers_or_running_headers() -> None:
    doc = read_document(TEXT)
    # "Innehåll" is followed by a contents line, not by text starting anew: no heading.
    assert [h for _, h in doc.headings] == ["1.1 Avtalstid", "3. Ekonomi", "Försäkring"]


def test_sentences_keep_their_section_and_quote_the_normalised_text() -> None:
    doc = read_document(TEXT)
    by_text = {s.text: s.section for s in doc.sentences}
    assert by_text["Parterna kan t.ex. säga upp det skriftligen."] == "1.1 Avtalstid"
    assert by_text["Ersättningen betalas ut varje månad."] == "3. Ekonomi"
    assert by_text["Första punkten"] == "Försäkring" and by_text["Andra punkten"] == "Försäkring"
    for s in doc.sentences:
        assert doc.flat[s.start:s.end] == s.text


def test_a_sentence_runs_over_a_blank_line_that_does_not_start_anew() -> None:
    doc = read_document("Utföraren ska ha en försäkring om\n\n10 mnkr för personskada.\n")
    assert [s.text for s in doc.sentences] == ["Utföraren ska ha en försäkring om 10 mnkr för personskada."]


@pytest.mark.parametrize("line", ["20 Mkr för personskada och sakskada.",
                                  "12 Ersättningen betalas ut 500 kr"])
def test_a_line_starting_with_a_number_is_not_always_a_heading(line: str) -> None:
    assert read_document(f"Försäkringen ska omfatta\n{line}\n").headings == []

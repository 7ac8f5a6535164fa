"""Ersättning: base amount, OPI chain with revisions, monthly 1/12 (DOMAIN.md §6)."""

from __future__ import annotations

from decimal import Decimal

from domain.rules import compensation
from tests.rules.builders import C, F, Given, S, V


def _index(given: Given, year: int, percent: str, on: str, preliminary: bool = False,
           index: str = "OPI") -> int:
    return given.then("IndexationApplied", on, year=year, index=index, percent=percent,
                      preliminary=preliminary)


def test_base_amount_v() -> None:
    """V 1.2: "Ersättning är 4 093 284 kronor per år i 2019 års prisläge." — monthly 1/12."""
    view = compensation(Given(V).entries, 2019)
    assert (view.base_amount, view.price_year, view.steps) == (Decimal("4093284.00"), 2019, [])
    assert view.annual_amount == Decimal("4093284.00")
    assert view.monthly_amount == Decimal("341107.00")


def test_opi_chain_with_revision_v() -> None:
    """V 1.2 "… justeras ersättningen årsvis med omsorgsprisindex (OPI)": chain rounded each step."""
    given = Given(V)
    s2020 = _index(given, 2020, "2.5", "2020-01-10", preliminary=True)
    s2021 = _index(given, 2021, "1.9", "2021-01-10")
    s2020b = _index(given, 2020, "2.7", "2021-02-01")  # final OPI for 2020, after 2021's
    s2022 = _index(given, 2022, "3.4", "2022-01-10")
    view = compensation(given.entries, 2022)
    steps = [(s.year, s.kind, s.percent, s.replaced_percent, s.amount_before, s.amount_after, s.seq)
             for s in view.steps]
    assert steps == [
        (2020, "index", Decimal("2.5"), None, Decimal("4093284.00"), Decimal("4195616.00"), s2020),
        (2020, "back_adjustment", Decimal("2.7"), Decimal("2.5"), Decimal("4195616.00"),
         Decimal("4203803.00"), s2020b),
        (2021, "index", Decimal("1.9"), None, Decimal("4203803.00"), Decimal("4283675.00"), s2021),
        (2022, "index", Decimal("3.4"), None, Decimal("4283675.00"), Decimal("4429320.00"), s2022),
    ]
    assert view.steps[1].difference == Decimal("8187.00")
    assert view.annual_amount == Decimal("4429320.00")  # 4 283 675 × 1,034 = 4 429 319,95
    assert view.monthly_amount == Decimal("369110.00")
    assert compensation(given.entries, 2021).annual_amount == Decimal("4283675.00")


def test_half_up_rounding_of_monthly_s() -> None:
    """S Ersättning: 3 740 000 kr in 2019 prices; monthly = annual/12 half-up to öre."""
    given = Given(S)
    _index(given, 2020, "1.0", "2020-01-10")
    view = compensation(given.entries, 2020)
    assert view.annual_amount == Decimal("3777400.00")
    assert view.monthly_amount == Decimal("314783.33")


def test_missing_year_carries_amount_s() -> None:
    """S: a year without IndexationApplied keeps the amount and is listed as missing."""
    given = Given(S)
    _index(given, 2021, "2.0", "2021-01-10")
    view = compensation(given.entries, 2021)
    assert view.missing_years == [2020]
    assert view.annual_amount == Decimal("3814800.00")


def test_hourly_rate_f() -> None:
    """F 1.2: 605 kr per hour in 2022 prices, indexed by kommunens uppräkningsmodell, to öre."""
    given = Given(F)
    _index(given, 2023, "3.1", "2023-01-15", index="kommunens uppräkningsmodell")
    _index(given, 2024, "2.05", "2024-01-15", index="kommunens uppräkningsmodell")
    view = compensation(given.entries, 2024)
    assert (view.basis, view.annual_amount, view.monthly_amount) == ("hourly", None, None)
    assert view.hourly_rate == Decimal("636.55")  # 623,76 × 1,0205 = 636,5471 → 636,55
    assert [s.amount_after for s in view.steps] == [Decimal("623.76"), Decimal("636.55")]


def test_fte_basis_c() -> None:
    """C 2: 5,5 Mkr = 7,5 årsarbetare (2019 prices); an agreed allocation of 7,0 FTE pays 7/7,5."""
    given = Given(C)
    _index(given, 2020, "2.0", "2020-01-10")
    view = compensation(given.entries, 2021)
    assert (view.basis, view.fte, view.agreed_fte) == ("fte", Decimal("7.5"), Decimal("7.5"))
    assert view.annual_amount == Decimal("5610000.00")
    assert view.per_fte_amount == Decimal("748000.00")
    change = given.then(
        "StaffingChanged", "2021-06-01", planned=True,
        fte_allocation={"Skäggetorp": "1.0", "Berga": "1.0", "Ryd": "1.0", "Lambohov": "1.0",
                        "Valla": "0.5", "Ljungsbro": "0.5", "Ekholmen": "1.0", "Tannefors": "1.0"})
    given.accept("2021-06-01", change)
    view = compensation(given.entries, 2022)
    assert view.agreed_fte == Decimal("7.0")
    assert view.annual_amount == Decimal("5236000.00")
    assert view.missing_years == [2021, 2022]


def test_corrected_indexation_is_ignored_v() -> None:
    """A corrected IndexationApplied takes no part in the chain."""
    given = Given(V)
    wrong = _index(given, 2020, "25", "2020-01-10")
    given.correct("2020-01-11", wrong)
    _index(given, 2020, "2.5", "2020-01-12")
    view = compensation(given.entries, 2020)
    assert [s.percent for s in view.steps] == [Decimal("2.5")]

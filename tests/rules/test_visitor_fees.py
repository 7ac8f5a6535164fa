"""F 2.3: "Avgiften för familjerådgivningen är 200 kr per besök … tillfaller Social- och
omsorgsförvaltningen" — the fees owed to the förvaltning, per month, in the billing read."""

from __future__ import annotations

from decimal import Decimal

from domain.rules.billing import billing
from tests.rules.builders import F, Given


def test_visitor_fees_per_month_f() -> None:
    """F 2.3: each individual session is one visit at 200 kr (policy); group sessions are not."""
    given = Given(F)
    given.then("ServiceHoursReported", "2025-02-03", month="2025-01",
               sessions=[{"minutes": 60}, {"minutes": 90}, {"minutes": 45}],
               group_sessions=[{"minutes": 90, "participants": 6}])
    given.then("ServiceHoursReported", "2025-03-03", month="2025-02", sessions=[{"minutes": 60}])
    given.then("ServiceHoursReported", "2025-03-04", month="2025-02", sessions=[{"minutes": 60}])
    summary = billing(given.entries, 2025)
    assert summary is not None
    january, february = summary.months
    assert (january.visits, january.visitor_fees) == (3, Decimal("600.00"))
    assert (february.visits, february.visitor_fees) == (2, Decimal("400.00"))
    assert summary.visitor_fees == Decimal("1000.00")
    # the fees belong to the förvaltning: they are not part of what Leanlink is paid
    assert january.amount == (january.hours * summary.hourly_rate).quantize(Decimal("0.01"))


def test_visitor_fee_follows_an_amended_fee_f() -> None:
    """F 2.3: "Avgiften revideras varje år" — a revised fee is an amendment, from its date."""
    given = Given(F)
    given.amend("2025-01-01", {"billing": {"visitor_fee": "220"}})
    given.then("ServiceHoursReported", "2025-02-03", month="2025-01", sessions=[{"minutes": 60}])
    summary = billing(given.entries, 2025)
    assert summary is not None
    assert summary.months[0].visitor_fees == Decimal("220.00")

"""Uppgifter på begäran (V, S Uppföljning) and klagomål som berör förvaltningen (F 4.3)."""

from __future__ import annotations

import pytest

from tests.rules.builders import C, F, Given, S, V, d, obligations


@pytest.mark.parametrize("ref", (V, S))
def test_information_request_due_as_the_request_states(ref: str) -> None:
    """V/S Uppföljning: "… utan extra kostnad, ta fram och tillhandahålla de uppgifter …"."""
    given = Given(ref)
    seq = given.then("InformationRequested", "2025-03-03", subject="Väntetider 2024",
                     due="2025-03-15")
    [request] = obligations(given, "2025-03-03", "information_request")
    assert (request.id, request.holder, request.created_by_seq) == (
        f"information_request:{seq}", "utforare", seq)
    assert request.due == d("2025-03-15")
    assert request.due_working_day == d("2025-03-17")  # a Saturday: the next working day beside it
    assert "utan extra kostnad" in request.clause.quote
    assert request.status_on(d("2025-03-16")) == "overdue"


def test_information_request_without_due_follows_the_policy_v() -> None:
    """V Uppföljning: the request names no time → policy 10 working days (terms)."""
    given = Given(V)
    given.then("InformationRequested", "2025-04-14", subject="Lokalkostnadens andel")
    [request] = obligations(given, "2025-04-14", "information_request")
    # 15, 16, 17 (skärtorsdagen is a working day); 18–21 påsk; 22, 23, 24, 25, 28, 29, 30 April
    assert request.due == d("2025-04-30")
    assert "begäran anger ingen tidpunkt" in request.explanation


def test_information_provided_fulfils_the_request_s() -> None:
    """S Uppföljning: InformationProvided naming the request fulfils it."""
    given = Given(S)
    seq = given.then("InformationRequested", "2025-03-03", subject="Bemanning", due="2025-03-14")
    done = given.then("InformationProvided", "2025-03-10", request_seq=seq)
    [request] = obligations(given, "2025-03-20", "information_request")
    assert request.fulfilled_by_seq == done
    assert request.status_on(d("2025-03-20")) == "fulfilled"


@pytest.mark.parametrize("ref", (F, C))
def test_information_request_none_without_clause(ref: str) -> None:
    """F and C have no clause on information on request: the request opens nothing."""
    given = Given(ref)
    given.then("InformationRequested", "2025-03-03", subject="Statistik")
    assert obligations(given, "2025-06-01", "information_request") == []


def test_complaint_concerning_forvaltning_must_be_reported_f() -> None:
    """F 4.3: "Vid synpunkter och klagomål som även berör Social- och omsorgsförvaltningen ska
    Leanlink lämna uppgifter om det till förvaltningen" — policy 5 working days."""
    given = Given(F)
    seq = given.then("ComplaintReceived", "2025-04-17", concerns_forvaltning=True)
    [duty] = obligations(given, "2025-04-17", "complaint_information")
    assert (duty.holder, duty.created_by_seq) == ("utforare", seq)
    assert duty.due == d("2025-04-28")  # 22, 23, 24, 25, 28 April (påsk)
    assert duty.clause.section.startswith("4.3")
    done = given.then("ComplaintForwarded", "2025-04-22", complaint_seq=seq)
    [duty] = obligations(given, "2025-05-01", "complaint_information")
    assert duty.fulfilled_by_seq == done


def test_complaint_not_concerning_forvaltning_opens_nothing_f() -> None:
    """F 4.3: only complaints that also concern the förvaltning are to be reported."""
    given = Given(F)
    given.then("ComplaintReceived", "2025-04-17", concerns_forvaltning=False)
    assert obligations(given, "2025-06-01", "complaint_information") == []


@pytest.mark.parametrize("ref", (V, S, C))
def test_complaint_none_without_clause(ref: str) -> None:
    """Only F has the duty (4.3)."""
    given = Given(ref)
    given.then("ComplaintReceived", "2025-04-17", concerns_forvaltning=True)
    assert obligations(given, "2025-06-01", "complaint_information") == []

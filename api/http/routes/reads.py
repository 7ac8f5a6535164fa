"""What the history means as of a date: obligations, deviations, notice, compensation."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from api import settings
from api.http.deps import App, AsOf, Caller, Day, KnownAt, Ref, as_of_or_today, known_ref
from api.http.effects import deviation_view
from api.http.problems import responses
from api.http.schemas import (
    AcceptanceList,
    CompensationOut,
    DeviationList,
    DeviationOut,
    Holder,
    JSONBytes,
    MonthBillingOut,
    NoticePosition,
    ObligationList,
    ObligationStatus,
    OpenObligationList,
    obligations_json,
    open_obligations_json,
)
from domain.errors import UnknownContract, UnknownEntry
from projections.rows import OPEN_STATUS, open_doc

router = APIRouter(tags=["reads"], responses=responses(401, 422))

Status = Annotated[ObligationStatus | None, Query(description="Only obligations with this status")]


@router.get("/contracts/{ref}/obligations", response_model=ObligationList,
            responses=responses(404))
def contract_obligations(app: App, _actor: Caller, ref: Ref, as_of: AsOf = None,
                         known_at: KnownAt = None, status: Status = None) -> Response:
    """Every obligation that has arisen up to ``as_of``, whatever its status unless filtered."""
    day = as_of_or_today(as_of)
    found = app.reads.obligations(ref, as_of=day, known_at=known_at, status=status)
    return JSONBytes(obligations_json(day, known_at, found))


AnyStatus = Literal["open", "overdue", "fulfilled", "void", "before_tracking"]


@router.get("/obligations", response_model=OpenObligationList, responses=responses(404))
def open_obligations(
    app: App, _actor: Caller, as_of: AsOf = None,
    status: Annotated[list[AnyStatus] | None, Query(
        description="Repeatable: status=open&status=overdue (the default: what is still to do)")] = None,
    due_after: Annotated[Day | None, Query(description="Only those due after this date")] = None,
    due_before: Annotated[Day | None, Query(description="Only those due before this date")] = None,
    holder: Annotated[Holder | None, Query(description="Only this party's duties")] = None,
    contract: Annotated[str | None, Query(max_length=200, description="Only this contract")] = None,
) -> Response:
    """Obligations across contracts, by due date: "what is due this month" is
    ``due_after=<last day of the previous month>&due_before=<first day of the next>``."""
    day = as_of_or_today(as_of)
    if contract is not None and not app.ledger.exists(known_ref(contract, "contract")):
        raise UnknownContract(f"no contract with ref '{contract}'", field="contract",
                              rule="contract_must_exist")
    wanted = set(status or ("open", "overdue"))
    if wanted <= {"open", "overdue"}:
        docs = app.reads.open_obligation_docs(
            as_of=day, status=None if len(wanted) == 2 else next(iter(wanted)),
            due_before=due_before, due_after=due_after, holder=holder, ref=contract)
        return JSONBytes(open_obligations_json(day, docs))
    # Settled duties too: each contract's obligations as of the day (the slower path).
    refs = [contract] if contract else [c.ref for c in app.reads.contracts()]
    found = [(ref, o, judged) for ref in refs
             for o, judged in app.reads.obligations(ref, as_of=day)
             if judged in wanted and (holder is None or o.holder == holder)
             and (due_after is None or (o.due is not None and o.due > due_after))
             and (due_before is None or (o.due is not None and o.due < due_before))]
    found.sort(key=lambda item: (item[1].due or date.max, item[0], item[1].id))
    return JSONBytes(open_obligations_json(day, [
        open_doc(ref, o).replace(OPEN_STATUS, b'"status":"%s"' % judged.encode(), 1)
        for ref, o, judged in found]))


@router.get("/contracts/{ref}/deviations", response_model=DeviationList, responses=responses(404))
def contract_deviations(app: App, _actor: Caller, ref: Ref, as_of: AsOf = None,
                        known_at: KnownAt = None) -> DeviationList:
    """Standing requirements not met and acts without legal effect, as of a date."""
    day = as_of_or_today(as_of)
    found = app.reads.deviations(ref, as_of=day, known_at=known_at)
    return DeviationList(as_of=day, known_at=known_at,
                         deviations=[DeviationOut.model_validate({**deviation_view(d), "open": is_open})
                                     for d, is_open in found])


@router.get("/contracts/{ref}/notice", response_model=NoticePosition, responses=responses(404))
def contract_notice(app: App, _actor: Caller, ref: Ref, as_of: AsOf = None,
                    known_at: KnownAt = None) -> NoticePosition:
    """Running, under notice or ended; the end date; the end date if notice were given today."""
    day = as_of_or_today(as_of)
    return NoticePosition.model_validate(app.reads.notice(ref, as_of=day, known_at=known_at))


@router.get("/contracts/{ref}/compensation", response_model=CompensationOut,
            responses=responses(404))
def contract_compensation(
    app: App, _actor: Caller, ref: Ref, known_at: KnownAt = None,
    year: Annotated[int | None, Query(ge=1900, le=2199, description="Default: this year")] = None,
) -> CompensationOut:
    """The indexed compensation for a year: base, every indexation step, annual and monthly."""
    year = year or settings.today().year
    return CompensationOut.model_validate(app.reads.compensation(ref, year=year, known_at=known_at))


@router.get("/contracts/{ref}/acceptances", response_model=AcceptanceList, responses=responses(404))
def contract_acceptances(app: App, _actor: Caller, ref: Ref,
                         known_at: KnownAt = None) -> AcceptanceList:
    """Two-party acts awaiting the other party's ``AgreementAccepted``, and whose."""
    return AcceptanceList.model_validate({"pending": app.reads.acceptances(ref, known_at=known_at)})


@router.get("/contracts/{ref}/billing", response_model=MonthBillingOut, responses=responses(404))
def contract_billing(
    app: App, _actor: Caller, ref: Ref, known_at: KnownAt = None,
    month: Annotated[str, Query(pattern=r"^\d{4}-(0[1-9]|1[0-2])$",
                                description="YYYY-MM; hours above the cap are not priced")] = "",
) -> MonthBillingOut:
    """F's hourly billing for a month: client hours, amount, hours above the cap, year to date."""
    month = month or settings.today().strftime("%Y-%m")
    found = app.reads.billing_month(ref, month=month, known_at=known_at)
    if found is None:
        raise UnknownEntry(f"contract '{ref}' is not billed by the hour; it has no billing clause",
                           field="ref", rule="billing_clause")
    summary, row = found
    return MonthBillingOut(month=row.month, client_hours=row.hours, amount=row.amount,
                           hours_above_cap=row.hours_above_cap,
                           year_to_date_hours=row.year_to_date_hours, cap_hours=summary.cap,
                           hourly_rate=summary.hourly_rate)

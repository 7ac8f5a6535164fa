"""What the history means as of a date: obligations, deviations, notice, compensation."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from api import settings
from api.http.deps import App, AsOf, Caller, Day, KnownAt, Ref, as_of_or_today
from api.http.effects import deviation_view
from api.http.problems import responses
from api.http.schemas import (
    CompensationOut,
    DeviationList,
    DeviationOut,
    Holder,
    JSONBytes,
    NoticePosition,
    ObligationList,
    ObligationStatus,
    OpenObligationList,
    obligations_json,
    open_obligations_json,
)

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


@router.get("/obligations", response_model=OpenObligationList)
def open_obligations(
    app: App, _actor: Caller, as_of: AsOf = None,
    status: Annotated[Literal["open", "overdue"] | None, Query(
        description="open or overdue (default: both)")] = None,
    due_before: Annotated[Day | None, Query(description="Only those due before this date")] = None,
    holder: Annotated[Holder | None, Query(description="Only this party's duties")] = None,
) -> Response:
    """Open obligations across all contracts."""
    day = as_of_or_today(as_of)
    docs = app.reads.open_obligation_docs(as_of=day, status=status, due_before=due_before,
                                          holder=holder)
    return JSONBytes(open_obligations_json(day, docs))


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

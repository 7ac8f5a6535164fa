"""Read commands: obligations, deviations, notice, compensation (as of a date, as known at an instant),
and ``ledger rebuild``. Each read first catches the read models up, so it sees what was just recorded."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

import typer
from pydantic import BaseModel

from api.cli.app import app, err, handles_errors, out, print_json, print_table

Ref = Annotated[str, typer.Argument(help="Contract reference, e.g. familjeradgivning")]
AsOf = Annotated[str | None, typer.Option("--as-of", help="Valid date YYYY-MM-DD (default: today)")]
KnownAt = Annotated[str | None, typer.Option(
    "--known-at", help="What the ledger knew at this instant, as the API's known_at: ISO 8601 with "
                       "an offset (2025-06-30T09:00+02:00); a bare date is the end of that day in "
                       "Stockholm time")]
AsJson = Annotated[bool, typer.Option("--json", help="JSON instead of a table")]

# Money is a decimal string in kronor with two decimals (API.md).
MONEY = {"base_amount", "annual_amount", "monthly_amount", "amount_before", "amount_after",
         "hourly_rate", "per_fte_amount", "amount"}
CENTS = Decimal("0.01")


@contextmanager
def read_models() -> Iterator[Any]:
    """The read models, caught up with the ledger."""
    from api.cli.app import existing_database
    from api.settings import today
    from projections.reads import ReadModels

    models = ReadModels(existing_database(), today=today)
    try:
        models.catch_up()
        yield models
    finally:
        models.close()


def _times(as_of: str | None, known_at: str | None) -> tuple[date, datetime | None]:
    from api.cli.times import parse_date, parse_instant
    from api.settings import today

    return (parse_date(as_of) if as_of else today(),
            parse_instant(known_at) if known_at else None)


def plain(value: Any, key: str = "") -> Any:
    """JSON-ready: dataclasses as objects, dates ISO, money with two decimals."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name), f.name) for f in dataclasses.fields(value)}
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, Decimal):
        return str(value.quantize(CENTS) if key in MONEY else value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [plain(v, key) for v in value]
    if isinstance(value, dict):
        return {k: plain(v, k) for k, v in value.items()}
    return value


@app.command()
@handles_errors
def obligations(ref: Annotated[str | None, typer.Argument(
                    help="Contract reference; without it, what is open or overdue in every contract")] = None,
                as_of: AsOf = None, known_at: KnownAt = None, as_json: AsJson = False,
                status: Annotated[str | None, typer.Option(
                    help="open, fulfilled, overdue, void or before_tracking")] = None) -> None:
    """Every obligation arisen up to --as-of with its status that day; without REF, the open and
    overdue ones of every contract (as GET /obligations)."""
    from domain import vocabulary as sv
    from domain.errors import InvalidEvent

    if status not in (None, "open", "fulfilled", "overdue", "void", "before_tracking"):
        raise InvalidEvent(f"--status: '{status}' is not open, fulfilled, overdue, void or "
                           "before_tracking",
                           field="status", rule="obligation_status")
    day, instant = _times(as_of, known_at)
    with read_models() as models:
        if ref is not None:
            found = [(ref, o, s) for o, s in models.obligations(ref, as_of=day, known_at=instant,
                                                                   status=status)]
        elif instant is not None or status in ("fulfilled", "void", "before_tracking"):
            found = [(c.ref, o, s) for c in models.contracts()
                     for o, s in models.obligations(c.ref, as_of=day, known_at=instant, status=status)
                     if status is not None or s in ("open", "overdue")]
        else:
            found = models.open_obligations(as_of=day, status=status)
    if as_json:
        print_json({"ref": ref, "as_of": day, "known_at": instant,
                    "obligations": [plain(o) | {"status": s, "contract": r} for r, o, s in found]})
        return
    print_table(f"{ref or 'alla uppdrag'}: skyldigheter per {day}"
                + (f", som känt {sv.instant(instant)}" if instant else ""),
                ([] if ref else ["uppdrag"]) + ["skyldighet", "ansvarig", "senast", "status", "avsnitt",
                                                "post"],
                [([] if ref else [r]) + [
                    sv.label("obligation", o.kind) + (f" {o.period}" if o.period else ""),
                    sv.label("party", o.holder),
                    o.due, sv.label("status", s), _section(o.clause.section),
                    f"{o.created_by_seq or '—'}→{o.fulfilled_by_seq}" if o.fulfilled_by_seq
                    else o.created_by_seq] for r, o, s in found])


def _section(section: str) -> str:
    """A clause's number where it has one ("4.1"), else its heading."""
    number = section.split(" ", 1)[0].rstrip(".")
    return number if number[:1].isdigit() else section


@app.command()
@handles_errors
def deviations(ref: Ref, as_of: AsOf = None, known_at: KnownAt = None, as_json: AsJson = False) -> None:
    """Every deviation begun by --as-of, and whether it is still open that day."""
    day, instant = _times(as_of, known_at)
    with read_models() as models:
        found = models.deviations(ref, as_of=day, known_at=instant)
    if as_json:
        print_json({"ref": ref, "as_of": day, "known_at": instant,
                    "deviations": [plain(d) | {"open": is_open} for d, is_open in found]})
        return
    from domain import vocabulary as sv

    print_table(f"{ref}: avvikelser per {day}" + (f", som känt {sv.instant(instant)}" if instant else ""),
                ["avvikelse", "sedan", "till", "öppen", "avsnitt", "poster", "varför"],
                [(sv.label("deviation", d.kind), d.since, d.until, "ja" if is_open else "nej",
                  _section(d.clause.section), ", ".join(map(str, d.seqs)), d.explanation)
                 for d, is_open in found])


@app.command()
@handles_errors
def notice(ref: Ref, as_of: AsOf = None, known_at: KnownAt = None, as_json: AsJson = False) -> None:
    """Running, under notice or ended on --as-of; the notices given and their effect."""
    day, instant = _times(as_of, known_at)
    with read_models() as models:
        position = models.notice(ref, as_of=day, known_at=instant)
    if as_json:
        print_json({"ref": ref, "known_at": instant} | plain(position))
        return
    out.print(f"{ref} as of {day}: [bold]{position.status}[/bold]; notice months "
              f"{position.notice_months if position.notice_months is not None else '—'}; ends on "
              f"{position.ends_on or '—'}; if notice were given that day: "
              f"{position.end_if_notice_today or '—'}", highlight=False)
    from domain import vocabulary as sv

    print_table("uppsägningar", ["post", "slag", "part", "given", "verkan", "upphör", "återkallad",
                                 "varför"],
                [(n.seq, sv.label("notice_kind", n.kind), sv.label("party", n.by), n.given_on,
                  "ja" if n.effective else "nej", n.ends_on, n.withdrawn_on, n.reason)
                 for n in position.notices])


@app.command()
@handles_errors
def compensation(ref: Ref, year: Annotated[int | None, typer.Option(
                     help="The year (default: the --as-of year)")] = None,
                 as_of: AsOf = None, known_at: KnownAt = None, as_json: AsJson = False) -> None:
    """The indexed compensation for a year: base, every indexation step, annual and monthly."""
    day, instant = _times(as_of, known_at)
    with read_models() as models:
        view = models.compensation(ref, year=year or day.year, as_of=day, known_at=instant)
    data = plain(view)
    if as_json:
        print_json({"ref": ref, "known_at": instant} | data)
        return
    from domain import vocabulary as sv

    basis = {"annual": "per år", "hourly": "per timme", "fte": "per årsarbetare"}.get(
        data["basis"], data["basis"])
    out.print(f"{ref} {data['year']}: grundbelopp {sv.money(data['base_amount'])} "
              f"({data['price_year']} års prisnivå, {basis}); per år {sv.money(data['annual_amount'])}; "
              f"per månad {sv.money(data['monthly_amount'])}; timpris {sv.money(data['hourly_rate'])}",
              highlight=False)
    if data.get("missing_years"):
        out.print("år utan registrerad uppräkning (missing_years): "
                  + ", ".join(map(str, data["missing_years"])), highlight=False)
    kinds = {"index": "uppräkning", "back_adjustment": "retroaktiv justering"}
    print_table("uppräkning", ["år", "slag", "index", "procent", "före", "efter", "post"],
                [(s["year"], kinds.get(s["kind"], s["kind"]), s["index"], sv.percent(s["percent"]),
                  sv.money(s["amount_before"]), sv.money(s["amount_after"]), s["seq"])
                 for s in data["steps"]])


@app.command()
@handles_errors
def rebuild(batch_size: Annotated[int | None, typer.Option(
        help="Events per transaction (default: the catch-up's, 20 000)", min=1)] = None) -> None:
    """Rebuild every read model beside the live ones, then switch atomically (the API may serve)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from api.cli.app import existing_database
    from api.settings import today
    from projections.rebuild import rebuild as rebuild_views

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err, transient=False) as bar:
        events = bar.add_task("händelser inlästa", total=None)
        contracts = bar.add_task("avtal bedömda", total=None, start=False)

        def progress(position: int, end: int) -> None:
            bar.update(events, completed=position, total=end)

        def judging(judged: int, total: int) -> None:
            bar.start_task(contracts)
            bar.update(contracts, completed=judged, total=total)

        started = datetime.now()
        applied = rebuild_views(existing_database(), today=today(), progress=progress, judging=judging,
                                **({"batch_size": batch_size} if batch_size else {}))
    seconds = (datetime.now() - started).total_seconds()
    out.print(f"rebuilt: {applied} entries in {seconds:.2f} s", highlight=False)

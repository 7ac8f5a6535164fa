"""Rendering documents: content negotiation and the iCalendar feed (the dossier: ``dossier``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from domain import vocabulary as sv


def negotiate(accept: str | None, offered: Sequence[str]) -> str | None:
    """The offered media type the Accept header prefers (the first offered for */*); None if none."""
    if not accept or not accept.strip():
        return offered[0]
    best: tuple[float, int, str] | None = None
    for part in accept.split(","):
        media, _, params = part.strip().partition(";")
        media = media.strip().lower()
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if not 0 < quality <= 1:
            continue
        for rank, candidate in enumerate(offered):
            kind = candidate.split("/")[0]
            if media in (candidate, "*/*", f"{kind}/*") and (
                    best is None or (quality, -rank) > (best[0], best[1])):
                best = (quality, -rank, candidate)
    return best[2] if best else None


def calendar_ics(obligations: Sequence[tuple[str, Any, str]], *, titles: dict[str, str],
                 stamp: datetime, next_day: timedelta) -> bytes:
    """An iCalendar (RFC 5545) of all-day events, one per obligation deadline, in Swedish.

    ``obligations`` are (contract ref, obligation, status on today). The UID is the
    obligation's id, so a subscriber's calendar updates an event instead of adding one;
    an overdue duty is marked in its summary and category; alarms a week and a day before.
    """
    from icalendar import Alarm, Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//Linköpings kommun//verksamhetsuppdrag-ledger//SV")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Verksamhetsuppdrag: tidsfrister")
    calendar.add("x-wr-timezone", "Europe/Stockholm")
    for ref, obligation, status in obligations:
        if obligation.due is None:
            continue
        clause = obligation.clause
        section = clause.section.split(" ", 1)[0].rstrip(".")
        what = sv.label("obligation", obligation.kind) + (
            f" {obligation.period}" if obligation.period else "")
        summary = (f"{what} – {titles.get(ref, ref)} ({sv.label('party', obligation.holder)}), "
                   f"avsnitt {section}")
        event = Event()
        event.add("uid", f"{ref}.{obligation.id}@verksamhetsuppdrag-ledger")
        event.add("dtstamp", stamp)
        event.add("dtstart", obligation.due)
        event.add("dtend", obligation.due + next_day)
        event.add("summary", ("FÖRSENAD: " if status == "overdue" else "") + summary)
        lines = [f"Varför: {obligation.explanation}",
                 f"Avtalet, {clause.section}: ”{clause.quote}”",
                 f"Ansvarig: {sv.label('party', obligation.holder)}. Senast: {sv.day(obligation.due)}."]
        if obligation.due_working_day and obligation.due_working_day != obligation.due:
            lines.append(f"Närmaste arbetsdag: {sv.day(obligation.due_working_day)}.")
        if status == "overdue":
            lines.append("Status: försenad (inte uppfylld i tid).")
        event.add("description", "\n".join(lines))
        event.add("categories", [sv.label("party", obligation.holder), sv.label("status", status)])
        event.add("transp", "TRANSPARENT")
        if status != "overdue":
            for before, words in ((timedelta(days=7), "om en vecka"), (timedelta(days=1), "i morgon")):
                alarm = Alarm()
                alarm.add("action", "DISPLAY")
                alarm.add("description", f"{what} ska vara klar {words}: {titles.get(ref, ref)}")
                alarm.add("trigger", -before)
                event.add_component(alarm)
        calendar.add_component(event)
    return bytes(calendar.to_ical())

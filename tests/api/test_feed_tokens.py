"""Read-only feed tokens: a calendar subscribed with ?token=, refused everywhere else."""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from api import tokens

V = "/contracts/vald-i-nara-relation"


@pytest.fixture
def feed(api_env) -> dict[str, str]:
    path = Path(os.environ["LEDGER_TOKENS_FILE"])
    return {"calendar": tokens.create(path, role="revisor", name="Kalender", scopes=("calendar",)),
            "both": tokens.create(path, role="revisor", name="Länkar", scopes=("calendar", "dossier")),
            "one": tokens.create(path, role="revisor", name="Ett uppdrag", scopes=("calendar",),
                                 contract="vald-i-nara-relation")}


def test_the_calendar_subscribed_with_a_feed_token_parses_and_speaks_swedish(client, auth, feed):
    posted = client.post(f"{V}/events", headers=auth("utforare"), json={
        "type": "LexSarahNotifiedToIVO", "effective_date": "2025-05-30"})
    assert posted.status_code == 201
    response = client.get("/calendar.ics", params={"token": feed["calendar"]})
    assert response.status_code == 200, response.text
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert events
    uids = [str(e["uid"]) for e in events]
    assert len(uids) == len(set(uids))
    copy = next(e for e in events if "lex_sarah_copy:2" in str(e["uid"]))
    summary = str(copy["summary"])
    assert summary.startswith("Kopia av lex Sarah-anmälan – Våld i nära relation (utföraren), avsnitt ")
    assert "Varför:" in str(copy["description"]) and "”" in str(copy["description"])
    assert copy.decoded("dtstart") == date(2025, 6, 2)
    triggers = sorted(a.decoded("trigger") for a in copy.walk("VALARM"))
    assert triggers == [-timedelta(days=7), -timedelta(days=1)]
    for event in events:
        assert "_" not in str(event["summary"]), event["summary"]  # no codes
    # The same duty keeps its UID from one fetch to the next.
    again = Calendar.from_ical(client.get("/calendar.ics", params={"token": feed["calendar"]}).content)
    assert sorted(str(e["uid"]) for e in again.walk("VEVENT")) == sorted(uids)


def test_overdue_duties_are_marked_or_served_apart(client, feed):
    everything = Calendar.from_ical(client.get("/calendar.ics", params={"token": feed["calendar"]}).content)
    overdue = [e for e in everything.walk("VEVENT") if str(e["summary"]).startswith("FÖRSENAD: ")]
    only = Calendar.from_ical(client.get("/calendar.ics", params={
        "token": feed["calendar"], "overdue": "only"}).content).walk("VEVENT")
    without = Calendar.from_ical(client.get("/calendar.ics", params={
        "token": feed["calendar"], "overdue": "exclude"}).content).walk("VEVENT")
    assert len(only) == len(overdue)
    assert len(without) + len(only) == len(everything.walk("VEVENT"))
    assert all(not a for e in only for a in [list(e.walk("VALARM"))])


def test_a_feed_token_for_one_contract_sees_that_contract_only(client, feed):
    mine = client.get("/calendar.ics", params={"token": feed["one"]})
    assert mine.status_code == 200
    assert all("Våld i nära relation" in str(e["summary"])
               for e in Calendar.from_ical(mine.content).walk("VEVENT"))
    other = client.get("/calendar.ics", params={"token": feed["one"], "contract": "familjeradgivning"})
    assert other.status_code == 403 and other.json()["rule"] == "feed_token_contract"


def test_the_feed_token_is_refused_on_every_other_endpoint(client, feed, auth):
    checked = 0
    for path, methods in client.get("/openapi.json").json()["paths"].items():
        if "get" not in methods or path in ("/health", "/health/ready"):
            continue
        url = path.replace("{ref}", "vald-i-nara-relation").replace("{seq}", "1")
        as_header = client.get(url, headers={"Authorization": f"Bearer {feed['both']}"})
        if path in ("/calendar.ics", "/contracts/{ref}/disputes/{seq}/dossier"):
            assert as_header.status_code == 403, path
            continue
        assert as_header.status_code == 403, (path, as_header.status_code)
        assert as_header.json()["rule"] == "feed_token_scope"
        as_query = client.get(url, params={"token": feed["both"]})
        assert as_query.status_code in (401, 422), (path, as_query.status_code)
        checked += 1
    assert checked >= 8
    assert client.post(f"{V}/events", headers={"Authorization": f"Bearer {feed['both']}"}, json={
        "type": "LexSarahReported", "effective_date": "2025-05-30"}).status_code == 403


def test_the_query_takes_feed_tokens_of_the_right_scope_only(client, auth, feed, api_env):
    refused = client.get("/calendar.ics", params={"token": api_env["admin"]})
    assert refused.status_code == 403 and refused.json()["field"] == "token"
    dossier = client.get(f"{V}/disputes/1/dossier", params={"token": feed["calendar"]})
    assert dossier.status_code == 403
    # The dossier link works with a dossier feed token (404 here: entry 1 is no dispute).
    assert client.get(f"{V}/disputes/1/dossier", params={"token": feed["both"]}).status_code == 404
    assert client.get("/calendar.ics", params={"token": "nope"}).status_code == 401

"""The vocabulary names every code the models and API.md know, and formats for people."""

from __future__ import annotations

import ast
import re
import typing
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import BaseModel

from domain import vocabulary as sv
from domain.events import EVENT_CLASSES, Role
from domain.rules import model
from domain.terms import Party

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def _model_fields(cls: type[BaseModel], seen: set[type]) -> set[str]:
    """Every field name of a model and of the models nested in it (lists, dicts, unions)."""
    if cls in seen:
        return set()
    seen.add(cls)
    names = set(cls.model_fields)
    for info in cls.model_fields.values():
        stack = [info.annotation]
        while stack:
            annotation = stack.pop()
            if (isinstance(annotation, type) and issubclass(annotation, BaseModel)
                    and annotation.__module__ == "domain.events"):
                names |= _model_fields(annotation, seen)
            stack.extend(typing.get_args(annotation))
    return names


def _kinds_built_by_rules() -> set[tuple[str, str]]:
    """(constructor, kind) for every Obligation(kind=...) / Deviation(kind=...) in the rules."""
    found = set()
    for path in (ROOT / "domain" / "rules").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                for keyword in node.keywords:
                    if keyword.arg == "kind" and isinstance(keyword.value, ast.Constant):
                        found.add((node.func.id, keyword.value.value))
    return found


def _api_md_list(after: str) -> set[str]:
    text = (SHARED / "API.md").read_text(encoding="utf-8")
    block = text.split(after, 1)[1].split(".\n", 1)[0]
    return set(re.findall(r"`([a-z_]+)`", block))


def test_every_event_type_of_the_models_has_a_swedish_name() -> None:
    missing = [code for code in EVENT_CLASSES if code not in sv.EVENT_TYPES]
    assert not missing
    assert all(name and name != code for code, name in sv.EVENT_TYPES.items())


def test_every_event_field_has_a_swedish_label() -> None:
    fields: set[str] = set()
    for cls in EVENT_CLASSES.values():
        fields |= _model_fields(cls, set())
    assert sorted(fields - set(sv.FIELDS)) == []


def test_every_field_api_md_names_has_a_swedish_label() -> None:
    text = (SHARED / "API.md").read_text(encoding="utf-8")
    block = " ".join(text.split()).split("with these field names:", 1)[1].split("Obligation objects", 1)[0]
    names = set(re.findall(r"`([a-z_]+)`", block))
    assert names, "API.md's field list was not found"
    assert sorted(names - set(sv.FIELDS)) == []


def test_every_obligation_field_has_a_swedish_label() -> None:
    obligation = {f.name for f in model.Obligation.__dataclass_fields__.values()}
    deviation = {f.name for f in model.Deviation.__dataclass_fields__.values()}
    api = {"id", "kind", "holder", "clause", "due", "due_working_day", "status",
           "created_by_seq", "fulfilled_by_seq", "period"}
    internal = {"arises_on", "fulfilled_on", "void_on", "void_reason"}
    assert sorted((obligation | deviation | api) - internal - set(sv.FIELDS)) == []


def test_every_obligation_and_deviation_kind_the_rules_build_or_api_md_lists() -> None:
    built = _kinds_built_by_rules()
    obligations = {kind for ctor, kind in built if ctor == "Obligation"}
    deviations = {kind for ctor, kind in built if ctor == "Deviation"}
    assert obligations and deviations, "the rules' kinds were not found"
    obligations |= _api_md_list("Obligation kinds:")
    deviations |= _api_md_list("Deviation objects:") - {"kind", "clause", "since", "until", "seqs"}
    assert "information_request" in obligations and "insurance_lapsed" in deviations
    assert sorted(obligations - set(sv.OBLIGATION_KINDS)) == []
    assert sorted(deviations - set(sv.DEVIATION_KINDS)) == []


def test_every_status_party_and_role_has_a_swedish_name() -> None:
    statuses = set(typing.get_args(model.ObligationStatus)) | set(typing.get_args(model.NoticeStatus))
    statuses |= {"before_tracking"}
    assert sorted(statuses - set(sv.STATUSES)) == []
    assert set(typing.get_args(Party)) == set(sv.PARTIES)
    assert set(typing.get_args(Role)) == set(sv.ROLES)
    assert sv.label("status", "before_tracking") == "före bokföringen"


def test_label_falls_back_to_the_code() -> None:
    assert sv.label("event", "TerminationNoticeGiven") == "Uppsägning"
    assert sv.label("party", "bestallare") == "beställaren"
    assert sv.label("event", "NoSuchEvent") == "NoSuchEvent"
    assert sv.label("nonsense", "x") == "x"


@pytest.mark.parametrize(("amount", "text"), [
    (Decimal("4093284"), "4\u00a0093\u00a0284,00\u00a0kr"),
    ("10000000.00", "10\u00a0000\u00a0000,00\u00a0kr"),
    ("605", "605,00\u00a0kr"),
    ("-1234.5", "-1\u00a0234,50\u00a0kr"),
    (None, "–"),
])
def test_money(amount: object, text: str) -> None:
    assert sv.money(amount) == text  # type: ignore[arg-type]


@pytest.mark.parametrize(("given", "text"), [
    (Decimal("7.5"), "7,5"), (1000, "1\u00a0000"), ("0.25", "0,25"), (2.5, "2,5"), (999, "999"),
    (Decimal("1234567.125"), "1\u00a0234\u00a0567,125"),
])
def test_number(given: object, text: str) -> None:
    assert sv.number(given) == text  # type: ignore[arg-type]


def test_dates_and_instants() -> None:
    assert sv.day(date(2026, 11, 26)) == "2026-11-26"
    assert sv.day("2026-11-26") == "2026-11-26"
    assert sv.day(None) == "–"
    # 01:13 UTC is 02:13 in Stockholm in winter, 03:13 in summer.
    assert sv.instant("2026-11-26T01:13:24.107719+00:00") == "2026-11-26 02:13"
    assert sv.instant(datetime(2026, 6, 1, 1, 13, tzinfo=UTC)) == "2026-06-01 03:13"
    assert sv.instant(datetime(2026, 6, 1, 1, 13)) == "2026-06-01 03:13"


def test_values_for_people() -> None:
    assert sv.value("planned", False) == "nej"
    assert sv.value("written", True) == "ja"
    assert sv.value("by", "bestallare") == "beställaren"
    assert sv.value("fte_allocation", {"Skäggetorp": "0.5", "Berga": "1"}) == "Skäggetorp 0,5; Berga 1,0"
    assert sv.value("amount", "10000000.00") == "10\u00a0000\u00a0000,00\u00a0kr"
    assert sv.value("percent", Decimal("2.5")) == "2,5\u00a0%"
    assert sv.value("expires_on", date(2027, 1, 31)) == "2027-01-31"
    assert sv.value("recorded_at", "2026-11-26T01:13:24+00:00") == "2026-11-26 02:13"
    assert sv.value("concerning_seqs", [3, 4]) == "post 3, post 4"
    assert sv.value("clauses", ["5.3", "2"]) == "5.3, 2"
    assert sv.value("signatories", [{"party": "utforare", "name": "A", "authorised": True}]) == (
        "A (utföraren, behörig)")
    assert sv.value("group_sessions", [{"minutes": 90, "participants": 6}]) == "90 min, 6 deltagare"
    assert sv.value("year", 2025) == "2025"
    assert sv.value("note", None) == "–"
    assert sv.value("type", "StaffingChanged") == "Bemanningsändring"
    for text in (sv.value("changes", {"fte_allocation": {"units": {"Valla": "1.0"}}}),
                 sv.value("outcomes", {"mal-1": "80"})):
        assert "{" not in text and "'" not in text

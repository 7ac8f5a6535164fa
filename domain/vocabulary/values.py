"""Any field's value as a person reads it: parties, money, dates, lists, sub-objects."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from domain.vocabulary.codes import DEVIATION_KINDS, NOTICE_KINDS, OBLIGATION_KINDS
from domain.vocabulary.formats import NOTHING, _decimal, day, instant, money, number, percent
from domain.vocabulary.labels import label

_PARTY_FIELDS = frozenset({"by", "holder", "party", "awaiting", "recorded_by"})
_MONEY_FIELDS = frozenset({
    "amount", "base_amount", "annual_amount", "monthly_amount", "per_fte_amount",
    "hourly_rate", "visitor_fee", "amount_before", "amount_after",
})
_PERCENT_FIELDS = frozenset({"percent"})
_DATE_FIELDS = frozenset({
    "effective_date", "expires_on", "due", "due_working_day", "justerat_on", "anslaget_on",
    "dated", "since", "until", "ends_on", "end_if_notice_today", "tracked_from", "raised_on",
    "in_force_from", "as_of", "given_on",
})
_INSTANT_FIELDS = frozenset({"recorded_at", "known_at", "signed_at"})
_SEQ_LIST_FIELDS = frozenset({"concerning_seqs", "seqs"})


def _fte(v: Any) -> str:
    parsed = _decimal(v)
    if parsed is None:
        return str(v)
    return number(parsed if parsed.as_tuple().exponent < 0 else parsed.quantize(Decimal("0.0")))


def _mapping(field: str, v: dict[str, Any]) -> str:
    scalars = not any(isinstance(item, dict | list) for item in v.values())
    if field in ("fte_allocation", "units") and scalars:
        return "; ".join(f"{unit} {_fte(fte)}" for unit, fte in v.items())
    if field == "outcomes" and scalars:
        return "; ".join(f"{target} {percent(p)}" for target, p in v.items())
    if field == "signatory" or {"party", "name"} <= set(v):
        who = f"{v.get('name')} ({label('party', str(v.get('party')))}"
        return who + (", behörig)" if v.get("authorised") else ", ej behörig)")
    if field in ("session", "group_session") or "minutes" in v:
        text = f"{number(v['minutes'])} min"
        return text + (f", {number(v['participants'])} deltagare" if "participants" in v else "")
    if {"section", "quote"} <= set(v):
        return f"{v['section']}: ”{v['quote']}”"
    return "; ".join(f"{label('field', str(key))}: {value(str(key), item)}" for key, item in v.items())


def redaction(data: dict[str, Any]) -> str | None:
    """What a gallrad entry's payload says of itself (docs/VERIFYING.md §2a), or None."""
    done = data.get("redacted")
    if not isinstance(done, dict):
        return None
    return f"gallrad enligt beslut {done.get('decision')}: innehållet är borttaget"


def value(field: str, v: object) -> str:
    """Any event (or obligation) field's value as a person reads it."""
    if v is None:
        return NOTHING
    if field == "redacted" and isinstance(v, dict):
        return f"enligt beslut {v.get('decision')} ({instant(v.get('redacted_at'))})"
    if isinstance(v, bool):
        return "ja" if v else "nej"
    if isinstance(v, dict):
        return _mapping(field, v) if v else NOTHING
    if isinstance(v, list | tuple | set | frozenset):
        if not v:
            return NOTHING
        if field in _SEQ_LIST_FIELDS:
            return ", ".join(f"post {item}" for item in v)
        singular = {"signatories": "signatory", "sessions": "session",
                    "group_sessions": "group_session"}.get(field, field)
        return ", ".join(value(singular, item) for item in v)
    if hasattr(v, "model_dump"):
        return value(field, v.model_dump(mode="json"))
    if field in _PARTY_FIELDS:
        return label("party", str(v))
    if field == "role":
        return label("role", str(v))
    if field == "type":
        return label("event", str(v))
    if field == "status":
        return label("status", str(v))
    if field == "kind":
        code = str(v)
        return OBLIGATION_KINDS.get(code) or DEVIATION_KINDS.get(code) or NOTICE_KINDS.get(code, code)
    if field in _MONEY_FIELDS:
        return money(v)  # type: ignore[arg-type]
    if field in _PERCENT_FIELDS:
        return percent(v)  # type: ignore[arg-type]
    if field in _INSTANT_FIELDS:
        return instant(v)  # type: ignore[arg-type]
    if field in _DATE_FIELDS or isinstance(v, date):
        return instant(v) if isinstance(v, datetime) else day(v)  # type: ignore[arg-type]
    if field in ("hours", "fte", "max_hours_per_year") and _decimal(v) is not None:  # type: ignore[arg-type]
        return f"{number(v)} h" if field != "fte" else _fte(v)  # type: ignore[arg-type]
    if isinstance(v, Decimal | float):
        return number(v)
    if isinstance(v, int):
        # Years, sequence numbers and counts: no thousands space in a year.
        return str(v) if field in ("year", "price_year") or field.endswith("seq") else number(v)
    return str(v)

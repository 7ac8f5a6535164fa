"""The formats people read: money, numbers, dates and instants.

Money "4 093 284,00 kr" and numbers "1 000", "7,5" with a no-break space (U+00A0) between
thousands, so a figure never wraps; dates ISO 8601 (the Swedish standard for documents);
instants in Europe/Stockholm to the minute.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")
NBSP = "\u00a0"
NOTHING = "–"
"""What a missing value reads as."""

def _decimal(value: Decimal | int | float | str) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        number_ = Decimal(str(value)) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError):
        return None
    return number_ if number_.is_finite() else None


def _group(digits: str) -> str:
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)]
    return NBSP.join(parts)


def number(value: Decimal | int | float | str) -> str:
    """'1 000', '7,5', '-0,25': decimal comma, thousands apart; the decimals as given."""
    parsed = _decimal(value)
    if parsed is None:
        return str(value)
    text = format(parsed, "f")
    sign = "-" if text.startswith("-") else ""
    whole, _, fraction = text.lstrip("-").partition(".")
    return f"{sign}{_group(whole)}" + (f",{fraction}" if fraction else "")


def money(amount: Decimal | str | None) -> str:
    """'4 093 284,00 kr': kronor with öre."""
    if amount is None:
        return NOTHING
    parsed = _decimal(amount)
    if parsed is None:
        return str(amount)
    return f"{number(parsed.quantize(Decimal('0.01')))}{NBSP}kr"


def day(value: date | str | None) -> str:
    """'2026-11-26' (ISO 8601 is the Swedish standard for dates in documents)."""
    if value is None:
        return NOTHING
    if isinstance(value, datetime):
        return value.astimezone(STOCKHOLM).date().isoformat() if value.tzinfo else value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value)[:10]).isoformat()
    except ValueError:
        return str(value)


def instant(value: datetime | str | None) -> str:
    """'2026-11-26 02:13': Stockholm time to the minute (a naive instant is UTC)."""
    if value is None:
        return NOTHING
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M")


def percent(value: Decimal | int | float | str) -> str:
    """'2,5 %'."""
    return f"{number(value)}{NBSP}%"

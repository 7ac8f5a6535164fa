"""Named bounds and strict types of event payloads (README, "Faults, limits and input bounds").

A count is an integer (not ``true`` or ``"7"``), a flag a boolean, a date ``YYYY-MM-DD``
within the years the contracts can mean; lists, maps and nested JSON have named limits.
Each is checked when an event is recorded by any way in (HTTP, ``ledger record``,
``ledger import``), never when a stored one is read back: what is stored stays readable.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Strict, ValidationInfo

StrictInt = Annotated[int, Strict()]
Flag = Annotated[bool, Strict()]

# The dates the contracts can mean: anything outside is a typing error, and the rules' date
# arithmetic (notice months, working days) stays far from the calendar's ends.
EARLIEST_DATE, LATEST_DATE = date(1990, 1, 1), date(2199, 12, 31)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

MAX_LIST_ITEMS = 1_000
MAX_MAP_ITEMS = 200
MAX_DEPTH = 16  # of an amendment's `changes`
MAX_CHANGES_LEAVES = 5_000


def _date_only(value: Any) -> Any:
    if isinstance(value, datetime) or (isinstance(value, str) and not _ISO_DATE.match(value)):
        raise ValueError("must be a date YYYY-MM-DD (not a date and time)")
    return value


def _in_range(value: date, info: ValidationInfo) -> date:
    if not (info.context and info.context.get("stored")) and not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValueError(f"must be a date from {EARLIEST_DATE} to {LATEST_DATE} (date_range)")
    return value


def _bounded_json(value: Any) -> Any:
    """Refuse a JSON value nested deeper than MAX_DEPTH or with more than MAX_CHANGES_LEAVES
    values, before anything recurses into it."""
    stack, leaves = [(value, 1)], 0
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ValueError(f"nested deeper than {MAX_DEPTH} levels (max_depth)")
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        for child in children:
            leaves += 1
            if leaves > MAX_CHANGES_LEAVES:
                raise ValueError(f"more than {MAX_CHANGES_LEAVES} values (max_values)")
            stack.append((child, depth + 1))
    return value


Day = Annotated[date, BeforeValidator(_date_only), AfterValidator(_in_range)]
BoundedJson = Annotated[dict[str, Any], BeforeValidator(_bounded_json)]

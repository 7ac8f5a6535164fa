"""The personal-data guard (DOMAIN.md §7): no personnummer or samordningsnummer in any text."""

from __future__ import annotations

import re

from personnummer import personnummer

# 10 or 12 digits with an optional - or + before the last four; not inside a longer number.
_CANDIDATE = re.compile(r"(?<![\d])(\d{6}|\d{8})([-+]?)(\d{4})(?![\d])")


def find_personnummer(text: str) -> str | None:
    """The first substring shaped like a valid personnummer/samordningsnummer, or None."""
    for match in _CANDIDATE.finditer(text):
        candidate = match.group(0)
        # The maintained validator checks the date (day + 60 for samordningsnummer)
        # and the Luhn check digit.
        if personnummer.valid(candidate):
            return candidate
    return None

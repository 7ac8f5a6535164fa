"""The personal-data guard (DOMAIN.md §7): no personnummer or samordningsnummer in any text."""

from __future__ import annotations

import re

from personnummer import personnummer

# 10 or 12 digits with an optional separator before the last four, in any form a person
# types or a word processor makes of it: hyphen, plus (over 100 years), en/em dash, the
# Unicode hyphens and minus, a space (also no-break), or a separator with spaces around it;
# not inside a longer number.
_DASHES = "\\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_CANDIDATE = re.compile(
    rf"(?<![\d])(\d{{6}}|\d{{8}})(?:[ \t\u00a0\u202f]{{0,2}}([+{_DASHES}])[ \t\u00a0\u202f]{{0,2}}"
    rf"|[ \t\u00a0\u202f]{{1,2}}|)(\d{{4}})(?![\d])")


def find_personnummer(text: str) -> str | None:
    """The first substring shaped like a valid personnummer/samordningsnummer, or None."""
    for match in _CANDIDATE.finditer(text):
        # Normalised to the form the validator knows: '+' kept (it moves the century), every
        # other separator read as '-'.
        candidate = f"{match.group(1)}{'+' if match.group(2) == '+' else '-'}{match.group(3)}"
        # The maintained validator checks the date (day + 60 for samordningsnummer)
        # and the Luhn check digit.
        if personnummer.valid(candidate):
            return match.group(0)
    return None

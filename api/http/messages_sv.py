"""Swedish validation messages, beside pydantic's English ones (``errors[].message_sv``).

Keyed by pydantic's error type (stable across versions) and filled from its ``ctx``; the
ledger's own validators raise English sentences, matched here by what they say. A type
not listed falls back to a general sentence, never to the English text alone.
"""

from __future__ import annotations

from typing import Any

from domain import vocabulary as sv

_BY_TYPE: dict[str, str] = {
    "missing": "fältet saknas",
    "extra_forbidden": "fältet finns inte här (stavfel, eller hör det till en annan händelse?)",
    "string_type": "ska vara text",
    "string_too_short": "ska vara minst {min_length} tecken",
    "string_too_long": "får vara högst {max_length} tecken",
    "string_pattern_mismatch": "har fel form (ska följa mönstret {pattern})",
    "int_type": "ska vara ett heltal",
    "int_parsing": "ska vara ett heltal",
    "int_from_float": "ska vara ett heltal",
    "float_type": "ska vara ett tal",
    "float_parsing": "ska vara ett tal",
    "finite_number": "ska vara ett ändligt tal",
    "decimal_type": "ska vara ett decimaltal, t.ex. \"1.5\"",
    "decimal_parsing": "ska vara ett decimaltal, t.ex. \"1.5\"",
    "decimal_max_digits": "får ha högst {max_digits} siffror",
    "decimal_max_places": "får ha högst {decimal_places} decimaler",
    "decimal_whole_digits": "får ha högst {whole_digits} siffror före decimaltecknet",
    "bool_type": "ska vara true eller false",
    "bool_parsing": "ska vara true eller false",
    "date_type": "ska vara ett datum (ÅÅÅÅ-MM-DD)",
    "date_parsing": "ska vara ett datum (ÅÅÅÅ-MM-DD)",
    "date_from_datetime_parsing": "ska vara ett datum (ÅÅÅÅ-MM-DD)",
    "date_from_datetime_inexact": "ska vara ett datum utan klockslag (ÅÅÅÅ-MM-DD)",
    "datetime_type": "ska vara en tidpunkt (ISO 8601 med tidszon)",
    "datetime_parsing": "ska vara en tidpunkt (ISO 8601 med tidszon)",
    "datetime_from_date_parsing": "ska vara en tidpunkt (ISO 8601 med tidszon)",
    "timezone_aware": "ska ha en tidszon, t.ex. +01:00 eller Z",
    "greater_than": "ska vara större än {gt}",
    "greater_than_equal": "ska vara minst {ge}",
    "less_than": "ska vara mindre än {lt}",
    "less_than_equal": "får vara högst {le}",
    "list_type": "ska vara en lista",
    "tuple_type": "ska vara en lista",
    "too_short": "ska ha minst {min_length} element",
    "too_long": "får ha högst {max_length} element",
    "dict_type": "ska vara ett objekt",
    "model_type": "ska vara ett objekt",
    "model_attributes_type": "ska vara ett objekt",
    "literal_error": "ska vara något av: {expected}",
    "enum": "ska vara något av: {expected}",
    "union_tag_invalid": "okänd händelsetyp {tag}; giltiga är {expected_tags}",
    "union_tag_not_found": "händelsetypen (type) saknas",
    "json_invalid": "är inte giltig JSON",
    "json_type": "är inte giltig JSON",
    "body_parsing": "kroppen kunde inte läsas (är den UTF-8-kodad JSON?)",
    "unknown_query_parameter": "okänd frågeparameter",
}

# The ledger's own validators (English sentences) by a phrase each contains.
_BY_PHRASE: tuple[tuple[str, str], ...] = (
    ("personnummer", "innehåller ett person- eller samordningsnummer; liggaren registrerar avtal, "
                     "inte personer, och det som skrivits i liggaren kan inte raderas (DOMAIN.md §7)"),
    ("NUL character", "innehåller ett NUL-tecken, som ingen databas kan lagra"),
    ("too large a number", "är ett för stort tal för att registreras"),
    ("finite number", "ska vara ett ändligt tal"),
    ("authorised signatory of both parties",
     "en ändring kräver en behörig undertecknare från båda parter"),
    ("must change at least one term", "en ändring måste ändra minst ett villkor"),
    ("must be a date between", "ska vara ett datum mellan 1900-01-01 och 2199-12-31"),
    ("send a JSON object", "skicka ett JSON-objekt med Content-Type: application/json"),
)


def message_sv(rule: str, message: str, ctx: dict[str, Any] | None = None) -> str:
    """The Swedish for one validation problem (pydantic's type ``rule``, its English ``message``)."""
    for phrase, swedish in _BY_PHRASE:
        if phrase in message:
            return swedish
    template = _BY_TYPE.get(rule)
    if template is None:
        return f"ogiltigt värde ({message})"
    values = {key: _value(value) for key, value in (ctx or {}).items()}
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        return template.split(" {", 1)[0]


def _value(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return sv.number(value)
    text = str(value)
    return text.replace(" or ", " eller ")

"""The stored-event transcoder: orjson for speed, the library's transcoding registry for exactness.

orjson alone would write dates and datetimes as bare strings and bring them back
as strings, and writes UUIDs, dataclasses and enums natively, bypassing any
registered transcoding; here every value that is not plain JSON goes through
the registry first and comes back tagged, exactly as the library's own
JSONTranscoder writes it, so every type survives the round trip and either
transcoder reads what the other wrote.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import orjson
from eventsourcing.persistence import JSONTranscoder, Transcoding

_PLAIN = frozenset({str, int, float, bool, type(None)})


class DateAsISO(Transcoding):
    """Transcoding that represents :class:`date` objects as ISO strings."""

    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class OrjsonTranscoder(JSONTranscoder):
    """JSONTranscoder with orjson underneath; same wire format, same registry."""

    def __init__(self) -> None:
        super().__init__()
        self.register(DateAsISO())

    def encode(self, obj: Any) -> bytes:
        return orjson.dumps(self._tag(obj))

    def decode(self, data: bytes) -> Any:
        return self._untag(orjson.loads(data))

    def _tag(self, value: Any) -> Any:
        # Mirrors json.JSONEncoder: str/int/float (and their subclasses), lists,
        # tuples and dicts are JSON; anything else must have a transcoding.
        kind = type(value)
        if kind in _PLAIN:
            return value
        if kind is dict:
            for item in value.values():
                if type(item) not in _PLAIN:
                    return {k: self._tag(v) for k, v in value.items()}
            return value
        if kind is list or kind is tuple:
            return [self._tag(v) for v in value]
        if isinstance(value, str):
            return str.__str__(value)
        if isinstance(value, int):
            return int.__int__(value)
        if isinstance(value, float):
            return float.__float__(value)
        if isinstance(value, dict):
            return {k: self._tag(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self._tag(v) for v in value]
        tagged = self._encode_obj(value)  # raises TranscodingNotRegisteredError if unknown
        tagged["_data_"] = self._tag(tagged["_data_"])
        return tagged

    def _untag(self, value: Any) -> Any:
        # Bottom-up like json's object_hook: a transcoding's data is decoded first.
        # orjson.loads made every container afresh, so they are updated in place.
        if type(value) is dict:
            for key, item in value.items():
                kind = type(item)
                if kind is dict or kind is list:
                    value[key] = self._untag(item)
            if len(value) == 2 and "_type_" in value and "_data_" in value:
                return self._decode_obj(value)
            return value
        if type(value) is list:
            for index, item in enumerate(value):
                kind = type(item)
                if kind is dict or kind is list:
                    value[index] = self._untag(item)
        return value

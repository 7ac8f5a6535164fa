"""The stored-event transcoder: orjson for speed, the library's transcoding registry for exactness.

orjson alone would write dates and datetimes as bare strings and bring them back
as strings; here they pass through to the registry and come back tagged, exactly
as the library's own JSONTranscoder does, so every type survives the round trip.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.persistence import JSONTranscoder, Transcoding

_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_SUBCLASS


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
        return orjson.dumps(_tag_uuids(obj), default=self._encode_obj, option=_OPTIONS)

    def decode(self, data: bytes) -> Any:
        return self._untag(orjson.loads(data))

    def _untag(self, value: Any) -> Any:
        if isinstance(value, dict):
            if len(value) == 2 and "_type_" in value and "_data_" in value:
                return self._decode_obj(value)
            return {k: self._untag(v) if isinstance(v, dict | list) else v
                    for k, v in value.items()}
        if isinstance(value, list):
            return [self._untag(v) if isinstance(v, dict | list) else v for v in value]
        return value


def _tag_uuids(value: Any) -> Any:
    # orjson serialises UUID natively (untagged); wrap them so they decode as UUIDs.
    if isinstance(value, dict):
        if any(isinstance(v, UUID | dict | list) for v in value.values()):
            return {k: _tag_uuids(v) for k, v in value.items()}
        return value
    if isinstance(value, list):
        return [_tag_uuids(v) for v in value]
    if isinstance(value, UUID):
        return {"_type_": "uuid_hex", "_data_": value.hex}
    return value

"""Request bounds, before any route runs: body size (413), header size (431), JSON in UTF-8.

Generic ASGI middleware: it knows no route, so every router (the API, the web pages)
gets the same bounds. The body is read here up to its limit and handed on whole, so a
route never sees more than ``LEDGER_MAX_BODY_BYTES``; a larger body is refused without
being read to its end. Each refusal names its limit (``rule``).
"""

from __future__ import annotations

import os

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.http.problems import problem_response
from domain import vocabulary

MAX_BODY_BYTES = 1_048_576  # a contract's registration with its terms is under 100 kB
MAX_HEADER_BYTES = 16_384  # all header names and values together
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def max_body_bytes() -> int:
    raw = os.environ.get("LEDGER_MAX_BODY_BYTES", "")
    return int(raw) if raw.isdigit() and int(raw) > 0 else MAX_BODY_BYTES


class RequestLimits:
    """Refuse what is over a named limit with problem+json; pass everything else on."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = scope["headers"]
        if sum(len(name) + len(value) for name, value in headers) > MAX_HEADER_BYTES:
            await self._refuse(scope, receive, send, 431, "Request header fields too large",
                               f"the request's headers are over {MAX_HEADER_BYTES} bytes",
                               rule="max_header_bytes", limit=MAX_HEADER_BYTES)
            return
        limit = max_body_bytes()
        declared = next((value for name, value in headers if name == b"content-length"), None)
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await self._too_large(scope, receive, send, limit)
            return
        if scope["method"] in ("GET", "HEAD", "OPTIONS", "DELETE") and declared in (None, b"0"):
            await self.app(scope, receive, send)
            return
        body = bytearray()
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > limit:
                await self._too_large(scope, receive, send, limit)
                return
        content_type = next((v for n, v in headers if n == b"content-type"), b"").lower()
        if b"json" in content_type and (body.startswith(_BOMS) or b"\x00" in body[:4]):
            await self._refuse(scope, receive, send, 422, "Invalid request",
                               "nothing was written; body: JSON must be UTF-8 without a byte "
                               "order mark (RFC 8259)", rule="utf8_json", field="body")
            return
        await self.app(scope, _replay(bytes(body), receive), send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        await self._refuse(scope, receive, send, 413, "Content too large",
                           f"nothing was written; the body is over {limit} bytes "
                           "(LEDGER_MAX_BODY_BYTES)", rule="max_body_bytes", field="body",
                           limit=limit)

    @staticmethod
    async def _refuse(scope: Scope, receive: Receive, send: Send, status: int, title: str,
                      detail: str, *, rule: str, field: str | None = None,
                      limit: int | None = None) -> None:
        detail_sv = vocabulary.problem(rule, limit=vocabulary.number(limit) if limit else None)
        errors = ([{"field": field, "rule": rule, "message": detail, "message_sv": detail_sv}]
                  if field else None)
        response = problem_response(status, title, detail, rule=rule, field=field, errors=errors,
                                    request=Request(scope), headers={"Connection": "close"},
                                    detail_sv=detail_sv)
        await response(scope, receive, send)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # a disconnect, when the client goes

    return replay

"""Every refusal as application/problem+json (RFC 9457), through one mapping table.

Domain refusals (``LedgerError``) carry their status, title, rule and field;
request validation, unknown routes and the last-resort handler are translated
here, so a client always gets the same shape: ``type``, ``title``, ``status``,
``detail``, ``instance``, the ``rule`` and ``field`` where there is one, and
for validation errors an ``errors`` list of ``{field, rule, message}``.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.http.messages_sv import message_sv
from domain import vocabulary
from domain.errors import InvalidEvent, LedgerError

log = logging.getLogger("ledger.http")

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "urn:verksamhetsuppdrag-ledger:problem:"


class Unauthenticated(LedgerError):
    status = 401
    title = "Not authenticated"
    rule = "bearer_token"


class InvalidRequest(LedgerError):
    """Malformed input outside the event body: headers, parameters."""

    status = 422
    title = "Invalid request"
    rule = "request"


class NotAcceptable(LedgerError):
    status = 406
    title = "Not acceptable"
    rule = "accept"


# --- the problem document ------------------------------------------------------------


class FieldProblem(BaseModel):
    field: str = Field(description="The offending field in plain words, e.g. 'note' or 'If-Match'")
    rule: str = Field(description="The rule it broke, e.g. 'missing' or 'date_from_datetime_parsing'")
    message: str
    message_sv: str | None = Field(None, description="The same in Swedish, for people")


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str = Field(examples=[f"{TYPE_BASE}expected_version"])
    title: str
    status: int
    detail: str
    instance: str | None = None
    rule: str | None = None
    field: str | None = None
    clause: str | None = None
    errors: list[FieldProblem] | None = None
    detail_sv: str = Field(description="The detail in Swedish, for people (from the one vocabulary, "
                           "domain/vocabulary/)")
    request_id: str | None = None
    written: bool | None = Field(None, description="On a 503 to a write: whether the event was "
                                 "written (then also its seq, version and location)")


def problem_response(status: int, title: str, detail: str, *, rule: str, request: Request | None,
                     field: str | None = None, clause: str | None = None,
                     errors: list[dict[str, str]] | None = None,
                     headers: dict[str, str] | None = None, detail_sv: str | None = None,
                     extra: dict[str, Any] | None = None) -> Response:
    """The problem document; ``detail_sv`` defaults to the vocabulary's sentence for ``rule``."""
    request_id = _request_id(request)
    detail_sv = detail_sv or vocabulary.problem(rule, field=field, request_id=request_id)
    page = _page(request, status, rule, detail_sv, headers)
    if page is not None:
        return page
    body: dict[str, Any] = {"type": TYPE_BASE + rule, "title": title, "status": status,
                            "detail": detail}
    if request is not None:
        body["instance"] = request.url.path
    body["rule"] = rule
    for key, value in (("field", field), ("clause", clause), ("errors", errors),
                       ("detail_sv", detail_sv)):
        if value:
            body[key] = value
    body.update(extra or {})
    if request_id:
        body["request_id"] = request_id
    return Response(orjson.dumps(body), status_code=status, media_type=PROBLEM_JSON,
                    headers=headers)


def _page(request: Request | None, status: int, rule: str, detail_sv: str,
          headers: dict[str, str] | None) -> Response | None:
    """The web pages' Swedish error page where the request was for a page (``api.web`` sets
    ``app.state.problem_page``; the API knows nothing of the pages)."""
    app = request.scope.get("app") if request is not None else None
    render = getattr(getattr(app, "state", None), "problem_page", None)
    return render(request, status, rule, detail_sv, headers) if render else None


# --- field names in plain words -------------------------------------------------------

_FIELD_IN_MESSAGE = re.compile(r"^(?:field '(?P<quoted>[^']+)'|(?P<bare>[a-z_][\w.]*):)")


def field_problems(errors: Any) -> list[dict[str, str]]:
    """Pydantic error dicts → ``{field, rule, message}`` with the field as a client names it."""
    problems = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())]
        source = loc[0] if loc and loc[0] in {"body", "query", "path", "header"} else None
        if source:
            loc = loc[1:]
        # Drop the discriminated union's tag (the event type) pydantic puts in the path.
        loc = [part for part in loc if not part[:1].isupper() or source == "header"]
        kind = str(error.get("type", "invalid"))
        if kind == "json_invalid":
            loc = []  # its location is a character offset, not a field
        elif kind in ("union_tag_invalid", "union_tag_not_found"):
            loc = [*loc, "type"]
        message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
        named = _FIELD_IN_MESSAGE.match(message)
        if named:
            loc = [named.group("quoted") or named.group("bare")]
        field = ".".join(loc) or ("body" if source in (None, "body") else source)
        problems.append({"field": field, "rule": kind, "message": message,
                         "message_sv": message_sv(kind, message, error.get("ctx"))})
    return problems


# --- handlers: the one mapping table ----------------------------------------------------


def _ledger_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, LedgerError)
    errors = getattr(error, "errors", None) or None
    headers = None
    if isinstance(error, Unauthenticated):
        headers = {"WWW-Authenticate": 'Bearer realm="ledger"'
                   + (', error="invalid_token"' if error.rule == "valid_token" else "")}
    if error.status >= 500:
        log.error("refusal %s with status %s (request %s): %s", error.rule, error.status,
                  _request_id(request), error.detail)
    return problem_response(error.status, error.title, error.detail, rule=error.rule,
                            request=request, field=error.field, clause=error.clause,
                            errors=errors, headers=headers)


def _validation_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    raw = error.errors()
    problems = field_problems(raw)
    in_body = any(e.get("loc", ("",))[0] == "body" for e in raw)
    content_type = request.headers.get("content-type", "")
    if in_body and problems[0]["field"] == "body" and "json" not in content_type:
        problems[0]["message"] = (f"send a JSON object with Content-Type: application/json "
                                  f"(got {content_type[:60] or 'no Content-Type'})")
        problems[0]["message_sv"] = message_sv("body", problems[0]["message"])
    detail = "; ".join(f"{p['field']}: {p['message']}" for p in problems[:5])
    if request.method not in ("GET", "HEAD"):
        detail = f"nothing was written; {detail}"
    first = problems[0]["field"] if len({p["field"] for p in problems}) == 1 else None
    detail_sv = "; ".join(f"{p['field']}: {p['message_sv']}" for p in problems[:5])
    if request.method not in ("GET", "HEAD"):
        detail_sv = f"inget registrerades; {detail_sv}"
    return problem_response(422, InvalidEvent.title if in_body else InvalidRequest.title, detail,
                            rule="validation", request=request, field=first, errors=problems,
                            detail_sv=detail_sv)


def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, StarletteHTTPException)
    if error.status_code == 400:
        # The framework's "error parsing the body" (e.g. not UTF-8): malformed input, as API.md says.
        body_sv = message_sv("body_parsing", "")
        return problem_response(422, InvalidEvent.title, f"nothing was written; body: {error.detail}",
                                rule="validation", request=request, field="body",
                                detail_sv=f"inget registrerades; body: {body_sv}",
                                errors=[{"field": "body", "rule": "body_parsing",
                                         "message": str(error.detail),
                                         "message_sv": body_sv}])
    titles = {404: "Not found", 405: "Method not allowed"}
    detail = str(error.detail)
    if error.status_code == 404 and detail == "Not Found":
        detail = f"no such resource: {request.method} {request.url.path}"
    return problem_response(error.status_code, titles.get(error.status_code, "HTTP error"), detail,
                            rule=f"http_{error.status_code}", request=request,
                            headers=getattr(error, "headers", None))


def _unexpected(request: Request, error: Exception) -> Response:
    request_id = _request_id(request)
    log.error("unexpected error in %s %s (request %s)", request.method, request.url.path,
              request_id, exc_info=error)
    return problem_response(500, "Internal error",
                            f"an unexpected error occurred; quote request id {request_id}",
                            rule="internal", request=request,
                            headers={"X-Request-ID": request_id or ""})


HANDLERS: dict[type[Exception], Callable[[Request, Exception], Response]] = {
    LedgerError: _ledger_error,
    RequestValidationError: _validation_error,
    StarletteHTTPException: _http_error,
    Exception: _unexpected,
}


def install(app: FastAPI) -> None:
    """Register the problem handlers and the request-id middleware on ``app``."""
    for exception, handler in HANDLERS.items():
        app.add_exception_handler(exception, handler)
    app.add_middleware(RequestIdMiddleware)


# --- request ids --------------------------------------------------------------------------

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def _request_id(request: Request | None) -> str | None:
    if request is None:
        return None
    return request.scope.get("state", {}).get("request_id")


access_log = logging.getLogger("ledger.access")


class RequestIdMiddleware:
    """Give every request an id (the client's ``X-Request-ID`` if sane), echoed in the response,
    and write one access log line per request with that id: method, path, status, time. Never
    the query string (a feed token may travel there), headers or bodies."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"x-request-id"),
                        "")
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id

        status = 500  # what the client sees if the app fails before it answers
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            client = (scope.get("client") or ("-",))[0]
            access_log.info("%s %s %s %d %.1fms request_id=%s", client, scope["method"],
                            scope["path"][:200], status, (time.perf_counter() - started) * 1000,
                            request_id)


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the problem responses a route may give."""
    descriptions = {400: "Bad request", 401: "No valid bearer token", 403: "The role may not do this",
                    404: "Unknown contract or entry", 406: "Not acceptable",
                    409: "Stale If-Match or impossible in the ledger's terms",
                    413: "Over a named size limit", 422: "Malformed input",
                    503: "Storage unavailable or read models behind; see Retry-After and written"}
    return {status: {"model": Problem, "description": descriptions[status],
                     "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}}
            for status in statuses}

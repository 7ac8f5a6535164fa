"""What every page shares: the templates with the Swedish vocabulary, the visitor, errors as pages.

Refusals raised while a page is made (``LedgerError``) become an HTML page with the status the
API would give, not problem+json: ``PageRoute`` catches them for the web router only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from fastapi import Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.routing import Match

from api import settings
from api.http.auth import RECORDING_ROLES
from api.http.deps import Services
from api.http.faults import RETRY_AFTER, is_storage_error
from api.web.session import CSRF_FIELD, Sessions, Visitor, csrf_valid, load_or_create_secret
from domain import vocabulary
from domain.errors import LedgerError

HERE = Path(__file__).parent
log = logging.getLogger("ledger.web")
STOCKHOLM = ZoneInfo("Europe/Stockholm")


class SignInRequired(Exception):
    """The page needs a signed-in visitor."""


class PageError(LedgerError):
    """A refusal shown as a page (its detail is Swedish already)."""

    status = 400
    title = "Det gick inte"


@cache
def templates() -> Environment:
    env = Environment(loader=FileSystemLoader(HERE / "templates"),
                      autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
    env.filters.update(money=vocabulary.money, day=vocabulary.day, instant=vocabulary.instant,
                       number=vocabulary.number, percent=vocabulary.percent)
    env.globals.update(label=vocabulary.label, value=vocabulary.value, vocabulary=vocabulary,
                       iso_instant=iso_instant, quote=quote)
    return env


def iso_instant(value: datetime) -> str:
    """An instant as a known_at parameter: Stockholm time with offset, to the microsecond."""
    return value.astimezone(STOCKHOLM).isoformat()


def services(request: Request) -> Services:
    return request.app.state.services  # type: ignore[no-any-return]


def sessions(request: Request) -> Sessions:
    """The session codec; its secret is read (or created) on first use, once the environment
    of ``create_app``'s caller is in place."""
    state = request.app.state
    if getattr(state, "web_sessions", None) is None:
        state.web_sessions = Sessions(load_or_create_secret())
    return state.web_sessions  # type: ignore[no-any-return]


def visitor(request: Request) -> Visitor:
    """The visitor, read once per request."""
    found = getattr(request.state, "visitor", None)
    if found is None:
        found = sessions(request).visitor(request, services(request))
        request.state.visitor = found
    return found  # type: ignore[no-any-return]


def signed_in(request: Request) -> Visitor:
    """The signed-in visitor; SignInRequired (→ the sign-in page) otherwise."""
    found = visitor(request)
    if found.actor is None:
        raise SignInRequired
    return found


async def checked_form(request: Request) -> dict[str, Any]:
    """The posted form as a dict (lists for repeated names); 403 page without the session's CSRF."""
    form = await request.form()
    data: dict[str, Any] = {}
    for key, item in form.multi_items():
        if isinstance(item, str):
            data.setdefault(key, []).append(item)
    flat = {key: items[0] if len(items) == 1 else items for key, items in data.items()}
    if not csrf_valid(visitor(request), flat.get(CSRF_FIELD)):
        raise PageError("Formuläret saknar giltig säkerhetskod (CSRF). Ladda om sidan och försök "
                        "igen.", rule="csrf")
    return flat


def nav(who: Visitor) -> list[tuple[str, str]]:
    items = [("/", "Översikt"), ("/att-gora", "Att göra"), ("/granskning", "Granskning")]
    return items if who.actor else []


def may_record(who: Visitor) -> bool:
    return who.role in RECORDING_ROLES


def page(request: Request, template: str, *, title: str, status: int = 200,
         **context: Any) -> HTMLResponse:
    """Render a page for the visitor (sets the session cookie of a new visitor)."""
    who = visitor(request)
    body = templates().get_template(template).render(
        request=request, who=who, title=title, csrf=who.csrf, csrf_field=CSRF_FIELD, nav=nav(who),
        may_record=may_record(who), today=settings.today(), path=request.url.path, **context)
    response = HTMLResponse(body, status_code=status)
    response.headers["Cache-Control"] = "no-store"
    response.headers.update(SECURITY_HEADERS)
    sessions(request).keep(request, response, who)
    return response


# Only this site's own files run or style the pages, and no other site may frame them.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; "
                               "img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; "
                               "base-uri 'none'",
    "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin",
}

_STATUS_TITLES = {400: "Felaktig begäran", 401: "Inte inloggad", 403: "Inte tillåtet",
                  404: "Finns inte", 405: "Inte tillåtet", 406: "Kan inte visas", 409: "Konflikt",
                  413: "För stort", 415: "Fel format", 422: "Felaktiga uppgifter",
                  431: "För stort", 500: "Fel", 503: "Tillfälligt otillgänglig"}


def error_page(request: Request, error: LedgerError) -> HTMLResponse:
    """A refusal as a page in Swedish; the rule stays visible for whoever reports it."""
    detail = error.detail if isinstance(error, PageError) else vocabulary.problem(
        error.rule, field=error.field, request_id=request.scope.get("state", {}).get("request_id"))
    return page(request, "error.html", title=_STATUS_TITLES.get(error.status, "Fel"),
                status=error.status, detail=detail, rule=error.rule)


def problem_page(request: Request, status: int, rule: str, detail_sv: str,
                 headers: dict[str, str] | None = None) -> HTMLResponse:
    """A problem met outside a page's own code (the store down, a body over its limit) as a
    Swedish page. Read without the session: the trouble may be the very store it would ask."""
    body = templates().get_template("error.html").render(
        request=request, who=Visitor(csrf=""), title=_STATUS_TITLES.get(status, "Fel"),
        nav=[], may_record=False, today=settings.today(), path=request.url.path,
        detail=detail_sv, rule=rule)
    response = HTMLResponse(body, status_code=status, headers=headers)
    response.headers["Cache-Control"] = "no-store"
    response.headers.update(SECURITY_HEADERS)
    return response


def page_for_problem(request: Request, status: int, rule: str, detail_sv: str,
                     headers: dict[str, str] | None = None) -> HTMLResponse | None:
    """``problem_page`` where the request was for a page, else None (problem+json stays)."""
    return problem_page(request, status, rule, detail_sv, headers) if wants_page(request) else None


PAGE_ROUTES: list[APIRoute] = []
"""Every page's route (``api.web.install`` fills it), to know a page before routing has run."""


def wants_page(request: Request) -> bool:
    """Whether a problem with ``request`` should be a page: it is for one of the pages (or for
    no route at all, from a browser asking for HTML first), not for the API."""
    route = request.scope.get("route")
    if isinstance(route, PageRoute):
        return True
    if route is not None:
        return False
    # Before routing (the request limits), or no route matched.
    if any(page.matches(request.scope)[0] is not Match.NONE for page in PAGE_ROUTES):
        return True
    return request.headers.get("accept", "").startswith("text/html")


def sign_in_redirect(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/logga-in?nasta={quote(target, safe='')}", status_code=303)


class PageRoute(APIRoute):
    """Routes whose refusals are pages: sign-in redirects and Swedish error pages."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except SignInRequired:
                return sign_in_redirect(request)
            except LedgerError as error:
                return error_page(request, error)
            except Exception as error:
                if not (is_storage_error(error) or isinstance(error, TimeoutError)):
                    raise
                log.warning("503 on page %s: %s", request.url.path, type(error).__name__)
                return problem_page(request, 503, "storage_unavailable",
                                    vocabulary.problem("storage_unavailable"),
                                    headers={"Retry-After": str(RETRY_AFTER)})

        return handle


def parse_day(text: str | None, field: str, errors: dict[str, str]) -> date | None:
    """A YYYY-MM-DD from a form or query; the Swedish error is put under ``field``."""
    if not text:
        return None
    try:
        found = date.fromisoformat(text.strip())
    except ValueError:
        errors[field] = "Skriv ett datum som ÅÅÅÅ-MM-DD, till exempel 2025-06-30."
        return None
    if not date(1900, 1, 1) <= found <= date(2199, 12, 31):
        errors[field] = "Datumet måste ligga mellan 1900-01-01 och 2199-12-31."
        return None
    return found


def parse_instant(text: str | None, field: str, errors: dict[str, str]) -> datetime | None:
    """An instant from a form: ISO 8601, or 'ÅÅÅÅ-MM-DD TT:MM[:SS]' in Stockholm time."""
    if not text:
        return None
    try:
        found = datetime.fromisoformat(text.strip().replace(" ", "T", 1))
    except ValueError:
        errors[field] = "Skriv en tidpunkt som ÅÅÅÅ-MM-DD TT:MM (svensk tid), t.ex. 2025-06-02 09:30."
        return None
    if found.tzinfo is None:
        found = found.replace(tzinfo=STOCKHOLM)
    if not 1900 <= found.year <= 2199:
        errors[field] = "Tidpunkten måste ligga mellan år 1900 och 2199."
        return None
    return found

"""Logga in with a token on a form (→ a signed session cookie), and logga ut."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.web.common import PageRoute, checked_form, page, services, sessions

router = APIRouter(route_class=PageRoute, include_in_schema=False)


def _next(target: object) -> str:
    """Only a path on this site (never another host) to go on to after signing in."""
    text = target if isinstance(target, str) else ""
    parts = urlsplit(text)
    if not text.startswith("/") or text.startswith("//") or parts.scheme or parts.netloc:
        return "/"
    return text


@router.get("/logga-in", response_class=HTMLResponse)
def sign_in_form(request: Request) -> Response:
    """The sign-in form."""
    return page(request, "signin.html", title="Logga in",
                next=_next(request.query_params.get("nasta")), errors={})


@router.post("/logga-in", response_class=HTMLResponse)
async def sign_in(request: Request) -> Response:
    """Check the token; on success a new session, then on to the page asked for."""
    form = await checked_form(request)
    token = form.get("token")
    target = _next(form.get("nasta"))
    if not isinstance(token, str) or not token.strip():
        return page(request, "signin.html", title="Logga in", next=target, status=422,
                    errors={"token": "Fyll i din token."})
    response = RedirectResponse(target, status_code=303)
    actor = sessions(request).sign_in(request, response, services(request), token)
    if actor is None:
        return page(request, "signin.html", title="Logga in", next=target, status=401,
                    errors={"token": "Token är inte giltig (okänd eller återkallad)."})
    return response


@router.post("/logga-ut")
async def sign_out(request: Request) -> Response:
    """End the session."""
    await checked_form(request)
    response = RedirectResponse("/logga-in?utloggad=1", status_code=303)
    sessions(request).sign_out(request, response)
    return response

"""The web pages for people (Swedish, server-rendered) and the local Swagger UI at /docs."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles

from api.web import contract, drafts, lists, record, signin
from api.web.common import HERE, PAGE_ROUTES, page_for_problem

STATIC = "/static"


def install(app: FastAPI) -> None:
    """Mount the pages, their static files and /docs (Swagger UI served from here, no CDN)."""
    for module in (signin, lists, contract, record, drafts):
        app.include_router(module.router)
        PAGE_ROUTES.extend(r for r in module.router.routes if isinstance(r, APIRoute)
                           and r not in PAGE_ROUTES)
    app.state.problem_page = page_for_problem  # problems met on a page's way are pages too
    app.mount(STATIC, StaticFiles(directory=HERE / "static"), name="static")

    @app.get("/docs", include_in_schema=False)
    def docs(request: Request) -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json", title=f"{app.title} – API",
            swagger_js_url=f"{STATIC}/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url=f"{STATIC}/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url=f"{STATIC}/vendor/swagger-ui/favicon-32x32.png")

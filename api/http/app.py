"""The application factory: one ledger, one set of read models and their runner per process."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from api import settings
from api.http import faults, problems
from api.http.auth import TokenStore
from api.http.deps import Services
from api.http.effects import Evaluations, History
from api.http.limits import RequestLimits
from api.http.routes import contracts, documents, events, ledger, reads
from domain.storage import Database

DESCRIPTION = """\
The compliance ledger of Linköpings kommun's verksamhetsuppdrag with Leanlink.

Every request but `GET /health` carries `Authorization: Bearer <token>`
(`ledger token create --role ROLE --name NAME`). Errors are
`application/problem+json`. Dates are `YYYY-MM-DD`, instants ISO 8601 with an
offset, money a decimal string in kronor with two decimals.
"""


def create_app(database: Database | None = None, *, tokens_file: Path | None = None) -> FastAPI:
    """The API over ``database`` (default: ``LEDGER_DATABASE_URL``) and the tokens file."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from projections.reads import ReadModels
        from projections.runner import ReadModelRunner

        db = database or settings.database()
        # The runner's ledger is the one ledger of this process: on SQLite its polling
        # subscription is woken at once by this process's own appends (domain.polling).
        runner = ReadModelRunner(db, today=settings.today)
        try:
            ledger_app = runner.ledger
            app.state.services = Services(
                ledger=ledger_app, runner=runner,
                reads=ReadModels(db, today=settings.today, ledger=ledger_app),
                tokens=TokenStore(tokens_file or settings.tokens_file()),
                history=History(ledger_app.entries), evaluations=Evaluations(),
            )
            yield
        finally:
            if hasattr(app.state, "services"):
                app.state.services.reads.close()
            runner.close()

    app = FastAPI(title="Verksamhetsuppdrag ledger", version="0.1.0", description=DESCRIPTION,
                  lifespan=lifespan)
    app.add_middleware(RequestLimits)  # inside the request-id middleware problems adds
    problems.install(app)
    faults.install(app)
    for module in (ledger, contracts, events, reads, documents):
        app.include_router(module.router)
    return app

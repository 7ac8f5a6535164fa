"""The application factory: one ledger, one set of read models and their runner per process."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI

from api import settings, web
from api.http import faults, problems
from api.http.auth import TokenStore
from api.http.deps import Services, known_query
from api.http.effects import Evaluations, History
from api.http.limits import RequestLimits
from api.http.routes import contracts, documents, drafts, events, ledger, legal, reads
from domain.storage import Database

DESCRIPTION = """\
The compliance ledger of Linköpings kommun's verksamhetsuppdrag with Leanlink.

Every request but `GET /health` carries `Authorization: Bearer <token>`
(`ledger token create --role ROLE --name NAME`). Errors are
`application/problem+json`. Dates are `YYYY-MM-DD`, instants ISO 8601 with an
offset, money a decimal string in kronor with two decimals. An unknown query
parameter is refused (422). Objects people read carry an `sv` block: the Swedish
names of their codes (`kind`, `holder`, `status`, `type`, ...), from the one
vocabulary in `domain/vocabulary/`; the codes and field names stay as API.md
fixes them. Every problem carries a Swedish `detail_sv`, and validation errors a
Swedish `message_sv` beside `message`.
The calendar and the dossier also take a read-only feed token as `?token=`.
"""


def create_app(database: Database | None = None, *, tokens_file: Path | None = None) -> FastAPI:
    """The API over ``database`` (default: ``LEDGER_DATABASE_URL``) and the tokens file."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from projections.reads import ReadModels
        from projections.runner import ReadModelRunner
        from projections.worker import ExternalProjection, projector_mode

        db = database or settings.database()
        runner: ReadModelRunner | ExternalProjection
        if projector_mode() == "external":
            # A `ledger project` worker keeps the read models; this process only waits on them.
            from domain.ledger import Ledger

            shared = Ledger.open(db)
            shared.others_append = True  # other API processes may serve the same contracts
            runner = ExternalProjection(db, shared)
        else:
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
                  lifespan=lifespan, dependencies=[Depends(known_query)],
                  docs_url=None)  # /docs: api.web, Swagger UI served locally
    app.add_middleware(RequestLimits)  # inside the request-id middleware problems adds
    problems.install(app)
    faults.install(app)
    for module in (ledger, contracts, drafts, events, reads, documents, legal):
        app.include_router(module.router)
    web.install(app)
    return app


def served_app() -> FastAPI:
    """The API of a serving process (``ledger serve``), with shorter garbage-collection pauses
    (``api.gcpauses``; not in ``create_app``, which tests call hundreds of times)."""
    from api import gcpauses

    gcpauses.install()
    return create_app()

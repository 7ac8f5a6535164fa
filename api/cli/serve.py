"""``ledger serve``: the HTTP API under uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer

from api.cli.app import app, handles_errors


@app.command()
@handles_errors
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on", min=1, max=65535)] = 8000,
) -> None:
    """Run the HTTP API (interactive docs at /docs)."""
    import uvicorn

    from api.http import create_app
    from api.http.limits import MAX_HEADER_BYTES
    from api.settings import database
    from domain.ledger import Ledger

    # The store must answer once before serving: else one line and exit 6, not a traceback
    # from inside the server. (Later outages are 503s and heal by themselves.)
    from projections.runner import close_view, open_view

    db = database()
    Ledger.open(db).close()
    close_view(open_view(db))
    uvicorn.run(create_app(), host=host, port=port, log_level="info", access_log=False,
                h11_max_incomplete_event_size=MAX_HEADER_BYTES)

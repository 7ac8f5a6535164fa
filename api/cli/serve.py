"""``ledger serve``: the HTTP API under uvicorn."""

from __future__ import annotations

import copy
from typing import Annotated

import typer

from api.cli.app import app


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on", min=1, max=65535)] = 8000,
) -> None:
    """Run the HTTP API (interactive docs at /docs)."""
    import uvicorn

    from api.http import create_app

    # uvicorn's own access log would print query strings, where a feed token may travel;
    # the app writes one line per request to "ledger.access" instead (with the request id).
    config = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    config["loggers"]["ledger"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    uvicorn.run(create_app(), host=host, port=port, log_level="info", access_log=False,
                log_config=config)

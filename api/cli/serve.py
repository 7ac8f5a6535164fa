"""``ledger serve``: the HTTP API under uvicorn; ``ledger project``: the projection worker."""

from __future__ import annotations

import copy
import os
import signal
import threading
from typing import Annotated

import typer

from api.cli.app import EXIT_INVALID, app, err, handles_errors

WORKER_HEALTHCHECK_SECONDS = 60  # uvicorn kills a worker silent this long (a hung one: after a minute)


@app.command()
@handles_errors
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on", min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(
        help="API processes (uvicorn workers); more than one needs a `ledger project` worker",
        min=1, max=64)] = 1,
    projector: Annotated[str | None, typer.Option(
        help="inprocess: this process keeps the read models; external: a `ledger project` "
             "worker does [env LEDGER_PROJECTOR; default inprocess]")] = None,
) -> None:
    """Run the HTTP API (interactive docs at /docs)."""
    import uvicorn

    from projections.worker import projector_mode

    if projector is not None:
        os.environ["LEDGER_PROJECTOR"] = projector  # read by each worker process, spawned after
    mode = projector_mode()
    if workers > 1 and mode != "external":
        err.print("[red]error[/red] (projector_mode): --workers above 1 needs LEDGER_PROJECTOR=external "
                  "(or --projector external) and a running `ledger project`", highlight=False)
        raise typer.Exit(EXIT_INVALID)
    from api.http.limits import MAX_HEADER_BYTES
    from api.settings import database
    from domain.ledger import Ledger
    from projections.runner import close_view, open_view

    # The store must answer once before serving: else one line and exit 6, not a traceback
    # from inside the server. (Later outages are 503s and heal by themselves.)
    db = database()
    Ledger.open(db).close()
    close_view(open_view(db))
    # uvicorn's own access log would print query strings, where a feed token may travel;
    # the app writes one line per request to "ledger.access" instead (with the request id).
    config = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    config["loggers"]["ledger"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    if workers == 1:
        from api.http.app import served_app

        uvicorn.run(served_app(), host=host, port=port, log_level="info", access_log=False,
                    log_config=config, h11_max_incomplete_event_size=MAX_HEADER_BYTES)
    else:
        # Workers are separate processes: uvicorn imports the factory in each (a module that
        # does not import the CLI). Its health check gives a worker 5 s to answer, and on a busy
        # machine starting one took longer (10 s seen at load 20): each was killed and started
        # again, over and over, with one worker left serving.
        uvicorn.run("api.http.app:served_app", factory=True, host=host, port=port, workers=workers,
                    timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
                    log_level="info", access_log=False, log_config=config,
                    h11_max_incomplete_event_size=MAX_HEADER_BYTES)


@app.command()
@handles_errors
def project(
    check: Annotated[bool, typer.Option(
        "--check", help="Exit 0 if some worker holds the projector lock, else 1 (a healthcheck)")] = False,
) -> None:
    """Keep the read models current in this process until SIGTERM. Several may run: one projects
    (it holds the projector lock), the others wait to take over."""
    from api import settings
    from projections.worker import run_worker, someone_projects

    if check:
        held = someone_projects(settings.database())
        print("projector: " + ("a worker projects" if held else "no worker projects"))
        raise typer.Exit(0 if held else 1)

    # On SQLite nothing wakes this process when an API process appends: poll every 5 ms.
    os.environ.setdefault("LEDGER_POLL_INTERVAL", "0.005")
    from api import gcpauses

    gcpauses.install()  # its pauses would be the read-your-writes waits of every API process
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    database = settings.database()

    last = ""

    def said(state: str) -> None:
        nonlocal last
        if state != last:  # a line per change, flushed: a supervisor's log shows who projects
            print(f"projector: {state} ({database.engine})", flush=True)
            last = state

    run_worker(database, today=settings.today, stop=stop, on_state=said)

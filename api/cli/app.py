"""The ``ledger`` command: shared app, error handling and output helpers."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from functools import wraps
from typing import Any, ParamSpec, TypeVar

import orjson
import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from domain import vocabulary as sv
from domain.errors import LedgerError

app = typer.Typer(
    name="ledger",
    help="The verksamhetsuppdrag compliance ledger.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
token_app = typer.Typer(help="API tokens.", no_args_is_help=True)
app.add_typer(token_app, name="token")

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

# Exit codes a script can test.
EXIT_INVALID = 2  # malformed input (HTTP 422)
EXIT_NOT_FOUND = 3  # unknown contract or entry (404)
EXIT_CONFLICT = 4  # impossible act or stale version (409)
EXIT_FORBIDDEN = 5  # role may not do this (403)
EXIT_FAILED = 1  # verification failed, or another refusal
EXIT_UNAVAILABLE = 6  # storage unreachable, or a file that cannot be read or written (503)
EXIT_CONFIGURATION = 7  # a setting is wrong (LEDGER_DATABASE_URL, ...)

P = ParamSpec("P")
R = TypeVar("R")


def exit_code(error: LedgerError) -> int:
    if error.rule in {"configuration", "sqlite_url", "postgres_url", "database_url",
                      "storage_timeout"}:
        return EXIT_CONFIGURATION
    return {422: EXIT_INVALID, 404: EXIT_NOT_FOUND, 409: EXIT_CONFLICT, 403: EXIT_FORBIDDEN,
            503: EXIT_UNAVAILABLE}.get(error.status, EXIT_FAILED)


def describe_validation(error: ValidationError) -> list[str]:
    """One plain line per problem, in Swedish: the field, then what rule it broke."""
    from api.http.messages_sv import message_sv

    lines = []
    for problem in error.errors():
        loc = [str(p) for p in problem["loc"]]
        # Drop the union tag pydantic puts first for discriminated unions.
        if loc and loc[0][:1].isupper():
            loc = loc[1:]
        message = problem["msg"].removeprefix("Value error, ")
        # A model-wide check names its field in its message ("field 'note' ..." or "note: ..."); a
        # union's tag is "type".
        named = re.match(r"(?:field '([a-z_][a-z0-9_.]*)'|([a-z_][a-z0-9_.]*):) ", message)
        where = (".".join(loc) or ("type" if problem["type"].startswith("union_tag") else None)
                 or (named.group(1) or named.group(2) if named else "body"))
        lines.append(f"{where}: {message_sv(problem['type'], message, problem.get('ctx'))}")
    return lines


def handles_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Turn refusals into a message on stderr and an exit code; no tracebacks."""

    @wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except LedgerError as error:
            # The Swedish sentence of the rule first (as problem+json's detail_sv), then the
            # ledger's own detail, which names values the sentence does not.
            where = f", {sv.label('field', error.field)}" if error.field else ""
            err.print(f"[red]avvisat[/red] ({error.rule}{where}): {sv.problem(error.rule)} "
                      f"– {error.detail}", highlight=False)
            raise typer.Exit(exit_code(error)) from None
        except ValidationError as error:
            for line in describe_validation(error):
                err.print(f"[red]ogiltigt[/red] {line}", highlight=False)
            err.print("inget registrerades", highlight=False)
            raise typer.Exit(EXIT_INVALID) from None
        except Exception as error:
            if not is_unavailable(error):
                raise
            err.print(f"[red]fel[/red] (storage_unavailable): lagringen svarar inte: {one_line(error)}",
                      highlight=False)
            raise typer.Exit(EXIT_UNAVAILABLE) from None

    return wrapper


def is_unavailable(error: BaseException) -> bool:
    """Storage unreachable or a file not readable or writable: one line, exit 6, no traceback."""
    import sqlite3

    import psycopg
    from eventsourcing.persistence import IntegrityError, PersistenceError

    if isinstance(error, IntegrityError):
        return False
    return isinstance(error, PersistenceError | sqlite3.Error | psycopg.Error | OSError)


def one_line(error: BaseException) -> str:
    """The error's first line, with any password in a URL masked."""
    from domain.storage import mask_secrets

    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    if isinstance(error, OSError) and error.filename:
        text = f"{error.filename}: {error.strerror or text}"
    return mask_secrets(text)[:400]


class MissingDatabase(LedgerError):
    """A command that reads or checks the ledger, pointed at a database that is not there."""

    status = 404
    title = "No such database"
    rule = "database_exists"


def existing_database(*, create: bool = False) -> Any:
    """The configured database; unless ``create`` (seed, migrate, import, terms register), refuse
    one that does not exist yet rather than create an empty one (where 'verify' would say 'ok')."""
    import os

    from api.settings import database

    db = database()
    if not create and db.engine == "sqlite" and not db.path.exists():
        raise MissingDatabase(
            f"no ledger database at {db.path.resolve()} (LEDGER_DATABASE_URL="
            f"{os.environ.get('LEDGER_DATABASE_URL', 'unset, so sqlite:///./var/ledger.db')}); "
            "run from the directory that holds var/, set LEDGER_DATABASE_URL, or create one "
            "with 'ledger seed' or 'ledger migrate'", field="LEDGER_DATABASE_URL")
    return db


@contextmanager
def opened_ledger(*, create: bool = False) -> Iterator[Any]:
    from domain.ledger import Ledger

    ledger = Ledger.open(existing_database(create=create))
    try:
        yield ledger
    finally:
        ledger.close()


def jsonable(value: Any) -> Any:
    return orjson.loads(orjson.dumps(value, default=_default))


def _default(value: Any) -> Any:
    from decimal import Decimal

    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    raise TypeError(type(value).__name__)


def print_json(value: Any) -> None:
    sys.stdout.write(orjson.dumps(value, default=_default,
                                  option=orjson.OPT_INDENT_2).decode() + "\n")


_WHOLE = re.compile(r"^(\d{4}-\d\d-\d\d( \d\d:\d\d(:\d\d)?)?|[0-9a-f]{8,16}|\d+)$")
"""Cells never broken: dates, instants, short hashes and numbers (ids, seqs)."""


def print_table(title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """A table that fits the terminal (COLUMNS, 80 when not a terminal): text wraps between
    words; dates, instants, hashes and numbers are never cut or broken."""
    cells = [[_cell(v) for v in row] for row in rows]
    whole, minimum = [], []
    for i, column in enumerate(columns):
        values = [row[i] for row in cells if i < len(row)]
        fixed = bool(values) and all(_WHOLE.match(v) or v == "—" for v in values)
        whole.append(fixed)
        if fixed:
            minimum.append(max(len(v) for v in [*values, column]))
        else:
            # Not narrower than its longest word (up to 22), so words stay whole where they fit.
            minimum.append(min(22, max((len(w) for v in [*values, column] for w in v.split()),
                                       default=1)))
    # Borders and padding take 3 per column and 1; what is left is shared by the text columns.
    console = _console()
    spare = console.width - 3 * len(columns) - 2 - sum(m for m, f in zip(minimum, whole, strict=True) if f)
    text = sum(m for m, f in zip(minimum, whole, strict=True) if not f)
    squeezed = text > spare > 0
    while text > max(spare, 0) and squeezed:
        # Too narrow for every word: the widest text column gives way first (rich would not
        # go below a column's longest word without a maximum), so only the longest words fold.
        widest = max((i for i, f in enumerate(whole) if not f), key=lambda i: minimum[i])
        if minimum[widest] <= 6:
            break
        minimum[widest] -= 1
        text -= 1
    table = Table(title=title, show_lines=False)
    for column, fixed, width in zip(columns, whole, minimum, strict=True):
        table.add_column(column, no_wrap=fixed, min_width=width, overflow="fold",
                         max_width=width if squeezed and not fixed else None)
    for row in cells:
        table.add_row(*row)
    console.print(table)


def _console() -> Console:
    """``out``, or where stdout is no terminal a console as wide as COLUMNS says now (``out``
    read the environment once, at import)."""
    if out.is_terminal:
        return out
    import shutil

    return Console(soft_wrap=True, width=shutil.get_terminal_size((80, 24)).columns)


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)

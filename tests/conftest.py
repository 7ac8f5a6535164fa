"""Fixtures every test may use: a fresh database on each backend, a ledger on it, builders.

``database`` runs a test on SQLite and on a throwaway PostgreSQL 15 cluster
(one per xdist worker, or ``LEDGER_TEST_POSTGRES_URL``). If the cluster cannot
start, PostgreSQL tests are skipped with the reason, or fail when ``CI=true``.
The session ends with a line naming the backends the suite really ran against.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from domain.ledger import Ledger
from domain.rules.history import History
from domain.storage import Database
from tests.support.builders import seed
from tests.support.postgres import (
    Cluster,
    ClusterError,
    Server,
    create_database,
    drop_database,
    external_server,
)

BACKENDS = ("sqlite", "postgres")

# Every rule family run in the tests may read only the entry types it declares (READS):
# incremental judging re-runs a family only for those types, so an undeclared read fails.
History.check_reads = True


# --- PostgreSQL -------------------------------------------------------------------


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"PostgreSQL is required in CI: {reason}", pytrace=False)
    pytest.skip(f"PostgreSQL unavailable: {reason}")


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[Cluster | Server]:
    """This session's (this xdist worker's) throwaway cluster, or the external server."""
    url = os.environ.get("LEDGER_TEST_POSTGRES_URL")
    if url:
        server = external_server(url)
        try:
            server.connect().close()
        except Exception as error:  # any failure means "cannot use it"
            _unavailable(f"LEDGER_TEST_POSTGRES_URL: {error}")
        yield server
        return
    cluster = Cluster()
    try:
        cluster.start()
    except ClusterError as error:
        cluster.stop()
        _unavailable(str(error))
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def postgres_server(postgres_cluster: Cluster | Server) -> Server:
    """A PostgreSQL server for this session (this xdist worker)."""
    return postgres_cluster.server if isinstance(postgres_cluster, Cluster) else postgres_cluster


def _sqlite(tmp_path: Path) -> Database:
    return Database.from_url(f"sqlite:///{tmp_path / 'ledger.db'}")


@pytest.fixture
def sqlite_database(tmp_path: Path) -> Database:
    """A fresh, empty SQLite database file."""
    return _sqlite(tmp_path)


@pytest.fixture
def postgres_database(postgres_server: Server) -> Iterator[Database]:
    """A fresh, empty PostgreSQL database, dropped after the test."""
    name = create_database(postgres_server)
    try:
        yield Database.from_url(postgres_server.url(name))
    finally:
        drop_database(postgres_server, name)


@pytest.fixture(params=BACKENDS)
def database(request: pytest.FixtureRequest) -> Database:
    """A fresh, empty database on each backend (ids: sqlite, postgres)."""
    if request.param == "sqlite":
        return _sqlite(request.getfixturevalue("tmp_path"))
    return request.getfixturevalue("postgres_database")  # type: ignore[no-any-return]


@pytest.fixture
def ledger(database: Database) -> Iterator[Ledger]:
    """A ledger on a fresh database, closed after the test."""
    app = Ledger.open(database)
    try:
        yield app
    finally:
        app.close()


@pytest.fixture
def seeded_ledger(ledger: Ledger) -> Ledger:
    """A ledger with the four catalogue contracts registered, as ``ledger seed`` does."""
    seed(ledger)
    return ledger


# --- which backends ran -----------------------------------------------------------


def _backend(item: pytest.Item) -> str | None:
    callspec = getattr(item, "callspec", None)
    if callspec is not None and callspec.params.get("database") in BACKENDS:
        return str(callspec.params["database"])
    names = getattr(item, "fixturenames", ())
    if "postgres_database" in names or "postgres_server" in names:
        return "postgres"
    if "sqlite_database" in names:
        return "sqlite"
    return None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        backend = _backend(item)
        if backend:
            item.user_properties.append(("backend", backend))
        if backend == "postgres":
            item.add_marker(pytest.mark.postgres)


_ran: set[str] = set()
_skipped: dict[str, str] = {}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    backend = dict(report.user_properties).get("backend")
    if not backend:
        return
    if report.when == "call":
        _ran.add(backend)
    elif report.skipped and backend not in _skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        lines = [line.strip() for line in str(reason).removeprefix("Skipped: ").splitlines()]
        _skipped[backend] = " ".join(line for line in lines if line)[:300]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not (_ran or _skipped):
        return
    ran = [b for b in BACKENDS if b in _ran]
    line = "backends: " + (", ".join(ran) or "none")
    not_run = [b for b in BACKENDS if b not in _ran and b in _skipped]
    if not_run:
        line += " (not run: " + "; ".join(f"{b}: {_skipped[b]}" for b in not_run) + ")"
    terminalreporter.write_line(line)


@pytest.fixture
def target(database: Database, request: pytest.FixtureRequest,
           tmp_path: Path) -> Iterator[Database]:
    """A second empty database on the same backend as ``database`` (its own folder on SQLite,
    so a test reading the source's files byte by byte does not read the target's)."""
    if database.engine == "sqlite":
        (tmp_path / "target").mkdir()
        yield Database.from_url(f"sqlite:///{tmp_path / 'target' / 'target.db'}")
        return
    server = request.getfixturevalue("postgres_server")
    name = create_database(server)
    try:
        yield Database.from_url(server.url(name))
    finally:
        drop_database(server, name)

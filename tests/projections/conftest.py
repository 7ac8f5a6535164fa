"""Local fixtures: more fresh databases on the backend of the test (for property tests)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from domain.storage import Database
from tests.support.postgres import create_database, drop_database


@pytest.fixture
def fresh_database(database: Database, request: pytest.FixtureRequest,
                   tmp_path: Path) -> Iterator[Callable[[], Database]]:
    """A factory of fresh, empty databases on the backend of ``database``."""
    created: list[str] = []
    counter = itertools.count()
    server = request.getfixturevalue("postgres_server") if database.engine == "postgres" else None

    def make() -> Database:
        if server is None:
            folder = tmp_path / f"example-{next(counter)}"
            folder.mkdir()
            return Database.from_url(f"sqlite:///{folder / 'ledger.db'}")
        name = create_database(server)
        created.append(name)
        return Database.from_url(server.url(name))

    yield make
    for name in created:
        drop_database(server, name)

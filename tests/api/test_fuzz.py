"""Schemathesis against the app's own OpenAPI: no server errors, no response off its schema.

Every operation, a fixed seed, a bounded number of examples; SQLite. POSTs of
events are sent with a token of a role that may record the generated type, so
that the write path itself is exercised, not only the 403.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api import tokens
from api.http import create_app
from domain.events import RECORDERS
from domain.ledger import Ledger
from domain.storage import Database
from tests.api.conftest import ROLES, TODAY
from tests.support.builders import seed

pytestmark = pytest.mark.slow

CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance,
          content_type_conformance, response_headers_conformance]


@pytest.fixture(scope="module")
def fuzz_tokens(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    root: Path = tmp_path_factory.mktemp("fuzz")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LEDGER_TODAY", TODAY)
        patch.setenv("LEDGER_SIGNING_KEY_FILE", str(root / "signing-key.pem"))
        path = root / "tokens.json"
        patch.setenv("LEDGER_TOKENS_FILE", str(path))
        database = Database.from_url(f"sqlite:///{root / 'ledger.db'}")
        ledger = Ledger.open(database)
        try:
            seed(ledger)
        finally:
            ledger.close()
        issued = {role: tokens.create(path, role=role, name=f"fuzz-{role}") for role in ROLES}
        issued["_database"] = str(root / "ledger.db")
        yield issued


@pytest.fixture(scope="module")
def fuzz_app(fuzz_tokens: dict[str, str]) -> FastAPI:
    return create_app(Database.from_url(f"sqlite:///{fuzz_tokens['_database']}"))


# The OpenAPI document needs no database: building the app opens nothing until its lifespan.
schema = schemathesis.openapi.from_dict(create_app().openapi())


def _role_for(case: schemathesis.Case) -> str:
    body = case.body if isinstance(case.body, dict) else {}
    allowed = RECORDERS.get(body.get("type")) if isinstance(body.get("type"), str) else None
    if case.method == "POST" and case.path.endswith("/events") and allowed:
        return sorted(allowed)[0]
    return "admin"


@schema.parametrize()
@settings(max_examples=30, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_no_server_errors_and_no_schema_violations(case: schemathesis.Case, fuzz_app: FastAPI,
                                                   fuzz_tokens: dict[str, str]) -> None:
    token = fuzz_tokens[_role_for(case)]
    response = case.call(app=fuzz_app, headers={"Authorization": f"Bearer {token}"})
    case.validate_response(response, checks=CHECKS)

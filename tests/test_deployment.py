"""docker-compose.yml, Dockerfile, Makefile and CI, as far as a parser can check them (no engine here)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_runs_api_and_postgres_15_with_healthchecks(compose: dict) -> None:
    services = compose["services"]
    assert services["db"]["image"] == "postgres:15"
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    assert "/health" in " ".join(services["api"]["healthcheck"]["test"])


def test_tables_are_created_by_a_one_shot_step_before_the_api_starts(compose: dict) -> None:
    services = compose["services"]
    assert services["migrate"]["command"] == ["ledger", "migrate"]
    assert services["migrate"]["restart"] == "no"
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    api_deps = services["api"]["depends_on"]
    assert api_deps["migrate"]["condition"] == "service_completed_successfully"
    assert api_deps["db"]["condition"] == "service_healthy"
    assert services["api"]["environment"]["LEDGER_CREATE_TABLES"] == "false"
    assert "LEDGER_CREATE_TABLES" not in services["migrate"]["environment"]


def test_api_and_migrate_use_postgres_through_the_documented_url(compose: dict) -> None:
    for name in ("api", "migrate"):
        url = compose["services"][name]["environment"]["LEDGER_DATABASE_URL"]
        assert url.startswith("postgresql://") and "@db:5432/" in url


def test_no_secret_is_written_in_the_compose_file(compose: dict) -> None:
    text = (ROOT / "docker-compose.yml").read_text()
    assert re.search(r"POSTGRES_PASSWORD:\s*\$\{POSTGRES_PASSWORD:\?", text)
    assert "change-me" not in text
    example = (ROOT / ".env.example").read_text()
    assert "POSTGRES_PASSWORD=" in example
    assert ".env" in (ROOT / ".gitignore").read_text().split()


def test_dockerfile_ships_every_package_and_serves_the_api() -> None:
    text = (ROOT / "Dockerfile").read_text()
    for package in ("domain", "projections", "api"):
        assert f"COPY {package} ./{package}" in text
    assert '"ledger", "serve"' in text
    assert "USER ledger" in text


def test_ci_calls_make_test_and_nothing_cleverer() -> None:
    lines = [line for line in (ROOT / ".ci" / "run").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    assert lines[-1].strip() == "make test"


def test_makefile_run_seeds_prints_a_token_and_serves() -> None:
    text = (ROOT / "Makefile").read_text()
    run = text.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "ledger seed" in run and "token create" in run and "ledger serve" in run

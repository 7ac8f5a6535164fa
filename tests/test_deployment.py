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


LEDGER_SERVICES = ("migrate", "seed", "projector", "api")


def order(compose: dict) -> list[str]:
    """The services in an order compose may start them (each after what it depends on)."""
    services, done = compose["services"], []
    while len(done) < len(services):
        ready = [n for n, s in services.items()
                 if n not in done and all(d in done for d in s.get("depends_on", {}))]
        assert ready, "depends_on has a cycle"
        done += sorted(ready)
    return done


def test_compose_starts_db_migrate_seed_then_projector_and_api(compose: dict) -> None:
    services, started = compose["services"], order(compose)
    assert set(LEDGER_SERVICES) | {"db"} == set(services)
    assert started.index("db") < started.index("migrate") < started.index("seed") < started.index("api")
    assert started.index("migrate") < started.index("projector") < started.index("api")
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    for one_shot, after in (("migrate", None), ("seed", "migrate")):
        assert services[one_shot]["restart"] == "no"
        if after:
            assert services[one_shot]["depends_on"][after]["condition"] == "service_completed_successfully"
    assert services["api"]["depends_on"]["seed"]["condition"] == "service_completed_successfully"
    assert services["projector"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert [services[n]["command"][:2] for n in LEDGER_SERVICES] == [
        ["ledger", "migrate"], ["ledger", "seed"], ["ledger", "project"], ["ledger", "serve"]]
    assert "--workers" in services["api"]["command"]


def test_one_image_named_once_and_built_once(compose: dict) -> None:
    text = (ROOT / "docker-compose.yml").read_text()
    services = compose["services"]
    images = {services[n]["image"] for n in LEDGER_SERVICES}
    assert len(images) == 1 and text.count(images.pop()) == 1
    assert [n for n, s in services.items() if "build" in s] == ["migrate"]
    assert services["migrate"]["pull_policy"] == "build"
    # The others never try a registry for it: they run what migrate built.
    assert all(services[n]["pull_policy"] == "never" for n in ("seed", "projector", "api"))


def test_every_ledger_service_shares_the_run_volume_and_one_environment(compose: dict) -> None:
    services = compose["services"]
    envs = [services[n]["environment"] for n in LEDGER_SERVICES]
    assert all(e == envs[0] for e in envs)
    env = envs[0]
    url = env["LEDGER_DATABASE_URL"]
    assert url.startswith("postgresql://") and "@db:5432/" in url
    assert env["LEDGER_CREATE_TABLES"] == "false"  # only `ledger migrate` creates tables
    assert env["LEDGER_PROJECTOR"] == "external"  # the projector service projects, the API waits
    mounts = {services[n]["volumes"][0] for n in LEDGER_SERVICES}
    assert mounts == {"ledger-run:/run/ledger"} and "ledger-run" in compose["volumes"]
    for key in ("LEDGER_TOKENS_FILE", "LEDGER_SIGNING_KEY_FILE"):
        assert env[key].startswith("/run/ledger/")
    # The volume takes the image directory's owner: the user the services run as.
    docker = (ROOT / "Dockerfile").read_text()
    assert "chown ledger:ledger /run/ledger" in docker and "USER ledger" in docker


def test_healthchecks_ask_for_readiness(compose: dict) -> None:
    services = compose["services"]
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    assert "/health/ready" in " ".join(services["api"]["healthcheck"]["test"])
    assert services["projector"]["healthcheck"]["test"] == ["CMD", "ledger", "project", "--check"]
    assert all("healthcheck" not in services[n] for n in ("migrate", "seed"))  # one-shots


def test_no_secret_is_written_and_the_example_password_is_refused(compose: dict) -> None:
    text = (ROOT / "docker-compose.yml").read_text()
    # Every use of the password requires it set and non-empty (compose's ${VAR:?...}).
    uses = re.findall(r"\$\{POSTGRES_PASSWORD([^}]*)\}", text)
    assert uses and all(u.startswith(":?") for u in uses)
    example = dict(line.split("=", 1) for line in (ROOT / ".env.example").read_text().splitlines()
                   if line and not line.startswith("#"))
    assert example["POSTGRES_PASSWORD"] == ""  # unchanged, compose refuses to start
    assert ".env" in (ROOT / ".gitignore").read_text().split()
    up = (ROOT / "Makefile").read_text().split("\nup:", 1)[1].split("\n\n", 1)[0]
    assert "POSTGRES_PASSWORD" in up and ".env.example" in up and "docker compose up" in up


def test_dockerfile_installs_the_lock_ships_every_package_and_the_pdf_font() -> None:
    text = (ROOT / "Dockerfile").read_text()
    for package in ("domain", "projections", "api"):
        assert f"COPY {package} ./{package}" in text
    assert "pip install --require-hashes -r requirements.lock" in text
    assert "pip install --no-deps" in text
    assert "fonts-dejavu-core" in text
    assert '"ledger", "serve"' in text


def test_make_installs_from_the_lock_and_checks_it_first() -> None:
    text = (ROOT / "Makefile").read_text()
    install = text.split("\n$(STAMP):", 1)[1].split("\n\n", 1)[0]
    assert "tools/lock.py check" in install
    assert install.index("tools/lock.py check") < install.index("--require-hashes -r $(LOCK)")
    assert "--no-deps" in install and "-e ." in install
    assert "\nlock:" in text and "tools/lock.py write" in text
    assert "lock-check" in text.split("\ntest:", 1)[1].split("\n", 1)[0]


def test_ci_calls_make_test_and_nothing_cleverer() -> None:
    lines = [line for line in (ROOT / ".ci" / "run").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    assert lines[-1].strip() == "make test"


def test_makefile_run_seeds_prints_a_token_and_serves() -> None:
    text = (ROOT / "Makefile").read_text()
    run = text.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "ledger seed" in run and "token create" in run and "ledger serve" in run

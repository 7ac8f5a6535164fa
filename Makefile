# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
LOCK   := requirements.lock
UV_VERSION := 0.13.8
HOST   ?= 127.0.0.1
PORT   ?= 8000
export LEDGER_DATABASE_URL ?= sqlite:///./var/ledger.db
export LEDGER_TOKENS_FILE ?= ./var/tokens.json

.PHONY: install system lock lock-check run test lint bench bench-anchor bench-scale up soak clean

# What the dossier's PDF needs from the system: Pango (WeasyPrint's layout), the DejaVu
# fonts it embeds, and poppler-utils for the tests that read the PDF back (pdftotext).
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core poppler-utils

# The venv holds exactly the lock's versions (hash-checked), then the project itself, editable,
# built offline with the lock's setuptools. A lock older than pyproject.toml's requirements stops
# here with the names that differ: run `make lock`.
$(STAMP): pyproject.toml $(LOCK) tools/lock.py
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed (set PYTHON=...)"; exit 1; }
	@$(MAKE) --no-print-directory system
	@$(PYTHON) tools/lock.py check
	$(PYTHON) -m venv --clear $(VENV)  # nothing left over from an older lock
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $(STAMP)

install: $(STAMP)

## The system packages above, with apt where they are missing (as root, or say so).
system:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "installing $$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
				--no-install-recommends $$missing >/dev/null; \
		else echo "warning: install these system packages for the PDF dossier: $$missing"; fi; \
	fi
## Regenerate requirements.lock from pyproject.toml (after adding or changing a dependency);
## pins that still fit are kept. `make lock UPGRADE=1` moves everything to the newest releases.
lock:
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/uv --version 2>/dev/null | grep -q ' $(UV_VERSION)' || \
		$(BIN)/python -m pip install --quiet 'uv==$(UV_VERSION)'
	$(PYTHON) tools/lock.py write $(BIN)/uv $(if $(UPGRADE),--upgrade)

lock-check:
	@$(PYTHON) tools/lock.py check

## Seed the four contracts, print an admin token, serve the API on SQLite.
run: $(STAMP)
	@mkdir -p var
	$(BIN)/ledger seed
	@token=$$($(BIN)/ledger token create --role admin --name "make run" --reuse var/make-run.token); \
	echo; echo "Administratörens token (sparas i var/make-run.token och återanvänds; återkalla med 'ledger token revoke'):"; \
	echo "  $$token"; echo; \
	echo "Prova: curl -H 'Authorization: Bearer $$token' http://$(HOST):$(PORT)/contracts"; \
	echo "Webbsidor: http://$(HOST):$(PORT)/  (logga in med token ovan)"; \
	echo "API-dokumentation: http://$(HOST):$(PORT)/docs"; echo
	$(BIN)/ledger serve --host $(HOST) --port $(PORT)

## Debian's chromium for the page tests (Playwright drives it; its own browser download is not used).
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

## The whole suite against SQLite and a throwaway PostgreSQL, then lint.
test: lock-check $(STAMP) $(CHROMIUM)
	$(BIN)/ruff check .
	$(BIN)/pytest -n 2 -q -p no:cacheprovider

lint: $(STAMP)
	$(BIN)/ruff check .

## Benchmarks (not part of the test suite): figures and ratios against targets.
bench: $(STAMP)
	$(BIN)/python -m bench

## API appends beside the naive anchor (../shared/bench), SQLite and PostgreSQL; results in bench/results/.
bench-anchor: $(STAMP)
	$(BIN)/python -m bench.bench_anchor

## Issue 16's scaling figures (also part of `make bench`): the reads curve over 10k/100k/1M stored
## events, two API processes + a worker vs one, rebuild while serving. Ledgers cached in var/bench/;
## about 15 minutes with the cache, 20-40 more the first time (see README, "Scaling").
bench-scale: $(STAMP)
	$(BIN)/python -m bench.bench_reads
	$(BIN)/python -m bench.bench_scaleout
	$(BIN)/python -m bench.bench_rebuild

## Docker: PostgreSQL and the ledger. Refuses a missing .env or the example's (empty) password.
up:
	@test -f .env || { echo "error: no .env; cp .env.example .env and set POSTGRES_PASSWORD"; exit 1; }
	@pw=$$(sed -n 's/^POSTGRES_PASSWORD=//p' .env | tail -n 1); \
	example=$$(sed -n 's/^POSTGRES_PASSWORD=//p' .env.example | tail -n 1); \
	if [ -z "$$pw" ] || [ "$$pw" = "$$example" ] || [ "$$pw" = change-me ]; then \
		echo "error: set a password of your own as POSTGRES_PASSWORD in .env"; exit 1; fi; \
	case "$$pw" in *[!A-Za-z0-9]*) echo "error: POSTGRES_PASSWORD: letters and digits only (it goes into a URL)"; exit 1;; esac
	docker compose up
## kill -9 cycles under load on SQLite and a throwaway PostgreSQL; report in bench/results/.
soak: $(STAMP)
	$(BIN)/python -m bench.soak --cycles $${SOAK_CYCLES:-20}

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info

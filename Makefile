# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000
export LEDGER_DATABASE_URL ?= sqlite:///./var/ledger.db
export LEDGER_TOKENS_FILE ?= ./var/tokens.json

.PHONY: install run test lint bench soak clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

## Seed the four contracts, print an admin token, serve the API on SQLite.
run: $(STAMP)
	@mkdir -p var
	$(BIN)/ledger seed
	@token=$$($(BIN)/ledger token create --role admin --name "make run $$(date +%F)"); \
	echo; echo "Admin token (shown once; only its hash is stored in $(LEDGER_TOKENS_FILE)):"; \
	echo "  $$token"; echo; \
	echo "Try:  curl -H 'Authorization: Bearer $$token' http://$(HOST):$(PORT)/contracts"; \
	echo "Docs: http://$(HOST):$(PORT)/docs"; echo
	$(BIN)/ledger serve --host $(HOST) --port $(PORT)

## The whole suite against SQLite and a throwaway PostgreSQL, then lint.
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/pytest -n 2 -q -p no:cacheprovider

lint: $(STAMP)
	$(BIN)/ruff check .

## Benchmarks (not part of the test suite): figures and ratios against targets.
bench: $(STAMP)
	$(BIN)/python -m bench

## kill -9 cycles under load on SQLite and a throwaway PostgreSQL; report in bench/results/.
soak: $(STAMP)
	$(BIN)/python -m bench.soak --cycles $${SOAK_CYCLES:-20}

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info

# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000
export LEDGER_DATABASE_URL ?= sqlite:///./var/ledger.db
export LEDGER_TOKENS_FILE ?= ./var/tokens.json

.PHONY: install system run test lint bench clean

# What the dossier's PDF needs from the system: Pango (WeasyPrint's layout), the DejaVu
# fonts it embeds, and poppler-utils for the tests that read the PDF back (pdftotext).
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core poppler-utils

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed (set PYTHON=...)"; exit 1; }
	@$(MAKE) --no-print-directory system
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
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

## Seed the four contracts, print an admin token, serve the API on SQLite.
run: $(STAMP)
	@mkdir -p var
	$(BIN)/ledger seed
	@token=$$($(BIN)/ledger token create --role admin --name "make run" --reuse var/make-run.token); \
	echo; echo "Admin token (kept in var/make-run.token and reused; revoke with 'ledger token revoke'):"; \
	echo "  $$token"; echo; \
	echo "Try:  curl -H 'Authorization: Bearer $$token' http://$(HOST):$(PORT)/contracts"; \
	echo "Docs: http://$(HOST):$(PORT)/docs"; echo
	$(BIN)/ledger serve --host $(HOST) --port $(PORT)

## Debian's chromium for the page tests (Playwright drives it; its own browser download is not used).
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

## The whole suite against SQLite and a throwaway PostgreSQL, then lint.
test: $(STAMP) $(CHROMIUM)
	$(BIN)/ruff check .
	$(BIN)/pytest -n 2 -q -p no:cacheprovider

lint: $(STAMP)
	$(BIN)/ruff check .

## Benchmarks (not part of the test suite): figures and ratios against targets.
bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info

# Kennisbank: every task starts from a fresh machine. `make serve` and `make test` set up
# what they need (.venv with pinned packages; Debian's chromium for the browser tests).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup check build serve test lint typecheck unit chromium clean

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation \
	  --config-settings editable_mode=compat -e .
	touch $(STAMP)

## Validate all documents (Dutch messages, PATH:LINE: field: message).
check: $(STAMP)
	$(BIN)/kennisbank check

## Build the complete site into site/.
build: $(STAMP)
	$(BIN)/mkdocs build --strict --clean

## Build and serve the site at http://127.0.0.1:8000, reloading on every change.
serve: $(STAMP)
	$(BIN)/mkdocs serve --strict -a 127.0.0.1:8000

## Debian's Chromium for the browser tests (never a browser download).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "Chromium ontbreekt: installeer het Debian-pakket 'chromium' (sudo apt-get install chromium)." >&2; exit 1; \
	  fi; }

lint: $(STAMP)
	$(BIN)/ruff check kennisbank hooks scripts tests

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest -q -m "not browser"

## The whole suite: lint, types, unit, build and browser tests.
test: $(STAMP) chromium lint typecheck
	$(BIN)/pytest -q

clean:
	rm -rf site .pytest_cache .mypy_cache .ruff_cache

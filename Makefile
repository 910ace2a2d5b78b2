# Kennisbank: every task starts from a fresh machine. `make serve` and `make test` set up
# what they need (.venv with pinned packages; Debian's chromium for the browser tests).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup check build serve cms cms-screenshots test lint typecheck unit fuzz chromium nginx pdf-libs clean docs

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

## Metadata tables of the editor guide (content/redactiegids.md) and docs/metadata.md,
## generated from the JSON Schemas; a test fails while they are out of date.
docs: $(STAMP)
	$(BIN)/python scripts/field_tables.py
	$(BIN)/kennisbank schema --write

## Build the complete site into site/ (with a PDF of every document: WeasyPrint's libraries
## and the PDF font, an npm package, are installed first).
build: $(STAMP) pdf-libs node_modules
	$(BIN)/python scripts/build.py

## Build and serve the site at http://127.0.0.1:8000, reloading on every change. --dirty:
## after the first build only changed pages are rendered again (see mkdocs_adapter.py).
## --no-strict: a preview never stops at a problem; it keeps the last good site and shows
## the problems (and MkDocs' warnings) on every page; `make build` stays strict.
serve: $(STAMP) pdf-libs node_modules
	$(BIN)/mkdocs serve --no-strict --dirty -a 127.0.0.1:8000

## The preview with the browser CMS at http://127.0.0.1:8000/admin/: its local backend,
## decap-server (npm), writes what staff save straight into this folder (port 8081, loopback
## only) and stops with the preview. See docs/editing.md.
cms: $(STAMP) pdf-libs node_modules
	PORT=8081 BIND_HOST=127.0.0.1 GIT_REPO_DIRECTORY=$(CURDIR) node_modules/.bin/decap-server & \
	  trap 'kill $$! 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/mkdocs serve --no-strict --dirty -a 127.0.0.1:8000

## The editor guide's screenshots of the CMS, taken by its browser test (tests/test_cms.py).
cms-screenshots: $(STAMP) chromium node_modules
	CI=true $(BIN)/pytest -q -p no:xdist tests/test_cms.py -k edit
	mkdir -p content/assets/redactiegids
	cp build/cms-screenshots/overzicht.png build/cms-screenshots/nieuw-advies.png content/assets/redactiegids/

## Debian's Chromium for the browser tests (never a browser download).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "Chromium ontbreekt: installeer het Debian-pakket 'chromium' (sudo apt-get install chromium)." >&2; exit 1; \
	  fi; }

## Debian's nginx: the tests load the nginx snippet the build writes in the real server.
nginx:
	@command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; \
	  else \
	    echo "nginx ontbreekt: installeer het Debian-pakket 'nginx' (sudo apt-get install nginx)." >&2; exit 1; \
	  fi; }

## Debian's libraries that WeasyPrint (the PDFs) needs: Pango, with HarfBuzz' subsetter.
PDF_LIBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
pdf-libs:
	@dpkg -s $(PDF_LIBS) >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PDF_LIBS) >/dev/null; \
	  else \
	    echo "De bibliotheken voor de PDF's ontbreken: installeer de Debian-pakketten $(PDF_LIBS) (sudo apt-get install ...)." >&2; exit 1; \
	  fi; }

lint: $(STAMP)
	$(BIN)/ruff check kennisbank hooks scripts tests

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest -q -m "not browser"

## axe-core for the accessibility checks in the browser tests (pinned in package-lock.json).
node_modules: package-lock.json
	npm ci --no-audit --no-fund
	touch node_modules

## The whole suite: lint, types, unit, build and browser tests. On both cores (pytest-xdist),
## then the timing-sensitive preview tests (marked serial: real mkdocs serve, Ctrl+C) alone.
test: $(STAMP) chromium nginx pdf-libs node_modules lint typecheck
	$(BIN)/pytest -q -n 2 -m "not serial"
	$(BIN)/pytest -q -m serial

## Long fuzz run of the reader and validator (>= 10,000 hypothesis examples).
fuzz: $(STAMP)
	$(BIN)/pytest -q tests/test_fuzz.py --hypothesis-profile=fuzz

## Lighthouse (accessibility, best practices, SEO) on key pages, offline against Debian's
## Chromium; records the scores in docs/accessibility.md and on the accessibility statement, then rebuilds.
.PHONY: audit
audit: $(STAMP) chromium node_modules build
	$(BIN)/python scripts/audit.py
	$(BIN)/python scripts/build.py

clean:
	rm -rf site .pytest_cache .mypy_cache .ruff_cache

## Benchmark of the build on synthetic corpora (250 and 1,000 documents); updates docs/benchmarks.md.
## More sizes or a profile: make bench BENCH_ARGS="--sizes 250 1000 4000 --profile 1000".
.PHONY: bench
bench: $(STAMP) pdf-libs node_modules
	$(BIN)/python scripts/bench.py --write-doc $(BENCH_ARGS)

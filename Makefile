# The two commands a newcomer runs: `make serve` and `make test` (README.md). CI runs `make test` (.ci/run).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: serve test lint system-deps bench assets dist

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# The query page's SPARQL editor, bundled from the npm registry's packages (frontend/package-lock.json) into
# api/coopkg/static/, which the wheel ships (docs/query-editor.md). Rebuilt when its sources or lockfile change.
ASSETS := api/coopkg/static/query-editor.js api/coopkg/static/query-editor.css
NODE_MODULES := frontend/node_modules/.package-lock.json
assets: $(ASSETS)
$(NODE_MODULES): frontend/package.json frontend/package-lock.json
	@command -v npm >/dev/null || { echo "make assets needs Node.js and npm (the query editor is built from frontend/)"; exit 2; }
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
$(ASSETS) &: $(NODE_MODULES) frontend/build.mjs $(wildcard frontend/src/*)
	cd frontend && npm run --silent build

# Installs the project and serves the shipped graph on the embedded store.
serve: $(BIN)/python assets
	$(BIN)/pip install --quiet .
	$(BIN)/coopkg serve

# Debian's Chromium (and CJK fonts, so Chinese text renders) for the browser tests: a test tool's own
# browser download cannot work here. Debian's Virtuoso 7 for the remote-store tests: they start their own
# server on free loopback ports, so the package's own service (ports 1111, 8890) is stopped if it started.
# wrk, the load generator of bench/run.py, for the benchmark harness's live test.
SYSTEM_PACKAGES := chromium fonts-noto-cjk virtuoso-opensource wrk
system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	    invoke-rc.d virtuoso-opensource-7 stop >/dev/null 2>&1 || true; \
	  else echo "missing Debian packages:$$missing (browser, Virtuoso and wrk tests will be skipped)"; fi; fi

# The sdist and the wheel (built from the sdist) in dist/; the version is api/coopkg/__init__.py's.
dist: $(BIN)/python assets
	$(BIN)/pip install --quiet -e '.[test]'
	$(BIN)/python -m build --no-isolation --outdir dist .

# Style, types, the layers of docs/design.md (import-linter) and declared dependencies vs imports (deptry).
lint: $(BIN)/python $(NODE_MODULES)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	PYTHONPATH=api $(BIN)/lint-imports
	$(BIN)/deptry api
	cd frontend && npm run --silent lint

# Installs everything (project, test tools, Debian's Chromium) and runs lint, types and the whole suite
# (which builds the sdist and the wheel and installs the wheel into a fresh environment: tests/packaging).
test: $(BIN)/python system-deps assets
	$(BIN)/pip install --quiet -e '.[test]'
	$(MAKE) lint
	$(BIN)/pytest

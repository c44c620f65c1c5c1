# FastAPI Architect — the README's commands. Every target installs what it needs.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test lint format typecheck pytest tools client-check bench vsix e2e e2e-ci clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

## demo: scaffold ./demo-service, install it, run its tests, serve it on 127.0.0.1:8000
demo: $(STAMP)
	bash scripts/demo.sh

## test: everything CI runs — lint, format check, mypy --strict, pytest, client checks, VS Code e2e
test: lint typecheck pytest client-check e2e-ci

lint: $(STAMP)
	$(VENV)/bin/ruff check server tests bench
	$(VENV)/bin/ruff format --check server tests bench
	$(VENV)/bin/lint-imports

format: $(STAMP)
	$(VENV)/bin/ruff check --fix server tests bench
	$(VENV)/bin/ruff format server tests bench

typecheck: $(STAMP)
	$(VENV)/bin/mypy --strict server
	MYPYPATH=server:tests $(VENV)/bin/mypy --strict --follow-imports=silent tests/host_support.py

## pytest: the test suite over PYTEST_WORKERS processes (pytest-xdist; one file per worker at a time)
PYTEST_WORKERS ?= 2
pytest: $(STAMP) tools
	$(PY) -m pytest -q -n $(PYTEST_WORKERS) --dist loadfile

## tools: system packages that tests drive — headless Neovim as a second real LSP client,
## PostgreSQL to serve the generated service (tests/scaffold/test_postgres_service.py)
tools:
	@command -v nvim >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing neovim (a real LSP client for tests/lsp/test_neovim_client.py)"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq neovim) \
	      >/dev/null 2>&1 || echo "warning: could not install neovim; its tests will skip"; \
	  else echo "note: install neovim to run the Neovim client tests"; fi; }
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing postgresql (serves the generated service in tests/scaffold)"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) \
	      >/dev/null 2>&1 || echo "warning: could not install postgresql; its tests will skip"; \
	  else echo "note: install postgresql to run the PostgreSQL tests"; fi; }

## client-check: the VS Code extension's install, type check and tests (when client/ has one)
client-check:
	@if [ -f client/package.json ]; then $(MAKE) -C client check; else echo "client: nothing to check yet"; fi

## bench: every benchmark, printing medians and ratios against a baseline measured in the same run
bench: $(STAMP)
	$(PY) -m bench all

## vsix: package the VS Code extension (client/), with the server wheel built from here, as a .vsix
vsix: $(STAMP)
	$(MAKE) -C client vsix

## e2e: the packaged extension in a real VS Code (code-server + headless Chromium); see README
e2e: $(STAMP)
	$(MAKE) -C client e2e

# In `make test` a failed e2e run is repeated once from scratch (fresh user data and workspace):
# a broken feature fails both runs; a one-off UI timing miss does not block CI.
e2e-ci: $(STAMP)
	$(MAKE) -C client e2e || { echo "e2e: one run failed (see above); running it once more"; \
	  $(MAKE) -C client e2e; }

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache build dist

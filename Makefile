# FastAPI Architect — the README's commands. Every target installs what it needs.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: test lint format typecheck pytest client-check bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

## test: everything CI runs — lint, format check, mypy --strict, pytest, client checks
test: lint typecheck pytest client-check

lint: $(STAMP)
	$(VENV)/bin/ruff check server tests bench
	$(VENV)/bin/ruff format --check server tests bench

format: $(STAMP)
	$(VENV)/bin/ruff check --fix server tests bench
	$(VENV)/bin/ruff format server tests bench

typecheck: $(STAMP)
	$(VENV)/bin/mypy --strict server

pytest: $(STAMP)
	$(PY) -m pytest -q

## client-check: the VS Code extension's install, type check and tests (when client/ has one)
client-check:
	@if [ -f client/package.json ]; then $(MAKE) -C client check; else echo "client: nothing to check yet"; fi

## bench: every benchmark, printing medians and ratios against a baseline measured in the same run
bench: $(STAMP)
	$(PY) -m bench all

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache build dist

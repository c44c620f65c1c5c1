#!/usr/bin/env bash
# make demo: scaffold ./demo-service with FastAPI Architect, install it in its own venv, run its
# tests, create its SQLite schema with Alembic, and serve it on 127.0.0.1:8000.
# Re-running regenerates the service (its .venv is kept so the second run is fast).
set -euo pipefail

cd "$(dirname "$0")/.."
DEMO_DIR="demo-service"
HOST="${DEMO_HOST:-127.0.0.1}"
PORT="${DEMO_PORT:-8000}"
PYTHON="${PYTHON:-python3}"
ARCHITECT=".venv/bin/fastapi-architect"

if [[ ! -x "$ARCHITECT" ]]; then
    echo "demo: $ARCHITECT is missing; run 'make demo' (it installs .venv first)" >&2
    exit 2
fi

kept_venv=""
if [[ -e "$DEMO_DIR" ]]; then
    if [[ -n "$(ls -A "$DEMO_DIR")" && ! -f "$DEMO_DIR/app/api/v1/router.py" ]]; then
        echo "demo: ./$DEMO_DIR exists and is not a generated service; move it away first" >&2
        exit 2
    fi
    if [[ -d "$DEMO_DIR/.venv" ]]; then
        kept_venv="$(mktemp -d)"
        mv "$DEMO_DIR/.venv" "$kept_venv/venv"
    fi
    echo "==> Removing the previous ./$DEMO_DIR"
    rm -rf "$DEMO_DIR"
fi

echo "==> Scaffolding ./$DEMO_DIR"
"$ARCHITECT" new "./$DEMO_DIR" --description "FastAPI Architect demo service"

if [[ -n "$kept_venv" ]]; then
    mv "$kept_venv/venv" "$DEMO_DIR/.venv"
    rmdir "$kept_venv"
fi

cd "$DEMO_DIR"
if [[ ! -x .venv/bin/python ]]; then
    echo "==> Creating $DEMO_DIR/.venv"
    "$PYTHON" -m venv .venv
    .venv/bin/python -m pip install --quiet --upgrade pip
fi
echo "==> Installing the service and its dev tools"
.venv/bin/python -m pip install --quiet -e ".[dev]"

echo "==> Running its gates: pytest, ruff, mypy --strict"
.venv/bin/python -m pytest
.venv/bin/python -m ruff check .
.venv/bin/python -m ruff format --check .
.venv/bin/python -m mypy --strict app

echo "==> Creating the SQLite schema (alembic upgrade head)"
.venv/bin/python -m alembic upgrade head

# A superuser for trying the API in /docs (Authorize); the password is new on every run.
export FIRST_SUPERUSER="${FIRST_SUPERUSER:-admin@example.com}"
export FIRST_SUPERUSER_PASSWORD="${FIRST_SUPERUSER_PASSWORD:-$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(12))')}"

echo
echo "==> Serving on http://$HOST:$PORT — open http://$HOST:$PORT/docs (Ctrl+C to stop)"
echo "    Authorize there as $FIRST_SUPERUSER / $FIRST_SUPERUSER_PASSWORD"
exec .venv/bin/python -m uvicorn app.main:app --host "$HOST" --port "$PORT"

"""`python -m fastapi_architect` runs the command-line interface."""

from fastapi_architect.cli import main

raise SystemExit(main())

"""Run benchmarks: ``python -m bench NAME [args]`` or ``python -m bench all``.

Every benchmark module in this folder exposes ``main(argv: list[str]) -> int`` and prints
medians, spreads and a ratio against a baseline measured in the same run. Benchmarks are
never run as timed tests: shared machines are too noisy to assert on wall-clock time.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path

SKIP = {"stats", "rpc", "lsp_peer", "probe_server", "editor_model"}
ON_DEMAND = {
    "extract_realcode",
    "pydantic_apps",
    "pydantic_encoders_realcode",
    "pydantic_realcode",
}
"""Harnesses that download code bases from PyPI and run them (minutes): by name only."""


def available() -> list[str]:
    """Names of the benchmark modules in this folder."""
    folder = Path(__file__).parent
    return sorted(
        info.name
        for info in pkgutil.iter_modules([str(folder)])
        if not info.name.startswith("_") and info.name not in SKIP
    )


def main(argv: list[str]) -> int:
    """Dispatch to one benchmark, or run them all in turn."""
    names = available()
    if not argv or argv[0] in {"-h", "--help"}:
        print("usage: python -m bench NAME [ARGS...] | all\nbenchmarks: " + ", ".join(names))
        return 0 if argv else 2
    name, rest = argv[0], argv[1:]
    if name == "all":
        status = 0
        for each in (n for n in names if n not in ON_DEMAND):
            print(f"\n## {each}")
            status |= importlib.import_module(f"bench.{each}").main(rest)
        return status
    if name not in names:
        print(f"bench: unknown benchmark {name!r}; choose from {', '.join(names)}", file=sys.stderr)
        return 2
    result: int = importlib.import_module(f"bench.{name}").main(rest)
    return result


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""Start-up cost: spawn the server and wait for its ``initialize`` result.

Baseline, measured in the same run and interleaved with it: a bare Python process that only
imports ``pygls.lsp.server`` (what any pygls server pays before doing anything).
Target: ratio <= 1.2 — the server adds at most a fifth of pygls' own import cost.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

from bench.rpc import RawConnection
from bench.stats import Summary, print_table

TARGET_RATIO = 1.2
INITIALIZE_PARAMS = {
    "processId": None,
    "rootUri": None,
    "capabilities": {
        "textDocument": {"codeAction": {"resolveSupport": {"properties": ["edit"]}}},
        "workspace": {"workspaceEdit": {"documentChanges": True}},
    },
    "initializationOptions": {"fastapiArchitect": {"logLevel": "warning"}},
}


def time_baseline() -> float:
    """Seconds for a fresh interpreter to import pygls' server module and exit."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import pygls.lsp.server"], check=True)
    return time.perf_counter() - started


def time_server_initialize() -> float:
    """Seconds from spawning the server to receiving its ``initialize`` result."""
    started = time.perf_counter()
    connection = RawConnection([sys.executable, "-m", "fastapi_architect", "serve"])
    connection.request(1, "initialize", INITIALIZE_PARAMS)
    response = connection.read_response(1)
    elapsed = time.perf_counter() - started
    if "result" not in response:
        raise RuntimeError(f"initialize failed: {response}")
    connection.notify("initialized", {})
    connection.request(2, "shutdown")
    connection.read_response(2)
    connection.notify("exit")
    connection.close()
    return elapsed


def main(argv: list[str]) -> int:
    """Print start-up medians and the ratio against the pygls import baseline."""
    parser = argparse.ArgumentParser(prog="python -m bench startup")
    parser.add_argument("--runs", type=int, default=15, help="runs of each (default 15)")
    arguments = parser.parse_args(argv)

    time_baseline()  # warm the OS file cache for both
    time_server_initialize()
    baseline_samples: list[float] = []
    server_samples: list[float] = []
    for _ in range(arguments.runs):
        baseline_samples.append(time_baseline())
        server_samples.append(time_server_initialize())

    baseline = Summary("baseline: python -c 'import pygls.lsp.server'", baseline_samples)
    server = Summary("fastapi-architect serve → initialize result", server_samples)
    print_table([baseline, server], baseline=baseline)
    ratio = server.median / baseline.median
    verdict = "meets" if ratio <= TARGET_RATIO else "MISSES"
    print(f"\nstart-up ratio {ratio:.2f} {verdict} the target of <= {TARGET_RATIO}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

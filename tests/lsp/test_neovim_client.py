"""A real second LSP client: headless Neovim starts the server, attaches and asks for actions.

pytest-lsp replays capability sets; this drives Neovim's own LSP client end to end (Neovim 0.7
from Debian is enough). `make test` installs Neovim when it can; without it these tests skip.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from lsp_support import SERVER_COMMAND

NVIM = shutil.which("nvim")
PROBE = Path(__file__).parent / "nvim" / "probe.lua"

pytestmark = pytest.mark.skipif(
    NVIM is None, reason="Neovim is not installed (make test installs it)"
)


def drive_neovim(root: Path, file: Path, line: int) -> dict[str, Any]:
    """Open ``file`` in headless Neovim with the server attached; return what it saw."""
    assert NVIM is not None
    out = root.parent / "nvim-result.json"
    env = {
        **os.environ,
        "FA_SERVER_CMD": json.dumps(SERVER_COMMAND),
        "FA_ROOT": str(root),
        "FA_FILE": str(file),
        "FA_LINE": str(line),
        "FA_OUT": str(out),
        "XDG_CONFIG_HOME": str(root.parent / "xdg-config"),
        "XDG_DATA_HOME": str(root.parent / "xdg-data"),
        "XDG_STATE_HOME": str(root.parent / "xdg-state"),
    }
    subprocess.run(
        [NVIM, "--headless", "--clean", "-n", "-c", f"luafile {PROBE}"],
        env=env,
        cwd=root,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=120,
        check=False,
    )
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    assert "error" not in result, result["error"]
    return result


def test_neovim_attaches_gets_capabilities_and_answers(workspace: Path) -> None:
    source = workspace / "main.py"
    source.write_text("from fastapi import FastAPI\n\napp = FastAPI()\n", encoding="utf-8")
    seen = drive_neovim(workspace, source, line=2)
    assert seen["initialized"] is True
    capabilities = seen["capabilities"]
    assert capabilities["codeActionProvider"]["resolveProvider"] is True
    assert "fastapi-architect.scaffold" in capabilities["executeCommandProvider"]["commands"]
    assert seen["got_diagnostics"] is True
    assert seen["completion_answered"] is True
    assert seen["stopped"] is True

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


V1_MODEL = """from pydantic import BaseModel, validator


class Booking(BaseModel):
    start: int
    end: int

    @validator("end")
    def end_after_start(cls, v, values):
        if "start" in values and v < values["start"]:
            raise ValueError("end must not be before start")
        return v
"""


def test_neovim_resolves_and_applies_the_pydantic_quick_fix(workspace: Path) -> None:
    source = workspace / "booking.py"
    source.write_text(V1_MODEL, encoding="utf-8")
    seen = drive_neovim(workspace, source, line=7)
    assert seen["initialized"] is True
    [diagnostic] = seen["diagnostics"]
    assert diagnostic["code"] == "PYD001"
    assert diagnostic["source"] == "fastapi-architect"
    assert diagnostic["range"]["start"]["line"] == 7
    titles = [action["title"] for action in seen["code_actions"]]
    assert "Convert @validator to @field_validator" in titles
    fixed = seen["buffer_after_fix"] + "\n"
    assert '@field_validator("end")\n    @classmethod' in fixed
    assert "info: ValidationInfo" in fixed
    compile(fixed, "booking.py", "exec")

"""The workspace boundary, one rule for every command that writes.

A command writes only inside a workspace folder, unless the request carries
``"confirmedOutsideWorkspace": true`` — which a client sends only for a place the user chose
in a folder dialog (the VS Code palette does). Path arguments are read literally: ``~`` is
not expanded, a ``file:`` string is a URI (never a folder named ``file:``), a relative path
is relative to the first workspace folder, and symlinks are resolved before the check, so a
link leaving the workspace is outside it. A NUL byte or a non-string is refused as bad input.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from fastapi_architect.lsp.guard import UserFacingError
from fastapi_architect.project_files import containing_root

CONFIRMED_KEY = "confirmedOutsideWorkspace"
"""The request key saying the user chose an outside location through the client's dialog."""

_OTHER_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+://")


def argument_path(raw: object, key: str, base: Path | None) -> Path:
    """The absolute path a command argument names (not resolved, ``~`` kept literally)."""
    if not isinstance(raw, str) or not raw.strip():
        raise UserFacingError(f"'{key}' must be a non-empty path")
    text = raw.strip()
    if "\x00" in text:
        raise UserFacingError(f"'{key}' contains a NUL character; not a usable path")
    if text.startswith("file:"):
        from pygls.uris import to_fs_path

        local = to_fs_path(text)
        if not local:
            raise UserFacingError(f"'{key}' is not a valid file URI: {text}")
        path = Path(local)
    elif _OTHER_URI.match(text):
        raise UserFacingError(f"'{key}' must be a local path or a file: URI, not {text}")
    else:
        path = Path(text)
    if not path.is_absolute():
        if base is None:
            raise UserFacingError(
                f"no workspace folder is open to resolve '{text}' against; pass an absolute path"
            )
        path = base / path
    return path


def confirmed_outside(request: Mapping[str, Any]) -> bool:
    """Whether the request says the user chose a place outside the workspace."""
    value = request.get(CONFIRMED_KEY, False)
    if not isinstance(value, bool):
        raise UserFacingError(f"'{CONFIRMED_KEY}' must be true or false")
    return value


def check_writable(path: Path, roots: Sequence[Path], confirmed: bool, what: str) -> Path:
    """``path`` with symlinks resolved, if a command may write there; else a clear refusal."""
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError) as error:
        raise UserFacingError(f"cannot use {path} as {what}: {error}") from error
    if confirmed or containing_root(path, roots) is not None:
        return resolved
    if not roots:
        raise UserFacingError(
            f"{path} is not inside a workspace folder (none is open); open the folder first, "
            "or choose the place in the client's folder dialog"
        )
    listed = ", ".join(str(root) for root in roots)
    lexical = Path(os.path.normpath(path.absolute()))
    link = f" (through a symlink: {resolved})" if resolved != lexical else ""
    raise UserFacingError(
        f"{path}{link} is outside the workspace folders ({listed}); FastAPI Architect writes "
        "only inside them unless you choose the place in the client's folder dialog"
    )

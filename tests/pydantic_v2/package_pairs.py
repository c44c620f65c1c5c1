"""One package written twice for a probe across modules: under V1's names (``pydantic.v1``,
the behaviour to keep) and as it is (what ``migrate`` then converts), both importable."""

from __future__ import annotations

import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def v1_and_migrated(
    root: Path, prefix: str, write: Callable[[Path, str, bool], object]
) -> Iterator[tuple[str, str]]:
    """``(legacy, migrated)`` package names under ``root``, each written by ``write(root,
    name, v1)``; ``root`` is on ``sys.path`` until the block ends, then both are unloaded."""
    tag = uuid.uuid4().hex[:8]
    legacy, migrated = f"legacy_{prefix}_{tag}", f"migrated_{prefix}_{tag}"
    write(root, legacy, True)
    write(root, migrated, False)
    sys.path.insert(0, str(root))
    try:
        yield legacy, migrated
    finally:
        sys.path.remove(str(root))
        for name in [m for m in sys.modules if m.startswith((legacy, migrated))]:
            del sys.modules[name]

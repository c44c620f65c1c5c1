"""stac-pydantic's JSON output before and after ``migrate``: V1's ``.json()`` against V2's.

``python -m bench pydantic_encoders_realcode`` takes the cached sdists of stac-pydantic 2.0.3
and geojson-pydantic 0.6.3 (``pydantic_realcode`` downloads them on first use), makes two
copies: the original with its imports pointed at ``pydantic.v1`` (the V1 API inside pydantic
2), and the output of ``fastapi-architect migrate``. Each copy builds the same models from the
same data — python ``datetime`` values in fields, unions and extra fields, nested providers,
assets inside an ``Item`` — and writes them as JSON with and without ``by_alias`` /
``exclude_none`` / ``exclude_unset``; the harness prints how many outputs are equal and every
difference. stac-pydantic's models are subclassed across files and encode ``datetime`` with
``json_encoders``, the shape ``PYD020`` converts into an inherited serializer. The baseline,
measured in the same run: ``migrate --ignore PYD010,PYD020``, which keeps ``class Config``
with ``json_encoders`` (V2 honours it, deprecated).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.pydantic_realcode import CODE_BASES, extract

PROBE = r"""
import json, sys, warnings
from datetime import datetime, timezone
warnings.simplefilter("ignore")
sys.path.insert(0, sys.argv[1])
v2 = sys.argv[2] == "v2"
from stac_pydantic.item import Item, ItemProperties
from stac_pydantic.shared import Asset, StacCommonMetadata
AT = datetime(2020, 1, 2, 3, 4, 5)
AWARE = datetime(2021, 6, 7, 8, 9, 10, tzinfo=timezone.utc)
PROVIDER = {"name": "p", "roles": ["host"]}
CASES = [
    (StacCommonMetadata, {"title": "t", "start_datetime": AT, "end_datetime": AWARE,
                          "providers": [PROVIDER], "gsd": 0.5}),
    (StacCommonMetadata, {"created": "2020-01-02T03:04:05Z"}),
    (Asset, {"href": "h", "created": AT, "roles": ["data"], "acquired": AT,
             "bands": [{"at": AWARE}], "n": None}),
    (Asset, {"href": "h", "type": "image/tiff"}),
    (ItemProperties, {"datetime": AT, "updated": AWARE, "eo:cloud_cover": 5, "published": AT}),
    (ItemProperties, {"datetime": "2020-01-02T03:04:05Z"}),
    (Item, {"type": "Feature", "id": "i", "geometry": None,
            "properties": {"datetime": AT, "created": AWARE, "x": AT},
            "assets": {"a": {"href": "h", "created": AT}}, "links": []}),
]
OPTIONS = [{}, {"by_alias": True}, {"exclude_none": True},
           {"exclude_unset": True, "by_alias": True}]
out = []
for model, data in CASES:
    for options in OPTIONS:
        made = model(**data)
        text = made.model_dump_json(**options) if v2 else made.json(**options)
        out.append([model.__name__, options, json.loads(text)])
print(json.dumps(out))
"""


def _as_v1(folder: Path) -> None:
    """Point every module's pydantic imports at ``pydantic.v1``."""
    for path in folder.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        text = re.sub(
            r"^from pydantic((?:\.\w+)*) import", r"from pydantic.v1\1 import", text, flags=re.M
        )
        text = re.sub(r"^import pydantic$", "import pydantic.v1 as pydantic", text, flags=re.M)
        path.write_text(text, encoding="utf-8")


def _outputs(root: Path, probe: Path, mode: str) -> list[list[object]]:
    done = subprocess.run(
        [sys.executable, str(probe), str(root), mode],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{mode} probe failed: {done.stderr.strip()[-800:]}")
    result: list[list[object]] = json.loads(done.stdout)
    return result


def main(argv: list[str]) -> int:
    """Print how many JSON outputs of the migrated stac-pydantic equal V1's."""
    del argv
    wanted = {"stac-pydantic": "stac_pydantic", "geojson-pydantic": "geojson_pydantic"}
    with tempfile.TemporaryDirectory(prefix="fastapi-architect-encoders-") as work:
        base = Path(work)
        original, migrated, kept = base / "v1", base / "migrated", base / "kept"
        for folder in (original, migrated, kept):
            folder.mkdir()
        for code_base in CODE_BASES:
            if code_base.name not in wanted:
                continue
            root = extract(code_base, base / code_base.name)
            package = wanted[code_base.name]
            for target in (original, migrated, kept):
                shutil.copytree(root / package, target / package)
        _as_v1(original)
        for target, options in ((migrated, []), (kept, ["--ignore", "PYD010,PYD020"])):
            subprocess.run(
                [sys.executable, "-m", "fastapi_architect", "migrate", *options, *wanted.values()],
                cwd=target,
                capture_output=True,
                check=False,
            )
        left = (migrated / "stac_pydantic").rglob("*.py")
        left_over = sum("json_encoders" in path.read_text(encoding="utf-8") for path in left)
        probe = base / "probe.py"
        probe.write_text(PROBE, encoding="utf-8")
        before = _outputs(original, probe, "v1")
        after = _outputs(migrated, probe, "v2")
        baseline = _outputs(kept, probe, "v2")
    same = sum(a == b for a, b in zip(before, after, strict=True))
    same_kept = sum(a == b for a, b in zip(before, baseline, strict=True))
    print("### stac-pydantic 2.0.3: V1 `.json()` vs V2 `.model_dump_json()` after migrate")
    print(f"modules still setting json_encoders: {left_over}")
    print(f"outputs equal to V1: {same} / {len(before)}")
    print(f"baseline, json_encoders kept (--ignore PYD010,PYD020): {same_kept} / {len(before)}")
    for old, new, held in zip(before, after, baseline, strict=True):
        if old != new:
            print(f"  differs: {old[0]} {old[1]}\n    V1   {old[2]}\n    V2   {new[2]}")
            print(f"    kept {held[2]}")
    return 0

"""Start-up stays light: building the parser (all `zhen --help` does) loads no heavy library."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"

# Each costs tens to hundreds of milliseconds to import; only the commands that use them may.
HEAVY = ("numpy", "pypinyin", "lxml", "rich", "textual", "opencc", "translate", "rapidfuzz")

_PROBE = """
import json, sys
import zhen.cli
zhen.cli.build_parser()
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
"""


def test_building_the_parser_loads_no_heavy_module() -> None:
    # A fresh interpreter: the test session itself has imported all of them long ago.
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    result = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, env=env, check=True
    )
    loaded = set(json.loads(result.stdout))
    assert sorted(loaded.intersection(HEAVY)) == []

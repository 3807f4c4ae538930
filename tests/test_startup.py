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

# A lookup needs numpy (the index), rapidfuzz (scoring) and pyahocorasick (glossary hits), and
# OpenCC for a query in Traditional characters; nothing else.
LOOKUP_NEEDS = {"numpy", "rapidfuzz"}

_PROBE = """
import json, sys
import zhen.cli
{run}
print(json.dumps(sorted({{name.split(".")[0] for name in sys.modules}})), file=sys.stderr)
"""


def loaded_modules(run: str) -> set[str]:
    """The top-level modules a fresh interpreter holds after `import zhen.cli` and `run`."""
    # A fresh interpreter: the test session itself has imported all of them long ago.
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    env.pop("NO_COLOR", None)
    result = subprocess.run(
        [sys.executable, "-c", _PROBE.format(run=run)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return set(json.loads(result.stderr.splitlines()[-1]))


def test_building_the_parser_loads_no_heavy_module() -> None:
    loaded = loaded_modules("zhen.cli.build_parser()")
    assert sorted(loaded.intersection(HEAVY)) == []


def test_a_lookup_loads_only_what_searching_needs(seeded_db: Path) -> None:
    # Output to a pipe: no colour, so not even Rich.
    loaded = loaded_modules(f"zhen.cli.main(['lookup', '同志加兄弟', '--db', {str(seeded_db)!r}])")
    assert sorted(loaded.intersection(HEAVY)) == sorted(LOOKUP_NEEDS)

"""Regenerate the example outputs in README.md from what zhen really prints.

A block to keep true is a fenced code block right after a marker line:

    <!-- example: zhen build -->
    <!-- example lines=4: zhen lookup 同志加兄弟 --limit 3 -->

The block becomes `$ COMMAND`, then the command's standard output and standard error (in that
order, without colour), cut after `lines` lines with a last line `…` when `lines` is given. Every
command runs in a fresh folder laid out like a checkout (tm/sources, glossary/xinhua.tsv) with
its own data folder, so `zhen` there starts from the bundled data as a new user's does.

    python docs/readme_examples.py           # exit 1 and a diff when README.md is out of date
    python docs/readme_examples.py --write   # rewrite the blocks

tests/test_readme_examples.py runs the same comparison.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
_MARKER = re.compile(
    r"^<!-- example(?: lines=(\d+))?: (zhen .*?) -->\n```[^\n]*\n(.*?)^```$", re.M | re.S
)

# Runs `zhen ARGS` in a folder with environment changes (None: variable removed);
# returns (exit code, stdout, stderr).
Runner = Callable[[list[str], Path, dict[str, str | None]], tuple[int, str, str]]


def run_process(args: list[str], cwd: Path, env: dict[str, str | None]) -> tuple[int, str, str]:
    """`python -m zhen ARGS` with this checkout's sources, as a user's shell would run it."""
    full = dict(os.environ, PYTHONPATH=str(ROOT / "src"), PYTHONIOENCODING="utf-8")
    for name, value in env.items():
        if value is None:
            full.pop(name, None)
        else:
            full[name] = value
    done = subprocess.run(
        [sys.executable, "-m", "zhen", *args], cwd=cwd, env=full, capture_output=True, text=True
    )
    return done.returncode, done.stdout, done.stderr


def _checkout(folder: Path) -> Path:
    """A folder laid out like a checkout: the bundled sources and the curated glossary."""
    shutil.copytree(ROOT / "tm" / "sources", folder / "tm" / "sources")
    (folder / "glossary").mkdir()
    shutil.copy(ROOT / "glossary" / "xinhua.tsv", folder / "glossary" / "xinhua.tsv")
    return folder


def _output(command: str, lines: int | None, run: Runner) -> str:
    """The block for one command: the prompt line, then what it printed."""
    words = shlex.split(command)[1:]
    with tempfile.TemporaryDirectory(prefix="zhen-readme-") as temp:
        folder = _checkout(Path(temp) / "checkout")
        env: dict[str, str | None] = {
            "XDG_DATA_HOME": str(Path(temp) / "data"),
            "ZHEN_DB": None,
            "NO_COLOR": "1",
        }
        code, out, err = run(words, folder, env)
    if code not in (0, 1):
        raise RuntimeError(f"`{command}` failed (exit {code}): {err.strip()}")
    # The user's database made on first use is announced once; a README reader has one already.
    shown = [line for line in (out + err).splitlines() if not line.startswith("zhen: created ")]
    if lines is not None and len(shown) > lines:
        shown = [*shown[:lines], "…"]
    return "\n".join([f"$ {command}", *shown]) + "\n"


def render(text: str, run: Runner = run_process) -> str:
    """`text` with every marked block replaced by the real output of its command."""

    def block(match: re.Match[str]) -> str:
        lines = int(match.group(1)) if match.group(1) else None
        head = match.group(0)[: match.start(3) - match.start(0)]
        return head + _output(match.group(2), lines, run) + "```"

    return _MARKER.sub(block, text)


def commands(text: str) -> list[str]:
    """The commands whose output `text` keeps."""
    return [match.group(2) for match in _MARKER.finditer(text)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="rewrite README.md")
    args = parser.parse_args()
    old = README.read_text(encoding="utf-8")
    new = render(old)
    if args.write:
        if new != old:
            README.write_text(new, encoding="utf-8")
        print(f"README.md: {len(commands(old))} examples {'updated' if new != old else 'true'}")
        return 0
    if new == old:
        return 0
    sys.stdout.writelines(difflib.unified_diff(old.splitlines(True), new.splitlines(True)))
    return 1


if __name__ == "__main__":
    sys.exit(main())

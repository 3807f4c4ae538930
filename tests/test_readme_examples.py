"""The example outputs in README.md are what zhen prints today (docs/readme_examples.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from tests.support import REPO_ROOT, run_cli

_spec = importlib.util.spec_from_file_location(
    "readme_examples", REPO_ROOT / "docs" / "readme_examples.py"
)
assert _spec is not None and _spec.loader is not None
readme_examples = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(readme_examples)


def _run_in_process(args: list[str], cwd: Path, env: dict[str, str | None]) -> tuple[int, str, str]:
    result = run_cli(args, env=env, cwd=cwd)
    return result.code, result.stdout, result.stderr


def test_readme_keeps_the_build_table_and_a_lookup() -> None:
    kept = readme_examples.commands((REPO_ROOT / "README.md").read_text(encoding="utf-8"))
    assert "zhen build" in kept
    assert any(command.startswith("zhen lookup ") for command in kept)


def test_readme_examples_are_todays_output() -> None:
    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert readme_examples.render(text, _run_in_process) == text, (
        "README.md shows outdated output: run `python docs/readme_examples.py --write`"
    )

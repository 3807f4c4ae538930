"""The layering docs/architecture.md describes, read off the source: SQL only in the store, imports
pointing down only, Textual only in the TUI."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "zhen"

# Lowest first; a module may import its own layer and the layers below it, never one above.
LAYERS: list[set[str]] = [
    {"models", "errors", "safetext", "resources", "t2s_chars"},
    {
        "normalize",
        "segment",
        "numbers",
        "textio",
        "xmlsafe",
        "tmx",
        "bilingual",
        "fileutil",
        "spreadsheet",
    },
    {"store"},
    {"tm", "glossary", "search", "aligner", "pipeline", "checker", "bootstrap"},
    {"database", "api"},
    {"cli", "commands", "tui", "__main__", "__init__"},
]
_SQL = re.compile(r"\.execute(many)?\(|\b(SELECT|INSERT|UPDATE|DELETE)\s+\S+\s+(FROM|INTO|SET)\b")


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def top_part(path: Path) -> str:
    """The first name under zhen/ (`store` for zhen/store/units.py, `cli` for zhen/cli.py)."""
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def layer_of(part: str) -> int:
    for number, members in enumerate(LAYERS):
        if part in members:
            return number
    raise AssertionError(f"zhen.{part} is in no layer of tests/test_layers.py; add it")


def zhen_imports(path: Path) -> set[str]:
    """The zhen parts a module imports, at the top or inside functions alike."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = node.module.split(".")
            if names[0] == "zhen":
                if len(names) > 1:
                    found.add(names[1])
                else:
                    found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                names = alias.name.split(".")
                if names[0] == "zhen" and len(names) > 1:
                    found.add(names[1])
    return found


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_down(path: Path) -> None:
    own = layer_of(top_part(path))
    if top_part(path) == "__init__":
        return  # the package root re-exports the public API lazily
    upward = {
        name for name in zhen_imports(path) if name not in ("__version__",) and layer_of(name) > own
    }
    assert not upward, f"{path.name} imports the higher layer(s) {sorted(upward)}"


def test_sql_lives_only_in_the_store() -> None:
    offenders = [
        f"{path.relative_to(PACKAGE)}:{number}"
        for path in modules()
        if top_part(path) != "store"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if _SQL.search(line) and not line.lstrip().startswith("#")
    ]
    assert offenders == []


def test_only_the_tui_imports_textual() -> None:
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in modules()
        if top_part(path) != "tui"
        and re.search(r"^\s*(from|import) textual\b", path.read_text("utf-8"), re.M)
    ]
    assert offenders == []

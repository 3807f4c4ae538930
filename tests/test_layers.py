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
    {"models", "errors", "resources", "version", "lazy", "processes"},
    {"text"},
    {"io"},
    {"store"},
    {"tm", "glossary", "search", "aligner", "checker", "bootstrap"},
    {"database", "api", "project"},
    {"cli", "tui", "__main__", "__init__"},
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


def module_name(path: Path) -> str:
    parts = ("zhen", *path.relative_to(PACKAGE).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node except those under `if TYPE_CHECKING:`, which never run."""
    found: list[ast.AST] = []
    pending: list[ast.AST] = [tree]
    while pending:
        node = pending.pop()
        found.append(node)
        if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING"):
            pending.extend(node.orelse)
            continue
        pending.extend(ast.iter_child_nodes(node))
    return found


def import_graph() -> dict[str, set[str]]:
    """Module → the zhen modules it imports when run, in functions too (type-only ones aside).

    `from zhen.x import y` is an edge to zhen.x.y when that is a module, else to zhen.x; the
    parent packages Python also initialises are not counted, as import-linter does."""
    known = {module_name(path) for path in modules()}
    graph: dict[str, set[str]] = {}
    for path in modules():
        name = module_name(path)
        edges: set[str] = set()
        for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    submodule = f"{node.module}.{alias.name}"
                    edges.add(submodule if submodule in known else node.module)
            elif isinstance(node, ast.Import):
                edges.update(alias.name for alias in node.names)
        graph[name] = {target for target in edges if target in known and target != name}
    return graph


def test_no_import_cycles() -> None:
    """Tarjan's strongly connected components over every import, function-level ones included:
    a cycle means two modules cannot be understood (or loaded lazily) one without the other."""
    graph = import_graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    assert cycles == []


def _map_section() -> str:
    text = (PACKAGE.parents[1] / "docs" / "architecture.md").read_text(encoding="utf-8")
    start = text.index("## Module map")
    return text[start : text.index("\n## ", start + 1)]


def mapped_modules() -> tuple[set[str], set[str]]:
    """The module files docs/architecture.md's map names, and the folders it names.

    In a bullet, `chinese.py` after `text/numbers/` means text/numbers/chinese.py."""
    files: set[str] = set()
    folders: set[str] = set()
    for bullet in re.split(r"\n(?=- |\*\*)", _map_section()):
        folder = ""
        for token in re.findall(r"`([\w/.]+)`", bullet):
            if token.endswith("/"):
                folder = token
                folders.add(token)
            elif token.endswith(".py"):
                files.add(token if "/" in token else folder + token)
    return files, folders


def test_architecture_map_names_every_module() -> None:
    files, folders = mapped_modules()
    actual = {str(path.relative_to(PACKAGE)) for path in modules()}
    unnamed = {
        path
        for path in actual - files
        if not (path.endswith("/__init__.py") and path.removesuffix("__init__.py") in folders)
    }
    assert sorted(unnamed) == [], "add these to the module map in docs/architecture.md"
    assert sorted(files - actual) == [], "the module map names files that do not exist"

"""Every `zhen` reader and every command that opens the database, as argv builders."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from hostile import generators
from hostile.harness import Workspace


@dataclass(frozen=True)
class Reader:
    """A command that reads one input file: how to run it on `path`, and what success means."""

    argv: Callable[[Workspace, Path], list]
    ok: tuple[int, ...] = (0,)
    stores: bool = False  # keeps what it read in the database (else the database is only read)


READERS: dict[str, Reader] = {
    "tm-import": Reader(lambda ws, f: ["tm", "import", f, "--db", ws.db], stores=True),
    "glossary-import": Reader(lambda ws, f: ["glossary", "import", f, "--db", ws.db], stores=True),
    "check": Reader(lambda ws, f: ["check", f, "--db", ws.db], ok=(0, 1)),
    "check-texts": Reader(lambda ws, f: ["check", f, ws.en_txt, "--db", ws.db], ok=(0, 1)),
    "check-glossary": Reader(
        lambda ws, f: ["check", ws.zh_txt, ws.en_txt, "--glossary", f], ok=(0, 1)
    ),
    "align": Reader(lambda ws, f: ["align", f, ws.en_txt, "-o", ws.outputs / "aligned.tmx"]),
    "align-glossary": Reader(
        lambda ws, f: [
            "align",
            ws.zh_txt,
            ws.en_txt,
            "--glossary",
            f,
            "-o",
            ws.outputs / "aligned.tmx",
        ]
    ),
    "glossary-extract": Reader(lambda ws, f: ["glossary", "extract", f, "--db", ws.db]),
    "lookup-batch": Reader(lambda ws, f: ["lookup", "--batch", f, "--db", ws.db]),
}

# What kind of document each reader takes: TM formats, glossary formats, or plain text.
READER_KIND = {
    "tm-import": "tm",
    "check": "tm",
    "glossary-extract": "tm",
    "glossary-import": "glossary",
    "check-glossary": "glossary",
    "align-glossary": "glossary",
    "align": "text",
    "check-texts": "text",
    "lookup-batch": "queries",
}


def document(reader: str, fmt: str) -> tuple[str, str]:
    """(suffix, valid text) of format `fmt` as reader `reader` takes it."""
    kind = READER_KIND[reader]
    if kind == "tm":
        suffix, build = generators.TM_FORMATS[fmt]
        return suffix, build()
    if kind == "glossary":
        suffix, build = generators.GLOSSARY_FORMATS[fmt]
        return suffix, build()
    if kind == "text":
        return ".txt", generators.ZH_TEXT
    return ".txt", generators.QUERIES


@dataclass(frozen=True)
class Command:
    """A command that opens the database (`--db` is appended)."""

    argv: Callable[[Workspace], list]
    writes: bool
    ok: tuple[int, ...] = (0,)
    stdin: str | None = None


def _unit_file(ws: Workspace) -> Path:
    return ws.write("new-units.tsv", "中国经济稳步增长。\tChina's economy grew steadily.\n")


def _terms_file(ws: Workspace) -> Path:
    return ws.write("new-terms.csv", "zh,en,note\n稳步增长,steady growth,new\n")


def _tmx_file(ws: Workspace) -> Path:
    return ws.write("pairs.tmx", generators.tmx())


def _queries_file(ws: Workspace) -> Path:
    return ws.write("queries.txt", generators.QUERIES)


DB_COMMANDS: dict[str, Command] = {
    "tm-import": Command(lambda ws: ["tm", "import", _unit_file(ws)], writes=True),
    "tm-export": Command(lambda ws: ["tm", "export", ws.outputs / "tm.tmx"], writes=False),
    "tm-stats": Command(lambda ws: ["tm", "stats"], writes=False),
    "tm-delete": Command(lambda ws: ["tm", "delete", "--origin", "base.tsv"], writes=True),
    "lookup": Command(lambda ws: ["lookup", "人民"], writes=False),
    "lookup-batch": Command(lambda ws: ["lookup", "--batch", _queries_file(ws)], writes=False),
    "glossary-add": Command(lambda ws: ["glossary", "add", "新词", "new word"], writes=True),
    "glossary-import": Command(lambda ws: ["glossary", "import", _terms_file(ws)], writes=True),
    "glossary-export": Command(
        lambda ws: ["glossary", "export", ws.outputs / "terms.csv"], writes=False
    ),
    "glossary-show": Command(lambda ws: ["glossary", "show", "人民"], writes=False),
    "glossary-list": Command(lambda ws: ["glossary", "list"], writes=False),
    "glossary-edit": Command(
        lambda ws: ["glossary", "edit", "国家", "--note", "edited"], writes=True
    ),
    "glossary-remove": Command(lambda ws: ["glossary", "remove", "合作"], writes=True),
    "glossary-review": Command(lambda ws: ["glossary", "review"], writes=True, stdin="a\n"),
    "glossary-extract": Command(lambda ws: ["glossary", "extract", _tmx_file(ws)], writes=False),
    "glossary-extract-save": Command(
        lambda ws: ["glossary", "extract", "--db-units", "--save", "--min-score", "0"],
        writes=True,
    ),
    "check": Command(lambda ws: ["check", ws.zh_txt, ws.en_txt], writes=False, ok=(0, 1)),
}

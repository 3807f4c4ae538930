"""Every command that opens the database, against a missing path, a locked database, a garbled one
and a file that is not a database: one error line, nothing created, nothing changed."""

from __future__ import annotations

import argparse
from functools import cache
from pathlib import Path

import pytest

from hostile import generators as gen
from hostile.commands import DB_COMMANDS
from hostile.conftest import BUSY_TIMEOUT
from hostile.databases import garble_pages, write_lock

COMMANDS = sorted(DB_COMMANDS)


@cache
def _options_of(words: tuple[str, ...]) -> frozenset[str]:
    """The option strings the (sub)command named by `words` accepts, and the top level's."""
    from zhen.cli import build_parser

    parser = top = build_parser()
    for word in words:
        choices = next(
            (
                action.choices
                for action in parser._actions
                if isinstance(action, argparse._SubParsersAction)
            ),
            {},
        )
        if word not in choices:
            break
        parser = choices[word]
    return frozenset(parser._option_string_actions) | frozenset(top._option_string_actions)


def busy_option(argv: list) -> list[str]:
    """`--busy-timeout S` when zhen has such an option (the environment sets it in any case)."""
    words = tuple(str(arg) for arg in argv[:2])
    return ["--busy-timeout", BUSY_TIMEOUT] if "--busy-timeout" in _options_of(words) else []


def _run_command(ws, name: str, db: Path, **kwargs):
    command = DB_COMMANDS[name]
    argv = command.argv(ws)
    return ws.run(
        [*argv, "--db", db, *busy_option(argv)],
        ok=command.ok,
        stdin=command.stdin,
        reads=not command.writes,
        **kwargs,
    )


@pytest.mark.parametrize("where", ["in-missing-folder", "in-existing-folder"])
@pytest.mark.parametrize("name", COMMANDS)
def test_missing_database_is_an_error(ws, name, where) -> None:
    """A --db path that does not exist is an error naming it; no folder or file is created."""
    folder = ws.root / "nowhere" / "sub" if where == "in-missing-folder" else ws.db_dir
    _run_command(ws, name, folder / "client.db", expect="error", message="client.db")
    ws.verify()


@pytest.mark.parametrize("name", COMMANDS)
def test_locked_database(ws, name) -> None:
    """Writers give up after the busy timeout with one line saying the database is locked;
    readers are not blocked by a writer (WAL)."""
    writes = DB_COMMANDS[name].writes
    with write_lock(ws.db):
        _run_command(
            ws,
            name,
            ws.db,
            expect="error" if writes else "success",
            message="locked" if writes else None,
        )
    ws.verify()


@pytest.mark.parametrize("mode", ["pages", "header"])
@pytest.mark.parametrize("name", COMMANDS)
def test_garbled_database(ws, name, mode) -> None:
    """Pages overwritten with noise, or a destroyed header: one line, the file left as it is."""
    garble_pages(ws.db, mode)
    _run_command(ws, name, ws.db, expect="error")
    ws.verify()


@pytest.mark.parametrize("name", COMMANDS)
def test_file_that_is_not_a_database(ws, name) -> None:
    """--db pointing at a glossary (a typo) is refused and the file is not touched."""
    ws.db.write_text(gen.glossary_tsv(), encoding="utf-8")
    _run_command(ws, name, ws.db, expect="error")
    ws.verify()


@pytest.mark.parametrize("name", COMMANDS)
def test_database_path_is_a_directory(ws, name) -> None:
    _run_command(ws, name, ws.db_dir, expect="error")
    ws.verify()

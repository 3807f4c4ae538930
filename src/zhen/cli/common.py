"""Options and helpers shared by the subcommand modules."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from zhen.database import Database
    from zhen.project import DatabaseChoice, Project


def usage_of(parser: argparse.ArgumentParser) -> Callable[[argparse.Namespace], int]:
    """The handler of a command group called without a subcommand: its help, exit 2."""

    def usage(_args: argparse.Namespace) -> int:
        parser.print_help(sys.stderr)
        return 2

    return usage


def db_target(value: str) -> Path | str:
    """A `--db` value: a `postgresql://` URL as given, else a file's path."""
    from zhen.store import is_url

    return value if is_url(value) else Path(value)


def add_scope_options(parser: argparse.ArgumentParser) -> None:
    """`--glossary FILE…` and `--origin NAME…`: what a lookup searches (lookup and the TUI)."""
    parser.add_argument(
        "--glossary",
        action="append",
        type=Path,
        default=[],
        metavar="FILE",
        help="also search this TBX, TSV, CSV or OmegaT glossary, before the database's own "
        "(repeatable, highest priority first; replaces the glossaries of zhen.toml)",
    )
    parser.add_argument(
        "--origin",
        action="append",
        default=[],
        metavar="NAME",
        help="TM matches only from units this origin supplied (repeatable; replaces the "
        "origins of zhen.toml; `zhen db info` lists them)",
    )


def add_db_option(parser: argparse.ArgumentParser) -> None:
    """`--db PATH|URL`: the database (default `$ZHEN_DB` or the user's data directory)."""
    parser.add_argument("--db", action=_DbOption, type=db_target, default=None, metavar="PATH|URL")


class _DbOption(argparse._StoreAction):
    """`--db`, whose help names the default database as the environment has it when shown."""

    @property  # type: ignore[override]
    def help(self) -> str:
        from zhen import project
        from zhen.store import default_db_path, redact
        from zhen.text.safetext import visible

        chosen = os.environ.get("ZHEN_DB")
        if chosen:
            default = f"$ZHEN_DB, now {redact(chosen)}"
        else:
            found = project.find()
            named = f" (here {found})" if found is not None else ""
            default = (
                f"$ZHEN_DB, else the database of the project's zhen.toml{named}, else your own "
                f"database {default_db_path()}, made on first use"
            )
        text = f"database file, which must exist, or a postgresql:// URL (default: {default})"
        return visible(text).replace("%", "%%")  # argparse %-formats help texts

    @help.setter
    def help(self, _text: str | None) -> None:
        """Ignored: the help is made when shown."""


# The user's own database when this run created it, with what its files looked like then:
# announced if the command succeeds, removed again if it fails before writing anything, so that
# a failing first command leaves nothing behind and a committed write is never lost.
_created: list[tuple[str, tuple]] = []
# Lines to print once the command has succeeded (an older database upgraded on the way).
_notices: list[str] = []


def _files_state(target: Path) -> tuple:
    """Size and modification time of a database file, and the size of its write-ahead log."""
    wal = Path(f"{target}-wal")
    main = target.stat() if target.exists() else None
    return (
        (main.st_size, main.st_mtime_ns) if main else None,
        wal.stat().st_size if wal.exists() else 0,
    )


def _remember_created(message: str) -> None:
    from zhen.store import default_db_path

    _created.append((message, _files_state(default_db_path())))


def project_of(args: argparse.Namespace) -> Project | None:
    """The zhen.toml in force for this run (the working folder's or a parent's), read once."""
    if not hasattr(args, "_project"):
        from zhen.project import current

        args._project = current()
    project: Project | None = args._project
    return project


def database_choice(args: argparse.Namespace) -> DatabaseChoice:
    """The database this command opens and what chose it (`zhen.project.choose_database`)."""
    from zhen.project import choose_database

    return choose_database(getattr(args, "db", None), project_of(args))


def open_db(args: argparse.Namespace, *, readonly: bool = False) -> Database:
    """The database `--db` names (or `$ZHEN_DB`, or the project's, or the user's own, made on
    first use).

    Commands that only read open it read-only, so they never change the file.
    """
    # Imported here: the CLI imports every command module on each start.
    from zhen.database import Database

    path = getattr(args, "db", None)
    return Database.locate(
        path,
        project=project_of(args),
        readonly=readonly,
        announce=_remember_created,
        on_upgrade=_notices.append,
    )


def db_file(args: argparse.Namespace) -> Path | None:
    """The database file a command will open, so that no output of it can overwrite that file
    (None for a database on a server)."""
    from zhen.store import default_db_path, is_url

    target = database_choice(args).target
    if is_url(target):
        return None
    return Path(target).expanduser() if target is not None else default_db_path()


def finish_created(succeeded: bool) -> None:
    """After a command: print what it did to the database files (created, upgraded), or, when
    it failed before writing to a database it had just created, remove that database."""
    from zhen.store import default_db_path

    if succeeded:
        for notice in _notices:
            print(f"zhen: {notice}", file=sys.stderr)
    _notices.clear()
    while _created:
        message, state = _created.pop()
        target = default_db_path()
        if succeeded or _files_state(target) != state:
            # Kept: the command succeeded, or wrote its work there before failing.
            print(f"zhen: {message}", file=sys.stderr)
            continue
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)

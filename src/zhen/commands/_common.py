"""Options and helpers shared by the subcommand modules."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from zhen.database import Database


def add_db_option(parser: argparse.ArgumentParser) -> None:
    """`--db PATH`: the database file (default `$ZHEN_DB` or the user's data directory)."""
    parser.add_argument(
        "--db",
        type=Path,
        default=None,
        metavar="PATH",
        help="database file, which must exist (default: $ZHEN_DB, else your own database in "
        "~/.local/share/zhen/zhen.db, created on first use)",
    )


def open_db(args: argparse.Namespace, *, readonly: bool = False) -> Database:
    """The database `--db` names (or `$ZHEN_DB`, or the user's own, made on first use).

    Commands that only read open it read-only, so they never change the file.
    """
    # Imported here: the CLI imports every command module on each start.
    from zhen.database import Database, announce_on_stderr

    return Database.locate(
        getattr(args, "db", None), readonly=readonly, announce=announce_on_stderr
    )

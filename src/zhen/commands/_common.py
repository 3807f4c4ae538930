"""Options and helpers shared by the subcommand modules."""

from __future__ import annotations

import argparse
import sqlite3
from pathlib import Path

from zhen import store


def add_db_option(parser: argparse.ArgumentParser) -> None:
    """`--db PATH`: the database file (default `$ZHEN_DB` or the user's data directory)."""
    parser.add_argument(
        "--db",
        type=Path,
        default=None,
        metavar="PATH",
        help="database file (default: $ZHEN_DB or ~/.local/share/zhen/zhen.db)",
    )


def open_db(args: argparse.Namespace) -> sqlite3.Connection:
    """Open the database named by `--db` (or the default one), seeding it on first use."""
    return store.connect(getattr(args, "db", None))


def db_file(args: argparse.Namespace) -> Path:
    """The database file a command will open, so that no output of it can overwrite that file."""
    path = getattr(args, "db", None)
    return Path(path) if path is not None else store.default_db_path()

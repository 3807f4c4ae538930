"""`zhen tui`: the terminal UI for lookup, term capture and review, and draft checking."""

from __future__ import annotations

import argparse
import os

from zhen.cli.common import add_db_option, open_db


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `zhen tui [--db PATH]`."""
    parser = subparsers.add_parser(
        "tui",
        help="interactive lookup, term review and draft checking",
        description="Open the terminal UI: search-as-you-type lookup over the glossary and TM, "
        "add and review terms, check a draft. Press F1 inside for the key bindings.",
    )
    add_db_option(parser)
    parser.set_defaults(handler=run_tui)


def run_tui(args: argparse.Namespace) -> int:
    """Run the app until the user quits."""
    # Imported here so that other subcommands never pay for loading Textual.
    from zhen.store import is_url
    from zhen.tui import run

    # A missing --db (or an unreachable server) is one error line here, before the screen is
    # taken over.
    with open_db(args, readonly=True) as db:
        path = db.path
    # A server's URL is passed on as given: `db.path` hides its password, which a server needs.
    named = getattr(args, "db", None) or os.environ.get("ZHEN_DB")
    run(named if is_url(named) else path)
    return 0

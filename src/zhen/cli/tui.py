"""`zhen tui`: the terminal UI for lookup, term capture and review, and draft checking."""

from __future__ import annotations

import argparse

from zhen.cli.common import add_db_option, add_scope_options, database_choice, open_db, project_of
from zhen.cli.signals import Stopped


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `zhen tui [--db PATH] [--origin NAME]… [--glossary FILE]…`."""
    parser = subparsers.add_parser(
        "tui",
        help="interactive lookup, term review and draft checking",
        description="Open the terminal UI: search-as-you-type lookup over the glossary and TM, "
        "add and review terms, check a draft. Press F1 inside for the key bindings. The "
        "project's zhen.toml gives the database, glossary files and origins unless the "
        "options here say otherwise.",
    )
    add_scope_options(parser)
    add_db_option(parser)
    # The app quits on SIGTERM and SIGHUP itself, giving the terminal back first (tui.app).
    parser.set_defaults(handler=run_tui, own_signals=True)


def run_tui(args: argparse.Namespace) -> int:
    """Run the app until the user quits."""
    # Imported here so that other subcommands never pay for loading Textual.
    from zhen.project import lookup_scope
    from zhen.search.glossaries import file_index
    from zhen.store import is_url
    from zhen.tui import run

    project = project_of(args)
    scope = lookup_scope(project, glossaries=args.glossary, origins=args.origin)
    # A missing --db (or an unreachable server) is one error line here, before the screen is
    # taken over.
    with open_db(args, readonly=True) as db:
        path = db.path
    for glossary in scope.glossary_files:  # read now (and cached): a bad file is one line too
        file_index(glossary)
    # A server's URL is passed on as given: `db.path` hides its password, which a server needs.
    named = database_choice(args).target
    stopped_by = run(named if is_url(named) else path, scope=scope, project=project)
    if stopped_by is not None:  # the app quit and gave the terminal back; now say why
        raise Stopped(stopped_by)
    return 0

"""`zhen init`: write a commented zhen.toml project file in the current folder."""

from __future__ import annotations

import argparse
from pathlib import Path

from zhen.text.safetext import visible


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `zhen init [--database PATH|URL] [--glossary FILE]… [--origin NAME]…`."""
    parser = subparsers.add_parser(
        "init",
        help="write a zhen.toml project file here: database, glossaries, origins, check",
        description="Write zhen.toml in the current folder: the project settings every zhen "
        "command run in this folder or below it reads (database, glossary files in priority "
        "order, the TM origins lookups search, check settings), each explained in a comment. "
        "An existing zhen.toml is never replaced. See docs/projects.md.",
    )
    parser.add_argument(
        "--database",
        metavar="PATH|URL",
        help="the project's database: a file (relative to the folder) or a postgresql:// URL "
        "without a password",
    )
    parser.add_argument(
        "--glossary",
        action="append",
        default=[],
        metavar="FILE",
        help="a glossary file of the project (repeatable, highest priority first)",
    )
    parser.add_argument(
        "--origin",
        action="append",
        default=[],
        metavar="NAME",
        help="a TM origin lookups search (repeatable; default: every origin)",
    )
    parser.set_defaults(handler=run_init)


def run_init(args: argparse.Namespace) -> int:
    """Write the file (whole or not at all) after checking that zhen reads it back as given."""
    from zhen.errors import ProjectError
    from zhen.project import PROJECT_FILE, parse, template, write_new
    from zhen.store import is_url, redact

    if (
        args.database is not None
        and is_url(args.database)
        and redact(args.database) != (args.database)
    ):
        raise ProjectError(
            "--database: keep the password out of zhen.toml (use ~/.pgpass or $PGPASSWORD)"
        )
    folder = Path.cwd()
    text = template(database=args.database, glossaries=args.glossary, origins=args.origin)
    parse(folder / PROJECT_FILE, text)  # a value zhen would refuse to read is refused now
    path = write_new(folder, text)
    print(
        f"wrote {visible(str(path))}; edit it to set the project's database, glossaries, "
        "origins and check settings"
    )
    return 0

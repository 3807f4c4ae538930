"""`zhen db init|info|check|upgrade|grant`: create, describe, check and upgrade a database;
grant roles on a PostgreSQL one."""

from __future__ import annotations

import argparse
import json
import sys

from zhen.cli.common import (
    add_db_option,
    database_choice,
    db_target,
    open_db,
    project_of,
    usage_of,
)
from zhen.text.safetext import visible

_PROGRESS_MIN_UNITS = 20_000  # a smaller copy is done before a bar would be read
# How `db info` words what chose the database (zhen.project.DatabaseSource).
_CHOSEN_BY = {
    "option": "--db",
    "environment": "$ZHEN_DB",
    "project": "the project file",
    "default": "default (your own database)",
}


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `zhen db` and its subcommands."""
    parser = subparsers.add_parser(
        "db",
        help="the database: init, info, check, upgrade, copy, grant",
        description="Create, describe, check and upgrade zhen database files.",
    )
    commands = parser.add_subparsers(dest="db_command", metavar="SUBCOMMAND")
    parser.set_defaults(handler=usage_of(parser))

    init = commands.add_parser(
        "init",
        help="create a new database (seeded with the bundled Xinhua data unless --empty)",
        description="Create a new database file. It holds the bundled Xinhua TM and glossary "
        "unless --empty is given (for a client's own TM). An existing file is never replaced.",
    )
    init.add_argument(
        "path",
        type=db_target,
        metavar="PATH|URL",
        help="the new database file, or a postgresql:// URL of an empty database",
    )
    init.add_argument("--empty", action="store_true", help="no bundled data: an empty database")
    init.set_defaults(handler=run_init)

    info = commands.add_parser("info", help="path, schema version, counts, size, origins")
    info.add_argument("--json", action="store_true", help="print one JSON object")
    add_db_option(info)
    info.set_defaults(handler=run_info)

    check = commands.add_parser(
        "check", help="SQLite's integrity and foreign-key checks; one line when sound"
    )
    add_db_option(check)
    check.set_defaults(handler=run_check)

    upgrade = commands.add_parser(
        "upgrade", help="bring a database made by an older zhen to the current schema"
    )
    upgrade.add_argument(
        "url",
        nargs="?",
        type=db_target,
        default=None,
        metavar="URL",
        help="a postgresql:// database (a file is named with --db, or upgraded on opening)",
    )
    add_db_option(upgrade)
    upgrade.set_defaults(handler=run_upgrade)

    copy = commands.add_parser(
        "copy",
        help="copy a whole database into a new one (a file to a postgresql:// server, or back)",
        description="Copy every unit, source, import and glossary entry of SRC into DST, ids "
        "and order kept, and build DST's lookup index. DST must be new: a file that does not "
        "exist, or a PostgreSQL database without zhen's tables. All or nothing.",
    )
    copy.add_argument("source", type=db_target, metavar="SRC", help="a database file or URL")
    copy.add_argument("target", type=db_target, metavar="DST", help="a new file, or a URL")
    copy.set_defaults(handler=run_copy)

    grant = commands.add_parser(
        "grant",
        help="give a PostgreSQL user one of zhen's roles: reader, translator, terminologist",
        description="Make a login role on the server a member of zhen_reader (lookup, check, "
        "export), zhen_translator (also import TM and propose terms) or zhen_terminologist "
        "(also approve, reject, edit and remove terms, and delete origins). The server enforces "
        "them; `zhen db init URL` made the roles.",
    )
    grant.add_argument("user", metavar="USER", help="the login role (CREATE ROLE … LOGIN)")
    grant.add_argument("role", metavar="ROLE", help="reader, translator or terminologist")
    add_db_option(grant)
    grant.set_defaults(handler=run_grant)


def run_init(args: argparse.Namespace) -> int:
    from zhen.database import Database

    with Database.create(args.path, seed=not args.empty) as db:
        info = db.info()
    what = "empty" if args.empty else f"seeded from {info.seeded_from}"
    print(
        f"created {visible(str(db.path))} "
        f"({what}: {info.units:,} units, {sum(info.terms.values()):,} terms)"
    )
    return 0


def run_info(args: argparse.Namespace) -> int:
    with open_db(args, readonly=True) as db:
        info = db.info()
    project = project_of(args)
    chosen_by = database_choice(args).source
    if args.json:
        data = info.to_json()
        data.update(project=None if project is None else str(project.path), database_from=chosen_by)
        print(json.dumps(data, ensure_ascii=True, indent=2))
        return 0
    terms = ", ".join(f"{status} {count:,}" for status, count in sorted(info.terms.items()))
    print(f"database   {visible(info.path)}")
    print(f"chosen by  {_CHOSEN_BY[chosen_by]}")
    print(f"project    {'none' if project is None else visible(str(project.path))}")
    print(f"schema     version {info.schema_version}")
    print(f"size       {info.size_bytes:,} bytes")
    print(f"units      {info.units:,}")
    print(f"terms      {sum(info.terms.values()):,}" + (f" ({terms})" if terms else ""))
    if info.seeded_from:
        print(f"seeded     {visible(info.seeded_from)}")
    print(f"origins    {len(info.origins):,}")
    for origin, count in info.origins:
        print(f"  {count:>9,}  {visible(origin) or '(none)'}")
    return 0


def run_check(args: argparse.Namespace) -> int:
    with open_db(args, readonly=True) as db:
        problems = db.check_integrity()
        path = db.path
    if not problems:
        print(f"{visible(str(path))}: ok")
        return 0
    for problem in problems[:20]:
        print(f"zhen: {visible(str(path))}: {visible(problem)}", file=sys.stderr)
    print(
        f"zhen: error: {visible(str(path))}: {len(problems)} problem(s) found; restore a backup "
        "or export what is readable with `zhen tm export`",
        file=sys.stderr,
    )
    return 2


def run_upgrade(args: argparse.Namespace) -> int:
    from zhen.store import SCHEMA_VERSION, is_url

    target = args.url if args.url is not None else database_choice(args).target
    if isinstance(target, str) and is_url(target):
        from zhen.store import postgres

        before, after = postgres.upgrade_database(target)
        change = f"upgraded from {before} to {after}" if before != after else "already current"
        print(f"{visible(postgres.redact(target))}: schema version {after} ({change})")
        return 0
    if args.url is not None:
        args.db = args.url  # a file named as the argument, as with --db

    # Opening for writing applies every pending migration.
    with open_db(args) as db:
        version = db.info().schema_version
    print(f"{visible(str(db.path))}: schema version {version} (current: {SCHEMA_VERSION})")
    return 0


def run_copy(args: argparse.Namespace) -> int:
    """`zhen db copy SRC DST`: the whole database into a new one, all or nothing."""
    from zhen.cli import console
    from zhen.store.copy import copy_database

    with console.progress_bar("copying", min_total=_PROGRESS_MIN_UNITS) as bar:
        report = copy_database(
            args.source, args.target, progress=lambda done, total: bar.update(done, total)
        )
    print(
        f"copied {visible(report.source)} to {visible(report.target)}: {report.units:,} units, "
        f"{report.unit_sources:,} further sources, {report.imports:,} imports, "
        f"{report.terms:,} terms"
    )
    return 0


def run_grant(args: argparse.Namespace) -> int:
    """`zhen db grant USER ROLE`: a login role made a member of one of zhen's roles."""
    from zhen.errors import StoreError
    from zhen.store import is_url

    target = database_choice(args).target
    if not (isinstance(target, str) and is_url(target)):
        raise StoreError(
            "zhen db grant needs a postgresql:// database (--db URL, $ZHEN_DB or zhen.toml)"
        )
    from zhen.store.postgres.server import grant_role, redact

    granted = grant_role(target, args.user, args.role)
    print(f"{visible(redact(target))}: {visible(args.user)} is now a member of {granted}")
    return 0

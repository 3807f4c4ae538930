"""`zhen check`: QA of an English draft against the Chinese source and the glossary."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from zhen import glossary
from zhen.cli import console
from zhen.cli.common import add_db_option, open_db, project_of
from zhen.errors import OutputError
from zhen.io.output import STDOUT, atomic_output, resolve_output

if TYPE_CHECKING:
    from zhen.project import Project

_FAIL_ON = ("info", "warning", "error")
# zhen.checker.formats.FORMATS, spelled out: importing the checker would slow every command's start.
_FORMATS = ("text", "json", "csv", "html")
# Shorter inputs are checked in a blink: no progress bar for them.
_PROGRESS_MIN_SEGMENTS = 300


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `check` subcommand."""
    parser = subparsers.add_parser(
        "check",
        help="check an English draft against the source: terms, numbers, untranslated text",
        description=(
            "Check an English draft against its Chinese source: glossary terms missing, "
            "forbidden or inconsistent, numbers dropped or changed, inline tags and placeholders, "
            "punctuation and typography, untranslated and unpaired sentences. SOURCE and DRAFT "
            "are plain texts (aligned first), or SOURCE alone is a "
            "bilingual TMX, XLIFF, PO or TSV file, or a text with the Chinese followed by the "
            "English. Several bilingual files (zhen check a.xlf b.xlf c.tmx) are checked as "
            "one job. Exit status: 0 clean, 1 issues at or above --fail-on, 2 bad input."
        ),
    )
    parser.add_argument(
        "source", type=Path, metavar="SOURCE", help="Chinese text or bilingual file"
    )
    parser.add_argument(
        "draft",
        type=Path,
        nargs="*",
        metavar="DRAFT",
        help="English draft text; after a bilingual SOURCE, more bilingual files checked with it "
        "as one job (consistency across them all)",
    )
    parser.add_argument(
        "--glossary",
        type=Path,
        metavar="FILE",
        help="TBX, TSV or CSV glossary to check against (default: the database's approved terms)",
    )
    parser.add_argument(
        "--format",
        choices=_FORMATS,
        default="text",
        help="report format: text (default), json, csv (one row per issue) or html (one "
        "self-contained file)",
    )
    parser.add_argument(
        "--json",
        dest="format",
        action="store_const",
        const="json",
        help="the same as --format json",
    )
    parser.add_argument(
        "-o",
        "--output",
        default=STDOUT,
        metavar="FILE",
        help="write the report to FILE (written whole or not at all; default: standard output)",
    )
    parser.add_argument(
        "--presegmented",
        action="store_true",
        help="SOURCE and DRAFT hold one sentence a line: pair line i with line i, do not align",
    )
    parser.add_argument(
        "--fail-on",
        choices=_FAIL_ON,
        default=None,
        help="lowest severity that makes the exit status 1 (default: warning, or fail_on in "
        "zhen.toml's [check])",
    )
    parser.add_argument(
        "--min-severity",
        choices=_FAIL_ON,
        default="info",
        help="hide issues below this severity in the text, CSV and HTML reports (default: all)",
    )
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        metavar="KIND",
        help="leave out issues of this kind, e.g. lowercase-start (repeatable; see docs/check.md)",
    )
    parser.add_argument(
        "--ignore",
        type=Path,
        metavar="FILE",
        help="leave out the flags accepted in this ignore file (see docs/check.md)",
    )
    parser.add_argument(
        "--write-ignore",
        metavar="FILE",
        help="write an ignore file accepting every flag of this run, plus those of --ignore "
        "(may be the --ignore file itself)",
    )
    add_db_option(parser)
    parser.set_defaults(handler=run)


def _load_terms(args: argparse.Namespace, project: Project | None) -> list:
    if args.glossary is not None:
        return [t for t in glossary.load_terms_file(args.glossary) if t.status == "approved"]
    if project is None:
        return _database_terms(args)
    from zhen.project import project_terms

    return project_terms(project, lambda: _database_terms(args))


def _database_terms(args: argparse.Namespace) -> list:
    with open_db(args, readonly=True) as db:
        return db.approved_terms()


def run(args: argparse.Namespace) -> int:
    """Load the glossary, check the files, print the report; exit status from --fail-on."""
    from zhen.checker import check_files, check_job, is_bilingual, issue_kinds
    from zhen.checker.formats import format_check_report
    from zhen.checker.ignore import IgnoreList, read_ignore_file
    from zhen.project import CheckSettings, project_skip

    project = project_of(args)
    settings = project.check if project is not None else CheckSettings()
    skip = issue_kinds(args.skip) | project_skip(project)  # before the glossary: a typo fails fast
    fail_on = args.fail_on or settings.fail_on or "warning"
    ignore = args.ignore if args.ignore is not None else settings.ignore
    inputs = (args.source, *args.draft, args.glossary)
    resolve_output(args.output, inputs)  # a bad output path fails before the slow check
    if args.write_ignore is not None and resolve_output(args.write_ignore, inputs).is_stdout:
        raise OutputError("--write-ignore needs a file: standard output is for the report")
    ignore_list = IgnoreList() if ignore is None else read_ignore_file(ignore)
    terms = _load_terms(args, project)
    with console.progress_bar("checking", min_total=_PROGRESS_MIN_SEGMENTS) as bar:
        if len(args.draft) > 1 or (args.draft and is_bilingual(args.source)):
            files = [args.source, *args.draft]
            report = check_job(files, terms=terms, skip=skip, progress=bar.update)
        else:
            report = check_files(
                args.source,
                args.draft[0] if args.draft else None,
                terms=terms,
                skip=skip,
                presegmented=args.presegmented,
                progress=bar.update,
            )
    if args.write_ignore is not None:
        ignore_list.with_issues(report.issues).write(args.write_ignore, inputs=inputs)
    report = ignore_list.apply(report)
    colour = args.output == STDOUT and console.use_colour(sys.stdout)
    text = format_check_report(report, args.format, colour=colour, min_severity=args.min_severity)
    with atomic_output(args.output, "w", encoding="utf-8", inputs=inputs) as out:
        out.write(text)
    return report.exit_code(fail_on)

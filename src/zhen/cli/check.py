"""`zhen check`: QA of an English draft against the Chinese source and the glossary."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from zhen import glossary
from zhen.cli import console
from zhen.cli.common import add_db_option, open_db
from zhen.text.safetext import json_text

_FAIL_ON = ("info", "warning", "error")
# Shorter inputs are checked in a blink: no progress bar for them.
_PROGRESS_MIN_SEGMENTS = 300


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `check` subcommand."""
    parser = subparsers.add_parser(
        "check",
        help="check an English draft against the source: terms, numbers, untranslated text",
        description=(
            "Check an English draft against its Chinese source: glossary terms missing, "
            "forbidden or inconsistent, numbers dropped or changed, untranslated and unpaired "
            "sentences. SOURCE and DRAFT are plain texts (aligned first), or SOURCE alone is a "
            "bilingual TMX, XLIFF, PO or TSV file, or a text with the Chinese followed by the "
            "English. Exit status: 0 clean, 1 issues at or above --fail-on, 2 bad input."
        ),
    )
    parser.add_argument(
        "source", type=Path, metavar="SOURCE", help="Chinese text or bilingual file"
    )
    parser.add_argument(
        "draft", type=Path, nargs="?", default=None, metavar="DRAFT", help="English draft text"
    )
    parser.add_argument(
        "--glossary",
        type=Path,
        metavar="FILE",
        help="TBX, TSV or CSV glossary to check against (default: the database's approved terms)",
    )
    parser.add_argument(
        "--presegmented",
        action="store_true",
        help="SOURCE and DRAFT hold one sentence a line: pair line i with line i, do not align",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "--fail-on",
        choices=_FAIL_ON,
        default="warning",
        help="lowest severity that makes the exit status 1 (default: warning)",
    )
    parser.add_argument(
        "--min-severity",
        choices=_FAIL_ON,
        default="info",
        help="hide issues below this severity in the readable report (default: show all)",
    )
    add_db_option(parser)
    parser.set_defaults(handler=run)


def _load_terms(args: argparse.Namespace) -> list:
    if args.glossary is not None:
        return [t for t in glossary.load_terms_file(args.glossary) if t.status == "approved"]
    with open_db(args, readonly=True) as db:
        return db.approved_terms()


def run(args: argparse.Namespace) -> int:
    """Load the glossary, check the files, print the report; exit status from --fail-on."""
    from zhen.checker import check_files, format_report

    terms = _load_terms(args)
    with console.progress_bar("checking", min_total=_PROGRESS_MIN_SEGMENTS) as bar:
        report = check_files(
            args.source,
            args.draft,
            terms=terms,
            presegmented=args.presegmented,
            progress=bar.update,
        )
    if args.json:
        sys.stdout.write(json_text(report.to_json(), indent=2) + "\n")
    else:
        sys.stdout.write(
            format_report(
                report, colour=console.use_colour(sys.stdout), min_severity=args.min_severity
            )
        )
    return report.exit_code(args.fail_on)

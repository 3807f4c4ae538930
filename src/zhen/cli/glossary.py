"""`zhen glossary add|list|show|edit|remove|import|export|extract|review`: manage the term base."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from zhen import glossary
from zhen.cli.common import add_db_option, db_file, open_db, usage_of
from zhen.cli.glossary_display import one_line, print_entry, print_json, term_json
from zhen.cli.glossary_extract import run_extract
from zhen.cli.glossary_review import run_review
from zhen.errors import GlossaryError, InputError
from zhen.io.output import resolve_output
from zhen.models import TERM_STATUSES, StoredTerm, Term
from zhen.text.safetext import ControlCounter, visible

if TYPE_CHECKING:
    from zhen.database import Database

# Processes `glossary extract` spreads a large input over: each holds the tokeniser, the
# dictionary and the embedding model (about 0.4 GB), so two keep a run within 1.5 GB.
_EXTRACT_WORKERS = 2


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `zhen glossary` and its subcommands."""
    parser = subparsers.add_parser(
        "glossary",
        help="term base: add, list, show, edit, remove, import, export, extract, review",
        description="Manage the glossary of fixed Chinese→English renderings.",
    )
    parser.set_defaults(handler=usage_of(parser))
    commands = parser.add_subparsers(dest="glossary_command", metavar="SUBCOMMAND")

    add = commands.add_parser("add", help="add a term", description="Add a glossary entry.")
    add.add_argument("zh", metavar="ZH", help="the Chinese term (Simplified or Traditional)")
    add.add_argument("en", metavar="EN", help="the preferred English rendering")
    _add_entry_options(add, status_default="approved")
    add.set_defaults(handler=run_add)

    listing = commands.add_parser("list", help="list terms")
    listing.add_argument("--status", choices=TERM_STATUSES, help="only terms with this status")
    listing.add_argument("--json", action="store_true", help="print a JSON list")
    listing.set_defaults(handler=run_list)

    show = commands.add_parser("show", help="show the entries for a Chinese term")
    show.add_argument("zh", metavar="ZH", help="the Chinese term to show")
    show.add_argument("--json", action="store_true", help="print a JSON list")
    show.set_defaults(handler=run_show)

    edit = commands.add_parser(
        "edit",
        help="change an entry",
        description="Change an entry. When ZH has several entries, pick one with --id.",
    )
    edit.add_argument("zh", metavar="ZH", help="the Chinese term whose entry to change")
    edit.add_argument("--id", type=int, help="the entry id (see `zhen glossary show ZH`)")
    edit.add_argument("--en", help="new preferred rendering (the old one becomes a variant)")
    edit.add_argument(
        "--add-variant", action="append", default=[], metavar="EN", help=_HELP["variant"]
    )
    edit.add_argument(
        "--remove-variant",
        action="append",
        default=[],
        metavar="EN",
        help="drop the accepted variant EN; repeat the option for several",
    )
    edit.add_argument("--forbid", action="append", default=[], metavar="EN", help=_HELP["forbid"])
    edit.add_argument(
        "--allow",
        action="append",
        default=[],
        metavar="EN",
        help="unforbid EN; repeat the option for several",
    )
    edit.add_argument("--note", help=f"{_HELP['note']}, replacing the old one")
    edit.add_argument("--status", choices=TERM_STATUSES, help=_HELP["status"])
    edit.add_argument("--domain", help=_HELP["domain"])
    edit.add_argument("--pos", help="part of speech")
    edit.add_argument(
        "--source", action="append", default=[], metavar="WHERE", help=_HELP["source"]
    )
    _add_check_option(edit, default=None)
    edit.set_defaults(handler=run_edit)

    remove = commands.add_parser("remove", help="delete an entry")
    remove.add_argument("zh", metavar="ZH", help="the Chinese term whose entry to delete")
    remove.add_argument("--id", type=int, help="the entry id when ZH has several")
    remove.set_defaults(handler=run_remove)

    importer = commands.add_parser(
        "import",
        help="import TSV, OmegaT .txt, CSV or TBX",
        description="Import a glossary file, all or nothing; duplicates are merged and reported.",
    )
    importer.add_argument("file", type=Path, metavar="FILE", help="the glossary file to read")
    importer.add_argument(
        "--format",
        dest="fmt",
        choices=("tsv", "omegat", "csv", "tbx", "tbx3"),
        help="the file's format (default: told from its content and suffix)",
    )
    importer.set_defaults(handler=run_import)

    exporter = commands.add_parser(
        "export",
        help="export as TBX v2/v3, OmegaT .txt, CSV or TSV",
        description="Write the glossary; the format follows the suffix (.tbx = TBX v2, "
        ".tbx3 = TBX v3, .txt = OmegaT, .csv, .tsv) unless --format is given. "
        "FILE - writes to standard output (give --format).",
    )
    exporter.add_argument(
        "file", type=Path, metavar="FILE", help="the file to write, or - for standard output"
    )
    exporter.add_argument(
        "--format",
        dest="fmt",
        choices=("tsv", "omegat", "csv", "tbx", "tbx3"),
        help="the format to write (default: told from the suffix)",
    )
    exporter.add_argument(
        "--status",
        choices=glossary.EXPORT_STATUSES,
        default="approved",
        help="which entries to write (default: approved; CAT tools show every entry they read "
        "as a valid term)",
    )
    exporter.set_defaults(handler=run_export)

    extract = commands.add_parser(
        "extract",
        help="propose terms from aligned pairs (bilingual files or the database)",
        description="Find term candidates in aligned pairs: quoted phrases, acronyms with "
        "expansions, recurring multi-word units and names. FILE may be any format "
        "`zhen tm import` reads (TMX, TSV, CSV, XLIFF 1.2 and 2, PO).",
    )
    extract.add_argument(
        "files",
        nargs="*",
        type=Path,
        metavar="FILE",
        help="files of aligned pairs, in any format `zhen tm import` reads",
    )
    extract.add_argument("--db-units", action="store_true", help="read the pairs in the database")
    extract.add_argument(
        "--json",
        action="store_true",
        help="print the shown proposals as JSON (every candidate with --all)",
    )
    extract.add_argument(
        "--all",
        action="store_true",
        help="with --json, list every candidate found, not only the shown proposals",
    )
    extract.add_argument("--save", action="store_true", help="store new candidates as proposed")
    extract.add_argument(
        "--min-score",
        type=float,
        default=None,
        help=f"show candidates scoring at least this (default {glossary.DISPLAY_SCORE}); "
        "with --json --all, list only those (default: every candidate)",
    )
    extract.add_argument(
        "--since",
        metavar="DATE",
        help="with --db-units, propose only terms found in pairs imported on or after DATE "
        "(YYYY-MM-DD, UTC); the evidence still comes from every pair",
    )
    extract.add_argument(
        "--workers",
        type=int,
        default=_EXTRACT_WORKERS,
        metavar="N",
        help=f"processes to share the work (default {_EXTRACT_WORKERS})",
    )
    extract.set_defaults(handler=run_extract)

    review = commands.add_parser(
        "review",
        help="accept, reject or edit proposed terms one by one",
        description="Press a (accept), r (reject), e (edit: then type the English), s (skip), "
        "d (delete) or q (quit) for each proposed term; u takes the last decision back. On a "
        "terminal one key is the answer (no Enter); piped answers are read one per line. The "
        "TUI's review screen uses the same keys.",
    )
    review.set_defaults(handler=run_review)

    for sub in (add, listing, show, edit, remove, importer, exporter, extract, review):
        add_db_option(sub)


# The help of the entry options `glossary add` and `glossary edit` share.
_HELP = {
    "variant": "an accepted alternative rendering; repeat the option for several",
    "forbid": "a rendering drafts must not use (`zhen check` flags it); repeat the option "
    "for several",
    "note": "a note or definition shown with the term",
    "status": "approved (used by lookup and check), proposed (awaiting review) or rejected",
    "domain": "the subject field, such as diplomacy",
    "source": "where the term was found, such as a document and sentence pair; repeat the "
    "option for several",
}


def _add_entry_options(parser: argparse.ArgumentParser, status_default: str) -> None:
    parser.add_argument(
        "--variant", action="append", default=[], metavar="EN", help=_HELP["variant"]
    )
    parser.add_argument("--forbid", action="append", default=[], metavar="EN", help=_HELP["forbid"])
    parser.add_argument("--note", help=_HELP["note"])
    parser.add_argument(
        "--status",
        choices=TERM_STATUSES,
        default=status_default,
        help=f"{_HELP['status']} (default {status_default})",
    )
    parser.add_argument("--domain", help=_HELP["domain"])
    parser.add_argument("--pos", help="part of speech")
    parser.add_argument(
        "--source", action="append", default=[], metavar="WHERE", help=_HELP["source"]
    )
    _add_check_option(parser, default=True)


def _add_check_option(parser: argparse.ArgumentParser, default: bool | None) -> None:
    choice = parser.add_mutually_exclusive_group()
    choice.add_argument(
        "--lookup-only",
        dest="checked",
        action="store_false",
        default=default,
        help="show the term in lookups but do not require it in drafts (`zhen check`)",
    )
    choice.add_argument(
        "--check",
        dest="checked",
        action="store_true",
        default=default,
        help="require the term in drafts again (the default for a new entry)",
    )


# Arguments that become stored text: one line each, but a note may run over several.
_TEXT_ARGUMENTS = (
    "zh",
    "en",
    "variant",
    "forbid",
    "domain",
    "pos",
    "source",
    "add_variant",
    "remove_variant",
    "allow",
)


def _drop_controls(args: argparse.Namespace) -> int:
    """Drop control characters from the arguments that become stored text; how many."""
    counter = ControlCounter()
    for name in _TEXT_ARGUMENTS:
        value = getattr(args, name, None)
        if isinstance(value, list):
            setattr(args, name, [counter.clean(item, keep_newlines=False) for item in value])
        elif isinstance(value, str):
            setattr(args, name, counter.clean(value, keep_newlines=False))
    if args.note is not None:
        args.note = counter.clean(args.note)
    return counter.removed


def _say_dropped(removed: int) -> None:
    # Said once the command has succeeded: a failure is one error line and nothing else.
    if removed:
        print(f"zhen: removed {removed} control characters from the arguments", file=sys.stderr)


def run_add(args: argparse.Namespace) -> int:
    """`zhen glossary add`."""
    dropped = _drop_controls(args)
    term = Term(
        zh=args.zh,
        en=args.en,
        variants=args.variant,
        forbidden=args.forbid,
        status=args.status,
        domain=args.domain,
        note=args.note,
        pos=args.pos,
        sources=args.source,
        checked=args.checked,
    )
    with open_db(args) as db:
        stored = db.add_term(term)
    print(visible(f"added {stored.zh} → {stored.en} [id {stored.id}, {stored.status}]"))
    _say_dropped(dropped)
    return 0


def run_list(args: argparse.Namespace) -> int:
    """`zhen glossary list`."""
    with open_db(args, readonly=True) as db:
        terms = db.terms(args.status)
    if args.json:
        print_json([term_json(t) for t in terms])
        return 0
    for term in terms:
        print(one_line(term))
    print(f"{len(terms)} terms", file=sys.stderr)
    return 0


def _entries_for(db: Database, zh: str) -> list[StoredTerm]:
    terms = db.term(zh)
    if not terms:
        raise GlossaryError(f"{zh}: not in the glossary")
    return terms


def _pick(db: Database, zh: str, term_id: int | None) -> StoredTerm:
    terms = _entries_for(db, zh)
    if term_id is not None:
        chosen = [t for t in terms if t.id == term_id]
        if not chosen:
            raise GlossaryError(f"{zh}: no entry with id {term_id}")
        return chosen[0]
    if len(terms) > 1:
        ids = ", ".join(f"{t.id} ({t.en})" for t in terms)
        raise GlossaryError(f"{zh}: several entries ({ids}); choose one with --id")
    return terms[0]


def run_show(args: argparse.Namespace) -> int:
    """`zhen glossary show`."""
    with open_db(args, readonly=True) as db:
        terms = _entries_for(db, args.zh)
    if args.json:
        print_json([term_json(t) for t in terms])
        return 0
    for term in terms:
        print_entry(term)
    return 0


def run_edit(args: argparse.Namespace) -> int:
    """`zhen glossary edit`."""
    dropped = _drop_controls(args)
    with open_db(args) as db:
        term = _pick(db, args.zh, args.id)
        edited = glossary.edit_term(
            term,
            en=args.en,
            add_variants=args.add_variant,
            remove_variants=args.remove_variant,
            forbid=args.forbid,
            allow=args.allow,
            sources=args.source,
            note=args.note,
            status=args.status,
            domain=args.domain,
            pos=args.pos,
            checked=args.checked,
        )
        stored = db.update_term(edited)
    print_entry(stored)
    _say_dropped(dropped)
    return 0


def run_remove(args: argparse.Namespace) -> int:
    """`zhen glossary remove`."""
    with open_db(args) as db:
        term = _pick(db, args.zh, args.id)
        db.remove_term(term.id)
    print(visible(f"removed {term.zh} → {term.en} [id {term.id}]"))
    return 0


def run_import(args: argparse.Namespace) -> int:
    """`zhen glossary import`."""
    with open_db(args) as db:
        report = db.import_glossary(args.file, fmt=args.fmt)
    for message in report.duplicates + report.warnings:
        print(visible(f"zhen: {message}"), file=sys.stderr)
    print(visible(report.summary()))
    return 0


def run_export(args: argparse.Namespace) -> int:
    """`zhen glossary export`."""
    target = resolve_output(args.file, [db_file(args)])
    if target.is_stdout and not args.fmt and not args.file.suffix:
        raise InputError(
            "standard output has no extension: give --format tsv, omegat, csv, tbx or tbx3"
        )
    with open_db(args, readonly=True) as db:
        report = db.export_glossary(args.file, fmt=args.fmt, status=args.status)
    hint = " (--status all to include them)" if report.left_out else ""
    summary = sys.stderr if target.is_stdout else sys.stdout
    print(visible(report.summary(target.describe()) + hint), file=summary)
    return 0

"""`zhen lookup`: glossary terms, fuzzy TM matches and concordance lines for a query."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from zhen.cli import console
from zhen.cli.common import add_db_option, add_scope_options, open_db, project_of
from zhen.errors import InputError, SearchError
from zhen.search import SIDES, Hit, LookupResult
from zhen.text.safetext import clean_text, json_text, visible, visible_spans
from zhen.text.styled import Fragment

if TYPE_CHECKING:
    from zhen.database import Database

# The style of the words of a hit that match the query, when the output takes colour.
_MATCHED = "bold"
# What the numbers mean, on each section's heading (docs/lookup.md, "Scores").
TERM_LEGEND = "(score: exact 100 · contained: % of the longer of query and term · fuzzy: % alike)"
UNIT_LEGEND = "(match %; ⊂ fragment: % of the query matched by part of a longer unit)"


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `zhen lookup QUERY | --batch FILE [--json] [--limit N] [--min-score S] [--side]`."""
    parser = subparsers.add_parser(
        "lookup",
        help="look a term or sentence up in the glossary and translation memory",
        description="Look a Chinese or English query up: glossary terms first (exact, contained, "
        "fuzzy), then TM units by match % (100 = identical after normalisation; differing "
        "numbers or tags never show 100), then concordance lines containing the query. Chinese "
        "may be Simplified or Traditional, full- or half-width; English is case-insensitive "
        "and tolerates typos.",
    )
    parser.add_argument("query", nargs="?", help="the text to look up (zh or en)")
    parser.add_argument(
        "--batch",
        metavar="FILE",
        help="read one query per line from FILE ('-' for stdin); with --json, one JSON object "
        "per line out",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.add_argument(
        "--limit", type=int, default=20, metavar="N", help="at most N hits per list (default 20)"
    )
    parser.add_argument(
        "--min-score",
        type=float,
        default=50,
        metavar="S",
        help="lowest fuzzy match %% shown, 0–100 (default 50)",
    )
    parser.add_argument(
        "--side", choices=SIDES, help="match the query against this side (default: detected)"
    )
    add_scope_options(parser)
    add_db_option(parser)
    parser.set_defaults(handler=run_lookup)


def run_lookup(args: argparse.Namespace) -> int:
    """Run one lookup or a batch and print the results."""
    if (args.query is None) == (args.batch is None):
        raise InputError("give either a QUERY or --batch FILE")
    from zhen.project import lookup_scope  # here: every command module loads on each start

    scope = lookup_scope(project_of(args), glossaries=args.glossary, origins=args.origin)
    options = {"limit": args.limit, "min_score": args.min_score, "side": args.side, "scope": scope}
    if args.query is not None:
        if not args.query.strip():
            raise SearchError("empty query")
        with open_db(args, readonly=True) as db:
            _note_unknown_origins(db, args.origin)
            result = db.lookup(args.query, **options)
        if args.json:
            print(json_text(result.to_json(), indent=2))
        else:
            print_result(result, sys.stdout)
        return 0
    queries = _read_batch(args.batch)
    with open_db(args, readonly=True) as db:
        _note_unknown_origins(db, args.origin)
        for number, query in enumerate(queries):
            try:
                result = db.lookup(query, **options)
            except SearchError as exc:
                # One line out per line in, so scripts can zip input and output.
                if args.json:
                    print(json_text({"query": query, "error": str(exc), "terms": [], "units": []}))
                else:
                    print(visible(f"# {query}\n  ({exc})\n"))
                continue
            if args.json:
                print(json_text(result.to_json()))
            else:
                if number:
                    print()
                print(visible(f"# {query}"))
                print_result(result, sys.stdout)
    return 0


def _note_unknown_origins(db: Database, origins: list[str]) -> None:
    """A note on stderr for each --origin no unit has: most likely a typo."""
    for origin in db.unknown_origins(dict.fromkeys(origins)):
        print(visible(f"zhen: note: no unit has the origin {origin!r}"), file=sys.stderr)


def _read_batch(name: str) -> list[str]:
    """The queries of a --batch file (or stdin), one a line, control characters dropped."""
    # Imported here: its many page-chrome patterns take a while to compile, and a single
    # lookup reads no file.
    from zhen.io.textfile import read_text, refuse_nul

    if name == "-":
        text = sys.stdin.read()
        refuse_nul(text, "<stdin>")
        text = clean_text(text)[0]
    else:
        text = read_text(name)
    return [line.strip() for line in text.splitlines()]


def _mark(text: str, spans: Sequence[tuple[int, int]]) -> list[Fragment]:
    """The stored text with its control characters escaped and its matched spans in bold."""
    text, spans = visible_spans(text, spans)
    parts: list[Fragment] = []
    last = 0
    for start, end in spans:
        parts.extend((text[last:start], (text[start:end], _MATCHED)))
        last = end
    parts.append(text[last:])
    return parts


def _term_lines(hit: Hit) -> list[Fragment]:
    # A glossary file's entry names the file; the database's own entries are the plain case.
    source = hit.origin if hit.origin != "glossary" else None
    status = ", ".join(
        part
        for part in (hit.status, hit.match, None if hit.checked else "lookup-only", source)
        if part
    )
    parts: list[Fragment] = [f"  {hit.score:>3.0f}  ", *_mark(hit.zh, hit.zh_spans), " → "]
    parts.extend((*_mark(hit.en, hit.en_spans), f"  [{status}]\n"))
    if hit.variants:
        parts.append(visible(f"       also: {' | '.join(hit.variants)}\n"))
    if hit.forbidden:
        parts.append(visible(f"       avoid: {' | '.join(hit.forbidden)}\n"))
    if hit.matched_kind == "forbidden":
        parts.append(f"       ! the query matches the forbidden rendering {hit.matched!r}\n")
    elif hit.matched_kind == "variant":
        parts.append(f"       (matched the variant {hit.matched!r})\n")
    if hit.note:
        parts.append(visible(f"       note: {hit.note}\n"))
    return parts


def _unit_lines(hit: Hit) -> list[Fragment]:
    label = f"{hit.score:>3.0f}%" if hit.kind == "unit" else "   ·"
    # ⊂ (as in the TUI): the query matched a part of this longer unit.
    mark = "⊂" if hit.fragment is not None else " "
    parts: list[Fragment] = [f"  {label}{mark}", *_mark(hit.zh, hit.zh_spans), "\n       "]
    parts.extend((*_mark(hit.en, hit.en_spans), "\n"))
    if hit.fragment is not None:
        start, end = hit.fragment.span
        parts.append(f"       fragment: {hit.fragment.side} {start}–{end}\n")
    if hit.origin:
        parts.append(visible(f"       ({hit.origin})\n"))
    return parts


def print_result(result: LookupResult, out: TextIO) -> None:
    """The readable report: terms, then TM matches with their %, then concordance; the
    matched words in bold when `out` takes colour (see zhen.cli.console)."""
    sections = (
        (f"Terms {TERM_LEGEND}", result.terms, _term_lines),
        (f"TM matches {UNIT_LEGEND}", result.units, _unit_lines),
        ("Concordance", result.concordance, _unit_lines),
    )
    if not any(hits for _, hits, _ in sections):
        out.write(f"No matches for {result.query!r} ({result.side}).\n")
        return
    parts: list[Fragment] = []
    for title, hits, lines in sections:
        if hits:
            parts.append(f"{title}\n")
            for hit in hits:
                parts.extend(lines(hit))
    console.write(out, parts)

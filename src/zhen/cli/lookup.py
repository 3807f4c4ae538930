"""`zhen lookup`: glossary terms, fuzzy TM matches and concordance lines for a query."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TextIO

from zhen.cli.common import add_db_option, open_db
from zhen.errors import InputError, SearchError
from zhen.io.textfile import read_text, refuse_nul
from zhen.search import SIDES, Hit, LookupResult
from zhen.text.safetext import clean_text, json_text, visible, visible_spans

_BOLD, _RESET = "\x1b[1m", "\x1b[0m"


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `zhen lookup QUERY | --batch FILE [--json] [--limit N] [--min-score S] [--side]`."""
    parser = subparsers.add_parser(
        "lookup",
        help="look a term or sentence up in the glossary and translation memory",
        description="Look a Chinese or English query up: glossary terms first (exact, contained, "
        "fuzzy), then TM units by match %% (100 = identical after normalisation; differing "
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
    add_db_option(parser)
    parser.set_defaults(handler=run_lookup)


def run_lookup(args: argparse.Namespace) -> int:
    """Run one lookup or a batch and print the results."""
    if (args.query is None) == (args.batch is None):
        raise InputError("give either a QUERY or --batch FILE")
    options = {"limit": args.limit, "min_score": args.min_score, "side": args.side}
    if args.query is not None:
        if not args.query.strip():
            raise SearchError("empty query")
        with open_db(args, readonly=True) as db:
            result = db.lookup(args.query, **options)
        if args.json:
            print(json_text(result.to_json(), indent=2))
        else:
            print_result(result, sys.stdout)
        return 0
    queries = _read_batch(args.batch)
    with open_db(args, readonly=True) as db:
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


def _read_batch(name: str) -> list[str]:
    """The queries of a --batch file (or stdin), one a line, control characters dropped."""
    if name == "-":
        text = sys.stdin.read()
        refuse_nul(text, "<stdin>")
        text = clean_text(text)[0]
    else:
        text = read_text(name)
    return [line.strip() for line in text.splitlines()]


def _mark(text: str, spans: Sequence[tuple[int, int]], enabled: bool) -> str:
    """The stored text with its control characters escaped; bold spans on a terminal."""
    text, spans = visible_spans(text, spans)
    if not enabled or not spans:
        return text
    out, last = list[str](), 0
    for start, end in spans:
        out.extend((text[last:start], _BOLD, text[start:end], _RESET))
        last = end
    out.append(text[last:])
    return "".join(out)


def _print_term(hit: Hit, out: TextIO, color: bool) -> None:
    status = ", ".join(
        part for part in (hit.status, hit.match, None if hit.checked else "lookup-only") if part
    )
    out.write(
        f"  {hit.score:>3.0f}  {_mark(hit.zh, hit.zh_spans, color)} → "
        f"{_mark(hit.en, hit.en_spans, color)}  [{status}]\n"
    )
    if hit.variants:
        out.write(visible(f"       also: {' | '.join(hit.variants)}\n"))
    if hit.forbidden:
        out.write(visible(f"       avoid: {' | '.join(hit.forbidden)}\n"))
    if hit.matched_kind == "forbidden":
        out.write(f"       ! the query matches the forbidden rendering {hit.matched!r}\n")
    elif hit.matched_kind == "variant":
        out.write(f"       (matched the variant {hit.matched!r})\n")
    if hit.note:
        out.write(visible(f"       note: {hit.note}\n"))


def _print_unit(hit: Hit, out: TextIO, color: bool) -> None:
    label = f"{hit.score:>3.0f}%" if hit.kind == "unit" else "   ·"
    out.write(f"  {label} {_mark(hit.zh, hit.zh_spans, color)}\n")
    out.write(f"       {_mark(hit.en, hit.en_spans, color)}\n")
    if hit.origin:
        out.write(visible(f"       ({hit.origin})\n"))


def print_result(result: LookupResult, out: TextIO) -> None:
    """The readable report: terms, then TM matches with their %, then concordance."""
    color = out.isatty()
    sections = (
        ("Terms", result.terms, _print_term),
        ("TM matches", result.units, _print_unit),
        ("Concordance", result.concordance, _print_unit),
    )
    if not any(hits for _, hits, _ in sections):
        out.write(f"No matches for {result.query!r} ({result.side}).\n")
        return
    for title, hits, printer in sections:
        if hits:
            out.write(f"{title}\n")
            for hit in hits:
                printer(hit, out, color)

"""`zhen tm import|export|stats|delete`: manage the translation memory from the command line."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from pathlib import Path

from zhen import tm, tmx
from zhen.commands._common import add_db_option, open_db
from zhen.errors import InputError


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `zhen tm` and its subcommands."""
    parser = subparsers.add_parser(
        "tm",
        help="translation memory: import, export, stats, delete",
        description="Manage the translation memory in the zhen database.",
    )
    commands = parser.add_subparsers(dest="tm_command", metavar="SUBCOMMAND")
    parser.set_defaults(handler=lambda _args: _usage(parser))

    importer = commands.add_parser(
        "import",
        help="import TMX, TSV (zh<TAB>en), XLIFF or PO files",
        description="Import bilingual files in one transaction: on any error nothing is kept. "
        "Exact duplicates are merged.",
    )
    importer.add_argument("files", nargs="+", type=Path, metavar="FILE")
    add_db_option(importer)
    importer.set_defaults(handler=run_import)

    exporter = commands.add_parser(
        "export",
        help="export the TM as TMX 1.4b",
        description="Write the TM (or one origin) as TMX 1.4b for CAT tools.",
    )
    exporter.add_argument("output", type=Path, metavar="OUT.tmx")
    exporter.add_argument(
        "--lang",
        default="zh-CN,en-US",
        metavar="ZH,EN",
        help='language codes written for the two sides (default zh-CN,en-US); "keep" writes '
        "each unit's own codes",
    )
    exporter.add_argument("--origin", metavar="X", help="only units of this origin (file/document)")
    add_db_option(exporter)
    exporter.set_defaults(handler=run_export)

    stats_parser = commands.add_parser(
        "stats", help="units, language variants, origins, database size"
    )
    stats_parser.add_argument("--json", action="store_true", help="print one JSON object")
    add_db_option(stats_parser)
    stats_parser.set_defaults(handler=run_stats)

    delete = commands.add_parser("delete", help="delete every unit of one origin")
    delete.add_argument("--origin", required=True, metavar="X", help="the origin to delete")
    add_db_option(delete)
    delete.set_defaults(handler=run_delete)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


class _ProgressBar:
    """A one-line bar on stderr, redrawn in place; silent when stderr is not a terminal."""

    def __init__(self) -> None:
        self.active = sys.stderr.isatty()
        self.drawn = False

    def __call__(self, state: tm.ImportProgress) -> None:
        if not self.active:
            return
        if state.indexing:
            sys.stderr.write(f"\r{state.units:,} units read; indexing for lookup…\x1b[K")
            sys.stderr.flush()
            self.drawn = True
            return
        share = state.bytes_done / state.bytes_total if state.bytes_total else 0.0
        filled = int(share * 30)
        sys.stderr.write(
            f"\r[{'#' * filled}{'.' * (30 - filled)}] {share:4.0%}  "
            f"{state.units:,} units  {state.rate:,.0f} units/s  {state.path.name[:30]}\x1b[K"
        )
        sys.stderr.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()


def run_import(args: argparse.Namespace) -> int:
    conn = open_db(args)
    bar = _ProgressBar()
    try:
        report = tm.import_files(conn, args.files, progress=bar)
    finally:
        bar.close()
    for item in report.files:
        removed = item.controls_removed
        print(
            f"{item.path} ({item.format}): read {item.read:,}, added {item.added:,}, "
            f"merged duplicates {item.duplicates:,}, skipped {item.skipped:,}"
            + (f", removed {removed:,} control characters" if removed else "")
        )
    files = len(report.files)
    print(
        f"imported {report.added:,} new units from {files} file{'s' if files != 1 else ''} "
        f"in {report.seconds:.1f} s ({report.rate:,.0f} units/s)"
    )
    return 0


def run_export(args: argparse.Namespace) -> int:
    langs = _parse_langs(args.lang)
    conn = open_db(args)
    count = tm.export_tmx(conn, args.output, langs=langs, origin=args.origin)
    print(f"wrote {count:,} units to {args.output}")
    return 0


def _parse_langs(value: str) -> tuple[str, str] | None:
    if value.strip().lower() == "keep":
        return None
    parts = [p.strip() for p in value.split(",")]
    if len(parts) != 2 or not all(parts):
        raise InputError(f'--lang expects two codes such as "zh-CN,en-US", got {value!r}')
    for code, side, language in zip(parts, ("zh", "en"), ("Chinese", "English"), strict=True):
        # zh_CN is a common spelling of zh-CN; anything else must be well-formed BCP 47.
        tag = code.replace("_", "-")
        if not tmx.is_language_tag(tag) or tmx.lang_side(tag) != side:
            raise InputError(
                f'--lang: {code!r} is not a {language} BCP 47 language tag (such as "zh-CN,en-US")'
            )
    return tmx.canonical_lang(parts[0]), tmx.canonical_lang(parts[1])


def run_stats(args: argparse.Namespace) -> int:
    conn = open_db(args)
    result = tm.stats(conn)
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
        return 0
    print(f"database   {result.path} ({_size(result.db_bytes)})")
    print(f"units      {result.units:,}")
    print(f"terms      {result.terms:,}")
    print(f"zh codes   {_counts(result.zh_languages.items())}")
    print(f"en codes   {_counts(result.en_languages.items())}")
    print(f"origins    {len(result.origins):,}")
    for origin, count in result.origins:
        print(f"  {count:>9,}  {origin or '(none)'}")
    return 0


def _counts(pairs: Iterable[tuple[str, int]]) -> str:
    return ", ".join(f"{code} {count:,}" for code, count in pairs) or "-"


def _size(num_bytes: int) -> str:
    for unit in ("B", "KB", "MB"):
        if num_bytes < 1024:
            return f"{num_bytes:.0f} {unit}" if unit == "B" else f"{num_bytes:.1f} {unit}"
        num_bytes /= 1024
    return f"{num_bytes:.1f} GB"


def run_delete(args: argparse.Namespace) -> int:
    conn = open_db(args)
    count = tm.delete_origin(conn, args.origin)
    if count == 0:
        raise InputError(f"no units with origin {args.origin!r} (see `zhen tm stats` for origins)")
    print(f"deleted {count:,} units of origin {args.origin}")
    return 0

"""`zhen tm import|export|stats|delete`: manage the translation memory from the command line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path

from zhen import tm
from zhen.cli import console
from zhen.cli.common import add_db_option, db_file, open_db, usage_of
from zhen.errors import InputError
from zhen.io.output import resolve_output
from zhen.text.safetext import json_text, visible


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `zhen tm` and its subcommands."""
    parser = subparsers.add_parser(
        "tm",
        help="translation memory: import, export, stats, delete",
        description="Manage the translation memory in the zhen database.",
    )
    commands = parser.add_subparsers(dest="tm_command", metavar="SUBCOMMAND")
    parser.set_defaults(handler=usage_of(parser))

    importer = commands.add_parser(
        "import",
        help="import TMX, TSV (zh<TAB>en), XLIFF or PO files",
        description="Import bilingual files in one transaction: on any error nothing is kept. "
        "Exact duplicates are merged.",
    )
    importer.add_argument(
        "files",
        nargs="+",
        type=Path,
        metavar="FILE",
        help="TMX, TSV, CSV, XLIFF 1.2/2.0 or PO files (the format told from suffix and content)",
    )
    importer.add_argument(
        "--json", action="store_true", help="print the summary as one JSON object"
    )
    add_db_option(importer)
    importer.set_defaults(handler=run_import)

    exporter = commands.add_parser(
        "export",
        help="export the TM as TMX 1.4b",
        description="Write the TM (or one origin) as TMX 1.4b for CAT tools.",
    )
    exporter.add_argument(
        "output",
        type=Path,
        metavar="OUT.tmx",
        help="the TMX file to write, or - for standard output",
    )
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

    delete = commands.add_parser(
        "delete",
        help="delete an origin's units (kept where another source has them) or one unit",
        description="Remove one origin (file or document): units that no other origin supplied "
        "are deleted, the others stay with their remaining sources. Or delete one unit by id.",
    )
    which = delete.add_mutually_exclusive_group(required=True)
    which.add_argument("--origin", metavar="X", help="the origin to remove")
    which.add_argument("--id", type=int, metavar="N", help="the unit to delete")
    add_db_option(delete)
    delete.set_defaults(handler=run_delete)

    show = commands.add_parser("show", help="one unit with every source that supplied it")
    show.add_argument("id", type=int, metavar="N", help="the unit's id (as lookup --json shows)")
    show.add_argument("--json", action="store_true", help="print one JSON object")
    add_db_option(show)
    show.set_defaults(handler=run_show)


def _show_progress(bar: console.ProgressBar, state: tm.ImportProgress) -> None:
    if state.indexing:
        bar.update(
            state.bytes_total,
            state.bytes_total,
            f"{state.units:,} units read; indexing for lookup…",
        )
    else:
        bar.update(
            state.bytes_done,
            state.bytes_total,
            f"{state.units:,} units  {state.rate:,.0f} units/s  {state.path.name[:30]}",
        )


def run_import(args: argparse.Namespace) -> int:
    with console.progress_bar("importing") as bar, open_db(args) as db:
        report = db.import_files(args.files, progress=lambda state: _show_progress(bar, state))
    if args.json:
        print(json_text(_import_json(report)))
        return 0
    for item in report.files:
        removed = item.controls_removed
        print(
            visible(
                f"{item.path} ({item.format}): read {item.read:,}, added {item.added:,}, "
                f"merged duplicates {item.duplicates:,}, skipped {item.skipped:,}"
                + (f", removed {removed:,} control characters" if removed else "")
            )
        )
    files = len(report.files)
    print(
        f"imported {report.added:,} new units from {files} file{'s' if files != 1 else ''} "
        f"in {report.seconds:.1f} s ({report.rate:,.0f} units/s)"
    )
    return 0


def _import_json(report: tm.ImportReport) -> dict:
    """The summary of an import as `tm import --json` prints it."""
    files = [
        {
            "path": str(item.path),
            "format": item.format,
            "read": item.read,
            "added": item.added,
            "duplicates": item.duplicates,
            "skipped": item.skipped,
            "controls_removed": item.controls_removed,
        }
        for item in report.files
    ]
    totals = {
        "read": report.read,
        "added": report.added,
        "duplicates": report.duplicates,
        "skipped": report.skipped,
    }
    return {"files": files, **totals, "seconds": round(report.seconds, 3)}


def run_export(args: argparse.Namespace) -> int:
    langs = _parse_langs(args.lang)
    target = resolve_output(args.output, [db_file(args)])
    with open_db(args, readonly=True) as db:
        count = db.export_tmx(args.output, langs=langs, origin=args.origin)
    summary = sys.stderr if target.is_stdout else sys.stdout
    print(visible(f"wrote {count:,} units to {target.describe()}"), file=summary)
    return 0


def _parse_langs(value: str) -> tuple[str, str] | None:
    from zhen.io import tmx  # lxml: only for the commands that write TMX

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
    with open_db(args, readonly=True) as db:
        result = db.stats()
    if args.json:
        print(json_text(result.to_json(), indent=2))
        return 0
    print(visible(f"database   {result.path} ({_size(result.db_bytes)})"))
    print(f"units      {result.units:,}")
    print(f"terms      {result.terms:,}")
    print(visible(f"zh codes   {_counts(result.zh_languages.items())}"))
    print(visible(f"en codes   {_counts(result.en_languages.items())}"))
    print(f"origins    {len(result.origins):,}")
    for origin, count in result.origins:
        print(visible(f"  {count:>9,}  {origin or '(none)'}"))
    return 0


def _counts(pairs: Iterable[tuple[str, int]]) -> str:
    return ", ".join(f"{code} {count:,}" for code, count in pairs) or "-"


def _size(num_bytes: float) -> str:
    for unit in ("B", "KB", "MB"):
        if num_bytes < 1024:
            return f"{num_bytes:.0f} {unit}" if unit == "B" else f"{num_bytes:.1f} {unit}"
        num_bytes /= 1024
    return f"{num_bytes:.1f} GB"


def run_delete(args: argparse.Namespace) -> int:
    if args.id is not None:
        with open_db(args) as db:
            if not db.delete_unit(args.id):
                raise InputError(f"no unit with id {args.id}")
        print(f"deleted unit {args.id}")
        return 0
    with open_db(args) as db:
        report = db.delete_origin(args.origin)
    if report.removed == 0 and report.kept == 0:
        raise InputError(f"no units with origin {args.origin!r} (see `zhen tm stats` for origins)")
    print(
        f"removed origin {visible(args.origin)}: deleted {report.removed:,} units, kept "
        f"{report.kept:,} that another origin also supplied"
    )
    return 0


def run_show(args: argparse.Namespace) -> int:
    with open_db(args, readonly=True) as db:
        unit = db.unit(args.id)
        if unit is None:
            raise InputError(f"no unit with id {args.id}")
        sources = db.unit_sources(args.id)
    if args.json:
        data = {
            "id": unit.id,
            "zh": unit.zh,
            "en": unit.en,
            "zh_lang": unit.zh_lang,
            "en_lang": unit.en_lang,
            "score": unit.score,
            "created_at": unit.created_at,
            "note": unit.note,
            "sources": [source.to_json() for source in sources],
        }
        print(json_text(data, indent=2))
        return 0
    print(f"unit {unit.id}")
    print(f"  zh       {visible(unit.zh)}")
    print(f"  en       {visible(unit.en)}")
    if unit.score is not None:
        print(f"  score    {unit.score:.2f}")
    if unit.note:
        print(f"  note     {visible(unit.note)}")
    print(f"  sources  {len(sources)}")
    for source in sources:
        where = f" #{source.position}" if source.position is not None else ""
        came = (
            f" from {visible(source.file)} on {source.imported_at}"
            if source.file
            else " (imported before zhen kept sources)"
        )
        print(f"    {visible(source.origin)}{where}{came}")
    return 0

"""`zhen align` (a text and its translation → TMX/TSV/.align) and `zhen build` (the bundled TM)."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from zhen.cli import console
from zhen.cli.common import project_of
from zhen.errors import InputError
from zhen.io.output import OutputTarget, resolve_output
from zhen.models import Term
from zhen.text.safetext import json_text, visible

if TYPE_CHECKING:
    from zhen.aligner import document as pipeline

# The pipeline (aligner, lexicon) and the glossary formats are imported inside the handlers:
# every `zhen` command loads this module to register its options, and importing the aligner
# costs about a quarter of a second that `zhen lookup` should not pay.

# Inputs shorter than this align in a blink: no progress bar for them.
_PROGRESS_MIN_SENTENCES = 300
_SHOWN_PER_LIST = 10
_JSON_HELP = "print the summary as one JSON object (on stderr when the pairs go to standard output)"


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `zhen align` and `zhen build`."""
    parser = subparsers.add_parser(
        "align",
        help="align a Chinese text with its English version into TMX, TSV or .align",
        description="Align a Chinese text with its English translation sentence by sentence. "
        "Give two files (Chinese, English) or one mixed file holding the Chinese article "
        "followed by its English version. The output format follows the extension of -o: "
        ".tmx (TMX 1.4b), .tsv (zh, en, score) or .align ([0,1]:[2] links).",
    )
    parser.add_argument("source", type=Path, metavar="ZH", help="Chinese text, or a mixed file")
    parser.add_argument(
        "english", type=Path, nargs="?", metavar="EN", help="its English version (optional)"
    )
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        type=Path,
        metavar="OUT",
        help="output .tmx/.tsv/.align, or - for standard output (TSV unless --format says)",
    )
    parser.add_argument(
        "--format",
        dest="fmt",
        choices=("tmx", "tsv", "align"),
        help="output format when OUT's extension does not say (as for -)",
    )
    parser.add_argument(
        "--presegmented",
        action="store_true",
        help="inputs hold one sentence per line (blank line = paragraph break); no re-splitting",
    )
    parser.add_argument(
        "--min-score",
        type=_score,
        default=0.0,
        metavar="X",
        help="leave pairs scoring below X (0-1) out of .tmx/.tsv output (default 0)",
    )
    parser.add_argument(
        "--glossary",
        type=Path,
        metavar="FILE",
        help="glossary whose approved terms anchor the alignment (TSV, TBX, CSV, OmegaT txt; "
        "default: the glossary files of the project's zhen.toml, if any)",
    )
    parser.add_argument("--json", action="store_true", help=_JSON_HELP)
    parser.set_defaults(handler=run_align)

    build = subparsers.add_parser(
        "build",
        help="align the bundled Xinhua sources into tm/xinhua.tmx (deterministic)",
        description="Align every text in tm/sources/ (relative to the current directory) into "
        "one TMX, anchored by the approved terms of glossary/xinhua.tsv, and export that "
        "glossary to TBX. The output is byte-identical on every run.",
    )
    build.add_argument(
        "--sources", type=Path, default=Path("tm/sources"), metavar="DIR", help="source texts"
    )
    build.add_argument(
        "-o", "--output", type=Path, default=Path("tm/xinhua.tmx"), metavar="OUT", help="TMX"
    )
    build.add_argument(
        "--glossary",
        type=Path,
        default=Path("glossary/xinhua.tsv"),
        metavar="FILE",
        help="curated glossary: approved terms anchor the alignment (default %(default)s)",
    )
    build.add_argument(
        "--tbx",
        type=Path,
        default=Path("glossary/xinhua.tbx"),
        metavar="FILE",
        help="where to export the glossary as TBX (default %(default)s)",
    )
    build.add_argument("--no-tbx", action="store_true", help="do not export the glossary")
    build.add_argument("--json", action="store_true", help=_JSON_HELP)
    build.add_argument(
        "--min-score", type=_score, default=0.0, metavar="X", help="drop pairs scoring below X"
    )
    build.set_defaults(handler=run_build)


def run_align(args: argparse.Namespace) -> int:
    """Align, write the output, print the summary on stderr."""
    from zhen.aligner import document as pipeline

    suffix = pipeline.check_output_path(args.output, args.fmt)
    # Checked before the work, so a typo costs nothing; the writer checks again when it opens.
    # Without --glossary, the glossary files of the project's zhen.toml anchor the alignment.
    project = None if args.glossary else project_of(args)
    anchors = [args.glossary] if args.glossary else list(project.glossaries if project else ())
    inputs = (args.source, args.english, *anchors)
    target = resolve_output(args.output, inputs)
    terms = [term for path in anchors for term in _approved_terms(path)]
    with console.progress_bar("aligning", min_total=_PROGRESS_MIN_SENTENCES) as bar:
        document = pipeline.align_files(
            args.source,
            args.english,
            presegmented=args.presegmented,
            terms=terms,
            progress=bar.update,
        )
    written = pipeline.write_aligned(
        document, args.output, min_score=args.min_score, fmt=args.fmt, inputs=inputs
    )
    if args.json:
        data = _align_json(document, args.min_score, written, target)
        print(json_text(data), file=sys.stderr if target.is_stdout else sys.stdout)
    else:
        _print_summary(document, args, written, suffix, target)
    return 0


def run_build(args: argparse.Namespace) -> int:
    """Build the TMX from the sources, export the glossary, print a table per document."""
    from zhen.aligner import document as pipeline
    from zhen.glossary.exchange import export_glossary

    # Without sources, build_tm's error (run in a checkout) is the one to show.
    if args.sources.is_dir():
        inputs = [args.glossary, *args.sources.glob("*.txt")]
        resolve_output(args.output, inputs)
        if not args.no_tbx and args.glossary.exists():
            resolve_output(args.tbx, inputs)
    all_terms = _load_terms(args.glossary) if args.glossary.exists() else []
    approved = [term for term in all_terms if term.status == "approved"]
    report = pipeline.build_tm(args.sources, args.output, terms=approved, min_score=args.min_score)
    target = resolve_output(args.output)
    out = sys.stderr if target.is_stdout else sys.stdout
    if args.json:
        tbx_terms = None
        if args.glossary.exists() and not args.no_tbx:
            tbx_terms = export_glossary(all_terms, args.tbx, status="all").written
        print(json_text(_build_json(report, target, args, len(approved), tbx_terms)), file=out)
        return 0
    _print_build_table(report.rows, out)
    print(visible(f"wrote {report.written} distinct pairs to {target.describe()}"), file=sys.stderr)
    if not args.glossary.exists():
        print(
            visible(f"note: {args.glossary} not found: aligned without glossary anchors"),
            file=sys.stderr,
        )
    else:
        print(
            visible(f"anchored by {len(approved)} approved terms of {args.glossary}"),
            file=sys.stderr,
        )
        if not args.no_tbx:
            # The bundled TBX carries the proposed terms too, marked as such.
            exported = export_glossary(all_terms, args.tbx, status="all")
            print(visible(f"wrote {exported.written} terms to {args.tbx}"), file=sys.stderr)
    return 0


def _align_json(
    document: pipeline.AlignedDocument, min_score: float, written: int, target: OutputTarget
) -> dict:
    """The summary of `zhen align --json`: the counts, and every unaligned or dropped text."""
    summary = asdict(document.summary(min_score))
    unaligned = {
        "zh": [{"index": i, "text": document.zh_sentences[i]} for i in document.unaligned_zh()],
        "en": [{"index": j, "text": document.en_sentences[j]} for j in document.unaligned_en()],
    }
    return {
        **summary,
        "mean_score": round(summary["mean_score"], 4),
        "min_score": min_score,
        "unaligned": unaligned,
        "dropped": list(document.dropped),
        "written": written,
        "output": target.describe(),
    }


def _build_json(
    report: pipeline.BuildReport,
    target: OutputTarget,
    args: argparse.Namespace,
    anchors: int,
    exported: int | None,
) -> dict:
    """The summary of `zhen build --json`: one object per source document, and the totals."""
    documents = []
    for row in report.rows:
        counts = asdict(row.summary) if row.summary else {}
        counts.pop("name", None)
        if "mean_score" in counts:
            counts["mean_score"] = round(counts["mean_score"], 4)
        documents.append({"document": row.source, **counts, "skipped": row.skipped})
    glossary = str(args.glossary) if args.glossary.exists() else None
    return {
        "documents": documents,
        "written": report.written,
        "output": target.describe(),
        "glossary": glossary,
        "anchor_terms": anchors,
        "tbx": str(args.tbx) if exported is not None else None,
        "tbx_terms": exported,
    }


def _load_terms(path: Path) -> list[Term]:
    from zhen.glossary.exchange import load_terms_file

    return load_terms_file(path)


def _approved_terms(path: Path) -> list[Term]:
    if not path.exists():
        raise InputError(f"{path}: no such glossary file")
    return [term for term in _load_terms(path) if term.status == "approved"]


def _score(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1: {text}")
    return value


def _print_summary(
    document: pipeline.AlignedDocument,
    args: argparse.Namespace,
    written: int,
    suffix: str,
    target: OutputTarget,
) -> None:
    from zhen.aligner.document import LOW_CONFIDENCE

    summary = document.summary(args.min_score)
    err = sys.stderr
    print(
        visible(
            f"{document.name}: {summary.zh_sentences} zh / {summary.en_sentences} en sentences → "
            f"{summary.pairs} pairs (mean score {summary.mean_score:.2f}), "
            f"unaligned zh {summary.unaligned_zh}, unaligned en {summary.unaligned_en}, "
            f"low-confidence (<{LOW_CONFIDENCE:.2f}) {summary.low_confidence}"
        ),
        file=err,
    )
    if args.min_score > 0:
        print(f"left out under --min-score {args.min_score}: {summary.below_min_score}", file=err)
    if summary.duplicates and suffix in (".tmx", ".tsv"):
        print(f"repeated pairs written once: {summary.duplicates}", file=err)
    for paragraph in document.dropped:
        print(visible(f"  dropped stray paragraph: {_clip(paragraph)}"), file=err)
    _print_list(
        "unaligned zh", [(i, document.zh_sentences[i]) for i in document.unaligned_zh()], err
    )
    _print_list(
        "unaligned en", [(j, document.en_sentences[j]) for j in document.unaligned_en()], err
    )
    if args.min_score > 0:
        low = [bead for bead in document.linked_beads() if bead.score < args.min_score]
        _print_list(
            "under --min-score",
            [(bead.zh[0], f"{bead.score:.2f} {document.zh_sentences[bead.zh[0]]}") for bead in low],
            err,
        )
    print(visible(f"wrote {written} records to {target.describe()}"), file=err)


def _print_list(label: str, items: list[tuple[int, str]], err: TextIO) -> None:
    for index, text in items[:_SHOWN_PER_LIST]:
        print(visible(f"  {label} #{index}: {_clip(text)}"), file=err)
    if len(items) > _SHOWN_PER_LIST:
        print(f"  … and {len(items) - _SHOWN_PER_LIST} more {label}", file=err)


def _clip(text: str, width: int = 70) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _print_build_table(rows: list[pipeline.BuildRow], out: TextIO) -> None:
    header = ("document", "zh", "en", "pairs", "dup", "unal.zh", "unal.en", "low", "mean", "note")
    table: list[tuple[str, ...]] = [header]
    for row in rows:
        summary = row.summary
        if summary is None:
            skipped = visible(f"skipped: {row.skipped}")
            table.append((visible(row.source), "-", "-", "0", "-", "-", "-", "-", "-", skipped))
            continue
        counts = (
            summary.zh_sentences,
            summary.en_sentences,
            summary.pairs,
            summary.duplicates,
            summary.unaligned_zh,
            summary.unaligned_en,
            summary.low_confidence,
        )
        table.append((visible(row.source), *map(str, counts), f"{summary.mean_score:.2f}", ""))
    widths = [max(len(line[col]) for line in table) for col in range(len(header))]
    for line in table:
        cells = [
            cell.ljust(width) if col in (0, len(header) - 1) else cell.rjust(width)
            for col, (cell, width) in enumerate(zip(line, widths, strict=True))
        ]
        print("  ".join(cells).rstrip(), file=out)

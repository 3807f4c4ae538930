"""Reading what `zhen check` is given: two plain texts (aligned first) or one bilingual file.

Bilingual formats: TMX (zhen.io.tmx), XLIFF and PO (translate-toolkit), TSV (two columns, either
order, optional header). The Chinese side is always the source.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from zhen.checker.engine import Segment
from zhen.errors import CheckError, FormatError, InputError
from zhen.io.spreadsheet import restore_cell
from zhen.models import Term
from zhen.text.normalize import cjk_ratio
from zhen.text.safetext import clean_text

TMX_SUFFIXES = frozenset({".tmx"})
PO_SUFFIXES = frozenset({".po", ".pot"})
TOOLKIT_SUFFIXES = PO_SUFFIXES | {".xlf", ".xliff", ".xlif", ".sdlxliff"}
TSV_SUFFIXES = frozenset({".tsv", ".tab"})
_TSV_HEADER_WORDS = frozenset(
    {"zh", "en", "source", "target", "src", "tgt", "chinese", "english", "zh-cn", "en-us"}
)


def is_bilingual(path: Path) -> bool:
    """True for a file that holds both sides (TMX, XLIFF, PO, TSV) judged by its name."""
    suffix = path.suffix.lower()
    return suffix in TMX_SUFFIXES | TOOLKIT_SUFFIXES | TSV_SUFFIXES


def read_segments(
    source: Path,
    draft: Path | None = None,
    *,
    terms: Sequence[Term] = (),
    progress: Callable[[int, int], None] | None = None,
) -> list[Segment]:
    """Segments to check from SOURCE (+ DRAFT); plain texts are aligned with zhen's aligner.

    With no DRAFT, SOURCE is a bilingual file, or a mixed text file whose English half
    follows the Chinese (like the Xinhua sources in tm/sources/).
    """
    source = Path(source)
    if draft is not None:
        draft = Path(draft)
        for path, role in ((source, "SOURCE"), (draft, "DRAFT")):
            if is_bilingual(path):
                raise CheckError(
                    f"{path}: {role} is a bilingual {path.suffix} file; give it alone "
                    "(zhen check FILE) or give two plain-text files"
                )
        return _aligned(source, draft, terms, progress)
    suffix = source.suffix.lower()
    if suffix in TMX_SUFFIXES:
        return _from_tmx(source)
    if suffix in TOOLKIT_SUFFIXES:
        return _from_toolkit(source)
    if suffix in TSV_SUFFIXES:
        return _from_tsv(source)
    return _aligned(source, None, terms, progress)


def _aligned(
    source: Path,
    draft: Path | None,
    terms: Sequence[Term],
    progress: Callable[[int, int], None] | None = None,
) -> list[Segment]:
    from zhen.aligner.document import align_files  # the aligner is heavy; only plain texts need it

    document = align_files(source, draft, terms=terms, progress=progress)
    segments: list[Segment] = []
    orphans: list[str] = []  # draft sentences with no source since the last segment
    for bead in document.beads:
        en = " ".join(document.en_sentences[i] for i in bead.en) if bead.en else None
        if not bead.zh:
            # A draft sentence with no source: an addition, or a sentence the aligner split
            # off a neighbour. Either neighbour may need it to find its terms and numbers.
            if en:
                orphans.append(en)
                if segments:
                    segments[-1] = replace(segments[-1], context=(*segments[-1].context, en))
            continue
        zh = "".join(document.zh_sentences[i] for i in bead.zh)
        role = "title" if document.title and zh.strip() == document.title.strip() else "text"
        segments.append(Segment(zh, en, role, context=tuple(orphans)))
        orphans = []
    return segments


def _require_chinese_source(segments: list[Segment], path: Path) -> list[Segment]:
    if not segments:
        raise FormatError(f"{path}: no translation units found")
    sources = "".join(s.source for s in segments)
    if cjk_ratio(sources) < 0.05:
        raise FormatError(f"{path}: the source side is not Chinese (zhen checks zh→en drafts)")
    return segments


def _from_tmx(path: Path) -> list[Segment]:
    from zhen.io.tmx import iter_units

    if not path.exists():
        raise InputError(f"{path}: no such file")
    segments = [Segment(unit.zh, unit.en or "", document=unit.origin) for unit in iter_units(path)]
    return _require_chinese_source(segments, path)


def _from_toolkit(path: Path) -> list[Segment]:
    from zhen.io import bilingual

    if not path.exists():
        raise InputError(f"{path}: no such file")
    fmt = "po" if path.suffix.lower() in PO_SUFFIXES else "xliff"
    store = bilingual.load(path, fmt).store
    segments = []
    for unit in store.units:
        source = clean_text(str(unit.source or ""))[0]
        if unit.isheader() or not source.strip():
            continue
        segments.append(Segment(source, clean_text(str(unit.target or ""))[0]))
    return _require_chinese_source(segments, path)


def _from_tsv(path: Path) -> list[Segment]:
    from zhen.io.textfile import read_text

    rows = [line.split("\t") for line in read_text(path).split("\n") if line.strip()]
    if not rows or not any(len(row) >= 2 for row in rows):
        raise FormatError(f"{path}: not a TSV file (no tab-separated zh/en columns)")
    if {cell.strip().lower() for cell in rows[0][:2]} <= _TSV_HEADER_WORDS:
        rows = rows[1:]
    first = "".join(row[0] for row in rows)
    second = "".join(row[1] for row in rows if len(row) > 1)
    zh_column = 0 if cjk_ratio(first) >= cjk_ratio(second) else 1
    segments = []
    for row in rows:
        cells = [*row, ""]
        zh, en = (restore_cell(cells[column].strip()) for column in (zh_column, 1 - zh_column))
        segments.append(Segment(zh, en))
    return _require_chinese_source(segments, path)


def read_line_pairs(source: Path, draft: Path | None) -> list[Segment]:
    """Presegmented plain texts, one sentence a line: line i of SOURCE pairs with line i of DRAFT.

    Nothing is re-segmented or aligned; different line counts are an error, since every pair
    after the first missing or extra line would be wrong.
    """
    from zhen.io.textfile import read_text

    if draft is None:
        raise CheckError(
            f"{source}: --presegmented pairs the lines of two plain texts; give the draft too: "
            "zhen check --presegmented SOURCE DRAFT"
        )
    for path, role in ((source, "SOURCE"), (draft, "DRAFT")):
        if is_bilingual(path):
            raise CheckError(
                f"{path}: {role} is a bilingual {path.suffix} file, already in segments; "
                "leave out --presegmented (zhen check FILE)"
            )
    zh_lines, en_lines = _lines(read_text(source)), _lines(read_text(draft))
    if len(zh_lines) != len(en_lines):
        raise CheckError(
            f"{source} has {len(zh_lines):,} lines and {draft} has {len(en_lines):,}: with "
            "--presegmented line i of the draft must translate line i of the source; "
            "leave out --presegmented to have the texts aligned"
        )
    segments = [
        Segment(zh.strip(), en.strip())
        for zh, en in zip(zh_lines, en_lines, strict=True)
        if zh.strip() or en.strip()
    ]
    return _require_chinese_source(segments, source)


def _lines(text: str) -> list[str]:
    """The lines of a text, without the blank lines at its end."""
    lines = text.split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    return lines

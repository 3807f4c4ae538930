"""Reading what `zhen check` is given: two plain texts (aligned first) or one bilingual file.

Bilingual formats: TMX (zhen.io.tmx), XLIFF and PO (translate-toolkit), TSV (two columns, either
order, optional header). The Chinese side is always the source.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from zhen.checker.engine import Segment
from zhen.checker.tags import rich_text
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
    source: Path, draft: Path | None = None, *, terms: Sequence[Term] = ()
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
        return _aligned(source, draft, terms)
    suffix = source.suffix.lower()
    if suffix in TMX_SUFFIXES:
        return _from_tmx(source)
    if suffix in TOOLKIT_SUFFIXES:
        return _from_toolkit(source)
    if suffix in TSV_SUFFIXES:
        return _from_tsv(source)
    return _aligned(source, None, terms)


def _aligned(source: Path, draft: Path | None, terms: Sequence[Term]) -> list[Segment]:
    from zhen.aligner.document import align_files  # the aligner is heavy; only plain texts need it

    document = align_files(source, draft, terms=terms)
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
    segments = [
        Segment(
            unit.zh,
            unit.en or "",
            document=unit.origin,
            source_tags=unit.inline_tags[0],
            target_tags=unit.inline_tags[1],
        )
        for unit in iter_units(path)
    ]
    return _require_chinese_source(segments, path)


def _from_toolkit(path: Path) -> list[Segment]:
    from zhen.io import bilingual

    if not path.exists():
        raise InputError(f"{path}: no such file")
    fmt = "po" if path.suffix.lower() in PO_SUFFIXES else "xliff"
    store = bilingual.load(path, fmt).store
    segments = []
    for unit in store.units:
        source_tags: tuple[str, ...] = ()
        target_tags: tuple[str, ...] = ()
        if fmt == "po":
            source, target = str(unit.source or ""), str(unit.target or "")
        else:  # XLIFF: inline tags listed apart, native codes (<bpt>&lt;b&gt;) out of the text
            source, source_tags = rich_text(unit.rich_source or ())
            target, target_tags = rich_text(unit.rich_target or ())
        source, target = clean_text(source)[0], clean_text(target)[0]
        if unit.isheader() or not source.strip():
            continue
        segments.append(Segment(source, target, source_tags=source_tags, target_tags=target_tags))
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

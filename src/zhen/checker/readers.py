"""Reading what `zhen check` is given: two plain texts (aligned first) or one bilingual file.

Bilingual formats: TMX (zhen.io.tmx), XLIFF and PO (translate-toolkit), TSV (two columns, either
order, optional header). The Chinese side is always the source.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from zhen.checker.engine import Segment
from zhen.checker.location import LineFinder, Lines, Location, span_lines
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
    from zhen.io.textfile import read_text

    document = align_files(source, draft, terms=terms, progress=progress)
    # Each sentence's lines, found in the texts as read (a mixed file holds both sides).
    zh_finder = LineFinder(read_text(source))
    en_finder = LineFinder(read_text(draft)) if draft is not None else LineFinder(read_text(source))
    zh_lines = [zh_finder.lines(sentence) for sentence in document.zh_sentences]
    en_lines = [en_finder.lines(sentence) for sentence in document.en_sentences]
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
        location = Location(
            file=source.name,
            source_lines=span_lines([zh_lines[i] for i in bead.zh]),
            target_lines=span_lines([en_lines[j] for j in bead.en]),
            target_file=draft.name if draft is not None else None,
        )
        segments.append(Segment(zh, en, role, context=tuple(orphans), location=location))
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
            location=Location(file=path.name, unit_id=unit.tuid or None, unit=number),
            source_tags=unit.inline_tags[0],
            target_tags=unit.inline_tags[1],
        )
        for number, unit in enumerate(iter_units(path), start=1)
    ]
    return _require_chinese_source(segments, path)


def _from_toolkit(path: Path) -> list[Segment]:
    from zhen.io import bilingual

    if not path.exists():
        raise InputError(f"{path}: no such file")
    fmt = "po" if path.suffix.lower() in PO_SUFFIXES else "xliff"
    store = bilingual.load(path, fmt).store
    segments = []
    for number, unit in enumerate((u for u in store.units if not u.isheader()), start=1):
        source_tags: tuple[str, ...] = ()
        target_tags: tuple[str, ...] = ()
        if fmt == "po":
            source, target = str(unit.source or ""), str(unit.target or "")
        else:  # XLIFF: inline tags listed apart, native codes (<bpt>&lt;b&gt;) out of the text
            source, source_tags = rich_text(unit.rich_source or ())
            target, target_tags = rich_text(unit.rich_target or ())
        source, target = clean_text(source)[0], clean_text(target)[0]
        if not source.strip():
            continue
        location = (
            _po_location(path, unit, number) if fmt == "po" else _xliff_location(path, unit, number)
        )
        segments.append(
            Segment(
                source,
                target,
                location=location,
                source_tags=source_tags,
                target_tags=target_tags,
            )
        )
    return _require_chinese_source(segments, path)


def _po_location(path: Path, unit: Any, number: int) -> Location:
    """A PO entry: its number and the line it starts on (its first comment, else msgid)."""
    line = unit.line_number if isinstance(getattr(unit, "line_number", None), int) else None
    lines = (line, line) if line else None
    return Location(file=path.name, unit=number, source_lines=lines, target_lines=lines)


def _xliff_location(path: Path, unit: Any, number: int) -> Location:
    """An XLIFF unit: its id, the `original` of the <file> holding it, its line."""
    element = getattr(unit, "xmlelement", None)
    if element is None:
        return Location(file=path.name, unit=number)
    original = None
    for ancestor in element.iterancestors():
        if isinstance(ancestor.tag, str) and ancestor.tag.rsplit("}", 1)[-1] == "file":
            original = _attribute(ancestor.get("original"))
            break
    return Location(
        file=path.name,
        unit_id=_attribute(element.get("id")),
        original=original,
        unit=number,
        source_lines=_element_line(element, "source"),
        target_lines=_element_line(element, "target"),
    )


def _element_line(unit: Any, name: str) -> Lines | None:
    """The line where the unit's <source> or <target> starts (a source-less unit: its own)."""
    found = unit if name == "source" else None
    for element in unit.iter():
        if isinstance(element.tag, str) and element.tag.rsplit("}", 1)[-1] == name:
            found = element
            break
    line = found.sourceline if found is not None else None
    return (line, line) if isinstance(line, int) else None


def _attribute(value: str | None) -> str | None:
    """An attribute as shown to a reviewer: control characters dropped; None when empty."""
    cleaned = clean_text(value or "", keep_newlines=False)[0].strip()
    return cleaned or None


def _from_tsv(path: Path) -> list[Segment]:
    from zhen.io.textfile import read_text

    rows = [
        (number, line.split("\t"))
        for number, line in enumerate(read_text(path).split("\n"), start=1)
        if line.strip()
    ]
    if not rows or not any(len(row) >= 2 for _, row in rows):
        raise FormatError(f"{path}: not a TSV file (no tab-separated zh/en columns)")
    if {cell.strip().lower() for cell in rows[0][1][:2]} <= _TSV_HEADER_WORDS:
        rows = rows[1:]
    first = "".join(row[0] for _, row in rows)
    second = "".join(row[1] for _, row in rows if len(row) > 1)
    zh_column = 0 if cjk_ratio(first) >= cjk_ratio(second) else 1
    segments: list[Segment] = []
    for line, row in rows:
        cells = [*row, ""]
        zh, en = (restore_cell(cells[column].strip()) for column in (zh_column, 1 - zh_column))
        lines = (line, line)
        location = Location(
            file=path.name, unit=len(segments) + 1, source_lines=lines, target_lines=lines
        )
        segments.append(Segment(zh, en, location=location))
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
        Segment(
            zh.strip(),
            en.strip(),
            location=Location(
                file=source.name,
                source_lines=(line, line),
                target_lines=(line, line),
                target_file=draft.name,
            ),
        )
        for line, (zh, en) in enumerate(zip(zh_lines, en_lines, strict=True), start=1)
        if zh.strip() or en.strip()
    ]
    return _require_chinese_source(segments, source)


def _lines(text: str) -> list[str]:
    """The lines of a text, without the blank lines at its end."""
    lines = text.split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    return lines

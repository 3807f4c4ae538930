"""CSV translation memories: a header row names the zh and en columns (zh,en or zh-CN,en-US)."""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from zhen.errors import FormatError
from zhen.io import tmx
from zhen.io.sides import ScriptTally, header_side
from zhen.io.spreadsheet import restore_cell
from zhen.io.textfile import read_text
from zhen.models import TranslationUnit
from zhen.text.normalize import has_cjk

CSV_SUFFIXES = frozenset({".csv"})
# Header names of a note column, as CAT tools and spreadsheets write them.
_NOTE_NAMES = frozenset({"note", "notes", "comment", "comments", "description"})


@dataclass(frozen=True)
class _Columns:
    """Where a file keeps each side, and the languages its header declares ("" if none)."""

    zh: int
    en: int
    note: int | None = None
    zh_lang: str = ""
    en_lang: str = ""


def read_csv(path: Path, stats: tmx.ReadStats) -> Iterator[TranslationUnit]:
    """The units of a CSV TM: comma- (or semicolon-) separated, quoted as RFC 4180 and Excel
    write it, any encoding zhen reads; a header row names the sides (without one, the first two
    columns are told apart by their script). Extra columns are ignored, a note column kept."""
    text = read_text(path, keep_controls=True)
    size = path.stat().st_size
    first_line = next((line for line in _lines(text) if line.strip()), "")
    delimiter = ";" if ";" in first_line and "," not in first_line else ","
    # strict: a stray quote is an error with its line, not a cell silently glued to the next.
    rows = csv.reader(_lines(text), delimiter=delimiter, strict=True)
    columns: _Columns | None = None
    scripts = ScriptTally()
    line_count = max(1, text.count("\n"))  # for the progress bar's share of bytes read
    try:
        for cells in rows:
            if not any(cell.strip() for cell in cells):
                continue
            if columns is None:
                columns, is_header = _columns(path, rows.line_num, cells)
                if is_header:
                    continue
            unit = _unit(path, rows.line_num, cells, columns, stats)
            stats.bytes_read = int(size * min(1.0, rows.line_num / line_count))
            if unit is None:
                stats.skipped += 1
                continue
            stats.units += 1
            scripts.add(unit.zh, unit.en)
            yield unit
    except csv.Error as exc:
        raise FormatError(f"{path}:{rows.line_num}: malformed CSV: {exc}") from None
    if columns is None:
        raise FormatError(f"{path}: holds no rows; nothing imported")
    scripts.check(path, "rows")
    stats.bytes_read = size
    stats.languages = {"zh": stats.units, "en": stats.units} if stats.units else {}


def _lines(text: str) -> Iterator[str]:
    """The lines of `text` with their ends, one at a time (no second copy of a large file)."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end + 1
        yield text[start:end]
        start = end


def _columns(path: Path, line: int, cells: Sequence[str]) -> tuple[_Columns, bool]:
    """The columns a file's first row gives, and whether that row is a header."""
    sides = [header_side(cell) for cell in cells]
    found: dict[str, tuple[int, str]] = {}
    for index, (side, code) in enumerate(sides):
        if side and side not in found:
            found[side] = (index, code)
    others = [code for side, code in sides if side is None and code]
    if "zh" in found and "en" in found:
        notes = [i for i, cell in enumerate(cells) if cell.strip().lower() in _NOTE_NAMES]
        zh, en = found["zh"], found["en"]
        return _Columns(zh[0], en[0], notes[0] if notes else None, zh[1], en[1]), True
    if others and not any(has_cjk(cell) for cell in cells):
        raise FormatError(
            f"{path}:{line}: the header names {', '.join(others)}; zhen reads Chinese–English "
            "files only (name the columns zh and en, or zh-CN and en-US)"
        )
    if len(cells) < 2:
        raise FormatError(f"{path}:{line}: expected a zh and an en column, found one cell")
    if has_cjk(cells[1]) and not has_cjk(cells[0]):
        return _Columns(1, 0), False  # en,zh
    return _Columns(0, 1), False


def _unit(
    path: Path, line: int, cells: Sequence[str], columns: _Columns, stats: tmx.ReadStats
) -> TranslationUnit | None:
    """The unit of one data row; None when a side is empty."""
    if len(cells) <= max(columns.zh, columns.en):
        raise FormatError(
            f"{path}:{line}: expected a zh and an en column, found {len(cells)} cell"
            + ("s" if len(cells) != 1 else "")
        )
    # A cell a spreadsheet-safe export neutralised ('=…) reads back as the text it was.
    zh = restore_cell(stats.clean(cells[columns.zh]).strip())
    en = restore_cell(stats.clean(cells[columns.en]).strip())
    if not zh or not en:
        return None
    note = None
    if columns.note is not None and columns.note < len(cells):
        note = stats.clean(cells[columns.note]).strip() or None
    return TranslationUnit(
        zh=zh,
        en=en,
        zh_lang=columns.zh_lang or "zh-CN",
        en_lang=columns.en_lang or "en-US",
        note=note,
    )

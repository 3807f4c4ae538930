"""Where a checked segment is in its files, so a reviewer can find it in a CAT tool or an editor."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

Lines = tuple[int, int]  # first and last line (1-based, inclusive)


@dataclass(frozen=True, slots=True)
class Location:
    """A segment's place: its file, its unit id or number, its lines on each side.

    `unit_id` is an XLIFF trans-unit id or a TMX tuid; `original` the XLIFF `<file original>`;
    `unit` the 1-based unit number (TMX units, XLIFF trans-units, PO entries, TSV rows);
    `source_lines` and `target_lines` the lines of each side, in `file` and in `target_file`
    (None when both sides are in `file`, as in every bilingual format).
    """

    file: str = ""
    unit_id: str | None = None
    original: str | None = None
    unit: int | None = None
    source_lines: Lines | None = None
    target_lines: Lines | None = None
    target_file: str | None = None

    def label(self) -> str:
        """The text report's name for it: `seg-a17 (a.xlf)`, `a.po:12`, `zh.txt:3 / en.txt:4`."""
        if self.unit_id:
            where = self.file + (f", {self.original}" if self.original else "")
            kind = "tuid " if self.file.lower().endswith(".tmx") else ""
            return f"{kind}{self.unit_id} ({where})" if where else f"{kind}{self.unit_id}"
        source = _at(self.file, self.source_lines)
        if self.target_file is not None or (
            self.target_lines is not None and self.target_lines != self.source_lines
        ):
            target = _at(self.target_file or self.file, self.target_lines)
            both = " / ".join(side for side in (source, target) if side)
            if both:
                return both
        elif source:
            return source
        if self.unit is not None:
            return f"unit {self.unit} ({self.file})" if self.file else f"unit {self.unit}"
        return self.file

    def to_json(self) -> dict[str, Any]:
        """The `location` object of an issue in `zhen check --format json`."""
        return {
            "file": self.file,
            "unit_id": self.unit_id,
            "original": self.original,
            "unit": self.unit,
            "source_lines": list(self.source_lines) if self.source_lines else None,
            "target_file": self.target_file,
            "target_lines": list(self.target_lines) if self.target_lines else None,
        }


# Unknown: a segment built without one (issues then fall back on their pair number).
NOWHERE = Location()


def _at(file: str, lines: Lines | None) -> str:
    return f"{file}:{format_lines(lines)}" if lines else ""


def format_lines(lines: Lines | None) -> str:
    """`3` for one line, `3-4` for several, "" for none."""
    if lines is None:
        return ""
    first, last = lines
    return str(first) if first == last else f"{first}-{last}"


class LineFinder:
    """The line each sentence of a text came from, found in order in the text as read.

    The aligner cleans and re-splits text, so sentences are looked up ignoring whitespace (a
    sentence wrapped over two lines, spaces collapsed); a sentence not found (cleaned beyond
    recognition) has no line. Memory: the text without whitespace and one offset per line; time:
    at most SCAN_BUDGET times the text is scanned in all, however many sentences go unfound.
    """

    _PREFIX = 24  # characters matched: enough to tell sentences apart, short of most cleaning
    SCAN_BUDGET = 20

    def __init__(self, text: str) -> None:
        compact: list[str] = []
        self._line_starts: list[int] = []  # offset in the compact text where each line starts
        size = 0
        for line in text.split("\n"):
            self._line_starts.append(size)
            squeezed = "".join(line.split())
            compact.append(squeezed)
            size += len(squeezed)
        self._compact = "".join(compact)
        self._cursor = 0
        self.scanned = 0  # characters searched so far
        self._budget = self.SCAN_BUDGET * len(self._compact) + 100_000

    def lines(self, sentence: str) -> Lines | None:
        """(first, last) line of the next occurrence of `sentence` (from the previous one on)."""
        key = "".join(sentence.split())
        if not key:
            return None
        for probe in (key, key[: self._PREFIX], key[: self._PREFIX // 3]):
            start = self._search(probe, self._cursor)
            if start < 0:
                start = self._search(probe, 0)  # out of order (photo captions come last)
            if start >= 0:
                end = start + len(key) if probe is key else start + len(probe)
                self._cursor = end
                return self._line_of(start), self._line_of(max(start, end - 1))
        return None

    def _search(self, probe: str, start: int) -> int:
        """str.find from `start`, or -1 without searching once the scan budget is spent."""
        if self.scanned >= self._budget:
            return -1
        hit = self._compact.find(probe, start)
        self.scanned += (hit + len(probe) if hit >= 0 else len(self._compact)) - start
        return hit

    def _line_of(self, offset: int) -> int:
        return bisect_right(self._line_starts, offset)


def span_lines(spans: list[Lines | None]) -> Lines | None:
    """The lines a group of sentences covers (the first to the last found), or None."""
    found = [lines for lines in spans if lines is not None]
    if not found:
        return None
    return min(first for first, _ in found), max(last for _, last in found)

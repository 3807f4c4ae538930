"""CSV glossary with a header row: zh, en, variants, forbidden, status, domain, pos, note…"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

from zhen.glossary.entries import join_list
from zhen.glossary.formats.common import ParsedEntry, check_cell, entry_from_cells, row_error
from zhen.io.output import atomic_output
from zhen.io.spreadsheet import neutralise_cell, restore_cell
from zhen.io.textfile import read_text
from zhen.models import Term

HEADER = ("zh", "en", "variants", "forbidden", "status", "check", "domain", "pos", "note", "source")
# Headers other tools write for the same columns.
_ALIASES = {
    "chinese": "zh",
    "term": "zh",
    "source term": "zh",
    "zh-cn": "zh",
    "english": "en",
    "translation": "en",
    "target": "en",
    "target term": "en",
    "en-us": "en",
    "comment": "note",
    "notes": "note",
    "definition": "note",
    "sources": "source",
    "variant": "variants",
    "subject": "domain",
    "part of speech": "pos",
}


def read_csv(path: Path) -> list[ParsedEntry]:
    """Entries of a CSV glossary; the header names the columns (zh and en are required)."""
    text = read_text(path, keep_controls=True)  # make_entry drops and counts them
    # Comment lines are blanked, not dropped, so csv line numbers stay the file's line numbers.
    blanked = "\n".join("" if line.lstrip().startswith("#") else line for line in text.split("\n"))
    # Strict: a stray or unterminated quote is an error, not a field that swallows later rows.
    reader = csv.reader(io.StringIO(blanked), strict=True)
    columns: dict[str, int] | None = None
    entries = []
    row_start = 1
    try:
        for cells in reader:
            line, row_start = row_start, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            if columns is None:
                names = [c.strip().lower() for c in cells]
                columns = {_ALIASES.get(n, n): i for i, n in enumerate(names)}
                if "zh" not in columns or "en" not in columns:
                    raise row_error(path, line, "the header must name columns zh and en")
                continue

            cells = [restore_cell(cell) for cell in cells]
            entries.append(entry_from_cells(path, line, cells, columns))
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            raise row_error(
                path, row_start, "malformed CSV: a quoted field opened in this row is never closed"
            ) from None
        raise row_error(path, reader.line_num, f"malformed CSV: {exc}") from None
    return entries


def write_csv(terms: Iterable[Term], path: Path) -> int:
    """Write a CSV glossary (UTF-8, header, RFC 4180 quoting, CRLF as spreadsheets expect).

    Cells a spreadsheet would run as formulas are neutralised (see zhen.io.spreadsheet).
    """
    count = 0
    with atomic_output(path, "w", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow([*HEADER, "created", "changed"])
        for term in terms:
            row = [
                term.zh,
                term.en,
                join_list(term.variants),
                join_list(term.forbidden),
                term.status,
                check_cell(term),
                term.domain or "",
                term.pos or "",
                term.note or "",
                join_list(term.sources),
                term.created_at or "",
                term.changed_at or "",
            ]
            writer.writerow([neutralise_cell(cell) for cell in row])
            count += 1
    return count

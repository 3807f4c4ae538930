"""The Xinhua TSV glossary: zh, en, variants, forbidden, status, note, source (lists split by |)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from zhen.glossary.entries import join_list
from zhen.glossary.formats.common import (
    ParsedEntry,
    check_cell,
    entry_from_cells,
    is_skippable,
    read_lines,
    row_error,
)
from zhen.io.output import atomic_output
from zhen.io.spreadsheet import neutralise_cell, restore_cell
from zhen.models import Term

COLUMNS = ("zh", "en", "variants", "forbidden", "status", "note", "source")
# Optional columns zhen also writes when any entry has them; read by name when present.
EXTRA_COLUMNS = ("check", "domain", "pos", "created", "changed")
_ALIASES = {"sources": "source", "variant": "variants", "comment": "note", "notes": "note"}


def _column_map(cells: list[str]) -> dict[str, int] | None:
    """Column positions from a header row, or None when the row is data, not a header."""
    names = [_ALIASES.get(c.strip().lower(), c.strip().lower()) for c in cells]
    if names[:2] != ["zh", "en"]:
        return None
    return {name: index for index, name in enumerate(names) if name}


def read_tsv(path: Path) -> list[ParsedEntry]:
    """Entries of a Xinhua TSV file (header optional: without it the seven columns in order)."""
    entries: list[ParsedEntry] = []
    columns: dict[str, int] | None = None
    for number, line in read_lines(path):
        if is_skippable(line):
            continue
        cells = line.split("\t")
        if columns is None:
            columns = _column_map(cells)
            if columns is not None:
                continue
            columns = {name: index for index, name in enumerate(COLUMNS)}

        en_index = columns.get("en", 1)
        if len(cells) <= en_index or not cells[en_index].strip():
            raise row_error(path, number, "expected at least two tab-separated columns: zh, en")
        cells = [restore_cell(cell) for cell in cells]
        entries.append(entry_from_cells(path, number, cells, columns))
    return entries


def _cell(text: str | None) -> str:
    # A tab or line break inside a value would shift every later column.
    return neutralise_cell(" ".join((text or "").split()))


def write_tsv(terms: Iterable[Term], path: Path) -> int:
    """Write terms as Xinhua TSV (UTF-8, header); returns the number of entries written."""
    terms = list(terms)
    attrs = {"domain": "domain", "pos": "pos", "created": "created_at", "changed": "changed_at"}
    extras = [
        name
        for name in EXTRA_COLUMNS
        if (name == "check" and not all(t.checked for t in terms))
        or (name in attrs and any(getattr(t, attrs[name]) for t in terms))
    ]
    with atomic_output(path, "w", encoding="utf-8") as out:
        out.write("\t".join([*COLUMNS, *extras]) + "\n")
        for term in terms:
            row = [
                term.zh,
                term.en,
                join_list(term.variants),
                join_list(term.forbidden),
                term.status,
                term.note,
                join_list(term.sources),
            ]
            row += [
                check_cell(term) if name == "check" else getattr(term, attrs[name])
                for name in extras
            ]
            out.write("\t".join(_cell(value) for value in row) + "\n")
    return len(terms)

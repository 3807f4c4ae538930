"""OmegaT glossary `.txt`: tab-separated source, target, comment; one line per rendering."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from zhen.glossary.entries import split_list
from zhen.glossary.formats.common import (
    ParsedEntry,
    comment_with_tags,
    is_skippable,
    make_entry,
    parse_check,
    parse_comment_tags,
    read_lines,
    row_error,
    state_checked,
    unchecked_status,
)
from zhen.io.output import atomic_output
from zhen.io.spreadsheet import neutralise_cell, restore_cell
from zhen.models import Term


def read_omegat(path: Path) -> list[ParsedEntry]:
    """Entries of an OmegaT glossary; lines with the same source become one entry later."""
    entries = []
    for number, line in read_lines(path):
        if is_skippable(line):
            continue
        cells = [restore_cell(cell.strip()) for cell in line.split("\t")]
        if len(cells) < 2 or not cells[1]:
            raise row_error(path, number, "expected tab-separated columns: source, target, comment")
        comment, tags = parse_comment_tags(cells[2] if len(cells) > 2 else "")
        status = tags.get("status", "")
        try:
            checked = parse_check(tags.get("check", ""))
        except ValueError as exc:
            raise row_error(path, number, str(exc)) from None
        term = Term(
            zh=cells[0],
            en=cells[1],
            forbidden=split_list(tags.get("forbidden")),
            status=unchecked_status(status or "approved"),
            # A variant line's comment only says whose variant it is.
            note=None if "variant of" in tags else comment or None,
            checked=checked is not False,
        )
        entries.append(
            make_entry(
                path, number, term, status_given=bool(status), check_given=checked is not None
            )
        )
    return entries


def write_omegat(terms: Iterable[Term], path: Path) -> int:
    """Write an OmegaT glossary (UTF-8): the preferred rendering, then one line per variant.

    Cells a spreadsheet would run as formulas are neutralised (see zhen.io.spreadsheet).
    """
    terms = list(terms)
    count = 0
    with atomic_output(path, "w", encoding="utf-8") as out:
        for term, explicit in zip(terms, state_checked(terms), strict=True):
            comment = comment_with_tags(term, state_checked=explicit)
            zh = neutralise_cell(term.zh)
            line = "\t".join(neutralise_cell(cell) for cell in (term.zh, term.en, comment))
            out.write(line.rstrip("\t") + "\n")
            for variant in term.variants:
                out.write(f"{zh}\t{neutralise_cell(variant)}\t[variant of: {term.en}]\n")
            count += 1
    return count

"""Spreadsheet-safe cells: a formula-like cell gets a leading quote on export, lost on import.

A spreadsheet opening a CSV, TSV or OmegaT file evaluates a cell starting with `=`, `+`, `-`, `@`,
tab or carriage return as a formula (CSV injection: `=cmd|' /C calc'!A0`). The OWASP rule
neutralises such a cell with a leading `'`, which spreadsheets show as text and do not display.

zhen's importers take the quote off again, so an export and import give back every string
exactly. For that, a cell that itself starts with quotes followed by a trigger (`'=x`) gets one
more quote too; a quote before anything else (`'s-Hertogenbosch`, `'tis`) is never touched, so
other tools' files keep their apostrophes.
"""

from __future__ import annotations

import re

FORMULA_TRIGGERS = "=+-@\t\r"
# A cell a spreadsheet would evaluate, or one that only looks neutralised: quotes, then a trigger.
_NEEDS_QUOTE = re.compile(f"'*[{re.escape(FORMULA_TRIGGERS)}]")
_NEUTRALISED = re.compile(f"'+[{re.escape(FORMULA_TRIGGERS)}]")


def neutralise_cell(text: str) -> str:
    """`text` as an exported cell: with a `'` first if a spreadsheet could take it for a formula."""
    return "'" + text if _NEEDS_QUOTE.match(text) else text


def restore_cell(cell: str) -> str:
    """The text `neutralise_cell` was given: the cell without the quote it added (if it did)."""
    return cell[1:] if _NEUTRALISED.match(cell) else cell

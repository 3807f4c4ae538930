"""Shared pieces of the glossary file formats: parsed rows, reading text, status comments."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from zhen.errors import FormatError, GlossaryError
from zhen.glossary.entries import clean_term, split_list, term_key
from zhen.io.textfile import read_text
from zhen.models import Term, TermStatus
from zhen.text.safetext import ControlCounter


@dataclass(slots=True)
class ParsedEntry:
    """One entry read from a glossary file, with where it was and whether it stated a status."""

    term: Term
    line: int
    status_given: bool = False
    check_given: bool = False  # the file says whether the term is checked (else the default)
    controls_removed: int = 0  # control characters dropped from the row's fields


def read_lines(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, line) for each line of a text glossary: any supported encoding, no BOM/CR.

    Control characters are left in, for make_entry to drop and count.
    """
    text = read_text(path, keep_controls=True)
    yield from enumerate(text.split("\n"), start=1)


def is_skippable(line: str) -> bool:
    """Blank lines and `#` comment lines carry no entry."""
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


def row_error(path: Path, line: int, message: str) -> FormatError:
    """A FormatError naming the file and line."""
    return FormatError(f"{path}:{line}: {message}")


def unchecked_status(text: str) -> TermStatus:
    """A status as a file states it; make_entry validates it with the rest of the entry, so a
    bad one becomes a FormatError at file:line rather than a ValueError here."""
    return cast(TermStatus, text)


def make_entry(
    path: Path, line: int, term: Term, *, status_given: bool, check_given: bool = False
) -> ParsedEntry:
    """Validate a term read from a file, control characters dropped; a bad one becomes a
    FormatError at file:line."""
    removed = drop_controls(term)
    try:
        cleaned = clean_term(term)
    except GlossaryError as exc:
        raise row_error(path, line, str(exc)) from None
    return ParsedEntry(cleaned, line, status_given, check_given, removed)


def drop_controls(term: Term) -> int:
    """Drop control characters from the term's text, in place; return how many there were.

    A note may run over several lines; every other field is one line (a newline dropped too).
    """
    counter = ControlCounter()
    for name in ("zh", "en", "status", "domain", "pos", "created_at", "changed_at"):
        value = getattr(term, name)
        if value:
            setattr(term, name, counter.clean(value, keep_newlines=False))
    if term.note:
        term.note = counter.clean(term.note)
    for name in ("variants", "forbidden", "sources"):
        values = getattr(term, name)
        setattr(term, name, [counter.clean(value, keep_newlines=False) for value in values])
    return counter.removed


def entry_from_cells(
    path: Path, line: int, cells: list[str], columns: dict[str, int]
) -> ParsedEntry:
    """A validated entry from one row of a tabular glossary (TSV or CSV), columns found by name."""

    def cell(name: str) -> str:
        index = columns.get(name)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    status = cell("status")
    try:
        checked = parse_check(cell("check"))
    except ValueError as exc:
        raise row_error(path, line, str(exc)) from None
    # Other tools' CSV files may carry a "check" column of their own: only yes/no is ours.
    term = Term(
        zh=cell("zh"),
        en=cell("en"),
        variants=split_list(cell("variants")),
        forbidden=split_list(cell("forbidden")),
        status=unchecked_status(status or "approved"),
        domain=cell("domain") or None,
        pos=cell("pos") or None,
        note=cell("note") or None,
        sources=split_list(cell("source")),
        created_at=cell("created") or None,
        changed_at=cell("changed") or None,
        checked=checked is not False,
    )
    return make_entry(path, line, term, status_given=bool(status), check_given=checked is not None)


_CHECK_VALUES = {
    "yes": True,
    "y": True,
    "true": True,
    "1": True,
    "no": False,
    "n": False,
    "false": False,
    "0": False,
    "lookup-only": False,
}


def parse_check(value: str) -> bool | None:
    """A `check` cell: yes → checked in drafts; no (or lookup-only) → lookup-only; empty → not
    stated (an entry is checked by default, and an import keeps what the store says)."""
    if not value.strip():
        return None
    try:
        return _CHECK_VALUES[value.strip().lower()]
    except KeyError:
        raise ValueError(f"check must be yes or no, not {value!r}") from None


def state_checked(terms: list[Term]) -> list[bool]:
    """For each term, whether a format that marks only lookup-only entries must also state
    "checked": when another entry of the same Chinese term is lookup-only, or a re-import would
    merge them into one lookup-only entry (zhen check requires a term when any entry is)."""
    states: dict[str, set[bool]] = {}
    for term in terms:
        states.setdefault(term_key(term.zh), set()).add(term.checked)
    return [term.checked and len(states[term_key(term.zh)]) == 2 for term in terms]


def check_cell(term: Term) -> str:
    """The `check` cell written for a term."""
    return "yes" if term.checked else "no"


# Formats without fields for status / forbidden renderings (OmegaT) carry them in the comment.
_COMMENT_TAGS_RE = re.compile(r"\s*\[(status|forbidden|variant of|check): ([^\]]*)\]")


def comment_with_tags(term: Term, *, state_checked: bool = False) -> str:
    """The note plus `[forbidden: …]`, `[status: …]`, `[check: no]` tags (comment-only formats)."""
    parts = [term.note or ""]
    if term.forbidden:
        parts.append(f"[forbidden: {' | '.join(term.forbidden)}]")
    if term.status != "approved":
        parts.append(f"[status: {term.status}]")
    if not term.checked:
        parts.append("[check: no]")
    elif state_checked:
        parts.append("[check: yes]")
    return " ".join(part for part in parts if part).replace("\t", " ").replace("\n", " ")


def parse_comment_tags(comment: str) -> tuple[str, dict[str, str]]:
    """Split a comment into its free text and the tags comment_with_tags wrote."""
    tags = {match.group(1): match.group(2).strip() for match in _COMMENT_TAGS_RE.finditer(comment)}
    return _COMMENT_TAGS_RE.sub("", comment).strip(), tags

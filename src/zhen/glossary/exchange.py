"""Glossary import and export: files in any supported format to and from the store."""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from zhen.errors import GlossaryError
from zhen.glossary.entries import (
    EXPORT_STATUSES,
    GlossaryExportReport,
    GlossaryImportReport,
    merge_terms,
    term_key,
)
from zhen.glossary.formats import read_entries, write_entries
from zhen.glossary.formats.common import ParsedEntry
from zhen.glossary.repository import list_terms, merge_into_store
from zhen.models import Term, TermStatus
from zhen.store.base import transaction


def _merge_duplicates(
    path: Path, entries: list[ParsedEntry]
) -> tuple[list[ParsedEntry], list[str], list[str]]:
    """One entry per Chinese term: later rows fold into the first (as variants etc.).

    Returns the merged entries, a message per merged row and a warning per conflict.
    """
    first: dict[str, ParsedEntry] = {}
    merged: list[ParsedEntry] = []
    duplicates: list[str] = []
    warnings: list[str] = []
    for entry in entries:
        key = term_key(entry.term.zh)
        kept = first.get(key)
        if kept is None:
            first[key] = entry
            merged.append(entry)
            continue
        # A row that states no status (an OmegaT variant line) agrees with any; a stated status
        # wins over the default of a row that stated none.
        if not entry.status_given:
            entry.term.status = kept.term.status
        elif not kept.status_given:
            kept.term.status = entry.term.status
            kept.status_given = True
        conflicts = merge_terms(kept.term, entry.term)
        # Checked when any row that says so asks for it, as zhen check reads several entries.
        if entry.check_given:
            stated = kept.term.checked if kept.check_given else False
            kept.term.checked = stated or entry.term.checked
            kept.check_given = True
        duplicates.append(f"{path}:{entry.line}: {entry.term.zh} merged into line {kept.line}")
        warnings.extend(f"{path}:{entry.line}: {entry.term.zh}: {c}" for c in conflicts)
    return merged, duplicates, warnings


def load_terms_file(path: Path | str, *, fmt: str | None = None) -> list[Term]:
    """Read a glossary file (TSV, OmegaT txt, CSV, TBX v2/v3) into terms, duplicates merged."""
    path = Path(path)
    _, entries = read_entries(path, fmt)
    merged, _, _ = _merge_duplicates(path, entries)
    return [entry.term for entry in merged]


def import_glossary(
    conn: sqlite3.Connection, path: Path | str, *, fmt: str | None = None
) -> GlossaryImportReport:
    """Import a glossary file into the store, all or nothing; duplicates merged and reported.

    The whole file is parsed and validated before anything is written, and the writes run in one
    transaction, so a bad row leaves the glossary exactly as it was.
    """
    path = Path(path)
    name, entries = read_entries(path, fmt)
    merged, duplicates, warnings = _merge_duplicates(path, entries)
    report = GlossaryImportReport(
        path=str(path),
        fmt=name,
        read=len(entries),
        duplicates=duplicates,
        warnings=warnings,
        controls_removed=sum(entry.controls_removed for entry in entries),
    )
    with transaction(conn):
        for entry in merged:
            outcome = merge_into_store(
                conn, entry.term, status_given=entry.status_given, check_given=entry.check_given
            )
            setattr(report, outcome, getattr(report, outcome) + 1)
    return report


def export_glossary(
    conn_or_terms: sqlite3.Connection | Iterable[Term],
    path: Path | str,
    *,
    fmt: str | None = None,
    status: str = "approved",
) -> GlossaryExportReport:
    """Write the glossary's (or the given terms') entries with `status` to a file.

    `status` is approved (the default: CAT tools show every entry they read as a valid term),
    proposed, rejected or "all". The format follows `fmt` or the suffix: `.tbx` is TBX v2
    (martif, TBX-Basic), `.tbx3` or fmt="tbx3" TBX v3, `.txt` OmegaT, `.csv` CSV with a header,
    `.tsv` the Xinhua TSV. The report counts the entries written and those left out, by status.
    """
    if status not in EXPORT_STATUSES:
        raise GlossaryError(
            f"unknown status {status!r} (expected one of {', '.join(EXPORT_STATUSES)})"
        )
    terms: Sequence[Term]
    # Asked of the terms, not of the connection: a PostgreSQL connection is no sqlite3 one.
    if isinstance(conn_or_terms, Iterable):
        terms = list(conn_or_terms)
    else:
        terms = list_terms(conn_or_terms)
    chosen = [term for term in terms if status in ("all", term.status)]
    left_out = Counter(term.status for term in terms if status not in ("all", term.status))
    written = write_entries(chosen, path, fmt)
    return GlossaryExportReport(
        path=str(path),
        written=written,
        left_out={name.value: left_out[name] for name in TermStatus if left_out[name]},
    )

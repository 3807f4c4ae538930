"""Glossary entries: validated add, read, update, status, remove and merge (SQL in the store)."""

from __future__ import annotations

import sqlite3
from typing import Any

from zhen.errors import GlossaryError
from zhen.glossary.entries import clean_term, merge_terms, now_iso, term_key
from zhen.models import TERM_STATUSES, StoredTerm, Term
from zhen.store import terms as stored
from zhen.store.base import transaction
from zhen.text.normalize import normalize_en


def _check_status(status: str | None) -> None:
    if status is not None and status not in TERM_STATUSES:
        raise GlossaryError(
            f"unknown status {status!r} (expected one of {', '.join(TERM_STATUSES)})"
        )


def list_terms(conn: sqlite3.Connection, status: str | None = None) -> list[StoredTerm]:
    """Every glossary entry (or those with the given status), oldest first."""
    _check_status(status)
    return stored.by_status(conn, status)


def approved_terms(conn: sqlite3.Connection) -> list[StoredTerm]:
    """The approved entries: what the aligner anchors on and drafts are checked against."""
    return list_terms(conn, "approved")


def get_term(conn: sqlite3.Connection, zh: str) -> list[StoredTerm]:
    """The entries for a Chinese term, Simplified or Traditional (one per preferred rendering)."""
    return stored.by_key(conn, term_key(zh))


def get_term_by_id(conn: sqlite3.Connection, term_id: int) -> StoredTerm:
    """The entry with this id; GlossaryError when there is none."""
    found = stored.by_id(conn, term_id)
    if found is None:
        raise GlossaryError(f"no glossary entry with id {term_id}")
    return found


def _find_same(conn: sqlite3.Connection, zh_norm: str, en: str) -> int | None:
    return stored.find_id(conn, zh_norm, en)


def _insert(conn: sqlite3.Connection, term: Term) -> StoredTerm:
    stamp = now_iso()
    term.created_at = term.created_at or stamp
    term.changed_at = term.changed_at or term.created_at
    return term.stored_as(stored.insert(conn, term, term_key(term.zh)))


def _update(conn: sqlite3.Connection, term: StoredTerm) -> StoredTerm:
    term.changed_at = now_iso()
    stored.update(conn, term, term_key(term.zh))
    return term


def add_term(conn: sqlite3.Connection, term: Term) -> StoredTerm:
    """Add a new entry (validated; any id it has is ignored); GlossaryError if the same zh→en
    entry already exists."""
    term = clean_term(term)
    with transaction(conn):
        existing = _find_same(conn, term_key(term.zh), term.en)
        if existing is not None:
            raise GlossaryError(
                f"{term.zh} → {term.en} is already in the glossary (id {existing}); "
                "use `zhen glossary edit` to change it"
            )
        return _insert(conn, term)


def update_term(conn: sqlite3.Connection, term: StoredTerm) -> StoredTerm:
    """Save changes to an existing entry (found by `term.id`); returns the stored entry."""
    cleaned = clean_term(term).stored_as(term.id)
    with transaction(conn):
        current = get_term_by_id(conn, term.id)
        other = _find_same(conn, term_key(cleaned.zh), cleaned.en)
        if other is not None and other != term.id:
            raise GlossaryError(
                f"{cleaned.zh} → {cleaned.en} is already another entry (id {other})"
            )
        cleaned.created_at = current.created_at
        return _update(conn, cleaned)


def set_status(conn: sqlite3.Connection, term_id: int, status: str) -> None:
    """Approve, propose or reject an entry."""
    if status not in TERM_STATUSES:
        _check_status(status)
    with transaction(conn):
        if not stored.set_status(conn, term_id, status, now_iso()):
            raise GlossaryError(f"no glossary entry with id {term_id}")


def remove_term(conn: sqlite3.Connection, term_id: int) -> None:
    """Delete an entry with its renderings and sources."""
    with transaction(conn):
        if not stored.delete(conn, term_id):
            raise GlossaryError(f"no glossary entry with id {term_id}")


def _matching_entry(existing: list[StoredTerm], term: Term) -> StoredTerm | None:
    """The stored entry an incoming one continues: same preferred rendering, else one listing it."""
    wanted = normalize_en(term.en)
    for entry in existing:
        if normalize_en(entry.en) == wanted:
            return entry
    for entry in existing:
        if wanted in {normalize_en(r) for r in entry.renderings}:
            return entry
    return None


def _merged_content(term: Term) -> tuple[Any, ...]:
    """Everything a merge can change in an entry, copied, to tell whether it changed."""
    own = (term.zh, term.en, term.status, term.domain, term.note, term.pos, term.checked)
    return (*own, tuple(term.variants), tuple(term.forbidden), tuple(term.sources))


def merge_into_store(
    conn: sqlite3.Connection, term: Term, *, status_given: bool, check_given: bool = False
) -> str:
    """Store an imported entry, merged into a matching stored one: "added", "updated", "unchanged".

    A matching entry keeps its preferred rendering and gains the renderings, sources, note parts,
    domain and part of speech it lacks (merged as ordered sets, model.merge_terms), so importing
    the same file again changes nothing, `changed_at` included. The import's status replaces the
    stored one only when the file states a status, so a rejected term is not revived by a plain
    OmegaT or CSV glossary; likewise whether the term is checked in drafts (the `check` column,
    `[check: …]`, `zhen-check:`).
    """
    term = clean_term(term)
    entry = _matching_entry(get_term(conn, term.zh), term)
    if entry is None:
        _insert(conn, term)
        return "added"
    before = _merged_content(entry)
    imported_status = term.status
    term.status = entry.status
    if normalize_en(term.en) == normalize_en(entry.en):
        # Same preferred rendering: keep the stored spelling, take the import's attributes.
        term.en = entry.en
    merge_terms(entry, term)
    if status_given:
        entry.status = imported_status
    if check_given:
        entry.checked = term.checked
    if _merged_content(entry) == before:
        # Nothing new: the entry, its renderings, sources and changed_at stay as they are.
        return "unchanged"
    _update(conn, entry)
    return "updated"

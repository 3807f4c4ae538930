"""Reviewing proposed terms one by one: the decisions a reviewer can take, their effect and tally.

The CLI (`zhen glossary review`) and the TUI's review screen both call `apply_decision` (through
`zhen.Database.review`), so a decision stores the same entry, note included, whichever is used.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from dataclasses import dataclass

from zhen.errors import GlossaryError
from zhen.glossary.repository import (
    add_term,
    get_term_by_id,
    remove_term,
    set_status,
    update_term,
)
from zhen.models import StoredTerm, Term, TermStatus

# Keys a reviewer types, and what they mean.
DECISIONS = {
    "a": "accept",
    "r": "reject",
    "e": "edit",
    "s": "skip",
    "d": "delete",
    "u": "undo",
    "q": "quit",
}
"""The same keys in `zhen glossary review` and the TUI's review screen (which quits with esc)."""


def parse_decision(answer: str) -> str:
    """The decision for a typed answer (`a`, `accept`, `R`…); GlossaryError for anything else."""
    key = answer.strip().lower()[:1]
    if key not in DECISIONS:
        raise GlossaryError(f"unknown answer {answer.strip()!r}")
    return DECISIONS[key]


@dataclass(slots=True)
class ReviewTally:
    """How many proposals each decision was applied to."""

    accepted: int = 0
    rejected: int = 0
    edited: int = 0
    skipped: int = 0
    deleted: int = 0

    def record(self, decision: str) -> None:
        """Count one decision that was carried out."""
        field_name = _TALLY_FIELDS[decision]
        setattr(self, field_name, getattr(self, field_name) + 1)

    def forget(self, decision: str) -> None:
        """Uncount one decision that was taken back."""
        field_name = _TALLY_FIELDS[decision]
        setattr(self, field_name, max(getattr(self, field_name) - 1, 0))

    def summary(self) -> str:
        """One line for the end of a review session."""
        return (
            f"{self.accepted} accepted, {self.edited} edited and accepted, {self.rejected} "
            f"rejected, {self.deleted} deleted, {self.skipped} skipped"
        )


_TALLY_FIELDS = {
    "accept": "accepted",
    "reject": "rejected",
    "edit": "edited",
    "skip": "skipped",
    "delete": "deleted",
}


def apply_decision(
    conn: sqlite3.Connection,
    term_id: int,
    decision: str,
    *,
    revision: Term | None = None,
    tally: ReviewTally | None = None,
) -> StoredTerm | None:
    """Carry out one decision on a proposed term; the entry as stored after it (None if deleted).

    `edit` needs `revision`, the reviewer's corrected entry: it is stored approved, its new
    preferred rendering leaves the variants, and the rendering it replaces is kept in the note
    ("first proposed as …") unless the reviewer forbade it. A `reject` with a `revision` stores
    the revision rejected, so nothing the reviewer typed is lost. `tally` counts the decision
    once it is carried out.
    """
    if decision not in _TALLY_FIELDS:
        raise GlossaryError(f"cannot apply {decision!r} to a term")
    result: StoredTerm | None
    if decision == "accept":
        set_status(conn, term_id, "approved")
        result = get_term_by_id(conn, term_id)
    elif decision == "reject" and revision is None:
        set_status(conn, term_id, "rejected")
        result = get_term_by_id(conn, term_id)
    elif decision == "reject":
        assert revision is not None
        rejected = dataclasses.replace(revision.stored_as(term_id), status=TermStatus.REJECTED)
        result = update_term(conn, rejected)
    elif decision == "edit":
        if revision is None or not revision.en.strip():
            raise GlossaryError("an edit needs the new English rendering")
        result = update_term(conn, _approved_revision(get_term_by_id(conn, term_id), revision))
    elif decision == "delete":
        remove_term(conn, term_id)
        result = None
    else:  # skip: the proposal stays as it is
        result = get_term_by_id(conn, term_id)
    if tally is not None:
        tally.record(decision)
    return result


def undo_decision(
    conn: sqlite3.Connection,
    before: StoredTerm,
    decision: str,
    *,
    tally: ReviewTally | None = None,
) -> StoredTerm:
    """Take back `decision`, taken on the entry `before`: store the entry as it was (a deleted
    one is added again, under a new id) and uncount the decision in `tally`."""
    if decision not in _TALLY_FIELDS:
        raise GlossaryError(f"cannot undo {decision!r}")
    if decision == "delete":
        restored = add_term(conn, before)
    elif decision == "skip":  # nothing was stored
        restored = get_term_by_id(conn, before.id)
    else:
        restored = update_term(conn, before)
    if tally is not None:
        tally.forget(decision)
    return restored


def _approved_revision(stored: StoredTerm, revision: Term) -> StoredTerm:
    """The reviewer's revision of `stored`, approved, with the replaced rendering noted."""
    en = revision.en.strip()
    old = stored.en
    note = revision.note
    if old != en and old not in revision.forbidden:
        note = (note + "; " if note else "") + f"first proposed as {old!r}"
    return dataclasses.replace(
        revision.stored_as(stored.id),
        en=en,
        # The corrected rendering is the preferred one, so it is not listed again as a variant.
        variants=[v for v in revision.variants if v != en],
        note=note,
        status=TermStatus.APPROVED,
    )

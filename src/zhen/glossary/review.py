"""Reviewing proposed terms one by one: the decisions a reviewer can take and their effect."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from zhen.errors import GlossaryError
from zhen.glossary.repository import remove_term, set_status, update_term
from zhen.models import StoredTerm, TermStatus

# Keys a reviewer types, and what they mean.
DECISIONS = {
    "a": "accept",
    "r": "reject",
    "e": "edit",
    "s": "skip",
    "d": "delete",
    "q": "quit",
}


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

    def summary(self) -> str:
        """One line for the end of a review session."""
        return (
            f"{self.accepted} accepted, {self.edited} edited and accepted, {self.rejected} "
            f"rejected, {self.deleted} deleted, {self.skipped} skipped"
        )


def apply_decision(
    conn: sqlite3.Connection, term: StoredTerm, decision: str, tally: ReviewTally, new_en: str = ""
) -> None:
    """Carry out one decision on a proposed term (edit = new preferred rendering, approved)."""
    if decision == "accept":
        set_status(conn, term.id, "approved")
        tally.accepted += 1
    elif decision == "reject":
        set_status(conn, term.id, "rejected")
        tally.rejected += 1
    elif decision == "delete":
        remove_term(conn, term.id)
        tally.deleted += 1
    elif decision == "edit":
        if not new_en.strip():
            raise GlossaryError("an edit needs the new English rendering")
        old = term.en
        term.en = new_en.strip()
        # The extracted rendering was wrong, so it must not linger as a variant.
        term.variants = [v for v in term.variants if v != term.en]
        if old != term.en and old not in term.forbidden:
            term.note = (term.note + "; " if term.note else "") + f"first proposed as {old!r}"
        term.status = TermStatus.APPROVED
        update_term(conn, term)
        tally.edited += 1
    elif decision == "skip":
        tally.skipped += 1
    else:
        raise GlossaryError(f"cannot apply {decision!r} to a term")

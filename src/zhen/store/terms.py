"""Glossary entries in SQLite: rows of `terms` with their renderings and sources."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from zhen.models import StoredTerm, Term, TermStatus

_TERM_COLUMNS = "id, zh, en, status, domain, note, pos, created_at, changed_at, checked"
# The entry's own columns, in the order both the INSERT and the UPDATE below name them.
_ENTRY_COLUMNS = ("zh", "zh_norm", "en", "status", "domain", "note", "pos", "checked")


def select(
    conn: sqlite3.Connection, where: str = "", params: Iterable[Any] = ()
) -> list[StoredTerm]:
    """Terms matching a WHERE clause, with their renderings and sources, in insertion order."""
    rows = conn.execute(
        f"SELECT {_TERM_COLUMNS} FROM terms {where} ORDER BY id", tuple(params)
    ).fetchall()
    if not rows:
        return []
    ids = [row[0] for row in rows]
    renderings: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    sources: dict[int, list[str]] = defaultdict(list)
    # Chunked IN lists stay under SQLite's bound-parameter limit on big glossaries.
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for term_id, kind, en in conn.execute(
            f"SELECT term_id, kind, en FROM term_renderings WHERE term_id IN ({marks}) "
            "ORDER BY rowid",
            chunk,
        ):
            renderings[term_id][kind].append(en)
        for term_id, source in conn.execute(
            f"SELECT term_id, source FROM term_sources WHERE term_id IN ({marks}) ORDER BY rowid",
            chunk,
        ):
            sources[term_id].append(source)
    return [
        StoredTerm(
            zh=row[1],
            en=row[2],
            variants=list(renderings[row[0]]["variant"]),
            forbidden=list(renderings[row[0]]["forbidden"]),
            status=TermStatus(row[3]),
            domain=row[4],
            note=row[5],
            pos=row[6],
            sources=list(sources[row[0]]),
            created_at=row[7],
            changed_at=row[8],
            id=row[0],
            checked=bool(row[9]),
        )
        for row in rows
    ]


def by_status(conn: sqlite3.Connection, status: str | None) -> list[StoredTerm]:
    """Every entry, or those with one status."""
    return select(conn) if status is None else select(conn, "WHERE status = ?", (status,))


def by_key(conn: sqlite3.Connection, zh_norm: str) -> list[StoredTerm]:
    """The entries of one normalised Chinese term."""
    return select(conn, "WHERE zh_norm = ?", (zh_norm,))


def by_id(conn: sqlite3.Connection, term_id: int) -> StoredTerm | None:
    """The entry with this id, or None."""
    found = select(conn, "WHERE id = ?", (term_id,))
    return found[0] if found else None


def find_id(conn: sqlite3.Connection, zh_norm: str, en: str) -> int | None:
    """The id of the entry with this normalised Chinese and preferred English, or None."""
    row = conn.execute(
        "SELECT id FROM terms WHERE zh_norm = ? AND en = ?", (zh_norm, en)
    ).fetchone()
    return None if row is None else row[0]


def status_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Entries per status."""
    return dict(conn.execute("SELECT status, COUNT(*) FROM terms GROUP BY status").fetchall())


def count(conn: sqlite3.Connection) -> int:
    """How many glossary entries there are."""
    return int(conn.execute("SELECT COUNT(*) FROM terms").fetchone()[0])


def _write_children(conn: sqlite3.Connection, term_id: int, term: Term) -> None:
    conn.execute("DELETE FROM term_renderings WHERE term_id = ?", (term_id,))
    conn.execute("DELETE FROM term_sources WHERE term_id = ?", (term_id,))
    conn.executemany(
        "INSERT INTO term_renderings (term_id, kind, en) VALUES (?, ?, ?)",
        [(term_id, "variant", v) for v in term.variants]
        + [(term_id, "forbidden", f) for f in term.forbidden],
    )
    conn.executemany(
        "INSERT INTO term_sources (term_id, source) VALUES (?, ?)",
        [(term_id, s) for s in term.sources],
    )


def _entry_values(term: Term, zh_norm: str) -> tuple[Any, ...]:
    return (
        term.zh,
        zh_norm,
        term.en,
        term.status,
        term.domain,
        term.note,
        term.pos,
        int(term.checked),
    )


def insert(conn: sqlite3.Connection, term: Term, zh_norm: str) -> int:
    """Store a new entry (its created_at and changed_at already set); return its id."""
    columns = ", ".join((*_ENTRY_COLUMNS, "created_at", "changed_at"))
    placeholders = ", ".join("?" * (len(_ENTRY_COLUMNS) + 2))
    cursor = conn.execute(
        f"INSERT INTO terms ({columns}) VALUES ({placeholders})",
        (*_entry_values(term, zh_norm), term.created_at, term.changed_at),
    )
    term_id = int(cursor.lastrowid or 0)
    _write_children(conn, term_id, term)
    return term_id


def update(conn: sqlite3.Connection, term: StoredTerm, zh_norm: str) -> None:
    """Overwrite the stored entry `term.id` with `term` (its changed_at already set)."""
    assignments = ", ".join(f"{column} = ?" for column in (*_ENTRY_COLUMNS, "changed_at"))
    conn.execute(
        f"UPDATE terms SET {assignments} WHERE id = ?",
        (*_entry_values(term, zh_norm), term.changed_at, term.id),
    )
    _write_children(conn, term.id, term)


def set_status(conn: sqlite3.Connection, term_id: int, status: str, stamp: str) -> bool:
    """Change an entry's status; False when there is no such entry."""
    cursor = conn.execute(
        "UPDATE terms SET status = ?, changed_at = ? WHERE id = ?", (status, stamp, term_id)
    )
    return cursor.rowcount > 0


def delete(conn: sqlite3.Connection, term_id: int) -> bool:
    """Delete an entry with its renderings and sources; False when there is no such entry."""
    return conn.execute("DELETE FROM terms WHERE id = ?", (term_id,)).rowcount > 0


def lookup_rows(
    conn: sqlite3.Connection,
) -> tuple[list[tuple[Any, ...]], Iterator[tuple[Any, ...]]]:
    """What the lookup index needs: (id, zh, zh_norm, en, status, note, checked) of every term,
    and (term_id, kind, en) of every rendering, both in id order."""
    cursor = conn.cursor()
    cursor.row_factory = None
    terms = cursor.execute(
        "SELECT id, zh, zh_norm, en, status, note, checked FROM terms ORDER BY id"
    ).fetchall()
    renderings = conn.cursor()
    renderings.row_factory = None
    return terms, renderings.execute(
        "SELECT term_id, kind, en FROM term_renderings ORDER BY term_id, rowid"
    )


def change_marker(conn: sqlite3.Connection) -> tuple[int, int]:
    """Changes whenever any connection commits a change (data_version) or this one writes."""
    return conn.execute("PRAGMA data_version").fetchone()[0], conn.total_changes

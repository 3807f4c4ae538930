"""Translation units and their sources: insert with duplicate merging, read, count and delete."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from zhen.models import TranslationUnit
from zhen.store import index
from zhen.store.base import transaction

UNIT_COLUMNS = (
    "zh, en, zh_norm, en_norm, zh_lang, en_lang, origin, position, score, created_at, "
    "changed_at, creation_tool, created_by, changed_by, note, tuid, props"
)
SELECT_UNITS = f"SELECT id, {UNIT_COLUMNS} FROM units"
# Rows carry pair_key last (see zhen.store.base.pair_key). A pair already stored makes the INSERT
# a no-op; so does a different pair with the same key (a 2**-64 chance), sorted out afterwards
# by `_store_collisions`.
_INSERT = (
    f"INSERT INTO units ({UNIT_COLUMNS}, pair_key) VALUES ({', '.join('?' * 18)}) "
    "ON CONFLICT (pair_key, pair_seq) DO NOTHING"
)
_INSERT_WITH_SEQ = (
    f"INSERT INTO units ({UNIT_COLUMNS}, pair_key, pair_seq) VALUES ({', '.join('?' * 19)})"
)
_INSERT_SOURCE = (
    "INSERT OR IGNORE INTO unit_sources (unit_id, origin_id, position, import_id) "
    "VALUES (?, ?, ?, ?)"
)
ZH_NORM, EN_NORM, _ORIGIN, _POSITION, KEY = 2, 3, 6, 7, 17  # places in a row


@dataclass(frozen=True, slots=True)
class UnitSource:
    """One source of a unit: the origin (document or file), where in it, and the import."""

    origin: str
    position: int | None
    file: str | None
    imported_at: str | None

    def to_json(self) -> dict:
        """A JSON-ready dict."""
        return {
            "origin": self.origin,
            "position": self.position,
            "file": self.file,
            "imported_at": self.imported_at,
        }


@dataclass(frozen=True, slots=True)
class DeleteReport:
    """What deleting an origin did: units removed, units kept because another source has them."""

    origin: str
    removed: int
    kept: int


# --- writing -------------------------------------------------------------------------------


class UnitWriter:
    """Inserts row batches inside the caller's transaction: duplicates merged, sources recorded.

    Each batch's new units are handed to `indexer` (an `index.IndexBuilder`) for lookup.
    """

    def __init__(self, conn: sqlite3.Connection, indexer: index.IndexBuilder) -> None:
        self.conn = conn
        self.indexer = indexer
        self.next_id = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM units").fetchone()[0]
        self._origin_ids: dict[str, int] = {}
        self._import_id: int | None = None

    def start_file(self, file: str) -> None:
        """Record an import of `file` now; the units written until the next call came from it."""
        stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        cursor = self.conn.execute(
            "INSERT INTO imports (file, imported_at) VALUES (?, ?)", (file, stamp)
        )
        self._import_id = cursor.lastrowid

    def write(self, batch: list[tuple]) -> list[tuple]:
        """Insert a batch of rows; return the rows that were new (the rest merged)."""
        conn = self.conn
        before = conn.total_changes
        conn.executemany(_INSERT, batch)
        inserted: list[tuple] = batch
        merged: list[tuple[int, tuple]] = []
        if conn.total_changes - before < len(batch):
            # Duplicates, or (in theory) a pair_key collision: sort them out.
            inserted, merged = _store_collisions(conn, batch, self.next_id)
        ids = range(self.next_id, self.next_id + len(inserted))
        sources = [
            (unit_id, self._origin_id(row[_ORIGIN]), row[_POSITION], self._import_id)
            for unit_id, row in zip(ids, inserted, strict=True)
        ]
        sources.extend(
            (unit_id, self._origin_id(row[_ORIGIN]), row[_POSITION], self._import_id)
            for unit_id, row in merged
        )
        conn.executemany(_INSERT_SOURCE, sources)
        # New rows take MAX(id) + 1 each: the batch's units got consecutive ids.
        self.indexer.add(
            np.arange(self.next_id, self.next_id + len(inserted)),
            [row[ZH_NORM] for row in inserted],
            [row[EN_NORM] for row in inserted],
        )
        self.next_id += len(inserted)
        return inserted

    def _origin_id(self, name: str) -> int:
        found = self._origin_ids.get(name)
        if found is None:
            self.conn.execute("INSERT OR IGNORE INTO origins (name) VALUES (?)", (name,))
            row = self.conn.execute("SELECT id FROM origins WHERE name = ?", (name,)).fetchone()
            found = self._origin_ids[name] = row[0]
        return found


def _store_collisions(
    conn: sqlite3.Connection, batch: list[tuple], first_id: int
) -> tuple[list[tuple], list[tuple[int, tuple]]]:
    """After a batch whose INSERT skipped rows: store those that are not true duplicates.

    A skipped row's pair_key was taken. If no stored unit with that key has the same zh and en,
    the key collided: the row is stored under the next free pair_seq. Returns the rows the batch
    added, in id order, and (stored id, row) for each row merged into a stored unit.
    """
    cursor = conn.cursor()
    cursor.row_factory = None
    inserted_keys = cursor.execute(
        "SELECT pair_key FROM units WHERE id >= ? ORDER BY id", (first_id,)
    ).fetchall()
    # The inserted rows are a subsequence of the batch, in order; a skipped row cannot share
    # its key with a row inserted after it (that row would have been skipped too).
    inserted: list[tuple] = []
    skipped: list[tuple] = []
    for row in batch:
        if len(inserted) < len(inserted_keys) and row[KEY] == inserted_keys[len(inserted)][0]:
            inserted.append(row)
        else:
            skipped.append(row)
    merged: list[tuple[int, tuple]] = []
    for row in skipped:
        same_key = cursor.execute(
            "SELECT id, zh, en, pair_seq FROM units WHERE pair_key = ?", (row[KEY],)
        ).fetchall()
        twin = next((uid for uid, zh, en, _ in same_key if zh == row[0] and en == row[1]), None)
        if twin is not None:
            merged.append((twin, row))  # a true duplicate: merged
            continue
        cursor.execute(_INSERT_WITH_SEQ, (*row, 1 + max(seq for *_, seq in same_key)))
        inserted.append(row)
    return inserted, merged


# --- reading -------------------------------------------------------------------------------


def unit_from_row(row: Sequence) -> TranslationUnit:
    """A TranslationUnit from a `SELECT_UNITS` row."""
    (id_, zh, en, _zh_norm, _en_norm, zh_lang, en_lang, origin, position, score) = row[:10]
    created_at, changed_at, tool, created_by, changed_by, note, tuid, props = row[10:]
    return TranslationUnit(
        zh=zh,
        en=en,
        origin=origin,
        position=position,
        score=score,
        zh_lang=zh_lang,
        en_lang=en_lang,
        created_at=created_at,
        changed_at=changed_at,
        creation_tool=tool,
        created_by=created_by,
        changed_by=changed_by,
        note=note,
        id=id_,
        tuid=tuid,
        props=[(t, v) for t, v in json.loads(props)] if props else [],
    )


def origin_exists(conn: sqlite3.Connection, origin: str) -> bool:
    """True when some unit has a source of this origin."""
    return _origin_id(conn, origin) is not None


def _origin_id(conn: sqlite3.Connection, origin: str) -> int | None:
    row = conn.execute(
        "SELECT o.id FROM origins AS o WHERE o.name = ? "
        "AND EXISTS (SELECT 1 FROM unit_sources AS s WHERE s.origin_id = o.id)",
        (origin,),
    ).fetchone()
    return None if row is None else row[0]


def iter_units(conn: sqlite3.Connection, origin: str | None = None) -> Iterator[TranslationUnit]:
    """Every unit (or those with a source of this origin) in import order."""
    if origin is None:
        rows = conn.execute(f"{SELECT_UNITS} ORDER BY id")
    else:
        rows = conn.execute(
            f"{SELECT_UNITS} WHERE id IN (SELECT s.unit_id FROM unit_sources AS s "
            "JOIN origins AS o ON o.id = s.origin_id WHERE o.name = ?) ORDER BY id",
            (origin,),
        )
    return map(unit_from_row, rows)


def get_unit(conn: sqlite3.Connection, unit_id: int) -> TranslationUnit | None:
    """The unit with this id, or None."""
    row = conn.execute(f"{SELECT_UNITS} WHERE id = ?", (unit_id,)).fetchone()
    return None if row is None else unit_from_row(row)


def unit_sources(conn: sqlite3.Connection, unit_id: int) -> list[UnitSource]:
    """Every source of a unit, oldest import first (sources from before provenance first)."""
    rows = conn.execute(
        "SELECT o.name, s.position, i.file, i.imported_at FROM unit_sources AS s "
        "JOIN origins AS o ON o.id = s.origin_id LEFT JOIN imports AS i ON i.id = s.import_id "
        "WHERE s.unit_id = ? ORDER BY s.import_id IS NOT NULL, s.import_id, o.name",
        (unit_id,),
    )
    return [UnitSource(*row) for row in rows]


def neighbours(conn: sqlite3.Connection, unit_id: int, radius: int = 1) -> list[TranslationUnit]:
    """The unit and those within `radius` positions of it in its first origin, in order."""
    unit = get_unit(conn, unit_id)
    if unit is None:
        return []
    if unit.position is None:
        return [unit]
    rows = conn.execute(
        f"{SELECT_UNITS} WHERE id IN (SELECT s.unit_id FROM unit_sources AS s "
        "JOIN origins AS o ON o.id = s.origin_id WHERE o.name = ? AND s.position BETWEEN ? AND ?) "
        "ORDER BY position, id",
        (unit.origin, unit.position - radius, unit.position + radius),
    )
    return [unit_from_row(row) for row in rows] or [unit]


def fetch_rows(conn: sqlite3.Connection, ids: Sequence[int], columns: str) -> list[tuple]:
    """Rows (plain tuples, in no particular order) of the units with these ids."""
    cursor = conn.cursor()
    cursor.row_factory = None  # sqlite3.Row costs more than the query for a few hundred rows
    rows: list[tuple] = []
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        marks = ",".join("?" * len(chunk))
        rows.extend(cursor.execute(f"SELECT {columns} FROM units WHERE id IN ({marks})", chunk))
    return rows


def rows_by_ids_newest_first(conn: sqlite3.Connection, ids: Sequence[int]) -> Iterator[sqlite3.Row]:
    """Concordance rows (id, zh, en, origin, zh_norm, en_norm) of these units, newest first."""
    step = 256
    for start in range(0, len(ids), step):
        chunk = list(ids[start : start + step])
        marks = ",".join("?" * len(chunk))
        yield from conn.execute(
            f"SELECT id, zh, en, origin, zh_norm, en_norm FROM units WHERE id IN ({marks}) "
            "ORDER BY id DESC",
            chunk,
        )


def rows_containing(conn: sqlite3.Connection, side: str, prefix: str) -> Iterator[sqlite3.Row]:
    """Concordance rows whose normalised `side` starts with `prefix`… or holds it, newest first."""
    column = "zh_norm" if side == "zh" else "en_norm"
    pattern = "%" + prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return conn.execute(
        f"SELECT id, zh, en, origin, zh_norm, en_norm FROM units "
        f"WHERE {column} LIKE ? ESCAPE '\\' ORDER BY id DESC",
        (pattern,),
    )


def highest_id(conn: sqlite3.Connection) -> int:
    """The largest unit id (0 for an empty TM)."""
    return conn.execute("SELECT max(id) FROM units").fetchone()[0] or 0


def pairs_for_extraction(conn: sqlite3.Connection) -> list[TranslationUnit]:
    """Every unit's zh, en, origin, position and id, in document order (term extraction)."""
    rows = conn.execute("SELECT zh, en, origin, position, id FROM units ORDER BY origin, position")
    return [
        TranslationUnit(zh=row[0], en=row[1], origin=row[2], position=row[3], id=row[4])
        for row in rows
    ]


# --- counting ------------------------------------------------------------------------------


def count_units(conn: sqlite3.Connection) -> int:
    """How many units the TM holds."""
    return conn.execute("SELECT COUNT(*) FROM units").fetchone()[0]


def language_counts(conn: sqlite3.Connection, side: str) -> dict[str, int]:
    """Units per language code on one side ("zh" or "en"), most frequent first."""
    column = "zh_lang" if side == "zh" else "en_lang"
    return {
        row[0]: row[1]
        for row in conn.execute(
            f"SELECT {column}, COUNT(*) FROM units GROUP BY {column} ORDER BY 2 DESC, 1"
        )
    }


def origin_counts(conn: sqlite3.Connection) -> list[tuple[str, int]]:
    """(origin, units with a source of it), most units first: a unit brought by two origins
    counts in both."""
    return [
        (row[0], row[1])
        for row in conn.execute(
            "SELECT o.name, COUNT(*) FROM unit_sources AS s JOIN origins AS o "
            "ON o.id = s.origin_id GROUP BY o.id ORDER BY 2 DESC, 1"
        )
    ]


# --- deleting ------------------------------------------------------------------------------


def delete_origin(conn: sqlite3.Connection, origin: str) -> DeleteReport:
    """Remove one origin: its units that no other source supplied are deleted, the rest kept.

    A kept unit whose first source was this origin takes its next source as the first.
    """
    with transaction(conn):
        origin_id = _origin_id(conn, origin)
        if origin_id is None:
            return DeleteReport(origin, 0, 0)
        only_here = [
            row[0]
            for row in conn.execute(
                "SELECT s.unit_id FROM unit_sources AS s WHERE s.origin_id = ? AND NOT EXISTS "
                "(SELECT 1 FROM unit_sources AS t WHERE t.unit_id = s.unit_id "
                "AND t.origin_id != s.origin_id) ORDER BY s.unit_id",
                (origin_id,),
            )
        ]
        _delete_units(conn, only_here)
        kept = conn.execute(
            "SELECT COUNT(*) FROM unit_sources WHERE origin_id = ?", (origin_id,)
        ).fetchone()[0]
        conn.execute("DELETE FROM unit_sources WHERE origin_id = ?", (origin_id,))
        conn.execute(
            "UPDATE units SET (origin, position) = (SELECT o.name, s.position FROM unit_sources "
            "AS s JOIN origins AS o ON o.id = s.origin_id WHERE s.unit_id = units.id "
            "ORDER BY s.import_id IS NOT NULL, s.import_id, o.name LIMIT 1) WHERE origin = ?",
            (origin,),
        )
        conn.execute("DELETE FROM origins WHERE id = ?", (origin_id,))
    return DeleteReport(origin, len(only_here), kept)


def delete_unit(conn: sqlite3.Connection, unit_id: int) -> bool:
    """Delete one unit with all its sources; False when there is no such unit."""
    with transaction(conn):
        if get_unit(conn, unit_id) is None:
            return False
        _delete_units(conn, [unit_id])
        conn.execute(
            "DELETE FROM origins WHERE NOT EXISTS "
            "(SELECT 1 FROM unit_sources AS s WHERE s.origin_id = origins.id)"
        )
    return True


def _delete_units(conn: sqlite3.Connection, ids: list[int]) -> None:
    if not ids:
        return
    index.units_removed(conn, ids)  # the index reads the texts, so it goes first
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        conn.execute(f"DELETE FROM units WHERE id IN ({','.join('?' * len(chunk))})", chunk)
    _renumber_collisions(conn)


def _renumber_collisions(conn: sqlite3.Connection) -> None:
    """Close gaps a delete left in pair_seq, so each key's pairs are again numbered from 0.

    The importer's duplicate check relies on it: a pair whose key is free at pair_seq 0 is
    taken to be new. Colliding keys are so rare that the partial index is nearly always empty.
    """
    rows = conn.execute(
        "SELECT id, pair_key FROM units WHERE pair_key IN "
        "(SELECT pair_key FROM units WHERE pair_seq > 0) ORDER BY pair_key, pair_seq"
    ).fetchall()
    seq_of: dict[int, int] = {}
    for unit_id, key in rows:
        seq_of[key] = seq_of.get(key, -1) + 1
        # Negative first: renumbering in place must not trip the unique index midway.
        conn.execute("UPDATE units SET pair_seq = ? WHERE id = ?", (-1 - seq_of[key], unit_id))
    conn.executemany(
        "UPDATE units SET pair_seq = -1 - pair_seq WHERE pair_key = ? AND pair_seq < 0",
        ((key,) for key in seq_of),
    )

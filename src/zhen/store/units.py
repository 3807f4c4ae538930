"""Translation units and their sources: insert with duplicate merging, read, count and delete."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np

from zhen.models import TranslationUnit
from zhen.store import index
from zhen.store.base import set_meta, transaction

UNIT_COLUMNS = (
    "zh, en, zh_norm, en_norm, zh_lang, en_lang, origin, position, score, created_at, "
    "changed_at, creation_tool, created_by, changed_by, note, tuid, props"
)
SELECT_UNITS = f"SELECT id, {UNIT_COLUMNS} FROM units"
# Rows carry pair_key last (see zhen.store.base.pair_key). A pair already stored makes the INSERT
# a no-op; so does a different pair with the same key (a 2**-64 chance), sorted out afterwards
# by `_store_collisions`. The import's id is written into the statement, not into every row.
_PLACES = ", ".join("?" * 18)


def _insert_sql(import_id: int | None) -> str:
    return (
        f"INSERT INTO units ({UNIT_COLUMNS}, pair_key, import_id) "
        f"VALUES ({_PLACES}, {_sql_int(import_id)}) ON CONFLICT (pair_key, pair_seq) DO NOTHING"
    )


def _insert_with_seq_sql(import_id: int | None) -> str:
    return (
        f"INSERT INTO units ({UNIT_COLUMNS}, pair_key, pair_seq, import_id) "
        f"VALUES ({_PLACES}, ?, {_sql_int(import_id)})"
    )


def _sql_int(value: int | None) -> str:
    return "NULL" if value is None else str(int(value))


_INSERT_SOURCE = (
    "INSERT OR IGNORE INTO unit_sources (unit_id, origin, position, import_id) VALUES (?, ?, ?, ?)"
)
# The first source of a unit is kept in its own row; further ones in `unit_sources`, oldest
# import first (sources from before provenance, with no import, first of all).
# The meta key counting deletes (see `origins_marker`).
_DELETES = "unit_deletes"
_SOURCE_ORDER = "s.import_id IS NOT NULL, s.import_id, s.origin"
ZH_NORM, EN_NORM, _ORIGIN, _POSITION, KEY = 2, 3, 6, 7, 17  # places in a row


@dataclass(frozen=True, slots=True)
class UnitSource:
    """One source of a unit: the origin (document or file), where in it, and the import."""

    origin: str
    position: int | None
    file: str | None
    imported_at: str | None

    def to_json(self) -> dict[str, Any]:
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
        self._import_id: int | None = None
        self._insert = _insert_sql(None)

    def start_file(self, file: str) -> None:
        """Record an import of `file` now; the units written until the next call came from it."""
        stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        cursor = self.conn.execute(
            "INSERT INTO imports (file, imported_at) VALUES (?, ?)", (file, stamp)
        )
        self._import_id = cursor.lastrowid
        self._insert = _insert_sql(self._import_id)

    def write(self, batch: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        """Insert a batch of rows; return the rows that were new (the rest merged)."""
        conn = self.conn
        before = conn.total_changes
        conn.executemany(self._insert, batch)
        inserted: list[tuple[Any, ...]] = batch
        if conn.total_changes - before < len(batch):
            # Duplicates, or (in theory) a pair_key collision: sort them out.
            inserted, merged = _store_collisions(conn, batch, self.next_id, self._import_id)
            # A pair another origin brought first gains this origin as a further source.
            conn.executemany(
                _INSERT_SOURCE,
                [
                    (unit_id, row[_ORIGIN], row[_POSITION], self._import_id)
                    for unit_id, first_origin, row in merged
                    if row[_ORIGIN] != first_origin
                ],
            )
        # New rows take MAX(id) + 1 each: the batch's units got consecutive ids.
        self.indexer.add(
            np.arange(self.next_id, self.next_id + len(inserted)),
            [row[ZH_NORM] for row in inserted],
            [row[EN_NORM] for row in inserted],
        )
        self.next_id += len(inserted)
        return inserted


def _store_collisions(
    conn: sqlite3.Connection, batch: list[tuple[Any, ...]], first_id: int, import_id: int | None
) -> tuple[list[tuple[Any, ...]], list[tuple[int, str, tuple[Any, ...]]]]:
    """After a batch whose INSERT skipped rows: store those that are not true duplicates.

    A skipped row's pair_key was taken. If no stored unit with that key has the same zh and en,
    the key collided: the row is stored under the next free pair_seq. Returns the rows the batch
    added, in id order, and (stored id, its first origin, row) for each row merged into a stored
    unit.
    """
    cursor = conn.cursor()
    cursor.row_factory = None
    inserted_keys = cursor.execute(
        "SELECT pair_key FROM units WHERE id >= ? ORDER BY id", (first_id,)
    ).fetchall()
    # The inserted rows are a subsequence of the batch, in order; a skipped row cannot share
    # its key with a row inserted after it (that row would have been skipped too).
    inserted: list[tuple[Any, ...]] = []
    skipped: list[tuple[Any, ...]] = []
    for row in batch:
        if len(inserted) < len(inserted_keys) and row[KEY] == inserted_keys[len(inserted)][0]:
            inserted.append(row)
        else:
            skipped.append(row)
    merged: list[tuple[int, str, tuple[Any, ...]]] = []
    for row in skipped:
        same_key = cursor.execute(
            "SELECT id, zh, en, pair_seq, origin FROM units WHERE pair_key = ?", (row[KEY],)
        ).fetchall()
        twin = next((u for u in same_key if u[1] == row[0] and u[2] == row[1]), None)
        if twin is not None:
            merged.append((twin[0], twin[4], row))  # a true duplicate: merged
            continue
        next_seq = 1 + max(unit[3] for unit in same_key)
        cursor.execute(_insert_with_seq_sql(import_id), (*row, next_seq))
        inserted.append(row)
    return inserted, merged


# --- reading -------------------------------------------------------------------------------


def unit_from_row(row: Sequence[Any]) -> TranslationUnit:
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
    return bool(
        conn.execute(
            "SELECT EXISTS (SELECT 1 FROM units WHERE origin = ?) "
            "OR EXISTS (SELECT 1 FROM unit_sources WHERE origin = ?)",
            (origin, origin),
        ).fetchone()[0]
    )


def iter_units(conn: sqlite3.Connection, origin: str | None = None) -> Iterator[TranslationUnit]:
    """Every unit (or those with a source of this origin) in import order."""
    if origin is None:
        rows = conn.execute(f"{SELECT_UNITS} ORDER BY id")
    else:
        rows = conn.execute(
            f"{SELECT_UNITS} WHERE origin = ? OR id IN "
            "(SELECT unit_id FROM unit_sources WHERE origin = ?) ORDER BY id",
            (origin, origin),
        )
    return map(unit_from_row, rows)


def get_unit(conn: sqlite3.Connection, unit_id: int) -> TranslationUnit | None:
    """The unit with this id, or None."""
    row = conn.execute(f"{SELECT_UNITS} WHERE id = ?", (unit_id,)).fetchone()
    return None if row is None else unit_from_row(row)


def unit_sources(conn: sqlite3.Connection, unit_id: int) -> list[UnitSource]:
    """Every source of a unit: the one that brought it first, then the others by import."""
    first = conn.execute(
        "SELECT u.origin, u.position, i.file, i.imported_at FROM units AS u "
        "LEFT JOIN imports AS i ON i.id = u.import_id WHERE u.id = ?",
        (unit_id,),
    ).fetchall()
    further = conn.execute(
        "SELECT s.origin, s.position, i.file, i.imported_at FROM unit_sources AS s "
        "LEFT JOIN imports AS i ON i.id = s.import_id WHERE s.unit_id = ? "
        f"ORDER BY {_SOURCE_ORDER}",
        (unit_id,),
    ).fetchall()
    return [UnitSource(*row) for row in (*first, *further)]


def neighbours(conn: sqlite3.Connection, unit_id: int, radius: int = 1) -> list[TranslationUnit]:
    """The unit and those within `radius` positions of it in its first origin, in order."""
    unit = get_unit(conn, unit_id)
    if unit is None:
        return []
    if unit.position is None:
        return [unit]
    rows = conn.execute(
        f"{SELECT_UNITS} WHERE origin = ? AND position BETWEEN ? AND ? ORDER BY position, id",
        (unit.origin, unit.position - radius, unit.position + radius),
    )
    return [unit_from_row(row) for row in rows] or [unit]


def fetch_rows(conn: sqlite3.Connection, ids: Sequence[int], columns: str) -> list[tuple[Any, ...]]:
    """Rows (plain tuples, in no particular order) of the units with these ids."""
    cursor = conn.cursor()
    cursor.row_factory = None  # sqlite3.Row costs more than the query for a few hundred rows
    rows: list[tuple[Any, ...]] = []
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


def origins_marker(conn: sqlite3.Connection) -> tuple[Any, Any]:
    """A value that changes whenever a unit may gain or lose a source: the newest import (every
    unit and further source is written by one) and the count of deletes."""
    row = conn.execute(
        "SELECT (SELECT MAX(id) FROM imports), (SELECT value FROM meta WHERE key = ?)",
        (_DELETES,),
    ).fetchone()
    return row[0], row[1]


def _count_delete(conn: sqlite3.Connection) -> None:
    """Move `origins_marker` on: a delete takes sources away without an import."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (_DELETES,)).fetchone()
    set_meta(conn, _DELETES, str(int(row[0]) + 1 if row and row[0].isdigit() else 1))


def ids_of_origins(conn: sqlite3.Connection, origins: Sequence[str]) -> Iterator[int]:
    """The ids of the units any of whose sources (first or further) is one of `origins`; a unit
    may come twice."""
    cursor = conn.cursor()
    cursor.row_factory = None  # plain tuples: an origin may hold most of a large TM
    for start in range(0, len(origins), 250):
        chunk = list(origins[start : start + 250])
        marks = ",".join("?" * len(chunk))
        for (unit_id,) in cursor.execute(
            f"SELECT id FROM units WHERE origin IN ({marks}) "
            f"UNION ALL SELECT unit_id FROM unit_sources WHERE origin IN ({marks})",
            chunk + chunk,
        ):
            yield unit_id


def highest_id(conn: sqlite3.Connection) -> int:
    """The largest unit id (0 for an empty TM)."""
    return conn.execute("SELECT max(id) FROM units").fetchone()[0] or 0


def pairs_for_extraction(conn: sqlite3.Connection) -> list[TranslationUnit]:
    """Every unit's zh, en, origin, position and id, in document order (term extraction)."""
    return list(iter_pairs_for_extraction(conn))


def iter_pairs_for_extraction(conn: sqlite3.Connection) -> Iterator[TranslationUnit]:
    """pairs_for_extraction, read as they are needed: a whole TM need not fit in memory."""
    rows = conn.execute("SELECT zh, en, origin, position, id FROM units ORDER BY origin, position")
    for row in rows:
        yield TranslationUnit(zh=row[0], en=row[1], origin=row[2], position=row[3], id=row[4])


def unit_ids_imported_since(conn: sqlite3.Connection, stamp: str) -> set[int]:
    """Ids of the units first brought by an import made at or after `stamp` (ISO 8601, UTC)."""
    rows = conn.execute(
        "SELECT u.id FROM units u JOIN imports i ON i.id = u.import_id WHERE i.imported_at >= ?",
        (stamp,),
    )
    return {row[0] for row in rows}


# --- counting ------------------------------------------------------------------------------


def count_units(conn: sqlite3.Connection) -> int:
    """How many units the TM holds."""
    return int(conn.execute("SELECT COUNT(*) FROM units").fetchone()[0])


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
    counts: dict[str, int] = {}
    # Two grouped reads, each along an index, rather than one GROUP BY over a union.
    for table in ("units", "unit_sources"):
        for origin, count in conn.execute(f"SELECT origin, COUNT(*) FROM {table} GROUP BY origin"):
            counts[origin] = counts.get(origin, 0) + count
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


# --- deleting ------------------------------------------------------------------------------


def delete_origin(conn: sqlite3.Connection, origin: str) -> DeleteReport:
    """Remove one origin: its units that no other source supplied are deleted, the rest kept.

    A kept unit whose first source was this origin takes its next source as the first.
    """
    with transaction(conn):
        # Units another origin brought first: they only lose this further source.
        kept = conn.execute("DELETE FROM unit_sources WHERE origin = ?", (origin,)).rowcount
        promoted: dict[int, tuple[Any, ...]] = {}
        for unit_id, *source in conn.execute(
            "SELECT s.unit_id, s.origin, s.position, s.import_id FROM unit_sources AS s "
            "JOIN units AS u ON u.id = s.unit_id WHERE u.origin = ? "
            f"ORDER BY s.unit_id, {_SOURCE_ORDER}",
            (origin,),
        ):
            promoted.setdefault(unit_id, tuple(source))
        conn.executemany(
            "UPDATE units SET origin = ?, position = ?, import_id = ? WHERE id = ?",
            [(*source, unit_id) for unit_id, source in promoted.items()],
        )
        conn.executemany(
            "DELETE FROM unit_sources WHERE unit_id = ? AND origin = ?",
            [(unit_id, source[0]) for unit_id, source in promoted.items()],
        )
        only_here = [
            row[0] for row in conn.execute("SELECT id FROM units WHERE origin = ?", (origin,))
        ]
        _delete_units(conn, only_here)
        if only_here or kept or promoted:  # a delete of nothing changes nothing
            _count_delete(conn)
    return DeleteReport(origin, len(only_here), kept + len(promoted))


def delete_unit(conn: sqlite3.Connection, unit_id: int) -> bool:
    """Delete one unit with all its sources; False when there is no such unit."""
    with transaction(conn):
        if get_unit(conn, unit_id) is None:
            return False
        _delete_units(conn, [unit_id])
        _count_delete(conn)
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

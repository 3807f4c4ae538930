"""Reading, exporting, counting and deleting the units in the store."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from zhen import search_index, tmx
from zhen.errors import StoreError
from zhen.models import TranslationUnit
from zhen.store import transaction

UNIT_COLUMNS = (
    "zh, en, zh_norm, en_norm, zh_lang, en_lang, origin, position, score, created_at, "
    "changed_at, creation_tool, created_by, changed_by, note, tuid, props"
)
SELECT_UNITS = f"SELECT id, {UNIT_COLUMNS} FROM units"


@dataclass
class TmStats:
    """What the store holds: counts, language variants, origins and its size on disk."""

    path: str
    units: int
    terms: int
    zh_languages: dict[str, int]
    en_languages: dict[str, int]
    origins: list[tuple[str, int]]
    db_bytes: int

    def to_json(self) -> dict:
        """A JSON-ready dict (origins as a list of {"origin", "units"})."""
        return {
            "database": self.path,
            "units": self.units,
            "terms": self.terms,
            "zh_languages": self.zh_languages,
            "en_languages": self.en_languages,
            "origins": [{"origin": o, "units": n} for o, n in self.origins],
            "database_bytes": self.db_bytes,
        }


# --- export, stats, delete, reads ----------------------------------------------------------


def export_tmx(
    conn: sqlite3.Connection,
    path: Path | str,
    *,
    langs: tuple[str, str] | None = ("zh-CN", "en-US"),
    origin: str | None = None,
) -> int:
    """Write the store (or one origin) as TMX 1.4b in import order; return the units written.

    `langs` labels the zh and en sides; None keeps each unit's own codes (zh-TW, en-GB…).
    """
    if origin is not None and not _origin_exists(conn, origin):
        raise StoreError(f"no units with origin {origin!r} (see `zhen tm stats` for origins)")
    if origin is None:
        rows = conn.execute(f"{SELECT_UNITS} ORDER BY id")
    else:
        rows = conn.execute(f"{SELECT_UNITS} WHERE origin = ? ORDER BY id", (origin,))
    srclang, tgtlang = langs if langs else (None, None)
    return tmx.write_tmx(path, map(_unit_from_row, rows), srclang=srclang, tgtlang=tgtlang)


def _origin_exists(conn: sqlite3.Connection, origin: str) -> bool:
    return (
        conn.execute("SELECT 1 FROM units WHERE origin = ? LIMIT 1", (origin,)).fetchone()
        is not None
    )


def _unit_from_row(row: Sequence) -> TranslationUnit:
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


def stats(conn: sqlite3.Connection) -> TmStats:
    """Counts of units and terms, language variants, origins and the database size."""

    def counted(sql: str) -> list[tuple[str, int]]:
        return [(row[0], row[1]) for row in conn.execute(sql)]

    db_file = next((row[2] for row in conn.execute("PRAGMA database_list") if row[1] == "main"), "")
    size = 0
    for suffix in ("", "-wal"):
        if db_file and os.path.exists(db_file + suffix):
            size += os.path.getsize(db_file + suffix)
    return TmStats(
        path=db_file,
        units=conn.execute("SELECT COUNT(*) FROM units").fetchone()[0],
        terms=conn.execute("SELECT COUNT(*) FROM terms").fetchone()[0],
        zh_languages=dict(
            counted("SELECT zh_lang, COUNT(*) FROM units GROUP BY zh_lang ORDER BY 2 DESC, 1")
        ),
        en_languages=dict(
            counted("SELECT en_lang, COUNT(*) FROM units GROUP BY en_lang ORDER BY 2 DESC, 1")
        ),
        origins=counted("SELECT origin, COUNT(*) FROM units GROUP BY origin ORDER BY 2 DESC, 1"),
        db_bytes=size,
    )


def delete_origin(conn: sqlite3.Connection, origin: str) -> int:
    """Delete every unit of one origin (file/document), index first; return how many."""
    with transaction(conn):
        ids = [row[0] for row in conn.execute("SELECT id FROM units WHERE origin = ?", (origin,))]
        if ids:
            search_index.units_removed(conn, ids)
            conn.execute("DELETE FROM units WHERE origin = ?", (origin,))
            _renumber_collisions(conn)
    return len(ids)


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


def get_unit(conn: sqlite3.Connection, unit_id: int) -> TranslationUnit | None:
    """The unit with this id, or None."""
    row = conn.execute(f"{SELECT_UNITS} WHERE id = ?", (unit_id,)).fetchone()
    return None if row is None else _unit_from_row(row)


def neighbours(conn: sqlite3.Connection, unit_id: int, radius: int = 1) -> list[TranslationUnit]:
    """The unit and those within `radius` positions of it in the same origin, in order."""
    unit = get_unit(conn, unit_id)
    if unit is None:
        return []
    if unit.position is None:
        return [unit]
    rows = conn.execute(
        f"{SELECT_UNITS} WHERE origin = ? AND position BETWEEN ? AND ? ORDER BY position, id",
        (unit.origin, unit.position - radius, unit.position + radius),
    )
    return [_unit_from_row(row) for row in rows]

"""Exporting, counting, showing and deleting the units in the store."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zhen.errors import StoreError
from zhen.store import database_file, server_database_bytes
from zhen.store import terms as stored_terms
from zhen.store import units as stored

# Deleting and single-unit reads need nothing beyond the store's own functions.
from zhen.store.units import (
    DeleteReport,
    UnitSource,
    delete_origin,
    delete_unit,
    get_unit,
    neighbours,
    unit_sources,
)

__all__ = [
    "DeleteReport",
    "TmStats",
    "UnitSource",
    "database_bytes",
    "delete_origin",
    "delete_unit",
    "export_tmx",
    "get_unit",
    "neighbours",
    "stats",
    "unit_sources",
]


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

    def to_json(self) -> dict[str, Any]:
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
    if origin is not None and not stored.origin_exists(conn, origin):
        raise StoreError(f"no units with origin {origin!r} (see `zhen tm stats` for origins)")
    # Imported here: lxml is not needed by the lookups that read units through this module.
    from zhen.io import tmx

    srclang, tgtlang = langs if langs else (None, None)
    units = stored.iter_units(conn, origin)
    return tmx.write_tmx(path, units, srclang=srclang, tgtlang=tgtlang)


def database_bytes(conn: sqlite3.Connection) -> int:
    """The size of the database file and its write-ahead log, or of the database on a server."""
    on_server = server_database_bytes(conn)
    if on_server is not None:
        return on_server
    db_file = database_file(conn)
    size = 0
    for suffix in ("", "-wal"):
        if db_file and os.path.exists(db_file + suffix):
            size += os.path.getsize(db_file + suffix)
    return size


def stats(conn: sqlite3.Connection) -> TmStats:
    """Counts of units and terms, language variants, origins and the database size."""
    return TmStats(
        path=database_file(conn),
        units=stored.count_units(conn),
        terms=stored_terms.count(conn),
        zh_languages=stored.language_counts(conn, "zh"),
        en_languages=stored.language_counts(conn, "en"),
        origins=stored.origin_counts(conn),
        db_bytes=database_bytes(conn),
    )

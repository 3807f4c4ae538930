"""The schema: append-only migrations, applied in order and recorded in `PRAGMA user_version`."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

from zhen.errors import StoreError

# Each migration moves the schema from version i to i+1; append, never edit a released one.
MIGRATIONS: list[str] = [
    # 1: TM units and glossary terms. A unit's (zh, en) is unique through `pair_key`, a 64-bit
    # hash of the pair (see `pair_key`): an index of 8-byte keys instead of a second copy of
    # every text. Pairs whose keys collide are told apart by `pair_seq` (0, 1, …).
    """
    CREATE TABLE units (
        id INTEGER PRIMARY KEY,
        zh TEXT NOT NULL,
        en TEXT NOT NULL,
        zh_norm TEXT NOT NULL,
        en_norm TEXT NOT NULL,
        zh_lang TEXT NOT NULL DEFAULT 'zh-CN',
        en_lang TEXT NOT NULL DEFAULT 'en-US',
        origin TEXT NOT NULL DEFAULT '',
        position INTEGER,
        score REAL,
        created_at TEXT,
        changed_at TEXT,
        creation_tool TEXT,
        created_by TEXT,
        changed_by TEXT,
        note TEXT,
        pair_key INTEGER NOT NULL,
        pair_seq INTEGER NOT NULL DEFAULT 0
    );
    CREATE UNIQUE INDEX units_pair ON units (pair_key, pair_seq);
    CREATE INDEX units_collisions ON units (pair_key) WHERE pair_seq > 0;
    CREATE INDEX units_origin ON units (origin, position);
    CREATE TABLE terms (
        id INTEGER PRIMARY KEY,
        zh TEXT NOT NULL,
        zh_norm TEXT NOT NULL,
        en TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'proposed'
            CHECK (status IN ('approved', 'proposed', 'rejected')),
        domain TEXT,
        note TEXT,
        pos TEXT,
        created_at TEXT,
        changed_at TEXT,
        UNIQUE (zh_norm, en)
    );
    CREATE INDEX terms_zh_norm ON terms (zh_norm);
    CREATE TABLE term_renderings (
        term_id INTEGER NOT NULL REFERENCES terms (id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('variant', 'forbidden')),
        en TEXT NOT NULL,
        PRIMARY KEY (term_id, kind, en)
    );
    CREATE TABLE term_sources (
        term_id INTEGER NOT NULL REFERENCES terms (id) ON DELETE CASCADE,
        source TEXT NOT NULL,
        PRIMARY KEY (term_id, source)
    );
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
    """,
    # 2: lookup candidate index (packed postings, see zhen.store.index).
    """
    CREATE TABLE zh_postings (
        gram INTEGER NOT NULL,
        seg INTEGER NOT NULL,
        ids BLOB NOT NULL,
        PRIMARY KEY (gram, seg)
    ) WITHOUT ROWID;
    CREATE TABLE en_postings (
        gram INTEGER NOT NULL,
        seg INTEGER NOT NULL,
        ids BLOB NOT NULL,
        PRIMARY KEY (gram, seg)
    ) WITHOUT ROWID;
    """,
    # 3: TMX tuid and foreign <prop>s (JSON list of [type, value]) for lossless round trips.
    """
    ALTER TABLE units ADD COLUMN tuid TEXT;
    ALTER TABLE units ADD COLUMN props TEXT;
    """,
    # 4: lookup-only glossary entries (checked = 0): `zhen check` does not require them.
    """
    ALTER TABLE terms ADD COLUMN checked INTEGER NOT NULL DEFAULT 1;
    """,
    # 5: provenance. A unit keeps every source that supplied it. Its first source stays in the
    # unit's own row (origin, position, and now the import that brought it, an import being a
    # file and a time); any further origin that brings the same pair is a row of
    # `unit_sources`. So a new unit costs no extra write, and deleting one origin never
    # removes a unit another origin also brought. Units stored before this migration keep their
    # one known origin, with no import row.
    """
    CREATE TABLE imports (
        id INTEGER PRIMARY KEY,
        file TEXT NOT NULL,
        imported_at TEXT NOT NULL
    );
    ALTER TABLE units ADD COLUMN import_id INTEGER;
    CREATE TABLE unit_sources (
        unit_id INTEGER NOT NULL REFERENCES units (id) ON DELETE CASCADE,
        origin TEXT NOT NULL,
        position INTEGER,
        import_id INTEGER,
        PRIMARY KEY (unit_id, origin)
    ) WITHOUT ROWID;
    CREATE INDEX unit_sources_origin ON unit_sources (origin);
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(conn: sqlite3.Connection) -> int:
    """The version a database is at (0 for a new, empty file)."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def newer_than_this_zhen(version: int) -> str:
    """What to say of a database a later zhen made."""
    return (
        f"database schema version {version} is newer than this zhen ({SCHEMA_VERSION}); "
        "upgrade zhen to use it"
    )


def migrate(conn: sqlite3.Connection) -> int:
    """Apply every migration past the database's `user_version`; return the new version.

    Each migration is its own transaction, so an interrupted upgrade resumes where it stopped.
    """
    version = schema_version(conn)
    if version > SCHEMA_VERSION:
        raise StoreError(newer_than_this_zhen(version))
    for number in range(version, SCHEMA_VERSION):
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in statements(MIGRATIONS[number]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number + 1}")
        except BaseException:
            conn.rollback()
            raise
        conn.commit()
    return SCHEMA_VERSION


def statements(script: str) -> Iterator[str]:
    """Split a migration script into statements (executescript would commit mid-migration)."""
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                yield buffer.strip()
            buffer = ""
    if buffer.strip():
        yield buffer.strip()

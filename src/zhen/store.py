"""The SQLite database: location, schema, migrations and transactions for TM units and terms."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from hashlib import blake2b
from pathlib import Path

from platformdirs import user_data_path

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
    # 2: lookup candidate index (packed postings, see zhen.search_index).
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
]

SCHEMA_VERSION = len(MIGRATIONS)


def default_db_path() -> Path:
    """`--db` aside: `$ZHEN_DB`, else `$XDG_DATA_HOME/zhen/zhen.db` (~/.local/share/zhen)."""
    env_path = os.environ.get("ZHEN_DB")
    if env_path:
        return Path(env_path).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg) / "zhen" if xdg else user_data_path("zhen", appauthor=False)
    return base / "zhen.db"


def connect(path: Path | str | None = None, *, seed: bool = True) -> sqlite3.Connection:
    """Open (creating and migrating) the database; seed a new one with the bundled data.

    A new database is built and seeded under a temporary name and moved into place only when
    complete, so a failed seed never leaves a half-made database that later runs would trust.
    """
    db_path = Path(path) if path is not None else default_db_path()
    if db_path.is_dir():
        raise StoreError(f"{db_path}: is a directory, not a database file")
    is_new = not db_path.exists() or db_path.stat().st_size == 0
    if is_new and seed:
        _create_seeded(db_path)
    return _open(db_path)


def _open(db_path: Path, *, journal_mode: str = "WAL") -> sqlite3.Connection:
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(db_path, timeout=10.0, check_same_thread=False, isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA busy_timeout = 10000")
        conn.execute(f"PRAGMA journal_mode = {journal_mode}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = NORMAL")
        migrate(conn)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{db_path}: cannot open database: {exc}") from exc
    except OSError as exc:
        raise StoreError(f"{db_path}: cannot create database: {exc.strerror or exc}") from exc
    return conn


def _create_seeded(db_path: Path) -> None:
    """Build a seeded database beside db_path, then move it in without clobbering a rival's."""
    from zhen.bootstrap import seed_database

    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(
            prefix=f".{db_path.name}.", suffix=".seeding", dir=db_path.parent
        )
    except OSError as exc:
        raise StoreError(f"{db_path}: cannot create database: {exc.strerror or exc}") from exc
    os.close(handle)
    temp = Path(temp_name)
    try:
        # Rollback journal, not WAL: a WAL file would be left behind under the temporary name.
        conn = _open(temp, journal_mode="DELETE")
        try:
            seed_database(conn)
        finally:
            conn.close()
        if db_path.exists() and db_path.stat().st_size == 0:
            os.replace(temp, db_path)
        else:
            try:
                # link() fails if another process created the database meanwhile: keep theirs.
                os.link(temp, db_path)
            except FileExistsError:
                pass
            except OSError:
                os.replace(temp, db_path)  # file systems without hard links
    finally:
        temp.unlink(missing_ok=True)
        Path(f"{temp}-journal").unlink(missing_ok=True)


def migrate(conn: sqlite3.Connection) -> int:
    """Apply every migration past the database's `user_version`; return the new version."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"database schema version {version} is newer than this zhen ({SCHEMA_VERSION})"
        )
    for number in range(version, SCHEMA_VERSION):
        with transaction(conn):
            for statement in _statements(MIGRATIONS[number]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number + 1}")
    return SCHEMA_VERSION


def _statements(script: str) -> Iterator[str]:
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


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """All-or-nothing block: BEGIN IMMEDIATE, COMMIT on success, ROLLBACK on any exception."""
    if conn.in_transaction:
        # Nested use joins the outer transaction, which decides commit or rollback.
        yield conn
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.rollback()
        raise
    conn.commit()


def get_meta(conn: sqlite3.Connection, key: str) -> str | None:
    """A value from the `meta` table, or None."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else row[0]


def set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    """Store a value in the `meta` table."""
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def pair_key(zh: str, en: str) -> int:
    """The `units.pair_key` of a (zh, en) pair: a signed 64-bit BLAKE2b hash of both texts."""
    digest = blake2b(f"{zh}\x00{en}".encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


ProgressCallback = Callable[[int], None]

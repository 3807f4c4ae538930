"""Hostile databases: garbled pages, another connection holding the write lock, and stored
control characters as a database written before readers cleaned their input may hold."""

from __future__ import annotations

import random
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# How long a test's lock is held at most. A fixed zhen gives up after ZHEN_BUSY_TIMEOUT (0.2 s);
# an old one waits out its own timeout, so the lock is let go here to keep that run short.
LOCK_RELEASE_SECONDS = 2.5
DISPLAY_COLUMNS = frozenset({"zh", "en", "note", "origin", "domain", "source", "pos"})


def garble_pages(db: Path, mode: str) -> None:
    """Overwrite a real SQLite file: "pages" = every page between the first and the last with
    noise; "header" = the 100-byte database header."""
    data = bytearray(db.read_bytes())
    noise = random.Random(20260101)
    if mode == "header":
        data[:100] = noise.randbytes(100)
    else:
        page_size = int.from_bytes(data[16:18], "big") or 65536
        pages = len(data) // page_size
        assert pages >= 4, f"{db}: too small to garble ({pages} pages)"
        for page in range(1, pages - 1):
            data[page * page_size : (page + 1) * page_size] = noise.randbytes(page_size)
    db.write_bytes(bytes(data))


@contextmanager
def write_lock(db: Path, release_after: float = LOCK_RELEASE_SECONDS) -> Iterator[None]:
    """Another connection holding the write lock (BEGIN IMMEDIATE), let go after a while."""
    holder = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    guard = threading.Lock()

    def release() -> None:
        with guard:
            if holder.in_transaction:
                holder.execute("ROLLBACK")

    timer = threading.Timer(release_after, release)
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        release()
        holder.close()


def poison_database(db: Path, payload: str, columns: frozenset[str] = DISPLAY_COLUMNS) -> None:
    """Append `payload` to every displayed text column (by column name, whatever the schema);
    the normalised search columns are left alone, so lookups still find the rows."""
    conn = sqlite3.connect(db)
    try:
        tables = [
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        for table in tables:
            for column in conn.execute(f'PRAGMA table_info("{table}")').fetchall():
                name, kind = column[1], column[2].upper()
                if name in columns and kind == "TEXT":
                    conn.execute(
                        f'UPDATE "{table}" SET "{name}" = "{name}" || ? '
                        f'WHERE "{name}" IS NOT NULL AND "{name}" != \'\'',
                        (payload,),
                    )
        conn.commit()
    finally:
        conn.close()

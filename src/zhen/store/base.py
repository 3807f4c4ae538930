"""What every store module shares: transactions, the meta table and the pair key of a unit."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from hashlib import blake2b


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


@contextmanager
def page_cache(conn: sqlite3.Connection, kib: int) -> Iterator[None]:
    """Use a page cache of `kib` KiB for the block, then return to the connection's own."""
    before = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute(f"PRAGMA cache_size = -{int(kib)}")  # negative: KiB, not pages
    try:
        yield
    finally:
        conn.execute(f"PRAGMA cache_size = {int(before)}")


def integrity_problems(conn: sqlite3.Connection) -> list[str]:
    """SQLite's integrity and foreign-key checks: an empty list when the file is sound."""
    problems = [row[0] for row in conn.execute("PRAGMA integrity_check") if row[0] != "ok"]
    problems += [
        f"{row[0]} row {row[1]} refers to a missing {row[2]} row"
        for row in conn.execute("PRAGMA foreign_key_check")
    ]
    return problems


def database_file(conn: sqlite3.Connection) -> str:
    """The path of the connection's main database file ('' for an in-memory one)."""
    return next((row[2] for row in conn.execute("PRAGMA database_list") if row[1] == "main"), "")


def server_database_bytes(conn: sqlite3.Connection) -> int | None:
    """The size a database server reports for the connection's database (None for a file,
    whose size is its files' sizes)."""
    if getattr(conn, "dialect", "sqlite") != "postgresql":
        return None
    row = conn.execute("SELECT pg_database_size(current_database())").fetchone()
    return int(row[0])


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

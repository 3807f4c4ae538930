"""The PostgreSQL backend: zhen.store's functions over a psycopg 3 connection (`zhen[postgres]`).

Modules: `connection` (the sqlite3-like connection the store functions use, errors, the write
lock), `dialect` (SQLite statement text → PostgreSQL), `schema` (the tables, versioned in
`zhen_schema`), `units` (unit ids and COPY batches), `server` (opening, creating, upgrading a
database by URL, with passwords kept out of every message).
"""

from zhen.store.postgres.server import (
    create_database,
    is_url,
    open_database,
    redact,
    upgrade_database,
)

__all__ = ["create_database", "is_url", "open_database", "redact", "upgrade_database"]

"""The data layer: every SQL statement zhen runs, behind one set of functions per table group.

Modules: `schema` (append-only migrations), `sqlite` (opening versus creating a file, clean
errors), `base` (transactions, meta, pair keys), `units` (TM units and their sources), `terms`
(glossary entries), `index` (the lookup candidate index), `postgres` (the same functions on a
PostgreSQL server, picked by a `postgresql://` URL). Everything above this package works
through these functions and a DB-API connection; see docs/architecture.md.
"""

from zhen.store.base import (
    database_file,
    get_meta,
    integrity_problems,
    pair_key,
    server_database_bytes,
    set_meta,
    transaction,
)
from zhen.store.postgres.server import is_url, redact
from zhen.store.schema import SCHEMA_VERSION, migrate, schema_version
from zhen.store.sqlite import (
    busy_timeout,
    create_database,
    default_db_path,
    describe,
    errors,
    missing_message,
    open_database,
    remove_stale_seeding,
)

__all__ = [
    "SCHEMA_VERSION",
    "busy_timeout",
    "create_database",
    "database_file",
    "default_db_path",
    "describe",
    "errors",
    "get_meta",
    "integrity_problems",
    "is_url",
    "migrate",
    "missing_message",
    "open_database",
    "pair_key",
    "redact",
    "remove_stale_seeding",
    "schema_version",
    "server_database_bytes",
    "set_meta",
    "transaction",
]

"""A psycopg connection that speaks the DB-API dialect zhen.store's functions are written in.

Every store function takes a connection and calls `execute`, `executemany`, `cursor`,
`commit`, `rollback`, `in_transaction` and `total_changes` on it with SQLite's statements. This
class gives those calls over PostgreSQL: the statement text is translated (`dialect`), the few
SQLite PRAGMAs zhen reads are answered from PostgreSQL's own tables, and a writing transaction
(`BEGIN IMMEDIATE`) takes one advisory lock, as SQLite's write lock does, so that two writers
queue instead of deadlocking or interleaving.
"""

from __future__ import annotations

import re
import sqlite3
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import errors as pg_errors
from psycopg.pq import TransactionStatus
from psycopg.rows import RowMaker

from zhen.errors import StoreError
from zhen.store.postgres.bulk import copy_insert
from zhen.store.postgres.dialect import translate
from zhen.store.postgres.schema import role_names
from zhen.store.postgres.units import insert_units, single_unit_insert

# The advisory lock every writing transaction holds (any fixed 64-bit number: "zhen" in ASCII).
WRITE_LOCK = 0x7A68656E
_LASTROWID_TABLES = re.compile(r"^\s*INSERT\s+INTO\s+(imports|terms)\s*\(", re.IGNORECASE)
_UNITS_INSERT = re.compile(r"^\s*INSERT\s+INTO\s+units\s*\(", re.IGNORECASE)
_CHANGES = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)

Notify = Callable[[str], None]


class Row(tuple[Any, ...]):
    """A result row read by position or by column name, as `sqlite3.Row` is."""

    _names: dict[str, int]

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self._names[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        """The column names, in order."""
        return list(self._names)


def _named_rows(cursor: Any) -> RowMaker[Any]:
    description = cursor.description
    if description is None:
        return tuple
    names = {column.name: n for n, column in enumerate(description)}
    row_class: Any = type("Row", (Row,), {"_names": names})
    return row_class  # type: ignore[no-any-return]


def _plain_rows(cursor: Any) -> RowMaker[Any]:
    return tuple


def _to_stderr(message: str) -> None:
    print(f"zhen: {message}", file=sys.stderr, flush=True)


class Cursor:
    """The results of one statement, read as sqlite3 cursors are read."""

    def __init__(self, conn: PgConnection, *, named: bool) -> None:
        self._conn = conn
        self.row_factory: object = Row if named else None
        self._source: Any = []
        self.rowcount = -1
        self.lastrowid: int | None = None

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        """Run one statement; its rows, if any, are read from this cursor."""
        return self._conn._run(self, sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> Cursor:
        """Run one statement for each row of parameters."""
        return self._conn._run_many(self, sql, rows)

    def _set(self, rows: Any, rowcount: int, lastrowid: int | None = None) -> None:
        """Rows to hand out: a list, or a psycopg cursor whose rows become Python values only
        as they are read (a large export never holds them all as objects at once)."""
        self._source = rows
        self.rowcount, self.lastrowid = rowcount, lastrowid

    def fetchone(self) -> Any:
        """The next row, or None."""
        if isinstance(self._source, list):
            return self._source.pop(0) if self._source else None
        return self._source.fetchone()

    def fetchall(self) -> list[Any]:
        """Every row not read yet."""
        rows = list(self._source) if isinstance(self._source, list) else self._source.fetchall()
        self._source = []
        return rows

    def __iter__(self) -> Iterator[Any]:
        if isinstance(self._source, list):
            yield from self.fetchall()
            return
        while batch := self._source.fetchmany(1000):
            yield from batch


class PgConnection:
    """One psycopg connection, used through the sqlite3-like calls of zhen.store."""

    dialect = "postgresql"

    def __init__(
        self, pg: psycopg.Connection[Any], name: str, *, notify: Notify | None = None
    ) -> None:
        self._pg = pg
        self.name = name  # the URL without its password: safe to print
        self.notify = notify or _to_stderr
        self.row_factory: object = Row
        self.total_changes = 0
        self.lock_timeout = 10.0
        # The group roles' names, for messages about a refused write (read by open_database).
        self.roles = role_names()

    # --- the sqlite3.Connection calls zhen.store makes -------------------------------------

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        """Run one statement and return its cursor."""
        return self._run(self.cursor(), sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> Cursor:
        """Run one statement for each row of parameters."""
        return self._run_many(self.cursor(), sql, rows)

    def cursor(self) -> Cursor:
        """A cursor whose rows are named (unless its `row_factory` is set to None)."""
        return Cursor(self, named=self.row_factory is not None)

    @property
    def in_transaction(self) -> bool:
        """True inside a transaction begun and not yet committed or rolled back."""
        return self._pg.info.transaction_status != TransactionStatus.IDLE

    def commit(self) -> None:
        """Commit the transaction in progress."""
        with self.errors():
            self._pg.execute("COMMIT")

    def rollback(self) -> None:
        """Roll back the transaction in progress (nothing when there is none)."""
        if self._pg.closed:
            return
        with self.errors():
            self._pg.execute("ROLLBACK")

    def close(self) -> None:
        """Close the connection (a transaction still open is rolled back by the server)."""
        self._pg.close()

    def interrupt(self) -> None:
        """Cancel the statement running on this connection (from another thread)."""
        self._pg.cancel_safe()

    # --- running statements ------------------------------------------------------------------

    @contextmanager
    def errors(self, statement: str = "", params: Sequence[Any] = ()) -> Iterator[None]:
        """PostgreSQL failures as one StoreError line naming the database (and, for a refused
        write, what `statement` was doing and the role it needs)."""
        try:
            yield
        except psycopg.Error as exc:
            if isinstance(exc, pg_errors.QueryCanceled) and "user request" in str(exc):
                # Our own interrupt(): the outcome sqlite3's interrupt() gives, which callers
                # that cancel stale reads (the TUI) already expect.
                raise sqlite3.OperationalError("interrupted") from exc
            if statement and isinstance(exc, pg_errors.InsufficientPrivilege):
                raise StoreError(refusal(exc, self.roles, statement, params)) from exc
            raise StoreError(describe(exc, self.name)) from exc

    def _run(self, cursor: Cursor, sql: str, params: Sequence[Any]) -> Cursor:
        statement = sql.strip()
        head = statement[:16].upper()
        if head.startswith("PRAGMA"):
            rows = self._pragma(statement)
            cursor._set(rows, -1)
            return cursor
        if head.startswith("BEGIN"):
            self._begin(writing="IMMEDIATE" in statement.upper())
            cursor._set([], -1)
            return cursor
        returning_id = bool(_LASTROWID_TABLES.match(statement))
        text = translate(statement)
        if _UNITS_INSERT.match(statement):
            text = single_unit_insert(text)
        if returning_id:
            text += " RETURNING id"
        factory = _named_rows if cursor.row_factory is not None else _plain_rows
        with self.errors(statement, params):
            pg_cursor = self._pg.cursor(row_factory=factory)
            pg_cursor.execute(text, tuple(params))
            count = pg_cursor.rowcount
            lastrowid = None
            if returning_id:
                returned = pg_cursor.fetchone()
                lastrowid = None if returned is None else int(returned[0])
        if _CHANGES.match(statement):
            self.total_changes += max(count, 0)
        has_rows = pg_cursor.description is not None and not returning_id
        cursor._set(pg_cursor if has_rows else [], count, lastrowid)
        return cursor

    def _run_many(self, cursor: Cursor, sql: str, rows: Iterable[Sequence[Any]]) -> Cursor:
        statement = sql.strip()
        with self.errors(statement):
            batch = [tuple(row) for row in rows]
            if _UNITS_INSERT.match(statement):
                count = insert_units(self._pg, statement, batch)
            elif not batch:
                count = 0
            else:
                copied = copy_insert(self._pg, statement, batch)
                if copied is None:
                    pg_cursor = self._pg.cursor()
                    pg_cursor.executemany(translate(statement), batch)
                    copied = pg_cursor.rowcount
                count = copied
        self.total_changes += max(count, 0)
        cursor._set([], count)
        return cursor

    def _begin(self, *, writing: bool) -> None:
        """BEGIN; a writer also takes the write lock, waiting (with a word) while another has it."""
        with self.errors():
            self._pg.execute("BEGIN")
        if not writing:
            return
        try:
            with self.errors():
                got = self._pg.execute("SELECT pg_try_advisory_xact_lock(%s)", (WRITE_LOCK,))
                row = got.fetchone()
                if row is not None and row[0]:
                    return
                self.notify(
                    f"{self.name}: another zhen is writing to this database; waiting for it "
                    f"(up to {self.lock_timeout:g} s, ZHEN_BUSY_TIMEOUT)"
                )
                self._pg.execute(f"SET LOCAL lock_timeout = {int(self.lock_timeout * 1000)}")
                self._pg.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
                self._pg.execute("SET LOCAL lock_timeout = 0")
        except BaseException:
            self.rollback()
            raise

    def _pragma(self, statement: str) -> list[Any]:
        """The answers to the SQLite PRAGMAs zhen.store reads, from PostgreSQL's tables."""
        name = statement[len("PRAGMA") :].split("=")[0].strip().lower()
        if name == "user_version":
            return [(schema_version(self._pg, self.name),)]
        if name == "data_version":
            with self.errors():
                found = self._pg.execute("SELECT counter FROM glossary_changes").fetchone()
            return [(found[0] if found else 0,)]
        if name == "database_list":
            return [(0, "main", self.name)]
        if name == "cache_size":
            return [(0,)]  # the server manages its own buffers; a client's cache size is moot
        if name == "integrity_check":
            # Keys and references are enforced by the server on every write; a damaged page
            # is the server's to find (page checksums, pg_amcheck), not a client's.
            return [("ok",)]
        if name == "foreign_key_check":
            return []
        raise StoreError(f"{self.name}: PRAGMA {name} has no PostgreSQL counterpart in zhen")


def schema_version(pg: psycopg.Connection[Any], name: str) -> int:
    """The zhen schema version of a database (0 when zhen's tables are not there)."""
    try:
        found = pg.execute("SELECT to_regclass('zhen_schema') IS NOT NULL").fetchone()
        if not found or not found[0]:
            return 0
        row = pg.execute("SELECT version FROM zhen_schema").fetchone()
    except pg_errors.InsufficientPrivilege as exc:
        # A user no one has granted a zhen role yet: say which one (roles are not secret).
        reader = (_stored_names_or_none(pg) or role_names())["reader"]
        raise StoreError(f"{name}: reading the database needs the {reader} role") from exc
    except psycopg.Error as exc:
        raise StoreError(describe(exc, name)) from exc
    return int(row[0]) if row else 0


def describe(exc: psycopg.Error, name: str) -> str:
    """What a PostgreSQL error means for the person at the keyboard, in one line."""
    message = " ".join(str(exc).split()) or type(exc).__name__
    if isinstance(exc, pg_errors.LockNotAvailable):
        return (
            f"{name}: another zhen kept the database busy past the wait "
            "(set ZHEN_BUSY_TIMEOUT to wait longer); nothing was changed"
        )
    if isinstance(exc, pg_errors.ReadOnlySqlTransaction):
        return f"{name}: the database is open read-only here; nothing was changed"
    if isinstance(exc, pg_errors.InsufficientPrivilege):
        return f"{name}: permission denied by the server ({message}); nothing was changed"
    if isinstance(exc, pg_errors.QueryCanceled):
        return f"{name}: the query was cancelled"
    if isinstance(exc, pg_errors.DiskFull):
        return f"{name}: the server's disk is full; nothing was changed"
    return f"{name}: database error: {message}"


def stored_role_names(pg: psycopg.Connection[Any]) -> dict[str, str] | None:
    """The group roles `zhen db init` made for this database, by kind (None before it did)."""
    found = pg.execute("SELECT to_regprocedure('zhen_role_names()') IS NOT NULL").fetchone()
    if not found or not found[0]:
        return None
    row = pg.execute("SELECT reader, translator, terminologist FROM zhen_role_names()").fetchone()
    if row is None:
        return None
    return dict(zip(("reader", "translator", "terminologist"), row, strict=True))


def _stored_names_or_none(pg: psycopg.Connection[Any]) -> dict[str, str] | None:
    try:
        return stored_role_names(pg)
    except psycopg.Error:
        return None


_STATEMENT_TABLE = re.compile(
    r"^\s*(?:(INSERT)(?:\s+OR\s+\w+)?\s+INTO|(UPDATE)|(DELETE)\s+FROM|(SELECT))\s+"
    r"(?:(?:\w+\.)?(\w+))?",
    re.IGNORECASE,
)
_UNIT_TABLES = {"units", "unit_sources", "imports", "zh_postings", "en_postings", "meta"}
_TERM_TABLES = {"terms", "term_renderings", "term_sources", "glossary_changes"}
_SET_STATUS = re.compile(r"^\s*UPDATE\s+terms\s+SET\s+status\s*=", re.IGNORECASE)
_STATUS_VERBS = {"approved": "approving", "rejected": "rejecting", "proposed": "proposing"}


def refusal(
    exc: psycopg.Error, roles: dict[str, str], statement: str, params: Sequence[Any] = ()
) -> str:
    """A write (or read) the server refused for want of a role, as one line naming the action
    and the role it needs; a guard trigger's own message already says both."""
    primary = exc.diag.message_primary or ""
    if primary.endswith(" role") and " needs the " in primary:
        return primary
    action, kind = _refused_action(statement, params)
    return f"{action} needs the {roles[kind]} role"


def _refused_action(statement: str, params: Sequence[Any]) -> tuple[str, str]:
    """What a refused statement was doing, and the role kind that may do it."""
    found = _STATEMENT_TABLE.match(statement)
    if found is None:
        return "this change", "terminologist"
    insert, update, delete, select, table = found.groups()
    table = (table or "").lower()
    if select:
        return "reading the database", "reader"
    if table in _TERM_TABLES:
        if insert and table == "terms":
            return "adding a term", "translator"
        if update and table == "terms" and _SET_STATUS.match(statement):
            status = str(params[0]) if params else ""
            return f"{_STATUS_VERBS.get(status, 'changing')} a term", "terminologist"
        if delete and table == "terms":
            return "removing a term", "terminologist"
        return "editing a term", "terminologist"
    if table in _UNIT_TABLES:
        if delete and table in {"units", "unit_sources", "imports"}:
            return "deleting an origin", "terminologist"
        return "importing", "translator"
    return "this change", "terminologist"

"""Copying a whole database to a new one, SQLite or PostgreSQL either side: `zhen db copy`.

Every table is read from one connection in pages of a key and written through the other with
the same ids, so unit ids (the TMX export's order), term ids and the order of a term's
renderings and sources survive; the lookup index is rebuilt on the copy rather than copied, which
also proves it. The copy is made by the backend's own `create_database`: a SQLite file under a
temporary name linked into place when complete, a PostgreSQL database in one transaction. So the
destination must be new (a path that does not exist, a database without zhen's tables) and a
failure leaves it as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zhen.store import index
from zhen.store.base import transaction
from zhen.store.postgres.server import is_url, redact

Progress = Callable[[int, int], None]  # (units copied so far, units in all)
PAGE_ROWS = 5000  # rows held in memory at once, whatever the database's size

_UNIT_COLUMNS = (
    "id, zh, en, zh_norm, en_norm, zh_lang, en_lang, origin, position, score, created_at, "
    "changed_at, creation_tool, created_by, changed_by, note, pair_key, pair_seq, tuid, props, "
    "import_id"
)
_TERM_COLUMNS = "id, zh, zh_norm, en, status, domain, note, pos, created_at, changed_at, checked"
# The lookup index's bookkeeping is not copied: the index is rebuilt on the copy.
_INDEX_META = ("search_index_format", "search_index_segment")
# Tables whose ids PostgreSQL draws from an identity sequence, moved past the copied ids.
_IDENTITY_TABLES = ("imports", "terms")


@dataclass(frozen=True, slots=True)
class CopyReport:
    """What a copy wrote: where from, where to, and the rows of each kind."""

    source: str
    target: str
    units: int
    unit_sources: int
    imports: int
    terms: int


def copy_database(
    source: Path | str, target: Path | str, progress: Progress | None = None
) -> CopyReport:
    """Copy the database `source` into the new database `target` (paths or postgresql:// URLs).

    `source` is only read, inside one transaction (a consistent snapshot even while others
    write to it); `target` must be new, and is left as it was when anything fails.
    """
    from zhen.store import postgres, sqlite

    reader = (
        postgres.open_database(str(source), readonly=True)
        if is_url(source)
        else sqlite.open_database(source, readonly=True)
    )
    counts: dict[str, int] = {}
    try:
        with _snapshot(reader):

            def populate(writer: Any) -> None:
                with transaction(writer):
                    counts.update(_copy_tables(reader, writer, progress))
                    index.rebuild(writer)
                    if getattr(writer, "dialect", "sqlite") == "postgresql":
                        _advance_identities(writer)

            if is_url(target):
                postgres.create_database(str(target), populate)
            else:
                sqlite.create_database(target, populate)
    finally:
        reader.close()
    return CopyReport(
        source=_shown(source),
        target=_shown(target),
        units=counts["units"],
        unit_sources=counts["unit_sources"],
        imports=counts["imports"],
        terms=counts["terms"],
    )


def _shown(target: Path | str) -> str:
    return redact(str(target)) if is_url(target) else str(target)


@contextmanager
def _snapshot(conn: Any) -> Iterator[None]:
    """One read transaction around every read, so the copy is of one moment of the source."""
    conn.execute("BEGIN")
    if getattr(conn, "dialect", "sqlite") == "postgresql":
        # READ COMMITTED, PostgreSQL's default, would see other clients' later commits.
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
    try:
        yield
    finally:
        conn.rollback()


def _copy_tables(reader: Any, writer: Any, progress: Progress | None) -> dict[str, int]:
    counts = {"imports": _copy_all(reader, writer, "imports", "id, file, imported_at", "id")}
    _copy_all(reader, writer, "meta", "key, value", "key", skip_keys=_INDEX_META)
    total = int(reader.execute("SELECT COUNT(*) FROM units").fetchone()[0])
    counts["units"] = counts["unit_sources"] = 0
    for low, high, rows in _pages(reader, "units", _UNIT_COLUMNS):
        _insert(writer, "units", _UNIT_COLUMNS, rows)
        sources = _rows(
            reader,
            "SELECT unit_id, origin, position, import_id FROM unit_sources "
            "WHERE unit_id BETWEEN ? AND ? ORDER BY unit_id, origin",
            (low, high),
        )
        _insert(writer, "unit_sources", "unit_id, origin, position, import_id", sources)
        counts["units"] += len(rows)
        counts["unit_sources"] += len(sources)
        if progress is not None:
            progress(counts["units"], total)
    counts["terms"] = 0
    for low, high, rows in _pages(reader, "terms", _TERM_COLUMNS):
        _insert(writer, "terms", _TERM_COLUMNS, rows)
        # In each term's own order (rowid), which is the order its variants are listed in.
        for table, columns in (
            ("term_renderings", "term_id, kind, en"),
            ("term_sources", "term_id, source"),
        ):
            children = _rows(
                reader,
                f"SELECT {columns} FROM {table} WHERE term_id BETWEEN ? AND ? "
                "ORDER BY term_id, rowid",
                (low, high),
            )
            _insert(writer, table, columns, children)
        counts["terms"] += len(rows)
    return counts


def _pages(
    reader: Any, table: str, columns: str
) -> Iterator[tuple[int, int, list[tuple[Any, ...]]]]:
    """The rows of a table with an integer `id` first, in id order, a page at a time, with the
    page's first and last id."""
    after = None
    while True:
        where = "" if after is None else "WHERE id > ? "
        rows = _rows(
            reader,
            f"SELECT {columns} FROM {table} {where}ORDER BY id LIMIT {PAGE_ROWS}",
            () if after is None else (after,),
        )
        if not rows:
            return
        yield rows[0][0], rows[-1][0], rows
        after = rows[-1][0]


def _copy_all(
    reader: Any, writer: Any, table: str, columns: str, order: str, skip_keys: tuple[str, ...] = ()
) -> int:
    """A small table in one go (imports, meta)."""
    rows = [
        row
        for row in _rows(reader, f"SELECT {columns} FROM {table} ORDER BY {order}")
        if row[0] not in skip_keys
    ]
    _insert(writer, table, columns, rows)
    return len(rows)


def _rows(conn: Any, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    cursor = conn.cursor()
    cursor.row_factory = None
    return [tuple(row) for row in cursor.execute(sql, params).fetchall()]


def _insert(writer: Any, table: str, columns: str, rows: list[tuple[Any, ...]]) -> None:
    if not rows:
        return
    places = ", ".join("?" * len(columns.split(",")))
    writer.executemany(f"INSERT INTO {table} ({columns}) VALUES ({places})", rows)


def _advance_identities(writer: Any) -> None:
    """Rows inserted with their own ids leave PostgreSQL's identity sequences behind: move each
    past its table's highest id, so the next term or import gets a free one."""
    for table in _IDENTITY_TABLES:
        writer.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM {table}"
        )


__all__ = ["CopyReport", "copy_database"]

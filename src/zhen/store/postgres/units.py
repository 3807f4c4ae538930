"""Unit inserts on PostgreSQL: ids as SQLite gives them, and batches through COPY."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import psycopg
from psycopg import sql

# zhen.store.units writes `INSERT INTO units (columns) VALUES (?, …, literal import id)
# [ON CONFLICT (pair_key, pair_seq) DO NOTHING]`.
_INSERT = re.compile(
    r"^\s*INSERT\s+INTO\s+units\s*\((?P<columns>[^)]*)\)\s*VALUES\s*\((?P<values>[^)]*)\)"
    r"(?P<rest>.*)$",
    re.IGNORECASE | re.DOTALL,
)
# SQLite gives a new row MAX(id) + 1, which zhen.store.units counts on (a batch's new units
# get consecutive ids); writers hold the write lock, so no other insert can come between.
_NEXT_ID = "(SELECT COALESCE(MAX(id), 0) + 1 FROM units)"
_STAGE = "zhen_stage"


def single_unit_insert(translated: str) -> str:
    """One row's INSERT (already in PostgreSQL's text) with the id SQLite would give it."""
    found = _INSERT.match(translated)
    if found is None:
        return translated
    return (
        f"INSERT INTO units (id, {found['columns']}) "
        f"VALUES ({_NEXT_ID}, {found['values']}){found['rest']}"
    )


def insert_units(pg: psycopg.Connection[Any], statement: str, rows: Sequence[Sequence[Any]]) -> int:
    """A batch of `statement`'s rows in one COPY and one INSERT … SELECT; returns rows added.

    As SQLite's row-by-row INSERT … ON CONFLICT DO NOTHING does: a pair already stored, or
    met earlier in the batch, is skipped, and the new rows take consecutive ids in batch order.
    """
    found = _INSERT.match(statement)
    if found is None:
        raise ValueError(f"not a units INSERT: {statement[:60]}")
    columns = [name.strip() for name in found["columns"].split(",")]
    values = [value.strip() for value in found["values"].split(",")]
    staged = [column for column, value in zip(columns, values, strict=True) if value == "?"]
    literals = {
        column: value for column, value in zip(columns, values, strict=True) if value != "?"
    }
    if not rows:
        return 0
    if "id" in columns:
        return _copy_with_ids(pg, columns, rows)
    _stage(pg, staged)
    copy_sql = sql.SQL("COPY {} ({}, ord) FROM STDIN").format(
        sql.Identifier(_STAGE), sql.SQL(", ").join(map(sql.Identifier, staged))
    )
    with pg.cursor() as cursor:
        with cursor.copy(copy_sql) as copy:
            for ord_, row in enumerate(rows):
                copy.write_row((*row, ord_))
        picked = ", ".join(
            f"s.{column}" if column in staged else _literal(literals[column]) for column in columns
        )
        # DISTINCT ON keeps a pair's first row in the batch; NOT EXISTS skips pairs stored
        # before (a key with a pair_seq above 0 always has one at 0); ids are numbered after.
        # Its OFFSET 0 keeps it one index probe per staged row: as an anti-join, the planner
        # (whose statistics cannot count the rows this import has added) sorted every stored
        # unit once per batch, and a 1M-unit import slowed to 5k units/s.
        cursor.execute(
            f"INSERT INTO units (id, {', '.join(columns)}) "
            f"SELECT base.top + row_number() OVER (ORDER BY s.ord), {picked} "
            f"FROM (SELECT DISTINCT ON (pair_key) * FROM {_STAGE} ORDER BY pair_key, ord) AS s, "
            "(SELECT COALESCE(MAX(id), 0) AS top FROM units) AS base "
            "WHERE NOT EXISTS (SELECT 1 FROM units AS u "
            "WHERE u.pair_key = s.pair_key AND u.pair_seq = 0 OFFSET 0) "
            "ORDER BY s.ord ON CONFLICT (pair_key, pair_seq) DO NOTHING"
        )
        added = cursor.rowcount
        cursor.execute(f"TRUNCATE {_STAGE}")
    return added


def _copy_with_ids(
    pg: psycopg.Connection[Any], columns: list[str], rows: Sequence[Sequence[Any]]
) -> int:
    """Rows that bring their own ids (a database being copied, zhen.store.copy): one COPY."""
    copy_sql = sql.SQL("COPY units ({}) FROM STDIN").format(
        sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    with pg.cursor() as cursor, cursor.copy(copy_sql) as copy:
        for row in rows:
            copy.write_row(row)
    return len(rows)


def _literal(value: str) -> str:
    if value.upper() == "NULL" or re.fullmatch(r"-?\d+", value):
        return value
    raise ValueError(f"unexpected literal in a units INSERT: {value[:40]}")


def _stage(pg: psycopg.Connection[Any], columns: list[str]) -> None:
    """The session's staging table, with the staged columns' types, empty (dropped at commit)."""
    exists = pg.execute("SELECT to_regclass(%s) IS NOT NULL", (f"pg_temp.{_STAGE}",)).fetchone()
    if exists and exists[0]:
        return
    pg.execute(
        sql.SQL(
            "CREATE TEMP TABLE {} ON COMMIT DROP AS SELECT {}, 0::bigint AS ord FROM units "
            "WITH NO DATA"
        ).format(sql.Identifier(_STAGE), sql.SQL(", ").join(map(sql.Identifier, columns)))
    )

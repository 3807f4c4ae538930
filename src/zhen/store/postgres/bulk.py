"""Plain multi-row INSERTs (no conflict clause) sent as one COPY: the lookup index's segments."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import psycopg
from psycopg import sql

# `INSERT INTO table (columns) VALUES (?, …)`, where a value may also be an integer literal
# (`_append` writes its segment number into the statement): nothing after the VALUES list.
_PLAIN_INSERT = re.compile(
    r"^\s*INSERT\s+INTO\s+(?P<table>[a-z_]+)\s*\((?P<columns>[^)]*)\)\s*"
    r"VALUES\s*\((?P<values>[^)]*)\)\s*$",
    re.IGNORECASE,
)
_INTEGER = re.compile(r"-?\d+")
# Only the index tables: rows of many small values, where a round trip per row costs most.
_COPIED_TABLES = frozenset({"zh_postings", "en_postings"})


def copy_insert(
    pg: psycopg.Connection[Any], statement: str, rows: Sequence[Sequence[Any]]
) -> int | None:
    """Insert `rows` with one COPY when `statement` is such an INSERT; None when it is not."""
    found = _PLAIN_INSERT.match(statement)
    if found is None or found["table"].lower() not in _COPIED_TABLES:
        return None
    columns = [name.strip() for name in found["columns"].split(",")]
    values = [value.strip() for value in found["values"].split(",")]
    if len(columns) != len(values) or not all(
        value == "?" or _INTEGER.fullmatch(value) for value in values
    ):
        return None
    places = [n for n, value in enumerate(values) if value == "?"]
    fixed = {n: int(value) for n, value in enumerate(values) if value != "?"}
    statement_sql = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(found["table"]), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    with pg.cursor() as cursor, cursor.copy(statement_sql) as copy:
        for row in rows:
            given = dict(zip(places, row, strict=True))
            copy.write_row([given[n] if n in given else fixed[n] for n in range(len(values))])
    return len(rows)

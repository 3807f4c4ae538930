"""SQLite statements as PostgreSQL runs them: placeholders, NULL order, upserts, rowid, temp."""

from __future__ import annotations

import re
from functools import lru_cache

# Words that end an ORDER BY list (the list itself never holds them in zhen's statements).
_ORDER_END = re.compile(r"\b(LIMIT|OFFSET|ON\s+CONFLICT)\b|\)|$", re.IGNORECASE)
_ORDER_BY = re.compile(r"\bORDER\s+BY\s+", re.IGNORECASE)
_INSERT_OR_IGNORE = re.compile(r"^\s*INSERT\s+OR\s+IGNORE\s+INTO\b", re.IGNORECASE)
_ROWID = re.compile(r"\browid\b", re.IGNORECASE)
_TEMP_SCHEMA = re.compile(r"\btemp\.", re.IGNORECASE)
_TEMP_TABLE = re.compile(r"^\s*CREATE\s+TEMP\s+TABLE\b", re.IGNORECASE)


@lru_cache(maxsize=512)
def translate(sql: str) -> str:
    """The PostgreSQL text of one of zhen's SQLite statements (same parameters, same rows)."""
    text = _placeholders(sql)
    if _INSERT_OR_IGNORE.match(text):
        text = _INSERT_OR_IGNORE.sub("INSERT INTO", text, count=1) + " ON CONFLICT DO NOTHING"
    # SQLite tables have an implicit rowid in insertion order; zhen's PostgreSQL tables that
    # are read in that order carry an explicit `seq` column instead.
    text = _ROWID.sub("seq", text)
    text = _TEMP_SCHEMA.sub("pg_temp.", text)
    if _TEMP_TABLE.match(text):
        text = re.sub(r"\bINTEGER\b", "BIGINT", text)  # SQLite's INTEGER is 64-bit
    return _nulls_as_sqlite(text)


def _placeholders(sql: str) -> str:
    """`?` → `%s` outside string literals; a literal `%` doubled (psycopg's own marker)."""
    out: list[str] = []
    quoted = False
    for char in sql:
        if char == "'":
            quoted = not quoted
        if char == "%":
            out.append("%%")
        elif char == "?" and not quoted:
            out.append("%s")
        else:
            out.append(char)
    return "".join(out)


def _nulls_as_sqlite(sql: str) -> str:
    """SQLite sorts NULL before every value, PostgreSQL after: say SQLite's order explicitly."""
    pieces: list[str] = []
    position = 0
    for found in _ORDER_BY.finditer(sql):
        if found.start() < position:
            continue
        end = _ORDER_END.search(sql, found.end())
        stop = end.start() if end else len(sql)
        terms = sql[found.end() : stop].split(",")
        pieces.append(sql[position : found.end()])
        pieces.append(", ".join(_with_nulls(term.strip()) for term in terms))
        pieces.append(" " if stop < len(sql) and sql[stop] != ")" else "")
        position = stop
    pieces.append(sql[position:])
    return "".join(pieces)


def _with_nulls(term: str) -> str:
    if term.upper().endswith(" DESC"):
        return f"{term} NULLS LAST"
    return f"{term} NULLS FIRST"

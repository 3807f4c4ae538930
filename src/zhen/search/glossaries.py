"""Term hits from several glossaries (files and the database's own), merged in priority order."""

from __future__ import annotations

import heapq
import sqlite3
import threading
from pathlib import Path

from zhen.glossary.exchange import load_terms_file
from zhen.search.glossary_hits import term_hits
from zhen.search.glossary_index import GlossaryIndex, build_index, glossary_index
from zhen.search.results import Hit
from zhen.search.scope import DatabaseGlossary, LookupScope
from zhen.text.normalize import normalize_en, normalize_zh

# What a hit of the database's glossary gives as its origin (a file's hits give its name).
DATABASE_ORIGIN = "glossary"
_MATCH_ORDER = {"exact": 0, "contained": 1, "fuzzy": 2}

# One index per glossary file, read again when the file changes (the TUI runs for hours).
_files: dict[Path, tuple[tuple[int, int, int], GlossaryIndex]] = {}
_files_lock = threading.Lock()


def file_index(path: Path) -> GlossaryIndex:
    """The lookup index of a glossary file (TBX, TSV, CSV, OmegaT); InputError when unreadable."""
    try:
        stat = path.stat()
        fingerprint = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
    except OSError:
        fingerprint = (-1, -1, -1)  # load_terms_file says what is wrong with the name
    with _files_lock:
        cached = _files.get(path)
    if cached and cached[0] == fingerprint:
        return cached[1]
    index = build_index(load_terms_file(path))
    with _files_lock:
        _files[path] = (fingerprint, index)
    return index


def glossaries_in_order(
    conn: sqlite3.Connection, scope: LookupScope
) -> list[tuple[str, GlossaryIndex]]:
    """(origin shown, index) of every glossary the scope searches, highest priority first."""
    files = [(path.name, file_index(path)) for path in scope.glossary_files]
    if scope.database_glossary == DatabaseGlossary.NONE:
        return files
    database = (DATABASE_ORIGIN, glossary_index(conn))
    if scope.database_glossary == DatabaseGlossary.BEFORE:
        return [database, *files]
    return [*files, database]


def scoped_term_hits(
    conn: sqlite3.Connection,
    side: str,
    query: str,
    query_norm: str,
    *,
    min_score: float,
    limit: int,
    scope: LookupScope,
) -> list[Hit]:
    """Term hits of every glossary in the scope: by match (exact, contained, fuzzy) and score,
    a higher-priority glossary first among equals; an entry (same zh and en) a higher one
    already gave is left out."""
    lists = [
        term_hits(
            conn,
            side,
            query,
            query_norm,
            min_score=min_score,
            limit=limit,
            index=index,
            origin=name,
        )
        for name, index in glossaries_in_order(conn, scope)
    ]
    # Each list keeps its own order; heapq.merge takes the earlier list first among equals.
    merged = heapq.merge(*lists, key=lambda hit: (_MATCH_ORDER.get(hit.match or "", 3), -hit.score))
    seen: set[tuple[str, str]] = set()
    hits: list[Hit] = []
    for hit in merged:
        entry = (normalize_zh(hit.zh), normalize_en(hit.en))
        if entry in seen:
            continue
        seen.add(entry)
        hits.append(hit)
        if len(hits) >= limit:
            break
    return hits

"""The lookup candidate index: packed postings of zh character bigrams and en words in SQLite."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

import numpy as np

from zhen.store.base import get_meta, set_meta, transaction
from zhen.store.index.codes import (
    EN_STOPWORDS,
    en_code_word,
    en_code_words,
    en_codes,
    en_prefix_range,
    en_word_code,
    query_en_codes,
    query_zh_codes,
    zh_codes,
)
from zhen.store.index.postings import (
    _META_SEGMENT,
    EN_TABLE,
    ZH_TABLE,
    _append,
    _exclusive_cumsum,
    _group,
    _merge_crowded,
    _merge_groups,
    _next_segment,
    _rewrite,
    _unit_texts,
    read_postings,
    read_postings_many,
    sorted_distinct,
)

# Postings layout (tables `zh_postings` / `en_postings`, created by zhen.store migration 2):
#   gram INTEGER  a token code (see below); seg INTEGER  segment number; ids BLOB  the token's
#   unit ids, ascending, delta-encoded (see `encode_postings`).
# One row per (token, import) instead of one row per (token, unit): a million units give ~40
# million postings, which as individual B-tree rows would be several times larger and far too
# slow to insert. Each `units_added` call appends one segment per token it touches; tokens that
# gather many segments are merged.
#
# Token codes keep both indexes integer-keyed and need no vocabulary table:
#   zh: a bigram of two indexable characters of `zh_norm` → (first << 21) | second.
#   en: a word of `en_norm` ([a-z0-9] runs) → its first 12 letters read as a base-37 number,
#       so codes sort like the words and a prefix is a code range (used for typo expansion).
#       Long words sharing 12 letters share a code: a harmless extra candidate, scored away later.

INDEX_FORMAT = "2"
_META_FORMAT = "search_index_format"
_CHUNK_UNITS = 100_000  # bounds peak memory when indexing a large import

__all__ = [
    "EN_STOPWORDS",
    "EN_TABLE",
    "INDEX_FORMAT",
    "ZH_TABLE",
    "IndexBuilder",
    "en_code_word",
    "en_code_words",
    "en_codes_between",
    "en_prefix_range",
    "en_word_code",
    "ensure_current",
    "query_en_codes",
    "query_zh_codes",
    "read_postings",
    "read_postings_many",
    "rebuild",
    "sorted_distinct",
    "units_added",
    "units_removed",
]


class IndexBuilder:
    """Collects the postings of newly inserted units, then writes them as one segment.

    An importer that still holds the normalised texts feeds them to `add` batch by batch (no
    read-back from the table, and the token work overlaps its reading); `finish` writes the
    index rows inside the importing transaction. `units_added` is the same for given ids.
    """

    def __init__(self, chunk_units: int = _CHUNK_UNITS) -> None:
        self._chunk_units = chunk_units
        self._ids: list[np.ndarray] = []
        self._zh: list[str] = []
        self._en: list[str] = []
        self._parts: dict[str, list[tuple[Any, ...]]] = {ZH_TABLE: [], EN_TABLE: []}
        self.count = 0

    def add(self, ids: np.ndarray, zh_norms: Sequence[str], en_norms: Sequence[str]) -> None:
        """Units just inserted: ascending ids (above any added before) and their texts."""
        self._ids.append(np.asarray(ids, dtype=np.int64))
        self._zh.extend(zh_norms)
        self._en.extend(en_norms)
        self.count += len(zh_norms)
        if len(self._zh) >= self._chunk_units:
            self._flush()

    def _flush(self) -> None:
        if not self._zh:
            return
        ids = np.concatenate(self._ids)
        self._parts[ZH_TABLE].append(_group(*zh_codes(self._zh), ids))
        self._parts[EN_TABLE].append(_group(*en_codes(self._en), ids))
        self._ids, self._zh, self._en = [], [], []

    def finish(self, conn: sqlite3.Connection) -> None:
        """Write the collected postings (inside the transaction that inserted the units)."""
        self._flush()
        if not self.count:
            return
        stored_format = get_meta(conn, _META_FORMAT)
        if stored_format is not None and stored_format != INDEX_FORMAT:
            rebuild(conn)  # an index in an older layout: rebuild it, new units included
            return
        first_batch = get_meta(conn, _META_SEGMENT) is None
        # One row per token for the whole import, written in key order: pages fill densely.
        segment = _next_segment(conn)
        for table, grouped in self._parts.items():
            touched = _append(conn, table, _merge_groups(grouped), segment)
            grouped.clear()  # free this table's postings before the next table's are merged
            if not first_batch:
                _merge_crowded(conn, table, touched)
        set_meta(conn, _META_FORMAT, INDEX_FORMAT)


def units_added(conn: sqlite3.Connection, unit_ids: Sequence[int]) -> None:
    """Index units just inserted (call inside the importing transaction, after the INSERTs).

    Call it once per import: each call writes one segment per token it touches.
    """
    if not len(unit_ids):
        return
    stored_format = get_meta(conn, _META_FORMAT)
    if stored_format is not None and stored_format != INDEX_FORMAT:
        rebuild(conn)  # before reading anything: rebuild reads every unit itself
        return
    ordered = sorted_distinct(np.asarray(unit_ids, dtype=np.int64))
    builder = IndexBuilder()
    for i in range(0, len(ordered), _CHUNK_UNITS):
        ids, zh_texts, en_texts = _unit_texts(conn, ordered[i : i + _CHUNK_UNITS])
        builder.add(ids, zh_texts, en_texts)
    builder.finish(conn)


def units_removed(conn: sqlite3.Connection, unit_ids: Sequence[int]) -> None:
    """Drop units from the index (call before deleting their rows, in the same transaction)."""
    if not len(unit_ids):
        return
    ordered = sorted_distinct(np.asarray(unit_ids, dtype=np.int64))
    for i in range(0, len(ordered), _CHUNK_UNITS):
        ids, zh_texts, en_texts = _unit_texts(conn, ordered[i : i + _CHUNK_UNITS])
        for table, codes_of, texts in (
            (ZH_TABLE, zh_codes, zh_texts),
            (EN_TABLE, en_codes, en_texts),
        ):
            codes, counts, removed_ids = _group(*codes_of(texts), ids)
            offsets = _exclusive_cumsum(counts).tolist()
            for n, code in enumerate(codes.tolist()):
                current = read_postings(conn, table, code)
                removed = removed_ids[offsets[n] : offsets[n + 1]]
                _rewrite(conn, table, code, current[~np.isin(current, removed)])


def rebuild(conn: sqlite3.Connection) -> int:
    """Rebuild the whole index from the units table; return the number of units indexed."""
    conn.execute(f"DELETE FROM {ZH_TABLE}")
    conn.execute(f"DELETE FROM {EN_TABLE}")
    conn.execute("DELETE FROM meta WHERE key IN (?, ?)", (_META_SEGMENT, _META_FORMAT))
    ids = [row[0] for row in conn.execute("SELECT id FROM units ORDER BY id")]
    units_added(conn, ids)
    set_meta(conn, _META_FORMAT, INDEX_FORMAT)
    return len(ids)


def en_codes_between(conn: sqlite3.Connection, low: int, high: int, limit: int) -> list[int]:
    """Distinct indexed English word codes in [low, high], at most `limit` (typos, prefixes)."""
    cursor = conn.cursor()
    cursor.row_factory = None
    rows = cursor.execute(
        f"SELECT DISTINCT gram FROM {EN_TABLE} WHERE gram BETWEEN ? AND ? LIMIT ?",
        (low, high, limit),
    )
    return [row[0] for row in rows]


def ensure_current(conn: sqlite3.Connection) -> None:
    """Build the index where its layout is older than this zhen's (run when opening to write)."""
    if get_meta(conn, _META_FORMAT) == INDEX_FORMAT:
        return
    if conn.execute("SELECT 1 FROM units LIMIT 1").fetchone() is None:
        return
    with transaction(conn):
        rebuild(conn)

"""Postings of the lookup index: grouping, delta encoding, segments, merges, rewrites."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from itertools import pairwise
from typing import Any

import numpy as np

from zhen.store.base import get_meta, set_meta

_META_SEGMENT = "search_index_segment"
_ID_DTYPE = np.dtype("<u4")
# Posting lists are stored delta-encoded, each in the narrowest width its largest gap fits.
_DELTA_DTYPES: dict[int, np.dtype[np.unsignedinteger]] = {
    1: np.dtype("<u1"),
    2: np.dtype("<u2"),
    4: np.dtype("<u4"),
}
_WIDTH_BYTE = {width: bytes((width,)) for width in _DELTA_DTYPES}
_OWNER_BITS = 18  # a unit's position within a chunk (< 2**18) packed below its token code
MERGE_AT = 8  # merge a token's segments once it has this many
_MERGE_RANGES = 16  # code ranges merged one at a time when a call spans several chunks
# Token codes per batched read: well under SQLite's 32,766 parameters, and one statement covers
# any real query's tokens (a 2,000-character query has under 2,000 bigrams).
_CODES_PER_READ = 1_000
ZH_TABLE = "zh_postings"
EN_TABLE = "en_postings"


def sorted_distinct(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values (np.unique's hashing path is several times slower on int64)."""
    values = np.sort(values)
    keep = np.ones(len(values), dtype=bool)
    keep[1:] = values[1:] != values[:-1]
    return values[keep]


def _group(owners: np.ndarray, codes: np.ndarray, unit_ids: np.ndarray) -> tuple[Any, ...]:
    """(codes, counts, ids): each distinct code, how many ids it has, and all ids grouped by code
    (codes ascending, ids ascending within a code)."""
    if not len(codes):
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, _ID_DTYPE)
    if int(codes.max()) < 1 << (63 - _OWNER_BITS):
        # zh: one sort of (code, owner) packed into an int64 groups and deduplicates.
        keys = sorted_distinct((codes << _OWNER_BITS) | owners)
        key_codes = keys >> _OWNER_BITS
        key_owners = keys & ((1 << _OWNER_BITS) - 1)
    else:
        # en codes use all 63 bits: a stable sort by code keeps each code's owners ascending.
        order = np.argsort(codes, kind="stable")
        key_codes, key_owners = codes[order], owners[order]
        keep = np.ones(len(order), dtype=bool)
        keep[1:] = (key_codes[1:] != key_codes[:-1]) | (key_owners[1:] != key_owners[:-1])
        key_codes, key_owners = key_codes[keep], key_owners[keep]
    starts = np.flatnonzero(np.concatenate(([True], key_codes[1:] != key_codes[:-1])))
    counts = np.diff(np.append(starts, len(key_codes)))
    return key_codes[starts], counts, unit_ids[key_owners].astype(_ID_DTYPE)


def _exclusive_cumsum(counts: np.ndarray) -> np.ndarray:
    offsets = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    return offsets


def _merge_groups(parts: list[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    """Merge the (codes, counts, ids) of consecutive chunks (ascending ids) into pieces of the
    same form, in code order.

    Works one code range at a time so the temporary arrays stay a fraction of the whole.
    """
    if len(parts) == 1:
        yield parts[0]
        return
    largest = max((codes for codes, _, _ in parts), key=len)
    if not len(largest):
        return
    edges = np.unique(largest[np.linspace(0, len(largest) - 1, _MERGE_RANGES + 1).astype(int)])
    bounds = [None, *edges[1:-1].tolist(), None]
    offsets = [_exclusive_cumsum(counts) for _, counts, _ in parts]
    for low, high in pairwise(bounds):
        code_parts, count_parts, id_parts = [], [], []
        for (codes, counts, ids), offset in zip(parts, offsets, strict=True):
            first = 0 if low is None else int(np.searchsorted(codes, low))
            last = len(codes) if high is None else int(np.searchsorted(codes, high))
            code_parts.append(codes[first:last])
            count_parts.append(counts[first:last])
            id_parts.append(ids[offset[first] : offset[last]])
        codes, counts = np.concatenate(code_parts), np.concatenate(count_parts)
        ids = np.concatenate(id_parts)
        # Put the groups in code order (stably: chunk order keeps ids ascending), then move
        # each group's ids along with it.
        order = np.argsort(codes, kind="stable")
        old_starts = _exclusive_cumsum(counts)[:-1][order]
        new_counts = counts[order]
        new_starts = _exclusive_cumsum(new_counts)[:-1]
        moved = np.arange(len(ids)) + np.repeat(old_starts - new_starts, new_counts)
        ids, codes = ids[moved], codes[order]
        # Groups of one code from different chunks are now adjacent: fuse them.
        fused = np.flatnonzero(np.concatenate(([True], codes[1:] != codes[:-1])))
        yield codes[fused], np.add.reduceat(new_counts, fused), ids


def _encoded_groups(
    codes: np.ndarray, counts: np.ndarray, ids: np.ndarray
) -> tuple[list[int], list[bytes]]:
    """(codes, encoded posting lists) from grouped (codes, counts, ids)."""
    if not len(codes):
        return [], []
    offsets = _exclusive_cumsum(counts)
    starts, ends = offsets[:-1], offsets[1:]
    deltas = np.zeros(len(ids), dtype=np.uint32)
    deltas[1:] = np.diff(ids)
    deltas[starts] = 0  # a list's first id is stored whole, not as a delta
    widest = np.maximum.reduceat(deltas, starts)
    widths = np.where(widest < 1 << 8, 1, np.where(widest < 1 << 16, 2, 4)).tolist()
    # Every delta pre-cast to each width as one byte string: a list is then three slices.
    packed = {w: deltas.astype(dtype).tobytes() for w, dtype in _DELTA_DTYPES.items()}
    firsts = ids[starts].astype("<u4").tobytes()
    blobs = [
        _WIDTH_BYTE[w] + firsts[4 * n : 4 * n + 4] + packed[w][w * (start + 1) : w * end]
        for n, (w, start, end) in enumerate(
            zip(widths, starts.tolist(), ends.tolist(), strict=True)
        )
    ]
    return codes.tolist(), blobs


def encode_postings(ids: np.ndarray) -> bytes:
    """Sorted distinct unit ids → width byte, first id (uint32), deltas as uint8/16/32."""
    sorted_ids = np.asarray(ids, dtype=_ID_DTYPE)
    return _encoded_groups(np.zeros(1, np.int64), np.array([len(sorted_ids)]), sorted_ids)[1][0]


def decode_postings(blob: bytes) -> np.ndarray:
    """The inverse of `encode_postings`."""
    deltas = np.frombuffer(blob, dtype=_DELTA_DTYPES[blob[0]], offset=5)
    ids = np.empty(len(deltas) + 1, dtype=_ID_DTYPE)
    ids[0] = np.frombuffer(blob, dtype="<u4", count=1, offset=1)[0]
    np.cumsum(deltas, dtype=_ID_DTYPE, out=ids[1:])
    ids[1:] += ids[0]
    return ids


def read_postings(conn: sqlite3.Connection, table: str, code: int) -> np.ndarray:
    """All unit ids filed under one token code, sorted and distinct."""
    cursor = conn.cursor()
    cursor.row_factory = None
    rows = cursor.execute(f"SELECT ids FROM {table} WHERE gram = ?", (code,)).fetchall()
    return _joined_segments([row[0] for row in rows])


def read_postings_many(
    conn: sqlite3.Connection, table: str, codes: Iterable[int]
) -> dict[int, np.ndarray]:
    """`read_postings` of several token codes in one statement per `_CODES_PER_READ` codes.

    Every code asked for is in the answer (an empty array when nothing is filed under it). On a
    server each statement is a round trip, so a lookup reads all its tokens' postings at once.
    """
    wanted = sorted(set(codes))
    blobs: dict[int, list[bytes]] = {code: [] for code in wanted}
    cursor = conn.cursor()
    cursor.row_factory = None
    for start in range(0, len(wanted), _CODES_PER_READ):
        chunk = wanted[start : start + _CODES_PER_READ]
        marks = ", ".join("?" * len(chunk))
        # Ordered by segment so each token's parts arrive in the order `read_postings` reads
        # them (the primary key's), which keeps the already-sorted fast path in _joined_segments.
        rows = cursor.execute(
            f"SELECT gram, ids FROM {table} WHERE gram IN ({marks}) ORDER BY gram, seg", chunk
        )
        for code, blob in rows:
            blobs[code].append(blob)
    return {code: _joined_segments(parts) for code, parts in blobs.items()}


def _joined_segments(blobs: list[bytes]) -> np.ndarray:
    """The sorted distinct unit ids of one token's segment rows."""
    if not blobs:
        return np.empty(0, _ID_DTYPE)
    parts = [decode_postings(blob) for blob in blobs]
    if len(parts) == 1:
        return parts[0]
    # Segments hold ascending ids and later segments usually hold newer (larger) ids, so the
    # concatenation is already sorted unless ids were reused after a delete.
    if all(len(a) and len(b) and a[-1] < b[0] for a, b in pairwise(parts)):
        return np.concatenate(parts)
    return sorted_distinct(np.concatenate(parts))


def _unit_texts(
    conn: sqlite3.Connection, unit_ids: np.ndarray
) -> tuple[np.ndarray, list[Any], list[Any]]:
    """(ids, zh_norm, en_norm) of the existing units among `unit_ids` (sorted ascending)."""
    cursor = conn.cursor()
    cursor.row_factory = None  # plain tuples: sqlite3.Row costs ~1 µs a row here
    rows: list[tuple[int, str, str]] = []
    step = 10_000
    for i in range(0, len(unit_ids), step):
        chunk = unit_ids[i : i + step]
        low, high = int(chunk[0]), int(chunk[-1])
        found = cursor.execute(
            "SELECT id, zh_norm, en_norm FROM units WHERE id BETWEEN ? AND ? ORDER BY id",
            (low, high),
        ).fetchall()
        if high - low + 1 != len(chunk):
            wanted = set(chunk.tolist())
            found = [row for row in found if row[0] in wanted]
        rows.extend(found)
    if not rows:
        return np.empty(0, np.int64), [], []
    ids, zh_texts, en_texts = zip(*rows, strict=True)
    return np.array(ids, dtype=np.int64), list(zh_texts), list(en_texts)


def _next_segment(conn: sqlite3.Connection) -> int:
    segment = int(get_meta(conn, _META_SEGMENT) or 0) + 1
    set_meta(conn, _META_SEGMENT, str(segment))
    return segment


def _append(
    conn: sqlite3.Connection, table: str, pieces: Iterator[tuple[Any, ...]], segment: int
) -> list[int]:
    """Write one new segment row per token from sorted (codes, ids) pieces; return the codes."""
    touched: list[int] = []
    for codes, counts, ids in pieces:
        piece_codes, blobs = _encoded_groups(codes, counts, ids)
        conn.executemany(
            f"INSERT INTO {table} (gram, seg, ids) VALUES (?, {int(segment)}, ?)",
            zip(piece_codes, blobs, strict=True),
        )
        touched.extend(piece_codes)
    return touched


def _merge_crowded(conn: sqlite3.Connection, table: str, codes: list[int]) -> None:
    """Merge the segments of every touched token that has gathered `MERGE_AT` or more."""
    if not codes:
        return
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS search_touched (gram INTEGER PRIMARY KEY)")
    conn.execute("DELETE FROM temp.search_touched")
    conn.executemany(
        "INSERT OR IGNORE INTO temp.search_touched (gram) VALUES (?)", ((c,) for c in codes)
    )
    crowded = [
        row[0]
        for row in conn.execute(
            f"SELECT p.gram FROM {table} AS p JOIN temp.search_touched AS t ON p.gram = t.gram "
            f"GROUP BY p.gram HAVING count(*) >= ?",
            (MERGE_AT,),
        )
    ]
    conn.execute("DELETE FROM temp.search_touched")
    for code in crowded:
        _rewrite(conn, table, code, read_postings(conn, table, code))


def _rewrite(conn: sqlite3.Connection, table: str, code: int, ids: np.ndarray) -> None:
    """Replace all segments of one token by a single one holding `ids` (none: drop the token)."""
    conn.execute(f"DELETE FROM {table} WHERE gram = ?", (code,))
    if len(ids):
        conn.execute(
            f"INSERT INTO {table} (gram, seg, ids) VALUES (?, 0, ?)",
            (code, encode_postings(ids)),
        )

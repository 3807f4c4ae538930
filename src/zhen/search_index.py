"""The lookup candidate index: packed postings of zh character bigrams and en words in SQLite."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from itertools import pairwise

import numpy as np

from zhen.store import get_meta, set_meta

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
_META_SEGMENT = "search_index_segment"
_ID_DTYPE = np.dtype("<u4")
# Posting lists are stored delta-encoded, each in the narrowest width its largest gap fits.
_DELTA_DTYPES = {1: np.dtype("<u1"), 2: np.dtype("<u2"), 4: np.dtype("<u4")}
_WIDTH_BYTE = {width: bytes((width,)) for width in _DELTA_DTYPES}
_CHUNK_UNITS = 100_000  # bounds peak memory when indexing a large import
_OWNER_BITS = 18  # a unit's position within a chunk (< 2**18) packed below its token code
_MERGE_AT = 8  # merge a token's segments once it has this many
_MERGE_RANGES = 16  # code ranges merged one at a time when a call spans several chunks
_EN_CODE_LEN = 12
_EN_BASE = 37
_EN_POWERS = np.array([_EN_BASE ** (_EN_CODE_LEN - 1 - i) for i in range(_EN_CODE_LEN)], np.int64)
# a–z → 1…26, 0–9 → 27…36, any other byte → 0. Indexed by a byte, or by min(code point, 0x80).
_ASCII_VALUES = np.zeros(0x100, dtype=np.uint8)
_ASCII_VALUES[0x61:0x7B] = np.arange(1, 27)
_ASCII_VALUES[0x30:0x3A] = np.arange(27, 37)

# Words too frequent to narrow anything: indexing them would add ~15% postings for no recall.
_STOPWORD_TEXT = (
    "a an the of to in and or is are was were be been it its on at by for with as that this "
    "from has have had not but he she they we you i his her their our s t"
)
EN_STOPWORDS = frozenset(_STOPWORD_TEXT.split())

ZH_TABLE = "zh_postings"
EN_TABLE = "en_postings"

# --- token codes ---------------------------------------------------------------------------


def _codepoints(texts: Sequence[str], *, ascii_only: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Code points of the texts joined by NUL (plus a final NUL), and each one's text index.

    With `ascii_only`, every non-ASCII character becomes "?" (one byte each, so positions are
    kept): a quarter of the memory traffic for English, where only [a-z0-9] matter.
    """
    joined = "\x00".join(texts) + "\x00"
    if ascii_only:
        points = np.frombuffer(joined.encode("ascii", "replace"), dtype=np.uint8)
    else:
        points = np.frombuffer(joined.encode("utf-32-le"), dtype="<u4")
    lengths = np.array(list(map(len, texts)), dtype=np.int64) + 1
    owner_of = np.repeat(np.arange(len(texts), dtype=np.int32), lengths)
    return points, owner_of


def _zh_indexable(points: np.ndarray) -> np.ndarray:
    """Chinese ideographs and ASCII letters/digits; punctuation and spaces break bigrams."""
    ascii_ok = _ASCII_VALUES[np.minimum(points, 0x80)] > 0
    return (
        ascii_ok
        | ((points >= 0x4E00) & (points <= 0x9FFF))
        | ((points >= 0x3400) & (points <= 0x4DBF))
        | ((points >= 0xF900) & (points <= 0xFAFF))
        | ((points >= 0x20000) & (points <= 0x2FFFF))
    )


def zh_codes(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(text index, bigram code) for every bigram of indexable characters in normalised zh."""
    if not texts:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    points, owner_of = _codepoints(texts)
    ok = _zh_indexable(points)
    positions = np.flatnonzero(ok[:-1] & ok[1:])
    codes = (points[positions].astype(np.int64) << 21) | points[positions + 1]
    return owner_of[positions].astype(np.int64), codes


def en_word_code(word: str) -> int:
    """The code of one normalised English word (its first 12 [a-z0-9] characters, base 37)."""
    code = 0
    for i in range(_EN_CODE_LEN):
        ch = word[i] if i < len(word) else ""
        if "a" <= ch <= "z":
            value = ord(ch) - 0x60
        elif "0" <= ch <= "9":
            value = ord(ch) - 0x30 + 27
        else:
            value = 0
        code = code * _EN_BASE + value
    return code


def en_code_word(code: int) -> str:
    """The (possibly truncated) word a code stands for; inverse of `en_word_code`."""
    chars = []
    for _ in range(_EN_CODE_LEN):
        code, value = divmod(code, _EN_BASE)
        if value:
            chars.append(chr(value + 0x60) if value <= 26 else chr(value - 27 + 0x30))
    return "".join(reversed(chars))


_LETTERS = np.frombuffer(b"\0abcdefghijklmnopqrstuvwxyz0123456789", dtype=np.uint8)


def en_code_words(codes: np.ndarray) -> list[str]:
    """Vectorised `en_code_word` for many codes (typo expansion decodes thousands at once)."""
    remaining = np.asarray(codes, dtype=np.int64).copy()
    letters = np.zeros((len(remaining), _EN_CODE_LEN), dtype=np.uint8)
    for position in range(_EN_CODE_LEN - 1, -1, -1):
        letters[:, position] = _LETTERS[remaining % _EN_BASE]
        remaining //= _EN_BASE
    # Zero bytes pad short words at the end; numpy's bytes dtype drops them.
    return [word.decode("ascii") for word in letters.view(f"S{_EN_CODE_LEN}").ravel().tolist()]


def en_prefix_range(prefix: str) -> tuple[int, int]:
    """The inclusive code range of all words starting with `prefix` (≤ 12 characters)."""
    low = en_word_code(prefix)
    span = _EN_BASE ** max(_EN_CODE_LEN - len(prefix), 0) - 1
    return low, low + span


_STOP_CODES = np.array(sorted(en_word_code(w) for w in EN_STOPWORDS), dtype=np.int64)


def en_codes(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(text index, word code) for every non-stopword word of normalised English texts."""
    if not texts:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    points, owner_of = _codepoints(texts, ascii_only=True)
    values = _ASCII_VALUES[points]
    in_word = values > 0
    edges = np.flatnonzero(in_word[1:] != in_word[:-1]) + 1
    if in_word[0]:
        edges = np.concatenate(([0], edges))
    word_starts, word_ends = edges[0::2], edges[1::2]  # the final NUL closes every word
    if not len(word_starts):
        return np.empty(0, np.int64), np.empty(0, np.int64)
    # Read each word's first 12 letters in base 37, one letter position at a time over the
    # words still that long (most are short, so the work is about one step per letter).
    lengths = word_ends - word_starts
    codes = np.zeros(len(word_starts), dtype=np.int64)
    active = np.arange(len(word_starts))
    for position in range(_EN_CODE_LEN):
        if position:
            active = active[lengths[active] > position]
            if not len(active):
                break
        letters = values[word_starts[active] + position].astype(np.int64)
        codes[active] += letters * int(_EN_POWERS[position])
    where = np.minimum(np.searchsorted(_STOP_CODES, codes), len(_STOP_CODES) - 1)
    keep = _STOP_CODES[where] != codes
    return owner_of[word_starts[keep]].astype(np.int64), codes[keep]


def query_zh_codes(zh_norm: str) -> list[int]:
    """Distinct bigram codes of one normalised Chinese query, in text order."""
    return list(dict.fromkeys(zh_codes([zh_norm])[1].tolist()))


def query_en_codes(en_norm: str) -> list[int]:
    """Distinct word codes of one normalised English query (stopwords left out), in text order."""
    return list(dict.fromkeys(en_codes([en_norm])[1].tolist()))


# --- postings I/O --------------------------------------------------------------------------


def sorted_distinct(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values (np.unique's hashing path is several times slower on int64)."""
    values = np.sort(values)
    keep = np.ones(len(values), dtype=bool)
    keep[1:] = values[1:] != values[:-1]
    return values[keep]


def _group(owners: np.ndarray, codes: np.ndarray, unit_ids: np.ndarray) -> tuple:
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


def _merge_groups(parts: list[tuple]) -> Iterator[tuple]:
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
    if not rows:
        return np.empty(0, _ID_DTYPE)
    parts = [decode_postings(row[0]) for row in rows]
    if len(parts) == 1:
        return parts[0]
    # Segments hold ascending ids and later segments usually hold newer (larger) ids, so the
    # concatenation is already sorted unless ids were reused after a delete.
    if all(len(a) and len(b) and a[-1] < b[0] for a, b in pairwise(parts)):
        return np.concatenate(parts)
    return sorted_distinct(np.concatenate(parts))


def _unit_texts(conn: sqlite3.Connection, unit_ids: np.ndarray) -> tuple[np.ndarray, list, list]:
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
    conn: sqlite3.Connection, table: str, pieces: Iterator[tuple], segment: int
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
    """Merge the segments of every touched token that has gathered `_MERGE_AT` or more."""
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
            (_MERGE_AT,),
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


# --- public API ----------------------------------------------------------------------------


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
        self._parts: dict[str, list[tuple]] = {ZH_TABLE: [], EN_TABLE: []}
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


def ensure_current(conn: sqlite3.Connection) -> None:
    """Build the index for a database whose units predate it (e.g. created before migration 2)."""
    if get_meta(conn, _META_FORMAT) == INDEX_FORMAT:
        return
    if conn.execute("SELECT 1 FROM units LIMIT 1").fetchone() is None:
        return
    from zhen.store import transaction

    with transaction(conn):
        rebuild(conn)

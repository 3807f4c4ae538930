"""Candidate units from the postings index: weighted n-gram overlap, and substring containment."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from zhen.search.origins import OriginFilter
from zhen.search.scoring import en_tokens
from zhen.store import index as search_index
from zhen.store import units as stored_units

# How many top-overlap units go on to rapidfuzz scoring (benchmarks/lookup_bench.py at 1M units:
# recall@5 no longer improves above ~200; fetching and scoring 250 units takes ~2 ms).
POOL_SIZE = 250
# Tokens in more than this share of units are skipped when ≥ _MIN_SELECTIVE others remain.
_COMMON_SHARE = 0.02
_MIN_SELECTIVE = 4
_MIN_WEIGHT_SHARE = 0.25
# Typo expansion: an unknown query word looks for indexed words sharing its first letters.
_TYPO_PREFIX = 2
_TYPO_MAX_WORDS = 20_000
_PREFIX_MAX_GRAMS = 500


def _table(side: str) -> str:
    return search_index.ZH_TABLE if side == "zh" else search_index.EN_TABLE


class Postings:
    """Posting lists read for one lookup, kept so the fuzzy and concordance passes share them;
    with `origins`, only the units of those origins are in them, so every pass keeps to them."""

    def __init__(
        self, conn: sqlite3.Connection, side: str, origins: OriginFilter | None = None
    ) -> None:
        self.conn = conn
        self.table = _table(side)
        self.origins = origins
        self._cache: dict[int, np.ndarray] = {}

    def __call__(self, code: int) -> np.ndarray:
        ids = self._cache.get(code)
        if ids is None:
            ids = self._cache[code] = self._kept(
                search_index.read_postings(self.conn, self.table, code)
            )
        return ids

    def fetch(self, codes: Iterable[int]) -> None:
        """Read every code not cached yet in one statement (a round trip on a server)."""
        missing = [code for code in codes if code not in self._cache]
        if missing:
            found = search_index.read_postings_many(self.conn, self.table, missing)
            self._cache.update((code, self._kept(ids)) for code, ids in found.items())

    def _kept(self, ids: np.ndarray) -> np.ndarray:
        return ids if self.origins is None else self.origins.keep(ids)

    def allows(self, unit_id: int) -> bool:
        """True when the unit may be shown (it has a source of the origins, if any)."""
        return self.origins is None or self.origins.allows(unit_id)


def _query_codes(side: str, query_norm: str) -> list[int]:
    if side == "zh":
        return search_index.query_zh_codes(query_norm)
    return search_index.query_en_codes(query_norm)


def _typo_codes(conn: sqlite3.Connection, word: str) -> list[int]:
    """Indexed words within 1 (≤ 6 letters) or 2 edits of an unknown query word."""
    if len(word) < 4:
        return []
    low, high = search_index.en_prefix_range(word[:_TYPO_PREFIX])
    codes = np.array(
        search_index.en_codes_between(conn, low, high, _TYPO_MAX_WORDS), dtype=np.int64
    )
    if not len(codes):
        return []
    allowed = 1 if len(word) <= 6 else 2
    near = process.extract(
        word[:12],
        search_index.en_code_words(codes),
        scorer=Levenshtein.distance,
        score_cutoff=allowed,
        limit=None,
    )
    return [int(codes[index]) for _, _, index in near]


def fuzzy_candidates(
    conn: sqlite3.Connection, side: str, query_norm: str, read: Postings
) -> list[int]:
    """Unit ids sharing the most (idf-weighted) bigrams / words with the query, best first."""
    return [unit_id for unit_id, _ in candidate_pool(conn, side, query_norm, read)]


def candidate_pool(
    conn: sqlite3.Connection, side: str, query_norm: str, read: Postings
) -> list[tuple[int, float]]:
    """(unit id, share of the query's token weight the unit holds), most shared first.

    The share is what makes a long unit a fragment candidate: it holds most of the query's
    tokens however much else it holds.
    """
    codes = _query_codes(side, query_norm)
    read.fetch(codes)
    # An English word no unit holds stands for the indexed words a typo away from it.
    near: dict[int, list[int]] = {}
    if side == "en":
        near = {
            code: _typo_codes(conn, search_index.en_code_word(code))
            for code in codes
            if not len(read(code))
        }
        read.fetch(code for expanded in near.values() for code in expanded)
    postings: list[np.ndarray] = []
    owners: list[int] = []  # the query token each list stands for (a typo expands to several)
    for position, code in enumerate(codes):
        expanded = [read(other) for other in near[code]] if code in near else [read(code)]
        for ids in expanded:
            if len(ids):
                postings.append(ids)
                owners.append(position)
    if not postings:
        return []
    total = stored_units.highest_id(conn) or 1
    sizes = np.array([len(p) for p in postings], dtype=np.int64)
    # Ubiquitous tokens (中国, "china") barely narrow the search but dominate its cost: leave
    # them out when the query has enough selective ones.
    common = sizes > max(_COMMON_SHARE * total, 1000)
    if (~common).sum() >= _MIN_SELECTIVE:
        postings = [p for p, c in zip(postings, common, strict=True) if not c]
        owners = [o for o, c in zip(owners, common, strict=True) if not c]
        sizes = sizes[~common]
    # Rare tokens identify a segment: weight each by its inverse document frequency.
    weights = np.log1p(total / sizes)
    all_ids = np.concatenate(postings)
    scores = np.bincount(all_ids, weights=np.repeat(weights, sizes))
    # Rank among the ids actually hit (not the whole id range). A unit sharing under
    # _MIN_WEIGHT_SHARE of the query's weight cannot be a useful match; among the rest,
    # find the pool's score floor.
    hit_scores = scores[all_ids]
    useful = hit_scores >= _MIN_WEIGHT_SHARE * weights.sum()
    if useful.sum() >= POOL_SIZE:
        all_ids, hit_scores = all_ids[useful], hit_scores[useful]
    if len(hit_scores) > POOL_SIZE:
        floor = np.partition(hit_scores, len(hit_scores) - POOL_SIZE)[len(hit_scores) - POOL_SIZE]
        all_ids = all_ids[hit_scores >= floor]
    candidates = search_index.sorted_distinct(all_ids)
    order = np.argsort(-scores[candidates], kind="stable")[:POOL_SIZE]
    chosen = candidates[order]
    # The query's weight counts each of its tokens once, by its best-weighted spelling.
    query_weight = np.zeros(len(codes))
    np.maximum.at(query_weight, np.array(owners, dtype=np.int64), weights)
    shares = scores[chosen] / query_weight.sum()
    return list(zip(chosen.tolist(), shares.tolist(), strict=True))


# --- concordance ---------------------------------------------------------------------------


def _prefix_postings(conn: sqlite3.Connection, word: str, read: Postings) -> np.ndarray | None:
    """Units holding a word that starts with `word`; None when the prefix is too broad."""
    low, high = search_index.en_prefix_range(word[:12])
    grams = set(search_index.en_codes_between(conn, low, high, _PREFIX_MAX_GRAMS))
    if len(grams) >= _PREFIX_MAX_GRAMS:
        return None
    read.fetch(grams)
    parts = [read(code) for code in grams]
    if not parts:
        return np.empty(0, np.uint32)
    return search_index.sorted_distinct(np.concatenate(parts))


def _required_postings(
    conn: sqlite3.Connection, side: str, query_norm: str, read: Postings
) -> list[np.ndarray]:
    """Posting lists every unit containing the query must appear in (empty: no usable token)."""
    if side == "zh":
        codes = search_index.query_zh_codes(query_norm)
        read.fetch(codes)
        return [read(code) for code in codes]
    words = en_tokens(query_norm)
    if not words:
        return []
    *leading, last = words
    # Words followed by more text are whole words; the last one may be cut short ("cholester"),
    # so it stands for every indexed word it begins.
    leading_codes = [
        search_index.en_word_code(word) for word in leading if word not in search_index.EN_STOPWORDS
    ]
    read.fetch(leading_codes)
    required = [read(code) for code in leading_codes]
    if last in search_index.EN_STOPWORDS:
        return required
    if len(last) >= 3:
        expanded = _prefix_postings(conn, last, read)
        if expanded is not None:
            # Narrowing by the last word too matters on a cold disk: without it "why should"
            # fetched every recent unit holding "why" to find the twenty that hold the phrase.
            return [*required, expanded]
    if required:
        return required  # a short or very common prefix: the substring check confirms it
    return [read(search_index.en_word_code(last))]


def concordance_rows(
    conn: sqlite3.Connection, side: str, query_norm: str, read: Postings, *, exclude: set[int]
) -> Iterator[sqlite3.Row]:
    """Units whose normalised `side` contains the query, newest first (lazily, for a limit)."""
    column = "zh_norm" if side == "zh" else "en_norm"
    required = _required_postings(conn, side, query_norm, read)
    if not required:
        # Nothing indexable (a single character, only stopwords): scan, newest first.
        for row in stored_units.rows_containing(conn, side, query_norm):
            if read.allows(row["id"]):
                yield row
        return
    required.sort(key=len)
    ids = required[0]
    for other in required[1:]:
        if not len(ids):
            return
        # Both sorted: binary-search the (smaller) survivors in the next list.
        where = np.minimum(np.searchsorted(other, ids), len(other) - 1)
        ids = ids[other[where] == ids] if len(other) else ids[:0]
    candidates = [int(i) for i in ids[::-1] if int(i) not in exclude]
    for row in stored_units.rows_by_ids_newest_first(conn, candidates):
        if query_norm in row[column]:
            yield row

"""Block features for the DP (the a sentences ending before row i), computed a chunk at a time.

Held for a whole document, the block vectors of the four block sizes took about 27 kB per
sentence on each side, and the hubness normaliser's samples 80 kB more: 1 MB of text a side
needed 1.5 GB. Here a side keeps only its sentence features (SparseRows bags and the
embeddings) and the running sums at chunk starts; the block vectors of a chunk of _CHUNK rows
are built when the search reaches it and dropped when it has moved on (a few chunks are
cached), so the blocks are a fixed working set whatever the length of the document. Every
value is computed exactly as when the whole document was held: the running sums continue from
the stored ones in the same order, and unit vectors and unions are per row.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING

import numpy as np

from zhen.aligner.features import SideFeatures
from zhen.aligner.rows import SparseRows

if TYPE_CHECKING:
    from zhen.aligner.dp import CostModel

MAX_BLOCK = 4
# Rows per chunk of block vectors, and chunks kept: a band row rarely spans more than two.
_CHUNK = 128
_CACHED_CHUNKS = 4
# Own rows whose hubness normaliser is computed at once (each reads 12 far-away rows).
_NORMALISER_ROWS = 64

Matrix = np.ndarray | SparseRows


def _dense(matrix: Matrix, start: int, stop: int) -> np.ndarray:
    if isinstance(matrix, SparseRows):
        return matrix.dense(start, stop)
    return matrix[max(start, 0) : stop]


def _take(matrix: Matrix, rows: np.ndarray) -> np.ndarray:
    if isinstance(matrix, SparseRows):
        return matrix.take(rows)
    taken: np.ndarray = matrix[np.asarray(rows).ravel()]
    return taken


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    unit: np.ndarray = np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)
    return unit


def components(side: SideFeatures, model: CostModel) -> list[tuple[Matrix, float]]:
    """The side's evidence matrices with their share of the similarity."""
    parts: list[tuple[Matrix, float]] = [
        (side.lexical, model.lexical_weight),
        (side.anchors, model.anchor_weight),
    ]
    if side.embeddings is not None:
        parts.append((side.embeddings, model.embedding_weight))
    total = sum(weight for _, weight in parts)
    # Renormalise the weights so that the similarity stays in [-1, 1] without embeddings too.
    return [(matrix, weight / total) for matrix, weight in parts]


class Blocks:
    """For each block size a ≤ MAX_BLOCK: features of the a sentences ending just before row i.

    Rows run 0..n; rows below a are zero. Lengths, paragraph straddles and the normaliser's
    prefix sums are small and held whole; block vectors and glossary-term unions are built per
    chunk of rows on demand.
    """

    def __init__(self, side: SideFeatures, model: CostModel, normaliser: np.ndarray):
        n = len(side)
        self.size = n + 1
        self.components = components(side, model)
        self.terms_source = side.terms
        length_sum = np.concatenate([[0.0], np.cumsum(side.lengths)])
        self.lengths: dict[int, np.ndarray] = {}
        self.straddles: dict[int, np.ndarray] = {}  # block crosses a paragraph break
        for size in range(1, MAX_BLOCK + 1):
            rows = np.arange(size, n + 1)
            block_length = np.zeros(n + 1)
            block_length[rows] = length_sum[rows] - length_sum[rows - size]
            self.lengths[size] = block_length
            crosses = np.zeros(n + 1, dtype=bool)
            if size > 1:
                crosses[rows] = side.paragraphs[rows - 1] != side.paragraphs[rows - size]
            self.straddles[size] = crosses
        # Cumulative sum of per-sentence normalisers (prefix sums).
        self.normaliser = np.concatenate([[0.0], np.cumsum(normaliser)])
        self._starts = [self._first_row(chunk) for chunk in range(self._chunk_count())]
        self._sums = [_running_sums(matrix, self._starts) for matrix, _ in self.components]
        self._cache: OrderedDict[int, _Chunk] = OrderedDict()

    def _chunk_count(self) -> int:
        return (self.size + _CHUNK - 1) // _CHUNK

    @staticmethod
    def _first_row(chunk: int) -> int:
        """First sentence row a chunk's blocks reach back to."""
        return max(chunk * _CHUNK - MAX_BLOCK, 0)

    def _chunk(self, chunk: int) -> _Chunk:
        cached = self._cache.get(chunk)
        if cached is not None:
            self._cache.move_to_end(chunk)
            return cached
        built = self._build(chunk)
        self._cache[chunk] = built
        if len(self._cache) > _CACHED_CHUNKS:
            self._cache.popitem(last=False)
        return built

    def _build(self, chunk: int) -> _Chunk:
        lo = chunk * _CHUNK
        hi = min(lo + _CHUNK, self.size)
        base = self._starts[chunk]
        # cum[r - base] is the sum of sentence rows base..r-1, continued from the stored sum.
        sums = []
        for (matrix, _), stored in zip(self.components, self._sums, strict=True):
            features = _dense(matrix, base, hi - 1).astype(np.float64)
            sums.append(np.cumsum(np.vstack([stored[chunk][None, :], features]), axis=0))
        terms = _dense(self.terms_source, base, hi - 1)
        vectors: dict[int, np.ndarray] = {}
        unions: dict[int, np.ndarray] = {}
        for size in range(1, MAX_BLOCK + 1):
            rows = np.arange(max(lo, size), hi)
            pieces = []
            for cum, (_, weight) in zip(sums, self.components, strict=True):
                block = np.zeros((hi - lo, cum.shape[1]), dtype=np.float32)
                block[rows - lo] = cum[rows - base] - cum[rows - size - base]
                pieces.append(_unit_rows(block) * np.float32(np.sqrt(weight)))
            vectors[size] = np.hstack(pieces)
            union = np.zeros((hi - lo, terms.shape[1]), dtype=np.float32)
            if len(rows) and terms.shape[1]:
                # A term named in any sentence of the block is named in the block, once:
                # summed, a term in both English sentences of a 1-2 bead would count double.
                pooled = terms[rows - size - base].copy()
                for offset in range(1, size):
                    np.maximum(pooled, terms[rows - size + offset - base], out=pooled)
                union[rows - lo] = pooled
            unions[size] = union
        return _Chunk(lo, vectors, unions)

    def vector(self, size: int, row: int) -> np.ndarray:
        """The block vector of the `size` sentences ending before `row`."""
        chunk = self._chunk(row // _CHUNK)
        vector: np.ndarray = chunk.vectors[size][row - chunk.start]
        return vector

    def terms(self, size: int, row: int) -> np.ndarray:
        """The union of the glossary-term rows of the `size` sentences ending before `row`."""
        chunk = self._chunk(row // _CHUNK)
        terms: np.ndarray = chunk.terms[size][row - chunk.start]
        return terms

    def similarity(self, size: int, start: int, stop: int, other: np.ndarray) -> np.ndarray:
        """Block vectors of rows start:stop times `other`, a chunk at a time."""
        return self._product(size, start, stop, other, terms=False)

    def term_overlap(self, size: int, start: int, stop: int, other: np.ndarray) -> np.ndarray:
        """Term unions of rows start:stop times `other` (summed idf of shared terms)."""
        return self._product(size, start, stop, other, terms=True)

    def _product(
        self, size: int, start: int, stop: int, other: np.ndarray, *, terms: bool
    ) -> np.ndarray:
        parts = []
        row = start
        while row < stop:
            chunk = self._chunk(row // _CHUNK)
            end = min(stop, chunk.start + _CHUNK)
            matrix = (chunk.terms if terms else chunk.vectors)[size]
            parts.append(matrix[row - chunk.start : end - chunk.start] @ other)
            row = end
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)


class _Chunk:
    """Block vectors and term unions of rows start..start+_CHUNK-1, per block size."""

    __slots__ = ("start", "terms", "vectors")

    def __init__(self, start: int, vectors: dict[int, np.ndarray], terms: dict[int, np.ndarray]):
        self.start = start
        self.vectors = vectors
        self.terms = terms


def _running_sums(matrix: Matrix, starts: list[int]) -> np.ndarray:
    """Row k: the float64 sum of rows 0..starts[k]-1, added row after row as np.cumsum does."""
    width = matrix.shape[1]
    result = np.zeros((len(starts), width))
    carry = np.zeros(width)
    row = 0
    for k, target in enumerate(starts):
        while row < target:
            stop = min(target, row + _CHUNK)
            piece = _dense(matrix, row, stop).astype(np.float64)
            carry = np.cumsum(np.vstack([carry[None, :], piece]), axis=0)[-1]
            row = stop
        result[k] = carry
    return result


def normalisers(zh: SideFeatures, en: SideFeatures, model: CostModel) -> tuple[np.ndarray, ...]:
    """Mean dissimilarity of each sentence to far-away sentences of the other side (Vecalign's
    hubness correction: a sentence that resembles everything must not win every pairing)."""
    zh_parts, en_parts = components(zh, model), components(en, model)
    result = []
    for own, other in ((zh_parts, en_parts), (en_parts, zh_parts)):
        n, m = len(own[0][0]), len(other[0][0])
        if m == 0 or n == 0:
            result.append(np.ones(n))
            continue
        samples = min(m, 12)
        means = np.empty(n)
        for start in range(0, n, _NORMALISER_ROWS):
            rows = np.arange(start, min(start + _NORMALISER_ROWS, n))
            offsets = (rows[:, None] * m // max(n, 1) + m // 2 + np.arange(samples) * 7) % m
            own_vectors = _stack([(_dense(m, rows[0], rows[-1] + 1), w) for m, w in own])
            other_vectors = _stack([(_take(m, offsets), w) for m, w in other])
            other_vectors = other_vectors.reshape(len(rows), samples, -1)
            sims = np.einsum("nd,nkd->nk", own_vectors, other_vectors)
            means[rows] = sims.mean(axis=1)
        result.append(np.clip(1.0 - means, 0.2, 2.0))
    return tuple(result)


def _stack(parts: list[tuple[np.ndarray, float]]) -> np.ndarray:
    """Rows of every component as weighted unit vectors, side by side."""
    return np.hstack([_unit_rows(rows.astype(np.float32)) * np.sqrt(w) for rows, w in parts])

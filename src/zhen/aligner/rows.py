"""SparseRows: a mostly-zero float32 matrix kept as its non-zero entries, one row at a time."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np

# Rows densified at once when a whole matrix is rebuilt (half resolution): a transient of
# _STEP × dim floats, so memory never holds the dense matrix of a whole document.
_STEP = 1024


class SparseRows:
    """Rows of an (n, dim) float32 matrix stored as (column, value) pairs, CSR style.

    A hashed bag of a sentence's words fills a few dozen of 1,024 columns: stored densely, the
    bags of a long document took most of the aligner's memory. Values are exactly those of the
    dense matrix (zeros dropped), so every sum and dot product over them is unchanged.
    """

    __slots__ = ("dim", "indices", "indptr", "values")

    def __init__(self, dim: int, indptr: np.ndarray, indices: np.ndarray, values: np.ndarray):
        self.dim = dim
        self.indptr = indptr  # int64 (n + 1): row r holds entries indptr[r]:indptr[r + 1]
        self.indices = indices  # int32 column of each entry
        self.values = values  # float32 value of each entry

    def __len__(self) -> int:
        return len(self.indptr) - 1

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, dim), as for the dense matrix."""
        return len(self), self.dim

    @classmethod
    def from_dense_rows(cls, dim: int, rows: Iterable[np.ndarray]) -> SparseRows:
        """Keep the non-zero entries of each dense row (float32 vectors of length dim)."""
        builder = RowBuilder(dim)
        for row in rows:
            builder.add(row)
        return builder.build()

    @classmethod
    def from_dense(cls, matrix: np.ndarray) -> SparseRows:
        """The non-zero entries of a dense (n, dim) matrix, converted _STEP rows at a time."""
        builder = RowBuilder(matrix.shape[1])
        for start in range(0, len(matrix), _STEP):
            builder.add_block(np.asarray(matrix[start : start + _STEP], dtype=np.float32))
        return builder.build()

    def dense(self, start: int, stop: int) -> np.ndarray:
        """Rows start:stop as a dense float32 (stop - start, dim) matrix."""
        start, stop = max(start, 0), min(stop, len(self))
        out = np.zeros((max(stop - start, 0), self.dim), dtype=np.float32)
        if stop <= start:
            return out
        first, last = self.indptr[start], self.indptr[stop]
        counts = np.diff(self.indptr[start : stop + 1])
        rows = np.repeat(np.arange(stop - start), counts)
        out[rows, self.indices[first:last]] = self.values[first:last]
        return out

    def take(self, rows: np.ndarray) -> np.ndarray:
        """The given rows (any order, repeats allowed) as a dense float32 matrix."""
        rows = np.asarray(rows, dtype=np.int64).ravel()
        out = np.zeros((len(rows), self.dim), dtype=np.float32)
        starts, stops = self.indptr[rows], self.indptr[rows + 1]
        counts = stops - starts
        if counts.sum():
            target = np.repeat(np.arange(len(rows)), counts)
            # Entry positions: each row's range starts..stops, laid end to end.
            offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
            source = np.repeat(starts, counts) + offsets
            out[target, self.indices[source]] = self.values[source]
        return out

    def pairs(self, combine: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> SparseRows:
        """Half resolution: rows 2k and 2k+1 combined (a missing last partner counts as zeros)."""
        builder = RowBuilder(self.dim)
        n = len(self)
        for start in range(0, n, 2 * _STEP):
            block = self.dense(start, start + 2 * _STEP)
            if len(block) % 2:
                block = np.vstack([block, np.zeros((1, self.dim), np.float32)])
            builder.add_block(combine(block[0::2], block[1::2]))
        return builder.build()


class RowBuilder:
    """Collects rows' non-zero entries into growing byte buffers (no per-row Python objects)."""

    def __init__(self, dim: int):
        self.dim = dim
        self.counts: list[int] = []
        self.indices = bytearray()
        self.values = bytearray()

    def add(self, row: np.ndarray) -> None:
        columns = np.flatnonzero(row)
        self.counts.append(len(columns))
        self.indices += columns.astype(np.int32).tobytes()
        self.values += row[columns].astype(np.float32).tobytes()

    def add_entries(self, columns: Sequence[int], values: Sequence[float]) -> None:
        """One row given as its (increasing) columns and their values."""
        self.counts.append(len(columns))
        self.indices += np.asarray(columns, dtype=np.int32).tobytes()
        self.values += np.asarray(values, dtype=np.float32).tobytes()

    def add_block(self, block: np.ndarray) -> None:
        rows, columns = np.nonzero(block)
        self.counts.extend(np.bincount(rows, minlength=len(block)).tolist())
        self.indices += columns.astype(np.int32).tobytes()
        self.values += block[rows, columns].astype(np.float32).tobytes()

    def build(self) -> SparseRows:
        indptr = np.zeros(len(self.counts) + 1, dtype=np.int64)
        np.cumsum(self.counts, out=indptr[1:])
        return SparseRows(
            self.dim,
            indptr,
            np.frombuffer(self.indices, dtype=np.int32).copy(),
            np.frombuffer(self.values, dtype=np.float32).copy(),
        )

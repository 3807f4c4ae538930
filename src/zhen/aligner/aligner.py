"""align_sentences: evidence per sentence, the banded DP, and a confidence score for each bead."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from threadpoolctl import threadpool_limits

from zhen.aligner.dp import BEAD_TYPES, CostModel, align_path
from zhen.aligner.embedding import embeddings_available
from zhen.aligner.features import build_features
from zhen.aligner.links import Bead
from zhen.errors import AlignmentError
from zhen.models import Term

EMBEDDING_MODEL = CostModel()
# Share of a progress bar given to embedding the sentences when embeddings are on: the encoder
# takes most of the time (the search is linear and fast).
_EMBEDDING_SHARE = 0.7
# Dictionary bags grow noisier as blocks grow, so a merged block's similarity is inflated more
# than with embeddings: without embeddings, beads of several sentences must pay more.
# Dictionary similarities also run about half as high, so the glossary bonus doubles.
LEXICAL_MODEL = CostModel(merge_cost=0.25, many_to_many_cost=0.5, term_bonus=0.2)
# Most sentences on one side of one alignment. The search keeps about 5 kB per sentence (the
# embeddings at every resolution, the bags, the band, the beads), so the largest alignment
# peaks near 1.2 GB; a 10 MB news text has about 65,000 sentences a side. Beyond that an input
# is either several documents or hostile (10 MB of "好。" is 1.7 million sentences).
MAX_SENTENCES = 100_000


def align_sentences(
    zh: Sequence[str],
    en: Sequence[str],
    *,
    zh_paragraph_ids: Sequence[int] | None = None,
    en_paragraph_ids: Sequence[int] | None = None,
    terms: Sequence[Term] = (),
    progress: Callable[[int, int], None] | None = None,
    embeddings: bool | None = None,
    model: CostModel | None = None,
) -> list[Bead]:
    """Align zh and en sentences into beads covering every sentence once, in order.

    Evidence: sentence embeddings (USE multilingual, when installed and `embeddings` is not
    False), CC-CEDICT translation overlap, shared numbers/dates/Latin tokens, the glossary
    `terms`, Gale-Church length agreement and paragraph breaks (soft: beads rarely straddle one).
    `progress(done, total)`: total is len(zh); done grows from 0 to len(zh) over the embedding
    (the first 70% when embeddings are on) and the search (the rest). `model` overrides
    the cost weights (default: EMBEDDING_MODEL or LEXICAL_MODEL). Deterministic.
    Refused (AlignmentError) when a side has more than MAX_SENTENCES sentences.
    """
    for side, sentences in (("zh", zh), ("en", en)):
        if any(not isinstance(s, str) for s in sentences):
            raise AlignmentError(f"{side} sentences must be strings")
        if len(sentences) > MAX_SENTENCES:
            raise AlignmentError(
                f"the {side} text has {len(sentences):,} sentences, more than the "
                f"{MAX_SENTENCES:,} zhen aligns at once; split the texts into parts"
            )
    if not zh or not en:
        beads = [Bead((i,), (), 0.0) for i in range(len(zh))]
        return beads + [Bead((), (j,), 0.0) for j in range(len(en))]
    use_embeddings = embeddings_available() if embeddings is None else embeddings
    if model is None:
        model = EMBEDDING_MODEL if use_embeddings else LEXICAL_MODEL
    share = _EMBEDDING_SHARE if use_embeddings else 0.0
    embedding_progress = _phase(progress, len(zh), 0.0, share)
    search_progress = _phase(progress, len(zh), share, 1.0 - share)
    # One BLAS thread: the matrices are small, and on a busy machine OpenBLAS threads spinning
    # for a core made the encoder over ten times slower.
    with threadpool_limits(limits=1, user_api="blas"):
        zh_features, en_features = build_features(
            zh,
            en,
            zh_paragraph_ids=zh_paragraph_ids,
            en_paragraph_ids=en_paragraph_ids,
            terms=terms,
            use_embeddings=use_embeddings,
            progress=embedding_progress,
        )
        path = align_path(zh_features, en_features, model, search_progress)
    if progress is not None:
        progress(len(zh), len(zh))
    beads = []
    for (i, j, index), similarity, length_cost, term_match in zip(
        path.steps, path.similarity, path.length_cost, path.term_match, strict=True
    ):
        a, b = BEAD_TYPES[index]
        # The glossary vouches for a pair the same way in the score as in the search.
        similarity += model.term_bonus * term_match
        score = _confidence(similarity, length_cost, a, b, use_embeddings)
        beads.append(Bead(tuple(range(i - a, i)), tuple(range(j - b, j)), score))
    return beads


def _phase(
    progress: Callable[[int, int], None] | None, n: int, start: float, width: float
) -> Callable[[int, int], None] | None:
    """A phase's own (done, total) reported as (n · (start + width · done/total), n)."""
    if progress is None:
        return None
    return lambda done, total: progress(int(n * (start + width * done / max(total, 1))), n)


def _confidence(similarity: float, length_cost: float, a: int, b: int, embedded: bool) -> float:
    """Map the bead's evidence to [0, 1]: a logistic of the similarity, damped by length misfit.

    1-0 and 0-1 beads get 0: they are not translation pairs and must never pass a score filter.
    The midpoints were set on held-out WMT22 lines: with embeddings a correct pair sits around
    similarity 0.45, a wrong one below 0.2; dictionary evidence alone runs about half as high.
    """
    if not a or not b:
        return 0.0
    midpoint, steepness = (0.28, 14.0) if embedded else (0.15, 20.0)
    score = 1.0 / (1.0 + math.exp(-steepness * (similarity - midpoint)))
    score *= math.exp(-length_cost / 6.0)
    return round(min(max(score, 0.0), 1.0), 4)

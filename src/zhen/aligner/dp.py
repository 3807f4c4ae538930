"""Bead costs and the banded, multi-resolution dynamic programme that picks the cheapest path."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from zhen.aligner.blocks import MAX_BLOCK, Blocks, normalisers
from zhen.aligner.features import SideFeatures
from zhen.errors import AlignmentError

# (zh sentences, en sentences) per bead. Order matters only to break exact ties deterministically.
BEAD_TYPES: tuple[tuple[int, int], ...] = (
    (1, 1), (1, 2), (2, 1), (1, 3), (3, 1), (2, 2),
    (1, 4), (4, 1), (2, 3), (3, 2), (1, 0), (0, 1),
)  # fmt: skip
_COARSE_BEADS = ((1, 1), (1, 2), (2, 1), (1, 0), (0, 1))
# Above this many DP cells the search runs in a band around the path found at half resolution.
_FULL_SEARCH_CELLS = 60_000
_BAND_RADIUS = 10


@dataclass(frozen=True, slots=True)
class CostModel:
    """Weights of the evidence; every content bead costs (1 - similarity) / normaliser + extras."""

    embedding_weight: float = 0.70
    lexical_weight: float = 0.20
    anchor_weight: float = 0.10
    length_weight: float = 0.03
    length_variance: float = 6.0
    # A 1-0 or 0-1 bead costs this many times the median cost of each zh sentence's best 1-1
    # pairing, so the threshold follows the document: literary translations pair loosely, news
    # closely, and a fixed cost would either drop real pairs or glue omissions into 1-2 beads.
    skip_factor: float = 1.1
    skip_bounds: tuple[float, float] = (0.35, 1.2)
    merge_cost: float = 0.12  # per extra sentence in a bead, so 1-1 wins a tie
    # Both sides plural (2-2, 2-3): such a bead can nearly always be split into smaller true beads,
    # and a merged block's similarity is inflated by its extra words, so it pays extra.
    many_to_many_cost: float = 0.15
    paragraph_cost: float = 0.35  # a bead whose block straddles a paragraph break on one side
    # Glossary terms named in the zh block and rendered in the en block add up to this much to
    # the bead's similarity. Pure bonus, counted over the union of the block's sentences and
    # left out of the skip price: see _term_match.
    term_bonus: float = 0.1
    term_scale: float = 2.0  # idf sum at which the bonus reaches 1 - 1/e of term_bonus


def _term_match(matched: np.ndarray, scale: float) -> np.ndarray:
    """Glossary evidence of beads in [0, 1) from M, the summed idf of the terms named in the
    zh block and rendered in the en block (Blocks.term_overlap): 1 - exp(-M / scale).

    It can only grow when a sentence joins either block, so a merge is never worth less than
    any bead inside it; and as the skip price ignores it, the glossary can make a correct 1-2
    bead only cheaper than the 1-1 + 0-1 it would otherwise split into.
    """
    return 1.0 - np.exp(-matched / scale)


def _length_cost(
    zh_len: np.ndarray, en_len: float | np.ndarray, ratio: float, variance: float
) -> np.ndarray:
    """Gale-Church: the English length expected from the Chinese, squared z-score over two."""
    expected = ratio * zh_len
    delta = (en_len - expected) / np.sqrt(variance * (expected + en_len) / 2 + 1.0)
    return np.minimum(delta * delta / 2, 12.0)


@dataclass(slots=True)
class Path:
    """The chosen beads as (zh end row, en end row, bead type index), and each bead's similarity."""

    steps: list[tuple[int, int, int]]
    similarity: list[float]
    length_cost: list[float]
    term_match: list[float]  # _term_match of each bead (0 for 1-0 and 0-1)


def _dp(
    zh: SideFeatures,
    en: SideFeatures,
    model: CostModel,
    band_lo: np.ndarray,
    band_hi: np.ndarray,
    bead_types: tuple[tuple[int, int], ...],
    progress: Callable[[int, int], None] | None,
) -> Path:
    n, m = len(zh), len(en)
    zh_norm, en_norm = normalisers(zh, en, model)
    zh_blocks = Blocks(zh, model, zh_norm)
    en_blocks = Blocks(en, model, en_norm)
    ratio = float(en.lengths.sum() / max(zh.lengths.sum(), 1.0))
    skip_cost = _skip_cost(zh_blocks, en_blocks, model, ratio, band_lo, band_hi)
    # Back pointers of every band cell in one int8 array (row i's cells from offsets[i]); of
    # the costs only the last MAX_BLOCK rows are needed, as no bead spans more rows.
    offsets = np.concatenate([[0], np.cumsum(band_hi - band_lo + 1)])
    back_pointers = np.full(int(offsets[-1]), -1, dtype=np.int8)
    recent: dict[int, np.ndarray] = {}
    for i in range(n + 1):
        lo, hi = int(band_lo[i]), int(band_hi[i])
        cols = np.arange(lo, hi + 1)
        best = np.full(len(cols), np.inf)
        back = back_pointers[offsets[i] : offsets[i + 1]]
        if i == 0 and lo == 0:
            best[0] = 0.0
        for index, (a, b) in enumerate(bead_types):
            if a == 0 or i < a:
                continue
            prev_lo, prev_hi = int(band_lo[i - a]), int(band_hi[i - a])
            src = cols - b
            ok = (src >= prev_lo) & (src <= prev_hi)
            if not ok.any():
                continue
            targets = cols[ok]
            previous = recent[i - a][src[ok] - prev_lo]
            if b == 0:
                step = np.full(len(targets), skip_cost)
            else:
                step = _bead_costs(i, targets, a, b, zh_blocks, en_blocks, model, ratio)
            candidate = previous + step
            slots = np.nonzero(ok)[0]
            better = candidate < best[slots]
            best[slots[better]] = candidate[better]
            back[slots[better]] = index
        if (0, 1) in bead_types:
            skip_index = bead_types.index((0, 1))
            for k in range(1, len(cols)):  # 0-1 beads chain along the row: a short scan
                candidate = best[k - 1] + skip_cost
                if candidate < best[k]:
                    best[k] = candidate
                    back[k] = skip_index
        recent[i] = best
        recent.pop(i - MAX_BLOCK, None)
        if progress is not None and i % 64 == 0:
            progress(i, n)
    steps: list[tuple[int, int, int]] = []
    i, j = n, m
    while i > 0 or j > 0:
        index = int(back_pointers[offsets[i] + j - int(band_lo[i])])
        if index < 0:
            raise AlignmentError(f"internal error: no alignment path through row {i}")
        steps.append((i, j, index))
        a, b = bead_types[index]
        i, j = i - a, j - b
    steps.reverse()
    similarity, length_costs, term_match = [], [], []
    for i, j, index in steps:
        a, b = bead_types[index]
        if a and b:
            similarity.append(float(zh_blocks.vector(a, i) @ en_blocks.vector(b, j)))
            matched = en_blocks.terms(b, j) @ zh_blocks.terms(a, i)
            term_match.append(float(_term_match(matched, model.term_scale)))
            length_costs.append(
                float(
                    _length_cost(
                        zh_blocks.lengths[a][i],
                        en_blocks.lengths[b][j],
                        ratio,
                        model.length_variance,
                    )
                )
            )
        else:
            similarity.append(0.0)
            length_costs.append(0.0)
            term_match.append(0.0)
    return Path(steps, similarity, length_costs, term_match)


def _skip_cost(
    zh_blocks: Blocks,
    en_blocks: Blocks,
    model: CostModel,
    ratio: float,
    band_lo: np.ndarray,
    band_hi: np.ndarray,
) -> float:
    """The document's price for leaving a sentence unaligned (see CostModel.skip_factor)."""
    best = []
    for i in range(1, len(band_lo)):
        cols = np.arange(max(int(band_lo[i]), 1), int(band_hi[i]) + 1)
        if len(cols):
            costs = _bead_costs(i, cols, 1, 1, zh_blocks, en_blocks, model, ratio, glossary=False)
            best.append(float(costs.min()))
    low, high = model.skip_bounds
    if not best:
        return high
    return float(np.clip(model.skip_factor * np.median(best), low, high))


def _bead_costs(
    i: int,
    cols: np.ndarray,
    a: int,
    b: int,
    zh_blocks: Blocks,
    en_blocks: Blocks,
    model: CostModel,
    ratio: float,
    *,
    glossary: bool = True,
) -> np.ndarray:
    """Cost of the beads zh[i-a:i] ↔ en[j-b:j] for every j in cols (consecutive, all j ≥ b);
    `glossary` False leaves out the term bonus (for the skip price, which must not follow the
    glossary)."""
    cost = np.full(len(cols), np.inf)
    usable = cols >= b
    j = cols[usable]
    if not len(j):
        return cost
    first, stop = int(j[0]), int(j[-1]) + 1
    similarity = en_blocks.similarity(b, first, stop, zh_blocks.vector(a, i))
    normaliser = (
        (zh_blocks.normaliser[i] - zh_blocks.normaliser[i - a]) / a
        + (en_blocks.normaliser[j] - en_blocks.normaliser[j - b]) / b
    ) / 2
    content = (a + b) / 2 * (1.0 - similarity) / normaliser
    if glossary and model.term_bonus:
        # Once per bead, not scaled by (a + b) / 2 nor divided by the normaliser like the
        # content: a sentence naming no term must not earn a bigger bonus by joining a bead
        # that does, and the bonus of a merge must never fall below that of a bead inside it.
        matched = en_blocks.term_overlap(b, first, stop, zh_blocks.terms(a, i))
        content = content - model.term_bonus * _term_match(matched, model.term_scale)
    length = (
        model.length_weight
        * (a + b)
        / 2
        * _length_cost(
            zh_blocks.lengths[a][i], en_blocks.lengths[b][j], ratio, model.length_variance
        )
    )
    straddle = (zh_blocks.straddles[a][i] + en_blocks.straddles[b][j]) * model.paragraph_cost
    prior = model.merge_cost * (a + b - 2) + (model.many_to_many_cost if a > 1 and b > 1 else 0.0)
    cost[usable] = content + length + straddle + prior
    return cost


def _downsample(side: SideFeatures) -> SideFeatures:
    """Half resolution: each pair of neighbouring sentences becomes one unit (features summed)."""
    n = len(side)
    pad = n % 2

    def pairs(matrix: np.ndarray) -> np.ndarray:
        if pad:
            matrix = np.concatenate([matrix, np.zeros((1, *matrix.shape[1:]), matrix.dtype)])
        summed: np.ndarray = matrix[0::2] + matrix[1::2]
        return summed

    embeddings = None if side.embeddings is None else pairs(side.embeddings)
    return SideFeatures(
        lengths=pairs(side.lengths),
        lexical=side.lexical.pairs(np.add),
        anchors=side.anchors.pairs(np.add),
        embeddings=embeddings,
        paragraphs=side.paragraphs[0::2].copy(),
        terms=side.terms.pairs(np.maximum),
    )


def _band_from_coarse(path: Path, n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Fine-resolution column band around a half-resolution path, widened by _BAND_RADIUS."""
    row_min = np.full(n + 1, m, dtype=np.int64)
    row_max = np.zeros(n + 1, dtype=np.int64)
    i0 = j0 = 0
    for i1, j1, _ in path.steps:
        r0, r1 = min(2 * i0, n), min(2 * i1, n)
        c0, c1 = min(2 * j0, m), min(2 * j1, m)
        row_min[r0 : r1 + 1] = np.minimum(row_min[r0 : r1 + 1], c0)
        row_max[r0 : r1 + 1] = np.maximum(row_max[r0 : r1 + 1], c1)
        i0, j0 = i1, j1
    radius = _BAND_RADIUS
    lo = np.array([row_min[max(0, i - radius) : i + radius + 1].min() for i in range(n + 1)])
    hi = np.array([row_max[max(0, i - radius) : i + radius + 1].max() for i in range(n + 1)])
    lo = np.clip(lo - radius, 0, m)
    hi = np.clip(hi + radius, 0, m)
    lo = np.minimum.accumulate(lo[::-1])[::-1]  # never moving left as rows go down
    hi = np.maximum.accumulate(hi)
    lo[0], hi[n] = 0, m
    # Consecutive rows must overlap so that 1-0 and 0-1 beads alone can always reach (n, m).
    lo[1:] = np.minimum(lo[1:], hi[:-1])
    return lo, hi


def align_path(
    zh: SideFeatures,
    en: SideFeatures,
    model: CostModel,
    progress: Callable[[int, int], None] | None = None,
    *,
    coarse: bool = False,
) -> Path:
    """Cheapest bead path: a full search when small, else a band around the half-size path."""
    n, m = len(zh), len(en)
    bead_types = _COARSE_BEADS if coarse else BEAD_TYPES
    if (n + 1) * (m + 1) <= _FULL_SEARCH_CELLS or min(n, m) < 8:
        lo = np.zeros(n + 1, dtype=np.int64)
        hi = np.full(n + 1, m, dtype=np.int64)
    else:
        coarse_path = align_path(_downsample(zh), _downsample(en), model, coarse=True)
        lo, hi = _band_from_coarse(coarse_path, n, m)
    path = _dp(zh, en, model, lo, hi, bead_types, progress)
    path.steps = [(i, j, BEAD_TYPES.index(bead_types[t])) for i, j, t in path.steps]
    return path

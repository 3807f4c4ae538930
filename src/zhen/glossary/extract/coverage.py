"""How well an English window covers a Chinese span of one pair: the plain definition
(_coverage) and the fast path that works out what a span's windows share once (WindowCover)."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import accumulate

from zhen.glossary.extract.evidence import is_content
from zhen.glossary.extract.tokens import EnToken

_FREE_CREDIT = 0.5  # weight of a free English word that fills an unexplained Chinese gap


@dataclass(slots=True)
class SpanView:
    """The English sentence seen from one Chinese span."""

    inside: list[float]  # per English word: its best evidence weight from a word in the span
    outside: list[float]  # … from a word outside the span
    taken: set[int]  # English words linked to a Chinese word outside the span
    own: set[int]  # English words linked to a Chinese word inside the span

    def anchored(self, j: int) -> bool:
        """The span explains word j at least as well as the rest of the sentence does."""
        return self.inside[j] > 0 and self.inside[j] >= self.outside[j]

    def free(self, j: int) -> bool:
        """Word j is explained by nothing: no evidence from the span, no link elsewhere."""
        return self.inside[j] == 0 and j not in self.taken


def _coverage(
    en: tuple[EnToken, ...],
    view: SpanView,
    parts: list[tuple[int, set[int]]],
    anchors: set[int],
    low: int,
    high: int,
) -> tuple[float, int, float]:
    """(quality, translated English words, Chinese cover) of the window en[low..high].

    Unlinked English content words in the window are "unaligned": next to Chinese parts nothing
    else explains, they are the likeliest rendering of them (交流互鉴 → "exchanges and mutual
    learning", 鉴 missing from the dictionary), so they get half credit on both sides, as many
    as there are unexplained Chinese parts. The definition: WindowCover computes it faster.
    """
    content = [j for j in range(low, high + 1) if is_content(en[j])]
    good = sum(1 for j in content if j in anchors)
    # Adjacent free English words form one run ("shared future" of "with a shared future"):
    # a run renders one gap.
    runs: list[int] = []
    previous_free = False
    for j in content:
        if view.free(j) and not previous_free:
            runs.append(0)
        if view.free(j):
            runs[-1] += 1
        previous_free = view.free(j)
    total = sum(length for length, _ in parts) or 1
    covered = [any(low <= j <= high for j in hits & anchors) for _, hits in parts]
    # Adjacent unexplained parts form one gap (营|商 of 营商 → "business"): a free English word
    # may fill one gap, whatever its length.
    gaps: list[int] = []
    previous_hit = True
    for (size, _), hit in zip(parts, covered, strict=True):
        if not hit:
            if previous_hit:
                gaps.append(0)
            gaps[-1] += size
        previous_hit = hit
    covered_size = sum(size for (size, _), hit in zip(parts, covered, strict=True) if hit)
    return _combined(good, len(content), runs, covered_size, gaps, total)


def _combined(
    good: int, content: int, runs: list[int], covered_size: int, gaps: list[int], total: int
) -> tuple[float, int, float]:
    """(coverage, explained English words, Chinese coverage) from a window's counts: each gap
    of unexplained Chinese may be filled by one run of free English words, longest first."""
    credited = min(len(runs), len(gaps))
    filled = sum(sorted(runs, reverse=True)[:credited])
    en_cover = (good + _FREE_CREDIT * filled) / content
    zh_cover = (covered_size + 0.5 * sum(sorted(gaps, reverse=True)[:credited])) / total
    return (en_cover * zh_cover) ** 0.5, good, zh_cover


# The last sentence's content-word flags: every span of a pair asks for them again.
_LAST_FLAGS: list[tuple[tuple[EnToken, ...], list[bool]]] = []


def content_flags(en: tuple[EnToken, ...]) -> list[bool]:
    """is_content of each word of `en` (kept for the same tuple of words)."""
    if not _LAST_FLAGS or _LAST_FLAGS[0][0] is not en:
        _LAST_FLAGS[:] = [(en, [is_content(token) for token in en])]
    return _LAST_FLAGS[0][1]


def anchored_words(view: SpanView) -> list[int]:
    """The words j with view.anchored(j), in order."""
    return [
        j
        for j, (inside, outside) in enumerate(zip(view.inside, view.outside, strict=True))
        if inside > 0 and inside >= outside
    ]


# The last span's WindowCover: window_qualities asks again for the span best_window saw.
_LAST_COVER: list[
    tuple[tuple[EnToken, ...], SpanView, list[tuple[int, set[int]]], WindowCover]
] = []


def cover_of(
    en: tuple[EnToken, ...],
    view: SpanView,
    parts: list[tuple[int, set[int]]],
    anchors: list[int] | None = None,
) -> WindowCover:
    """WindowCover of the view's anchored words (`anchors` when the caller has them already),
    kept for the same objects: the anchors are the view's, so they are the same too."""
    if _LAST_COVER:
        last_en, last_view, last_parts, cover = _LAST_COVER[0]
        if last_en is en and last_view is view and last_parts is parts:
            return cover
    anchored = set(anchored_words(view) if anchors is None else anchors)
    cover = WindowCover(en, view, parts, anchored)
    _LAST_COVER[:] = [(en, view, parts, cover)]
    return cover


class WindowCover:
    """_coverage of many windows of one span, from what they share worked out once (which words
    are content words, free, anchored; each part's anchored hits): the same figures, computed
    the same way, without re-deriving them per window (tests/test_glossary_extract_fastpaths.py)."""

    __slots__ = ("_anchor", "_content", "_free", "_own", "_part_hits", "_sizes", "_total")

    def __init__(
        self,
        en: tuple[EnToken, ...],
        view: SpanView,
        parts: list[tuple[int, set[int]]],
        anchors: set[int],
    ) -> None:
        self._content = content_flags(en)
        taken, own = view.taken, view.own
        self._free = [weight == 0 and j not in taken for j, weight in enumerate(view.inside)]
        self._anchor = [False] * len(en)
        for j in anchors:
            self._anchor[j] = True
        # Words linked to the span, counted up to each position: a window's count is a difference.
        self._own = [0, *accumulate(j in own for j in range(len(en)))]
        self._sizes = [size for size, _ in parts]
        self._part_hits = [sorted(hits & anchors) for _, hits in parts]
        self._total = sum(self._sizes) or 1

    def own(self, low: int, high: int) -> int:
        """English words of en[low..high] linked to the span (view.own)."""
        return self._own[high + 1] - self._own[low]

    def __call__(self, low: int, high: int) -> tuple[float, int, float]:
        """_coverage(en, view, parts, anchors, low, high)."""
        return next(self.along(low, (high,)))

    def along(self, low: int, highs: Iterable[int]) -> Iterator[tuple[float, int, float]]:
        """__call__(low, high) for each of `highs`, rising: each window's counts are grown from
        the last one's instead of counted afresh."""
        content_flags, free_flags, anchor_flags = self._content, self._free, self._anchor
        sizes, total = self._sizes, self._total
        # Each part is covered from the first of its anchored hits at or after `low` on.
        reached = []
        for hits in self._part_hits:
            at = bisect_left(hits, low)
            reached.append(hits[at] if at < len(hits) else len(content_flags))
        content = good = 0
        runs: list[int] = []
        previous_free = False
        position = low
        for high in highs:
            for j in range(position, high + 1):
                if not content_flags[j]:
                    continue
                content += 1
                good += anchor_flags[j]
                is_free = free_flags[j]
                if is_free:
                    if previous_free:
                        runs[-1] += 1
                    else:
                        runs.append(1)
                previous_free = is_free
            position = high + 1
            covered_size = 0
            gaps: list[int] = []
            previous_hit = True
            for size, first_hit in zip(sizes, reached, strict=True):
                hit = first_hit <= high
                if hit:
                    covered_size += size
                else:
                    if previous_hit:
                        gaps.append(0)
                    gaps[-1] += size
                previous_hit = hit
            yield _combined(good, content, runs, covered_size, gaps, total)

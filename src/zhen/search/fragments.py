"""Fragment matches: the part of a longer unit best aligned with the query, scored as a match %."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from rapidfuzz import fuzz

from zhen.search.results import Fragment, Side, Span
from zhen.search.scoring import display_fold, en_tokens, fix_typos, match_percent
from zhen.text.normalize import normalize_en, normalize_zh
from zhen.text.tokens import words

# Shorter queries are terms or phrases: the units holding them are concordance lines.
MIN_ZH_CHARS = 8
MIN_EN_WORDS = 5
# Longer ones are paragraphs, aligned only as wholes (the alignment costs query × unit length).
MAX_TOKENS = 400
# A unit is a fragment candidate when it holds this share of the query's (idf-weighted) tokens,
# and is this many times longer: a unit only a little longer (a final 。, a short tail) is
# described well by its whole-segment match %.
MIN_SHARE = 0.5
MIN_LENGTH_RATIO = 1.5


def longer(unit_norm: str, query_norm: str) -> bool:
    """Whether a unit is long enough for the query to be a part of it."""
    return len(unit_norm) >= MIN_LENGTH_RATIO * len(query_norm)


def eligible(query_norm: str, side: Side) -> bool:
    """Whether a query is long enough, and not too long, to be looked for inside units."""
    if side == Side.ZH:
        size = sum(1 for ch in query_norm if ch.isalnum())
        return MIN_ZH_CHARS <= size <= MAX_TOKENS
    return MIN_EN_WORDS <= len(en_tokens(query_norm)) <= MAX_TOKENS


# A quick 0–100 score of the query's best window in a unit, to pick the units to align (rapidfuzz
# runs it over a batch in C++).
window_score = fuzz.partial_ratio


def best_fragment(query: str, text: str, side: Side) -> Fragment | None:
    """The span of `text` (original offsets) best aligned with the whole query, and the match %
    of the query against that span; None when the span would be the whole text (a whole match)
    or holds nothing of the query."""
    if side == Side.ZH:
        query_fold, text_fold = display_fold(query, side).strip(), display_fold(text, side)
        found = _semi_global([ord(ch) for ch in query_fold], [ord(ch) for ch in text_fold])
        if found is None:
            return None
        start, end = found
        span_norm = normalize_zh(text[start:end])
        query_norm = normalize_zh(query)
    else:
        unit_words = words(display_fold(text, side))
        unit_tokens = [word.text for word in unit_words]
        query_tokens, _ = fix_typos(en_tokens(display_fold(query, side)), unit_tokens)
        codes: dict[str, int] = {}
        found = _semi_global(
            [codes.setdefault(t, len(codes)) for t in query_tokens],
            [codes.setdefault(t, len(codes)) for t in unit_tokens],
        )
        if found is None:
            return None
        start, end = unit_words[found[0]].start, unit_words[found[1] - 1].end
        span_norm = normalize_en(text[start:end])
        query_norm = normalize_en(query)
    if (start, end) == (0, len(text)):
        return None
    return Fragment(float(match_percent(query_norm, span_norm, side)), (start, end), side)


def _semi_global(query: Sequence[int], text: Sequence[int]) -> Span | None:
    """Where in `text` the whole `query` aligns with the fewest edits (Sellers' algorithm: the
    text's ends are free), as [start, end) item offsets; None when nothing matches.

    One numpy pass per query item. Each cell holds the edit count and the start of its path in
    one integer, count × width + (n − start), so a single minimum picks the fewest edits and,
    among equals, the latest start: the tightest span.
    """
    n = len(text)
    if not query or n <= len(query):
        return None
    width = n + 1
    items = np.asarray(text, dtype=np.int64)
    columns = np.arange(width, dtype=np.int64) * width
    keys = n - np.arange(width, dtype=np.int64)  # row 0: no edits yet, a path may start anywhere
    for item in query:
        up = keys + width  # this query item left out
        diagonal = keys[:-1] + (items != item) * width  # matched or substituted
        best = up
        best[1:] = np.minimum(up[1:], diagonal)
        # A text item skipped inside the span costs one edit: a running minimum along the row.
        keys = columns + np.minimum.accumulate(best - columns)
    edits, offsets = np.divmod(keys, width)
    fewest = int(edits.min())
    if fewest >= len(query):
        return None
    # Among the spans with the fewest edits, the longest (it matches the most): "abc" in "xabyc"
    # is "abyc" (one insertion), not "ab" (one deletion), which the match % rates lower.
    ends = np.flatnonzero(edits == fewest)
    starts = n - offsets[ends]
    longest = int(np.argmax(ends - starts))
    start, end = int(starts[longest]), int(ends[longest])
    return (start, end) if end > start else None

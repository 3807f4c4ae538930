"""Phrase-level evidence from the aligner's multilingual sentence embeddings (USE v3)."""

from __future__ import annotations

from collections.abc import Sequence

from zhen.glossary.extract.nonterms import is_dateline
from zhen.glossary.extract.phrases import EN_SPAN_BREAKS, PairAlignment
from zhen.glossary.extract.shape import en_clause, en_ragged
from zhen.glossary.extract.tokens import ZH_EDGE_STOPWORDS, ZH_END_STOPWORDS, ZhToken

# An idiom's free rendering is proposed only when its embedding is at least this close to the
# Chinese: below it the nearest window is as often an unrelated phrase of the sentence.
MIN_FREE_SIMILARITY = 0.5
_MAX_FREE_WORDS = 6


def set_phrases(alignment: PairAlignment, explained: set[str]) -> list[tuple[int, int]]:
    """(first, end) Chinese token ranges of set phrases and domain compounds that no dictionary
    window explains (`explained`: the pair's Chinese spans with a well-covered rendering): words
    jieba tags as idioms (继往开来, 同舟共济), two-word four-character compounds (阵营|对抗,
    互联|互通) and noun compounds (see noun_compounds); no numbers, no datelines."""
    zh = alignment.zh
    ranges = []
    for first, token in enumerate(zh):
        if token.is_punct or token.is_name or token.text in ZH_EDGE_STOPWORDS:
            continue
        if len(token.text) >= 4 and token.flag[:1] in ("i", "l"):
            ranges.append((first, first + 1))
        elif len(token.text) == 2 and first + 1 < len(zh):
            after = zh[first + 1]
            if (
                len(after.text) == 2
                and not after.is_punct
                and not after.is_name
                and after.text not in ZH_END_STOPWORDS
            ):
                ranges.append((first, first + 2))
    ranges += noun_compounds(alignment)
    return [
        (first, end)
        for first, end in dict.fromkeys(ranges)
        if "".join(t.text for t in zh[first:end]) not in explained
        and not any(_numeral(t) for t in zh[first:end])
        and not is_dateline(zh[first:end])
    ]


def _numeral(token: ZhToken) -> bool:
    return token.flag == "m" or token.text[:1].isdigit()


_NOUN_FLAGS = ("n", "vn", "l", "j")


def noun_compounds(alignment: PairAlignment) -> list[tuple[int, int]]:
    """(first, end) token ranges of one to three words ending in a noun, three to eight
    characters long: the shape of a domain term the dictionary may not know (人畜共患病,
    全球大流行病)."""
    zh = alignment.zh
    ranges = []
    for first, token in enumerate(zh):
        if token.is_punct or token.is_name or token.text in ZH_EDGE_STOPWORDS or _numeral(token):
            continue
        chars = 0
        for end in range(first + 1, min(first + 4, len(zh) + 1)):
            last = zh[end - 1]
            if last.is_punct or last.is_name or _numeral(last):
                break
            chars += len(last.text)
            if chars > 8:
                break
            if (
                chars >= 3
                and last.text not in ZH_END_STOPWORDS
                and last.flag.startswith(_NOUN_FLAGS)
            ):
                ranges.append((first, end))
    return ranges


def free_windows(alignment: PairAlignment, first: int, end: int) -> list[str]:
    """English windows that may render Chinese tokens zh[first:end] freely: up to six words,
    none linked to a Chinese word outside them, no clause punctuation, no function word or verb
    at an edge."""
    en, text = alignment.en, alignment.en_text

    def joined(left: int, right: int) -> bool:
        return left >= 0 and right < len(en) and text[en[left].end : en[right].start] == "-"

    windows = []
    for low in range(len(en)):
        if joined(low - 1, low):
            continue  # a window never opens inside a hyphenated word ("-neighborliness")
        for high in range(low, min(low + _MAX_FREE_WORDS, len(en))):
            link = alignment.links[high]
            if link is not None and not first <= link < end:
                break
            window = text[en[low].start : en[high].end]
            if EN_SPAN_BREAKS.search(window):
                break
            if not joined(high, high + 1) and not en_ragged(window) and not en_clause(window):
                windows.append(window)
    return windows


def free_renderings(requests: Sequence[tuple[str, list[str]]]) -> list[tuple[str, float] | None]:
    """For each (Chinese, English windows) request, the window closest in meaning and its
    cosine, or None when none reaches MIN_FREE_SIMILARITY. One encoder call for all requests."""
    from zhen.aligner.embedding import embed, embeddings_available

    if not requests or not embeddings_available():
        return [None] * len(requests)
    # Pairs share many windows: each distinct text is embedded once.
    texts = list(dict.fromkeys([zh for zh, _ in requests] + [w for _, ws in requests for w in ws]))
    vectors = embed(texts)
    row = {text: vectors[i] for i, text in enumerate(texts)}
    picks: list[tuple[str, float] | None] = []
    for zh, windows in requests:
        scored = [(float(row[zh] @ row[w]), w) for w in windows]
        best = max(scored, default=None)
        picks.append((best[1], best[0]) if best and best[0] >= MIN_FREE_SIMILARITY else None)
    return picks

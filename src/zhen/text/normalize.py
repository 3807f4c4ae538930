"""One place for text normalisation: Traditional→Simplified, width folding, case, index tokens."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from zhen.text.tokens import word_texts
from zhen.text.traditional_chars import T2S_CHARS

if TYPE_CHECKING:
    import numpy as np
    import opencc

_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
# Curly quotes and dashes fold to ASCII so "people’s" and "people's" compare equal.
_PUNCT_FOLD_CHARS = "‘’“”–—"
_PUNCT_FOLD = str.maketrans(dict(zip(_PUNCT_FOLD_CHARS, "''\"\"--", strict=True)))
_PUNCT_SET = frozenset(_PUNCT_FOLD_CHARS)
_T2S_SET = frozenset(T2S_CHARS)
# Bit flags per code point for the batch functions: which costly steps a text may need.
_NEEDS_T2S = 1
_NEEDS_PUNCT = 2
_FULL_WIDTH = 4


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    import opencc  # only text holding traditional characters pays for loading OpenCC

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _s2t() -> opencc.OpenCC:
    import opencc

    return opencc.OpenCC("s2t")


def to_simplified(text: str) -> str:
    """Convert Traditional Chinese characters to Simplified (OpenCC t2s); other text is kept."""
    # OpenCC costs several µs a call; a text with no convertible character converts to itself.
    if text.isascii() or _T2S_SET.isdisjoint(text) or not has_cjk(text):
        return text
    simplified: str = _t2s().convert(text)
    return simplified


def to_traditional(text: str) -> str:
    """Convert Simplified Chinese characters to Traditional (OpenCC s2t)."""
    return _s2t().convert(text) if has_cjk(text) else text


def has_cjk(text: str) -> bool:
    """True when the text holds at least one Chinese character."""
    return _CJK_RE.search(text) is not None


def cjk_ratio(text: str) -> float:
    """Share of Chinese characters among the non-space characters of the text."""
    visible = [ch for ch in text if not ch.isspace()]
    if not visible:
        return 0.0
    return sum(1 for ch in visible if _CJK_RE.match(ch)) / len(visible)


def fold_width(text: str) -> str:
    """NFKC-fold full-width Latin letters, digits and punctuation to their half-width forms."""
    # The quick check is ~15× cheaper than normalising text that is already NFKC.
    if text.isascii() or unicodedata.is_normalized("NFKC", text):
        return text
    return unicodedata.normalize("NFKC", text)


def normalize_zh(text: str) -> str:
    """Normalised Chinese for matching: NFKC width, Simplified, lower case, single spaces."""
    folded = to_simplified(fold_width(text))
    if not _PUNCT_SET.isdisjoint(folded):
        folded = folded.translate(_PUNCT_FOLD)
    # str.split() splits on exactly the characters the regex \s matches, and drops the ends.
    return " ".join(folded.lower().split())


def normalize_en(text: str) -> str:
    """Normalised English for matching: NFKC, ASCII quotes and dashes, lower case, single spaces."""
    folded = fold_width(text)
    if not _PUNCT_SET.isdisjoint(folded):
        folded = folded.translate(_PUNCT_FOLD)
    return " ".join(folded.lower().split())


def normalize(text: str) -> str:
    """Normalise text of either language (Chinese rules apply when it holds Chinese)."""
    return normalize_zh(text) if has_cjk(text) else normalize_en(text)


@lru_cache(maxsize=1)
def _code_tables() -> tuple[np.ndarray, np.ndarray]:
    """(flags, half-width code) per code point, 5.5 MB, built on the first batch call."""
    import numpy as np  # only bulk callers pay for importing numpy

    flags = np.zeros(0x110000, dtype=np.uint8)
    flags[[ord(ch) for ch in T2S_CHARS]] |= _NEEDS_T2S
    flags[[ord(ch) for ch in _PUNCT_FOLD_CHARS]] |= _NEEDS_PUNCT
    # Full-width ASCII (U+FF01–FF5E) and the ideographic space: NFKC maps each to one ASCII
    # character, so they can be folded in bulk; Chinese text is full of "，" and "：".
    half = np.arange(0x110000, dtype=np.uint32)
    half[0xFF01:0xFF5F] = np.arange(0x21, 0x7F, dtype=np.uint32)
    half[0x3000] = 0x20
    flags[0xFF01:0xFF5F] |= _FULL_WIDTH
    flags[0x3000] |= _FULL_WIDTH
    return flags, half


def _text_flags(text: str) -> int:
    return (0 if _T2S_SET.isdisjoint(text) else _NEEDS_T2S) | (
        0 if _PUNCT_SET.isdisjoint(text) else _NEEDS_PUNCT
    )


def _fold_batch(texts: Sequence[str]) -> tuple[list[str], list[int]]:
    """NFKC-folded texts and, for each, the OR of its characters' flags.

    Done for all non-ASCII texts of the batch at once in numpy: full-width forms folded and
    characters looked up in one pass, instead of several Python-level scans of every text.
    """
    folded = list(texts)
    flags = [0] * len(folded)
    wide = [i for i, text in enumerate(folded) if not text.isascii()]  # ASCII needs nothing
    if not wide:
        return folded, flags
    import numpy as np

    joined = "\x00".join([folded[i] for i in wide]) + "\x00"  # NUL: a flag-free separator
    points = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    if np.count_nonzero(points == 0) != len(wide):  # a text holds NUL itself: one by one
        for i in wide:
            folded[i] = fold_width(folded[i])
            flags[i] = _text_flags(folded[i])
        return folded, flags
    flags_of, half_of = _code_tables()
    char_flags = flags_of[points]
    if (char_flags & _FULL_WIDTH).any():
        points = half_of[points]
        char_flags = flags_of[points]
        halves = points.tobytes().decode("utf-32-le", "surrogatepass").split("\x00")
        for i, text in zip(wide, halves, strict=False):
            folded[i] = text
    starts = np.flatnonzero(points == 0)[:-1] + 1
    wide_flags = np.bitwise_or.reduceat(char_flags, np.concatenate(([0], starts))).tolist()
    for i, text_flags in zip(wide, wide_flags, strict=True):
        flags[i] = text_flags
        # Other compatibility forms (ligatures, circled digits…): the full NFKC, checked anew.
        # NFKC of the half-width text equals NFKC of the original: each fold was one of
        # NFKC's own mappings.
        if not unicodedata.is_normalized("NFKC", folded[i]):
            folded[i] = unicodedata.normalize("NFKC", folded[i])
            flags[i] = _text_flags(folded[i])
    return folded, flags


def normalize_zh_batch(texts: Sequence[str]) -> list[str]:
    """`normalize_zh` of many texts: the same results, the character checks done in bulk."""
    convert = _t2s().convert
    results = []
    for text, flags in zip(*_fold_batch(texts), strict=True):
        if flags & _NEEDS_T2S and has_cjk(text):
            text = convert(text)
            flags |= _NEEDS_PUNCT  # not re-checked after conversion
        if flags & _NEEDS_PUNCT:
            text = text.translate(_PUNCT_FOLD)
        results.append(" ".join(text.lower().split()))
    return results


def normalize_en_batch(texts: Sequence[str]) -> list[str]:
    """`normalize_en` of many texts: the same results, the character checks done in bulk."""
    results = []
    for text, flags in zip(*_fold_batch(texts), strict=True):
        if flags & _NEEDS_PUNCT:
            text = text.translate(_PUNCT_FOLD)
        results.append(" ".join(text.lower().split()))
    return results


def en_words(text: str) -> list[str]:
    """Lower-cased English words (zhen.text.tokens) of normalised text."""
    return word_texts(normalize_en(text))

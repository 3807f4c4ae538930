"""One place for text normalisation: Traditional→Simplified, width folding, case, index tokens."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
_EN_WORD_RE = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_SPACE_RE = re.compile(r"\s+")
# Curly quotes and dashes fold to ASCII so "people’s" and "people's" compare equal.
_PUNCT_FOLD = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _s2t() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


def to_simplified(text: str) -> str:
    """Convert Traditional Chinese characters to Simplified (OpenCC t2s); other text is kept."""
    return _t2s().convert(text) if has_cjk(text) else text


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
    return unicodedata.normalize("NFKC", text)


def normalize_zh(text: str) -> str:
    """Normalised Chinese for matching: NFKC width, Simplified, lower case, single spaces."""
    folded = to_simplified(fold_width(text)).translate(_PUNCT_FOLD).lower()
    return _SPACE_RE.sub(" ", folded).strip()


def normalize_en(text: str) -> str:
    """Normalised English for matching: NFKC, ASCII quotes and dashes, lower case, single spaces."""
    folded = fold_width(text).translate(_PUNCT_FOLD).lower()
    return _SPACE_RE.sub(" ", folded).strip()


def normalize(text: str) -> str:
    """Normalise text of either language (Chinese rules apply when it holds Chinese)."""
    return normalize_zh(text) if has_cjk(text) else normalize_en(text)


def zh_ngrams(text: str, n: int = 2) -> list[str]:
    """Character n-grams of normalised Chinese without spaces (whole text when shorter than n)."""
    chars = normalize_zh(text).replace(" ", "")
    if len(chars) < n:
        return [chars] if chars else []
    return [chars[i : i + n] for i in range(len(chars) - n + 1)]


def en_words(text: str) -> list[str]:
    """Lower-cased English word tokens of normalised text."""
    return _EN_WORD_RE.findall(normalize_en(text))

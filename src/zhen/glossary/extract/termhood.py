"""Termhood against general language: how common a span is in everyday Chinese (or English), how
much more often the TM uses it, whether it is one dictionary word or a numbered formulation."""

from __future__ import annotations

import math
import re
from functools import lru_cache

from wordfreq import zipf_frequency

from zhen.glossary.extract.tokens import prepare_zh, word_counts

# wordfreq's Zipf scale: log10 of occurrences per billion words; 8 is a word like 的.
_ZIPF_TOP = 8.0
_NUMERALS = "一二三四五六七八九十两百千"
# A Chinese numeral with a measure or counting word, then more Chinese: a numbered formulation
# (两个维护, 四个全面, 五项原则, 六个更, 四大全球倡议) rather than a count of things.
_NUMBERED = re.compile(
    rf"[{_NUMERALS}]+(?:个方面|个|大|项|条|点|种|类|方面|重|位|化|基本|不|新|好|有|要|同|严)"
    r"[\u4e00-\u9fff]"
)
# Numerals alone, as a plan is named (十四五, 十三五).
_NUMBERS_ONLY = re.compile(rf"^[{_NUMERALS}]+[\u4e00-\u9fff]?[{_NUMERALS}]+$")


def general_frequency(zh: str) -> float:
    """How common the Chinese is in general language, 0 (unseen) to 1 (the commonest words):
    wordfreq's Zipf frequency of the whole span (a phrase counts as rarely as its rarest word
    and rarer for each word it joins)."""
    return min(_zh_zipf(zh) / _ZIPF_TOP, 1.0)


@lru_cache(maxsize=65536)
def en_general_frequency(en: str) -> float:
    """How common the English is in general language, 0 (unseen) to 1, as general_frequency."""
    return min(zipf_frequency(en, "en") / _ZIPF_TOP, 1.0)


@lru_cache(maxsize=65536)
def _zh_zipf(zh: str) -> float:
    # wordfreq cuts Chinese with a jieba tokenizer of its own: load zhen's first, which quiets
    # jieba's log, so that no "Building prefix dict" line reaches the terminal.
    word_counts()
    return zipf_frequency(prepare_zh(zh), "zh")


def lexicalised(zh: str) -> bool:
    """True when the whole Chinese is one word of jieba's general dictionary (口罩, 五项原则):
    a unit of the language, not a phrase the span's edges cut out of a sentence."""
    frequencies, _ = word_counts()
    return frequencies.get(prepare_zh(zh), 0) > 0


def numbered(zh: str) -> bool:
    """True for a numbered formulation: 两个维护, 五项原则, 六个更, 十四五."""
    text = prepare_zh(zh)
    return bool(_NUMBERED.search(text) or _NUMBERS_ONLY.match(text))


def zh_length(zh: str) -> float:
    """The Chinese's length in characters, 1/16 a character, at most 1."""
    return min(len(zh), 16) / 16


def weirdness(zh: str, zh_pairs: int, pairs: int) -> float:
    """How much more often the TM uses the Chinese than general language does, scaled to about
    0–1: log10 of its share of the pairs over its general frequency, over 10. A term of the
    domain is common in its TM and rare outside it."""
    share = zh_pairs / max(pairs, 1)
    general = _zh_zipf(zh) - 9  # log10 of its share of words
    return (math.log10(max(share, 1e-9)) - general) / 10

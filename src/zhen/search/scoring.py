"""CAT-style match percentages (character-based for zh, word-based for en) and highlight spans."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from zhen.search.results import Span
from zhen.text.normalize import to_simplified
from zhen.text.numbers import en_quantities, zh_quantities
from zhen.text.tokens import word_texts, words

# Penalty per number or inline tag present on one side only: a segment whose numbers differ needs
# editing however similar the words are, so it must never show as (or round up to) 100%.
NUMBER_PENALTY = 2
TAG_PENALTY = 2
# A mistyped English word that is this similar to a unit word counts as that word, at half cost.
TYPO_SIMILARITY = 80
TYPO_COST = 0.5

_DIGITS_RE = re.compile(r"\d+(?:[.,]\d+)*")
_NUMERAL_CHARS = frozenset("〇零一二三四五六七八九十百千万亿两%")
_TAG_RE = re.compile(r"</?[a-zA-Z][^<>]*>|\{\d+\}|%\d*\$?[sdf]")


def en_tokens(text: str) -> list[str]:
    """Word tokens of normalised (lower-cased) English: the one tokenizer's, as the index's."""
    return word_texts(text)


def _mismatches(left: Sequence[object], right: Sequence[object]) -> int:
    """How many items differ between two multisets (a changed number counts once, not twice)."""
    a, b = Counter(left), Counter(right)
    return max(sum((a - b).values()), sum((b - a).values()))


@lru_cache(maxsize=8192)
def _quantity_keys(text: str, side: str) -> tuple[Any, ...]:
    quantities = zh_quantities(text) if side == "zh" else en_quantities(text)
    return tuple(q.key for q in quantities)


def _numeral_chars(text: str) -> Counter[str]:
    return Counter(ch for ch in text if ch in _NUMERAL_CHARS)


def number_mismatches(query: str, unit: str, side: str) -> int:
    """Numbers (digits, or quantities such as 十五亿 / 1.5 billion) on one side only."""
    by_digits = _mismatches(_DIGITS_RE.findall(query), _DIGITS_RE.findall(unit))
    if side == "zh" and by_digits == 0 and _numeral_chars(query) == _numeral_chars(unit):
        return 0  # same digits and numeral characters: parsing quantities cannot differ
    by_value = _mismatches(_quantity_keys(query, side), _quantity_keys(unit, side))
    return max(by_value, by_digits)


def tag_mismatches(query: str, unit: str) -> int:
    """Inline tags and placeholders (<b>, {1}, %s) present on one side only."""
    return _mismatches(_TAG_RE.findall(query), _TAG_RE.findall(unit))


def fix_typos(query_tokens: list[str], unit_tokens: list[str]) -> tuple[list[str], int]:
    """Replace query words missing from the unit by a unit word within typo distance."""
    present = set(unit_tokens)
    vocabulary = list(present)
    fixed: list[str] = []
    typos = 0
    for token in query_tokens:
        if token in present or len(token) < 4 or not vocabulary:
            fixed.append(token)
            continue
        best = process.extractOne(
            token, vocabulary, scorer=fuzz.ratio, score_cutoff=TYPO_SIMILARITY
        )
        if best is None:
            fixed.append(token)
        else:
            fixed.append(best[0])
            typos += 1
    return fixed, typos


def similarity(query_norm: str, unit_norm: str, side: str) -> float:
    """Edit-distance similarity 0–1: over characters for zh, over words for en."""
    if side == "zh":
        return Levenshtein.normalized_similarity(query_norm, unit_norm)
    query_tokens, unit_tokens = en_tokens(query_norm), en_tokens(unit_norm)
    if not query_tokens or not unit_tokens:
        return Levenshtein.normalized_similarity(query_norm, unit_norm)
    fixed, typos = fix_typos(query_tokens, unit_tokens)
    word_similarity = Levenshtein.normalized_similarity(fixed, unit_tokens)
    longest = max(len(fixed), len(unit_tokens))
    return max(0.0, word_similarity - typos * TYPO_COST / longest)


def match_percent(query_norm: str, unit_norm: str, side: str) -> int:
    """The CAT match %: 100 only when identical after normalisation; numbers and tags penalised."""
    if query_norm == unit_norm:
        return 100
    score = min(99, math.floor(similarity(query_norm, unit_norm, side) * 100 + 1e-9))
    penalty = NUMBER_PENALTY * number_mismatches(query_norm, unit_norm, side)
    penalty += TAG_PENALTY * tag_mismatches(query_norm, unit_norm)
    return max(0, score - penalty)


# --- highlighting --------------------------------------------------------------------------


def display_fold(text: str, side: str) -> str:
    """Fold like the normaliser but keep every character in place, so offsets stay valid."""
    folded_text = text.lower()
    if len(folded_text) != len(text) or not unicodedata.is_normalized("NFKC", text):
        chars = []
        for ch in text:
            folded = unicodedata.normalize("NFKC", ch)
            lowered = (folded if len(folded) == 1 else ch).lower()
            chars.append(lowered if len(lowered) == 1 else ch)
        folded_text = "".join(chars)
    if side == "zh":
        simplified = to_simplified(folded_text)
        if len(simplified) == len(folded_text):
            folded_text = simplified
    return folded_text


def merge_spans(spans: list[Span]) -> list[Span]:
    """Sorted spans with the overlapping and touching ones joined: no character shown twice."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def matched_spans(query: str, text: str, side: str) -> list[Span]:
    """Spans of `text` (original offsets) that match the query: the parts needing no edit."""
    query_fold, text_fold = display_fold(query, side), display_fold(text, side)
    spans: list[Span] = []
    if side == "zh":
        shortest = 1 if len(query_fold) <= 2 else 2
        for op in Levenshtein.opcodes(query_fold, text_fold):
            if op.tag == "equal" and op.dest_end - op.dest_start >= shortest:
                block = text_fold[op.dest_start : op.dest_end]
                if block.strip():
                    spans.append((op.dest_start, op.dest_end))
        return merge_spans(spans)
    unit_words = words(text_fold)
    unit_tokens = [word.text for word in unit_words]
    query_tokens, _ = fix_typos(en_tokens(query_fold), unit_tokens)
    for op in Levenshtein.opcodes(query_tokens, unit_tokens):
        if op.tag == "equal":
            spans.append((unit_words[op.dest_start].start, unit_words[op.dest_end - 1].end))
    return merge_spans(spans)


def occurrence_spans(needle: str, text: str, side: str) -> list[Span]:
    """Every occurrence of `needle` in `text` after folding (original offsets)."""
    needle_fold, text_fold = display_fold(needle, side).strip(), display_fold(text, side)
    if not needle_fold:
        return []
    spans = []
    start = text_fold.find(needle_fold)
    while start >= 0:
        spans.append((start, start + len(needle_fold)))
        start = text_fold.find(needle_fold, start + len(needle_fold))
    return spans

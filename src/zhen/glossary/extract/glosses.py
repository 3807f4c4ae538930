"""Renderings the Chinese gives itself: a Latin gloss in brackets after a term (三叉戟（Trident）,
安本·皮莱（Unben Pillay）, 美国有线电视新闻网（CNN）) that the English of the pair also uses."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from zhen.glossary.extract.tokens import ZhToken

# prepare_zh has folded full-width brackets to ASCII ones.
_LATIN_GLOSS_RE = re.compile(r"\(([A-Za-z][A-Za-z0-9 .'’&-]{0,60})\)")
# Tags of words that end a term to the left: prepositions, conjunctions, pronouns, numerals,
# measure words, particles and adverbs (据|美国有线电视新闻网, 20|枚|三叉戟).
_STOP_TAGS = ("p", "c", "r", "m", "q", "u", "d", "v", "x", "t")
_MAX_TOKENS = 4


@dataclass(frozen=True, slots=True)
class BracketGloss:
    """A Chinese term and the Latin rendering bracketed after it."""

    zh: str
    en: str
    variant: bool  # a shorter or longer reading of the term than the likeliest one


def _term_tokens(zh: tuple[ZhToken, ...], end: int) -> list[list[ZhToken]]:
    """Readings of the term ending before token `end`, shortest first: one unit per word, a
    quotation (“内华达号”) counting as one unit."""
    units: list[list[ZhToken]] = []
    index = end - 1
    while index >= 0 and len(units) < _MAX_TOKENS:
        token = zh[index]
        if token.text == "号" and index > 0 and zh[index - 1].text == "”":
            units.append([token])  # “卡尔·文森”号: the ship's name with its 号
            index -= 1
            continue
        if token.text == "”":
            opening = next((k for k in range(index - 1, -1, -1) if zh[k].text == "“"), None)
            if opening is None or opening == index - 1:
                break
            units.append(list(zh[opening + 1 : index]))
            break  # the quotation is the name: what stands before it describes it (核潜艇)
        if token.is_punct or (units and token.flag.startswith(_STOP_TAGS)):
            break
        units.append([token])
        index -= 1
    readings = []
    for size in range(1, len(units) + 1):
        readings.append([t for unit in reversed(units[:size]) for t in unit])
    return readings


def _is_name_reading(tokens: list[ZhToken]) -> bool:
    return len(tokens) >= 1 and (tokens[-1].is_person or "·" in tokens[-1].text)


def bracket_glosses(zh: tuple[ZhToken, ...], en_text: str) -> Iterator[BracketGloss]:
    """Each Latin gloss in brackets that the English uses too, with the Chinese it glosses: the
    longest run of nouns and names before it, or the name alone when a person is glossed; the
    other readings follow as variants for the statistics to judge."""
    for index, token in enumerate(zh):
        if token.text not in ("(", "（") or index == 0:
            continue
        closing = next(
            (k for k in range(index + 1, min(index + 12, len(zh))) if zh[k].text in (")", "）")),
            None,
        )
        if closing is None:
            continue
        latin = "".join(t.text for t in zh[index + 1 : closing]).strip()
        if not _LATIN_GLOSS_RE.fullmatch(f"({latin})"):
            continue
        if not re.search(rf"(?<![A-Za-z]){re.escape(latin)}(?![A-Za-z])", en_text):
            continue
        readings = [
            r for r in _term_tokens(zh, index) if len("".join(t.text for t in r).strip()) >= 2
        ]
        if not readings:
            continue
        names = [r for r in readings if _is_name_reading(r) and len(r) == 1]
        likeliest = names[0] if names else readings[-1]
        for reading in readings:
            text = "".join(t.text for t in reading).replace("“", "").replace("”", "")
            yield BracketGloss(text, latin, variant=reading is not likeliest)

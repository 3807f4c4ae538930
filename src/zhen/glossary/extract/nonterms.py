"""Spans that are no terms however well they align: lists of names, datelines, and a person's
name with words whose English is missing (zhen.glossary.extract.phrases skips them). These are
filters; a concept the scoring model weighs instead is a feature (zhen.glossary.extract.shape),
never both."""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING

from zhen.glossary.extract.evidence import is_content
from zhen.glossary.extract.tokens import ZhToken, is_conjunction

if TYPE_CHECKING:
    from zhen.glossary.extract.phrases import PairAlignment


def joins_names(words: tuple[ZhToken, ...]) -> bool:
    """True when a conjunction inside the span links two names (中国和越南)."""
    return any(
        is_conjunction(words[i]) and words[i - 1].is_name and words[i + 1].is_name
        for i in range(1, len(words) - 1)
    )


def person_half_rendered(
    alignment: PairAlignment, first: int, end: int, low: int, high: int
) -> bool:
    """True when a span holding a person's name and other words has an English window that
    renders only one of the two: the office without the name the English gives elsewhere
    (副主任李忠明 → "Deputy Director", "Li Zhongming" outside), or the name without its title
    (馆长田霏宇 → "Tian Feiyu"). Either way the name is a term of its own."""
    persons = [i for i in range(first, end) if alignment.zh[i].is_person]
    if not persons or end - first < 2:
        return False
    # The words a pinyin-spelled name owns are its rendering; else the words linked to it.
    named = {j for j, owner in alignment.claimed.items() if owner in persons} or {
        j for j, link in enumerate(alignment.links) if link in persons
    }
    if not named:
        return False
    inside = [j for j in range(low, high + 1) if is_content(alignment.en[j])]
    if not any(j in named for j in inside):
        return True
    # A title stands right before the name as a word of its own; a single character there is
    # more often a piece of the name jieba cut off (古|特雷斯; 埃|博拉|病毒 ends in no name).
    last = persons[-1]
    titled = last == end - 1 and last > first and len(alignment.zh[last - 1].text) >= 2
    return titled and all(j in named for j in inside)


def is_dateline(words: tuple[ZhToken, ...]) -> bool:
    """True for a piece of a news dateline: a news outlet then a place (新华社西宁, 湖南日报长沙)
    or the dispatch date (12月13日电, 12月10日讯)."""
    outlet_then_place = any(
        first.text.endswith(("社", "网", "报")) and first.flag in ("nt", "nz") and then.is_name
        for first, then in pairwise(words)
    )
    return outlet_then_place or any(w.text in ("日电", "日讯", "电", "讯") for w in words[1:])

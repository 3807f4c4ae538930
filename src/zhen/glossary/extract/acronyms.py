"""Acronyms with their expansions in English — "Regional Comprehensive Economic Partnership
(RCEP)" — and the Chinese words the expansion translates."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from zhen.glossary.extract.evidence import Evidence, load_lexicon, subwords, zh_words
from zhen.glossary.extract.phrases import PairAlignment
from zhen.glossary.extract.tokens import EnToken, ZhToken
from zhen.text.tokens import words as text_words

_ACRONYM_RE = re.compile(r"\(([A-Z][A-Za-z&]{1,9})\)")
_JOINERS = frozenset(["of", "and", "the", "for", "on", "in", "de", "to", "with"])


@dataclass(slots=True)
class AcronymMatch:
    """An expansion with its acronym, and the Chinese span aligned to the expansion."""

    zh: str
    en: str  # "Expansion (ACR)"
    acronym: str
    quality: float


def _initials_match(words: list[str], acronym: str) -> bool:
    initials = "".join(w[0] for w in words if w.lower() not in _JOINERS).upper()
    letters = acronym.replace("&", "").upper()
    return initials == letters


def find_expansions(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, acronym) of each "Expansion (ACR)" in English text, expansion span only."""
    for match in _ACRONYM_RE.finditer(text):
        acronym = match.group(1)
        before = text[: match.start()].rstrip()
        words = [
            w for w in text_words(before, compounds=True, numbers=False) if w.text[0].isalpha()
        ]
        # Take the shortest run of preceding words whose initials spell the acronym.
        for size in range(1, min(len(words), 12) + 1):
            run = words[-size:]
            parts = [p for w in run for p in w.text.split("-") if p]
            if run[0].lower in _JOINERS:
                continue
            if not all(w.text[0].isupper() or w.lower in _JOINERS for w in run):
                break
            if _initials_match(parts, acronym) or _initials_match([w.text for w in run], acronym):
                yield run[0].start, run[-1].end, acronym
                break


def _best_subword(word: ZhToken, expansion: list[EnToken], evidence: Evidence) -> str | None:
    """The dictionary sub-word run of a long Chinese word that translates the expansion
    (越共 in 越共中央 for "Communist Party of Vietnam")."""
    parts = zh_words(word.text, load_lexicon())
    best, best_hits = None, 0
    for first in range(len(parts)):
        for last in range(first, len(parts)):
            text = "".join(parts[first : last + 1])
            if text == word.text or text not in word.text:
                continue
            probe = ZhToken(text, word.flag, 0, len(text))
            hits = sum(1 for token in expansion if evidence.weight(probe, token) > 0)
            if hits > best_hits or (hits == best_hits and best and len(text) < len(best)):
                best, best_hits = text, hits
    return best if best_hits else None


def _zh_named(zh_text: str, acronym: str) -> str | None:
    """The Chinese name glossed by the same acronym in the Chinese text itself:
    《区域全面经济伙伴关系协定》（RCEP） → 区域全面经济伙伴关系协定."""
    match = re.search(
        r"(《([^《》]+)》|([\u4e00-\u9fff]{2,20}))\(" + re.escape(acronym) + r"\)", zh_text
    )
    if match is None:
        return None
    return match.group(2) or match.group(3)


def acronyms(alignment: PairAlignment, evidence: Evidence) -> Iterator[AcronymMatch]:
    """Each expansion in the pair with the Chinese span its words are linked to."""
    en, zh, links = alignment.en, alignment.zh, alignment.links
    for start, end, acronym in find_expansions(alignment.en_text):
        named = _zh_named(alignment.zh_text, acronym)
        if named:
            # The Chinese spells out the same acronym: no alignment needed.
            yield AcronymMatch(named, f"{alignment.en_text[start:end]} ({acronym})", acronym, 1.0)
            continue
        inside = [j for j, token in enumerate(en) if start <= token.start and token.end <= end]
        linked = sorted({link for link in (links[j] for j in inside) if link is not None})
        if not linked:
            continue
        first, last = linked[0], linked[-1]
        # Consistency: the Chinese span's words must not translate English outside the expansion.
        outside = [
            j for j, index in enumerate(links) if index is not None and first <= index <= last
        ]
        content = [j for j in inside if en[j].lower not in _JOINERS]
        quality = sum(1 for j in content if links[j] is not None) / max(len(content), 1)
        zh_text = alignment.zh_text[zh[first].start : zh[last].end]
        if first == last and len(subwords(zh[first].text)) > 1:
            # One long word may say more than the expansion (越共中央 = CPV Central Committee):
            # the dictionary parts that translate the expansion are the term.
            zh_text = _best_subword(zh[first], [en[j] for j in content], evidence) or zh_text
        elif any(j not in inside for j in outside):
            continue
        en_text = f"{alignment.en_text[start:end]} ({acronym})"
        yield AcronymMatch(zh_text, en_text, acronym, quality)

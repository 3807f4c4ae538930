"""Quoted phrases: “…” and 《…》 in the Chinese paired with the quoted English of the same pair."""

from __future__ import annotations

import re
from collections.abc import Iterator

from zhen.glossary.entries import CandidateKind
from zhen.glossary.extract.evidence import Evidence, is_content, subwords
from zhen.glossary.extract.phrases import SENTENCE_END, PairAlignment, SpanMatch
from zhen.glossary.extract.tokens import ZhToken, en_tokens, zh_tokens

# Web text sometimes closes “ with a straight quote (“…颁授典礼 ＂, width-folded to ").
_ZH_QUOTED_RE = re.compile(r'“([^“”"]{2,40})[”"]|《([^《》]{2,40})》|「([^「」]{2,40})」')
_EN_QUOTED_RE = re.compile(r"\"([^\"]{2,160})\"|“([^“”]{2,160})”")
_ENUMERATION_RE = re.compile(r"[、，,;；]")


def _coverage(zh: str, en: str, evidence: Evidence) -> tuple[float, float]:
    """(share of the Chinese characters, by dictionary parts, that some English word translates;
    share of the English content words that some Chinese part translates)."""
    words = [t for t in en_tokens(en) if is_content(t)]
    total = covered = 0
    translated: set[int] = set()
    for token in zh_tokens(zh):
        if token.is_punct:
            continue
        for part in subwords(token.text) or (token.text,):
            probe = ZhToken(part, token.flag, 0, len(part))
            total += len(part)
            hits = {j for j, word in enumerate(words) if evidence.weight(probe, word) > 0}
            if hits:
                covered += len(part)
                translated |= hits
    if not total or not words:
        return 0.0, 0.0
    return covered / total, len(translated) / len(words)


def _harmonic(shares: tuple[float, float]) -> float:
    zh_share, en_share = shares
    return 2 * zh_share * en_share / (zh_share + en_share) if zh_share and en_share else 0.0


def _parts(text: str) -> list[str]:
    """The list items of a quotation (勤学、修德 → 勤学, 修德), stripped."""
    return [part.strip() for part in _ENUMERATION_RE.split(text) if part.strip()]


def _en_items(text: str) -> set[int]:
    """How many list items an English quotation may hold: one per comma-separated part, and
    one more when its last part joins two with "and" ("Striking … and affirming …")."""
    parts = _parts(text)
    count = len(parts)
    return {count, count + 1} if parts and " and " in parts[-1] else {count}


def quoted_pairs(alignment: PairAlignment, evidence: Evidence) -> Iterator[SpanMatch]:
    """Pair each English quotation with the Chinese quotation, or enumerated part of one, that
    has as many list items and renders it best both ways, each used once. A lone quotation on
    each side pairs even without dictionary evidence, since coinages such as 同志加兄弟 are
    exactly what the dictionary lacks."""
    # Quotation marks are often padded with spaces (“ 摸着石头过河 ”): the term is inside them.
    zh_quotes = [
        next(g for g in m.groups() if g).strip() for m in _ZH_QUOTED_RE.finditer(alignment.zh_text)
    ]
    en_quotes = [
        next(g for g in m.groups() if g) for m in _EN_QUOTED_RE.finditer(alignment.en_text)
    ]
    if not zh_quotes or not en_quotes:
        return
    # (quotation's position, text) for each quotation and each enumerated part of one.
    options: list[tuple[int, str]] = []
    # A quoted sentence is reported speech, not a term (“我们会通知申请者……。”).
    for position, quote in enumerate(zh_quotes):
        if SENTENCE_END.search(quote):
            continue
        options.append((position, quote))
        parts = _parts(quote)
        if len(parts) > 1:
            options.extend((position, part) for part in parts)
    if not options:
        return
    lone = len(zh_quotes) == 1 and len(en_quotes) == 1
    # Best pairings first; quotations mostly come in the same order in both languages, so that
    # decides between equally good ones (“湖南红茶” … “湖红之源” → "Hunan black tea" … "source
    # of Hunan black tea").
    ranked = sorted(
        (
            (
                len(_parts(zh)) not in _en_items(en),
                -_harmonic(shares := _coverage(zh, en, evidence)),
                -shares[0],
                abs(position - index),
                -len(zh),
                index,
                zh,
            )
            for index, en in enumerate(en_quotes)
            for position, zh in options
        ),
    )
    used_zh: set[str] = set()
    used_en: set[int] = set()
    for _, _, negative_cover, _, _, index, zh in ranked:
        if index in used_en or zh in used_zh:
            continue
        cover = -negative_cover
        if cover == 0 and not lone:
            continue
        used_en.add(index)
        used_zh.add(zh)
        quality = max(cover, 0.6) if lone else cover
        yield SpanMatch(zh, en_quotes[index].strip(" ,."), CandidateKind.QUOTED, quality, 1, False)

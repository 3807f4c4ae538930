"""Quoted phrases: “…” and 《…》 in the Chinese paired with the quoted English of the same pair."""

from __future__ import annotations

import re
from collections.abc import Iterator

from zhen.glossary.extract.evidence import Evidence, is_content, subwords
from zhen.glossary.extract.phrases import SENTENCE_END, PairAlignment, SpanMatch
from zhen.glossary.extract.tokens import ZhToken, en_tokens, zh_tokens

_ZH_QUOTED_RE = re.compile(r"“([^“”]{2,40})”|《([^《》]{2,40})》|「([^「」]{2,40})」")
_EN_QUOTED_RE = re.compile(r"\"([^\"]{2,160})\"|“([^“”]{2,160})”")
_ENUMERATION_RE = re.compile(r"[、，,]")


def _coverage(zh: str, en: str, evidence: Evidence) -> float:
    """Share of the Chinese characters (by dictionary parts) that an English word translates."""
    words = [t for t in en_tokens(en) if is_content(t)]
    total = covered = 0
    for token in zh_tokens(zh):
        if token.is_punct:
            continue
        for part in subwords(token.text) or (token.text,):
            probe = ZhToken(part, token.flag, 0, len(part))
            total += len(part)
            if any(evidence.weight(probe, word) > 0 for word in words):
                covered += len(part)
    return covered / total if total else 0.0


def quoted_pairs(alignment: PairAlignment, evidence: Evidence) -> Iterator[SpanMatch]:
    """Pair each English quotation with the Chinese quotation (or enumerated part of one) whose
    words it translates best; a lone quotation on each side pairs even without dictionary
    evidence, since coinages such as 同志加兄弟 are exactly what the dictionary lacks."""
    # Quotation marks are often padded with spaces (“ 摸着石头过河 ”): the term is inside them.
    zh_quotes = [
        next(g for g in m.groups() if g).strip() for m in _ZH_QUOTED_RE.finditer(alignment.zh_text)
    ]
    en_quotes = [
        next(g for g in m.groups() if g) for m in _EN_QUOTED_RE.finditer(alignment.en_text)
    ]
    if not zh_quotes or not en_quotes:
        return
    options = []
    # A quoted sentence is reported speech, not a term (“我们会通知申请者……。”).
    for quote in (q for q in zh_quotes if not SENTENCE_END.search(q)):
        options.append(quote)
        parts = [p.strip() for p in _ENUMERATION_RE.split(quote) if p.strip()]
        if len(parts) > 1:
            options.extend(parts)
    if not options:
        return
    lone = len(zh_quotes) == 1 and len(en_quotes) == 1
    for en in en_quotes:
        scored = sorted(
            ((_coverage(zh, en, evidence), len(zh), zh) for zh in options), reverse=True
        )
        cover, _, zh = scored[0]
        if cover == 0 and not lone:
            continue
        quality = max(cover, 0.6) if lone else cover
        yield SpanMatch(zh, en.strip(" ,."), "quoted", quality, 1, False)

"""Glossary term matching: one Aho-Corasick automaton per language, built once per glossary.

Chinese: every glossary term, normalised (NFKC, Simplified, lower case) in one automaton; a
sentence is normalised the same way and the non-overlapping longest matches are kept, so
人类命运共同体 wins over 命运共同体 and Traditional 人類命運共同體 matches too.

English: every allowed and forbidden rendering as a stem key (see `english`) in a second
automaton; a draft sentence is scanned once and yields every rendering it contains.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import ahocorasick

from zhen.checker import english
from zhen.models import Term
from zhen.text.normalize import normalize_zh

ALLOWED = "allowed"
FORBIDDEN = "forbidden"


@dataclass(slots=True)
class MergedTerm:
    """All glossary entries sharing one normalised Chinese term, merged."""

    index: int
    zh: str
    preferred: str
    renderings: list[str] = field(default_factory=list)  # allowed, preferred first
    forbidden: list[str] = field(default_factory=list)
    note: str | None = None
    # Index of the first rendering with the same stem key: "exchange"/"exchanges" are one.
    canonical: list[int] = field(default_factory=list)
    searchable: bool = False  # has at least one allowed rendering with an English word
    # False when every entry for the term is lookup-only: its renderings are not required, but
    # its forbidden renderings are still caught.
    checked: bool = False


@dataclass(frozen=True, slots=True)
class SourceHit:
    """A glossary term found in a source sentence."""

    entry: MergedTerm
    span: tuple[int, int]
    # Inside a longer matched term (命运共同体 in 人类命运共同体): not checked for presence,
    # but its forbidden renderings still count as renderings of a term the sentence holds.
    shadowed: bool = False


@dataclass(frozen=True, slots=True)
class TargetHit:
    """A rendering of a glossary term found in a draft sentence."""

    entry: MergedTerm
    kind: str  # ALLOWED or FORBIDDEN
    rendering_index: int  # into entry.renderings or entry.forbidden
    tokens: tuple[int, int]  # [first, last) token in the draft sentence
    span: tuple[int, int]  # characters in the draft sentence

    @property
    def rendering(self) -> str:
        """The glossary rendering that matched (as written in the glossary)."""
        pool = self.entry.renderings if self.kind == ALLOWED else self.entry.forbidden
        return pool[self.rendering_index]


class TermIndex:
    """The glossary compiled for checking; build once, use for every sentence."""

    def __init__(self, terms: Iterable[Term]) -> None:
        self.entries: list[MergedTerm] = []
        by_zh: dict[str, MergedTerm] = {}
        for term in terms:
            key = normalize_zh(term.zh)
            if not key or not term.en.strip():
                continue
            entry = by_zh.get(key)
            if entry is None:
                entry = MergedTerm(len(self.entries), term.zh, term.en.strip(), note=term.note)
                by_zh[key] = entry
                self.entries.append(entry)
            entry.checked = entry.checked or term.checked
            for rendering in term.renderings:
                if rendering.strip() and rendering.strip() not in entry.renderings:
                    entry.renderings.append(rendering.strip())
            for rendering in term.forbidden:
                if rendering.strip() and rendering.strip() not in entry.forbidden:
                    entry.forbidden.append(rendering.strip())
        for entry in self.entries:
            # A rendering both allowed and forbidden (two merged entries disagree): allowed wins.
            entry.forbidden = [f for f in entry.forbidden if f not in entry.renderings]
        self._by_zh = by_zh
        self._zh = self._build_zh(by_zh)
        self._en = self._build_en()

    def __len__(self) -> int:
        return len(self.entries)

    def entry_for(self, zh: str) -> MergedTerm | None:
        """The entry of a Chinese term as written in a source (Simplified or Traditional)."""
        return self._by_zh.get(normalize_zh(zh))

    @staticmethod
    def _build_zh(by_zh: dict[str, MergedTerm]) -> ahocorasick.Automaton | None:
        if not by_zh:
            return None
        automaton = ahocorasick.Automaton()
        for key, entry in by_zh.items():
            automaton.add_word(key, (len(key), entry))
        automaton.make_automaton()
        return automaton

    def _build_en(self) -> ahocorasick.Automaton | None:
        values: dict[str, list[tuple[MergedTerm, str, int]]] = {}
        for entry in self.entries:
            entry.canonical = _canonical_renderings(entry.renderings)
            entry.searchable = any(english.pattern_keys(r) for r in entry.renderings)
            for kind, pool in ((ALLOWED, entry.renderings), (FORBIDDEN, entry.forbidden)):
                for i, rendering in enumerate(pool):
                    for key in english.pattern_keys(rendering):
                        values.setdefault(key, []).append((entry, kind, i))
        if not values:
            return None
        automaton = ahocorasick.Automaton()
        for key, value in values.items():
            automaton.add_word(key, (len(key), value))
        automaton.make_automaton()
        return automaton

    def find_source(self, text: str) -> list[SourceHit]:
        """Glossary terms in a Chinese sentence, in text order.

        The longest non-overlapping matches are the terms to check; the shorter matches they
        cover come back too, marked `shadowed`.
        """
        if self._zh is None or not text:
            return []
        normalized, offsets = _normalize_with_offsets(text)
        candidates = [
            (end - length + 1, end + 1, entry) for end, (length, entry) in self._zh.iter(normalized)
        ]
        candidates.sort(key=lambda c: (c[0] - c[1], c[0]))  # longest first, then leftmost
        taken = [False] * (len(normalized) + 1)
        hits: list[SourceHit] = []
        for start, end, entry in candidates:
            shadowed = any(taken[start:end])
            if not shadowed:
                for i in range(start, end):
                    taken[i] = True
            hits.append(SourceHit(entry, (offsets[start], offsets[end - 1] + 1), shadowed))
        return sorted(hits, key=lambda hit: hit.span)

    def find_target(self, text: str) -> list[TargetHit]:
        """Every allowed or forbidden rendering in an English sentence (overlaps included)."""
        if self._en is None or not text:
            return []
        hits: dict[tuple[int, str, int, tuple[int, int]], TargetHit] = {}
        for stream in english.streams(text):
            for end, (length, values) in self._en.iter(stream.key):
                first, last = stream.token_range(end - length + 1, end + 1)
                span = stream.char_span(first, last)
                for entry, kind, index in values:
                    hit_key = (entry.index, kind, index, span)
                    if hit_key not in hits:
                        hits[hit_key] = TargetHit(entry, kind, index, (first, last), span)
        return sorted(hits.values(), key=lambda hit: (hit.span, hit.entry.index))


def _canonical_renderings(renderings: list[str]) -> list[int]:
    """For each rendering, the first one it is a form of (same stems, or words left out).

    "exchange"/"exchanges" and "small chat over tea"/"small-group chat over tea" count as one
    rendering for consistency; "China-Vietnam" and "China and Vietnam" do not.
    """
    words = [english.key_words((english.pattern_keys(r) or (" ",))[0]) for r in renderings]
    canonical: list[int] = []
    for i, mine in enumerate(words):
        same = next(
            (
                j
                for j in range(i)
                if mine
                and words[j]
                and (
                    english.is_subsequence(mine, words[j]) or english.is_subsequence(words[j], mine)
                )
            ),
            i,
        )
        canonical.append(canonical[same] if same != i else i)
    return canonical


def _normalize_with_offsets(text: str) -> tuple[str, Sequence[int]]:
    """normalize_zh(text) and, per normalised character, its offset in `text`.

    Whole-text normalisation keeps lengths for almost every sentence; only when it does not
    (collapsed spaces, NFKC expansions) is the text normalised character by character.
    """
    whole = normalize_zh(text)
    if len(whole) == len(text):
        return whole, range(len(text))
    chars: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        folded = normalize_zh(ch) or " "
        chars.append(folded)
        offsets.extend([i] * len(folded))
    return "".join(chars), offsets

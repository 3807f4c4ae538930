"""The glossary as lookup needs it: every rendering normalised and indexed, cached per database."""

from __future__ import annotations

import sqlite3
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field

import ahocorasick

from zhen.models import StoredTerm, Term, TermStatus
from zhen.search.scoring import en_tokens
from zhen.store import database_file
from zhen.store import terms as stored_terms
from zhen.text.normalize import normalize_en, normalize_zh

# Which English rendering of a term a query matched (the zh side is always "zh").
PREFERRED, VARIANT, FORBIDDEN = "preferred", "variant", "forbidden"


@dataclass(slots=True)
class EnglishForms:
    """Every English rendering (preferred, variants, forbidden) as parallel lists + word indexes."""

    norms: list[str] = field(default_factory=list)
    tokens: list[tuple[str, ...]] = field(default_factory=list)
    owners: list[int] = field(default_factory=list)  # index into GlossaryIndex.terms
    kinds: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # the rendering as written
    by_tokens: dict[tuple[str, ...], list[int]] = field(default_factory=dict)
    by_first: dict[str, list[int]] = field(default_factory=dict)
    by_word: dict[str, set[int]] = field(default_factory=dict)
    vocabulary: list[str] = field(default_factory=list)  # sorted, for prefix ranges
    longest: int = 0  # words in the longest rendering: a longer query cannot be inside one

    def add(self, owner: int, kind: str, text: str) -> None:
        norm = normalize_en(text)
        tokens = tuple(en_tokens(norm))
        if not tokens:
            return
        self.norms.append(norm)
        self.tokens.append(tokens)
        self.owners.append(owner)
        self.kinds.append(kind)
        self.texts.append(text)

    def build(self) -> None:
        by_tokens: dict[tuple[str, ...], list[int]] = defaultdict(list)
        by_first: dict[str, list[int]] = defaultdict(list)
        by_word: dict[str, set[int]] = defaultdict(set)
        for index, tokens in enumerate(self.tokens):
            by_tokens[tokens].append(index)
            by_first[tokens[0]].append(index)
            for token in tokens:
                by_word[token].add(index)
        self.by_tokens, self.by_first, self.by_word = dict(by_tokens), dict(by_first), dict(by_word)
        self.vocabulary = sorted(by_word)
        self.longest = max((len(tokens) for tokens in self.tokens), default=0)

    def words_with_prefix(self, prefix: str, cap: int) -> list[str]:
        """Indexed words starting with `prefix` (at most `cap`; the prefix itself included)."""
        start = bisect_left(self.vocabulary, prefix)
        words = []
        for word in self.vocabulary[start : start + cap]:
            if not word.startswith(prefix):
                break
            words.append(word)
        return words


@dataclass(slots=True)
class ChineseForms:
    """Every term's normalised zh, an automaton for terms inside a query, one joined haystack."""

    norms: list[str] = field(default_factory=list)
    owners: list[int] = field(default_factory=list)
    by_norm: dict[str, list[int]] = field(default_factory=dict)
    automaton: ahocorasick.Automaton | None = None
    joined: str = ""  # norms joined by "\n": one str.find pass finds terms containing a query
    starts: list[int] = field(default_factory=list)

    def build(self) -> None:
        by_norm: dict[str, list[int]] = defaultdict(list)
        automaton = ahocorasick.Automaton()
        for index, norm in enumerate(self.norms):
            by_norm[norm].append(index)
            if len(norm) >= 2:  # one character inside a sentence is noise, not a term
                automaton.add_word(norm, norm)
        self.by_norm = dict(by_norm)
        if len(automaton):
            automaton.make_automaton()
            self.automaton = automaton
        self.joined = "\n".join(self.norms)
        position, self.starts = 0, []
        for norm in self.norms:
            self.starts.append(position)
            position += len(norm) + 1

    def form_at(self, offset: int) -> int:
        """The form whose text holds `joined[offset]`."""
        return bisect_left(self.starts, offset + 1) - 1


@dataclass(slots=True)
class GlossaryIndex:
    """All terms of one database with their zh and en forms indexed for matching."""

    terms: list[Term]
    en: EnglishForms
    zh: ChineseForms


# One index per database file, rebuilt whenever the database has changed.
_cache: dict[str, tuple[tuple[int, int], GlossaryIndex]] = {}


def _read_terms(conn: sqlite3.Connection) -> tuple[list[Term], list[str]]:
    """Every term with its renderings (the fields lookup shows), and its stored zh_norm."""
    term_rows, rendering_rows = stored_terms.lookup_rows(conn)
    entries: dict[int, StoredTerm] = {}
    norms: list[str] = []
    for term_id, zh, zh_norm, en, status, note, checked in term_rows:
        entries[term_id] = StoredTerm(
            zh=zh, en=en, status=TermStatus(status), note=note, id=term_id, checked=bool(checked)
        )
        norms.append(zh_norm or normalize_zh(zh))
    for term_id, kind, en in rendering_rows:
        entry = entries.get(term_id)
        if entry is not None:
            (entry.variants if kind == "variant" else entry.forbidden).append(en)
    return list(entries.values()), norms


def build_index(terms: list[Term], zh_norms: list[str] | None = None) -> GlossaryIndex:
    """Index the terms' renderings for exact, contained, prefix, typo and fuzzy matching.

    `zh_norms` are the terms' normalised Chinese as stored; computed when not given.
    """
    if zh_norms is None:
        zh_norms = [normalize_zh(term.zh) for term in terms]
    english, chinese = EnglishForms(), ChineseForms()
    for owner, (term, zh_norm) in enumerate(zip(terms, zh_norms, strict=True)):
        english.add(owner, PREFERRED, term.en)
        for variant in term.variants:
            english.add(owner, VARIANT, variant)
        for forbidden in term.forbidden:
            english.add(owner, FORBIDDEN, forbidden)
        if zh_norm:
            chinese.norms.append(zh_norm)
            chinese.owners.append(owner)
    english.build()
    chinese.build()
    return GlossaryIndex(terms, english, chinese)


def glossary_index(conn: sqlite3.Connection) -> GlossaryIndex:
    """The database's glossary index, built on first use and cached until the database changes."""
    path = database_file(conn) or f":memory:{id(conn)}"
    fingerprint = stored_terms.change_marker(conn)
    cached = _cache.get(path)
    if cached and cached[0] == fingerprint:
        return cached[1]
    index = build_index(*_read_terms(conn))
    _cache[path] = (fingerprint, index)
    return index

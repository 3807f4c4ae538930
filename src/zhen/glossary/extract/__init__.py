"""Term extraction from aligned pairs: quoted phrases, acronyms, recurring units and names,
scored with dictionary evidence and co-occurrence statistics, checked against the glossary."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import ahocorasick

from zhen.glossary.entries import DISPLAY_SCORE, Candidate, CandidateKind, term_key
from zhen.glossary.extract.acronyms import acronyms, find_expansions
from zhen.glossary.extract.evidence import PINYIN, Evidence, load_lexicon, log_likelihood
from zhen.glossary.extract.glosses import bracket_glosses
from zhen.glossary.extract.names import claim_name_words, recut_names
from zhen.glossary.extract.phrases import align_pair, best_spans, spans
from zhen.glossary.extract.quotes import quoted_pairs
from zhen.glossary.extract.scoring import CandidateEvidence, features, probabilities
from zhen.glossary.extract.semantic import free_renderings, free_windows, set_phrases
from zhen.glossary.extract.shape import (
    coordinated,
    en_clause,
    en_participle,
    en_ragged,
    en_rarity,
    inside_longer_name,
    name_then_verb,
    titled_person,
    zh_rarity,
)

# ShownTerm and shown_terms are part of the extractor's interface (zhen.glossary re-exports them).
from zhen.glossary.extract.shown import ShownTerm as ShownTerm
from zhen.glossary.extract.shown import rendering_key
from zhen.glossary.extract.shown import shown_terms as shown_terms
from zhen.glossary.extract.tokens import ZhToken, en_tokens, prepare_zh, zh_tokens
from zhen.glossary.repository import add_term, get_term
from zhen.io import tmx
from zhen.models import Term, TranslationUnit
from zhen.store import units as stored_units
from zhen.store.base import transaction
from zhen.text.normalize import has_cjk, normalize_en

_LLR_SIGNIFICANT = 3.84  # G² critical value at p = 0.05, one degree of freedom
# A Chinese span whose dictionary window covers it this well needs no embedding search.
_EXPLAINED = 0.8


class _Found(NamedTuple):
    """One (zh, en) pair a sentence pair yields, with what its finder knows of it."""

    zh: str
    en: str
    kind: CandidateKind
    quality: float
    tokens: int
    title: bool
    nominal: bool
    clause: bool
    variant: bool = False  # a window one word off a span's best, or a weak bracket reading


@dataclass(slots=True)
class _Tally:
    """A (zh, en) pair seen in one or more sentence pairs."""

    zh: str
    en: str
    kind: CandidateKind
    qualities: list[float] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    contexts: list[tuple[str, str]] = field(default_factory=list)
    tokens: int = 1
    title_case: bool = False
    nominal: bool = True
    clause: bool = False
    truncated: int = 0  # occurrences where a head noun follows the Chinese
    dominated: int = 0  # occurrences where an overlapping candidate covered its pair better
    variant: int = 0  # occurrences as a window one word off a span's best (edge_variants)
    rivalled: tuple[bool, bool] = (False, False)  # a stronger rendering / stronger Chinese exists
    nested: tuple[bool, bool] = (False, False)  # Chinese / English occurs only in a longer one


def _source(unit: TranslationUnit, index: int) -> str:
    if unit.origin and unit.position is not None:
        return f"{unit.origin}#{unit.position}"
    return f"{unit.origin or 'pair'}#{index + 1}"


_POSSESSIVE_RE = re.compile(r"(?<=\w)['’]s$")
_KIND_RANK = {
    CandidateKind.ACRONYM: 0,
    CandidateKind.QUOTED: 1,
    CandidateKind.NAME: 2,
    CandidateKind.PHRASE: 3,
}


def _overlap(zh: str, en: str, other_zh: str, other_en: str) -> bool:
    """True when two candidates of one pair compete: one's Chinese holds the other's, or
    one's English does."""
    if (zh, en) == (other_zh, other_en):
        return False
    return zh in other_zh or other_zh in zh or en in other_en or other_en in en


def _tally(units: Sequence[TranslationUnit]) -> tuple[dict[tuple[str, str], _Tally], list[Any]]:
    evidence = Evidence()
    prepared = []
    for index, unit in enumerate(units):
        zh_text = prepare_zh(unit.zh)
        zh, en = recut_names(zh_text, zh_tokens(zh_text), unit.en), en_tokens(unit.en)
        evidence.add_pair(zh, en)
        for start, end, acronym in find_expansions(unit.en):
            evidence.add_acronym(acronym, [t for t in en if start <= t.start and t.end <= end])
        prepared.append((index, unit, zh_text, zh, en))
    per_pair = []
    requests: list[tuple[int, str, list[str]]] = []
    for _, unit, zh_text, zh, en in prepared:
        alignment = align_pair(zh_text, unit.en, zh, en, evidence)
        alignment.claimed = claim_name_words(zh_text, zh, en, unit.en, alignment.links)
        for position in alignment.claimed:
            alignment.weights[position] = max(alignment.weights[position], PINYIN)
        matches = best_spans([*quoted_pairs(alignment, evidence), *spans(alignment, evidence)])
        found = [
            _Found(m.zh, m.en, m.kind, m.quality, m.tokens, m.title_case, m.nominal, m.clause)
            for m in matches
        ]
        found += [
            _Found(m.zh, m.en, CandidateKind.ACRONYM, m.quality, 1, True, True, False)
            for m in acronyms(alignment, evidence)
        ]
        # A Latin gloss the Chinese brackets after a term is the author's own rendering.
        for gloss in bracket_glosses(zh, unit.en):
            # Only the likeliest reading is the author's gloss; the others are guesses.
            title = gloss.en[:1].isupper() and not gloss.variant
            kind, quality = (
                (CandidateKind.NAME, 1.0)
                if title
                else (CandidateKind.PHRASE, 0.5 if gloss.variant else 1.0)
            )
            found.append(
                _Found(gloss.zh, gloss.en, kind, quality, 1, title, True, False, gloss.variant)
            )
        # Each span's rendering one word wider or narrower competes too, marked as a variant.
        found += [
            _Found(
                m.zh,
                text,
                CandidateKind.PHRASE,
                quality,
                m.tokens,
                False,
                m.nominal,
                m.clause,
                True,
            )
            for m in matches
            for text, quality in m.variants
        ]
        per_pair.append((found, {(m.zh, m.en) for m in matches if m.truncated}))
        explained = {m.zh for m in matches if m.quality >= _EXPLAINED}
        for first, end in set_phrases(alignment, explained):
            windows = free_windows(alignment, first, end)
            if windows:
                zh_span = zh_text[zh[first].start : zh[end - 1].end]
                requests.append((len(per_pair) - 1, zh_span, windows))
    # Set phrases no dictionary window explains get the English window closest in meaning.
    picks = free_renderings([(zh_span, windows) for _, zh_span, windows in requests])
    for (pair, zh_span, _), pick in zip(requests, picks, strict=True):
        if pick is not None:
            per_pair[pair][0].append(
                _Found(zh_span, pick[0], CandidateKind.PHRASE, pick[1], 1, False, True, False)
            )
    tallies: dict[tuple[str, str], _Tally] = {}
    for (index, unit, *_), (found, truncated) in zip(prepared, per_pair, strict=True):
        seen_here: set[tuple[str, str]] = set()
        for zh_span, en_span, kind, quality, tokens, title, nominal, clause, variant in found:
            # A term is named without the possessive its sentence gave it ("US Navy's").
            en_span = _POSSESSIVE_RE.sub("", en_span)
            key = (term_key(zh_span), rendering_key(en_span))
            if key in seen_here:
                continue
            seen_here.add(key)
            tally = tallies.get(key)
            if tally is None:
                tally = tallies[key] = _Tally(
                    zh_span, en_span, kind, tokens=tokens, nominal=nominal, clause=clause
                )
            if _KIND_RANK[kind] < _KIND_RANK[tally.kind]:
                tally.kind = kind
            tally.title_case = tally.title_case or title
            tally.qualities.append(quality)
            tally.variant += variant
            tally.truncated += (zh_span, en_span) in truncated
            # A variant never dominates the window it was derived from.
            tally.dominated += any(
                other.quality > quality
                and not other.variant
                and _overlap(zh_span, en_span, other.zh, other.en)
                for other in found
            )
            tally.sources.append(_source(unit, index))
            tally.contexts.append((unit.zh, unit.en))
    return tallies, [(p[2], normalize_en(p[1].en)) for p in prepared]


def _pairs_holding(needles: set[str], texts: Sequence[str]) -> dict[str, int]:
    """How many texts hold each needle: one Aho-Corasick pass over the texts, not a substring
    test per needle and text."""
    counts = dict.fromkeys(needles, 0)
    automaton = ahocorasick.Automaton()
    for needle in needles:
        if needle:
            automaton.add_word(needle, needle)
    if not len(automaton):
        return counts
    automaton.make_automaton()
    for text in texts:
        for needle in {found for _, found in automaton.iter(text)}:
            counts[needle] += 1
    return counts


def _nested(counts: dict[str, int]) -> set[str]:
    """Candidate texts that never occur but inside one longer candidate text (呼吸道综合征 only
    in 严重急性呼吸道综合征): a piece of a term rather than a term of its own."""
    # Each text's substrings are looked up, not every pair of texts compared: linear in the
    # number of candidates, so a whole TM (--db-units) stays tractable.
    nested = set()
    for other, other_count in counts.items():
        for start in range(len(other)):
            for end in range(start + 1, len(other) + 1 - (start == 0)):
                piece = other[start:end]
                count = counts.get(piece)
                if count is not None and other_count >= count:
                    nested.add(piece)
    return nested


def _strength(tally: _Tally) -> tuple[int, float]:
    """How strongly the pairs support a candidate: pairs found in, then mean coverage."""
    return len(tally.sources), round(sum(tally.qualities) / len(tally.qualities), 6)


def _sentence_initial(tally: _Tally) -> bool:
    """True when the English opens its sentence wherever it was found: a capital there is the
    sentence's, not a name's ("However", "Mutation")."""
    return all(en.lstrip(' "“‘(').startswith(tally.en) for _, en in tally.contexts)


@lru_cache(maxsize=65536)
def _term_words(zh: str) -> tuple[ZhToken, ...]:
    """A candidate's Chinese cut into words; renderings of one Chinese share the cut."""
    return zh_tokens(prepare_zh(zh))


def _evidence(tally: _Tally, zh_pairs: int, en_pairs: int, pairs: int) -> CandidateEvidence:
    """What the scoring model weighs: coverage, agreement across pairs (Dice, G²), kind, shape."""
    joint = len(tally.sources)
    dice = 2 * joint / (zh_pairs + en_pairs) if zh_pairs + en_pairs else 0.0
    significant = (
        joint >= 2 and log_likelihood(joint, zh_pairs, en_pairs, pairs) >= _LLR_SIGNIFICANT
    )
    zh_inner = tally.zh[1:-1]
    words = _term_words(tally.zh)
    initial = _sentence_initial(tally)
    return CandidateEvidence(
        quality=sum(tally.qualities) / joint,
        dice=dice,
        count=joint,
        significant=significant,
        kind=tally.kind,
        # One capitalised word opening a sentence is no title.
        title_case=tally.title_case and not (initial and len(tally.en.split()) == 1),
        nominal=tally.nominal,
        multiword=tally.tokens >= 2 or len(tally.zh) >= 4,
        clause=tally.clause,
        truncated=tally.truncated / joint,
        dominated=tally.dominated / joint,
        zh_rivalled=tally.rivalled[0],
        en_rivalled=tally.rivalled[1],
        de_inside="的" in zh_inner,
        dictionary_word=tally.zh in load_lexicon(),
        en_words=len(tally.en.split()),
        en_ragged=en_ragged(tally.en),
        en_clause=en_clause(tally.en),
        zh_rarity=zh_rarity(words),
        en_rarity=en_rarity(tally.en),
        en_participle=en_participle(tally.en),
        zh_nested=tally.nested[0],
        en_nested=tally.nested[1],
        name_verb=name_then_verb(words),
        titled_person=titled_person(words),
        coordinated=coordinated(words),
        en_in_name=sum(inside_longer_name(tally.en, en) for _, en in tally.contexts) / joint,
        variant=tally.variant / joint,
    )


def _mark_known(candidate: Candidate, known: Sequence[Term]) -> None:
    key = term_key(candidate.zh)
    en = rendering_key(candidate.en)
    for term in known:
        if term_key(term.zh) != key:
            continue
        if en in {rendering_key(r) for r in term.renderings}:
            candidate.known, candidate.known_status = True, term.status
            return
        if en in {rendering_key(r) for r in term.forbidden}:
            candidate.known, candidate.known_status = True, "forbidden"
            return


def scored_candidates(
    units: Iterable[TranslationUnit],
) -> list[tuple[Candidate, tuple[float, ...]]]:
    """Every candidate with its score and feature vector (zhen.glossary.extract.scoring),
    unsorted and unlabelled; extract_candidates is this, labelled and ranked."""
    found = candidate_features(units)
    # The model scores every candidate in one pass: per-candidate calls would dominate the run.
    scores = probabilities([vector for _, vector in found])
    for (candidate, _), score in zip(found, scores, strict=True):
        candidate.score = score
    return found


def candidate_features(
    units: Iterable[TranslationUnit],
) -> list[tuple[Candidate, tuple[float, ...]]]:
    """Every candidate with its feature vector, not scored yet (score 0): what the scoring model
    is fitted on (benchmarks/term_fit.py) and what it scores."""
    units = [u for u in units if u.zh.strip() and u.en.strip()]
    tallies, prepared = _tally(units)
    pairs = len(prepared)
    zh_texts = [zh for zh, _ in prepared]
    en_texts = [en for _, en in prepared]
    # The strongest rendering of each Chinese span, and the strongest Chinese for each English:
    # a weaker rival is a mis-cut span more often than a second rendering.
    best_for_zh: dict[str, tuple[int, float]] = {}
    best_for_en: dict[str, tuple[int, float]] = {}
    for (zh_key, en_key), tally in tallies.items():
        strength = _strength(tally)
        best_for_zh[zh_key] = max(best_for_zh.get(zh_key, strength), strength)
        best_for_en[en_key] = max(best_for_en.get(en_key, strength), strength)
    # Numbers and Latin letters alone are not terms.
    kept = {
        key: tally
        for key, tally in tallies.items()
        if has_cjk(tally.zh) and any(ch.isalpha() for ch in tally.en)
    }
    zh_counts = _pairs_holding({prepare_zh(t.zh) for t in kept.values()}, zh_texts)
    en_counts = _pairs_holding({normalize_en(t.en) for t in kept.values()}, en_texts)
    nested_zh, nested_en = _nested(zh_counts), _nested(en_counts)
    found = []
    for (zh_key, en_key), tally in kept.items():
        strength = _strength(tally)
        tally.rivalled = (strength < best_for_zh[zh_key], strength < best_for_en[en_key])
        zh_needle = prepare_zh(tally.zh)
        en_needle = normalize_en(tally.en)
        zh_pairs, en_pairs = zh_counts[zh_needle], en_counts[en_needle]
        tally.nested = (zh_needle in nested_zh, en_needle in nested_en)
        vector = features(
            _evidence(tally, max(zh_pairs, len(tally.sources)), max(en_pairs, 1), pairs)
        )
        zh_context, en_context = tally.contexts[0]
        candidate = Candidate(
            zh=tally.zh,
            en=tally.en,
            score=0.0,
            kind=CandidateKind.COOCCURRENCE
            if tally.kind == CandidateKind.PHRASE and len(tally.sources) > 1
            else tally.kind,
            source=tally.sources[0],
            count=len(tally.sources),
            zh_context=zh_context,
            en_context=en_context,
        )
        found.append((candidate, vector))
    return found


def extract_candidates(
    units: Iterable[TranslationUnit], known: Sequence[Term] = ()
) -> list[Candidate]:
    """Propose term pairs from aligned units, best first; each says whether it is already known.

    Nothing in `known` influences what is found or how it scores: it only labels candidates
    (known, with the entry's status, or "forbidden" when the rendering is a forbidden one).
    """
    candidates = []
    for candidate, _ in scored_candidates(units):
        _mark_known(candidate, known)
        candidates.append(candidate)
    candidates.sort(key=lambda c: (-c.score, -c.count, c.zh, c.en))
    return candidates


def units_from_files(paths: Iterable[Path]) -> list[TranslationUnit]:
    """The pairs of TMX files (other bilingual formats zhen's TM reads work too)."""
    units: list[TranslationUnit] = []
    for path in paths:
        units.extend(tmx.iter_units(path))
    return units


def units_from_db(conn: sqlite3.Connection) -> list[TranslationUnit]:
    """The pairs stored in the translation memory."""
    return stored_units.pairs_for_extraction(conn)


def save_candidates(
    conn: sqlite3.Connection, candidates: Iterable[Candidate], *, min_score: float = DISPLAY_SCORE
) -> int:
    """Store the shown candidates (the best rendering of each Chinese term scoring at least
    `min_score`) that are new as proposed terms; known ones are left as they are (a rejected term
    stays rejected). Returns how many were added."""
    added = 0
    with transaction(conn):
        for shown in shown_terms(candidates, min_score):
            candidate = shown.best
            if candidate.known:
                continue
            existing = get_term(conn, candidate.zh)
            if any(rendering_key(t.en) == rendering_key(candidate.en) for t in existing):
                continue
            add_term(conn, candidate.to_term())
            added += 1
    return added


__all__ = [
    "DISPLAY_SCORE",
    "extract_candidates",
    "save_candidates",
    "scored_candidates",
    "shown_terms",
    "units_from_db",
    "units_from_files",
]

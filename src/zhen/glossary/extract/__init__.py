"""Term extraction from aligned pairs: quoted phrases, acronyms, recurring units and names,
scored with dictionary evidence and co-occurrence statistics, checked against the glossary."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import ahocorasick

from zhen.glossary.entries import DISPLAY_SCORE, Candidate, CandidateKind, term_key
from zhen.glossary.extract.evidence import load_lexicon, log_likelihood
from zhen.glossary.extract.scoring import CandidateEvidence, features, probabilities
from zhen.glossary.extract.shape import (
    coordinated,
    en_clause,
    en_participle,
    en_ragged,
    en_rarity,
    name_then_verb,
    titled_person,
    zh_rarity,
)

# ShownTerm and shown_terms are part of the extractor's interface (zhen.glossary re-exports them).
from zhen.glossary.extract.shown import ShownTerm as ShownTerm
from zhen.glossary.extract.shown import rendering_key
from zhen.glossary.extract.shown import shown_terms as shown_terms
from zhen.glossary.extract.stream import (
    CHUNK_PAIRS,
    CorpusTally,
    Progress,
    Tally,
    corpus_tally,
    pair_texts,
    temporary_folder,
)
from zhen.glossary.extract.tokens import ZhToken, prepare_zh, zh_tokens
from zhen.glossary.repository import add_term, get_term
from zhen.io import tmx
from zhen.io.tmfiles import READERS, detect_format
from zhen.models import Term, TranslationUnit
from zhen.store import units as stored_units
from zhen.store.base import transaction
from zhen.text.normalize import has_cjk, normalize_en

_LLR_SIGNIFICANT = 3.84  # G² critical value at p = 0.05, one degree of freedom
_SCORE_BATCH = 50_000  # candidates scored at once: their feature vectors are what memory holds


def _automaton(needles: set[str]) -> ahocorasick.Automaton | None:
    automaton = ahocorasick.Automaton()
    for needle in needles:
        if needle:
            automaton.add_word(needle, needle)
    if not len(automaton):
        return None
    automaton.make_automaton()
    return automaton


def _pairs_holding(
    zh_needles: set[str], en_needles: set[str], texts: Iterable[tuple[str, str]]
) -> tuple[dict[str, int], dict[str, int]]:
    """How many pairs' Chinese hold each Chinese needle, and English each English one: one
    Aho-Corasick pass over the texts, not a substring test per needle and text."""
    zh_counts, en_counts = dict.fromkeys(zh_needles, 0), dict.fromkeys(en_needles, 0)
    zh_automaton, en_automaton = _automaton(zh_needles), _automaton(en_needles)
    for zh_text, en_text in texts:
        for automaton, text, counts in (
            (zh_automaton, zh_text, zh_counts),
            (en_automaton, en_text, en_counts),
        ):
            if automaton is not None:
                for needle in {found for _, found in automaton.iter(text)}:
                    counts[needle] += 1
    return zh_counts, en_counts


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


def _strength(tally: Tally) -> tuple[int, float]:
    """How strongly the pairs support a candidate: pairs found in, then mean coverage."""
    return tally.count, round(tally.quality_sum / tally.count, 6)


@lru_cache(maxsize=65536)
def _term_words(zh: str) -> tuple[ZhToken, ...]:
    """A candidate's Chinese cut into words; renderings of one Chinese share the cut."""
    return zh_tokens(prepare_zh(zh))


def _evidence(tally: Tally, zh_pairs: int, en_pairs: int, pairs: int) -> CandidateEvidence:
    """What the scoring model weighs: coverage, agreement across pairs (Dice, G²), kind, shape."""
    joint = tally.count
    dice = 2 * joint / (zh_pairs + en_pairs) if zh_pairs + en_pairs else 0.0
    significant = (
        joint >= 2 and log_likelihood(joint, zh_pairs, en_pairs, pairs) >= _LLR_SIGNIFICANT
    )
    zh_inner = tally.zh[1:-1]
    words = _term_words(tally.zh)
    return CandidateEvidence(
        quality=tally.quality_sum / joint,
        dice=dice,
        count=joint,
        significant=significant,
        kind=tally.kind,
        # One capitalised word opening a sentence is no title.
        title_case=tally.title_case and not (tally.sentence_initial and len(tally.en.split()) == 1),
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
        en_in_name=tally.in_name / joint,
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
    units: Iterable[TranslationUnit], **options: Any
) -> list[tuple[Candidate, tuple[float, ...]]]:
    """Every candidate with its score and feature vector (zhen.glossary.extract.scoring),
    unsorted and unlabelled; extract_candidates is this, labelled and ranked. The options are
    extract_candidates' (workers, fresh, progress, chunk_pairs, without)."""
    return list(_scored(units, **options))


def _scored(
    units: Iterable[TranslationUnit], **options: Any
) -> Iterator[tuple[Candidate, tuple[float, ...]]]:
    with temporary_folder() as folder:
        batch: list[tuple[Candidate, tuple[float, ...]]] = []
        for item in _featured(_corpus(units, Path(folder), **options)):
            batch.append(item)
            if len(batch) >= _SCORE_BATCH:
                yield from _score(batch)
                batch = []
        yield from _score(batch)


def _score(
    batch: list[tuple[Candidate, tuple[float, ...]]],
) -> list[tuple[Candidate, tuple[float, ...]]]:
    # The model scores many candidates in one pass: per-candidate calls would dominate the run;
    # each row's score depends on that row alone, so batches give the same scores.
    scores = probabilities([vector for _, vector in batch])
    for (candidate, _), score in zip(batch, scores, strict=True):
        candidate.score = score
    return batch


def _corpus(
    units: Iterable[TranslationUnit],
    folder: Path,
    *,
    workers: int = 1,
    fresh: Callable[[TranslationUnit], bool] | None = None,
    progress: Progress | None = None,
    chunk_pairs: int = CHUNK_PAIRS,
    without: frozenset[str] = frozenset(),
) -> CorpusTally:
    corpus = corpus_tally(
        units,
        folder,
        workers=workers,
        chunk_pairs=chunk_pairs,
        fresh=fresh,
        progress=progress,
        without=without,
    )
    if progress is not None:
        progress("counting", corpus.pairs, corpus.pairs)
    return corpus


def candidate_features(
    units: Iterable[TranslationUnit], **options: Any
) -> list[tuple[Candidate, tuple[float, ...]]]:
    """Every candidate with its feature vector, not scored yet (score 0): what the scoring model
    is fitted on (benchmarks/term_fit.py) and what it scores. With `fresh`, only candidates
    found in a pair it accepts are returned; the evidence still comes from every pair."""
    with temporary_folder() as folder:
        return list(_featured(_corpus(units, Path(folder), **options)))


def _featured(corpus: CorpusTally) -> Iterator[tuple[Candidate, tuple[float, ...]]]:
    tallies = corpus.tallies
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
    zh_counts, en_counts = _pairs_holding(
        {prepare_zh(t.zh) for t in kept.values()},
        {normalize_en(t.en) for t in kept.values()},
        pair_texts(corpus.texts),
    )
    nested_zh, nested_en = _nested(zh_counts), _nested(en_counts)
    for (zh_key, en_key), tally in kept.items():
        if not tally.fresh:
            continue
        strength = _strength(tally)
        tally.rivalled = (strength < best_for_zh[zh_key], strength < best_for_en[en_key])
        zh_needle = prepare_zh(tally.zh)
        en_needle = normalize_en(tally.en)
        zh_pairs, en_pairs = zh_counts[zh_needle], en_counts[en_needle]
        tally.nested = (zh_needle in nested_zh, en_needle in nested_en)
        vector = features(
            _evidence(tally, max(zh_pairs, tally.count), max(en_pairs, 1), corpus.pairs)
        )
        zh_context, en_context = tally.context
        candidate = Candidate(
            zh=tally.zh,
            en=tally.en,
            score=0.0,
            kind=CandidateKind.COOCCURRENCE
            if tally.kind == CandidateKind.PHRASE and tally.count > 1
            else tally.kind,
            source=tally.source,
            count=tally.count,
            zh_context=zh_context,
            en_context=en_context,
        )
        yield candidate, vector


def extract_candidates(
    units: Iterable[TranslationUnit], known: Sequence[Term] = (), **options: Any
) -> list[Candidate]:
    """Propose term pairs from aligned units, best first; each says whether it is already known.

    Nothing in `known` influences what is found or how it scores: it only labels candidates
    (known, with the entry's status, or "forbidden" when the rendering is a forbidden one).
    Options: `workers` (processes, 1: this one; the result does not depend on it), `fresh`
    (propose only terms found in the pairs it accepts, weighing every pair's evidence),
    `progress(stage, pairs done, pairs in all or None)`, `without` (a frozenset of
    zhen.glossary.extract.stream.FINDERS to leave out, to measure what each adds).
    """
    return best_candidates(units, known, float("-inf"), **options)[0]


def best_candidates(
    units: Iterable[TranslationUnit], known: Sequence[Term], min_score: float, **options: Any
) -> tuple[list[Candidate], int]:
    """The candidates scoring at least `min_score`, best first, and how many were found in all:
    extract_candidates, holding only the candidates a caller shows."""
    candidates = []
    found = 0
    for candidate, _ in _scored(units, **options):
        found += 1
        if candidate.score >= min_score:
            _mark_known(candidate, known)
            candidates.append(candidate)
    candidates.sort(key=lambda c: (-c.score, -c.count, c.zh, c.en))
    return candidates, found


def iter_units_from_files(paths: Iterable[Path]) -> Iterator[TranslationUnit]:
    """The pairs of bilingual files, one after the other, in any format `zhen tm import` reads
    (TMX, TSV, XLIFF, PO), read as they are needed."""
    for path in paths:
        tmx.check_input_file(path)
        yield from READERS[detect_format(path)](path, tmx.ReadStats())


def units_from_files(paths: Iterable[Path]) -> list[TranslationUnit]:
    """The pairs of bilingual files in any format `zhen tm import` reads."""
    return list(iter_units_from_files(paths))


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
    "best_candidates",
    "extract_candidates",
    "iter_units_from_files",
    "save_candidates",
    "scored_candidates",
    "shown_terms",
    "units_from_db",
    "units_from_files",
]

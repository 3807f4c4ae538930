"""Term extraction from aligned pairs: quoted phrases, acronyms, recurring units and names,
scored with dictionary evidence and co-occurrence statistics, checked against the glossary."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from zhen.glossary.entries import DISPLAY_SCORE, Candidate, CandidateKind
from zhen.glossary.extract.features import feature_values, feature_vector
from zhen.glossary.extract.scoring import probabilities

# ShownTerm and shown_terms are part of the extractor's interface (zhen.glossary re-exports them).
from zhen.glossary.extract.shown import ShownTerm as ShownTerm
from zhen.glossary.extract.shown import mark_known, rendering_key
from zhen.glossary.extract.shown import shown_terms as shown_terms
from zhen.glossary.extract.stream import CHUNK_PAIRS, Progress, corpus_tally, temporary_folder
from zhen.glossary.extract.tally import CorpusTally, settled
from zhen.glossary.repository import add_term, get_term
from zhen.io import tmx
from zhen.io.tmfiles import READERS, detect_format
from zhen.models import Term, TranslationUnit
from zhen.store import units as stored_units
from zhen.store.base import transaction

_SCORE_BATCH = 50_000  # candidates scored at once: their feature vectors are what memory holds


def scored_candidates(
    units: Iterable[TranslationUnit], **options: Any
) -> list[tuple[Candidate, tuple[float, ...]]]:
    """Every candidate with its score and feature vector (zhen.glossary.extract.features),
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
    """Each settled candidate of the corpus with its feature vector, not scored yet."""
    try:
        yield from _featured_settled(corpus)
    finally:
        corpus.close()


def _featured_settled(corpus: CorpusTally) -> Iterator[tuple[Candidate, tuple[float, ...]]]:
    for tally in settled(corpus):
        vector = feature_vector(feature_values(tally, corpus.pairs))
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
    zhen.glossary.extract.finders.LEAVE_OUT to leave out, to measure what each adds).
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
            mark_known(candidate, known)
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

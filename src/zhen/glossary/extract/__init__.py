"""Term extraction from aligned pairs: quoted phrases, acronyms, recurring units and names,
scored with dictionary evidence and co-occurrence statistics, checked against the glossary."""

from __future__ import annotations

import sqlite3
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future
from concurrent.futures.process import BrokenProcessPool
from itertools import chain, islice
from pathlib import Path
from typing import Any

from zhen.glossary.entries import DISPLAY_SCORE, Candidate, CandidateKind
from zhen.glossary.extract.features import feature_values, feature_vector
from zhen.glossary.extract.scoring import probabilities

# ShownTerm and shown_terms are part of the extractor's interface (zhen.glossary re-exports them).
from zhen.glossary.extract.shown import ShownTerm as ShownTerm
from zhen.glossary.extract.shown import mark_known, rendering_key
from zhen.glossary.extract.shown import shown_terms as shown_terms
from zhen.glossary.extract.stream import (
    CHUNK_PAIRS,
    Progress,
    corpus_tally,
    temporary_folder,
    worker_died,
    worker_pool,
)
from zhen.glossary.extract.tally import CorpusTally, Tally, settled
from zhen.glossary.repository import add_term, get_term
from zhen.io import tmx
from zhen.io.tmfiles import READERS, detect_format
from zhen.models import Term, TranslationUnit
from zhen.store import units as stored_units
from zhen.store.base import transaction

# Candidates featured and scored per task: their tallies and vectors are what memory holds,
# times the tasks in flight.
FEATURE_BATCH = 10_000


def scored_candidates(
    units: Iterable[TranslationUnit], **options: Any
) -> list[tuple[Candidate, tuple[float, ...]]]:
    """Every candidate with its score and feature vector (zhen.glossary.extract.features),
    unsorted and unlabelled; extract_candidates is this, labelled and ranked. The options are
    extract_candidates' (workers, fresh, progress, chunk_pairs, without)."""
    return list(_scored(units, **options))


def candidate_features(
    units: Iterable[TranslationUnit], **options: Any
) -> list[tuple[Candidate, tuple[float, ...]]]:
    """Every candidate with its feature vector, not scored yet (score 0): what the scoring model
    is fitted on (benchmarks/term_fit.py) and what it scores. With `fresh`, only candidates
    found in a pair it accepts are returned; the evidence still comes from every pair."""
    return list(_scored(units, scored=False, **options))


def _scored(
    units: Iterable[TranslationUnit],
    *,
    scored: bool = True,
    workers: int = 1,
    feature_batch: int = FEATURE_BATCH,
    **options: Any,
) -> Iterator[tuple[Candidate, tuple[float, ...]]]:
    """The candidates with their vectors, scored unless `scored` is false. The workers that
    tallied the pairs then feature and score the candidates, `feature_batch` per task, in
    order: the command's own process only reads the settled candidates and hands them out."""
    with temporary_folder() as folder, worker_pool(workers) as pool:
        corpus = _corpus(units, Path(folder), workers=workers, pool=pool, **options)
        try:
            ahead = 2 * max(workers, 1)
            batches = _batched(settled(corpus), feature_batch)
            first = next(batches, [])
            second = next(batches, None)
            if second is None:  # one batch: not worth a worker's start-up
                yield from featured_batch(first, corpus.pairs, scored)
                return
            running: deque[Future[list[tuple[Candidate, tuple[float, ...]]]]] = deque()
            for batch in chain([first, second], batches):
                running.append(pool.submit(featured_batch, batch, corpus.pairs, scored))
                while len(running) > ahead:
                    yield from running.popleft().result()
            while running:
                yield from running.popleft().result()
        except BrokenProcessPool as exc:
            raise worker_died() from exc
        finally:
            corpus.close()


def _batched(tallies: Iterable[Tally], size: int) -> Iterator[list[Tally]]:
    iterator = iter(tallies)
    while batch := list(islice(iterator, size)):
        yield batch


def featured_batch(
    tallies: list[Tally], pairs: int, scored: bool = True
) -> list[tuple[Candidate, tuple[float, ...]]]:
    """Settled candidates of a corpus of `pairs` pairs with their feature vectors, scored by the
    packaged model unless `scored` is false (score 0). The model scores all of them in one pass:
    per-candidate calls would dominate; a row's score depends on that row alone, so the batches
    give the same scores."""
    vectors = [feature_vector(feature_values(tally, pairs)) for tally in tallies]
    scores = probabilities(vectors) if scored and vectors else [0.0] * len(vectors)
    return [
        (_candidate(tally, score), vector)
        for tally, vector, score in zip(tallies, vectors, scores, strict=True)
    ]


def _candidate(tally: Tally, score: float) -> Candidate:
    zh_context, en_context = tally.context
    return Candidate(
        zh=tally.zh,
        en=tally.en,
        score=score,
        kind=CandidateKind.COOCCURRENCE
        if tally.kind == CandidateKind.PHRASE and tally.count > 1
        else tally.kind,
        source=tally.source,
        count=tally.count,
        zh_context=zh_context,
        en_context=en_context,
    )


def _corpus(
    units: Iterable[TranslationUnit],
    folder: Path,
    *,
    workers: int = 1,
    fresh: Callable[[TranslationUnit], bool] | None = None,
    progress: Progress | None = None,
    chunk_pairs: int = CHUNK_PAIRS,
    without: frozenset[str] = frozenset(),
    pool: Executor | None = None,
) -> CorpusTally:
    corpus = corpus_tally(
        units,
        folder,
        workers=workers,
        chunk_pairs=chunk_pairs,
        fresh=fresh,
        progress=progress,
        without=without,
        pool=pool,
    )
    if progress is not None:
        progress("counting", corpus.pairs, corpus.pairs)
    return corpus


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

"""The corpus tally of term extraction, streamed: pairs are read in chunks, tokenised and counted
(the word evidence), then aligned and tallied against the whole corpus's evidence, in worker
processes when there are several chunks; the chunks' tallies are merged in input order."""

from __future__ import annotations

import multiprocessing
import pickle
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from zhen.errors import ZhenError
from zhen.glossary.entries import CandidateKind, term_key
from zhen.glossary.extract.acronyms import acronyms, find_expansions
from zhen.glossary.extract.evidence import PINYIN, Evidence
from zhen.glossary.extract.glosses import bracket_glosses
from zhen.glossary.extract.names import claim_name_words, recut_names
from zhen.glossary.extract.phrases import align_pair, best_spans, spans
from zhen.glossary.extract.quotes import quoted_pairs
from zhen.glossary.extract.semantic import free_renderings, free_windows, set_phrases
from zhen.glossary.extract.shape import inside_longer_name
from zhen.glossary.extract.shown import rendering_key
from zhen.glossary.extract.tokens import EnToken, ZhToken, en_tokens, prepare_zh, zh_tokens
from zhen.models import TranslationUnit
from zhen.text.normalize import normalize_en

# Pairs per chunk: what one worker task holds in memory at once. The embedding stage encodes a
# chunk's set phrases together, so the chunk size is part of what a run computes.
CHUNK_PAIRS = 500
# A Chinese span whose dictionary window covers it this well needs no embedding search.
_EXPLAINED = 0.8
_POSSESSIVE_RE = re.compile(r"(?<=\w)['’]s$")
_KIND_RANK = {
    CandidateKind.ACRONYM: 0,
    CandidateKind.QUOTED: 1,
    CandidateKind.NAME: 2,
    CandidateKind.PHRASE: 3,
}
# The finders, each a source of candidate (zh, en) pairs that can be left out (`without`) to
# measure what it adds (benchmarks/term_ablation.py): aligned word spans, quotation marks on both
# sides, acronyms with their expansion, Latin glosses in Chinese brackets, each span's rendering
# one word wider or narrower, set phrases rendered freely (embeddings), and pinyin-spelled names
# (made one token and given their English words before the spans are aligned).
FINDERS = ("phrases", "quotes", "acronyms", "glosses", "variants", "semantic", "names")
# Fresh interpreters, as zhen.tm.rows explains: forking a process that may run threads is unsafe.
_PROCESS_CONTEXT = multiprocessing.get_context("spawn")

Progress = Callable[[str, int, int | None], None]  # (stage, pairs done, pairs in all if known)


class Pair(NamedTuple):
    """What extraction keeps of a unit: its texts, where it came from, whether it is new."""

    zh: str
    en: str
    source: str  # "origin#position", as a candidate cites it
    fresh: bool  # a pair whose terms may be proposed (--since): every pair by default


class Found(NamedTuple):
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
class Tally:
    """A (zh, en) pair seen in one or more sentence pairs: counts and sums over its
    occurrences, and the first occurrence's source and texts; nothing per occurrence."""

    zh: str
    en: str
    kind: CandidateKind
    tokens: int
    nominal: bool
    clause: bool
    source: str  # the first pair holding it
    context: tuple[str, str]  # that pair's Chinese and English
    count: int = 0  # pairs holding it
    quality_sum: float = 0.0  # summed in input order, as sum() over the qualities would
    title_case: bool = False
    truncated: int = 0  # occurrences where a head noun follows the Chinese
    dominated: int = 0  # occurrences where an overlapping candidate covered its pair better
    variant: int = 0  # occurrences as a window one word off a span's best (edge_variants)
    sentence_initial: bool = True  # the English opens its sentence wherever it was found
    in_name: int = 0  # occurrences where the English is a piece of a longer name
    fresh: bool = False  # found in a fresh pair
    rivalled: tuple[bool, bool] = (False, False)  # a stronger rendering / stronger Chinese exists
    nested: tuple[bool, bool] = (False, False)  # Chinese / English occurs only in a longer one


@dataclass(slots=True)
class _ChunkEntry:
    """A candidate's occurrences in one chunk, in input order (merged into a Tally)."""

    found: Found  # its first occurrence in the chunk
    qualities: list[float] = field(default_factory=list)
    pairs: list[int] = field(default_factory=list)  # chunk positions of the pairs holding it
    title_case: bool = False
    kind: CandidateKind = CandidateKind.PHRASE
    truncated: int = 0
    dominated: int = 0
    variant: int = 0


@dataclass(slots=True)
class CorpusTally:
    """Every candidate of the corpus, the number of pairs, and where the pairs' texts are kept
    for the counting pass (a temporary directory the caller removes)."""

    tallies: dict[tuple[str, str], Tally]
    pairs: int
    texts: list[Path]  # one file per chunk: [(prepared Chinese, normalised English)]


def source_of(unit: TranslationUnit, index: int) -> str:
    """Where a candidate found in `unit` (the `index`-th pair read) comes from."""
    if unit.origin and unit.position is not None:
        return f"{unit.origin}#{unit.position}"
    return f"{unit.origin or 'pair'}#{index + 1}"


def pair_chunks(
    units: Iterable[TranslationUnit],
    fresh: Callable[[TranslationUnit], bool] | None = None,
    size: int = CHUNK_PAIRS,
) -> Iterator[list[Pair]]:
    """The units with text on both sides, as Pairs, `size` at a time."""
    chunk: list[Pair] = []
    index = 0
    for unit in units:
        if not (unit.zh.strip() and unit.en.strip()):
            continue
        is_fresh = True if fresh is None else fresh(unit)
        chunk.append(Pair(unit.zh, unit.en, source_of(unit, index), is_fresh))
        index += 1
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# --- stage 1: tokens and word evidence ---------------------------------------------------


def prepare_chunk(
    chunk: list[Pair], folder: str, number: int, without: frozenset[str] = frozenset()
) -> Evidence:
    """Tokenise a chunk's pairs, keep the tokens and texts in `folder`, return its counts."""
    evidence = Evidence()
    rows = []
    texts = []
    for pair in chunk:
        zh_text = prepare_zh(pair.zh)
        zh, en = zh_tokens(zh_text), en_tokens(pair.en)
        if "names" not in without:
            zh = recut_names(zh_text, zh, pair.en)
        evidence.add_pair(zh, en)
        for start, end, acronym in find_expansions(pair.en):
            evidence.add_acronym(acronym, [t for t in en if start <= t.start and t.end <= end])
        rows.append((zh_text, zh, en))
        texts.append((zh_text, normalize_en(pair.en)))
    _dump(Path(folder) / f"{number}.tokens", (chunk, rows))
    _dump(Path(folder) / f"{number}.texts", texts)
    return evidence


def _dump(path: Path, value: object) -> None:
    with path.open("wb") as file:
        pickle.dump(value, file, protocol=pickle.HIGHEST_PROTOCOL)


def load(path: Path) -> Any:
    """A value prepare_chunk kept."""
    with path.open("rb") as file:
        return pickle.load(file)


# --- stage 2: alignment and the finders, per pair -----------------------------------------


def pair_found(
    zh_text: str,
    en_text: str,
    zh: tuple[ZhToken, ...],
    en: tuple[EnToken, ...],
    evidence: Evidence,
    without: frozenset[str] = frozenset(),
) -> tuple[list[Found], set[tuple[str, str]], list[tuple[str, list[str]]]]:
    """What the finders (all but those `without` names) find in one pair; the (zh, en) found cut
    before a head noun; and the set phrases no dictionary window explains, with their English
    windows (for the embeddings)."""
    alignment = align_pair(zh_text, en_text, zh, en, evidence)
    if "names" not in without:
        alignment.claimed = claim_name_words(zh_text, zh, en, en_text, alignment.links)
    for position in alignment.claimed:
        alignment.weights[position] = max(alignment.weights[position], PINYIN)
    quoted = [] if "quotes" in without else list(quoted_pairs(alignment, evidence))
    phrases = [] if "phrases" in without else spans(alignment, evidence, "quotes" not in without)
    matches = best_spans([*quoted, *phrases])
    found = [
        Found(m.zh, m.en, m.kind, m.quality, m.tokens, m.title_case, m.nominal, m.clause)
        for m in matches
    ]
    if "acronyms" not in without:
        found += [
            Found(m.zh, m.en, CandidateKind.ACRONYM, m.quality, 1, True, True, False)
            for m in acronyms(alignment, evidence)
        ]
    # A Latin gloss the Chinese brackets after a term is the author's own rendering.
    for gloss in () if "glosses" in without else bracket_glosses(zh, en_text):
        # Only the likeliest reading is the author's gloss; the others are guesses.
        title = gloss.en[:1].isupper() and not gloss.variant
        kind, quality = (
            (CandidateKind.NAME, 1.0)
            if title
            else (CandidateKind.PHRASE, 0.5 if gloss.variant else 1.0)
        )
        found.append(Found(gloss.zh, gloss.en, kind, quality, 1, title, True, False, gloss.variant))
    # Each span's rendering one word wider or narrower competes too, marked as a variant.
    if "variants" not in without:
        found += [
            Found(m.zh, text, CandidateKind.PHRASE, q, m.tokens, False, m.nominal, m.clause, True)
            for m in matches
            for text, q in m.variants
        ]
    truncated = {(m.zh, m.en) for m in matches if m.truncated}
    explained = {m.zh for m in matches if m.quality >= _EXPLAINED}
    requests = []
    wanted = [] if "semantic" in without else set_phrases(alignment, explained)
    for first, end in wanted:
        windows = free_windows(alignment, first, end)
        if windows:
            requests.append((zh_text[zh[first].start : zh[end - 1].end], windows))
    return found, truncated, requests


def _overlap(zh: str, en: str, other_zh: str, other_en: str) -> bool:
    """True when two candidates of one pair compete: one's Chinese holds the other's, or
    one's English does."""
    if (zh, en) == (other_zh, other_en):
        return False
    return zh in other_zh or other_zh in zh or en in other_en or other_en in en


def _dominated(zh: str, en: str, quality: float, stronger: list[Found]) -> bool:
    """True when a candidate of the pair covering it better competes with it (_overlap);
    `stronger` holds the pair's candidates that are no variants, best covered first."""
    for other in stronger:
        if other.quality <= quality:
            return False
        if _overlap(zh, en, other.zh, other.en):
            return True
    return False


def tally_chunk(
    path: Path, evidence: Evidence, without: frozenset[str] = frozenset()
) -> tuple[list[Pair], dict[tuple[str, str], _ChunkEntry]]:
    """A chunk's pairs and its candidates, each with its occurrences in input order."""
    chunk, rows = load(path)
    per_pair = []
    requests: list[tuple[int, str, list[str]]] = []
    for position, (pair, (zh_text, zh, en)) in enumerate(zip(chunk, rows, strict=True)):
        found, truncated, wanted = pair_found(zh_text, pair.en, zh, en, evidence, without)
        per_pair.append((found, truncated))
        requests += [(position, zh_span, windows) for zh_span, windows in wanted]
    # Set phrases no dictionary window explains get the English window closest in meaning.
    picks = free_renderings([(zh_span, windows) for _, zh_span, windows in requests])
    for (position, zh_span, _), pick in zip(requests, picks, strict=True):
        if pick is not None:
            per_pair[position][0].append(
                Found(zh_span, pick[0], CandidateKind.PHRASE, pick[1], 1, False, True, False)
            )
    entries: dict[tuple[str, str], _ChunkEntry] = {}
    for position, (found, truncated) in enumerate(per_pair):
        seen_here: set[tuple[str, str]] = set()
        # The candidates that may dominate another, strongest first (see below).
        stronger = sorted((f for f in found if not f.variant), key=lambda f: -f.quality)
        for item in found:
            # A term is named without the possessive its sentence gave it ("US Navy's").
            en_span = _POSSESSIVE_RE.sub("", item.en)
            key = (term_key(item.zh), rendering_key(en_span))
            if key in seen_here:
                continue
            seen_here.add(key)
            entry = entries.get(key)
            if entry is None:
                entry = entries[key] = _ChunkEntry(item._replace(en=en_span), kind=item.kind)
            if _KIND_RANK[item.kind] < _KIND_RANK[entry.kind]:
                entry.kind = item.kind
            entry.title_case = entry.title_case or item.title
            entry.qualities.append(item.quality)
            entry.variant += item.variant
            entry.truncated += (item.zh, en_span) in truncated
            # A variant never dominates the window it was derived from.
            entry.dominated += _dominated(item.zh, en_span, item.quality, stronger)
            entry.pairs.append(position)
    return chunk, entries


def merge_chunk(
    tallies: dict[tuple[str, str], Tally],
    chunk: list[Pair],
    entries: dict[tuple[str, str], _ChunkEntry],
) -> None:
    """Add a chunk's candidates to the corpus tally; chunks must come in input order."""
    for key, entry in entries.items():
        tally = tallies.get(key)
        if tally is None:
            first, pair = entry.found, chunk[entry.pairs[0]]
            tally = tallies[key] = Tally(
                first.zh,
                first.en,
                entry.kind,
                first.tokens,
                first.nominal,
                first.clause,
                pair.source,
                (pair.zh, pair.en),
            )
        if _KIND_RANK[entry.kind] < _KIND_RANK[tally.kind]:
            tally.kind = entry.kind
        tally.title_case = tally.title_case or entry.title_case
        for quality in entry.qualities:
            tally.quality_sum += quality
        tally.count += len(entry.pairs)
        tally.variant += entry.variant
        tally.truncated += entry.truncated
        tally.dominated += entry.dominated
        for position in entry.pairs:
            pair = chunk[position]
            tally.fresh = tally.fresh or pair.fresh
            # A capital there is the sentence's, not a name's ("However", "Mutation").
            tally.sentence_initial = tally.sentence_initial and pair.en.lstrip(' "“‘(').startswith(
                tally.en
            )
            tally.in_name += inside_longer_name(tally.en, pair.en)


# --- the driver -----------------------------------------------------------------------------


# A worker's copy of the corpus evidence, read once from the file the driver wrote.
_WORKER_EVIDENCE: dict[Path, Evidence] = {}


def _tally_in_worker(
    path: Path, evidence_path: Path, without: frozenset[str]
) -> tuple[list[Pair], dict[tuple[str, str], _ChunkEntry]]:
    if evidence_path not in _WORKER_EVIDENCE:
        _WORKER_EVIDENCE.clear()
        _WORKER_EVIDENCE[evidence_path] = load(evidence_path)
    return tally_chunk(path, _WORKER_EVIDENCE[evidence_path], without)


class _InProcess(Executor):
    """Runs each task at once, in this process: one chunk is not worth a worker's start-up."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # handed to the caller through the future, as a pool does
            future.set_exception(exc)
        return future


def corpus_tally(
    units: Iterable[TranslationUnit],
    folder: Path,
    *,
    workers: int = 1,
    chunk_pairs: int = CHUNK_PAIRS,
    fresh: Callable[[TranslationUnit], bool] | None = None,
    progress: Progress | None = None,
    without: frozenset[str] = frozenset(),
) -> CorpusTally:
    """Tally every candidate of the units, `workers` processes at a time (1: in this one);
    the tokens and texts are kept in `folder` meanwhile. The result does not depend on
    `workers`: chunks are merged in input order. `without` names FINDERS to leave out."""
    if unknown := without - set(FINDERS):
        raise ValueError(f"no such finder: {', '.join(sorted(unknown))}")
    report = progress or (lambda stage, done, total: None)
    chunks = pair_chunks(units, fresh, chunk_pairs)
    first = next(chunks, None)
    second = next(chunks, None)
    if first is None:
        return CorpusTally({}, 0, [])
    several = second is not None and workers > 1
    # One pool for both passes: a worker's start-up (tokeniser, dictionary) is paid once.
    try:
        with _pool(several, workers) as pool:
            run = _Run(pool, folder, several, 2 * workers, report, without)
            evidence, pairs, number = run.read(_chain(first, second, chunks))
            tallies = run.tally(evidence, pairs, number)
    except BrokenProcessPool as exc:
        raise ZhenError(
            "term extraction stopped: a worker process died (out of memory?); try --workers 1"
        ) from exc
    return CorpusTally(tallies, pairs, [folder / f"{n}.texts" for n in range(number)])


@dataclass(slots=True)
class _Run:
    """The two passes over the chunks, in a pool (or in this process)."""

    pool: Executor
    folder: Path
    several: bool  # in worker processes
    ahead: int  # chunks handed out at most before the oldest is merged
    report: Progress
    without: frozenset[str]  # finders left out

    def read(self, chunks: Iterable[list[Pair]]) -> tuple[Evidence, int, int]:
        """Tokenise and count the chunks: the corpus evidence, the pairs and the chunks."""
        evidence = Evidence()
        pairs = number = 0
        self.report("reading", 0, None)
        pending: list[tuple[Future[Evidence], int]] = []
        for chunk in chunks:
            task = self.pool.submit(prepare_chunk, chunk, str(self.folder), number, self.without)
            pending.append((task, len(chunk)))
            number += 1
            # Reading stays in this process: it waits while too many chunks are out.
            while len(pending) > self.ahead:
                pairs = self._add(evidence, *pending.pop(0), pairs)
        while pending:
            pairs = self._add(evidence, *pending.pop(0), pairs)
        evidence.forget_single_cooccurrences()
        return evidence, pairs, number

    def _add(self, evidence: Evidence, future: Future[Evidence], size: int, pairs: int) -> int:
        evidence.merge(future.result())
        self.report("reading", pairs + size, None)
        return pairs + size

    def tally(self, evidence: Evidence, pairs: int, number: int) -> dict[tuple[str, str], Tally]:
        """Align and tally each chunk against the corpus evidence; merge them in order."""
        tallies: dict[tuple[str, str], Tally] = {}
        evidence_path = self.folder / "evidence"
        if self.several:
            _dump(evidence_path, evidence)
        done = 0
        self.report("aligning", 0, pairs)
        running: list[Future[Any]] = []
        for n in range(number):
            path = self.folder / f"{n}.tokens"
            if self.several:
                running.append(
                    self.pool.submit(_tally_in_worker, path, evidence_path, self.without)
                )
            else:
                running.append(self.pool.submit(tally_chunk, path, evidence, self.without))
            while len(running) > self.ahead:
                done += _merge(tallies, running.pop(0))
                self.report("aligning", done, pairs)
        while running:
            done += _merge(tallies, running.pop(0))
            self.report("aligning", done, pairs)
        return tallies


def _merge(tallies: dict[tuple[str, str], Tally], future: Future[Any]) -> int:
    chunk, entries = future.result()
    merge_chunk(tallies, chunk, entries)
    return len(chunk)


def _chain(
    first: list[Pair], second: list[Pair] | None, rest: Iterator[list[Pair]]
) -> Iterator[list[Pair]]:
    yield first
    if second is not None:
        yield second
        yield from rest


def _pool(several: bool, workers: int) -> Executor:
    if not several:
        return _InProcess()
    return ProcessPoolExecutor(max_workers=workers, mp_context=_PROCESS_CONTEXT)


def pair_texts(paths: Iterable[Path]) -> Iterator[tuple[str, str]]:
    """(prepared Chinese, normalised English) of every pair, read back chunk by chunk."""
    for path in paths:
        yield from load(path)


def temporary_folder() -> tempfile.TemporaryDirectory[str]:
    """Where a run keeps its chunks' tokens and texts, removed when the run ends."""
    return tempfile.TemporaryDirectory(prefix="zhen-extract-")

"""The driver of term extraction, streamed: pairs are read in chunks and put through the
pair-evidence stage (zhen.glossary.extract.prepare), then the finders and the chunk tally
(finders, tally) against the whole corpus's evidence, in worker processes when there are several
chunks; the chunks' tallies are merged in input order into the corpus tally."""

from __future__ import annotations

import errno
import gc
import multiprocessing
import os
import shutil
import sqlite3
import stat
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from zhen.errors import ZhenError
from zhen.glossary.extract.evidence import (
    MIN_COOCCURRENCE,
    MIN_DICE,
    MIN_DICE_KNOWN,
    Evidence,
)
from zhen.glossary.extract.finders import LEAVE_OUT
from zhen.glossary.extract.found import Pair
from zhen.glossary.extract.prepare import chunk_joint, dump, load, prepare_chunk
from zhen.glossary.extract.tally import ChunkColumns, CorpusTally, merge_stored, tally_chunk
from zhen.models import TranslationUnit
from zhen.processes import is_running, process_identity, start_pool_worker
from zhen.store.scratch import PairCountReader, PairCounts, ScratchTable

# Pairs per chunk: what one worker task holds in memory at once.
CHUNK_PAIRS = 500
# A run's scratch folder in the temporary folder, and the file in it naming the run's process.
_FOLDER_PREFIX = "zhen-extract-"
_OWNER = "owner"
# Fresh interpreters, as zhen.tm.rows explains: forking a process that may run threads is unsafe.
_PROCESS_CONTEXT = multiprocessing.get_context("spawn")

Progress = Callable[[str, int, int | None], None]  # (stage, pairs done, pairs in all if known)


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


# --- the driver -----------------------------------------------------------------------------


# A worker's copy of the corpus evidence, read once from the file the driver wrote.
_WORKER_EVIDENCE: dict[Path, Evidence] = {}


def _worker_evidence(path: Path) -> Evidence:
    if path not in _WORKER_EVIDENCE:
        _WORKER_EVIDENCE.clear()
        _WORKER_EVIDENCE[path] = load(path)
    return _WORKER_EVIDENCE[path]


def _joint_in_worker(path: Path, evidence_path: Path, out: Path) -> Path:
    return chunk_joint(path, _worker_evidence(evidence_path), out)


def _tally_file(
    path: Path, evidence: Evidence, without: frozenset[str]
) -> tuple[list[Pair], ChunkColumns]:
    """The pairs and the candidates of a chunk prepare_chunk kept in `path`."""
    chunk, rows = load(path)
    return chunk, ChunkColumns.of(tally_chunk(chunk, rows, evidence, without))


def _tally_in_worker(
    path: Path, evidence_path: Path, without: frozenset[str]
) -> tuple[list[Pair], ChunkColumns]:
    return _tally_file(path, _worker_evidence(evidence_path), without)


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
    `workers`: chunks are merged in input order. `without` names finders to leave out
    (zhen.glossary.extract.finders.LEAVE_OUT)."""
    if unknown := without - set(LEAVE_OUT):
        raise ValueError(f"no such finder: {', '.join(sorted(unknown))}")
    report = progress or (lambda stage, done, total: None)
    chunks = pair_chunks(units, fresh, chunk_pairs)
    first = next(chunks, None)
    second = next(chunks, None)
    # The candidates' tallies live on disk: the command's memory does not grow with the TM.
    tallies = ScratchTable(folder / "candidates.sqlite")
    if first is None:
        return CorpusTally(tallies, 0, [], folder)
    several = second is not None and workers > 1
    # One pool for every pass: a worker's start-up (tokeniser, dictionary) is paid once.
    try:
        with _fewer_collections(), _pool(several, workers) as pool:
            run = _Run(pool, folder, several, 2 * workers, report, without)
            evidence, pairs, number = run.read(_chain(first, second, chunks))
            run.tally(tallies, evidence, pairs, number)
    except BrokenProcessPool as exc:
        tallies.close()
        raise ZhenError(
            "term extraction stopped: a worker process died (out of memory?); try --workers 1"
        ) from exc
    except BaseException:
        tallies.close()
        raise
    return CorpusTally(tallies, pairs, [folder / f"{n}.texts" for n in range(number)], folder)


_T = TypeVar("_T")


def in_order(
    pool: Executor, calls: Iterable[tuple[Callable[..., _T], tuple[Any, ...]]], ahead: int
) -> Iterator[_T]:
    """The result of each (function, arguments) call run in `pool`, in the order of `calls`;
    at most `ahead` calls are handed out beyond the oldest whose result is awaited, so memory
    holds a bounded number of them, and `calls` is read only as fast as results are taken."""
    running: deque[Future[_T]] = deque()
    for function, arguments in calls:
        running.append(pool.submit(function, *arguments))
        while len(running) > ahead:
            yield running.popleft().result()
    while running:
        yield running.popleft().result()


@dataclass(slots=True)
class _Run:
    """The passes over the chunks, in a pool (or in this process)."""

    pool: Executor
    folder: Path
    several: bool  # in worker processes
    ahead: int  # chunks handed out at most before the oldest is merged
    report: Progress
    without: frozenset[str]  # finders left out

    def read(self, chunks: Iterable[list[Pair]]) -> tuple[Evidence, int, int]:
        """Tokenise and count the chunks, then the word pairs that occur together: the corpus
        evidence, the pairs and the chunks."""
        evidence = Evidence()
        sizes: list[int] = []  # pairs per chunk, as they are handed out

        def calls() -> Iterator[tuple[Callable[..., Evidence], tuple[Any, ...]]]:
            for chunk in chunks:
                sizes.append(len(chunk))
                yield prepare_chunk, (chunk, str(self.folder), len(sizes) - 1, self.without)

        self.report("reading", 0, None)
        # Reading stays in this process: it waits while too many chunks are out.
        pairs = 0
        for index, counted in enumerate(in_order(self.pool, calls(), self.ahead)):
            evidence.merge(counted)
            pairs += sizes[index]
            self.report("reading", pairs, None)
        evidence.read_joint_from(self._joint(evidence, sizes))
        return evidence, pairs, len(sizes)

    def _joint(self, evidence: Evidence, sizes: list[int]) -> PairCountReader:
        """The joint counts of the word pairs a judgement may read (chunk_joint), summed on
        disk, not in memory: only once the corpus's word counts are known can the pairs no
        judgement reads, most of them, be left out."""
        joint = PairCounts(self.folder / "joint.sqlite")
        counts_path = self.folder / "word_counts"
        if self.several:
            dump(counts_path, evidence)
        # Each chunk's counts go to a file of their own, written by the worker that counted
        # them: the command copies them in SQL rather than taking them row by row.
        calls = (
            (_joint_in_worker, (path, counts_path, out))
            if self.several
            else (chunk_joint, (path, evidence, out))
            for path, out in (
                (self.folder / f"{n}.tokens", self.folder / f"{n}.joint") for n in range(len(sizes))
            )
        )
        done, pairs = 0, sum(sizes)
        self.report("pairing words", 0, pairs)
        for size, counted in zip(sizes, in_order(self.pool, calls, self.ahead), strict=True):
            joint.add_file(counted)
            done += size
            self.report("pairing words", done, pairs)
        # A word pair whose Dice falls short of both thresholds is never judged a translation
        # (Evidence._judge): its count would be read for nothing, so it is not kept.
        totals = (evidence.zh_count, evidence.en_count)
        return joint.settle(MIN_COOCCURRENCE, totals, min(MIN_DICE, MIN_DICE_KNOWN))

    def tally(self, tallies: ScratchTable, evidence: Evidence, pairs: int, number: int) -> None:
        """Align and tally each chunk against the corpus evidence; merge them in order."""
        evidence_path = self.folder / "evidence"
        if self.several:
            dump(evidence_path, evidence)
        calls = (
            (_tally_in_worker, (path, evidence_path, self.without))
            if self.several
            else (_tally_file, (path, evidence, self.without))
            for path in (self.folder / f"{n}.tokens" for n in range(number))
        )
        done = 0
        self.report("aligning", 0, pairs)
        for chunk, found in in_order(self.pool, calls, self.ahead):
            merge_stored(tallies, chunk, found, done)
            done += len(chunk)
            self.report("aligning", done, pairs)


def _chain(
    first: list[Pair], second: list[Pair] | None, rest: Iterator[list[Pair]]
) -> Iterator[list[Pair]]:
    yield first
    if second is not None:
        yield second
        yield from rest


# Objects tracked by the garbage collector made between two young collections. Extraction makes
# and drops hundreds of thousands of short-lived records per chunk; at Python's 700, survivors
# are promoted so often that full collections, each a walk over every object held (the corpus
# evidence), took an eighth of the run's processor time. Only the frequency changes: every
# cycle is still collected, and no result depends on when.
_YOUNG_COLLECTION_AFTER = 50_000


def _start_worker() -> None:
    start_pool_worker()
    gc.set_threshold(_YOUNG_COLLECTION_AFTER, *gc.get_threshold()[1:])


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """_YOUNG_COLLECTION_AFTER in this process for the run, the caller's setting restored."""
    before = gc.get_threshold()
    gc.set_threshold(_YOUNG_COLLECTION_AFTER, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


@contextmanager
def _pool(several: bool, workers: int) -> Iterator[Executor]:
    """The workers of a run (or this process), shut down when it ends; a run stopped by an
    error, Ctrl-C or SIGTERM drops the chunks still queued and waits only for those being
    worked on."""
    if not several:
        yield _InProcess()
        return
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=_PROCESS_CONTEXT, initializer=_start_worker
    ) as pool:
        try:
            yield pool
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


@contextmanager
def temporary_folder() -> Iterator[Path]:
    """Where a run keeps its chunks' tokens and texts and its scratch tables, removed when the
    run ends; a disk that fills up is named as the reason, with what to do about it. The
    folder names the process it belongs to (abandoned_folders)."""
    with tempfile.TemporaryDirectory(prefix=_FOLDER_PREFIX) as folder:
        try:
            (Path(folder) / _OWNER).write_text(process_identity(), encoding="ascii")
            yield Path(folder)
        except (OSError, sqlite3.OperationalError) as exc:
            full = isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)
            if not full and not (isinstance(exc, sqlite3.OperationalError) and "full" in str(exc)):
                raise
            raise ZhenError(
                f"term extraction ran out of disk space for its scratch files in "
                f"{tempfile.gettempdir()}; nothing was changed (point TMPDIR at a disk with "
                f"room: about 3 MB per 1,000 pairs)"
            ) from exc


def abandoned_folders(parent: Path | None = None) -> list[tuple[Path, int]]:
    """The scratch folders, with their sizes in bytes, that runs killed outright (SIGKILL, the
    out-of-memory killer) left in `parent` (the temporary folder): this user's, named by a
    process that is gone. A folder that names no process, or one that runs, is not judged."""
    found: list[tuple[Path, int]] = []
    if not hasattr(os, "getuid"):
        return found  # no owner to check a folder against (Windows): none is judged
    for path in sorted((parent or Path(tempfile.gettempdir())).glob(f"{_FOLDER_PREFIX}*")):
        try:
            if path.is_symlink() or path.stat().st_uid != os.getuid():
                continue
            owner = _owner(path / _OWNER)
        except (OSError, UnicodeDecodeError):
            continue
        if not is_running(owner):
            found.append((path, _size(path)))
    return found


def _owner(path: Path) -> str:
    """The owner file's few words; a link, a pipe or anything but a plain file is no owner."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    with os.fdopen(descriptor, "rb") as file:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return ""
        return file.read(300).decode("ascii")


def _size(folder: Path) -> int:
    total = 0
    for root, _, files in os.walk(folder):  # links are not followed
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                continue
    return total


def remove_abandoned_folders(parent: Path | None = None) -> list[tuple[Path, int]]:
    """Remove the abandoned_folders of `parent` and say which went, with their sizes."""
    return _remove(abandoned_folders(parent))


def _remove(found: list[tuple[Path, int]]) -> list[tuple[Path, int]]:
    """Remove the folders found and say which this process removed: each is claimed first by
    renaming it, which only one of two runs starting at once can do, so only that one says so."""
    removed = []
    for path, size in found:
        claimed = path.with_name(f"{path.name}.removing-{os.getpid()}")
        try:
            os.rename(path, claimed)
        except OSError:
            continue  # another run claimed it first
        shutil.rmtree(claimed, ignore_errors=True)
        if not claimed.exists():
            removed.append((path, size))
    return removed

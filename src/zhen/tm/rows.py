"""Reading import files into database rows, ahead of the inserts: in a thread or a process."""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import pickle
import queue
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Event as EventType
from pathlib import Path
from typing import Any, cast

from zhen.errors import InputError
from zhen.io import tmx
from zhen.io.tmfiles import READERS
from zhen.models import TranslationUnit
from zhen.processes import start_pool_worker
from zhen.store.base import pair_key
from zhen.text.normalize import normalize_en_batch, normalize_zh_batch

BATCH = 5000  # rows per executemany: large enough to amortise, small enough for a live bar
# From this size on a file is read in a reader process. Parsing and normalising are Python work
# that holds the GIL; in a thread they would keep the inserting thread waiting for it, so the
# two cores would take turns. A process costs ~0.5 s to start, repaid past ~100k units.
PROCESS_MIN_BYTES = 32 * 1024 * 1024

Row = tuple[Any, ...]  # one INSERT's values, in store.units' column order
Batch = tuple[list[Row], int]  # rows, and how far into the file the reader was after them


def read_rows(fmt: str, path: Path, stats: tmx.ReadStats) -> Iterator[Batch]:
    """The file's rows in batches, read ahead of the caller; `stats` is filled in as it goes
    (for a file read in a reader process: when the last batch has been yielded)."""
    if path.stat().st_size >= PROCESS_MIN_BYTES:
        return _read_in_process(fmt, path, stats)
    return _read_ahead(row_batches(READERS[fmt](path, stats), file_origin(path, stats), stats))


def file_origin(path: Path, stats: tmx.ReadStats) -> str:
    """The origin of units that name none: the file's name, without control characters."""
    return stats.clean(path.name, keep_newlines=False)


# --- rows ----------------------------------------------------------------------------------


def row_batches(
    units: Iterable[TranslationUnit], default_origin: str, stats: tmx.ReadStats
) -> Iterator[Batch]:
    """Database rows for the units, BATCH at a time, normalised a batch at a time."""
    batch: list[TranslationUnit] = []
    index = 0
    for unit in units:
        batch.append(unit)
        if len(batch) >= BATCH:
            yield _unit_rows(batch, default_origin, index), stats.bytes_read
            index += len(batch)
            batch = []
    if batch:
        yield _unit_rows(batch, default_origin, index), stats.bytes_read


def _unit_rows(units: list[TranslationUnit], default_origin: str, first_index: int) -> list[Row]:
    """Rows for INSERT; units without an origin get the file name and their place in the file."""
    zh_norms = normalize_zh_batch([unit.zh for unit in units])
    en_norms = normalize_en_batch([unit.en for unit in units])
    return [
        (
            unit.zh,
            unit.en,
            zh_norm,
            en_norm,
            unit.zh_lang,
            unit.en_lang,
            unit.origin or default_origin,
            unit.position if unit.position is not None else index,
            unit.score,
            unit.created_at,
            unit.changed_at,
            unit.creation_tool,
            unit.created_by,
            unit.changed_by,
            unit.note,
            unit.tuid,
            json.dumps(unit.props, ensure_ascii=False) if unit.props else None,
            pair_key(unit.zh, unit.en),
        )
        for index, (unit, zh_norm, en_norm) in enumerate(
            zip(units, zh_norms, en_norms, strict=True), first_index
        )
    ]


# --- a reader thread ------------------------------------------------------------------------


class _ReaderFailed:
    """Carries an exception from the read-ahead thread to the importing one."""

    def __init__(self, error: BaseException) -> None:
        self.error = error


_END = object()


def _read_ahead(batches: Iterator[Batch], depth: int = 4) -> Iterator[Batch]:
    """Produce the batches in a worker thread, up to `depth` ahead of the consumer.

    Parsing and normalising are Python work; SQLite releases the GIL while it inserts, so
    the two overlap in part. Errors surface in the consumer, at the same batch.
    """
    handoff: queue.Queue[Batch | _ReaderFailed | object] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            for batch in batches:
                if stop.is_set():
                    return
                handoff.put(batch)
            handoff.put(_END)
        except BaseException as exc:  # re-raised in the consumer
            handoff.put(_ReaderFailed(exc))

    worker = threading.Thread(target=produce, name="zhen-import-reader", daemon=True)
    worker.start()
    try:
        while (item := handoff.get()) is not _END:
            if isinstance(item, _ReaderFailed):
                raise item.error
            yield cast(Batch, item)
    finally:
        # The consumer stopped (done, or an insert failed): unblock and retire the worker.
        stop.set()
        while worker.is_alive():
            with contextlib.suppress(queue.Empty):
                handoff.get(timeout=0.05)
        worker.join()


# --- a reader process ----------------------------------------------------------------------

# A fresh interpreter ("spawn"), as on every platform: forking a process that may run threads
# (the TUI's workers, the read-ahead above) is unsafe, and a forkserver's grandchild would hide
# its CPU time from the parent's resource usage. Like every multiprocessing start method but
# fork, it imports the caller's __main__ again under another name: `zhen` and `python -m zhen`
# are safe (a guarded script; a package's __main__ is skipped), and a script calling zhen's API
# must guard its entry point as multiprocessing asks.
_PROCESS_CONTEXT = multiprocessing.get_context("spawn")
_POLL_SECONDS = 0.5  # how often a silent reader is checked for having died


def _read_in_process(fmt: str, path: Path, stats: tmx.ReadStats) -> Iterator[Batch]:
    """Rows produced in a reader process and passed through a bounded queue, which bounds how
    far ahead it gets. Its errors are raised here, at the same batch; leaving early stops it."""
    handoff = _PROCESS_CONTEXT.Queue(maxsize=4)
    stop = _PROCESS_CONTEXT.Event()
    with ProcessPoolExecutor(
        max_workers=1,
        mp_context=_PROCESS_CONTEXT,
        initializer=_connect_reader,
        initargs=(handoff, stop),
    ) as pool:
        reader = pool.submit(_produce, fmt, path)
        try:
            while True:
                try:
                    kind, payload = pickle.loads(handoff.get(timeout=_POLL_SECONDS))
                except queue.Empty:
                    _check_alive(reader, path)
                    continue
                if kind == "rows":
                    yield payload
                elif kind == "error":
                    raise payload
                else:  # "end": the reader's final counts
                    _copy_counts(payload, stats)
                    return
        finally:
            # Done, failed, or the consumer stopped: let a reader blocked on the full queue
            # see `stop`, then wait for it (the pool's exit joins its process).
            stop.set()
            while not reader.done():
                with contextlib.suppress(queue.Empty):
                    handoff.get(timeout=_POLL_SECONDS / 10)
            handoff.close()


def _check_alive(reader: Future[None], path: Path) -> None:
    """Raise when the reader ended without a last message: InputError if its process died
    (killed, out of memory), else its own error. One that returned has that message on its way."""
    if not reader.done() or reader.exception() is None:
        return
    if isinstance(reader.exception(), BrokenProcessPool):
        raise InputError(f"{path}: the reader process stopped unexpectedly")
    raise InputError(f"{path}: the reader process failed: {reader.exception()}")


def _copy_counts(source: tmx.ReadStats, stats: tmx.ReadStats) -> None:
    stats.bytes_read = source.bytes_read
    stats.units = source.units
    stats.skipped = source.skipped
    stats.languages = source.languages
    stats.controls_removed = source.controls_removed


# What the reader process sends: ("rows", Batch), ("end", ReadStats) or ("error", exception),
# each pickled by the sender (see _send).
ReaderMessage = tuple[str, Any]
_reader_queue: Queue[bytes] | None = None
_reader_stop: EventType | None = None


def _connect_reader(handoff: Queue[bytes], stop: EventType) -> None:
    """The reader process's start: keep the queue and the stop flag it was given."""
    global _reader_queue, _reader_stop
    _reader_queue, _reader_stop = handoff, stop
    # Ctrl-C is the importer's to handle (it stops the reader); the reader ends with it.
    start_pool_worker()


def _produce(fmt: str, path: Path) -> None:
    """In the reader process: read, normalise and send batches; then the counts, or the error."""
    assert _reader_queue is not None and _reader_stop is not None
    handoff, stop = _reader_queue, _reader_stop
    stats = tmx.ReadStats()
    try:
        for batch in row_batches(READERS[fmt](path, stats), file_origin(path, stats), stats):
            if not _send(handoff, stop, ("rows", batch)):
                return
        _send(handoff, stop, ("end", stats))
    except Exception as exc:  # sent to the importer, which raises it
        _send(handoff, stop, ("error", _portable(exc, path)))


def _portable(error: Exception, path: Path) -> Exception:
    """`error` if it survives the trip to the importer, else an InputError with its message."""
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:
        return InputError(f"{path}: {error}")
    return error


def _send(handoff: Queue[bytes], stop: EventType, message: ReaderMessage) -> bool:
    """Put `message` on the queue unless the importer stopped listening; False if it did.

    Pickled here rather than by the queue's feeder thread: the reading thread then does not
    wait on the feeder for the GIL, and a message that cannot be pickled fails here, loudly.
    """
    importer = multiprocessing.parent_process()
    packed = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    while not stop.is_set() and (importer is None or importer.is_alive()):
        with contextlib.suppress(queue.Full):
            handoff.put(packed, timeout=_POLL_SECONDS)
            return True
    return False

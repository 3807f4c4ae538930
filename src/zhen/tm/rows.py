"""Reading import files into database rows, ahead of the inserts: in a thread or a process."""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import queue
import subprocess
import sys
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from zhen.errors import InputError
from zhen.io import tmx
from zhen.io.tmfiles import READERS
from zhen.models import TranslationUnit
from zhen.store.base import pair_key
from zhen.text.normalize import normalize_en_batch, normalize_zh_batch

BATCH = 5000  # rows per executemany: large enough to amortise, small enough for a live bar
# From this size on a file is read in a child process. Parsing and normalising are Python work
# that holds the GIL; in a thread they would keep the inserting thread waiting for it, so the
# two cores would take turns. A process costs ~0.5 s to start, repaid past ~100k units.
PROCESS_MIN_BYTES = 32 * 1024 * 1024

Batch = tuple[list[tuple], int]  # rows, and how far into the file the reader was after them


def read_rows(fmt: str, path: Path, stats: tmx.ReadStats) -> Iterator[Batch]:
    """The file's rows in batches, read ahead of the caller; `stats` is filled in as it goes
    (for a file read in a child process: when the last batch has been yielded)."""
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


def _unit_rows(units: list[TranslationUnit], default_origin: str, first_index: int) -> list[tuple]:
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
    handoff: queue.Queue = queue.Queue(maxsize=depth)
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
            yield item
    finally:
        # The consumer stopped (done, or an insert failed): unblock and retire the worker.
        stop.set()
        while worker.is_alive():
            with contextlib.suppress(queue.Empty):
                handoff.get(timeout=0.05)
        worker.join()


# --- a reader process ----------------------------------------------------------------------


def _read_in_process(fmt: str, path: Path, stats: tmx.ReadStats) -> Iterator[Batch]:
    """Rows produced by a child Python (`python -m zhen.tm.rows`) and pickled through its
    stdout, a pipe that bounds how far ahead it gets. Its errors are raised here, at the same
    batch; leaving early stops it.

    A plain subprocess rather than multiprocessing: that would re-run the caller's __main__.
    """
    package_root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([package_root, *sys.path])}
    child = subprocess.Popen(
        [sys.executable, "-m", "zhen.tm.rows", fmt, str(path)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    assert child.stdout is not None
    try:
        while True:
            try:
                kind, payload = pickle.load(child.stdout)
            except (EOFError, pickle.UnpicklingError):
                code = child.wait()
                raise InputError(
                    f"{path}: the reader process stopped unexpectedly (exit status {code})"
                ) from None
            if kind == "rows":
                yield payload
            elif kind == "error":
                raise payload
            else:  # "end": the reader's final counts
                stats.bytes_read = payload.bytes_read
                stats.units = payload.units
                stats.skipped = payload.skipped
                stats.languages = payload.languages
                stats.controls_removed = payload.controls_removed
                return
    finally:
        child.stdout.close()
        if child.poll() is None:
            child.terminate()
        child.wait()


def _produce(fmt: str, path: Path, out: BinaryIO) -> None:
    """The child process: read, normalise and send batches; then the counts, or the error."""
    stats = tmx.ReadStats()
    try:
        for batch in row_batches(READERS[fmt](path, stats), file_origin(path, stats), stats):
            pickle.dump(("rows", batch), out, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.dump(("end", stats), out)
    except (BrokenPipeError, KeyboardInterrupt):
        return  # the importer stopped listening
    except BaseException as exc:  # sent to the importer, which raises it
        try:
            message = pickle.dumps(("error", exc))
        except Exception:  # an exception that does not pickle: keep its message
            message = pickle.dumps(("error", InputError(f"{path}: {exc}")))
        out.write(message)
    out.flush()


if __name__ == "__main__":
    _produce(sys.argv[1], Path(sys.argv[2]), sys.stdout.buffer)

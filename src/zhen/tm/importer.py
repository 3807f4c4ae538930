"""Importing bilingual files into the store: one transaction, duplicates merged, indexed."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from zhen.errors import FormatError, InputError, StoreError, TmxError
from zhen.io import tmx
from zhen.io.tmfiles import detect_format
from zhen.models import TranslationUnit
from zhen.store import database_file, describe, index
from zhen.store.base import page_cache, transaction
from zhen.store.units import UnitWriter
from zhen.text.safetext import clean_text
from zhen.tm.rows import Batch, read_rows, row_batches

_MIN_CACHE_KIB = 64 * 1024  # page cache while importing: 3× the input, within these bounds
_MAX_CACHE_KIB = 1024 * 1024
# Units per lookup-index chunk: tokenised while the reader thread parses ahead, and small
# enough that the reader's queue does not run dry meanwhile.
_INDEX_CHUNK = 20_000

# --- reports -------------------------------------------------------------------------------


@dataclass
class ImportProgress:
    """Where an import stands, passed to the progress callback after every batch."""

    path: Path
    units: int
    bytes_done: int
    bytes_total: int
    elapsed: float
    indexing: bool = False  # True once every file is read and the lookup index is being built

    @property
    def rate(self) -> float:
        """Units read per second so far (all files)."""
        return self.units / self.elapsed if self.elapsed > 0 else 0.0


ProgressCallback = Callable[[ImportProgress], None]


@dataclass
class FileImport:
    """What one file contributed."""

    path: Path
    format: str
    read: int = 0
    added: int = 0
    skipped: int = 0
    controls_removed: int = 0  # control characters dropped from the stored text

    @property
    def duplicates(self) -> int:
        """Units already in the store (or repeated in the file), merged rather than added."""
        return self.read - self.added


@dataclass
class ImportReport:
    """The outcome of `import_files`: per-file counts, totals and the import rate."""

    files: list[FileImport] = field(default_factory=list)
    seconds: float = 0.0
    started: float = 0.0  # perf_counter() at the start

    @property
    def read(self) -> int:
        return sum(f.read for f in self.files)

    @property
    def added(self) -> int:
        return sum(f.added for f in self.files)

    @property
    def duplicates(self) -> int:
        return sum(f.duplicates for f in self.files)

    @property
    def skipped(self) -> int:
        return sum(f.skipped for f in self.files)

    @property
    def rate(self) -> float:
        """Units read per second, indexing included."""
        return self.read / self.seconds if self.seconds > 0 else 0.0


def import_files(
    conn: sqlite3.Connection,
    paths: Iterable[Path | str],
    *,
    progress: ProgressCallback | None = None,
) -> ImportReport:
    """Import bilingual files into the store in one transaction: on any error nothing is kept.

    Exact duplicates (same zh and en) are merged; the new units are indexed for lookup.
    """
    files = [Path(p) for p in paths]
    if not files:
        raise InputError("no files to import")
    for path in files:
        tmx.check_input_file(path)  # refuse missing/empty files before writing anything
    report = ImportReport(started=time.perf_counter())
    # A page cache sized to the import: every page the transaction touches stays dirty until
    # COMMIT, and once they outgrow the cache SQLite spills them to the WAL again and again (the
    # unique pair_key index takes its inserts in random key order). A million-unit TMX imports
    # markedly faster this way; the memory is returned when the import ends.
    input_bytes = sum(p.stat().st_size for p in files)
    cache_kib = min(_MAX_CACHE_KIB, max(_MIN_CACHE_KIB, 3 * input_bytes // 1024))
    jobs = [
        _Job(path, fmt, _printable(str(path.resolve())), path.stat().st_size, _file_rows(fmt, path))
        for path, fmt in ((path, detect_format(path)) for path in files)
    ]
    try:
        with page_cache(conn, cache_kib):
            _import_all(conn, jobs, report, progress)
    except sqlite3.Error as exc:  # disk full, database locked past the busy timeout…
        raise StoreError(f"import failed, nothing was imported: {_why(conn, exc)}") from exc
    report.seconds = time.perf_counter() - report.started
    return report


def import_units(
    conn: sqlite3.Connection, units: Iterable[TranslationUnit], *, origin: str
) -> ImportReport:
    """Import pairs held in memory (an alignment, say) as one source named `origin`.

    Units without an origin of their own take `origin`; all or nothing, like a file import.
    """
    if not origin:
        raise InputError("pairs need an origin (the document they come from)")
    # The caller names the document: its name is the origin of every pair.
    origin = _printable(origin)
    pairs = [replace(unit, origin=origin) for unit in units]
    report = ImportReport(started=time.perf_counter())
    job = _Job(Path(origin), "pairs", origin, 0, lambda stats: row_batches(pairs, origin, stats))
    try:
        _import_all(conn, [job], report, None)
    except sqlite3.Error as exc:
        raise StoreError(f"import failed, nothing was imported: {_why(conn, exc)}") from exc
    report.seconds = time.perf_counter() - report.started
    return report


@dataclass
class _Job:
    """One source of an import: a file, or pairs in memory."""

    path: Path
    format: str
    label: str  # what the `imports` table records as the file
    size: int
    batches: Callable[[tmx.ReadStats], Iterator[Batch]]


def _file_rows(fmt: str, path: Path) -> Callable[[tmx.ReadStats], Iterator[Batch]]:
    return lambda stats: read_rows(fmt, path, stats)


def _import_all(
    conn: sqlite3.Connection,
    jobs: list[_Job],
    report: ImportReport,
    progress: ProgressCallback | None,
) -> None:
    total_bytes = sum(job.size for job in jobs)
    done_bytes = 0
    units_read = 0
    with transaction(conn):
        indexer = index.IndexBuilder(_INDEX_CHUNK)
        writer = UnitWriter(conn, indexer)
        for job in jobs:
            result = FileImport(job.path, job.format)
            stats = tmx.ReadStats()
            writer.start_file(job.label)
            for batch, bytes_read in job.batches(stats):
                result.added += len(writer.write(batch))
                result.read += len(batch)
                units_read += len(batch)
                if progress:
                    progress(
                        ImportProgress(
                            job.path,
                            units_read,
                            done_bytes + bytes_read,
                            total_bytes,
                            time.perf_counter() - report.started,
                        )
                    )
            result.skipped = stats.skipped
            result.controls_removed = stats.controls_removed
            if result.read == 0:
                raise _no_units_error(job.path, job.format, stats)
            done_bytes += job.size
            report.files.append(result)
        if progress:
            elapsed = time.perf_counter() - report.started
            last = jobs[-1].path
            progress(ImportProgress(last, units_read, total_bytes, total_bytes, elapsed, True))
        indexer.finish(conn)


def _printable(name: str) -> str:
    """A file or document name as stored: without the control characters a file name can hold."""
    return clean_text(name, keep_newlines=False)[0]


def _why(conn: sqlite3.Connection, exc: sqlite3.Error) -> str:
    return describe(exc, database_file(conn) or None)


def _no_units_error(path: Path, fmt: str, stats: tmx.ReadStats) -> InputError:
    if stats.languages:
        found = ", ".join(sorted(stats.languages))
        detail = f"no unit has both a Chinese and an English side (languages found: {found})"
    else:
        detail = "holds no translation units"
    error = TmxError if fmt == "tmx" else FormatError
    return error(f"{path}: {detail}; nothing imported")

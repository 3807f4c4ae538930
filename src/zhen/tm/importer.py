"""Importing bilingual files into the store: one transaction, duplicates merged, indexed."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from zhen import search_index, tmx
from zhen.errors import FormatError, InputError, StoreError, TmxError
from zhen.store import transaction
from zhen.tm.readers import detect_format
from zhen.tm.reading import read_rows
from zhen.tm.units import UNIT_COLUMNS

_MIN_CACHE_KIB = 64 * 1024  # page cache while importing: 3× the input, within these bounds
_MAX_CACHE_KIB = 1024 * 1024
# Units per lookup-index chunk: tokenised while the reader thread parses ahead, and small
# enough that the reader's queue does not run dry meanwhile.
_INDEX_CHUNK = 20_000

# Rows carry pair_key last (see zhen.store.pair_key). A pair already stored makes the INSERT a
# no-op; so does a different pair with the same key (a 2**-64 chance), sorted out afterwards by
# `_store_collisions`.
INSERT = (
    f"INSERT INTO units ({UNIT_COLUMNS}, pair_key) VALUES ({', '.join('?' * 18)}) "
    "ON CONFLICT (pair_key, pair_seq) DO NOTHING"
)
INSERT_WITH_SEQ = (
    f"INSERT INTO units ({UNIT_COLUMNS}, pair_key, pair_seq) VALUES ({', '.join('?' * 19)})"
)
_ZH_NORM, _EN_NORM, _KEY = 2, 3, 17  # places in a row


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
    cache_size = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute(f"PRAGMA cache_size = -{cache_kib}")  # negative: KiB, not pages
    try:
        _import_all(conn, files, report, progress)
    except sqlite3.Error as exc:  # disk full, database locked past the busy timeout…
        raise StoreError(f"import failed, nothing was imported: {exc}") from exc
    finally:
        conn.execute(f"PRAGMA cache_size = {int(cache_size)}")
    report.seconds = time.perf_counter() - report.started
    return report


def _import_all(
    conn: sqlite3.Connection,
    files: list[Path],
    report: ImportReport,
    progress: ProgressCallback | None,
) -> None:
    total_bytes = sum(p.stat().st_size for p in files)
    done_bytes = 0
    units_read = 0
    with transaction(conn):
        next_id = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM units").fetchone()[0]
        index = search_index.IndexBuilder(_INDEX_CHUNK)
        for path in files:
            fmt = detect_format(path)
            result = FileImport(path, fmt)
            stats = tmx.ReadStats()
            for batch, bytes_read in read_rows(fmt, path, stats):
                before = conn.total_changes
                conn.executemany(INSERT, batch)
                inserted = batch
                if conn.total_changes - before < len(batch):
                    # Duplicates, or (in theory) a pair_key collision: sort them out.
                    inserted = _store_collisions(conn, batch, next_id)
                added = len(inserted)
                # New rows take MAX(id) + 1 each: the batch's units got consecutive ids.
                index.add(
                    np.arange(next_id, next_id + added),
                    [row[_ZH_NORM] for row in inserted],
                    [row[_EN_NORM] for row in inserted],
                )
                next_id += added
                result.added += added
                result.read += len(batch)
                units_read += len(batch)
                if progress:
                    progress(
                        ImportProgress(
                            path,
                            units_read,
                            done_bytes + bytes_read,
                            total_bytes,
                            time.perf_counter() - report.started,
                        )
                    )
            result.skipped = stats.skipped
            result.controls_removed = stats.controls_removed
            if result.read == 0:
                raise _no_units_error(path, fmt, stats)
            done_bytes += path.stat().st_size
            report.files.append(result)
        if progress:
            elapsed = time.perf_counter() - report.started
            progress(ImportProgress(files[-1], units_read, total_bytes, total_bytes, elapsed, True))
        index.finish(conn)


def _store_collisions(conn: sqlite3.Connection, batch: list[tuple], first_id: int) -> list[tuple]:
    """After a batch whose INSERT skipped rows: store those that are not true duplicates.

    A skipped row's pair_key was taken. If no stored unit with that key has the same zh and en,
    the key collided: the row is stored under the next free pair_seq. Returns the rows the batch
    added, in id order.
    """
    cursor = conn.cursor()
    cursor.row_factory = None
    inserted_keys = cursor.execute(
        "SELECT pair_key FROM units WHERE id >= ? ORDER BY id", (first_id,)
    ).fetchall()
    # The inserted rows are a subsequence of the batch, in order; a skipped row cannot share
    # its key with a row inserted after it (that row would have been skipped too).
    inserted: list[tuple] = []
    skipped: list[tuple] = []
    for row in batch:
        if len(inserted) < len(inserted_keys) and row[_KEY] == inserted_keys[len(inserted)][0]:
            inserted.append(row)
        else:
            skipped.append(row)
    for row in skipped:
        same_key = cursor.execute(
            "SELECT zh, en, pair_seq FROM units WHERE pair_key = ?", (row[_KEY],)
        ).fetchall()
        if any(zh == row[0] and en == row[1] for zh, en, _ in same_key):
            continue  # a true duplicate: merged
        cursor.execute(INSERT_WITH_SEQ, (*row, 1 + max(seq for _, _, seq in same_key)))
        inserted.append(row)
    return inserted


def _no_units_error(path: Path, fmt: str, stats: tmx.ReadStats) -> InputError:
    if stats.languages:
        found = ", ".join(sorted(stats.languages))
        detail = f"no unit has both a Chinese and an English side (languages found: {found})"
    else:
        detail = "holds no translation units"
    error = TmxError if fmt == "tmx" else FormatError
    return error(f"{path}: {detail}; nothing imported")

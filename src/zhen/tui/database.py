"""Thread-safe access to the zhen database for the TUI's worker threads."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from zhen import search, store

READERS = 2
"""Read connections: a new search starts on a free one instead of queueing behind a stale
search that is still finishing its non-SQL work (scoring) after being interrupted."""


class TuiDatabase:
    """A small pool of read connections for lookups and one write connection for edits.

    Reads and writes use separate connections so that a new keystroke can `interrupt()` the
    stale searches without ever touching a term being saved; WAL lets them run side by side.
    """

    def __init__(self, path: Path | None, readers: int = READERS) -> None:
        self.path = path
        self._reader_count = readers
        self._open_lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._writer: sqlite3.Connection | None = None
        self._readers: list[sqlite3.Connection] = []
        # Free readers; a reader in use is in `_busy` until its block ends.
        self._pool_lock = threading.Condition()
        self._free: list[sqlite3.Connection] = []
        self._busy: set[sqlite3.Connection] = set()

    def open(self) -> None:
        """Open (creating and seeding on first run) the connections; raises StoreError."""
        with self._open_lock:
            if self._writer is not None:
                return
            # The first connection creates, migrates and seeds a new database.
            writer = store.connect(self.path)
            # Pay the first lookup's costs (index upkeep, glossary cache, OpenCC) while opening.
            search.prepare(writer)
            readers = [store.connect(self.path, seed=False) for _ in range(self._reader_count)]
            with self._pool_lock:
                self._readers = readers
                self._free = list(readers)
            self._writer = writer

    @property
    def is_open(self) -> bool:
        """Whether `open()` has succeeded."""
        return self._writer is not None

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """A read connection of the pool, held exclusively for the block."""
        self.open()
        with self._pool_lock:
            while not self._free:
                self._pool_lock.wait()
            conn = self._free.pop()
            self._busy.add(conn)
        try:
            yield conn
        finally:
            with self._pool_lock:
                self._busy.discard(conn)
                self._free.append(conn)
                self._pool_lock.notify()

    @contextmanager
    def writing(self) -> Iterator[sqlite3.Connection]:
        """The write connection, held exclusively for the block."""
        self.open()
        assert self._writer is not None
        with self._write_lock:
            yield self._writer

    def interrupt_reads(self) -> None:
        """Abort the reads in flight (their SQL raises OperationalError)."""
        with self._pool_lock:
            for conn in self._busy:
                conn.interrupt()

    def close(self, wait: float = 2.0) -> None:
        """Close the connections, first letting a save still in flight finish its block."""
        self.interrupt_reads()
        with self._open_lock:
            # A save gets `wait` seconds to commit; after that the connection is closed anyway
            # (SQLite rolls the open transaction back: nothing half-written).
            acquired = self._write_lock.acquire(timeout=wait)
            try:
                if self._writer is not None:
                    self._writer.close()
            finally:
                if acquired:
                    self._write_lock.release()
            with self._pool_lock:
                # sqlite3 closes lazily (close_v2) if a worker thread is still stepping a query.
                for conn in self._readers:
                    conn.close()
                self._readers, self._free = [], []
            self._writer = None

"""Thread-safe access to the zhen database for the TUI's worker threads."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from zhen import store


class TuiDatabase:
    """One connection for searches and one for writes, each behind its own lock.

    Searches get their own connection so that a new keystroke can `interrupt()` a stale
    search without ever touching a term being saved; WAL lets the two run side by side.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._read_lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._reader: sqlite3.Connection | None = None
        self._writer: sqlite3.Connection | None = None
        self._open_lock = threading.Lock()

    def open(self) -> None:
        """Open (creating and seeding on first run) both connections; raises StoreError."""
        with self._open_lock:
            if self._writer is None:
                # The first connection creates, migrates and seeds a new database.
                self._writer = store.connect(self.path)
                self._reader = store.connect(self.path, seed=False)

    @property
    def is_open(self) -> bool:
        """Whether `open()` has succeeded."""
        return self._writer is not None

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """The search connection, held exclusively for the block."""
        self.open()
        assert self._reader is not None
        with self._read_lock:
            yield self._reader

    @contextmanager
    def writing(self) -> Iterator[sqlite3.Connection]:
        """The write connection, held exclusively for the block."""
        self.open()
        assert self._writer is not None
        with self._write_lock:
            yield self._writer

    def interrupt_reads(self) -> None:
        """Abort the search in flight (its SQL raises OperationalError); later ones run normally."""
        if self._reader is not None:
            self._reader.interrupt()

    def close(self, wait: float = 2.0) -> None:
        """Close both connections, first letting a worker still using one finish its block."""
        self.interrupt_reads()
        with self._open_lock:
            for lock, conn in ((self._read_lock, self._reader), (self._write_lock, self._writer)):
                if conn is None:
                    continue
                # A save in flight gets `wait` seconds to commit; after that the connection is
                # closed anyway (sqlite rolls the open transaction back, nothing half-written).
                acquired = lock.acquire(timeout=wait)
                try:
                    conn.close()
                finally:
                    if acquired:
                        lock.release()
            self._reader = self._writer = None

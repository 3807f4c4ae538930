"""Thread-safe access to the zhen database (`zhen.Database` objects) for the TUI's workers."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from zhen import search
from zhen.database import Database
from zhen.errors import ReadOnlyReplicaError

READERS = 2
"""Read connections: a new search starts on a free one instead of queueing behind a stale
search that is still finishing its non-SQL work (scoring) after being interrupted."""


class TuiDatabase:
    """A small pool of read connections for lookups and one write connection for edits.

    Reads and writes use separate connections so that a new keystroke can `interrupt()` the
    stale searches without ever touching a term being saved; WAL (or, on PostgreSQL, the
    server) lets them run side by side. `path` is a file, a `postgresql://` URL, or None for
    `$ZHEN_DB` or the user's own database.
    """

    def __init__(self, path: Path | str | None, readers: int = READERS) -> None:
        self.path = path
        # What the header names once open: the file, or the server's URL without its password.
        self.location: Path | str | None = None
        # Why edits are refused (a read-only replica), or None where the database takes them.
        self.read_only_reason: str | None = None
        self._reader_count = readers
        self._open_lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._writer: Database | None = None
        self._readers: list[Database] = []
        # Free readers; a reader in use is in `_busy` until its block ends.
        self._pool_lock = threading.Condition()
        self._free: list[Database] = []
        self._busy: set[Database] = set()

    def open(self) -> None:
        """Open the connections (the user's own database is created on first run); ZhenError."""
        with self._open_lock:
            if self._writer is not None:
                return
            # The first connection opens (or, for the user's own database, creates) the file.
            try:
                writer = Database.locate(self.path)
            except ReadOnlyReplicaError as refusal:
                # A hot standby serves lookups; an edit there is refused with the reason.
                writer = Database.locate(self.path, readonly=True)
                self.read_only_reason = str(refusal)
            # Pay the first lookup's costs (glossary index, OpenCC) while opening.
            search.prepare(writer.connection)
            readers = [writer.reopen(readonly=True) for _ in range(self._reader_count)]
            with self._pool_lock:
                self._readers = readers
                self._free = list(readers)
            self.location = writer.path
            self._writer = writer

    @contextmanager
    def reading(self) -> Iterator[Database]:
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
    def writing(self) -> Iterator[Database]:
        """The write connection, held exclusively for the block."""
        self.open()
        assert self._writer is not None
        if self.read_only_reason is not None:
            raise ReadOnlyReplicaError(self.read_only_reason)
        with self._write_lock:
            yield self._writer

    def interrupt_reads(self) -> None:
        """Abort the reads in flight: their block raises sqlite3.OperationalError("interrupted")
        on either engine (sqlite3's interrupt(), or a cancel request to the PostgreSQL server)."""
        with self._pool_lock:
            for conn in self._busy:
                conn.connection.interrupt()

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

"""A term-extraction run's scratch tables, in throw-away SQLite files in its temporary folder:
the candidates' records (merged by key, kept in first-insertion order, rivals found by SQL), the
joint word counts (summed once, read back per first key through a bounded cache) and the texts
to count (a batch at a time), so that none of them has to be held in memory whole."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TypeVar

# A record: (first key, second key, count, mean, opaque record bytes, the context it cites).
Row = tuple[str, str, int, float, bytes, int]
# Pages SQLite may cache: a bounded amount of memory whatever the table's size (in KiB).
_CACHE_KIB = 65_536
# Keys looked up by one statement: two parameters each, within the 999 that SQLite before 3.32
# allows (a system SQLite that old may be the one Python was built with).
_KEYS_PER_QUERY = 499


_Key = TypeVar("_Key")


def _per_query(keys: list[_Key]) -> Iterator[list[_Key]]:
    """`keys` in runs of _KEYS_PER_QUERY, one statement's worth each."""
    for start in range(0, len(keys), _KEYS_PER_QUERY):
        yield keys[start : start + _KEYS_PER_QUERY]


def _scratch(path: Path, schema: str) -> sqlite3.Connection:
    """A new scratch file with `schema`: no journal, no syncing, a bounded page cache (a run
    that fails leaves nothing worth keeping: the file goes with its temporary folder)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.executescript(
        f"""
        PRAGMA journal_mode = OFF;
        PRAGMA synchronous = OFF;
        PRAGMA cache_size = -{_CACHE_KIB};
        PRAGMA temp_store = FILE;
        {schema}
        """
    )
    return conn


def _many(conn: sqlite3.Connection, statement: str, rows: Iterable[Sequence[object]]) -> None:
    """`statement` for each of `rows`, in one transaction."""
    conn.execute("BEGIN")
    conn.executemany(statement, rows)
    conn.execute("COMMIT")


class ScratchTable:
    """Records keyed by (first, second) with a strength (count, mean), each citing a context
    (bytes kept once, however many records cite it), in a throw-away SQLite file: no journal,
    no syncing; the file goes with the run's temporary folder."""

    def __init__(self, path: Path) -> None:
        self._conn = _scratch(
            path,
            """
            CREATE TABLE record (
                first TEXT NOT NULL, second TEXT NOT NULL,
                count INTEGER NOT NULL, mean REAL NOT NULL, data BLOB NOT NULL,
                cited INTEGER NOT NULL,
                PRIMARY KEY (first, second)
            );
            CREATE TABLE context (id INTEGER PRIMARY KEY, data BLOB NOT NULL);
            """,
        )
        self._ranked = False

    def __len__(self) -> int:
        (count,) = self._conn.execute("SELECT count(*) FROM record").fetchone()
        return int(count)

    def get(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], bytes]:
        """The records stored under any of `keys`, in the order of `keys`."""
        wanted = list(keys)
        stored: dict[tuple[str, str], bytes] = {}
        # Many keys to a statement: one probe each still, without a statement's cost each.
        for batch in _per_query(wanted):
            values = ", ".join(["(?, ?)"] * len(batch))
            for first, second, data in self._conn.execute(
                f"WITH wanted (first, second) AS (VALUES {values}) "
                "SELECT r.first, r.second, r.data FROM wanted CROSS JOIN record r "
                "ON r.first = wanted.first AND r.second = wanted.second",
                [text for key in batch for text in key],
            ):
                stored[(first, second)] = data
        return {key: stored[key] for key in wanted if key in stored}

    def put(self, rows: Iterable[Row]) -> None:
        """Insert or replace records; a replaced record keeps its place in the order."""
        _many(
            self._conn,
            "INSERT INTO record (first, second, count, mean, data, cited) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (first, second) DO UPDATE SET "
            "count = excluded.count, mean = excluded.mean, data = excluded.data, "
            "cited = excluded.cited",
            rows,
        )

    def put_contexts(self, contexts: Iterable[tuple[int, bytes]]) -> None:
        """Keep (id, bytes) contexts for records to cite; an id is kept once, the first time."""
        _many(self._conn, "INSERT OR IGNORE INTO context (id, data) VALUES (?, ?)", contexts)

    def ranked(self) -> Iterator[tuple[bytes, bytes, bool, bool]]:
        """Every record in first-insertion order, with the context it cites and whether a record
        of the same first key, and one of the same second key, is stronger: more count, or as
        much and a higher mean (every record must cite a context kept)."""
        if not self._ranked:
            # Built once the records are all in: each rival test is then one index probe.
            self._conn.execute("CREATE INDEX record_first ON record (first, count, mean)")
            self._conn.execute("CREATE INDEX record_second ON record (second, count, mean)")
            self._ranked = True
        yield from self._conn.execute(
            """
            SELECT r.data, c.data,
                EXISTS (SELECT 1 FROM record o WHERE o.first = r.first
                        AND (o.count, o.mean) > (r.count, r.mean)),
                EXISTS (SELECT 1 FROM record o WHERE o.second = r.second
                        AND (o.count, o.mean) > (r.count, r.mean))
            FROM record r JOIN context c ON c.id = r.cited ORDER BY r.rowid
            """
        )

    def records(self) -> Iterator[bytes]:
        """Every record in first-insertion order."""
        for (data,) in self._conn.execute("SELECT data FROM record ORDER BY rowid"):
            yield data

    def close(self) -> None:
        self._conn.close()


class PairCounts:
    """Counts of (first, second) pairs summed over many batches in a throw-away SQLite file:
    batches are appended as they come, summed once at the end (SQLite sorts on disk), and only
    the pairs counted often enough are kept for PairCountReader."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn = _scratch(
            path,
            """
            CREATE TABLE counted (first TEXT NOT NULL, second TEXT NOT NULL, n INTEGER NOT NULL);
            """,
        )

    def add(self, counts: Iterable[tuple[tuple[str, str], int]]) -> None:
        """Add a batch of counts."""
        _many(
            self._conn,
            "INSERT INTO counted (first, second, n) VALUES (?, ?, ?)",
            ((first, second, n) for (first, second), n in counts),
        )

    def add_file(self, path: Path) -> None:
        """Add the counts another PairCounts kept in `path` (closed, not settled), copied by
        SQLite itself, and remove that file: a worker process counts a batch into a file of
        its own, and this one takes none of them row by row."""
        self._conn.execute("ATTACH DATABASE ? AS batch", (str(path),))
        try:
            self._conn.execute("BEGIN")
            self._conn.execute("INSERT INTO counted SELECT first, second, n FROM batch.counted")
            self._conn.execute("COMMIT")
        finally:
            self._conn.execute("DETACH DATABASE batch")
        path.unlink()

    def close(self) -> None:
        """Close the file, its counts not settled (for add_file)."""
        self._conn.close()

    def settle(
        self,
        minimum: int,
        totals: tuple[Mapping[str, int], Mapping[str, int]] | None = None,
        min_dice: float = 0.0,
    ) -> PairCountReader:
        """Sum the batches, keep the pairs counted at least `minimum` times, and close. With
        `totals` (each first key's and each second key's own count), keep only the pairs whose
        Dice coefficient, 2 × count / (first's total + second's total), is at least `min_dice`."""
        self._conn.executescript(
            """
            CREATE TABLE total (
                first TEXT NOT NULL, second TEXT NOT NULL, n INTEGER NOT NULL,
                PRIMARY KEY (first, second)
            ) WITHOUT ROWID;
            CREATE TABLE first_total (key TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
            CREATE TABLE second_total (key TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
            """
        )
        dice = ""
        if totals is not None:
            for table, counts in zip(("first_total", "second_total"), totals, strict=True):
                _many(self._conn, f"INSERT INTO {table} (key, n) VALUES (?, ?)", counts.items())
            # Divided as doubles, as Python divides: the same pairs pass as a test in Python.
            dice = (
                "AND 2.0 * sum(c.n) / ((SELECT n FROM first_total WHERE key = c.first)"
                " + (SELECT n FROM second_total WHERE key = c.second)) >= :dice"
            )
        self._conn.execute(
            "INSERT INTO total SELECT c.first, c.second, sum(c.n) FROM counted c "
            f"GROUP BY c.first, c.second HAVING sum(c.n) >= :minimum {dice}",
            {"minimum": minimum, "dice": min_dice},
        )
        self._conn.executescript(
            "DROP TABLE counted; DROP TABLE first_total; DROP TABLE second_total;"
        )
        self._conn.close()
        return PairCountReader(self.path)


# Second keys a PairCountReader keeps in memory at most, over the first keys it has read.
_READER_ROWS = 500_000


class PairCountReader:
    """The summed counts PairCounts kept, read-only: the counts of one first key are read at
    once and kept while they fit the bound. Picklable (a worker reopens the file)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn: sqlite3.Connection | None = None
        self._rows: dict[str, dict[str, int]] = {}
        self._held = 0

    def __getstate__(self) -> Path:
        return self.path

    def __setstate__(self, path: Path) -> None:
        self.path = path
        self._conn = None
        self._rows = {}
        self._held = 0

    def get(self, key: tuple[str, str], default: int = 0) -> int:
        """The count of (first, second), `default` when it was not kept."""
        first, second = key
        counts = self._rows.get(first)
        if counts is None:
            counts = self._read(first)
        return counts.get(second, default)

    def _read(self, first: str) -> dict[str, int]:
        if self._conn is None:
            self._conn = sqlite3.connect(f"{self.path.as_uri()}?mode=ro", uri=True)
        counts = dict(
            self._conn.execute("SELECT second, n FROM total WHERE first = ?", (first,)).fetchall()
        )
        if self._held + len(counts) > _READER_ROWS:
            # A cache: whatever is dropped is read alike again.
            self._rows.clear()
            self._held = 0
        self._rows[first] = counts
        self._held += len(counts)
        return counts

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


class NeedleTable:
    """Texts to be counted and judged a batch at a time (term extraction's needles, each side
    apart): each with its count and whether it is nested, in a throw-away SQLite file."""

    def __init__(self, path: Path) -> None:
        self._conn = _scratch(
            path,
            """
            CREATE TABLE needle (
                side INTEGER NOT NULL, text TEXT NOT NULL,
                count INTEGER NOT NULL DEFAULT 0, nested INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (side, text)
            );
            """,
        )

    def add(self, needles: Iterable[tuple[int, str]]) -> None:
        """Add (side, text) needles; one already there is left as it is."""
        _many(self._conn, "INSERT OR IGNORE INTO needle (side, text) VALUES (?, ?)", needles)

    def batches(self, side: int, size: int) -> Iterator[dict[str, int]]:
        """A side's needles with their counts, `size` at a time."""
        last = 0
        while True:
            rows = self._conn.execute(
                "SELECT rowid, text, count FROM needle WHERE side = ? AND rowid > ? "
                "ORDER BY rowid LIMIT ?",
                (side, last, size),
            ).fetchall()
            if not rows:
                return
            last = rows[-1][0]
            yield {text: count for _, text, count in rows}

    def counted(self, side: int) -> Iterator[tuple[str, int]]:
        """Every needle of a side with its count."""
        yield from self._conn.execute("SELECT text, count FROM needle WHERE side = ?", (side,))

    def set_counts(self, side: int, counts: dict[str, int]) -> None:
        """Set the counts of some needles of a side."""
        _many(
            self._conn,
            "UPDATE needle SET count = ? WHERE side = ? AND text = ?",
            ((count, side, text) for text, count in counts.items()),
        )

    def set_nested(self, side: int, texts: Iterable[str]) -> None:
        """Mark needles of a side as nested."""
        _many(
            self._conn,
            "UPDATE needle SET nested = 1 WHERE side = ? AND text = ?",
            ((side, text) for text in texts),
        )

    def get(self, side: int, text: str) -> tuple[int, bool]:
        """(count, nested) of a needle."""
        return self.get_many(side, [text])[text]

    def get_many(self, side: int, texts: Iterable[str]) -> dict[str, tuple[int, bool]]:
        """(count, nested) of each needle of a side among `texts` (each must be there)."""
        wanted = list(dict.fromkeys(texts))
        found: dict[str, tuple[int, bool]] = {}
        # Many texts to a statement, as ScratchTable.get does: a statement per text cost more
        # than the lookups themselves.
        for batch in _per_query(wanted):
            marks = ", ".join(["?"] * len(batch))
            for text, count, nested in self._conn.execute(
                f"SELECT text, count, nested FROM needle WHERE side = ? AND text IN ({marks})",
                [side, *batch],
            ):
                found[text] = (int(count), bool(nested))
        if missing := [text for text in wanted if text not in found]:
            raise KeyError(f"no such needle: {missing[0]!r}")
        return found

    def close(self) -> None:
        self._conn.close()

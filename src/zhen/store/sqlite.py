"""SQLite connections: where the file is, opening versus creating, transactions and clean errors."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from platformdirs import user_data_path

from zhen.errors import StoreError
from zhen.store.index import ensure_current
from zhen.store.schema import SCHEMA_VERSION, migrate, newer_than_this_zhen, schema_version

DEFAULT_BUSY_TIMEOUT = 10.0  # seconds a writer waits for another one before giving up
_SEEDING_SUFFIX = ".seeding"

Populate = Callable[[sqlite3.Connection], None]


def default_db_path() -> Path:
    """The user's own database: `$XDG_DATA_HOME/zhen/zhen.db` (~/.local/share/zhen/zhen.db)."""
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg) / "zhen" if xdg else user_data_path("zhen", appauthor=False)
    return base / "zhen.db"


def busy_timeout() -> float:
    """Seconds to wait on a database another process is writing: `$ZHEN_BUSY_TIMEOUT`, else 10."""
    value = os.environ.get("ZHEN_BUSY_TIMEOUT")
    if not value:
        return DEFAULT_BUSY_TIMEOUT
    try:
        seconds = float(value)
    except ValueError:
        raise StoreError(f"ZHEN_BUSY_TIMEOUT must be a number of seconds, not {value!r}") from None
    if not 0 <= seconds <= 86_400:
        raise StoreError(f"ZHEN_BUSY_TIMEOUT must be between 0 and 86400 seconds, not {value}")
    return seconds


Upgraded = Callable[[int, int], None]


def open_database(
    path: Path | str,
    *,
    readonly: bool = False,
    create: bool = False,
    on_upgrade: Upgraded | None = None,
) -> sqlite3.Connection:
    """Open an existing database file, migrating it to the current schema if it is writable.

    A missing file is an error unless `create` is given (then an empty database is made).
    `readonly` opens it so that nothing can be written, which is also how a file the user cannot
    write, or one on a read-only mount, is read. A file of an older schema is upgraded first
    when it can be written (`on_upgrade` hears the old and new versions), else refused.
    """
    db_path = Path(path)
    _refuse_non_file(db_path)
    exists = db_path.exists()
    if not exists and (readonly or not create):
        raise StoreError(missing_message(db_path))
    writable = os.access(db_path, os.W_OK) if exists else True
    if readonly or not writable:
        if writable and 0 < _peek_version(db_path) < SCHEMA_VERSION:
            # A one-time upgrade after installing a newer zhen, then the read as asked.
            _open_writable(db_path, on_upgrade=on_upgrade).close()
        return _open_readonly(db_path)
    return _open_writable(db_path, new=not exists, on_upgrade=on_upgrade)


def _peek_version(db_path: Path) -> int:
    """The schema version of a file, read without writing anything."""
    with errors(db_path):
        conn = _connect(_readonly_uri(db_path))
        try:
            return schema_version(conn)
        except sqlite3.OperationalError:
            # Not readable this way (a read-only mount): the read-only open tells.
            return SCHEMA_VERSION
        finally:
            conn.close()


def missing_message(db_path: Path) -> str:
    """The one line that says a database is not there and how to make it."""
    return (
        f"{db_path}: no such database; create it with `zhen db init {db_path}` "
        "(or `--empty` for a database without the bundled Xinhua data)"
    )


def not_zhen_message(db_path: Path) -> str:
    """The one line for a file that exists but holds no zhen database."""
    return (
        f"{db_path}: not a zhen database (an empty file, or another program's SQLite file); "
        "zhen leaves it as it is; `zhen db init NEW.db` makes a database"
    )


def _refuse_non_file(db_path: Path) -> None:
    if db_path.is_dir():
        raise StoreError(f"{db_path}: is a directory, not a database file")
    if db_path.exists() and not db_path.is_file():
        raise StoreError(f"{db_path}: is not a regular file, not a database")


def _readonly_uri(db_path: Path) -> str:
    return f"file:{quote(str(db_path.resolve()))}?mode=ro"


def _connect(target: Path | str) -> sqlite3.Connection:
    """A connection as zhen uses them: autocommit (zhen's own transactions), any thread, and the
    busy timeout; a `str` target is a `file:` URI."""
    return sqlite3.connect(
        target,
        uri=isinstance(target, str),
        timeout=busy_timeout(),
        check_same_thread=False,
        isolation_level=None,
    )


def _configure(conn: sqlite3.Connection) -> None:
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout() * 1000)}")
    conn.execute("PRAGMA foreign_keys = ON")


def _open_writable(
    db_path: Path,
    *,
    journal_mode: str = "WAL",
    new: bool = False,
    on_upgrade: Upgraded | None = None,
) -> sqlite3.Connection:
    """Open for writing: the file must be zhen's (unless `new`); migrations and index upkeep."""
    with errors(db_path):
        if not db_path.parent.is_dir():
            raise StoreError(f"{db_path}: folder {db_path.parent} does not exist")
        conn = _connect(db_path)
        try:
            _configure(conn)
            before = schema_version(conn)
            if not new and before == 0:
                # Someone else's SQLite file (or an empty one): zhen's tables never go into it.
                raise StoreError(not_zhen_message(db_path))
            if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != journal_mode.lower():
                conn.execute(f"PRAGMA journal_mode = {journal_mode}")
            conn.execute("PRAGMA synchronous = NORMAL")
            migrate(conn)
            if 0 < before < SCHEMA_VERSION and on_upgrade is not None:
                on_upgrade(before, SCHEMA_VERSION)
            _index_upkeep(conn)
        except BaseException:
            conn.close()
            raise
    return conn


def _index_upkeep(conn: sqlite3.Connection) -> None:
    """Bring the lookup index to the current layout when opening for writing, never in a read."""
    ensure_current(conn)


def _open_readonly(db_path: Path) -> sqlite3.Connection:
    uri = _readonly_uri(db_path)
    with errors(db_path):
        conn = _connect(uri)
        try:
            _configure(conn)
            version = schema_version(conn)
        except sqlite3.OperationalError:
            conn.close()
            # A WAL database on a read-only mount cannot get its -shm file: nothing can change
            # the file there, so SQLite may read it as immutable.
            conn = _connect(f"{uri}&immutable=1")
            _configure(conn)
            version = schema_version(conn)
        if version != SCHEMA_VERSION:
            conn.close()
            if version == 0:
                raise StoreError(not_zhen_message(db_path))
            if version > SCHEMA_VERSION:
                raise StoreError(f"{db_path}: {newer_than_this_zhen(version)}")
            raise StoreError(
                f"{db_path}: database schema version {version} predates this zhen "
                f"({SCHEMA_VERSION}) and the file cannot be written here; run "
                f"`zhen db upgrade --db {db_path}` where it is writable"
            )
    return conn


def create_database(path: Path | str, populate: Populate | None = None) -> None:
    """Make a new database at `path`, filled by `populate`, all or nothing.

    It is built under a temporary name and linked into place only when complete, so a failure
    or an interrupted run never leaves a half-made database; leftovers of a killed run are
    removed by the next one. An existing file is never replaced.
    """
    db_path = Path(path)
    _refuse_non_file(db_path)
    if db_path.exists():
        raise StoreError(f"{db_path}: already exists; zhen never replaces a database")
    if not db_path.parent.is_dir():
        raise StoreError(f"{db_path}: folder {db_path.parent} does not exist")
    remove_stale_seeding(db_path)
    with errors(db_path):
        handle, temp_name = tempfile.mkstemp(
            prefix=f".{db_path.name}.{os.getpid()}.", suffix=_SEEDING_SUFFIX, dir=db_path.parent
        )
    os.close(handle)
    temp = Path(temp_name)
    try:
        # Rollback journal, not WAL: a WAL file would be left behind under the temporary name.
        conn = _open_writable(temp, journal_mode="DELETE", new=True)
        try:
            if populate is not None:
                populate(conn)
            conn.execute("PRAGMA journal_mode = WAL")
        finally:
            conn.close()
        with errors(db_path):
            try:
                # link() fails if another process created the database meanwhile: keep theirs.
                os.link(temp, db_path)
            except FileExistsError:
                raise StoreError(f"{db_path}: another process created it meanwhile") from None
    finally:
        temp.unlink(missing_ok=True)
        Path(f"{temp}-journal").unlink(missing_ok=True)


def remove_stale_seeding(db_path: Path) -> int:
    """Delete temporary databases that a killed `create_database` left beside `db_path`."""
    removed = 0
    for leftover in db_path.parent.glob(f".{db_path.name}.*{_SEEDING_SUFFIX}*"):
        pid_text = leftover.name[len(db_path.name) + 2 :].split(".", 1)[0]
        if pid_text.isdigit() and _process_alive(int(pid_text)):
            continue
        leftover.unlink(missing_ok=True)
        removed += 1
    return removed


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def errors(db_path: Path | str | None, *, files: bool = True) -> Iterator[None]:
    """Turn SQLite failures into one StoreError line naming the database; with `files`, also
    file-system failures (around opening or creating the file, not an export's output)."""
    try:
        yield
    except sqlite3.Error as exc:
        if str(exc) == "interrupted":
            raise  # zhen's own interrupt() of a stale query (the TUI), not a failure to report
        raise StoreError(describe(exc, db_path)) from exc
    except OSError as exc:
        if not files:
            raise
        raise StoreError(f"{db_path}: {exc.strerror or exc}") from exc


def describe(exc: sqlite3.Error, db_path: Path | str | None) -> str:
    """What a SQLite error means for the person at the keyboard, in one line."""
    message = str(exc)
    name = str(db_path) if db_path is not None else "database"
    lowered = message.lower()
    if "locked" in lowered or "busy" in lowered:
        holders = _holders(db_path)
        held = f" (open in {', '.join(holders)})" if holders else ""
        return (
            f"{name}: the database is locked by another program{held}; waited "
            f"{busy_timeout():g} s (set ZHEN_BUSY_TIMEOUT to wait longer); nothing was changed"
        )
    if "malformed" in lowered or "not a database" in lowered or "corrupt" in lowered:
        return f"{name}: the database is damaged ({message}); run `zhen db check {name}`"
    if "readonly" in lowered or "read-only" in lowered:
        return f"{name}: the database cannot be written here ({message})"
    if "disk" in lowered and "full" in lowered:
        return f"{name}: the disk is full; nothing was changed"
    return f"{name}: database error: {message}"


def _holders(db_path: Path | str | None) -> list[str]:
    """Other processes that have the database open (Linux /proc; empty where it cannot tell)."""
    if db_path is None or not Path("/proc/self/fd").is_dir():
        return []
    try:
        target = Path(db_path).resolve()
    except OSError:
        return []
    names = {str(target), f"{target}-wal", f"{target}-shm"}
    found: list[str] = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            if not any(os.readlink(fd) in names for fd in (proc / "fd").iterdir()):
                continue
            command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        found.append(f"pid {proc.name}: {' '.join(command.split()[:4])[:60]}")
        if len(found) >= 3:
            break
    return found

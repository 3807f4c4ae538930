"""The SQLite store: location, migrations, WAL and busy timeout, all-or-nothing creation."""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

import pytest

from zhen import resources, store
from zhen.database import Database
from zhen.errors import StoreError
from zhen.io import tmx
from zhen.store import schema


def add_unit(conn: sqlite3.Connection, zh: str, en: str) -> None:
    conn.execute(
        "INSERT INTO units (zh, en, zh_norm, en_norm, pair_key) VALUES (?, ?, ?, ?, ?)",
        (zh, en, zh, en.lower(), store.pair_key(zh, en)),
    )


def test_default_location_follows_xdg(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert store.default_db_path() == tmp_path / "xdg" / "zhen" / "zhen.db"


def test_new_database_is_migrated_with_wal_and_foreign_keys(db_path: Path) -> None:
    conn = store.open_database(db_path, create=True)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    columns = {row[1] for row in conn.execute("PRAGMA table_info(units)")}
    assert {"zh", "en", "zh_norm", "en_norm", "origin", "score", "tuid", "props"} <= columns


def test_old_database_is_migrated_forward_without_losing_units(db_path: Path) -> None:
    raw = sqlite3.connect(db_path)
    for statement in schema.statements(schema.MIGRATIONS[0]):
        raw.execute(statement)
    raw.execute(
        "INSERT INTO units (zh, en, zh_norm, en_norm, pair_key) VALUES (?, ?, ?, ?, ?)",
        ("中国", "China", "中国", "china", store.pair_key("中国", "China")),
    )
    raw.execute("PRAGMA user_version = 1")
    raw.commit()
    raw.close()
    conn = store.open_database(db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
    assert tuple(conn.execute("SELECT zh, en, tuid FROM units").fetchone()) == (
        "中国",
        "China",
        None,
    )
    assert conn.execute("SELECT COUNT(*) FROM terms").fetchone()[0] == 0  # not seeded: not new


def test_newer_schema_is_refused(db_path: Path) -> None:
    raw = sqlite3.connect(db_path)
    raw.execute(f"PRAGMA user_version = {store.SCHEMA_VERSION + 1}")
    raw.close()
    with pytest.raises(StoreError, match="newer than this zhen"):
        store.open_database(db_path)


def test_directory_or_garbage_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a directory"):
        store.open_database(tmp_path)
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match=r"damaged.*zhen db check"):
        store.open_database(garbage)


def test_transaction_rolls_back_on_error(db_path: Path) -> None:
    conn = store.open_database(db_path, create=True)
    with pytest.raises(RuntimeError), store.transaction(conn):
        add_unit(conn, "a", "b")
        raise RuntimeError("boom")
    assert conn.execute("SELECT COUNT(*) FROM units").fetchone()[0] == 0


def test_reader_sees_committed_data_while_a_writer_holds_the_lock(db_path: Path) -> None:
    writer = store.open_database(db_path, create=True)
    reader = store.open_database(db_path, create=True)
    with store.transaction(writer):
        add_unit(writer, "a", "b")
        # WAL: the reader is not blocked and sees the last committed state.
        assert reader.execute("SELECT COUNT(*) FROM units").fetchone()[0] == 0
    assert reader.execute("SELECT COUNT(*) FROM units").fetchone()[0] == 1


def test_second_writer_waits_for_the_first_instead_of_failing(db_path: Path) -> None:
    first = store.open_database(db_path, create=True)
    second = store.open_database(db_path, create=True)
    holding = threading.Event()
    release = threading.Event()

    def hold_lock() -> None:
        with store.transaction(first):
            add_unit(first, "a", "b")
            holding.set()
            release.wait(timeout=30)

    thread = threading.Thread(target=hold_lock)
    thread.start()
    assert holding.wait(timeout=30)
    threading.Timer(0.3, release.set).start()
    with store.transaction(second):  # blocks on the busy timeout until the first commits
        add_unit(second, "c", "d")
    thread.join()
    assert second.execute("SELECT COUNT(*) FROM units").fetchone()[0] == 2


def test_without_busy_timeout_the_same_contention_fails(db_path: Path) -> None:
    """The control for the test above: the busy timeout is what makes the second writer wait."""
    first = store.open_database(db_path, create=True)
    second = store.open_database(db_path, create=True)
    second.execute("PRAGMA busy_timeout = 0")
    with store.transaction(first), pytest.raises(sqlite3.OperationalError, match="locked"):
        second.execute("BEGIN IMMEDIATE")


# --- seeding -------------------------------------------------------------------------------


def bundled_unit_count() -> int:
    return len({(u.zh, u.en) for u in tmx.iter_units(resources.bundled_tmx())})


def test_created_database_holds_the_bundled_tm_and_glossary(db_path: Path) -> None:
    conn = Database.create(db_path).connection
    assert conn.execute("SELECT COUNT(*) FROM units").fetchone()[0] == bundled_unit_count()
    assert conn.execute("SELECT COUNT(*) FROM terms").fetchone()[0] > 0
    assert "xinhua.tmx" in store.get_meta(conn, "seeded_from")
    assert [p.name for p in db_path.parent.iterdir() if "seeding" in p.name] == []


def test_failed_seed_leaves_no_database_and_the_next_run_seeds(db_path: Path, monkeypatch) -> None:
    def broken_glossary(conn, path):
        raise RuntimeError("glossary import failed")

    import zhen.glossary

    monkeypatch.setattr(zhen.glossary, "import_glossary", broken_glossary)
    with pytest.raises(RuntimeError, match="glossary import failed"):
        Database.create(db_path)
    assert list(db_path.parent.iterdir()) == []  # no half-made zhen.db, no temp files
    monkeypatch.undo()
    conn = Database.create(db_path).connection
    assert conn.execute("SELECT COUNT(*) FROM units").fetchone()[0] == bundled_unit_count()


def test_seed_skips_missing_bundled_files(db_path: Path, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setattr(resources, "bundled_tmx", lambda: tmp_path / "absent.tmx")
    monkeypatch.setattr(resources, "bundled_glossary", lambda: tmp_path / "absent.tsv")
    conn = Database.create(db_path).connection
    assert conn.execute("SELECT COUNT(*) FROM units").fetchone()[0] == 0
    assert "no bundled data" in store.get_meta(conn, "seeded_from")


def test_cli_first_run_creates_the_default_database(run_zhen, tmp_path: Path) -> None:
    done = run_zhen("tm", "stats", "--json")
    assert done.code == 0, done.stderr
    assert "created your zhen database" in done.stderr
    assert run_zhen("tm", "stats").stderr == ""  # said once
    stats = json.loads(done.stdout)
    assert stats["database"] == str(tmp_path / "xdg-data" / "zhen" / "zhen.db")
    assert stats["units"] == bundled_unit_count() and stats["terms"] > 0

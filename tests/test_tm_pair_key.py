"""Duplicate merging by pair_key: true duplicates merged, hash collisions still stored."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
from pathlib import Path

import pytest
from test_tm import small_tmx

from tests.support import third_party
from zhen import store, tm
from zhen.errors import InputError, TmxError
from zhen.io import tmx
from zhen.search import lookup
from zhen.tm import rows as reading

PAIRS = [
    ("推动构建人类命运共同体", "build a community with a shared future for mankind"),
    ("澜湄合作", "Lancang-Mekong Cooperation"),
    ("同志加兄弟", "comrades and brothers"),
    ("全面战略合作伙伴关系", "comprehensive strategic cooperative partnership"),
]


@pytest.fixture
def conn(db_path: Path) -> sqlite3.Connection:
    connection = store.open_database(db_path, create=True)
    yield connection
    connection.close()


def stored(conn: sqlite3.Connection) -> list[tuple]:
    return [tuple(r) for r in conn.execute("SELECT zh, en, pair_seq FROM units ORDER BY id")]


def test_pair_key_is_a_stable_signed_64_bit_hash_of_both_sides() -> None:
    key = store.pair_key("澜湄合作", "Lancang-Mekong Cooperation")
    assert key == store.pair_key("澜湄合作", "Lancang-Mekong Cooperation")
    assert -(2**63) <= key < 2**63
    # The separator keeps the split point: "ab"+"c" is not "a"+"bc".
    assert store.pair_key("ab", "c") != store.pair_key("a", "bc")


def test_duplicates_within_and_across_imports_are_merged(conn, tmp_path: Path) -> None:
    first = small_tmx(tmp_path / "a.tmx", [*PAIRS, PAIRS[1], PAIRS[0]])
    report = tm.import_files(conn, [first])
    assert (report.read, report.added, report.duplicates) == (6, 4, 2)
    again = tm.import_files(conn, [small_tmx(tmp_path / "b.tmx", [PAIRS[2], ("中国", "China")])])
    assert (again.added, again.duplicates) == (1, 1)
    assert [row[:2] for row in stored(conn)] == [*PAIRS, ("中国", "China")]


def test_colliding_keys_keep_every_distinct_pair(conn, tmp_path, monkeypatch) -> None:
    # Every pair hashes alike: only the text comparison can tell duplicates from collisions.
    monkeypatch.setattr(reading, "pair_key", lambda zh, en: 7)
    first = small_tmx(tmp_path / "a.tmx", [PAIRS[0], PAIRS[1], PAIRS[0], PAIRS[2]])
    report = tm.import_files(conn, [first])
    assert (report.added, report.duplicates) == (3, 1)
    second = small_tmx(tmp_path / "b.tmx", [PAIRS[1], PAIRS[3]])
    again = tm.import_files(conn, [second])
    assert (again.added, again.duplicates) == (1, 1)
    assert stored(conn) == [(*PAIRS[0], 0), (*PAIRS[1], 1), (*PAIRS[2], 2), (*PAIRS[3], 3)]
    assert lookup(conn, "澜湄合作").units[0].en == "Lancang-Mekong Cooperation"


def test_delete_renumbers_colliding_pairs_so_reimports_still_merge(
    conn, tmp_path, monkeypatch
) -> None:
    monkeypatch.setattr(reading, "pair_key", lambda zh, en: 7)
    tm.import_files(conn, [small_tmx(tmp_path / "a.tmx", PAIRS[:2])])
    tm.import_files(conn, [small_tmx(tmp_path / "b.tmx", PAIRS[2:])])
    assert tm.delete_origin(conn, "a.tmx").removed == 2
    assert stored(conn) == [(*PAIRS[2], 0), (*PAIRS[3], 1)]
    # Were PAIRS[2] left at pair_seq 2, this import would take the free seq 0 and store it twice.
    report = tm.import_files(conn, [small_tmx(tmp_path / "c.tmx", [PAIRS[2], PAIRS[0]])])
    assert (report.added, report.duplicates) == (1, 1)
    assert sorted(stored(conn), key=lambda row: row[2]) == [
        (*PAIRS[2], 0),
        (*PAIRS[3], 1),
        (*PAIRS[0], 2),
    ]


def test_schema_keeps_no_second_copy_of_the_texts(conn) -> None:
    indexed = {row[2] for row in conn.execute("PRAGMA index_xinfo(units_pair)") if row[2]}
    assert indexed == {"pair_key", "pair_seq"}
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO units (zh, en, zh_norm, en_norm) VALUES ('a', 'b', 'a', 'b')")


# --- large files: read in a reader process ---------------------------------------------------


@pytest.fixture
def process_reader(monkeypatch):
    """Make every file count as large, so the reader process is used."""
    monkeypatch.setattr(reading, "PROCESS_MIN_BYTES", 0)


def test_child_process_reader_stores_the_same_as_the_thread(db_path, tmp_path, process_reader):
    tico = third_party("data", "tico19", "all.en-zh.tmx")
    by_process = store.open_database(db_path, create=True)
    report = tm.import_files(by_process, [tico])
    reading.PROCESS_MIN_BYTES = 1 << 62
    by_thread = store.open_database(tmp_path / "thread.db", create=True)
    again = tm.import_files(by_thread, [tico])
    assert (report.read, report.added, report.skipped) == (again.read, again.added, again.skipped)
    query = "SELECT * FROM units ORDER BY id"
    assert list(map(tuple, by_process.execute(query))) == list(map(tuple, by_thread.execute(query)))
    for table in ("zh_postings", "en_postings"):
        rows = f"SELECT * FROM {table} ORDER BY gram, seg"
        assert list(map(tuple, by_process.execute(rows))) == list(
            map(tuple, by_thread.execute(rows))
        )


def test_child_process_reader_errors_name_the_line_and_keep_nothing(
    conn, tmp_path, process_reader
) -> None:
    good = small_tmx(tmp_path / "good.tmx", PAIRS)
    tm.import_files(conn, [good])
    broken = small_tmx(tmp_path / "broken.tmx", [("中国", "China")] * 3)
    broken.write_text(broken.read_text(encoding="utf-8").replace("</body>", ""), encoding="utf-8")
    with pytest.raises(TmxError, match=r"broken\.tmx:\d+:\d+: malformed XML"):
        tm.import_files(conn, [small_tmx(tmp_path / "new.tmx", [("越南", "Vietnam")]), broken])
    assert [row[:2] for row in stored(conn)] == PAIRS


def _many_batches(path: Path) -> Path:
    """A TMX of ten batches: the reader fills its queue and waits, far from the end."""
    count = reading.BATCH * 10
    return small_tmx(path, [(f"第{n}条", f"item {n}") for n in range(count)])


def test_process_reader_ends_when_the_importer_stops_early(tmp_path, process_reader) -> None:
    batches = reading.read_rows("tmx", _many_batches(tmp_path / "many.tmx"), tmx.ReadStats())
    rows, _offset = next(batches)
    assert rows[0][:2] == ("第0条", "item 0")
    batches.close()  # as when an insert fails: the reader must stop, not wait on a full queue
    assert multiprocessing.active_children() == []


def test_a_killed_process_reader_is_one_error(tmp_path, process_reader) -> None:
    path = _many_batches(tmp_path / "many.tmx")
    batches = reading.read_rows("tmx", path, tmx.ReadStats())
    next(batches)
    for child in multiprocessing.active_children():
        os.kill(child.pid, signal.SIGKILL)
    with pytest.raises(InputError, match=r"many\.tmx: the reader process stopped unexpectedly"):
        for _ in batches:
            pass
    assert multiprocessing.active_children() == []

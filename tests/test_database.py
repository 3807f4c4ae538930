"""The data layer through the CLI and `zhen.Database`: provenance, open versus create, reads that
never write, clean lock and damage errors, `zhen db`, migration of an older database."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import zhen
from zhen import store
from zhen.cli import main

DATA = Path(__file__).parent / "data"
SCHEMA4_DB = DATA / "schema4.db"  # made by zhen at schema version 4, before unit provenance


@pytest.fixture(autouse=True)
def isolated_home(monkeypatch, tmp_path: Path) -> Path:
    """No test may touch the user's own database or environment."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("ZHEN_DB", raising=False)
    monkeypatch.setenv("ZHEN_BUSY_TIMEOUT", "0.2")
    return tmp_path / "xdg" / "zhen" / "zhen.db"


def run(capsys, *args: object) -> tuple[int, str, str]:
    """`zhen ARGS` in-process: exit code, stdout, stderr."""
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("zhen: error: "), err
    return lines[0]


def tsv(path: Path, *pairs: tuple[str, str]) -> Path:
    path.write_text("".join(f"{zh}\t{en}\n" for zh, en in pairs), encoding="utf-8")
    return path


def digest(path: Path) -> dict[str, str]:
    """Hashes of a database file and of its -wal and -shm companions, where they exist."""
    found = {}
    for suffix in ("", "-wal", "-shm", "-journal"):
        companion = Path(f"{path}{suffix}")
        if companion.exists():
            found[suffix] = hashlib.sha256(companion.read_bytes()).hexdigest()
    return found


SHARED = ("中越友谊", "China-Vietnam friendship")


@pytest.fixture
def two_origins(tmp_path: Path, capsys) -> Path:
    """An empty database holding a.tsv and b.tsv, which share one pair."""
    db = tmp_path / "two.db"
    assert run(capsys, "db", "init", db, "--empty")[0] == 0
    a = tsv(tmp_path / "a.tsv", ("同志加兄弟", "camaraderie plus brotherhood"), SHARED)
    b = tsv(tmp_path / "b.tsv", SHARED, ("澜湄合作", "Lancang-Mekong Cooperation"))
    assert run(capsys, "tm", "import", a, b, "--db", db)[0] == 0
    assert (
        run(capsys, "glossary", "add", "澜湄合作", "Lancang-Mekong Cooperation", "--db", db)[0] == 0
    )
    return db


# --- provenance ----------------------------------------------------------------------------


def test_deleting_an_origin_keeps_units_another_origin_supplied(two_origins: Path, capsys):
    code, out, _ = run(capsys, "tm", "delete", "--origin", "a.tsv", "--db", two_origins)
    assert code == 0
    assert "deleted 1 units, kept 1" in out
    with zhen.Database(two_origins) as db:
        assert dict(db.stats().origins) == {"b.tsv": 2}
        assert db.stats().units == 2
        assert {u.zh for u in db.units()} == {SHARED[0], "澜湄合作"}
        # The shared unit now names its remaining source first.
        shared = db.lookup(SHARED[0]).units[0]
        assert shared.origin == "b.tsv"
        assert db.lookup(SHARED[0]).units  # still found through the index


def test_stats_count_every_origin_of_a_shared_unit(two_origins: Path, capsys):
    with zhen.Database(two_origins) as db:
        assert dict(db.stats().origins) == {"a.tsv": 2, "b.tsv": 2}
        assert db.stats().units == 3


def test_tm_show_lists_every_source_and_delete_by_id(two_origins: Path, capsys):
    with zhen.Database(two_origins) as db:
        unit_id = db.lookup(SHARED[0]).units[0].unit_id
    code, out, _ = run(capsys, "tm", "show", unit_id, "--db", two_origins)
    assert code == 0
    assert "sources  2" in out and "a.tsv #1 from" in out and "b.tsv #0 from" in out
    code, out, _ = run(capsys, "tm", "delete", "--id", unit_id, "--db", two_origins)
    assert code == 0 and f"deleted unit {unit_id}" in out
    code, _, err = run(capsys, "tm", "show", unit_id, "--db", two_origins)
    assert code == 2 and "no unit with id" in one_error_line(err)
    with zhen.Database(two_origins) as db:
        assert dict(db.stats().origins) == {"a.tsv": 1, "b.tsv": 1}
        assert not db.lookup(SHARED[0]).units


def test_reimporting_the_same_file_changes_no_source(two_origins: Path, tmp_path: Path, capsys):
    before = zhen.Database(two_origins).stats().origins
    run(capsys, "tm", "import", tmp_path / "a.tsv", "--db", two_origins)
    with zhen.Database(two_origins) as db:
        assert db.stats().origins == before
        assert db.stats().units == 3


def test_a_schema_4_database_migrates_without_loss(tmp_path: Path):
    copy = tmp_path / "old.db"
    shutil.copyfile(SCHEMA4_DB, copy)
    raw = sqlite3.connect(SCHEMA4_DB)
    old_units = raw.execute("SELECT id, zh, en, origin, position FROM units ORDER BY id").fetchall()
    old_terms = raw.execute("SELECT id, zh, en, status, note FROM terms ORDER BY id").fetchall()
    old_renderings = raw.execute("SELECT * FROM term_renderings ORDER BY 1, 2, 3").fetchall()
    old_sources = raw.execute("SELECT * FROM term_sources ORDER BY 1, 2").fetchall()
    raw.close()
    assert raw is not None and old_units and old_terms
    with zhen.Database(copy) as db:
        conn = db.connection
        assert store.schema_version(conn) == store.SCHEMA_VERSION
        assert [
            tuple(r) for r in conn.execute("SELECT id, zh, en, origin, position FROM units")
        ] == old_units
        assert [
            tuple(r) for r in conn.execute("SELECT id, zh, en, status, note FROM terms")
        ] == old_terms
        assert [
            tuple(r) for r in conn.execute("SELECT * FROM term_renderings ORDER BY 1, 2, 3")
        ] == old_renderings
        assert [tuple(r) for r in conn.execute("SELECT * FROM term_sources ORDER BY 1, 2")] == (
            old_sources
        )
        # Every unit has its one known origin as a source.
        for unit_id, _zh, _en, origin, position in old_units:
            assert [(s.origin, s.position) for s in db.unit_sources(unit_id)] == [
                (origin, position)
            ]
        assert db.check_integrity() == []
        # a.tsv and b.tsv shared a pair there, but schema 4 kept only the first origin, so it
        # goes with a.tsv: what the old database knew is kept, nothing is invented.
        report = db.delete_origin("a.tsv")
        assert (report.removed, report.kept) == (2, 0)
        assert dict(db.stats().origins)["b.tsv"] == 1


# --- open versus create --------------------------------------------------------------------


def test_a_named_database_that_does_not_exist_is_an_error(tmp_path: Path, capsys):
    missing = tmp_path / "nonexistent" / "x.db"
    for args in (
        ("tm", "stats"),
        ("lookup", "同志加兄弟"),
        ("glossary", "list"),
        ("tm", "import", tsv(tmp_path / "p.tsv", SHARED)),
        ("db", "info"),
    ):
        code, _, err = run(capsys, *args, "--db", missing)
        assert code == 2
        line = one_error_line(err)
        assert str(missing) in line and "zhen db init" in line
    assert not missing.parent.exists()


@pytest.mark.parametrize("kind", ["empty file", "another program's SQLite file"])
def test_a_file_that_is_not_a_zhen_database_is_left_alone(tmp_path: Path, capsys, kind):
    path = tmp_path / "other.sqlite"
    if kind == "empty file":
        path.write_bytes(b"")
    else:
        other = sqlite3.connect(path)
        other.execute("CREATE TABLE bookmarks (url TEXT)")
        other.commit()
        other.close()
    before = digest(path)
    for args in (("tm", "stats"), ("tm", "import", tsv(tmp_path / "p.tsv", SHARED))):
        code, _, err = run(capsys, *args, "--db", path)
        assert code == 2 and "not a zhen database" in one_error_line(err)
    assert digest(path) == before


def test_zhen_db_environment_variable_must_exist_too(tmp_path: Path, capsys, monkeypatch):
    monkeypatch.setenv("ZHEN_DB", str(tmp_path / "typo.db"))
    code, _, err = run(capsys, "tm", "stats")
    assert code == 2 and "typo.db" in one_error_line(err)
    assert list(tmp_path.iterdir()) == [tmp_path / "xdg"] or not (tmp_path / "typo.db").exists()


def test_a_failing_import_into_a_new_path_creates_nothing(tmp_path: Path, capsys):
    bad = tmp_path / "bad.tmx"
    bad.write_text("<tmx><body><tu>", encoding="utf-8")
    code, _, err = run(capsys, "tm", "import", bad, "--db", tmp_path / "new" / "x.db")
    assert code == 2
    one_error_line(err)
    assert not (tmp_path / "new").exists()


def test_the_default_database_is_created_once_and_says_so(isolated_home: Path, capsys):
    code, _, err = run(capsys, "tm", "stats")
    assert code == 0
    assert f"zhen: created your zhen database at {isolated_home}" in err
    assert "units" in err and "terms" in err
    code, _, err = run(capsys, "tm", "stats")
    assert code == 0 and err == ""


def test_a_failing_first_command_leaves_no_default_database(isolated_home: Path, tmp_path, capsys):
    bad = tmp_path / "bad.tmx"
    bad.write_text("<tmx><body><tu>", encoding="utf-8")
    code, _, err = run(capsys, "tm", "import", bad)
    assert code == 2 and "created your zhen database" not in one_error_line(err)
    assert not isolated_home.exists()
    assert [p.name for p in isolated_home.parent.iterdir()] == []


def test_db_init_seeded_and_empty_and_never_over_an_existing_file(tmp_path: Path, capsys):
    seeded, empty = tmp_path / "seeded.db", tmp_path / "empty.db"
    code, out, _ = run(capsys, "db", "init", seeded)
    assert code == 0 and "seeded from xinhua.tmx + xinhua.tsv" in out
    code, out, _ = run(capsys, "db", "init", empty, "--empty")
    assert code == 0 and "(empty: 0 units, 0 terms)" in out
    before = digest(seeded)
    code, _, err = run(capsys, "db", "init", seeded, "--empty")
    assert code == 2 and "already exists" in one_error_line(err)
    assert digest(seeded) == before
    with zhen.Database(seeded) as db:
        assert db.stats().units > 0 and db.terms("approved")


def test_interrupted_creation_leaves_nothing_behind_after_the_next_run(tmp_path: Path, capsys):
    target = tmp_path / "x.db"
    # What `kill -9` during seeding leaves: a temporary file named for a process now gone.
    child = subprocess.run(["true"], check=True)
    assert child.returncode == 0
    dead_pid = _dead_pid()
    leftover = tmp_path / f".x.db.{dead_pid}.abcd.seeding"
    leftover.write_bytes(b"half a database")
    Path(f"{leftover}-journal").write_bytes(b"journal")
    assert run(capsys, "db", "init", target, "--empty")[0] == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.db"]


def _dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_db_info_and_check(two_origins: Path, capsys):
    code, out, _ = run(capsys, "db", "info", "--db", two_origins)
    assert code == 0
    assert f"schema     version {store.SCHEMA_VERSION}" in out and "units      3" in out
    code, out, _ = run(capsys, "db", "info", "--json", "--db", two_origins)
    assert '"units": 3' in out
    code, out, err = run(capsys, "db", "check", "--db", two_origins)
    assert code == 0 and out.strip() == f"{two_origins}: ok" and err == ""


# --- damage and locks ----------------------------------------------------------------------


def garble(path: Path) -> None:
    """Overwrite pages in the middle of a database file, as a failing disk would."""
    size = path.stat().st_size
    with path.open("r+b") as handle:
        for offset in range(4096 * 2, size - 4096, 4096 * 3):
            handle.seek(offset)
            handle.write(os.urandom(4096))


def test_a_damaged_database_is_one_line_suggesting_db_check(seeded_db: Path, capsys):
    with zhen.Database(seeded_db) as db:
        db.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    garble(seeded_db)
    for args in (("tm", "stats"), ("lookup", "同志加兄弟"), ("db", "check")):
        code, _, err = run(capsys, *args, "--db", seeded_db)
        assert code == 2, (args, err)
        assert "Traceback" not in err
        last = err.strip().splitlines()[-1]
        assert last.startswith("zhen: error: ")
        if args != ("db", "check"):
            assert "zhen db check" in one_error_line(err)


def hold_write_lock(path: Path) -> subprocess.Popen:
    """Another process that holds the database's write lock until it is killed."""
    script = (
        "import sqlite3, sys, time\n"
        f"conn = sqlite3.connect({str(path)!r}, isolation_level=None)\n"
        "conn.execute('BEGIN IMMEDIATE')\n"
        "print('holding', flush=True)\n"
        "time.sleep(60)\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
    return holder


@pytest.mark.parametrize(
    "args",
    [
        ("tm", "import", "{pairs}"),
        ("tm", "delete", "--origin", "a.tsv"),
        ("glossary", "add", "测试", "test"),
        ("glossary", "import", "{glossary}"),
        ("glossary", "remove", "同志加兄弟"),
        ("glossary", "edit", "同志加兄弟", "--note", "x"),
    ],
)
def test_every_writer_says_locked_in_one_line(two_origins: Path, tmp_path: Path, capsys, args):
    with zhen.Database(two_origins) as db:
        db.add_term(zhen.Term(zh="同志加兄弟", en="camaraderie plus brotherhood"))
    files = {
        "pairs": tsv(tmp_path / "c.tsv", ("中国", "China")),
        "glossary": tsv(tmp_path / "g.tsv", ("一带一路", "Belt and Road")),
    }
    holder = hold_write_lock(two_origins)
    try:
        before = digest(two_origins)
        code, _, err = run(capsys, *(a.format(**files) for a in args), "--db", two_origins)
    finally:
        holder.kill()
        holder.wait()
    assert code == 2
    line = one_error_line(err)
    assert "locked" in line and "ZHEN_BUSY_TIMEOUT" in line and "pid " in line
    assert digest(two_origins)[""] == before[""]


def test_a_writer_waits_for_a_short_lock_instead_of_failing(two_origins: Path, capsys):
    holder = sqlite3.connect(two_origins, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    threading.Timer(0.1, holder.rollback).start()
    os.environ["ZHEN_BUSY_TIMEOUT"] = "10"
    code, _, err = run(capsys, "glossary", "add", "测试", "test", "--db", two_origins)
    holder.close()
    assert code == 0, err


def test_a_bad_busy_timeout_is_one_line(two_origins: Path, capsys, monkeypatch):
    monkeypatch.setenv("ZHEN_BUSY_TIMEOUT", "soon")
    code, _, err = run(capsys, "tm", "stats", "--db", two_origins)
    assert code == 2 and "ZHEN_BUSY_TIMEOUT" in one_error_line(err)


# --- reads never write ---------------------------------------------------------------------


READS = [
    ("tm", "stats"),
    ("tm", "stats", "--json"),
    ("lookup", "中越友谊"),
    ("lookup", "friendship", "--json"),
    ("tm", "export", "{out}/all.tmx"),
    ("glossary", "list"),
    ("glossary", "export", "{out}/g.tbx"),
    ("db", "info"),
    ("db", "check"),
    ("check", "{draft}"),
]


def read_only_mount(source: Path, target: Path) -> bool:
    """Bind-mount `source` read-only at `target` (needs root); False where that is impossible."""
    target.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    first = subprocess.run(["mount", "--bind", source, target], capture_output=True)
    if first.returncode != 0:
        return False
    second = subprocess.run(
        ["mount", "-o", "remount,bind,ro", target], capture_output=True, check=False
    )
    if second.returncode != 0:
        subprocess.run(["umount", target], check=False)
        return False
    return True


@pytest.fixture
def frozen(two_origins: Path, tmp_path: Path):
    """The two-origin database on a read-only mount (or, without root, a 0444 file)."""
    with zhen.Database(two_origins) as db:
        db.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    source = tmp_path / "source"
    source.mkdir()
    shutil.move(two_origins, source / "tm.db")
    mount = tmp_path / "ro"
    if read_only_mount(source, mount):
        yield mount / "tm.db"
        # Lazy: a connection the garbage collector has not closed yet must not keep it mounted.
        subprocess.run(["umount", "-l", mount], check=False)
    else:
        os.chmod(source / "tm.db", 0o444)
        yield source / "tm.db"


@pytest.mark.parametrize("args", READS, ids=lambda a: " ".join(a))
def test_reads_work_on_a_read_only_database_and_leave_it_unchanged(
    frozen: Path, tmp_path: Path, capsys, args
):
    out = tmp_path / "out"
    out.mkdir()
    draft = tsv(tmp_path / "draft.tsv", SHARED)
    before = digest(frozen)
    code, _, err = run(capsys, *(a.format(out=out, draft=draft) for a in args), "--db", frozen)
    assert code in (0, 1), err
    assert "Traceback" not in err
    assert digest(frozen) == before


def test_reads_leave_a_writable_database_byte_for_byte_unchanged(two_origins, tmp_path, capsys):
    with zhen.Database(two_origins) as db:
        db.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    out = tmp_path / "out"
    out.mkdir()
    draft = tsv(tmp_path / "draft.tsv", SHARED)
    before = digest(two_origins)[""]
    for args in READS:
        code, _, err = run(
            capsys, *(a.format(out=out, draft=draft) for a in args), "--db", two_origins
        )
        assert code in (0, 1), (args, err)
    assert digest(two_origins)[""] == before


@pytest.mark.parametrize("args", [("lookup", "中越友谊"), ("db", "info"), ("db", "check")])
def test_reads_on_an_older_writable_database_upgrade_it_once(tmp_path: Path, capsys, args):
    """After installing a newer zhen, the translator's first lookup just works, and says why
    the file changed."""
    old = tmp_path / "old.db"
    shutil.copyfile(SCHEMA4_DB, old)
    code, _, err = run(capsys, *args, "--db", old)
    assert code == 0, err
    assert err.strip() == f"zhen: upgraded {old} from schema version 4 to {store.SCHEMA_VERSION}"
    code, _, err = run(capsys, *args, "--db", old)
    assert code == 0 and err == ""
    with zhen.Database(old, readonly=True) as db:
        assert db.stats().units == 68


def test_an_older_database_on_a_read_only_mount_says_how_to_upgrade(tmp_path: Path, capsys):
    source = tmp_path / "source"
    source.mkdir()
    shutil.copyfile(SCHEMA4_DB, source / "old.db")
    mount = tmp_path / "ro"
    if not read_only_mount(source, mount):
        pytest.skip("needs root to bind-mount a folder read-only")
    try:
        before = digest(mount / "old.db")
        code, _, err = run(capsys, "lookup", "中越友谊", "--db", mount / "old.db")
        assert code == 2 and "zhen db upgrade --db" in one_error_line(err)
        assert digest(mount / "old.db") == before
    finally:
        subprocess.run(["umount", "-l", mount], check=False)
    code, out, _ = run(capsys, "db", "upgrade", "--db", source / "old.db")
    assert code == 0 and f"schema version {store.SCHEMA_VERSION}" in out


# Standard output on /dev/full fails at the process's final flush, after the import committed.
@pytest.mark.subprocess
def test_a_first_command_that_wrote_before_failing_keeps_the_new_database(
    isolated_home: Path, tmp_path: Path
):
    pairs = tsv(tmp_path / "a.tsv", SHARED)
    env = {**os.environ, "XDG_DATA_HOME": str(isolated_home.parents[1])}
    env.pop("ZHEN_DB", None)
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "zhen", "tm", "import", str(pairs)],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
    assert done.returncode == 2, done.stderr  # the summary could not be printed
    with zhen.Database(isolated_home, readonly=True) as db:
        assert "a.tsv" in dict(db.stats().origins)  # the committed import is still there


def test_lookup_never_rebuilds_the_index(two_origins: Path):
    """An index of an older layout is rebuilt when the file is opened to write, not by lookup."""
    with zhen.Database(two_origins) as db:
        store.set_meta(db.connection, "search_index_format", "1")
    with zhen.Database(two_origins, readonly=True) as db:
        assert store.get_meta(db.connection, "search_index_format") == "1"
        db.lookup(SHARED[0])
        assert store.get_meta(db.connection, "search_index_format") == "1"
    with zhen.Database(two_origins) as db:
        assert store.get_meta(db.connection, "search_index_format") != "1"
        assert db.lookup(SHARED[0]).units


# --- the public API ------------------------------------------------------------------------


def readme_python_example() -> str:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Python API", 1)[1]
    return section.split("```python\n", 1)[1].split("```", 1)[0]


def test_the_readme_python_example_runs(tmp_path: Path, monkeypatch, seed_path):
    """The README's example, run as written, in a folder holding the files it names."""
    seed = seed_path("004").read_text(encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    zh_lines, en_lines = [], []
    for line in seed.splitlines():
        (zh_lines if any("\u4e00" <= c <= "\u9fff" for c in line) else en_lines).append(line)
    Path("article.zh.txt").write_text("\n".join(zh_lines), encoding="utf-8")
    Path("article.en.txt").write_text("\n".join(en_lines), encoding="utf-8")
    Path("draft.en.txt").write_text("\n".join(en_lines), encoding="utf-8")
    zhen.Database.create("bundled.db").export_tmx("client.tmx")
    namespace: dict = {}
    exec(compile(readme_python_example(), "README.md", "exec"), namespace)
    db, doc, hits, report = (namespace[k] for k in ("db", "doc", "hits", "report"))
    assert isinstance(db, zhen.Database)
    assert doc.pairs and all(p.zh and p.en and p.score is not None for p in doc.pairs)
    assert hits.terms == [] or all(t.zh and t.en for t in hits.terms)
    found = [*hits.units, *hits.concordance]
    assert found and all(h.zh and h.en and h.score for h in found)
    assert any("同志加兄弟" in h.zh for h in found)
    assert all(i.kind and i.severity for i in report.issues)
    origins = dict(db.stats().origins)
    assert origins["article"] == len({(p.zh, p.en) for p in doc.pairs})


def test_opening_a_missing_database_raises_zhen_error(tmp_path: Path):
    with pytest.raises(zhen.ZhenError, match="no such database"):
        zhen.Database(tmp_path / "client.db")
    assert not (tmp_path / "client.db").exists()

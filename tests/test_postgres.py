"""The PostgreSQL backend against a real server: opening, schema versions, import, glossary,
lookup parity with SQLite, all-or-nothing and concurrent imports."""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.support.cli import one_error_line, run_cli
from zhen import Database
from zhen.errors import StoreError
from zhen.models import Term

psycopg = pytest.importorskip("psycopg")


def _tsv(path: Path, pairs: list[tuple[str, str]]) -> Path:
    path.write_text("".join(f"{zh}\t{en}\n" for zh, en in pairs), encoding="utf-8")
    return path


def _as_user(url: str, userinfo: str) -> str:
    """`url` connecting as another user (`name` or `name:password`)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=f"{userinfo}@{parts.netloc.rpartition('@')[2]}"))


def _server_with(url: str, database: str) -> str:
    base, _, query = url.partition("?")
    return f"{base.rsplit('/', 1)[0]}/{database}" + (f"?{query}" if query else "")


# --- opening, errors, schema ---------------------------------------------------------------


def test_init_info_upgrade_and_refusals(pg_url):
    before = run_cli(["db", "info", "--db", pg_url])
    assert "run `zhen db init" in one_error_line(before)
    created = run_cli(["db", "init", pg_url])
    assert created.code == 0, created.stderr
    assert "65 units, 637 terms" in created.stdout
    info = json.loads(run_cli(["db", "info", "--json", "--db", pg_url]).stdout)
    assert (info["units"], info["schema_version"]) == (65, 5)
    assert "never replaces" in one_error_line(run_cli(["db", "init", pg_url]))
    upgraded = run_cli(["db", "upgrade", pg_url])
    assert upgraded.code == 0 and "already current" in upgraded.stdout
    via_env = run_cli(["tm", "stats"], env={"ZHEN_DB": pg_url})
    assert via_env.code == 0 and "units      65" in via_env.stdout


def test_connection_failures_are_one_line_without_the_password(pg_url, tmp_path):
    server_down = f"postgresql://zhen:s3cr3t@/postgres?host={tmp_path}"
    line = one_error_line(run_cli(["tm", "stats", "--db", server_down]))
    assert "cannot reach" in line and "s3cr3t" not in line and "***" in line
    missing = _server_with(pg_url, "zhen_no_such_database")
    assert "no such database" in one_error_line(run_cli(["tm", "stats", "--db", missing]))
    stranger = _as_user(pg_url, "nobody_here:hunter22")
    result = run_cli(["db", "init", stranger])
    line = one_error_line(result)
    assert "hunter22" not in result.stderr + result.stdout
    assert "no such user" in line or "refused" in line
    with pytest.raises(StoreError, match="zhen db init"):
        Database(pg_url)


def test_wrong_password_is_one_line_that_does_not_show_it(pg_url):
    role = f"{urlsplit(pg_url).path.strip('/')}_translator"
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {role} LOGIN PASSWORD 'right-one'")
    try:
        wrong = _as_user(pg_url, f"{role}:wr0ng-one")
        try:
            psycopg.connect(wrong).close()
            pytest.skip("the server trusts every local user (no password is checked)")
        except psycopg.OperationalError:
            pass
        result = run_cli(["tm", "stats", "--db", wrong])
        assert "refused the user name or password" in one_error_line(result)
        assert "wr0ng-one" not in result.stderr + result.stdout
    finally:
        with psycopg.connect(pg_url, autocommit=True) as admin:
            admin.execute(f"DROP ROLE {role}")


def test_schema_moves_only_by_db_upgrade(pg_url, monkeypatch):
    from zhen.store.postgres import schema

    assert run_cli(["db", "init", "--empty", pg_url]).code == 0
    monkeypatch.setattr(schema, "MIGRATIONS", ["CREATE TABLE zhen_test_later (x INTEGER)"])
    monkeypatch.setattr(schema, "SCHEMA_VERSION", schema.BASELINE_VERSION + 1)
    for args in (["tm", "stats"], ["glossary", "add", "中国", "China"]):
        line = one_error_line(run_cli([*args, "--db", pg_url]))
        assert "predates this zhen" in line and "zhen db upgrade" in line
    with psycopg.connect(pg_url) as pg:  # the reader wrote nothing
        assert pg.execute("SELECT to_regclass('zhen_test_later')").fetchone()[0] is None
    upgraded = run_cli(["db", "upgrade"], env={"ZHEN_DB": pg_url})
    assert upgraded.code == 0 and "upgraded from 5 to 6" in upgraded.stdout
    assert run_cli(["tm", "stats", "--db", pg_url]).code == 0
    monkeypatch.undo()
    assert "newer than this zhen" in one_error_line(run_cli(["tm", "stats", "--db", pg_url]))


DIALECT_CASES = [
    ("SELECT x FROM t ORDER BY x", []),
    ("SELECT x FROM t ORDER BY x DESC", []),
    ("SELECT x, y FROM t WHERE y LIKE ? ESCAPE '\\' ORDER BY y, x DESC", ["%a\\_%"]),
    ("SELECT x FROM t WHERE x IN (SELECT x FROM t WHERE y = ? ORDER BY y) ORDER BY x", ["a_b"]),
    ("SELECT y, COUNT(*) FROM t GROUP BY y ORDER BY 2 DESC, 1", []),
]


@pytest.mark.parametrize(("statement", "params"), DIALECT_CASES)
def test_translated_statements_give_sqlites_rows(pg_url, statement, params):
    """NULLs sort first, `?` and `%` and LIKE escapes mean what they mean to SQLite."""
    import sqlite3

    from zhen.store.postgres.connection import PgConnection

    rows = [(1, "a_b"), (None, "a%c"), (3, None), (2, "a_b"), (None, None)]
    lite = sqlite3.connect(":memory:")
    lite.execute("CREATE TABLE t (x INTEGER, y TEXT)")
    lite.executemany("INSERT INTO t VALUES (?, ?)", rows)
    with psycopg.connect(pg_url, autocommit=True) as pg:
        pg.execute('CREATE TABLE t (x BIGINT, y TEXT COLLATE "C")')
        pg.cursor().executemany("INSERT INTO t VALUES (%s, %s)", rows)
        conn = PgConnection(pg, "test")
        got = [tuple(row) for row in conn.execute(statement, params).fetchall()]
        assert got == lite.execute(statement, params).fetchall()


def test_schema_version_matches_sqlite():
    from zhen.store import SCHEMA_VERSION
    from zhen.store.postgres.schema import SCHEMA_VERSION as PG_VERSION

    assert PG_VERSION == SCHEMA_VERSION, "a SQLite migration needs its PostgreSQL twin"


def test_readonly_open_refuses_writes(pg_url):
    Database.create(pg_url, seed=False).close()
    with Database(pg_url, readonly=True) as db, pytest.raises(StoreError, match="read-only"):
        db.add_term(Term(zh="中国", en="China"))
    with Database(pg_url, readonly=True) as db:
        assert db.terms() == []


# --- the same commands, the same answers as on SQLite ---------------------------------------


def _same_on_both(
    pg_url: str, sqlite_path: Path, *args: object, input_text: str | None = None
) -> str:
    on_pg = run_cli([*args, "--db", pg_url], stdin=input_text)
    on_sqlite = run_cli([*args, "--db", sqlite_path], stdin=input_text)
    assert on_pg.code == on_sqlite.code, (on_pg.stderr, on_sqlite.stderr)
    shown = _normal((on_pg.stdout + on_pg.stderr).replace(pg_url, "DB"))
    assert shown == _normal((on_sqlite.stdout + on_sqlite.stderr).replace(str(sqlite_path), "DB"))
    return on_pg.stdout


def _normal(output: str) -> str:
    """Output without what differs by nature: timings, rates and file sizes."""
    output = re.sub(r"in [\d.]+ s \([\d,]+ units/s\)", "in T", output)
    output = re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", "TIME", output)
    return re.sub(r"^(database +DB) \(.*\)$", r"\1", output, flags=re.MULTILINE)


QUERIES = [
    "同志加兄弟",
    "传统友谊",
    "傳統友誼",
    "中越关系",
    "习近平总书记",
    "traditional friendship",
    "comrades and brothers",
    "General Secretary",
    "belt and road",
    "frendship",
    "Vietnam",
    "全面战略合作伙伴关系",
]


def test_lookup_on_bundled_data_equals_sqlite(pg_url, tmp_path):
    sqlite_path = tmp_path / "same.db"
    assert run_cli(["db", "init", sqlite_path]).code == 0
    assert run_cli(["db", "init", pg_url]).code == 0
    for query in QUERIES:
        for extra in ([], ["--side", "en"], ["--min-score", "30", "--limit", "50"]):
            out = _same_on_both(pg_url, sqlite_path, "lookup", query, "--json", *extra)
            assert json.loads(out)
    with Database(pg_url, readonly=True) as pg, Database(sqlite_path, readonly=True) as lite:
        for query in QUERIES:
            assert pg.lookup(query, min_score=0) == lite.lookup(query, min_score=0)


def test_lookup_limited_to_origins_equals_sqlite(pg_url, tmp_path):
    """`--origin` filters in the store layer on both engines, a further source counting too."""
    sqlite_path = tmp_path / "same.db"
    assert run_cli(["db", "init", sqlite_path]).code == 0
    assert run_cli(["db", "init", pg_url]).code == 0
    # A unit of 000 that a client's file also brings: that origin finds it.
    client = _tsv(tmp_path / "client.tsv", [])
    with Database(sqlite_path, readonly=True) as db:
        shared = next(u for u in db.units() if u.origin.startswith("000") and "中国" in u.zh)
    _tsv(client, [(shared.zh, shared.en)])
    _same_on_both(pg_url, sqlite_path, "tm", "import", client)
    for origins in (["004_eb715c92c15eb68e"], ["client.tsv"], ["000_fce62a77146710a9", "nope"]):
        options = [part for origin in origins for part in ("--origin", origin)]
        for query in ("中国", "China", "同志加兄弟", "全面战略合作伙伴关系"):
            out = _same_on_both(pg_url, sqlite_path, "lookup", query, "--json", *options)
            units = json.loads(out)["units"]
            if origins == ["client.tsv"]:
                assert {u["zh"] for u in units} <= {shared.zh}
    found = json.loads(
        run_cli(["lookup", "中国", "--json", "--origin", "client.tsv", "--db", pg_url]).stdout
    )
    assert [u["zh"] for u in found["units"]] == [shared.zh]


def test_fragment_matches_equal_sqlite(pg_url, tmp_path):
    """A sentence inside a longer unit of the bundled TM: the same fragment, span and score."""
    sqlite_path = tmp_path / "same.db"
    assert run_cli(["db", "init", sqlite_path]).code == 0
    assert run_cli(["db", "init", pg_url]).code == 0
    for query in (
        "今年是中越建交80周年暨“中越人文交流年”。",
        "China and Vietnam have supported each other in the strugle for national independence",
    ):
        data = json.loads(_same_on_both(pg_url, sqlite_path, "lookup", query, "--json"))
        assert data["units"][0]["fragment"]["score"] >= 88, query


def test_lookup_on_tico19_equals_sqlite(pg_url, tmp_path):
    """3,000 real TICO-19 units: zh queries with a character changed, en ones with a word cut."""
    from tests.support.paths import third_party

    source = third_party("data", "tico19", "all.en-zh.tmx")
    sqlite_path = tmp_path / "tico.db"
    with (
        Database.create(sqlite_path, seed=False) as lite,
        Database.create(pg_url, seed=False) as pg,
    ):
        assert lite.import_files([source]).added == pg.import_files([source]).added > 3000
        units = lite.units()
        assert [(u.zh, u.en) for u in pg.units()] == [(u.zh, u.en) for u in units]
        queries = []
        for unit in units[:: len(units) // 30]:
            middle = len(unit.zh) // 2
            queries.append(unit.zh[:middle] + "的" + unit.zh[middle + 1 :])
            words = unit.en.split()
            queries.append(" ".join(words[: len(words) // 2 + 1]))
        found = 0
        for query in queries:
            result = pg.lookup(query, min_score=30)
            assert result == lite.lookup(query, min_score=30), query
            found += bool(result.units)
        assert found > len(queries) * 0.8


def test_tm_commands_equal_sqlite(pg_url, tmp_path):
    sqlite_path = tmp_path / "same.db"
    for target in (sqlite_path, pg_url):
        assert run_cli(["db", "init", "--empty", target]).code == 0
    first = _tsv(tmp_path / "a.tsv", [("同志加兄弟", "comrades and brothers"), ("中国", "China")])
    # A pair twice within one batch, then a new one: the new one's id follows without a gap.
    second = _tsv(
        tmp_path / "b.tsv",
        [("中国", "China"), ("越南", "Vietnam"), ("越南", "Vietnam"), ("老挝人民", "Laotians")],
    )
    _same_on_both(pg_url, sqlite_path, "tm", "import", first, second)
    _same_on_both(pg_url, sqlite_path, "tm", "import", second)
    assert json.loads(_same_on_both(pg_url, sqlite_path, "lookup", "老挝人民", "--json"))["units"]
    for args in (["tm", "stats"], ["tm", "show", "2"], ["tm", "show", "2", "--json"]):
        _same_on_both(pg_url, sqlite_path, *args)
    _same_on_both(pg_url, sqlite_path, "tm", "delete", "--origin", "a.tsv")
    _same_on_both(pg_url, sqlite_path, "tm", "delete", "--id", "3")
    _same_on_both(pg_url, sqlite_path, "tm", "stats")
    _same_on_both(pg_url, sqlite_path, "lookup", "中国", "--json")
    pg_tmx, lite_tmx = tmp_path / "pg.tmx", tmp_path / "lite.tmx"
    assert run_cli(["tm", "export", pg_tmx, "--db", pg_url]).code == 0
    assert run_cli(["tm", "export", lite_tmx, "--db", sqlite_path]).code == 0
    assert _without_dates(pg_tmx) == _without_dates(lite_tmx)


def test_many_imports_merge_postings_as_on_sqlite(pg_url, tmp_path):
    """Past MERGE_AT imports touching one token, its segments are merged: same lookups."""
    sqlite_path = tmp_path / "same.db"
    for target in (sqlite_path, pg_url):
        assert run_cli(["db", "init", "--empty", target]).code == 0
    for n in range(10):
        batch = _tsv(tmp_path / f"part{n}.tsv", _pairs(f"批{n}", 20))
        _same_on_both(pg_url, sqlite_path, "tm", "import", batch)
    _same_on_both(pg_url, sqlite_path, "tm", "delete", "--origin", "part3.tsv")
    for query in ("第批7号文件说明", "第批3号文件说明", "note number 12"):
        assert json.loads(_same_on_both(pg_url, sqlite_path, "lookup", query, "--json"))["units"]
    with psycopg.connect(pg_url) as pg:
        merged = pg.execute("SELECT count(*) FROM zh_postings WHERE seg = 0").fetchone()[0]
    assert merged > 0


def _without_dates(path: Path) -> str:
    return re.sub(r'(creationdate|changedate)="[^"]*"', "", path.read_text(encoding="utf-8"))


def test_glossary_commands_equal_sqlite(pg_url, tmp_path):
    sqlite_path = tmp_path / "same.db"
    for target in (sqlite_path, pg_url):
        assert run_cli(["db", "init", target]).code == 0
    steps: list[list[object]] = [
        ["glossary", "add", "人类命运共同体", "community with a shared future for mankind"],
        ["glossary", "add", "中国", "China", "--status", "proposed", "--note", "n"],
        ["glossary", "edit", "中国", "--variant", "PRC", "--forbid", "Red China"],
        ["glossary", "show", "中国"],
        ["glossary", "list", "--status", "proposed"],
        ["lookup", "人类命运共同体", "--json"],
        ["glossary", "remove", "人类命运共同体"],
        ["glossary", "extract", "--db-units", "--json", "--save"],
        ["glossary", "list"],
    ]
    for step in steps:
        _same_on_both(pg_url, sqlite_path, *step)
    for fmt in ("tbx", "tsv", "csv"):
        pg_out, lite_out = tmp_path / f"pg.{fmt}", tmp_path / f"lite.{fmt}"
        assert run_cli(["glossary", "export", pg_out, "--status", "all", "--db", pg_url]).code == 0
        assert (
            run_cli(["glossary", "export", lite_out, "--status", "all", "--db", sqlite_path]).code
            == 0
        )
        assert _normal(pg_out.read_text("utf-8")) == _normal(lite_out.read_text("utf-8"))
    imported = _tsv(tmp_path / "more.tsv", [("新时代", "new era")])
    _same_on_both(pg_url, sqlite_path, "glossary", "import", imported)
    _same_on_both(pg_url, sqlite_path, "glossary", "review", input_text="a\nr\nq\n")
    _same_on_both(pg_url, sqlite_path, "glossary", "list")


# --- imports: all or nothing, and two at once ----------------------------------------------


def test_failed_import_changes_nothing(pg_url, tmp_path):
    assert run_cli(["db", "init", pg_url]).code == 0
    good = _tsv(tmp_path / "good.tsv", [("新时代", "new era")])
    broken = tmp_path / "broken.tmx"
    broken.write_text("<tmx version='1.4'><body><tu><tuv", encoding="utf-8")
    one_error_line(run_cli(["tm", "import", good, broken, "--db", pg_url]))
    with Database(pg_url, readonly=True) as db:
        assert db.stats().units == 65
        assert db.lookup("新时代").units == []
    assert run_cli(["tm", "import", good, "--db", pg_url]).code == 0
    with Database(pg_url, readonly=True) as db:
        assert db.stats().units == 66


def _pairs(tag: str, count: int) -> list[tuple[str, str]]:
    return [(f"第{tag}{n}号文件说明", f"note {tag} number {n}") for n in range(count)]


def test_two_imports_at_once_both_land(pg_url, tmp_path, capfd):
    Database.create(pg_url, seed=False).close()
    files = [_tsv(tmp_path / f"{tag}.tsv", _pairs(tag, 3000)) for tag in ("甲", "乙")]
    shared = _tsv(tmp_path / "shared.tsv", _pairs("丙", 500))
    errors: list[BaseException] = []
    from zhen.store.postgres.connection import WRITE_LOCK

    with psycopg.connect(pg_url, autocommit=True) as holder:
        # Another writer holds the lock: both imports must wait, then both land.
        holder.execute("BEGIN")
        holder.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))

        def run(path: Path) -> None:
            try:
                with Database(pg_url) as db:
                    db.import_files([path, shared])
            except BaseException as exc:  # reported below
                errors.append(exc)

        threads = [threading.Thread(target=run, args=(path,)) for path in files]
        for thread in threads:
            thread.start()
        threading.Event().wait(1.0)
        holder.execute("COMMIT")
        for thread in threads:
            thread.join()
    assert errors == []
    assert "another zhen is writing" in capfd.readouterr().err
    with Database(pg_url, readonly=True) as db:
        assert db.stats().units == 6500
        origins = dict(db.stats().origins)
        assert origins == {"甲.tsv": 3000, "乙.tsv": 3000, "shared.tsv": 500}
        assert db.lookup("第乙2999号文件说明").units[0].score == 100


def test_import_waits_then_gives_up_with_one_line(pg_url, tmp_path):
    Database.create(pg_url, seed=False).close()
    path = _tsv(tmp_path / "a.tsv", _pairs("甲", 10))
    from zhen.store.postgres.connection import WRITE_LOCK

    with psycopg.connect(pg_url, autocommit=True) as holder:
        holder.execute("BEGIN")
        holder.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
        result = run_cli(["tm", "import", path, "--db", pg_url], env={"ZHEN_BUSY_TIMEOUT": "0.5"})
        holder.execute("ROLLBACK")
    assert result.code == 2 and "Traceback" not in result.stderr
    assert "another zhen" in result.stderr and "nothing was" in result.stderr
    with Database(pg_url, readonly=True) as db:
        assert db.stats().units == 0


@pytest.mark.slow
def test_lookup_on_100k_derived_units_equals_sqlite(pg_url, tmp_path):
    """100,000 TICO-19/Tatoeba/WMT22-derived units (the lookup benchmark's): the same answers."""
    import importlib.util
    import sys

    from tests.support.paths import REPO_ROOT, third_party
    from zhen.models import TranslationUnit

    third_party("data", "tatoeba", "cmn.txt")  # skips, saying why, without the data
    spec = importlib.util.spec_from_file_location(
        "lookup_bench", REPO_ROOT / "benchmarks" / "lookup_bench.py"
    )
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("lookup_bench", bench)
    spec.loader.exec_module(bench)
    units = bench.build_units(bench.load_pairs(), 100_000)
    queries = bench.make_queries(units, 60) + bench.make_en_queries(units, 60)
    sqlite_path = tmp_path / "100k.db"
    with (
        Database.create(sqlite_path, seed=False) as lite,
        Database.create(pg_url, seed=False) as pg,
    ):
        for db in (lite, pg):
            pairs = (TranslationUnit(zh=zh, en=en) for zh, en in units)
            assert db.import_pairs(pairs, origin="derived").added == 100_000
    found = 0
    with Database(pg_url, readonly=True) as pg, Database(sqlite_path, readonly=True) as lite:
        for query, original, kind in queries:
            side = "en" if kind == "typos" else "zh"
            result = pg.lookup(query, limit=5, min_score=0, side=side)
            assert result == lite.lookup(query, limit=5, min_score=0, side=side), query
            found += original in {hit.en if side == "en" else hit.zh for hit in result.units}
    assert found >= 0.95 * len(queries)

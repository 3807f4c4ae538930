"""`zhen db copy`: SQLite to PostgreSQL and back, losslessly (the same exports byte for byte,
the same lookups), only into a new database, and all or nothing."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.support import postgres
from tests.support.cli import one_error_line, run_cli
from zhen import Database
from zhen.models import Term, TermStatus
from zhen.store.copy import copy_database

psycopg = pytest.importorskip("psycopg")

_TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence"
 o-tmf="t" adminlang="en-US" srclang="zh-CN" datatype="plaintext"/><body>
<tu tuid="desk-1" creationdate="20240301T101500Z" creationid="li.wei" changedate="20240302T080000Z"
 changeid="zhang.min"><prop type="x-client">Xinhua</prop><prop type="x-project">两会 2024</prop>
<note>checked by the desk</note>
<tuv xml:lang="zh-CN"><seg>全国人民代表大会第二次会议开幕。</seg></tuv>
<tuv xml:lang="en-GB"><seg>The second session of the National People's Congress opened.</seg></tuv>
</tu>
<tu tuid="desk-2"><prop type="x-client">Xinhua</prop>
<tuv xml:lang="zh-TW"><seg>政府工作報告提出今年經濟增長目標。</seg></tuv>
<tuv xml:lang="en-US"><seg>The government work report set this year's growth target.</seg></tuv>
</tu>
<tu><tuv xml:lang="zh-CN"><seg>高质量发展是新时代的硬道理。</seg></tuv>
<tuv xml:lang="en-US"><seg>High-quality development is the hard truth of the new era.</seg></tuv>
</tu>
</body></tmx>
"""
_QUERIES = ("全国人民代表大会", "高质量发展", "growth target", "一带一路", "Belt and Road", "中方")


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """A seeded database with an imported TMX (tuids, props, notes, dates, one pair brought by
    two files) and glossary edits (added, edited, rejected and removed entries)."""
    path = tmp_path / "translator.db"
    first = tmp_path / "desk.tmx"
    first.write_text(_TMX, encoding="utf-8")
    again = tmp_path / "desk-copy.tmx"
    again.write_text(_TMX, encoding="utf-8")  # the same pairs: further sources of each unit
    with Database.create(path, seed=True) as db:
        db.import_files([first])
        db.import_files([again])
        db.add_term(
            Term(
                zh="两会",
                en="the two sessions",
                variants=["NPC and CPPCC sessions", "Two Sessions"],
                forbidden=["two meetings"],
                domain="politics",
                note="lower case in running text",
                pos="noun",
                sources=["Xinhua style guide", "desk memo 12"],
                status=TermStatus.PROPOSED,
                checked=False,
            )
        )
        seeded = db.terms()
        edited = seeded[3]
        edited.variants = [*edited.variants, "a desk variant"]
        edited.note = "edited on the desk"
        db.update_term(edited)
        db.set_term_status(seeded[4].id, "rejected")
        db.remove_term(seeded[1].id)  # a gap in the ids, which must stay a gap
    return path


def _exports(target: Path | str, folder: Path) -> tuple[bytes, bytes]:
    folder.mkdir()
    tmx, tbx = folder / "tm.tmx", folder / "glossary.tbx"
    assert run_cli(["tm", "export", tmx, "--db", target]).code == 0
    assert run_cli(["glossary", "export", tbx, "--status", "all", "--db", target]).code == 0
    return tmx.read_bytes(), tbx.read_bytes()


def _lookups(target: Path | str) -> list[dict[str, object]]:
    with Database(target, readonly=True) as db:
        return [db.lookup(query, min_score=0).to_json() for query in _QUERIES]


def _everything(target: Path | str) -> dict[str, object]:
    """What the database holds, read through the API: units with their sources, terms, info."""
    with Database(target, readonly=True) as db:
        info = db.info().to_json()
        units = [
            (unit, db.unit_sources(unit.id or 0))
            for unit in map(db.unit, range(1, 1 + info["units"] + 5))
            if unit is not None
        ]
        return {
            "units": units,
            "terms": db.terms(),
            "counts": {key: info[key] for key in ("units", "terms", "origins", "seeded_from")},
        }


def test_sqlite_to_postgresql_and_back_loses_nothing(source, pg_url, tmp_path):
    copied = run_cli(["db", "copy", source, pg_url])
    assert copied.code == 0, copied.stderr
    assert "further sources" in copied.stdout and "terms" in copied.stdout
    back = tmp_path / "back.db"
    assert run_cli(["db", "copy", pg_url, back]).code == 0

    original = _exports(source, tmp_path / "from-source")
    assert _exports(pg_url, tmp_path / "from-server") == original
    assert _exports(back, tmp_path / "from-round-trip") == original
    assert b"desk-1" in original[0] and b"x-project" in original[0]
    assert b"two meetings" in original[1] and b"desk memo 12" in original[1]

    before = _everything(source)
    assert _everything(pg_url) == before
    assert _everything(back) == before
    assert any(len(sources) == 2 for _, sources in before["units"])  # type: ignore[union-attr]
    assert _lookups(pg_url) == _lookups(source)
    assert _lookups(back) == _lookups(source)

    # The copy is a working database: new terms and imports take fresh ids on either side.
    for target in (pg_url, back):
        with Database(target) as db:
            added = db.add_term(Term(zh="稿件编辑部", en="copy desk"))
            assert added.id > max(term.id for term in before["terms"])  # type: ignore[union-attr]
            more = tmp_path / f"more-{added.id}.tsv"
            more.write_text("新的一句。\tA new sentence.\n", encoding="utf-8")
            assert db.import_files([more]).added == 1
            assert db.lookup("新的一句").units


def test_sqlite_to_sqlite_copy_is_the_same_database(source, tmp_path, monkeypatch):
    monkeypatch.setattr("zhen.store.copy.PAGE_ROWS", 20)
    target = tmp_path / "copy.db"
    heard: list[tuple[int, int]] = []
    report = copy_database(source, target, progress=lambda done, total: heard.append((done, total)))
    assert len(heard) > 2 and heard[-1] == (report.units, report.units)
    assert [done for done, _ in heard] == sorted(done for done, _ in heard)
    assert _exports(target, tmp_path / "copy") == _exports(source, tmp_path / "source")
    assert _everything(target) == _everything(source)
    assert run_cli(["db", "check", "--db", target]).code == 0


def test_a_database_that_holds_something_is_never_a_destination(source, pg_url, tmp_path):
    existing = tmp_path / "existing.db"
    existing.write_bytes(b"someone's notes")
    assert "never replaces" in one_error_line(run_cli(["db", "copy", source, existing]))
    assert existing.read_bytes() == b"someone's notes"
    assert "already exists" in one_error_line(run_cli(["db", "copy", source, source]))
    assert run_cli(["db", "init", "--empty", pg_url]).code == 0
    assert "already holds" in one_error_line(run_cli(["db", "copy", source, pg_url]))
    info = json.loads(run_cli(["db", "info", "--json", "--db", pg_url]).stdout)
    assert info["units"] == 0
    missing = tmp_path / "missing.db"
    assert "no such database" in one_error_line(run_cli(["db", "copy", missing, pg_url]))


def _table_count(url: str) -> int:
    with psycopg.connect(url) as pg:
        row = pg.execute(
            "SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema()"
        ).fetchone()
        return int(row[0])


def test_a_failing_copy_leaves_the_destination_as_it_was(source, pg_url, tmp_path, monkeypatch):
    monkeypatch.setattr("zhen.store.copy.PAGE_ROWS", 10)  # many pages written before the failure
    # A NUL character: SQLite stores it, PostgreSQL text refuses it, after the other units.
    with sqlite3.connect(source) as raw:
        raw.execute(
            "INSERT INTO units (id, zh, en, zh_norm, en_norm, pair_key) "
            "VALUES (100000, ?, 'x', 'a b', 'x', 42)",
            ("a\x00b",),
        )
    raw.close()
    line = one_error_line(run_cli(["db", "copy", source, pg_url]))
    assert "database error" in line
    assert _table_count(pg_url) == 0
    assert "holds no zhen database" in one_error_line(run_cli(["tm", "stats", "--db", pg_url]))

    # A source row the destination's keys refuse (a source of a unit that is gone).
    with sqlite3.connect(source) as raw:
        raw.execute("DELETE FROM units WHERE id = 100000")
        unit_id = raw.execute("SELECT unit_id FROM unit_sources LIMIT 1").fetchone()[0]
        raw.execute("DELETE FROM units WHERE id = ?", (unit_id,))
    raw.close()
    target = tmp_path / "target.db"
    assert "FOREIGN KEY" in one_error_line(run_cli(["db", "copy", source, target]))
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".target")) == []
    assert not target.exists()


def test_postgresql_to_postgresql(source, pg_server, pg_url, tmp_path):
    assert run_cli(["db", "copy", source, pg_url]).code == 0
    with postgres.fresh_database(pg_server) as second:
        assert run_cli(["db", "copy", pg_url, second]).code == 0
        assert _exports(second, tmp_path / "second") == _exports(source, tmp_path / "source")
        assert _lookups(second) == _lookups(source)

"""A desk at once on one PostgreSQL database: 20 lookup clients while 2 import and 2 edit terms.

The scenario is benchmarks/team_bench.py's `run_load`, here at a size that runs in seconds.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from zhen import Database
from zhen.models import TranslationUnit

pytest.importorskip("psycopg")

_BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "team_bench.py"
_spec = importlib.util.spec_from_file_location("team_bench", _BENCH)
assert _spec is not None and _spec.loader is not None
team_bench = importlib.util.module_from_spec(_spec)
sys.modules["team_bench"] = team_bench  # dataclasses look their module up there
_spec.loader.exec_module(team_bench)

CLIENTS = 20
FILES_EACH = 2
UNITS_PER_FILE = 300
TERMS_EACH = 15


def test_lookups_imports_and_term_edits_at_once_lose_nothing(pg_url, tmp_path, monkeypatch):
    # Writers queue on the write lock; on a loaded CI machine the wait may pass the default 10 s.
    monkeypatch.setenv("ZHEN_BUSY_TIMEOUT", "120")
    Database.create(pg_url, seed=False).close()
    base = [
        (f"第{n}条基础译文的中文原句", f"base sentence number {n} in english") for n in range(2000)
    ]
    with Database(pg_url) as db:
        db.import_pairs((TranslationUnit(zh=zh, en=en) for zh, en in base), origin="base")
    queries = [(zh, "zh") for zh, _ in base[::97]] + [(en, "en") for _, en in base[::89]]
    files = [
        [
            team_bench.write_import_file(tmp_path / f"{who}{n}.tmx", f"{who}{n}", UNITS_PER_FILE)
            for n in range(FILES_EACH)
        ]
        for who in "甲乙"
    ]
    markers = [item.marker for group in files for item in group]
    with Database(pg_url, readonly=True) as db:
        assert not any(hit.zh in markers for m in markers for hit in db.lookup(m).units)

    report = team_bench.run_load(
        pg_url, queries, clients=CLIENTS, import_files=files, terms_each=TERMS_EACH
    )

    assert report.errors == []
    assert len(report.latencies_ms) >= CLIENTS  # every client looked up while the writers ran
    written = 2 * FILES_EACH * UNITS_PER_FILE
    assert report.imported_units == written
    # Each file's own sentence was found by the first lookup after its import returned.
    assert sorted(polls for _, polls in report.visibility) == [1] * (2 * FILES_EACH)
    with Database(pg_url, readonly=True) as db:
        assert db.stats().units == len(base) + written
        terms = db.terms()
        assert len(terms) == 2 * TERMS_EACH
        assert {term.status for term in terms} == {"approved"}
        assert {term.zh for term in terms} == {
            f"术语{who}{n}号" for who in "甲乙" for n in range(TERMS_EACH)
        }

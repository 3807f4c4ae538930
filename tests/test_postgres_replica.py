"""A large desk reads from a hot standby: lookups, checks, exports there; writes refused."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import postgres
from tests.support.cli import run_cli
from tests.support.tui import SIZE, hits, pilot_test, search, start
from zhen import Database
from zhen.errors import ReadOnlyReplicaError
from zhen.models import TranslationUnit
from zhen.tui import ZhenApp
from zhen.tui.database import TuiDatabase

pytest.importorskip("psycopg")
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def primary_and_standby(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """URLs of one database on a throwaway primary and on its streaming hot standby."""
    bindir = postgres.find_bindir()
    if bindir is None:
        pytest.skip(postgres.SKIP_REASON)
    # Short socket paths: a Unix socket's path must stay under 108 bytes.
    primary = postgres.start_cluster(bindir)
    try:
        import psycopg

        with psycopg.connect(primary.url, autocommit=True) as admin:
            admin.execute('CREATE DATABASE "desk"')
        standby = postgres.start_standby(primary, Path(str(primary.root) + "-standby"))
        try:
            yield (
                postgres.with_database(primary.url, "desk"),
                postgres.with_database(standby.url, "desk"),
            )
        finally:
            standby.stop()
    finally:
        primary.stop()


def _wait_for_units(url: str, count: int) -> float:
    """Seconds until the standby shows `count` units (replication is asynchronous)."""
    start = time.monotonic()
    while time.monotonic() - start < 60:
        try:
            with Database(url, readonly=True) as db:
                if db.stats().units == count:
                    return time.monotonic() - start
        except Exception:  # the database's creation may not have reached the standby yet
            pass
        time.sleep(0.05)
    raise AssertionError(f"the standby never showed {count} units")


def test_reads_on_the_standby_equal_the_primary(primary_and_standby, tmp_path):
    primary, standby = primary_and_standby
    assert run_cli(["db", "init", primary]).code == 0
    with Database(primary, readonly=True) as db:
        seeded = db.stats().units
    _wait_for_units(standby, seeded)
    for argv in (
        ["lookup", "同志加兄弟", "--json"],
        ["lookup", "traditional friendship", "--json"],
        ["tm", "export", "-"],
        ["glossary", "export", "-", "--format", "tbx"],
    ):
        on_primary = run_cli([*argv, "--db", primary])
        on_standby = run_cli([*argv, "--db", standby])
        assert on_primary.code == on_standby.code == 0, on_standby.stderr
        assert on_standby.stdout == on_primary.stdout

    # What a translator imports on the primary reaches lookups on the standby.
    with Database(primary) as db:
        db.import_pairs(
            [TranslationUnit(zh="澜湄合作机制走深走实", en="Lancang-Mekong Cooperation deepens")],
            origin="new.tsv",
        )
    _wait_for_units(standby, seeded + 1)
    with Database(standby, readonly=True) as db:
        assert db.lookup("澜湄合作机制走深走实").units[0].en == "Lancang-Mekong Cooperation deepens"


def test_writes_on_the_standby_are_one_line_naming_the_primary(primary_and_standby, tmp_path):
    primary, standby = primary_and_standby
    _initialised(primary, standby)
    draft = tmp_path / "new.tsv"
    draft.write_text("新时代\tthe new era\n", encoding="utf-8")
    for argv in (
        ["glossary", "add", "新时代", "new era"],
        ["tm", "import", str(draft)],
        ["tm", "delete", "--origin", "new.tsv"],
    ):
        result = run_cli([*argv, "--db", standby])
        assert result.code == 2
        (line,) = result.stderr.splitlines()
        assert line.startswith("zhen: error: ")
        assert "read-only replica" in line and "primary" in line


def _initialised(primary: str, standby: str) -> None:
    if run_cli(["db", "info", "--db", primary]).code != 0:
        assert run_cli(["db", "init", primary]).code == 0
    with Database(primary, readonly=True) as db:
        _wait_for_units(standby, db.stats().units)


@pilot_test
async def test_the_tui_searches_a_standby_and_refuses_edits_with_the_reason(
    primary_and_standby,
) -> None:
    primary, standby = primary_and_standby
    _initialised(primary, standby)
    app = ZhenApp(standby)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot)
        await search(pilot, screen, "同志加兄弟")
        assert any(getattr(hit, "en", "") == "camaraderie plus brotherhood" for hit in hits(screen))
    database = TuiDatabase(standby)
    try:
        with pytest.raises(ReadOnlyReplicaError, match="read-only replica"), database.writing():
            pass
    finally:
        database.close()

"""The TUI on a PostgreSQL database: a representative set of the pilot tests run again on a real
server, the header naming the server without a password, and stale searches cancelled there."""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from tests.support.cli import run_cli
from tests.support.postgres import pg_role_url, role_name
from tests.support.tui import SIZE, build_tui_db, hits, pilot_test, start, wait_for

# The same tests as on SQLite, collected here again with this module's `tui_db` (a server's
# database): lookup as you type, adding a term, review, check, only the last query shown.
from tests.test_tui import (  # noqa: F401
    test_add_term_from_a_pair_is_saved_and_shown,
    test_check_lists_issues_and_jumps_to_the_term,
    test_only_the_last_query_is_shown,
    test_review_accepts_rejects_and_counts,
    test_traditional_query_finds_term_and_pair,
)
from tests.test_tui_tmux import (
    DEADLINE_SECONDS,
    TMUX,
    TmuxSession,
    quit_from_results,
    zhen_script,
)
from zhen import store
from zhen.tui import ZhenApp
from zhen.tui.database import TuiDatabase

psycopg = pytest.importorskip("psycopg")
PASSWORD = "tui-secret-9"


@pytest.fixture
def tui_db(tmp_path: Path, pg_url: str) -> Path | str:
    return build_tui_db(tmp_path, pg_url)


@pytest.fixture
def password_url(tui_db: str, pg_url: str) -> str:
    """`tui_db` reached as a role of the test's own that must give its password."""
    role = role_name(pg_url, "tui")
    with psycopg.connect(pg_url, autocommit=True) as admin:
        name = psycopg.sql.Identifier(role)
        admin.execute(
            psycopg.sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
                name, psycopg.sql.Literal(PASSWORD)
            )
        )
        for kind in ("TABLES", "SEQUENCES"):
            admin.execute(
                psycopg.sql.SQL("GRANT ALL ON ALL {} IN SCHEMA public TO {}").format(
                    psycopg.sql.SQL(kind), name
                )
            )
    return pg_role_url(pg_url, role, PASSWORD)


@pilot_test
async def test_header_names_the_server_without_its_password(password_url: str) -> None:
    app = ZhenApp(password_url)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        assert app.sub_title == f"{store.redact(password_url)} · 3 TM units · 3 terms"
        assert PASSWORD not in app.sub_title
        # The readers connect with the password too: a search on them finds the pair.
        screen = app.screen
        screen.search_for("turbulent")
        await wait_for(pilot, lambda: screen.shown_query == "turbulent", "the search")
        assert any("turbulent" in hit.en for hit in hits(screen))


def _lock_every_table(admin) -> None:
    """Hold every zhen table until `admin` rolls back: a read of any waits in the server."""
    tables = admin.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    names = [psycopg.sql.Identifier(name) for (name,) in tables.fetchall()]
    admin.execute(
        psycopg.sql.SQL("LOCK TABLE {} IN ACCESS EXCLUSIVE MODE").format(
            psycopg.sql.SQL(", ").join(names)
        )
    )


def _waiting_on_a_lock(admin, database: str) -> bool:
    found = admin.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'",
        (database,),
    ).fetchone()
    return bool(found[0])


def test_interrupted_read_on_postgres_ends_as_interrupted_and_the_reader_goes_on(
    tui_db: str,
) -> None:
    database = TuiDatabase(tui_db, readers=1)
    database.open()
    outcome: list[BaseException | int] = []

    def stale_search() -> None:
        try:
            with database.reading() as db:
                outcome.append(len(db.lookup("turbulent").concordance))
        except BaseException as exc:
            outcome.append(exc)

    # The admin holds every table, so the read waits in the server until it is cancelled.
    with psycopg.connect(tui_db) as admin:
        _lock_every_table(admin)
        reader = threading.Thread(target=stale_search)
        reader.start()
        watcher = psycopg.connect(tui_db, autocommit=True)
        try:
            name = watcher.info.dbname
            while reader.is_alive() and not _waiting_on_a_lock(watcher, name):
                threading.Event().wait(0.02)
            database.interrupt_reads()
            reader.join(60)
        finally:
            watcher.close()
        assert not reader.is_alive()
    (error,) = outcome
    assert isinstance(error, sqlite3.OperationalError) and str(error) == "interrupted"
    # The cancelled connection is back in the pool and answers the next search.
    with database.reading() as db:
        assert db.lookup("turbulent").concordance
    database.close()


@pilot_test
async def test_a_search_cancelled_on_the_server_leaves_no_error(tui_db: str) -> None:
    app = ZhenApp(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot)
        with (
            psycopg.connect(tui_db) as admin,
            psycopg.connect(tui_db, autocommit=True) as watcher,
        ):
            name = watcher.info.dbname
            _lock_every_table(admin)
            screen.search_for("camaraderie")
            await wait_for(pilot, lambda: _waiting_on_a_lock(watcher, name), "a blocked search")
            blocked = screen.generation
            screen.search_for("turbulent")  # cancels the blocked one and waits for it to end
            # Only the cancel can end the blocked search; the latest then starts (and waits).
            await wait_for(
                pilot,
                lambda: screen.generation > blocked and screen._pending is None,
                "the cancelled search to end",
            )
            admin.rollback()  # the lock goes; the latest search runs
        await wait_for(
            pilot,
            lambda: (
                screen.shown_query == "turbulent" and screen.shown_generation == screen.generation
            ),
            "the latest query's results",
        )
        assert hits(screen) and all("camaraderie" not in h.en for h in hits(screen))
        assert not [n for n in app._notifications if n.severity == "error"]


def test_stats_and_info_report_the_server_database_size(tui_db: str) -> None:
    stats = run_cli(["tm", "stats", "--json", "--db", tui_db])
    info = run_cli(["db", "info", "--db", tui_db])
    assert stats.code == 0 and info.code == 0, stats.stderr + info.stderr
    # An empty PostgreSQL database alone takes megabytes (its catalogs); a file-size 0 is wrong.
    assert json.loads(stats.stdout)["database_bytes"] > 1_000_000
    (size,) = re.findall(r"^size +([\d,]+) bytes$", info.stdout, re.MULTILINE)
    assert int(size.replace(",", "")) > 1_000_000


@pytest.mark.subprocess
@pytest.mark.slow
@pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
def test_zhen_tui_opens_a_server_database_in_a_real_terminal(
    password_url: str, tmp_path: Path
) -> None:
    session = TmuxSession(tmp_path / "tmux.sock", "zhen-tui-pg")
    # The shell stays after zhen exits, so the pane shows its exit status (or a traceback).
    command = ["sh", "-c", '"$@"; echo "zhen exited with status $?"; sleep 600', "sh"]
    command += ["env", "-u", "ZHEN_DB", "TERM=xterm-256color", "LANG=C.UTF-8"]
    session.start(100, 30, [*command, str(zhen_script()), "tui", "--db", password_url])
    try:
        deadline = time.monotonic() + DEADLINE_SECONDS
        session.wait_for_text("Start typing", deadline)
        session.send("同志加兄弟", literal=True)
        screen = session.wait_for_text("camaraderie plus brotherhood", deadline)
        assert PASSWORD not in screen
        quit_from_results(session, deadline)
    finally:
        session.kill()

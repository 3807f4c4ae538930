"""Roles on PostgreSQL: `zhen db init` makes zhen_reader, zhen_translator and zhen_terminologist,
`zhen db grant` hands them out, and the server (not the client) refuses what a role may not do,
in one line naming the action and the role it needs."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.cli import one_error_line, run_cli
from tests.support.postgres import database_name, pg_role_url, role_name, with_database
from zhen import Database
from zhen.errors import StoreError

psycopg = pytest.importorskip("psycopg")

PASSWORD = "desk-pass-1"


@pytest.fixture
def desk(pg_url, tmp_path):
    """A seeded database whose roles carry this test's prefix (cluster-wide names, dropped with
    the database), and one login role per zhen role; returns {kind: (group, url)} plus 'admin'."""
    prefix = f"{database_name(pg_url)}_"
    env = {"ZHEN_ROLE_PREFIX": prefix}
    created = run_cli(["db", "init", pg_url], env=env)
    assert created.code == 0, created.stderr
    people = {}
    with psycopg.connect(pg_url, autocommit=True) as admin:
        for kind in ("reader", "translator", "terminologist"):
            login = role_name(pg_url, f"{kind}_login")
            admin.execute(f"CREATE ROLE {login} LOGIN PASSWORD '{PASSWORD}'")
            granted = run_cli(["db", "grant", login, kind, "--db", pg_url])
            assert granted.code == 0, granted.stderr
            group = f"{prefix}zhen_{kind}"
            assert f"member of {group}" in granted.stdout
            people[kind] = (group, pg_role_url(pg_url, login, PASSWORD))
    return people


def _tsv(tmp_path: Path) -> Path:
    path = tmp_path / "desk.tsv"
    path.write_text("我们明天开会。\tWe meet tomorrow.\n他们今天回家。\tThey go home today.\n")
    return path


def _refused(url: str, *argv: object) -> str:
    return one_error_line(run_cli([*argv, "--db", url]))


def test_init_makes_three_nologin_roles_and_reuses_them(pg_url, desk):
    with psycopg.connect(pg_url) as admin:
        rows = admin.execute(
            "SELECT rolname, rolcanlogin FROM pg_roles WHERE rolname = ANY(%s)",
            ([group for group, _ in desk.values()],),
        ).fetchall()
    assert sorted(rows) == sorted((group, False) for group, _ in desk.values())
    # A second database on the same cluster, with the same prefix, reuses the roles: its
    # owner, a lead who may not create roles, can still init it and grant them there.
    lead = role_name(pg_url, "lead")
    other = with_database(pg_url, database_name(pg_url) + "_b")
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {lead} LOGIN PASSWORD '{PASSWORD}'")
        admin.execute(f"CREATE DATABASE {database_name(other)} OWNER {lead}")
    try:
        env = {"ZHEN_ROLE_PREFIX": f"{database_name(pg_url)}_"}
        lead_url = pg_role_url(other, lead, PASSWORD)
        again = run_cli(["db", "init", "--empty", lead_url], env=env)
        assert again.code == 0, again.stderr
        _, reader_url = desk["reader"]
        reader_there = with_database(reader_url, database_name(other))
        assert run_cli(["tm", "stats", "--db", reader_there]).code == 0
    finally:
        with psycopg.connect(pg_url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE {database_name(other)} WITH (FORCE)")


def test_reader_reads_and_is_refused_every_write(desk, tmp_path):
    group, url = desk["reader"]
    prefix = group.removesuffix("reader")
    for argv in (["lookup", "我们明天开会"], ["tm", "stats"], ["glossary", "list"]):
        assert run_cli([*argv, "--db", url]).code == 0, argv
    exported = run_cli(["tm", "export", tmp_path / "out.tmx", "--db", url])
    assert exported.code == 0, exported.stderr
    draft = tmp_path / "draft.txt"
    draft.write_text("我们明天开会。\nWe meet tomorrow.\n", encoding="utf-8")
    checked = run_cli(["check", draft, "--db", url])
    assert checked.code in (0, 1) and "Traceback" not in checked.stderr, checked.stderr
    line = _refused(url, "tm", "import", _tsv(tmp_path))
    assert line == f"zhen: error: importing needs the {prefix}translator role"
    line = _refused(url, "glossary", "add", "会议", "meeting", "--status", "proposed")
    assert line == f"zhen: error: adding a term needs the {prefix}translator role"


def test_translator_imports_and_proposes_but_may_not_approve(desk, tmp_path):
    _, url = desk["translator"]
    prefix = desk["terminologist"][0].removesuffix("terminologist")
    imported = run_cli(["tm", "import", _tsv(tmp_path), "--db", url])
    assert imported.code == 0, imported.stderr
    again = run_cli(["tm", "import", _tsv(tmp_path), "--db", url])  # duplicates merge
    assert again.code == 0, again.stderr
    propose = ["glossary", "add", "会议", "meeting", "--status", "proposed"]
    proposed = run_cli([*propose, "--variant", "session", "--db", url])
    assert proposed.code == 0, proposed.stderr
    needs = f"needs the {prefix}terminologist role"
    counts = "SELECT (SELECT count(*) FROM units), (SELECT count(*) FROM terms)"
    with psycopg.connect(url) as pg:
        before = pg.execute(counts).fetchone()
    assert _refused(url, "glossary", "add", "开会", "hold a meeting") == (
        f"zhen: error: approving a term {needs}"
    )
    assert _refused(url, "glossary", "edit", "会议", "--status", "approved") == (
        f"zhen: error: editing a term {needs}"
    )
    with Database(url) as db:  # what `glossary review` does on accepting a proposal
        (term,) = db.term("会议")
        with pytest.raises(StoreError) as refused:
            db.set_term_status(term.id, "approved")
    assert str(refused.value) == f"approving a term {needs}"
    assert _refused(url, "glossary", "edit", "会议", "--note", "n") == (
        f"zhen: error: editing a term {needs}"
    )
    assert _refused(url, "glossary", "remove", "会议") == f"zhen: error: removing a term {needs}"
    assert _refused(url, "tm", "delete", "--origin", "desk.tsv") == (
        f"zhen: error: deleting an origin {needs}"
    )
    with psycopg.connect(url) as pg:  # every refusal changed nothing
        assert pg.execute(counts).fetchone() == before


def test_terminologist_approves_edits_removes_and_deletes_origins(desk, tmp_path):
    _, translator = desk["translator"]
    _, url = desk["terminologist"]
    assert run_cli(["tm", "import", _tsv(tmp_path), "--db", translator]).code == 0
    for argv in (
        ["glossary", "add", "会议", "meeting", "--status", "proposed"],
        ["glossary", "edit", "会议", "--status", "approved", "--forbid", "conference"],
        ["glossary", "add", "开会", "hold a meeting", "--status", "rejected"],
        ["glossary", "remove", "开会"],
        ["tm", "delete", "--origin", "desk.tsv"],
    ):
        done = run_cli([*argv, "--db", url])
        assert done.code == 0, (argv, done.stderr)


# --- the server refuses even when the client is bypassed -----------------------------------


RAW_REFUSALS = {
    "reader": [
        "INSERT INTO imports (file, imported_at) VALUES ('x', 'now')",
        "INSERT INTO terms (zh, zh_norm, en, status) VALUES ('会', '会', 'm', 'proposed')",
    ],
    "translator": [
        "INSERT INTO terms (zh, zh_norm, en, status) VALUES ('会', '会', 'm', 'approved')",
        "UPDATE terms SET status = 'approved'",
        "DELETE FROM terms",
        "DELETE FROM units",
        "DELETE FROM unit_sources",
        "INSERT INTO term_renderings (term_id, kind, en)"
        " SELECT id, 'forbidden', 'zzz' FROM terms WHERE status = 'approved' LIMIT 1",
        "DELETE FROM term_renderings",
        # A temporary `terms` of one's own must not make the guard think one owns the glossary.
        "CREATE TEMP TABLE terms (id BIGINT); INSERT INTO public.terms (zh, zh_norm, en, status)"
        " VALUES ('会', '会', 'm', 'approved')",
    ],
}


@pytest.mark.parametrize(
    ("kind", "sql"), [(kind, sql) for kind, sqls in RAW_REFUSALS.items() for sql in sqls]
)
def test_raw_sql_is_refused_by_the_server(desk, kind, sql):
    _, url = desk[kind]
    with psycopg.connect(url) as pg, pytest.raises(psycopg.errors.InsufficientPrivilege):
        pg.execute(sql)


def test_a_temporary_counter_table_does_not_hide_a_glossary_change(desk):
    _, url = desk["translator"]
    with psycopg.connect(url) as pg:
        before = pg.execute("SELECT counter FROM glossary_changes").fetchone()[0]
        pg.execute("CREATE TEMP TABLE glossary_changes (counter BIGINT)")
        pg.execute(
            "INSERT INTO public.terms (zh, zh_norm, en, status) "
            "VALUES ('会', '会', 'm', 'proposed')"
        )
        after = pg.execute("SELECT counter FROM public.glossary_changes").fetchone()[0]
    assert after == before + 1


def test_every_role_takes_the_write_lock_and_reads_the_schema_version(desk):
    for _, url in desk.values():
        with psycopg.connect(url) as pg:
            assert pg.execute("SELECT version FROM zhen_schema").fetchone()[0] >= 5
            assert pg.execute("SELECT pg_try_advisory_xact_lock(%s)", (0x7A68656E,)).fetchone()
            assert pg.execute("SELECT counter FROM glossary_changes").fetchone() is not None


def test_a_user_without_a_role_is_told_which_one_reads(desk, pg_url):
    login = role_name(pg_url, "newcomer")
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {login} LOGIN PASSWORD '{PASSWORD}'")
    url = pg_role_url(pg_url, login, PASSWORD)
    line = _refused(url, "tm", "stats")
    assert line.endswith(f": reading the database needs the {desk['reader'][0]} role")
    assert PASSWORD not in line


def test_grant_refusals_are_one_line(desk, pg_url):
    login = role_name(pg_url, "nobody")
    assert "no such user" in _refused(pg_url, "db", "grant", login, "reader")
    _, reader_url = desk["reader"]
    assert "no zhen role" in _refused(pg_url, "db", "grant", "postgres", "owner")
    # A translator cannot hand out roles: the server refuses it.
    login = role_name(pg_url, "reader_login")
    line = _refused(desk["translator"][1], "db", "grant", login, "terminologist")
    assert "granting " in line and "needs a user who administers it" in line
    assert "grant" in _refused(reader_url.replace("postgresql", "sqlite"), "db", "grant", "a", "b")

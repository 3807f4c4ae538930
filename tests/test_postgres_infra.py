"""The PostgreSQL test fixtures: a real server, a fresh database per test, pg_trgm, other roles."""

from __future__ import annotations

import pytest

from tests.support import postgres

psycopg = pytest.importorskip("psycopg")
sql = psycopg.sql

# Databases seen by earlier tests of this worker: every test's must be new and empty.
_seen_databases: set[str] = set()


@pytest.mark.parametrize("round", [1, 2])
def test_each_test_gets_a_fresh_empty_database(pg_url: str, round: int) -> None:
    name = postgres.database_name(pg_url)
    assert name.startswith(postgres.DATABASE_PREFIX)
    assert name not in _seen_databases
    _seen_databases.add(name)
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT current_database()").fetchone() == (name,)
        tables = conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        assert tables.fetchone() == (0,)
        # Left behind on purpose: the other round must not see it.
        conn.execute("CREATE TABLE leftover (id integer)")


def test_the_database_is_dropped_after_the_test(pg_server: str, pg_url: str) -> None:
    name = postgres.database_name(pg_url)
    with postgres.fresh_database(pg_server) as inner_url:
        inner = postgres.database_name(inner_url)
        with psycopg.connect(inner_url) as conn:
            conn.execute("CREATE TABLE t (id integer)")
    with psycopg.connect(pg_url) as conn:
        # An open connection to the inner database must not stop it being dropped.
        names = {row[0] for row in conn.execute("SELECT datname FROM pg_database")}
    assert name in names
    assert inner not in names


def test_the_database_is_dropped_despite_open_connections(pg_server: str) -> None:
    with postgres.fresh_database(pg_server) as url:
        lingering = psycopg.connect(url)
    try:
        with psycopg.connect(pg_server) as admin:
            found = admin.execute(
                "SELECT count(*) FROM pg_database WHERE datname = %s",
                (postgres.database_name(url),),
            ).fetchone()
        assert found == (0,)
    finally:
        lingering.close()


def test_pg_trgm_makes_trigrams_of_chinese(pg_url: str) -> None:
    with psycopg.connect(pg_url) as conn:
        conn.execute("CREATE EXTENSION pg_trgm")
        trigrams = conn.execute("SELECT show_trgm('同志加兄弟')").fetchone()
        similarity = conn.execute("SELECT similarity('同志加兄弟', '同志和兄弟')").fetchone()
    # A cluster whose locale does not count CJK characters as letters gives none at all.
    assert trigrams is not None and len(trigrams[0]) >= 3
    assert similarity is not None and 0 < similarity[0] < 1


def test_a_second_role_connects_with_its_password_only(pg_url: str) -> None:
    role = postgres.role_name(pg_url, "translator")
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute(
            sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
                sql.Identifier(role), sql.Literal("s3cret:@/?")
            )
        )
        admin.execute("CREATE TABLE terms (zh text)")
        admin.execute(sql.SQL("GRANT SELECT ON terms TO {}").format(sql.Identifier(role)))
    with psycopg.connect(postgres.pg_role_url(pg_url, role, "s3cret:@/?")) as conn:
        assert conn.execute("SELECT current_user").fetchone() == (role,)
        assert conn.execute("SELECT count(*) FROM terms").fetchone() == (0,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO terms VALUES ('同志')")
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(postgres.pg_role_url(pg_url, role, "wrong")).close()


def test_test_roles_are_dropped_with_the_database(pg_server: str) -> None:
    with postgres.fresh_database(pg_server) as url:
        role = postgres.role_name(url, "reviewer")
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(sql.SQL("CREATE ROLE {}").format(sql.Identifier(role)))
    with psycopg.connect(pg_server) as admin:
        found = admin.execute("SELECT count(*) FROM pg_roles WHERE rolname = %s", (role,))
        assert found.fetchone() == (0,)


def test_urls_keep_the_server_and_change_database_and_user() -> None:
    url = postgres.socket_url(postgres.Path("/tmp/zhen pg"), "postgres", "postgres")
    moved = postgres.with_database(url, "zhen_t_1")
    assert postgres.database_name(moved) == "zhen_t_1"
    as_role = postgres.pg_role_url(moved, "zhen_t_1_translator", "p@ss")
    assert as_role.startswith("postgresql://zhen_t_1_translator:p%40ss@/zhen_t_1?")
    assert "host=%2Ftmp%2Fzhen%20pg" in as_role


def test_a_throwaway_cluster_listens_on_its_own_socket_only_and_goes_away() -> None:
    bindir = postgres.find_bindir()
    if bindir is None:
        pytest.skip(postgres.SKIP_REASON)
    cluster = postgres.start_cluster(bindir)
    server_pid = (cluster.root / "data" / "postmaster.pid").read_text().split()[0]
    try:
        assert (cluster.root / ".s.PGSQL.5432").is_socket()
        with psycopg.connect(cluster.url) as conn:
            settings = dict(
                conn.execute(
                    "SELECT name, setting FROM pg_settings WHERE name IN"
                    " ('listen_addresses', 'unix_socket_directories', 'fsync')"
                ).fetchall()
            )
        assert settings == {
            "listen_addresses": "",
            "unix_socket_directories": str(cluster.root),
            "fsync": "off",
        }
        # PostgreSQL refuses root, so a root-run suite must have handed the cluster to a user.
        assert cluster.root.stat().st_uid != 0
    finally:
        cluster.stop()
    assert not cluster.root.exists()
    assert not _running(server_pid)


def _running(pid: str) -> bool:
    """Whether a process is alive: a zombie left for its adoptive parent to reap is not."""
    try:
        stat = postgres.Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"

"""A real PostgreSQL server for the tests: `$ZHEN_TEST_POSTGRES`, else a throwaway cluster.

The `pg_server` and `pg_url` fixtures in tests/conftest.py are built on this module. Under
pytest-xdist each worker that needs PostgreSQL starts its own throwaway cluster (a second or two
of `initdb`), so no worker ever waits on, or outlives, another's server; `.ci/run` instead starts
one cluster for the whole run with `python -m tests.support.postgres start DIR` and hands its URL
to every worker through `$ZHEN_TEST_POSTGRES`.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import secrets
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

if TYPE_CHECKING:
    import psycopg

POSTGRES_VARIABLE = "ZHEN_TEST_POSTGRES"
SKIP_REASON = f"no PostgreSQL: set {POSTGRES_VARIABLE} or install postgresql-15"
# Test databases and per-test roles start with this, so a leftover is recognisable as ours.
DATABASE_PREFIX = "zhen_t_"
SUPERUSER = "postgres"
# The OS users a root-run suite hands the cluster to: PostgreSQL refuses to run as root.
UNPRIVILEGED_USERS = ("postgres", "nobody")
# C.UTF-8 classifies CJK characters as letters, which pg_trgm needs to make trigrams of Chinese.
CLUSTER_LOCALE = "C.UTF-8"


def find_bindir() -> Path | None:
    """The directory holding initdb and pg_ctl: Debian's newest, else `pg_config --bindir`."""
    debian = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda path: int(Path(path).parts[-3]) if Path(path).parts[-3].isdigit() else 0,
    )
    if debian:
        return Path(debian[-1]).parent
    pg_config = shutil.which("pg_config")
    if pg_config:
        with contextlib.suppress(OSError, subprocess.CalledProcessError):
            bindir = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, check=True
            ).stdout.strip()
            if (Path(bindir) / "initdb").is_file():
                return Path(bindir)
    return None


def _run_as(user: str | None, *command: str) -> None:
    """Run a server command, as `user` when we are root; its output goes into the error."""
    if user is None:
        argv = [*command]
    elif shutil.which("runuser"):
        argv = ["runuser", "-u", user, "--", *command]
    else:
        # su needs a shell: the service users' own is often nologin.
        argv = ["su", user, "-s", "/bin/sh", "-c", shlex.join(command)]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({done.returncode}):\n{done.stderr}")


def _cluster_owner() -> str | None:
    """The OS user to run the server as: None (ourselves) unless we are root."""
    if os.geteuid() != 0:
        return None
    for name in UNPRIVILEGED_USERS:
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    raise RuntimeError(f"running as root and none of the users {UNPRIVILEGED_USERS} exists")


@dataclass(frozen=True)
class Cluster:
    """A throwaway cluster: data in `root/data`, its only socket in `root`, no TCP at all."""

    root: Path
    bindir: Path
    owner: str | None

    @property
    def url(self) -> str:
        return socket_url(self.root, SUPERUSER, "postgres")

    def stop(self) -> None:
        """Stop the server at once (the data is thrown away) and remove its directory."""
        try:
            if (self.root / "data" / "postmaster.pid").exists():
                _run_as(
                    self.owner,
                    *(str(self.bindir / "pg_ctl"), "stop", "-m", "immediate", "-w"),
                    *("-D", str(self.root / "data")),
                )
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def start_cluster(bindir: Path, root: Path | None = None) -> Cluster:
    """initdb a new cluster into a fresh temp dir (or `root`, made if missing) and start it."""
    owner = _cluster_owner()
    if root is None:
        # Short and in /tmp: a Unix socket path must stay under ~100 bytes.
        root = Path(tempfile.mkdtemp(prefix="zhen-pg-", dir="/tmp"))
    else:
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
    cluster = Cluster(root=root, bindir=bindir, owner=owner)
    try:
        if owner is not None:
            record = pwd.getpwnam(owner)
            os.chown(root, record.pw_uid, record.pw_gid)
        data = root / "data"
        _run_as(
            owner,
            *(str(bindir / "initdb"), "-D", str(data), "-U", SUPERUSER, "--no-sync"),
            *("--encoding=UTF8", f"--locale={CLUSTER_LOCALE}", "--auth=trust"),
        )
        # Only the superuser gets in without a password, so role passwords in tests are real.
        (data / "pg_hba.conf").write_text(
            f"local all {SUPERUSER} trust\nlocal all all scram-sha-256\n", encoding="utf-8"
        )
        settings = {
            "listen_addresses": "''",
            "unix_socket_directories": f"'{root}'",
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
            "shared_buffers": "'32MB'",
            "max_connections": "100",
        }
        with (data / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write("".join(f"{key} = {value}\n" for key, value in settings.items()))
        _run_as(
            owner,
            *(str(bindir / "pg_ctl"), "start", "-D", str(data), "-w", "-t", "60"),
            *("-l", str(root / "server.log")),
        )
    except BaseException as error:
        log = root / "server.log"
        if log.exists():
            error.add_note(f"server log:\n{log.read_text(encoding='utf-8', errors='replace')}")
        cluster.stop()
        raise
    return cluster


def start_standby(primary: Cluster, root: Path) -> Cluster:
    """A hot standby of `primary` (streaming replication over its socket), its socket in `root`."""
    data = primary.root / "data"
    with (data / "pg_hba.conf").open("a", encoding="utf-8") as hba:
        hba.write(f"local replication {SUPERUSER} trust\n")
    _run_as(primary.owner, str(primary.bindir / "pg_ctl"), "reload", "-D", str(data))
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    standby = Cluster(root=root, bindir=primary.bindir, owner=primary.owner)
    try:
        if primary.owner is not None:
            record = pwd.getpwnam(primary.owner)
            os.chown(root, record.pw_uid, record.pw_gid)
        _run_as(
            primary.owner,
            *(str(primary.bindir / "pg_basebackup"), "-D", str(root / "data")),
            *("-h", str(primary.root), "-U", SUPERUSER, "-R", "-X", "stream", "-c", "fast"),
        )
        with (root / "data" / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write(f"unix_socket_directories = '{root}'\nhot_standby = on\n")
        _run_as(
            primary.owner,
            *(str(primary.bindir / "pg_ctl"), "start", "-D", str(root / "data"), "-w"),
            *("-t", "60", "-l", str(root / "server.log")),
        )
    except BaseException:
        standby.stop()
        raise
    return standby


def socket_url(socket_dir: Path, user: str, dbname: str) -> str:
    """A postgresql:// URL reaching `dbname` through the Unix socket in `socket_dir`."""
    query = urlencode({"host": str(socket_dir), "port": "5432"}, quote_via=quote)
    return f"postgresql://{quote(user, safe='')}@/{quote(dbname, safe='')}?{query}"


def with_database(url: str, dbname: str) -> str:
    """The same server and credentials as `url`, on database `dbname`."""
    parts = urlsplit(url)
    query = [(key, value) for key, value in parse_qsl(parts.query) if key != "dbname"]
    return urlunsplit(
        parts._replace(path="/" + quote(dbname, safe=""), query=urlencode(query, quote_via=quote))
    )


def database_name(url: str) -> str:
    """The database a URL names (`postgres` when it names none)."""
    path = unquote(urlsplit(url).path.lstrip("/"))
    return path or "postgres"


def role_name(pg_url: str, role: str) -> str:
    """The name of a role private to the test owning `pg_url`; `pg_url` drops it afterwards."""
    return f"{database_name(pg_url)}_{role}"


def pg_role_url(pg_url: str, role: str, password: str | None = None) -> str:
    """`pg_url` connecting as `role` (with `password`), as a translator's ZHEN_DB would."""
    parts = urlsplit(pg_url)
    host = parts.netloc.rpartition("@")[2]
    userinfo = quote(role, safe="")
    if password is not None:
        userinfo += ":" + quote(password, safe="")
    return urlunsplit(parts._replace(netloc=f"{userinfo}@{host}"))


def _admin_connect(url: str) -> psycopg.Connection[Any]:
    # Imported here: the SQLite-only tests must run where psycopg is not installed.
    import psycopg

    return psycopg.connect(url, autocommit=True, connect_timeout=30)


def check_server(admin_url: str) -> None:
    """Fail early, naming the variable, when the configured server is unreachable."""
    try:
        _admin_connect(admin_url).close()
    except Exception as error:
        shown = pg_role_url(admin_url, unquote(urlsplit(admin_url).username or ""))
        raise RuntimeError(f"{POSTGRES_VARIABLE}={shown}: cannot connect: {error}") from error


@contextlib.contextmanager
def fresh_database(admin_url: str) -> Iterator[str]:
    """A new empty database on the server (its URL, as the admin); dropped with its roles after."""
    from psycopg import sql

    name = DATABASE_PREFIX + secrets.token_hex(6)
    with _admin_connect(admin_url) as admin:
        admin.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'").format(
                sql.Identifier(name)
            )
        )
    try:
        yield with_database(admin_url, name)
    finally:
        with _admin_connect(admin_url) as admin:
            # A test's pools or a failed test's open connections would block DROP DATABASE.
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
            roles = admin.execute(
                "SELECT rolname FROM pg_roles WHERE starts_with(rolname, %s)", (name + "_",)
            ).fetchall()
            for (role,) in roles:
                admin.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))


@contextlib.contextmanager
def server() -> Iterator[str | None]:
    """The admin URL of `$ZHEN_TEST_POSTGRES`, else of a cluster started here and stopped on
    leaving; None when neither is to be had."""
    configured = os.environ.get(POSTGRES_VARIABLE)
    if configured:
        check_server(configured)
        yield configured
        return
    bindir = find_bindir()
    if bindir is None:
        yield None
        return
    cluster = start_cluster(bindir)
    try:
        yield cluster.url
    finally:
        cluster.stop()


def _main(argv: list[str]) -> int:
    """`start DIR` prints the cluster's URL (for `.ci/run`); `stop DIR` stops and removes it."""
    if len(argv) != 2 or argv[0] not in {"start", "stop"}:
        print("usage: python -m tests.support.postgres start|stop DIR", file=sys.stderr)
        return 2
    command, root = argv[0], Path(argv[1])
    bindir = find_bindir()
    if bindir is None:
        print(SKIP_REASON, file=sys.stderr)
        return 1
    if command == "start":
        print(start_cluster(bindir, root).url)
    else:
        Cluster(root=root, bindir=bindir, owner=_cluster_owner()).stop()
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))

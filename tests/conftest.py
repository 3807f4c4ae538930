"""Shared fixtures: the bundled seeds, a seeded template database copied per test, the CLI run in
this process (or, for the tests marked `subprocess`, as a real process), and a real PostgreSQL."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import SOURCES, Result, postgres, run_cli


@pytest.fixture
def seed_path() -> object:
    """`seed_path("004")` → the bundled Xinhua source file whose name starts with that number."""

    def find(prefix: str) -> Path:
        matches = sorted(SOURCES.glob(f"{prefix}_*.txt"))
        assert matches, f"no source {prefix}_*.txt in {SOURCES}"
        return matches[0]

    return find


@pytest.fixture(scope="session")
def _seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One database seeded with the bundled data, made once per run and copied by the tests."""
    from zhen.database import Database

    path = tmp_path_factory.mktemp("template") / "seeded.db"
    Database.create(path, seed=True).close()
    return path


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A path inside the test's temp dir where no database exists yet."""
    return tmp_path / "zhen.db"


@pytest.fixture
def seeded_db(tmp_path: Path, _seeded_template: Path) -> Path:
    """A database holding the bundled Xinhua TM and glossary, as `zhen db init` makes it."""
    path = tmp_path / "seeded.db"
    shutil.copyfile(_seeded_template, path)
    return path


@pytest.fixture
def xdg_data_home(tmp_path: Path) -> Path:
    """The test's own user data folder: `zhen` without --db uses the database in it."""
    return tmp_path / "xdg-data"


@pytest.fixture
def default_db(xdg_data_home: Path, _seeded_template: Path) -> Path:
    """The user's default database already made (a copy of the seeded template), as after the
    first run of `zhen`; tests of that first run itself do without this fixture."""
    path = xdg_data_home / "zhen" / "zhen.db"
    path.parent.mkdir(parents=True)
    shutil.copyfile(_seeded_template, path)
    return path


@pytest.fixture
def run_zhen(tmp_path: Path, xdg_data_home: Path) -> object:
    """Run `zhen` in this process with an isolated data dir (cwd: the test's tmp_path)."""
    env = {"XDG_DATA_HOME": str(xdg_data_home), "ZHEN_DB": None}

    def run(*args: object, input: str | None = None, cwd: Path | None = None) -> Result:
        return run_cli(args, stdin=input, env=env, cwd=cwd or tmp_path)

    return run


@pytest.fixture
def zhen_process(tmp_path: Path, xdg_data_home: Path) -> object:
    """Run `python -m zhen` as a real process, for what only a process shows (a memory cap,
    the interpreter's exit); returns its CompletedProcess."""
    env = dict(os.environ)
    env["XDG_DATA_HOME"] = str(xdg_data_home)
    env.pop("ZHEN_DB", None)
    env["PYTHONIOENCODING"] = "utf-8"

    def run(
        *args: object, input: str | None = None, cwd: Path | None = None, memory: int | None = None
    ) -> subprocess.CompletedProcess[str]:
        # memory: an address-space cap in bytes, as `prlimit --as` sets it.
        limit = (
            None
            if memory is None
            else lambda: resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        )
        return subprocess.run(
            [sys.executable, "-m", "zhen", *map(str, args)],
            capture_output=True,
            text=True,
            input=input,
            cwd=cwd or tmp_path,
            env=env,
            timeout=600,
            preexec_fn=limit,
        )

    return run


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """The admin (superuser) URL of a real PostgreSQL server: `$ZHEN_TEST_POSTGRES`, else a
    throwaway cluster this worker starts and removes (tests/support/postgres.py); skips when
    neither is to be had."""
    with postgres.server() as admin_url:
        if admin_url is None:
            pytest.skip(postgres.SKIP_REASON)
        yield admin_url


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """A fresh empty database of the test's own (`pg_trgm` available), as a superuser URL;
    dropped afterwards with the roles named by `tests.support.postgres.role_name`."""
    with postgres.fresh_database(pg_server) as url:
        yield url

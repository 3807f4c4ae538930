"""Shared fixtures: paths to the seeds and shared data, a temp database, the CLI as a subprocess."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = REPO_ROOT.parent / "shared"
SOURCES = REPO_ROOT / "tm" / "sources"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, skipping the test with a reason when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} not present (../shared is not beside this checkout)")
    return path


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
    """One database seeded with the bundled data, made once per run and copied by `db_path`."""
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
def run_zhen(tmp_path: Path) -> object:
    """Run the `zhen` CLI as a subprocess with an isolated data dir; returns CompletedProcess."""
    env = dict(os.environ)
    env["XDG_DATA_HOME"] = str(tmp_path / "xdg-data")
    env.pop("ZHEN_DB", None)
    env["PYTHONIOENCODING"] = "utf-8"

    def run(
        *args: str, input: str | None = None, cwd: Path | None = None, memory: int | None = None
    ):
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

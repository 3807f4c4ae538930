"""Fixtures of the hostile suite: an isolated environment, a template database, a workspace per
test, a canary file and a local listener that records any network access."""

from __future__ import annotations

import gc
import socket
import threading
from pathlib import Path

import pytest

from hostile import generators
from hostile.harness import Workspace, run_zhen

BUSY_TIMEOUT = "0.2"  # seconds a writer waits for a locked database (ZHEN_BUSY_TIMEOUT)


def create_empty_database(path: Path) -> None:
    """An empty zhen database at `path`, through the public API where it exists."""
    import zhen

    database_class = getattr(zhen, "Database", None)
    if database_class is not None and hasattr(database_class, "create"):
        database = database_class.create(path, seed=False)
        close = getattr(database, "close", None)
        if close:
            close()
        return
    from zhen import store

    store.open_database(path, create=True).close()


@pytest.fixture(scope="session")
def template_db(tmp_path_factory) -> Path:
    """A small real database: the TM units (two origins) and the glossary entries, built once."""
    folder = tmp_path_factory.mktemp("template")
    db = folder / "zhen.db"
    create_empty_database(db)
    (folder / "base.tsv").write_text(generators.tm_tsv(generators.UNITS[1:]), encoding="utf-8")
    (folder / "base.tmx").write_text(generators.tmx(generators.UNITS), encoding="utf-8")
    (folder / "terms.csv").write_text(generators.glossary_csv(), encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_DATA_HOME", str(folder / "xdg"))
        patch.delenv("ZHEN_DB", raising=False)
        from zhen import cli

        for argv in (
            ["tm", "import", folder / "base.tsv", folder / "base.tmx", "--db", db],
            ["glossary", "import", folder / "terms.csv", "--db", db],
        ):
            assert cli.main([str(arg) for arg in argv]) == 0, argv
    gc.collect()
    assert not Path(f"{db}-wal").exists() or Path(f"{db}-wal").stat().st_size == 0
    # The modules loaded so far stay for the session: later collections need not scan them.
    gc.freeze()
    return db


@pytest.fixture(autouse=True)
def hostile_env(monkeypatch, tmp_path) -> Path:
    """No user database, no debug tracebacks, a short busy timeout; XDG folders in tmp."""
    env = tmp_path / "env"
    for name in ("DATA", "STATE", "CACHE", "CONFIG"):
        monkeypatch.setenv(f"XDG_{name}_HOME", str(env / name.lower()))
    for name in ("ZHEN_DB", "ZHEN_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ZHEN_BUSY_TIMEOUT", BUSY_TIMEOUT)
    monkeypatch.setenv("NO_COLOR", "1")
    return env


@pytest.fixture
def ws(tmp_path, template_db, capfd, hostile_env):
    """The test's workspace; a test that collects problems must end with ws.verify()."""
    workspace = Workspace(tmp_path / "ws", template_db, capfd, hostile_env / "data" / "zhen")
    yield workspace
    assert workspace.verified or not workspace.problems, "test ended without ws.verify()"


@pytest.fixture
def zhen_run(capfd):
    """Run zhen in-process outside a workspace (for fixtures that prepare databases)."""
    return lambda *argv, stdin=None: run_zhen(argv, capfd, stdin)


class Listener:
    """A TCP socket on 127.0.0.1 that accepts and counts connections: any is a network fetch."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.server.getsockname()[1]}"
        self.connections = 0
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            self.connections += 1
            client.close()

    def close(self) -> None:
        self.server.close()


@pytest.fixture(scope="session")
def listener():
    server = Listener()
    yield server
    server.close()


@pytest.fixture(scope="session")
def canaries(tmp_path_factory) -> tuple[Path, Path]:
    """A file whose content must never appear anywhere, and a DTD that defines `&canary;`."""
    folder = tmp_path_factory.mktemp("canary")
    canary_file = folder / "secret.txt"
    canary_file.write_text(generators.CANARY + "\n", encoding="utf-8")
    canary_dtd = folder / "evil.dtd"
    canary_dtd.write_text(generators.canary_dtd_text(), encoding="utf-8")
    return canary_file, canary_dtd

"""The `zhen` entry point: help, version, and the one-line error contract."""

from __future__ import annotations

import errno
import os
import re
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import numpy as np
import pytest
from lxml import etree

import zhen.cli.tm
from zhen import __version__, store, tm
from zhen.cli import BUG_EXIT_CODE, main
from zhen.io.output import atomic_output


def test_version(run_zhen) -> None:
    result = run_zhen("--version")
    assert result.code == 0
    assert __version__ in result.stdout


# The installed console script and `python -m zhen`: what a user starts, in its own process.
@pytest.mark.subprocess
@pytest.mark.parametrize("launcher", ["script", "module"])
def test_installed_entry_points_run_zhen(launcher, tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "zhen"
    if launcher == "script" and not script.exists():
        pytest.skip(f"no installed `zhen` script beside {sys.executable}")
    command = [str(script)] if launcher == "script" else [sys.executable, "-m", "zhen"]
    env = dict(os.environ, PYTHONPATH=str(Path(zhen.__file__).parents[1]))
    version = subprocess.run([*command, "--version"], capture_output=True, text=True, env=env)
    assert (version.returncode, version.stdout.strip()) == (0, f"zhen {__version__}")
    missing = tmp_path / "missing.txt"
    failed = subprocess.run(
        [*command, "align", str(missing), "-o", str(tmp_path / "out.tmx")],
        capture_output=True,
        text=True,
        env=env,
    )
    assert failed.returncode == 2
    assert failed.stderr.startswith("zhen: error:") and len(failed.stderr.splitlines()) == 1


def test_no_command_prints_help_and_exits_2(run_zhen) -> None:
    result = run_zhen()
    assert result.code == 2
    assert "usage: zhen" in result.stderr


def test_every_subcommand_has_help(run_zhen) -> None:
    help_text = run_zhen("--help").stdout
    for command in ("align", "build", "tm", "lookup", "glossary", "check", "tui"):
        assert command in help_text, command


def test_input_error_is_one_line_without_traceback(run_zhen, tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    result = run_zhen("align", missing, "-o", tmp_path / "out.tmx")
    assert result.code == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("zhen: error:")
    assert not (tmp_path / "out.tmx").exists()


def test_atomic_output_leaves_target_untouched_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("original", encoding="utf-8")
    try:
        with atomic_output(target, "w", encoding="utf-8") as handle:
            handle.write("half-written")
            raise RuntimeError("disk full")
    except RuntimeError:
        pass
    assert target.read_text(encoding="utf-8") == "original"
    assert list(tmp_path.iterdir()) == [target]


def test_atomic_output_replaces_target(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    with atomic_output(target, "w", encoding="utf-8") as handle:
        handle.write("new")
    assert target.read_text(encoding="utf-8") == "new"


def test_atomic_output_gives_ordinary_permissions(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.txt"
    with atomic_output(fresh, "w", encoding="utf-8") as handle:
        handle.write("x")
    assert fresh.stat().st_mode & 0o044, (
        "a new file must be readable by others like open() makes it"
    )
    kept = tmp_path / "kept.txt"
    kept.write_text("old", encoding="utf-8")
    kept.chmod(0o640)
    with atomic_output(kept, "w", encoding="utf-8") as handle:
        handle.write("new")
    assert kept.stat().st_mode & 0o777 == 0o640


# --- no traceback, ever --------------------------------------------------------------------


def _raise_os_error() -> None:
    raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), "/srv/tm/client.tmx")


def _raise_disk_full() -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _raise_sqlite_error() -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("SELECT * FROM no_such_table")


def _raise_xml_error() -> None:
    etree.fromstring(b"<tmx><body></tmx>")


def _raise_undecodable() -> None:
    b"\xff\xfe\xfa".decode("utf-8")


def _raise_array_memory_error() -> None:
    # More than any address space holds: numpy refuses at once with its MemoryError subclass.
    np.empty(2**62, dtype=np.uint8)


def _raise_control_characters() -> None:
    raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), "evil\x1b]52;c;ZXZpbA==\x07")


@pytest.mark.parametrize(
    ("raiser", "expected"),
    [
        (_raise_os_error, "zhen: error: /srv/tm/client.tmx: Permission denied"),
        (_raise_disk_full, "zhen: error: No space left on device"),
        (_raise_sqlite_error, "zhen: error: database error: no such table: no_such_table"),
        (_raise_xml_error, "zhen: error: XML error: Opening and ending tag mismatch"),
        (_raise_undecodable, "zhen: error: cannot decode or encode text: 'utf-8' codec"),
        (_raise_array_memory_error, "zhen: error: out of memory: input too large"),
        (
            _raise_control_characters,
            "zhen: error: evil\\x1b]52;c;ZXZpbA==\\x07: No such file or directory",
        ),
    ],
)
def test_environment_errors_are_one_line_exit_2(raiser, expected, monkeypatch, capsys) -> None:
    monkeypatch.setattr(zhen.cli.tm, "run_stats", lambda _args: raiser())
    assert main(["tm", "stats"]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(expected), lines[0]


def _crash(_args) -> int:
    raise ValueError("a bug: index \x1b[2J out of step")


def test_a_bug_is_one_line_naming_the_saved_traceback(monkeypatch, capsys, tmp_path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("ZHEN_DEBUG", raising=False)
    monkeypatch.setattr(zhen.cli.tm, "run_stats", _crash)
    assert main(["tm", "stats"]) == BUG_EXIT_CODE
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("zhen: internal error (a bug in zhen): ValueError: a bug")
    assert "\x1b" not in lines[0]
    saved = Path(re.search(r"the traceback is in (\S+);", lines[0]).group(1))
    assert saved.parent == tmp_path / "cache" / "zhen" / "crashes"
    assert saved.stat().st_mode & 0o777 == 0o600
    assert saved.parent.stat().st_mode & 0o777 == 0o700
    text = saved.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text and "in _crash" in text


def test_a_bug_with_zhen_debug_shows_the_traceback(monkeypatch, capsys, tmp_path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("ZHEN_DEBUG", "1")
    monkeypatch.setattr(zhen.cli.tm, "run_stats", _crash)
    assert main(["tm", "stats"]) == BUG_EXIT_CODE
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err and "ValueError: a bug" in err
    assert not (tmp_path / "cache").exists()


def _run_into_closed_pipe(*args: str, db: Path) -> subprocess.CompletedProcess:
    """Run zhen with stdout a pipe whose reader has already gone, like `zhen … | head -0`."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    env = dict(os.environ, PYTHONPATH=str(Path(zhen.__file__).parents[1]))
    # Buffered, as for a user: the failing write is then the flush at exit.
    env.pop("PYTHONUNBUFFERED", None)
    try:
        return subprocess.run(
            [sys.executable, "-m", "zhen", *args, "--db", str(db)],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            timeout=120,
        )
    finally:
        os.close(write_end)


# A closed pipe fails the interpreter's own flush of stdout at exit: only a process shows it.
@pytest.mark.subprocess
def test_closed_pipe_exits_quietly(tmp_path) -> None:
    db = tmp_path / "tm.db"
    source = tmp_path / "pairs.tsv"
    source.write_text("你好。\tHello.\n", encoding="utf-8")
    with closing(store.open_database(db, create=True)) as conn:
        tm.import_files(conn, [source])
    for args in (("tm", "stats"), ("tm", "export", "-")):
        result = _run_into_closed_pipe(*args, db=db)
        assert (result.returncode, result.stderr) == (0, ""), args

"""The output writer: `-` is stdout, symlinks are written through, bad targets are one line."""

from __future__ import annotations

import errno
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from lxml import etree

from tests.support import REPO_ROOT
from zhen import glossary, store, tm
from zhen.cli import main
from zhen.errors import OutputError
from zhen.io.output import atomic_output, resolve_output
from zhen.models import Term

GOLD = REPO_ROOT / "tests" / "gold"
PAIRS = "你好。\tHello.\n我们走吧。\tLet us go.\n"


@pytest.fixture
def database(tmp_path: Path) -> Path:
    """An unseeded database holding two units (origin pairs.tsv) and one approved term."""
    path = tmp_path / "tm.db"
    source = tmp_path / "pairs.tsv"
    source.write_text(PAIRS, encoding="utf-8")
    with closing(store.open_database(path, create=True)) as conn:
        tm.import_files(conn, [source])
        glossary.add_term(conn, Term(zh="同志", en="comrade", status="approved"))
    return path


@pytest.fixture
def small_mount(tmp_path: Path) -> Iterator[Path]:
    """A 64 KiB tmpfs at tmp_path/mnt, for full and read-only file systems (root only)."""
    point = tmp_path / "mnt"
    point.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root; chmod does not stop root from writing")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k,mode=0755", "tmpfs", str(point)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield point
    finally:
        subprocess.run(["umount", str(point)], check=True)


def _remount_read_only(point: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(point)], check=True)


def _fill(folder: Path) -> None:
    """Write into folder until the file system is full."""
    with (folder / "filler").open("wb", buffering=0) as filler:
        try:
            while True:
                filler.write(b"\0" * 4096)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC


def _error_line(capsys: pytest.CaptureFixture[str]) -> str:
    """The one stderr line of a failed command (asserting there is exactly one)."""
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("zhen: error: "), lines[0]
    return lines[0]


# --- standard output ------------------------------------------------------------------------


def test_tm_export_dash_writes_tmx_to_stdout(database, tmp_path, capsysbinary, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["tm", "export", "-", "--db", str(database)]) == 0
    captured = capsysbinary.readouterr()
    tree = etree.fromstring(captured.out)
    assert [seg.text for seg in tree.iter("seg")][:2] == ["你好。", "Hello."]
    assert b"wrote 2 units to standard output" in captured.err
    assert not (tmp_path / "-").exists()


@pytest.mark.parametrize(
    ("fmt", "marker"),
    [
        ("tbx", b"<martif"),
        ("tbx3", b"<tbx"),
        ("csv", b"zh,en,"),
        ("tsv", b"zh\ten"),
        ("omegat", b""),
    ],
)
def test_glossary_export_dash_with_format(
    database, tmp_path, capsysbinary, monkeypatch, fmt, marker
):
    monkeypatch.chdir(tmp_path)
    assert main(["glossary", "export", "-", "--format", fmt, "--db", str(database)]) == 0
    captured = capsysbinary.readouterr()
    assert marker in captured.out
    assert "同志".encode() in captured.out and b"comrade" in captured.out
    assert b"wrote 1 entry to standard output" in captured.err
    assert not (tmp_path / "-").exists()


def test_glossary_export_dash_without_format_is_an_error(database, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["glossary", "export", "-", "--db", str(database)]) == 2
    assert "--format" in _error_line(capsys)
    assert not (tmp_path / "-").exists()


def test_align_to_stdout(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    zh, en = str(GOLD / "004.zh"), str(GOLD / "004.en")
    assert main(["align", zh, en, "--presegmented", "-o", "-", "--format", "tsv"]) == 0
    captured = capsys.readouterr()
    rows = [line.split("\t") for line in captured.out.splitlines()]
    assert rows and all(len(row) == 3 for row in rows)
    assert "to standard output" in captured.err
    assert not (tmp_path / "-").exists()
    # Without --format, standard output gets TSV: the pairs as a person or a pipe reads them.
    assert main(["align", zh, en, "--presegmented", "-o", "-"]) == 0
    assert capsys.readouterr().out == captured.out


def test_writer_to_stdout_keeps_text_and_bytes_in_order(capsysbinary):
    print("before", flush=False)
    with atomic_output("-", "w", encoding="utf-8") as out:
        out.write("中文\r\n")
    with atomic_output("-", "wb") as out:
        out.write(b"<x/>")
    assert capsysbinary.readouterr().out == "before\n中文\r\n<x/>".encode()


def test_path_that_is_this_process_stdout_is_written_as_stdout(run_zhen, database, tmp_path):
    # The same link as /dev/stdout, inside the test folder: the old writer replaced it.
    link = tmp_path / "stdout.tmx"
    link.symlink_to("/proc/self/fd/1")
    result = run_zhen("tm", "export", link, "--db", database)
    assert result.code == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == "/proc/self/fd/1"
    assert "<seg>Hello.</seg>" in result.stdout
    assert "to standard output" in result.stderr
    # Only once the link above survived: the real /dev/stdout, which must survive too.
    result = run_zhen("tm", "export", "/dev/stdout", "--db", database)
    assert result.code == 0, result.stderr
    assert "<seg>Hello.</seg>" in result.stdout
    assert Path("/dev/stdout").is_symlink()


# File descriptor 1 redirected to a file by the shell: only a process has its own.
@pytest.mark.subprocess
def test_stdout_link_redirected_to_a_file_fills_that_file(database, tmp_path):
    out = tmp_path / "redirected.tmx"
    link = tmp_path / "stdout"
    link.symlink_to("/proc/self/fd/1")
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT / "src"))
    with out.open("wb") as handle:
        subprocess.run(
            [sys.executable, "-m", "zhen", "tm", "export", str(link), "--db", str(database)],
            stdout=handle,
            check=True,
            env=env,
            timeout=120,
        )
    assert etree.parse(str(out)).getroot().tag == "tmx"
    assert link.is_symlink()


# --- symlinks -------------------------------------------------------------------------------


def test_symlinked_output_is_written_through_to_its_target(database, tmp_path, capsys):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    target = elsewhere / "client.tmx"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.tmx"
    link.symlink_to(target)
    assert main(["tm", "export", str(link), "--db", str(database)]) == 0
    assert link.is_symlink() and link.resolve() == target
    assert b"<tmx" in target.read_bytes()
    assert sorted(p.name for p in elsewhere.iterdir()) == ["client.tmx"]
    assert "wrote 2 units to " + str(link) in capsys.readouterr().out


def test_chain_of_symlinks_and_glossary_export(database, tmp_path):
    target = tmp_path / "real.csv"
    target.write_text("old", encoding="utf-8")
    (tmp_path / "middle.csv").symlink_to("real.csv")
    (tmp_path / "first.csv").symlink_to("middle.csv")
    assert main(["glossary", "export", str(tmp_path / "first.csv"), "--db", str(database)]) == 0
    assert (tmp_path / "first.csv").is_symlink() and (tmp_path / "middle.csv").is_symlink()
    assert "comrade" in target.read_text(encoding="utf-8")


def test_dangling_symlink_writes_its_target_when_the_folder_exists(tmp_path):
    link = tmp_path / "link.txt"
    link.symlink_to("new.txt")
    with atomic_output(link, "w", encoding="utf-8") as out:
        out.write("new")
    assert link.is_symlink()
    assert (tmp_path / "new.txt").read_text(encoding="utf-8") == "new"


def test_dangling_symlink_into_a_missing_folder_is_an_error(tmp_path):
    link = tmp_path / "link.txt"
    link.symlink_to(tmp_path / "gone" / "new.txt")
    with (
        pytest.raises(OutputError, match=r"gone.*does not exist"),
        atomic_output(link, "w", encoding="utf-8"),
    ):
        pass
    assert not (tmp_path / "gone").exists()
    assert link.is_symlink()


def test_symlink_loop_is_an_error(tmp_path):
    (tmp_path / "a").symlink_to("b")
    (tmp_path / "b").symlink_to("a")
    with pytest.raises(OutputError, match="symbolic links"):
        resolve_output(tmp_path / "a")


# --- what is not a file to replace -----------------------------------------------------------


def test_existing_folder_is_an_error(database, tmp_path, capsys):
    folder = tmp_path / "out.tmx"
    folder.mkdir()
    assert main(["tm", "export", str(folder), "--db", str(database)]) == 2
    assert "is a folder" in _error_line(capsys)
    assert list(folder.iterdir()) == []


def test_devices_fifos_and_sockets_are_refused(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(tmp_path / "sock"))
    with closing(server):
        for path, kind in ((fifo, "FIFO"), (tmp_path / "sock", "socket"), ("/dev/null", "device")):
            with pytest.raises(OutputError, match=f"is a {kind}"), atomic_output(path, "wb"):
                pass
    assert Path("/dev/null").is_char_device() and fifo.is_fifo()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fifo", "sock"]


def test_missing_folder_is_an_error_not_created(database, tmp_path, capsys):
    out = tmp_path / "tpyo" / "client.tmx"
    assert main(["tm", "export", str(out), "--db", str(database)]) == 2
    assert f"folder {tmp_path / 'tpyo'} does not exist" in _error_line(capsys)
    assert not (tmp_path / "tpyo").exists()


def test_a_file_used_as_a_folder_is_an_error(tmp_path):
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match="is not a folder"):
        resolve_output(tmp_path / "notes.txt" / "out.tmx")


@pytest.mark.parametrize(("name", "message"), [("", "no output file"), ("a\0b", "null byte")])
def test_names_that_cannot_be_files_are_errors(name, message):
    with pytest.raises(OutputError, match=message):
        resolve_output(name)


def test_make_parents_creates_the_folder_for_caches(tmp_path):
    cache = tmp_path / "cache" / "zhen" / "lexicon.pickle"
    with atomic_output(cache, "wb", make_parents=True) as out:
        out.write(b"x")
    assert cache.read_bytes() == b"x"


# --- inputs ---------------------------------------------------------------------------------


def test_align_refuses_to_overwrite_its_input(tmp_path, capsys):
    source = tmp_path / "in.tsv"
    source.write_text("中越应当坚持道不变。\nChina and Vietnam should keep to their paths.\n")
    before = source.read_bytes()
    assert main(["align", str(source), "-o", str(source)]) == 2
    assert "is an input of this command" in _error_line(capsys)
    assert source.read_bytes() == before


@pytest.mark.parametrize("via", ["same path", "symlink", "hard link"])
def test_export_refuses_to_overwrite_the_database(database, tmp_path, capsys, via):
    before = database.read_bytes()
    out = {"same path": database, "symlink": tmp_path / "x.tmx", "hard link": tmp_path / "h.tmx"}[
        via
    ]
    if via == "symlink":
        out.symlink_to(database)
    elif via == "hard link":
        os.link(database, out)
    assert main(["tm", "export", str(out), "--db", str(database)]) == 2
    assert "is an input of this command" in _error_line(capsys)
    assert main(["glossary", "export", str(out), "--format", "tsv", "--db", str(database)]) == 2
    assert "is an input of this command" in _error_line(capsys)
    assert database.read_bytes() == before


# --- file-system failures --------------------------------------------------------------------


def test_full_disk_is_one_line_and_keeps_the_old_file(database, small_mount, capsys):
    old = small_mount / "client.tmx"
    old.write_bytes(b"old content")
    _fill(small_mount)
    assert main(["tm", "export", str(old), "--db", str(database)]) == 2
    line = _error_line(capsys)
    assert "No space left on device" in line and str(old) in line
    assert old.read_bytes() == b"old content"
    assert sorted(p.name for p in small_mount.iterdir()) == ["client.tmx", "filler"]


def test_read_only_file_system_is_one_line_and_keeps_the_old_file(database, small_mount, capsys):
    old = small_mount / "glossary.tbx"
    old.write_bytes(b"old content")
    _remount_read_only(small_mount)
    assert main(["glossary", "export", str(old), "--db", str(database)]) == 2
    assert "Read-only file system" in _error_line(capsys)
    assert old.read_bytes() == b"old content"
    assert [p.name for p in small_mount.iterdir()] == ["glossary.tbx"]


def test_failure_inside_the_write_leaves_no_temp_file(tmp_path):
    target = tmp_path / "out.tsv"
    target.write_text("old", encoding="utf-8")
    with (
        pytest.raises(OutputError, match="cannot write: No space left on device"),
        atomic_output(target, "w", encoding="utf-8") as out,
    ):
        out.write("half")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.tsv"]


def test_other_errors_inside_the_write_pass_unchanged(tmp_path):
    with (
        pytest.raises(FileNotFoundError),
        atomic_output(tmp_path / "out.tsv", "w", encoding="utf-8"),
    ):
        (tmp_path / "missing-input.txt").read_text()
    assert list(tmp_path.iterdir()) == []

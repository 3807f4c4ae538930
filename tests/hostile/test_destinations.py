"""Bad output destinations for every writer: a folder, a missing or forbidden folder, a read-only
file, the input itself, links, `-`, a FIFO and a device. The old file survives every failure."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

import pytest

WRITERS = {
    "tm-export": lambda ws, out: ["tm", "export", out, "--db", ws.db],
    "glossary-export-csv": lambda ws, out: [
        "glossary",
        "export",
        out,
        "--format",
        "csv",
        "--db",
        ws.db,
    ],
    "glossary-export-tbx": lambda ws, out: [
        "glossary",
        "export",
        out,
        "--format",
        "tbx",
        "--db",
        ws.db,
    ],
    "align-tmx": lambda ws, out: ["align", ws.zh_txt, ws.en_txt, "-o", out],
    "align-tsv": lambda ws, out: ["align", ws.zh_txt, ws.en_txt, "-o", out],
}
_SUFFIX = {"align-tsv": ".tsv", "glossary-export-csv": ".csv"}
OLD = b"old content\n"


def _suffix(writer: str) -> str:
    return _SUFFIX.get(writer, ".tmx")


def _denied_folder(ws) -> Path:
    """A folder this process may not create files in (root ignores permission bits: /sys)."""
    if os.geteuid() == 0:
        return Path("/sys")
    folder = ws.root / "denied"
    folder.mkdir()
    folder.chmod(0o555)
    return folder


def _input_of(ws, writer: str) -> Path:
    """A file the command reads: the database for exports, the mixed text for align."""
    if writer.startswith("align"):
        return ws.zh_txt.with_suffix(_suffix(writer))
    return ws.db


def _run(ws, writer: str, out, **kwargs):
    argv = WRITERS[writer](ws, out)
    if writer.startswith("align") and out == _input_of(ws, writer):
        argv = ["align", out, "-o", out]
    return ws.run(argv, reads=not writer.startswith("align"), **kwargs)


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_output_is_a_directory(ws, writer) -> None:
    target = ws.outputs / f"folder{_suffix(writer)}"
    target.mkdir()
    _run(ws, writer, target, expect="error")
    ws.verify()


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_output_in_a_missing_folder(ws, writer) -> None:
    """Either written (the folder made) or refused with nothing made."""
    _run(ws, writer, ws.outputs / "missing" / f"out{_suffix(writer)}")
    ws.verify()


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_output_in_a_folder_without_permission(ws, writer) -> None:
    folder = _denied_folder(ws)
    _run(ws, writer, folder / f"zhen-hostile{_suffix(writer)}", expect="error")
    ws.verify()


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_output_is_read_only(ws, writer) -> None:
    """A read-only file is replaced or refused; refused, it keeps its bytes and mode."""
    target = ws.outputs / f"read-only{_suffix(writer)}"
    target.write_bytes(OLD)
    target.chmod(0o444)
    _run(ws, writer, target)
    ws.verify()


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_output_is_the_input(ws, writer) -> None:
    """Writing over the database being exported, or over the text being aligned, is refused."""
    source = _input_of(ws, writer)
    if writer.startswith("align"):
        source.write_text(
            ws.zh_txt.read_text(encoding="utf-8") + "\n" + ws.en_txt.read_text(encoding="utf-8")
        )
    _run(ws, writer, source, expect="error")
    ws.verify()


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_output_is_a_symlink(ws, writer) -> None:
    """The link's target is written; the link stays a link."""
    real = ws.outputs / f"real{_suffix(writer)}"
    real.write_bytes(OLD)
    link = ws.outputs / f"link{_suffix(writer)}"
    link.symlink_to(real.name)
    _run(ws, writer, link, expect="success")
    if not link.is_symlink():
        ws.problem(f"{writer}: SYMLINK REPLACED by a regular file")
    elif real.read_bytes() == OLD:
        ws.problem(f"{writer}: SYMLINK TARGET not written")
    ws.verify()


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_output_is_a_dangling_symlink(ws, writer) -> None:
    link = ws.outputs / f"dangling{_suffix(writer)}"
    link.symlink_to(f"nowhere{_suffix(writer)}")
    _run(ws, writer, link)
    if not link.is_symlink():
        ws.problem(f"{writer}: SYMLINK REPLACED by a regular file")
    ws.verify()


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_output_dash_is_stdout(ws, writer, monkeypatch) -> None:
    """`-` writes to standard output and never a file named `-`."""
    monkeypatch.chdir(ws.outputs)
    outcome = _run(ws, writer, "-", expect="success")
    if (ws.outputs / "-").exists():
        ws.problem(f"{writer}: wrote a FILE NAMED '-'")
    if outcome.code == 0 and not outcome.stdout.strip():
        ws.problem(f"{writer}: exit 0 but NOTHING ON STDOUT for '-'")
    ws.verify()


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_output_is_a_fifo(ws, writer) -> None:
    """A FIFO is refused (a reader is attached so that a wrong open cannot hang the test)."""
    fifo = ws.outputs / f"pipe{_suffix(writer)}"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        _run(ws, writer, fifo, expect="error")
    finally:
        os.close(reader)
    if not stat.S_ISFIFO(fifo.lstat().st_mode):
        ws.problem(f"{writer}: FIFO REPLACED by a regular file")
    ws.verify()


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_output_is_a_device(ws, writer) -> None:
    """A device (here a private copy of /dev/full) is refused, never replaced or written."""
    device = ws.outputs / f"full{_suffix(writer)}"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 7))
    except (PermissionError, OSError) as exc:
        pytest.skip(f"cannot make a device node here: {exc}")
    _run(ws, writer, device, expect="error")
    with contextlib.suppress(FileNotFoundError):
        if not stat.S_ISCHR(device.lstat().st_mode):
            ws.problem(f"{writer}: DEVICE REPLACED by a regular file")
    ws.verify()

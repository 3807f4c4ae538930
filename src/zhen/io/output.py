"""Safe output: `-` is standard output; a file is written to a temp file beside it, then renamed."""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, BinaryIO

from zhen.errors import OutputError

STDOUT = "-"

# Read once at import: os.umask can only be read by setting it, which is not thread-safe.
_UMASK = os.umask(0o022)
os.umask(_UMASK)


@dataclass(frozen=True, slots=True)
class OutputTarget:
    """Where an output goes: standard output (`file` None) or a regular file, symlinks resolved."""

    shown: str
    file: Path | None

    @property
    def is_stdout(self) -> bool:
        return self.file is None

    def describe(self) -> str:
        """The destination for a summary line ("standard output" or the path as given)."""
        return "standard output" if self.is_stdout else self.shown


def resolve_output(
    path: Path | str, inputs: Iterable[Path | str | None] = (), *, make_parents: bool = False
) -> OutputTarget:
    """Check an output path before anything is written; OutputError says what is wrong.

    `-`, and any path that is the process's standard output (`/dev/stdout`), mean standard
    output. A symlink is followed to the file it names. A folder, device, FIFO or socket is
    refused, as is a file that is one of `inputs` (the command's own input files and database),
    and a missing folder unless `make_parents` (for caches, never for a path a person typed).
    """
    shown = str(path)
    if not shown:
        raise OutputError("no output file named")
    if shown == STDOUT:
        _refuse_inputs(shown, _stdout_stat(), inputs)
        return OutputTarget(shown, None)
    try:
        info: os.stat_result | None = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        info = None  # a new file, or a symlink to one: its folder is checked below
    except OSError as exc:
        raise OutputError(f"{shown}: {exc.strerror or exc}") from exc
    except ValueError as exc:  # a NUL byte in the name
        raise OutputError(f"{shown!r}: {exc}") from exc
    if info is not None:
        _refuse_inputs(shown, info, inputs)
        stdout = _stdout_stat()
        if stdout is not None and _same_file(info, stdout):
            return OutputTarget(shown, None)
        if stat.S_ISDIR(info.st_mode):
            raise OutputError(f"{shown}: is a folder; give the name of a file to write")
        if not stat.S_ISREG(info.st_mode):
            raise OutputError(
                f"{shown}: is a {_kind(info.st_mode)}, not a regular file; "
                "use - to write to standard output"
            )
    file = Path(os.path.realpath(path))
    _check_folder(shown, Path(path), file.parent, make_parents=make_parents)
    return OutputTarget(shown, file)


@contextmanager
def atomic_output(
    path: Path | str,
    mode: str = "wb",
    encoding: str | None = None,
    *,
    inputs: Iterable[Path | str | None] = (),
    make_parents: bool = False,
) -> Iterator[IO[Any]]:
    """Open an output (see `resolve_output`); a file is complete or untouched, never half-written.

    A file is written to a temp file in the folder of its real target, fsynced and renamed over
    it, so a symlink keeps pointing at the new content. On any exception the temp file is
    removed and the target is left as it was; a failed write is one OutputError. Standard output
    is written directly (UTF-8 text unless told otherwise, bytes as given).
    """
    target = resolve_output(path, inputs, make_parents=make_parents)
    if target.file is None:
        with _standard_output(mode, encoding) as out:
            yield out
        return
    file = target.file
    try:
        handle, temp_name = tempfile.mkstemp(
            prefix=f".{file.name}.", suffix=".tmp", dir=file.parent
        )
    except OSError as exc:
        raise OutputError(f"{target.shown}: cannot write in {file.parent}: {exc.strerror}") from exc
    try:
        with os.fdopen(
            handle, mode, encoding=encoding, newline="" if "b" not in mode else None
        ) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        # mkstemp makes the file private (0600); give it the mode a plain open() would.
        os.chmod(temp_name, _existing_mode(file))
        os.replace(temp_name, file)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        if isinstance(exc, OSError) and exc.filename in (None, temp_name, str(file)):
            raise OutputError(f"{target.shown}: cannot write: {exc.strerror or exc}") from exc
        raise


def _check_folder(shown: str, given: Path, folder: Path, *, make_parents: bool) -> None:
    if folder.is_dir():
        return
    # Name the folder as the user typed it, unless a symlink led elsewhere.
    named = str(given.parent)
    if given.is_symlink():
        named = f"{folder} (where the symlink {shown} points)"
    if folder.exists():
        raise OutputError(f"{shown}: {named} is not a folder")
    if not make_parents:
        raise OutputError(f"{shown}: folder {named} does not exist")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{shown}: cannot create folder {named}: {exc.strerror}") from exc


def _refuse_inputs(
    shown: str, info: os.stat_result | None, inputs: Iterable[Path | str | None]
) -> None:
    if info is None or not stat.S_ISREG(info.st_mode):
        return
    for source in inputs:
        if source is None:
            continue
        try:
            source_info = os.stat(source)
        except OSError:
            continue  # an input that does not exist cannot be overwritten
        if _same_file(info, source_info):
            also = "" if str(source) == shown else f" ({source})"
            raise OutputError(
                f"{shown}: is an input of this command{also}; writing it would destroy it, "
                "choose another output"
            )


def _same_file(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _stdout_stat() -> os.stat_result | None:
    """What file descriptor 1 is, or None when it is closed."""
    try:
        return os.fstat(1)
    except OSError:
        return None


def _kind(mode: int) -> str:
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    if stat.S_ISFIFO(mode):
        return "FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "special file"


class _TextToBytes:
    """A write-only text stream over a binary one that it does not own (so never closes it)."""

    def __init__(self, binary: BinaryIO, encoding: str) -> None:
        self._binary = binary
        self._encoding = encoding

    def write(self, text: str) -> int:
        self._binary.write(text.encode(self._encoding))
        return len(text)

    def flush(self) -> None:
        self._binary.flush()


@contextmanager
def _standard_output(mode: str, encoding: str | None) -> Iterator[IO[Any]]:
    # Whatever the command printed before must come first.
    sys.stdout.flush()
    binary = getattr(sys.stdout, "buffer", None)
    if binary is None:
        # A text-only stand-in (contextlib.redirect_stdout to a StringIO) takes text as it is.
        if "b" in mode:
            raise OutputError("standard output does not accept bytes here; write to a file")
        yield sys.stdout
        return
    out = binary if "b" in mode else _TextToBytes(binary, encoding or "utf-8")
    yield out  # type: ignore[misc]
    binary.flush()


def _existing_mode(target: Path) -> int:
    """The target's permission bits if it exists, else 0o666 less the process umask."""
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        return 0o666 & ~_UMASK

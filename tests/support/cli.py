"""`zhen.cli.main(argv)` run in this process, with its standard streams and environment its own."""

from __future__ import annotations

import io
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from zhen import cli
from zhen.cli import common


@dataclass(frozen=True)
class Result:
    """What one run of `zhen` returned and printed."""

    code: int
    stdout: str
    stderr: str


class _Stream(io.TextIOWrapper):
    """A UTF-8 text stream with a binary `.buffer`, as the real standard streams have."""

    def __init__(self, data: bytes = b"") -> None:
        super().__init__(io.BytesIO(data), encoding="utf-8", errors="strict", newline="\n")

    def text(self) -> str:
        self.flush()
        return self.buffer.getvalue().decode("utf-8", "backslashreplace")  # type: ignore[attr-defined]


def run_cli(
    argv: Sequence[object],
    *,
    stdin: str | bytes | None = None,
    env: Mapping[str, str | None] | None = None,
    cwd: Path | None = None,
) -> Result:
    """Run `zhen argv` as `main()` and return its exit code and output.

    stdin: what standard input holds (empty when None); env: variables to set, or to remove
    when None, for this run only; cwd: the working directory of this run.
    """
    args = [str(arg) for arg in argv]
    stdin_bytes = stdin.encode("utf-8") if isinstance(stdin, str) else (stdin or b"")
    out, err = _Stream(), _Stream()
    with pytest.MonkeyPatch.context() as patch:
        for name, value in (env or {}).items():
            if value is None:
                patch.delenv(name, raising=False)
            else:
                patch.setenv(name, value)
        if cwd is not None:
            patch.chdir(cwd)
        patch.setattr(sys, "argv", ["zhen", *args])  # what a crash report quotes
        patch.setattr(sys, "stdin", _Stream(stdin_bytes))
        patch.setattr(sys, "stdout", out)
        patch.setattr(sys, "stderr", err)
        _forget_previous_runs()
        try:
            code = cli.main(args)
        except SystemExit as stop:  # argparse: --help, --version, a usage error
            code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 2)
        finally:
            _forget_previous_runs()
    return Result(code, out.text(), err.text())


def one_error_line(result: Result) -> str:
    """The one `zhen: error: …` line of a run that failed with exit 2 (and no traceback)."""
    assert result.code == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("zhen: error: "), result.stderr
    return lines[0]


def _forget_previous_runs() -> None:
    """Clear what `main()` keeps between runs in one process (databases it created, notices)."""
    common._created.clear()
    common._notices.clear()

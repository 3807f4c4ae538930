"""The contract every hostile case is held to, and a workspace that runs `zhen` in-process.

The contract: the command succeeds (exit 0, or 1 where the command defines it) or fails with
exactly one stderr line starting `zhen: error: ` and exit 2; no traceback; no raw control
character in stdout or stderr; and a failure leaves the database bytes and every file of the
workspace as they were (temp files included). Problems are collected, not raised at once, so a
failing case lists all it got wrong; every test ends with `workspace.verify()`.
"""

from __future__ import annotations

import gc
import hashlib
import io
import os
import re
import shlex
import sqlite3
import stat
import sys
import traceback
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from hostile import generators
from zhen import cli

ERROR_PREFIX = "zhen: error: "
# What must never reach a terminal raw: C0 controls but tab and newline, DEL, C1, bidi overrides.
UNSAFE_OUTPUT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# What readers must not store: C0 controls but tab and newline, DEL and C1.
STORED_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# The interactive prompt of `glossary review`, printed on stderr before an answer is read.
REVIEW_PROMPT = re.compile(r"accept, reject[^\n]*?\[a/r/e/s/u/d/q\] ")


def shown(text: str, limit: int = 160) -> str:
    """`text` safe to print in a test report: escapes visible, clipped."""
    text = text if len(text) <= limit else text[:limit] + "…"
    return text.encode("unicode_escape").decode("ascii")


@dataclass
class Outcome:
    """What one in-process run of `zhen` produced."""

    argv: list[str]
    code: int | None
    stdout: str
    stderr: str
    crash: str | None = None  # the traceback of an exception that escaped cli.main
    workspace: Path | None = None  # shown as WS in the command line of a report

    @property
    def command(self) -> str:
        args = [shown(arg, 80) for arg in self.argv]
        if self.workspace is not None:
            args = [arg.replace(str(self.workspace), "WS") for arg in args]
        return "zhen " + " ".join(shlex.quote(arg) for arg in args)


def run_zhen(argv: Sequence[object], capfd, stdin: str | None = None) -> Outcome:
    """`cli.main(argv)` in this process with stdout/stderr captured at the file descriptors."""
    args = [str(arg) for arg in argv]
    capfd.readouterr()
    saved_stdin = sys.stdin
    if stdin is not None:
        sys.stdin = io.StringIO(stdin)
    crash = None
    try:
        code = cli.main(args)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    except Exception:  # what a real process would print as a traceback
        code, crash = None, traceback.format_exc()
    finally:
        sys.stdin = saved_stdin
    out, err = capfd.readouterr()
    return Outcome(args, code, out, err, crash)


def stored_texts(db: Path) -> Iterator[tuple[str, str, str]]:
    """(table, column, text) for every text value in every table of a SQLite file."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    conn.text_factory = lambda data: data.decode("utf-8", "surrogateescape")
    try:
        tables = [
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        for table in tables:
            cursor = conn.execute(f'SELECT * FROM "{table}"')
            columns = [description[0] for description in cursor.description]
            for row in cursor:
                for column, value in zip(columns, row, strict=True):
                    if isinstance(value, str):
                        yield table, column, value
    finally:
        conn.close()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def _entry(path: Path) -> str:
    """How a file system entry looks, without following links or opening FIFOs and devices."""
    mode = path.lstat().st_mode
    if stat.S_ISLNK(mode):
        return f"symlink->{os.readlink(path)}"
    if stat.S_ISDIR(mode):
        return "dir"
    if stat.S_ISFIFO(mode):
        return "fifo"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return f"file {oct(mode & 0o777)} {_digest(path)}"


class Workspace:
    """A test's folders (in/, out/, db/), a copy of the template database, and its findings."""

    def __init__(self, root: Path, template: Path, capfd, default_db_dir: Path) -> None:
        self.root = root
        self.inputs = root / "in"
        self.outputs = root / "out"
        self.db_dir = root / "db"
        for folder in (self.inputs, self.outputs, self.db_dir):
            folder.mkdir(parents=True)
        self.db = self.db_dir / "zhen.db"
        self.db.write_bytes(template.read_bytes())
        self.capfd = capfd
        self.default_db_dir = default_db_dir
        self.problems: list[str] = []
        self.verified = False
        self.zh_txt = self.write("zh.txt", generators.ZH_TEXT)
        self.en_txt = self.write("en.txt", generators.EN_TEXT)

    # -- files

    def write(self, name: str, data: str | bytes) -> Path:
        """Write an input file (text as UTF-8) under in/; returns its path."""
        path = self.inputs / name
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return path

    def snapshot(self) -> dict[str, str]:
        """Every entry under the workspace; the database's WAL counts with it, its -shm not."""
        state = self._entries()
        if any(key.endswith("-wal") for key in state):
            # A connection the command left open keeps the WAL; closing it checkpoints the WAL.
            gc.collect()
            state = self._entries()
        return state

    def _entries(self) -> dict[str, str]:
        state: dict[str, str] = {}
        for folder, dirs, files in os.walk(self.root):
            for name in sorted(dirs + files):
                path = Path(folder, name)
                relative = str(path.relative_to(self.root))
                if name.endswith("-shm"):
                    continue
                try:
                    if name.endswith("-wal") and path.stat().st_size == 0:
                        continue
                    state[relative] = _entry(path)
                except FileNotFoundError:  # a WAL removed as a connection closed meanwhile
                    continue
        return state

    def database_state(self, snapshot: dict[str, str]) -> dict[str, str]:
        prefix = str(self.db.relative_to(self.root))
        return {key: value for key, value in snapshot.items() if key.startswith(prefix)}

    # -- running and judging

    def run(
        self,
        argv: Sequence[object],
        *,
        ok: Sequence[int] = (0,),
        expect: str | None = None,
        reads: bool = False,
        stdin: str | None = None,
        message: str | None = None,
    ) -> Outcome:
        """Run zhen and hold the outcome to the contract.

        expect: "error" (must fail cleanly), "success" (must succeed) or None (either).
        reads: the command only reads the database, so its bytes must not change even on success.
        message: a word the error line must contain (case-insensitive).
        """
        before = self.snapshot()
        outcome = run_zhen(argv, self.capfd, stdin)
        outcome.workspace = self.root
        after = self.snapshot()
        self.judge(outcome, before, after, ok=ok, expect=expect, reads=reads, message=message)
        return outcome

    def judge(self, outcome, before, after, *, ok, expect, reads, message) -> None:
        """Record every way `outcome` breaks the contract (see the module docstring)."""
        label = outcome.command
        printed = "Traceback (most recent call last)" in outcome.stdout + outcome.stderr
        if outcome.crash is not None:
            last = outcome.crash.strip().splitlines()[-1]
            self.problem(f"{label}: TRACEBACK {shown(last, 300)}")
        elif printed:
            last = outcome.stderr.strip().splitlines()[-1] if outcome.stderr.strip() else ""
            self.problem(f"{label}: TRACEBACK printed: {shown(last, 300)}")
        crashed = outcome.crash is not None or printed
        for stream in ("stdout", "stderr"):
            # CR LF is a line end (CSV's, RFC 4180), not a cursor move that can hide text.
            text = getattr(outcome, stream).replace("\r\n", "\n")
            leaked = sorted({f"U+{ord(ch):04X}" for ch in UNSAFE_OUTPUT.findall(text)})
            if leaked:
                where = UNSAFE_OUTPUT.search(text).start()
                context = shown(text[max(0, where - 30) : where + 30])
                self.problem(f"{label}: RAW CONTROL {', '.join(leaked)} on {stream}: …{context}…")
        failed = outcome.code == 2 and not crashed
        if not crashed and outcome.code not in (*ok, 2):
            self.problem(f"{label}: EXIT {outcome.code} (expected {'/'.join(map(str, ok))} or 2)")
        if failed:
            lines = REVIEW_PROMPT.sub("", outcome.stderr).strip("\n").split("\n")
            if len(lines) != 1 or not lines[0].startswith(ERROR_PREFIX):
                text = shown(outcome.stderr, 300)
                self.problem(f"{label}: STDERR not one `zhen: error:` line: {text}")
            elif message and message.lower() not in lines[0].lower():
                self.problem(f"{label}: ERROR LINE lacks {message!r}: {shown(lines[0], 200)}")
        if (failed or crashed) and before != after:
            self.problem(f"{label}: CHANGED ON FAILURE {_difference(before, after)}")
        elif reads and self.database_state(before) != self.database_state(after):
            self.problem(f"{label}: DATABASE CHANGED by a read")
        if expect == "error" and not failed and not crashed:
            self.problem(f"{label}: EXPECTED REFUSAL, got exit {outcome.code}")
        if expect == "success" and outcome.code not in ok and not crashed:
            self.problem(
                f"{label}: EXPECTED SUCCESS, got exit {outcome.code}: "
                f"{shown(outcome.stderr.strip(), 200)}"
            )
        if self.default_db_dir.exists():
            self.problem(f"{label}: DEFAULT DATABASE created although --db was given")

    def problem(self, text: str) -> None:
        self.problems.append(text)

    def check_stored(self, label: str) -> None:
        """No control characters in any text the database holds."""
        for table, column, value in stored_texts(self.db):
            if STORED_CONTROL.search(value):
                self.problem(f"{label}: STORED CONTROL in {table}.{column}: {shown(value, 80)}")
                return

    def check_no_leak(self, label: str, outcome: Outcome, markers: Sequence[str]) -> None:
        """None of `markers` (file contents an attack tried to pull in) anywhere zhen wrote."""
        places = {"stdout": outcome.stdout, "stderr": outcome.stderr}
        places["database"] = "\n".join(value for _, _, value in stored_texts(self.db))
        for path in self.outputs.rglob("*"):
            if path.is_file() and not path.is_symlink():
                places[str(path.name)] = path.read_bytes().decode("utf-8", "replace")
        for marker in markers:
            for place, text in places.items():
                if marker in text:
                    self.problem(f"{label}: LEAKED {marker!r} into {place}")

    def verify(self) -> None:
        """Fail the test with every problem found."""
        self.verified = True
        if self.problems:
            raise AssertionError(f"{len(self.problems)} problem(s):\n" + "\n".join(self.problems))


def _difference(before: dict[str, str], after: dict[str, str]) -> str:
    added = sorted(set(after) - set(before))
    removed = sorted(set(before) - set(after))
    changed = sorted(key for key in set(before) & set(after) if before[key] != after[key])
    parts = [
        f"{name} {paths}"
        for name, paths in (("added", added), ("removed", removed), ("changed", changed))
        if paths
    ]
    return "; ".join(parts)

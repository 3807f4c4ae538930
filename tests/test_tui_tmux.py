"""Smoke test: the installed `zhen tui` in a real terminal (tmux), typed at like a person would."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from zhen.text.normalize import to_traditional

TMUX = shutil.which("tmux")
# A real terminal: tmux runs `zhen tui` as its own process.
pytestmark = [
    pytest.mark.skipif(TMUX is None, reason="tmux is not installed"),
    pytest.mark.subprocess,
    pytest.mark.slow,
]

DEADLINE_SECONDS = 180.0
"""Generous: the first run creates and seeds the database before the first search."""


class TmuxSession:
    """One detached tmux session on a private server socket (away from the user's tmux)."""

    def __init__(self, socket: Path, name: str) -> None:
        self.socket = socket
        self.name = name

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(TMUX), "-S", str(self.socket), *args],
            capture_output=True,
            text=True,
            timeout=30,
            check=check,
        )

    def start(self, width: int, height: int, command: list[str]) -> None:
        self.run(
            "new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height), *command
        )

    def send(self, *keys: str, literal: bool = False) -> None:
        self.run("send-keys", "-t", self.name, *(["-l"] if literal else []), *keys)

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.name).stdout

    def wait_for_text(self, text: str, deadline: float) -> str:
        """Poll the pane until `text` shows up; fail with the last screen at the deadline."""
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.25)
        raise AssertionError(f"{text!r} never appeared; last screen:\n{screen}")

    def kill(self) -> None:
        self.run("kill-server", check=False)


def quit_from_results(session: TmuxSession, deadline: float) -> None:
    """↓ into the results, then q — again if a loaded machine let the q reach the search box.

    Focus moves on the app's next message cycle, so a person's q right after ↓ can still be
    typed into the query; like that person, we delete it and try once more.
    """
    for attempt in range(3):
        session.send("Down")
        time.sleep(0.5 * (attempt + 1))
        session.send("q")
        try:
            session.wait_for_text("zhen exited with status 0", min(deadline, time.monotonic() + 15))
            return
        except AssertionError:
            session.send("BSpace")
    session.wait_for_text("zhen exited with status 0", deadline)


def zhen_script() -> Path:
    """The `zhen` console script installed beside this interpreter."""
    script = Path(sys.executable).with_name("zhen")
    if not script.exists():
        pytest.skip(f"no installed zhen console script at {script}")
    return script


def zhen_tui_command(tmp_path: Path) -> list[str]:
    """`zhen tui` on a fresh data directory, sized by its terminal (not by the COLUMNS and
    LINES a test plugin may have set); the shell stays after zhen exits, so the pane shows its
    exit status (or a traceback)."""
    return [
        "sh",
        "-c",
        '"$@"; echo "zhen exited with status $?"; sleep 600',
        "sh",
        "env",
        "-u",
        "ZHEN_DB",
        "-u",
        "COLUMNS",
        "-u",
        "LINES",
        f"XDG_DATA_HOME={tmp_path / 'xdg-data'}",
        "TERM=xterm-256color",
        "LANG=C.UTF-8",
        str(zhen_script()),
        "tui",
    ]


@contextmanager
def tui_started(
    tmp_path: Path, name: str, width: int, height: int
) -> Iterator[tuple[TmuxSession, float]]:
    """`zhen tui` in a fresh tmux session, once its search box is up: (session, deadline)."""
    session = TmuxSession(tmp_path / "tmux.sock", name)
    session.start(width, height, zhen_tui_command(tmp_path))
    try:
        deadline = time.monotonic() + DEADLINE_SECONDS
        session.wait_for_text("Start typing", deadline)
        yield session, deadline
    finally:
        session.kill()


def test_traditional_query_in_a_real_terminal(tmp_path: Path) -> None:
    with tui_started(tmp_path, "zhen-tui", 100, 30) as (session, deadline):
        # 同志加兄弟 is written the same in both scripts; 情谊 is not (情誼).
        query = to_traditional("越中情谊深、同志加兄弟")
        assert "誼" in query
        session.send(query, literal=True)
        screen = session.wait_for_text("camaraderie plus brotherhood", deadline)
        assert query in screen, "the Traditional query stays in the search box"
        quit_from_results(session, deadline)


@pytest.mark.parametrize(("width", "height"), [(80, 24), (120, 35)])
def test_review_fits_the_terminal(tmp_path: Path, width: int, height: int) -> None:
    with tui_started(tmp_path, "zhen-review", width, height) as (session, deadline):
        # ↓ into the results, then r; again if a loaded machine let the r reach the search box.
        for attempt in range(3):
            session.send("Down")
            time.sleep(0.5 * (attempt + 1))
            session.send("r")
            try:
                session.wait_for_text("Review proposed terms", time.monotonic() + 15)
                break
            except AssertionError:
                session.send("BSpace")
        session.wait_for_text("Luong Cuong", deadline)
        screen = session.wait_for_text("u Undo", deadline)
        footer = screen.rstrip("\n").splitlines()[-1]
        for key in ("a Accept", "r Reject", "u Undo", "^q Quit", "F1 Help"):
            assert key in footer, footer
        if width >= 120:
            assert "President of the People's Republic of China" in screen, screen
        session.send("C-q")
        session.wait_for_text("zhen exited with status 0", deadline)


def test_sigterm_quits_and_gives_the_terminal_back(tmp_path: Path) -> None:
    # `kill` or a closed terminal: the app quits as ^q does, so the screen is the shell's again,
    # and then says why in one line, exit 143.
    with tui_started(tmp_path, "zhen-sigterm", 100, 30) as (session, deadline):
        shell = int(session.run("display-message", "-p", "-t", session.name, "#{pane_pid}").stdout)
        zhen = int(Path(f"/proc/{shell}/task/{shell}/children").read_text().split()[0])
        os.kill(zhen, signal.SIGTERM)
        screen = session.wait_for_text("zhen exited with status 143", deadline)
        assert "zhen: stopped by SIGTERM" in screen
        assert "Start typing" not in screen and "^q Quit" not in screen, screen

"""Stopping `zhen glossary extract` mid-run: SIGTERM (kill, timeout, a CI job's cancel) stops it
as Ctrl-C does — its workers end and its scratch files go — and a command killed outright
leaves no worker behind. Real processes on the whole TICO-19 TMX, signals sent from outside."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.paths import REPO_ROOT, third_party
from zhen.cli.signals import Stopped, stopping_cleanly
from zhen.glossary.extract import stream
from zhen.processes import process_identity

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")


def _workers(pid: int) -> list[int]:
    """The pool workers (spawned interpreters) the process `pid` started."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue
        if parent == pid and b"spawn_main" in command:
            found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def _extract_until_workers_run(tmp_path: Path) -> tuple[subprocess.Popen[bytes], list[int]]:
    tico = third_party("data", "tico19", "all.en-zh.tmx")
    env = {**os.environ, "TMPDIR": str(tmp_path), "PYTHONPATH": str(REPO_ROOT / "src")}
    command = [sys.executable, "-m", "zhen", "glossary", "extract", str(tico), "--workers", "2"]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=tmp_path
    )
    # Both workers started and the scratch folder made: the run is under way.
    running = _wait_for(
        lambda: len(_workers(process.pid)) == 2 and any(tmp_path.glob("zhen-extract-*")), 120
    )
    workers = _workers(process.pid)
    if not running:
        process.kill()
        pytest.fail(f"extraction did not start its workers: {process.communicate()[1]!r}")
    return process, workers


def test_sigterm_stops_extraction_with_one_line_and_leaves_nothing_behind(tmp_path):
    process, workers = _extract_until_workers_run(tmp_path)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 128 + signal.SIGTERM
    # Progress lines end in a carriage return; the last line is the one that counts.
    assert stderr.decode().replace("\r", "\n").split("\n")[-2] == "zhen: stopped by SIGTERM"
    assert b"Traceback" not in stderr
    assert not list(tmp_path.glob("zhen-extract-*"))  # its scratch files went with it
    assert _wait_for(lambda: not any(map(_alive, workers)), 10)


def test_a_command_killed_outright_leaves_no_worker_and_the_next_run_removes_its_folder(
    tmp_path,
):
    process, workers = _extract_until_workers_run(tmp_path)
    process.kill()  # SIGKILL: no cleanup can run in the command itself
    process.communicate(timeout=60)
    # Idle pool workers would wait for work forever, holding their memory; these notice.
    assert _wait_for(lambda: not any(map(_alive, workers)), 10)
    # What no process can do for itself: its scratch folder stays …
    (left,) = tmp_path.glob("zhen-extract-*")
    # … until the next extraction removes it, and says so. A folder naming a process that
    # runs (this one), and one naming none, are not its to judge.
    live = tmp_path / "zhen-extract-live"
    live.mkdir()
    (live / "owner").write_text(process_identity())
    unmarked = tmp_path / "zhen-extract-unmarked"
    unmarked.mkdir()
    seeds = REPO_ROOT / "tests" / "data" / "extract_expected" / "xinhua.tmx"
    env = {**os.environ, "TMPDIR": str(tmp_path), "PYTHONPATH": str(REPO_ROOT / "src")}
    done = subprocess.run(
        [sys.executable, "-m", "zhen", "glossary", "extract", str(seeds), "--workers", "1"],
        env=env,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "zhen: removed 1 scratch folder(s) of extraction runs that were killed" in done.stderr
    assert left.name in done.stderr
    assert sorted(tmp_path.glob("zhen-extract-*")) == [live, unmarked]


def test_of_two_runs_removing_an_abandoned_folder_at_once_only_one_says_so(tmp_path):
    # The owner file names a process that has ended.
    ended = subprocess.run(
        [sys.executable, "-c", "from zhen.processes import process_identity as p; print(p())"],
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT / "src")},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    left = tmp_path / "zhen-extract-left"
    (left / "inside").mkdir(parents=True)
    (left / "owner").write_text(ended)
    (left / "inside" / "tokens").write_bytes(b"x" * 1000)
    # Both runs list the folder before either removes it.
    first_seen, second_seen = stream.abandoned_folders(tmp_path), stream.abandoned_folders(tmp_path)
    assert [path for path, _ in first_seen] == [left]
    assert stream._remove(first_seen) == first_seen
    assert stream._remove(second_seen) == []
    assert not list(tmp_path.iterdir())


def test_a_signal_inside_raises_stopped_and_the_handlers_are_put_back():
    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(Stopped) as stopped, stopping_cleanly():
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)  # the handler raises before this ends
    assert stopped.value.name == "SIGTERM"
    assert signal.getsignal(signal.SIGTERM) == before

"""Whether a process named earlier still runs (zhen.processes): real processes, started and
ended here; only a process known to be gone counts as gone."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from zhen import processes

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")

_NAMES_ITSELF = "from zhen.processes import process_identity; print(process_identity())"


def test_this_process_runs():
    assert processes.is_running(processes.process_identity())


def test_a_process_that_ended_is_gone():
    identity = subprocess.run(
        [sys.executable, "-c", _NAMES_ITSELF], capture_output=True, text=True, check=True
    ).stdout.strip()
    pid = int(identity.split()[0])
    assert pid > 0 and identity.split()[1] != "-"
    assert not processes.is_running(identity)


def test_a_reused_process_id_is_not_its_old_process():
    pid, started, namespace = processes.process_identity().split()
    assert not processes.is_running(f"{pid} {int(started) - 1} {namespace}")


@pytest.mark.parametrize(
    "identity",
    ["", "garbage", "12 34", "-1 5 -", "1 2 pid:[0]"],  # unreadable, or another PID namespace
)
def test_what_cannot_be_told_counts_as_running(identity):
    assert processes.is_running(identity)


def test_a_process_on_another_host_or_boot_counts_as_running():
    identity = subprocess.run(
        [sys.executable, "-c", _NAMES_ITSELF], capture_output=True, text=True, check=True
    ).stdout.strip()
    pid, started, where = identity.split()
    assert not processes.is_running(identity)
    assert processes.is_running(f"{pid} {started} elsewhere{where}")


def test_a_process_named_in_bytes_that_are_no_text_is_judged_all_the_same():
    renamed = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; open('/proc/self/comm', 'wb').write(b'\\xff\\xfe)z');"
            "print(flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
    )
    try:
        assert renamed.stdout is not None
        renamed.stdout.readline()  # renamed by now
        assert b"\xff" in Path(f"/proc/{renamed.pid}/comm").read_bytes()
        stat = Path(f"/proc/{renamed.pid}/stat").read_bytes().rsplit(b")", 1)[1].split()
        _, _, where = processes.process_identity().split()
        assert processes.is_running(f"{renamed.pid} {stat[19].decode()} {where}")
    finally:
        renamed.kill()
        renamed.wait()
    time.sleep(0.1)
    assert not processes.is_running(f"{renamed.pid} {stat[19].decode()} {where}")

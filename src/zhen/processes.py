"""Worker processes that end with the process that started them, however that one ends; and
whether a process named earlier still runs (whose scratch files may go)."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from pathlib import Path


def start_pool_worker() -> None:
    """A pool worker's start (the pool's `initializer`): Ctrl-C reaches the whole process group,
    and the command that started the pool handles it — cancels what is queued, waits for what
    is running, removes its scratch files — so the worker ignores it instead of dying with a
    traceback of its own; and the worker ends with the command (end_with_parent)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    end_with_parent()


def end_with_parent() -> None:
    """Start a watch, in a worker process, that ends the worker as soon as the process that
    started it is gone: a parent killed outright (SIGKILL, the out-of-memory killer) cannot
    shut its pool down, and an idle pool worker would otherwise wait for work forever, holding
    its memory. Pass it as a pool's `initializer` (or call it from one)."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return  # not a multiprocessing child: nothing to watch

    def watch() -> None:
        parent.join()  # returns when the parent's end of the sentinel pipe closes
        os._exit(1)  # no cleanup to run: the work was the parent's, and it is gone

    threading.Thread(target=watch, name="end-with-parent", daemon=True).start()


def _pid_namespace() -> str:
    """This process's PID namespace ("" where there is none to read): a process ID means
    nothing outside its namespace (another container sharing the temporary folder)."""
    try:
        return os.readlink("/proc/self/ns/pid")
    except OSError:
        return ""


def _started(pid: int) -> str | None:
    """When the process `pid` started, in clock ticks since boot (Linux's /proc), "" where the
    system does not say, or None when no such process runs (a zombie counts as gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return None if fields[0] == "Z" else fields[19]
    except FileNotFoundError:
        if Path("/proc/self/stat").exists():
            return None
    except (OSError, IndexError):
        return ""
    try:  # no /proc: whether the ID is in use is all there is to know
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        return ""
    return ""


def process_identity() -> str:
    """This process, named so that is_running can tell later whether it still runs: its ID,
    when it started (an ID is reused once its process is gone) and its PID namespace."""
    return f"{os.getpid()} {_started(os.getpid()) or '-'} {_pid_namespace() or '-'}"


def is_running(identity: str) -> bool:
    """Whether the process process_identity named still runs; True whenever that cannot be
    told (another PID namespace, an identity it did not write): only a process known to be
    gone counts as gone."""
    try:
        pid_text, started, namespace = identity.split()
        pid = int(pid_text)
    except ValueError:
        return True
    if pid <= 0 or namespace != (_pid_namespace() or "-"):
        return True
    now = _started(pid)
    if now is None:
        return False
    return started == "-" or now == "" or now == started

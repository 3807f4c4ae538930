"""Worker processes that end with the process that started them, however that one ends; and
whether a process named earlier still runs (whose scratch files may go)."""

from __future__ import annotations

import multiprocessing
import os
import signal
import socket
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


def _proc_is_ours() -> bool:
    """Whether /proc describes this process's own PID namespace (not so in a namespace made
    without mounting its own /proc): only then do its entries say which processes run here."""
    try:
        return os.readlink("/proc/self") == str(os.getpid())
    except OSError:
        return False


def _where() -> str:
    """This machine and boot, and this process's PID namespace: a process ID means nothing on
    another host sharing the temporary folder, after a reboot, or in another container."""
    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError):
        boot = ""
    try:
        namespace = os.readlink("/proc/self/ns/pid")
    except OSError:
        namespace = ""
    return "/".join("".join(part.split()) for part in (socket.gethostname(), boot, namespace))


def _started(pid: int) -> str | None:
    """When the process `pid` started, in clock ticks since boot (Linux's /proc); "" where that
    cannot be told, None when no such process runs here (a zombie counts as gone)."""
    if not _proc_is_ours():
        return ""  # no /proc to trust (and os.kill(pid, 0) is a Ctrl-C event on Windows)
    try:
        fields = Path(f"/proc/{pid}/stat").read_bytes().rsplit(b")", 1)[1].split()
        return None if fields[0] == b"Z" else fields[19].decode("ascii")
    except FileNotFoundError:
        return None
    except (OSError, IndexError, UnicodeDecodeError):
        return ""


def process_identity() -> str:
    """This process, named so that is_running can tell later whether it still runs: its ID,
    when it started (an ID is reused once its process is gone), and where it runs (_where)."""
    return f"{os.getpid()} {_started(os.getpid()) or '-'} {_where()}"


def is_running(identity: str) -> bool:
    """Whether the process process_identity named still runs; True whenever that cannot be
    told (another host, boot or PID namespace, no /proc, an identity it did not write): only a
    process known to be gone counts as gone."""
    try:
        pid_text, started, where = identity.split()
        pid = int(pid_text)
    except ValueError:
        return True
    if pid <= 0 or started == "-" or where != _where():
        return True
    now = _started(pid)
    if now is None:
        return False
    return now == "" or now == started

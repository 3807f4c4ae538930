"""Worker processes that end with the process that started them, however that one ends."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading


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

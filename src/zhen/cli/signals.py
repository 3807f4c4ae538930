"""SIGTERM and SIGHUP stop a command as Ctrl-C does: its cleanup runs, one line says why."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

# What `kill`, `timeout`, a CI job's cancel and a closed terminal send. By default they end the
# process on the spot: no `finally`, so scratch files stay, a pool's workers are never told,
# and a database zhen was creating is left half made.
_STOPPING = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


class Stopped(BaseException):
    """A signal asked the command to stop. Like KeyboardInterrupt, not an Exception: no
    `except Exception` on the way out may swallow it."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        self.name = signal.Signals(signum).name
        super().__init__(self.name)


@contextmanager
def stopping_cleanly() -> Iterator[None]:
    """While inside, SIGTERM and SIGHUP raise Stopped in the main thread (elsewhere signals
    cannot be handled: nothing changes). A second signal while the first unwinds ends the
    process at once, as before."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: FrameType | None) -> None:
        for number in _STOPPING:
            signal.signal(number, signal.SIG_DFL)
        raise Stopped(signum)

    previous = {number: signal.signal(number, stop) for number in _STOPPING}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)

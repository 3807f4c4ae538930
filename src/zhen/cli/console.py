"""What every command shows on the terminal: when output is coloured, and progress bars (Rich)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TextIO

from zhen.text.safetext import visible
from zhen.text.styled import Fragment, render

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

COLOR_MODES = ("auto", "always", "never")
_COLOR_HELP = (
    "colour the output: auto (on a terminal, unless NO_COLOR is set), always (even through a "
    "pipe or with NO_COLOR), never (default: auto)"
)

# Set by `zhen.cli.main` from --color for each run.
_color_mode = "auto"
# None: a stream is a terminal when it says so (isatty); True/False overrides that, as Rich's
# `force_terminal` does, so that tests can see terminal output in captured streams.
_force_terminal: bool | None = None


def add_color_option(parser: argparse.ArgumentParser, *, top_level: bool) -> None:
    """`--color auto|always|never`; below the top level it is only set when given, so that
    `zhen --color never lookup X` is not undone by the subcommand's default."""
    parser.add_argument(
        "--color",
        choices=COLOR_MODES,
        default="auto" if top_level else argparse.SUPPRESS,
        help=_COLOR_HELP if top_level else "when to colour: auto, always or never (see zhen -h)",
    )


def set_color_mode(mode: str) -> None:
    """Use `mode` (one of COLOR_MODES) for the output from now on."""
    global _color_mode
    if mode not in COLOR_MODES:
        raise ValueError(f"colour mode {mode!r} is not one of {COLOR_MODES}")
    _color_mode = mode


def force_terminal(value: bool | None) -> None:
    """Treat every stream as a terminal (True), as none (False), or ask the stream (None)."""
    global _force_terminal
    _force_terminal = value


def is_terminal(stream: TextIO) -> bool:
    """Whether `stream` is an interactive terminal (or is to be treated as one)."""
    if _force_terminal is not None:
        return _force_terminal
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


def use_colour(stream: TextIO) -> bool:
    """Whether to colour what goes to `stream`.

    `auto` colours a terminal only, and not when NO_COLOR is set to anything but the empty
    string (https://no-color.org) or TERM is "dumb". `always` colours even then: no-color.org
    asks that a command-line option override NO_COLOR. `never` never colours.
    """
    if _color_mode != "auto":
        return _color_mode == "always"
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return is_terminal(stream)


def write(stream: TextIO, fragments: Iterable[Fragment]) -> None:
    """Write the fragments to `stream`, their styles in colour if `use_colour(stream)`."""
    stream.write(render(fragments, colour=use_colour(stream)))


class ProgressBar:
    """A transient progress bar on a terminal stderr; on anything else it does nothing.

    Rich draws it, loaded only when a bar is really shown. Updates for fewer than `min_total`
    items are ignored, so that short inputs, done in a blink, never flash a bar.
    """

    def __init__(self, label: str, *, min_total: int = 0, stream: TextIO | None = None) -> None:
        self._label = label
        self._min_total = min_total
        self._stream = stream or sys.stderr
        self._enabled = is_terminal(self._stream)
        self._shown: tuple[Progress, TaskID] | None = None

    def update(self, done: float, total: float, detail: str = "") -> None:
        """Show `done` of `total` (any unit: items, bytes) and a line of detail after the bar."""
        if not self._enabled or total < self._min_total:
            return
        if self._shown is None:
            self._shown = self._start()
        progress, task = self._shown
        # The detail may name an input file: escaped, and shown as text, never as markup.
        progress.update(task, completed=done, total=total, detail=visible(detail))

    def _start(self) -> tuple[Progress, TaskID]:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn

        colour = use_colour(self._stream)
        console = Console(
            file=self._stream,
            force_terminal=True,
            # Decided above, by our policy: Rich would otherwise read NO_COLOR itself.
            color_system="standard" if colour else None,
            no_color=not colour,
            highlight=False,
        )
        progress = Progress(
            TextColumn(self._label, markup=False),
            BarColumn(),
            TaskProgressColumn(),
            TextColumn("{task.fields[detail]}", markup=False),
            console=console,
            transient=True,
            # The command's own output must not be captured while the bar is shown.
            redirect_stdout=False,
            redirect_stderr=False,
        )
        task = progress.add_task(self._label, detail="")
        progress.start()
        return progress, task

    def close(self) -> None:
        """Remove the bar (if one was drawn)."""
        if self._shown is not None:
            self._shown[0].stop()
            self._shown = None


@contextmanager
def progress_bar(label: str, *, min_total: int = 0) -> Iterator[ProgressBar]:
    """A `ProgressBar` on stderr, removed when the block ends, however it ends."""
    bar = ProgressBar(label, min_total=min_total)
    try:
        yield bar
    finally:
        bar.close()

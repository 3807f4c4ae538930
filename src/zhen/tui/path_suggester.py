"""Completes file-system paths in an Input, like a shell's tab completion."""

from __future__ import annotations

import os
from pathlib import Path
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.suggester import Suggester
from textual.widgets import Input


class PathSuggester(Suggester):
    """Suggests the first directory entry that extends what has been typed."""

    def __init__(self) -> None:
        # Paths are case-sensitive, and the directory may change between calls.
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        if not value or value.endswith("~"):
            return None
        head, prefix = os.path.split(os.path.expanduser(value))
        folder = Path(head) if head else Path(".")
        try:
            names = sorted(
                entry.name for entry in os.scandir(folder) if entry.name.startswith(prefix)
            )
        except OSError:
            return None
        visible = [name for name in names if not name.startswith(".") or prefix.startswith(".")]
        if not visible:
            return None
        name = visible[0]
        completed = value[: len(value) - len(prefix)] + name
        if (folder / name).is_dir():
            completed += os.sep
        return completed if completed != value else None


def is_readable_file(value: str) -> bool:
    """Whether `value` names an existing file (after expanding ~)."""
    return Path(value).expanduser().is_file()


class PathInput(Input):
    """A file path field: → or tab accepts the completion shown; tab without one moves on."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "complete_or_next", "Complete the path", show=False),
    ]

    def action_complete_or_next(self) -> None:
        if self.cursor_at_end and self._suggestion and self._suggestion != self.value:
            self.action_cursor_right()
        else:
            self.screen.focus_next()

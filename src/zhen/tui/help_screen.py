"""The help modal: every key binding, read from the screens themselves so it cannot go stale."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from zhen.tui.formatting import DIM, LABEL

INTRO = (
    "Type in the search box: Chinese (Simplified or Traditional) or English. Results follow as "
    "you type: Glossary terms, TM matches with their match % (green 100, 95–99, amber 75–94, "
    "red below) and Concordance (the query inside longer sentences). ↓ or enter moves into the "
    "results, / or esc back to the search box. ctrl+p opens the command palette (themes too)."
)


class HelpScreen(ModalScreen[None]):
    """Shows the bindings of the app, the lookup, review, check screens and the term editor."""

    CSS_PATH = "help_screen.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,f1,q", "dismiss", "Close", id="help.close"),
    ]

    def __init__(self, sections: Sequence[tuple[str, Sequence[BindingType]]]) -> None:
        # The app hands in its screens' bindings, so this module never imports the app.
        super().__init__()
        self._sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-dialog") as dialog:
            dialog.border_title = "zhen — keys"
            dialog.border_subtitle = "esc closes"
            yield Static(Content(INTRO), id="help-intro")
            yield Static(self._bindings_table(), id="help-bindings")

    def _bindings_table(self) -> Content:
        lines: list[Content] = []
        for title, bindings in self._sections:
            lines.append(Content.styled(title, LABEL))
            for binding in bindings:
                if not isinstance(binding, Binding) or not binding.description:
                    continue
                # The first key as the footer shows it (`F1`), the others as Textual names them.
                keys = " / ".join(
                    binding.key_display
                    if index == 0 and binding.key_display
                    else self.app.get_key_display(Binding(key, ""))
                    for index, key in enumerate(binding.key.split(","))
                )
                lines.append(
                    Content.assemble((f"  {keys:<16}", "bold $text-accent"), binding.description)
                )
            lines.append(Content(""))
        lines.append(Content.styled("Footer keys greyed out need a selected result first.", DIM))
        return Content("\n").join(lines)

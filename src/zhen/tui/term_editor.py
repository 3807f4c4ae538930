"""The term editor modal: add a term from a pair, or edit, approve or reject an existing one."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.validation import Function, ValidationResult, Validator
from textual.widgets import Button, Input, Label, Select, Static

from zhen.database import Database
from zhen.models import TERM_STATUSES, StoredTerm, Term, TermStatus
from zhen.text.normalize import has_cjk
from zhen.text.safetext import clean_text
from zhen.tui.database import TuiDatabase
from zhen.tui.errors import describe_error
from zhen.tui.formatting import literal

RENDERING_SEPARATOR = "|"
# Whether `zhen check` requires the term in drafts; lookup-only suits everyday references.
_CHECK_OPTIONS = [("required by zhen check", True), ("lookup-only (not checked)", False)]


def split_renderings(text: str) -> list[str]:
    """`a | b | c` → ["a", "b", "c"], dropping empty pieces."""
    return [piece.strip() for piece in text.split(RENDERING_SEPARATOR) if piece.strip()]


class TermEditor(ModalScreen[StoredTerm | None]):
    """Edits a copy of a term; dismisses with the saved entry, or None when cancelled."""

    CSS_PATH = "term_editor.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="term.save"),
        Binding("ctrl+y", "save_as('approved')", "Approve", id="term.approve"),
        Binding("ctrl+r", "save_as('rejected')", "Reject", id="term.reject"),
        Binding("escape", "cancel", "Cancel", id="term.cancel"),
    ]

    class Saved(Message):
        """The worker stored the term."""

        def __init__(self, term: StoredTerm) -> None:
            super().__init__()
            self.term = term

    class Failed(Message):
        """The worker could not store the term; the form stays open with its contents."""

        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    def __init__(
        self,
        term: Term,
        *,
        database: TuiDatabase,
        is_new: bool,
        context: tuple[Content, Content] | None = None,
        save: Callable[[Database, StoredTerm], StoredTerm] | None = None,
    ) -> None:
        super().__init__()
        self.term = term
        self.database = database
        self.is_new = is_new
        self.context = context
        """The sentence pair the term is taken from, shown for reference."""
        self.save = save
        """How the edited term is stored (in a worker) instead of a plain add or update."""

    def compose(self) -> ComposeResult:
        title = "Add a term" if self.is_new else f"Edit term #{self.term.id}"
        not_empty = Function(lambda value: bool(value.strip()), "may not be empty")
        start = self._starting_values()
        with Vertical(id="term-dialog") as dialog:
            dialog.border_title = title
            if self.context is not None:
                yield Static(
                    Content("\n").join(self.context),
                    id="term-context",
                )
            with Grid(id="term-fields"):
                yield Label("中文 term", id="term-zh-label")
                yield Input(
                    compact=True,
                    value=start["term-zh"],
                    id="term-zh",
                    validators=[not_empty, Function(has_cjk, "must contain Chinese characters")],
                )
                yield Label("English", id="term-en-label")
                yield Input(
                    compact=True,
                    value=start["term-en"],
                    id="term-en",
                    placeholder="the English rendering",
                    validators=[not_empty, _NoChinese()],
                )
                yield Label("Variants", id="term-variants-label")
                yield Input(
                    compact=True,
                    value=start["term-variants"],
                    id="term-variants",
                    placeholder="other acceptable renderings, separated by |",
                )
                yield Label("Forbidden", id="term-forbidden-label")
                yield Input(
                    compact=True,
                    value=start["term-forbidden"],
                    id="term-forbidden",
                    placeholder="renderings to flag in drafts, separated by |",
                )
                yield Label("Note", id="term-note-label")
                yield Input(
                    compact=True,
                    value=start["term-note"],
                    id="term-note",
                    placeholder="usage, context",
                )
                yield Label("Status", id="term-status-label")
                yield Select(
                    compact=True,
                    options=[(status, status) for status in TERM_STATUSES],
                    value=self.term.status if self.term.status in TERM_STATUSES else "approved",
                    allow_blank=False,
                    id="term-status",
                )
                yield Label("In drafts", id="term-checked-label")
                yield Select(
                    compact=True,
                    options=_CHECK_OPTIONS,
                    value=self.term.checked,
                    allow_blank=False,
                    id="term-checked",
                )
            yield Static("", id="term-error")
            with Horizontal(id="term-buttons"):
                yield Button(compact=True, label="Save", variant="primary", id="term-save-button")
                if not self.is_new:
                    yield Button(
                        compact=True, label="Approve", variant="success", id="term-approve-button"
                    )
                    yield Button(
                        compact=True, label="Reject", variant="error", id="term-reject-button"
                    )
                yield Button(compact=True, label="Cancel", id="term-cancel-button")
            hint = "ctrl+s save · esc cancel"
            if not self.is_new:
                hint = "ctrl+s save · ctrl+y approve · ctrl+r reject · esc cancel"
            yield Static(hint, id="term-hint")

    def on_mount(self) -> None:
        self.query_one("#term-en" if self.term.zh else "#term-zh", Input).focus()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Mark the label of the field being typed in: compact fields show no focus of their own."""
        for label in self.query("#term-fields Label"):
            label.set_class(label.id == f"{event.widget.id}-label", "current")

    def _starting_values(self) -> dict[str, str]:
        """The text fields' first values: the term's, without control characters.

        An input field paints what it holds, so an escape sequence stored by an older zhen
        would reach the terminal; saving the form drops it, as an import does now.
        """
        values = {
            "term-zh": self.term.zh,
            "term-en": self.term.en,
            "term-variants": " | ".join(self.term.variants),
            "term-forbidden": " | ".join(self.term.forbidden),
            "term-note": self.term.note or "",
        }
        return {widget_id: clean_text(value)[0] for widget_id, value in values.items()}

    @property
    def is_dirty(self) -> bool:
        """Whether the form differs from the term it was opened with."""
        changed = any(
            self.query_one(f"#{widget_id}", Input).value.strip() != value
            for widget_id, value in self._starting_values().items()
        )
        return changed or self.query_one("#term-checked", Select).value != self.term.checked

    def form_term(self) -> Term | None:
        """The term as edited, or None (with the reason shown) when a field is invalid."""
        problems = [
            f"{field_name}: {'; '.join(result.failure_descriptions)}"
            for field_name, result in self._validations()
            if not result.is_valid
        ]
        if problems:
            self._show_error(" · ".join(problems))
            return None
        return dataclasses.replace(
            self.term,
            zh=self._value("term-zh"),
            en=self._value("term-en"),
            variants=split_renderings(self._value("term-variants")),
            forbidden=split_renderings(self._value("term-forbidden")),
            note=self._value("term-note") or None,
            status=TermStatus(str(self.query_one("#term-status", Select).value)),
            checked=bool(self.query_one("#term-checked", Select).value),
        )

    def action_save(self) -> None:
        term = self.form_term()
        if term is not None:
            self._store(term)

    def action_save_as(self, status: str) -> None:
        self.query_one("#term-status", Select).value = status
        self.action_save()

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#term-save-button")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#term-approve-button")
    def _approve_pressed(self) -> None:
        self.action_save_as("approved")

    @on(Button.Pressed, "#term-reject-button")
    def _reject_pressed(self) -> None:
        self.action_save_as("rejected")

    @on(Button.Pressed, "#term-cancel-button")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    @work(thread=True, exclusive=True, group="term-save")
    def _store(self, term: Term) -> None:
        try:
            with self.database.writing() as db:
                saved: StoredTerm
                # An entry read from the store is updated; anything else is a new one.
                if isinstance(term, StoredTerm) and not self.is_new:
                    saved = db.update_term(term) if self.save is None else self.save(db, term)
                else:
                    saved = db.add_term(term)
        except Exception as exc:  # keep the form open so nothing typed is lost
            self.post_message(self.Failed(describe_error(exc)))
            return
        self.post_message(self.Saved(saved))

    def on_term_editor_saved(self, message: Saved) -> None:
        self.dismiss(message.term)

    def on_term_editor_failed(self, message: Failed) -> None:
        self._show_error(message.error)

    def _validations(self) -> list[tuple[str, ValidationResult]]:
        results = []
        for widget_id, field_name in (("term-zh", "中文 term"), ("term-en", "English")):
            result = self.query_one(f"#{widget_id}", Input).validate(self._value(widget_id))
            if result is not None:
                results.append((field_name, result))
        return results

    def _value(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value.strip()

    def _show_error(self, text: str) -> None:
        self.query_one("#term-error", Static).update(literal(text))
        self.query_one("#term-error", Static).add_class("visible")


class _NoChinese(Validator):
    """The English rendering must not be Chinese (a swapped pair is the usual slip)."""

    def validate(self, value: str) -> ValidationResult:
        if has_cjk(value):
            return self.failure("must be English, not Chinese")
        return self.success()

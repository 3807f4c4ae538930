"""The review screen: proposed terms, accepted, rejected or edited with single keys."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from zhen.models import StoredTerm
from zhen.text.safetext import visible
from zhen.tui.detail_pane import DetailPane
from zhen.tui.errors import describe_error
from zhen.tui.formatting import DIM, LABEL
from zhen.tui.term_editor import TermEditor

if TYPE_CHECKING:
    from zhen.tui.app import ZhenApp

# Widths keep every column on an 80-column screen; the pane below shows each entry in full.
COLUMNS = (("中文", 16), ("English", 30), ("Variants", 16), ("Note", 24))


class ReviewScreen(Screen[None]):
    """Walks the proposed terms; each decision is saved at once."""

    CSS_PATH = "review_screen.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "decide('approved')", "Accept", id="review.accept"),
        Binding("x", "decide('rejected')", "Reject", id="review.reject"),
        Binding("e", "edit", "Edit", id="review.edit"),
        Binding("g", "reload", "Reload", id="review.reload"),
        Binding("escape", "app.pop_screen", "Back", id="review.back"),
    ]

    class Loaded(Message):
        """The proposed terms were read (or could not be)."""

        def __init__(self, terms: list[StoredTerm], error: str | None = None) -> None:
            super().__init__()
            self.terms = terms
            self.error = error

    class Decided(Message):
        """A term's status was changed (or could not be)."""

        def __init__(self, term: StoredTerm, status: str, error: str | None = None) -> None:
            super().__init__()
            self.term = term
            self.status = status
            self.error = error

    def __init__(self) -> None:
        super().__init__()
        self.terms: dict[str, StoredTerm] = {}
        self.accepted = 0
        self.rejected = 0
        self.loaded = False

    @property
    def zhen(self) -> ZhenApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="review-counts")
        table: DataTable[Text] = DataTable(id="review-table", cursor_type="row", zebra_stripes=True)
        table.border_title = "Proposed terms"
        yield table
        yield Static("", id="review-empty")
        detail = DetailPane(id="review-detail")
        detail.border_title = "Term"
        yield detail
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.sub_title = "Review proposed terms"
        table = self.query_one(DataTable)
        for label, width in COLUMNS:
            table.add_column(label, width=width)
        self._update_counts()
        self.action_reload()

    def action_reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="review-load")
    def _load(self) -> None:
        try:
            with self.zhen.database.reading() as db:
                terms = db.terms("proposed")
        except Exception as exc:  # shown on screen; the list stays as it was
            self.post_message(self.Loaded([], describe_error(exc)))
            return
        self.post_message(self.Loaded(list(terms)))

    def on_review_screen_loaded(self, message: Loaded) -> None:
        if message.error is not None:
            self.notify(message.error, title="Review", severity="error")
            return
        table = self.query_one(DataTable)
        table.clear()
        self.terms = {}
        for term in message.terms:
            key = str(term.id)
            self.terms[key] = term
            table.add_row(*_row(term), key=key)
        self.loaded = True
        self._update_counts()
        table.focus()

    @on(DataTable.RowHighlighted)
    def _row_highlighted(self) -> None:
        term = self._current_term()
        if term is not None:
            self.query_one(DetailPane).show_entry(term)

    def _current_term(self) -> StoredTerm | None:
        table = self.query_one(DataTable)
        if not self.terms or table.cursor_row < 0 or table.cursor_row >= table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.terms.get(str(key))

    def action_decide(self, status: str) -> None:
        term = self._current_term()
        if term is None:
            self.notify("No proposed term selected.", severity="warning")
            return
        self._set_status(term, status)

    @work(thread=True, group="review-decide")
    def _set_status(self, term: StoredTerm, status: str) -> None:
        try:
            with self.zhen.database.writing() as db:
                db.set_term_status(term.id, status)
        except Exception as exc:  # the row stays, so the decision can be retried
            self.post_message(self.Decided(term, status, describe_error(exc)))
            return
        self.post_message(self.Decided(term, status))

    def on_review_screen_decided(self, message: Decided) -> None:
        if message.error is not None:
            self.notify(message.error, title="Not saved", severity="error")
            return
        self._record_decision(message.term, message.status)

    def action_edit(self) -> None:
        term = self._current_term()
        if term is None:
            self.notify("No proposed term selected.", severity="warning")
            return
        self.app.push_screen(
            TermEditor(term, database=self.zhen.database, is_new=False), self._edited
        )

    def _edited(self, term: StoredTerm | None) -> None:
        if term is None:
            return
        if term.status == "proposed":
            self.terms[str(term.id)] = term
            table = self.query_one(DataTable)
            for column, value in zip(table.ordered_columns, _row(term), strict=True):
                table.update_cell(str(term.id), column.key, value)
        else:
            self._record_decision(term, term.status)

    def _record_decision(self, term: StoredTerm, status: str) -> None:
        key = str(term.id)
        if key in self.terms:
            del self.terms[key]
            self.query_one(DataTable).remove_row(key)
        if status == "approved":
            self.accepted += 1
        elif status == "rejected":
            self.rejected += 1
        self.notify(f"{term.zh} → {term.en}", title="Accepted" if status == "approved" else status)
        self._update_counts()

    def _update_counts(self) -> None:
        counts = Content.assemble(
            (f"{len(self.terms)} proposed", LABEL),
            (f" · {self.accepted} accepted · {self.rejected} rejected this session", DIM),
        )
        self.query_one("#review-counts", Static).update(counts)
        empty = self.query_one("#review-empty", Static)
        if self.loaded and not self.terms:
            self.query_one(DetailPane).show_message(Content.styled("Nothing to review.", DIM))
            empty.update(
                "No proposed terms to review.\n\n"
                "Candidates are proposed by `zhen glossary extract --save`, or added with status "
                "“proposed” from the lookup screen (a). Press esc to go back."
            )
            empty.display = True
        else:
            empty.display = False


def _row(term: StoredTerm) -> tuple[Text, ...]:
    # DataTable measures Rich renderables, so its cells are Rich Text (cell widths for CJK);
    # Text is never parsed as markup, and the escapes of stored controls are made visible.
    return (
        Text(visible(term.zh), style="bold", no_wrap=True, overflow="ellipsis"),
        Text(visible(term.en), no_wrap=True, overflow="ellipsis"),
        Text(visible(" | ".join(term.variants)), no_wrap=True, overflow="ellipsis"),
        Text(visible(term.note or ""), style="dim", no_wrap=True, overflow="ellipsis"),
    )

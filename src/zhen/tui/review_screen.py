"""The review screen: proposed terms, accepted, rejected, edited or skipped with single keys.

Each decision is carried out by the glossary core (`Database.review`), as `zhen glossary
review` does, so both store the same entry and keep the same tally.
"""

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

from zhen.database import Database
from zhen.glossary.review import ReviewTally
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
        Binding("a", "decide('accept')", "Accept", id="review.accept"),
        Binding("x", "decide('reject')", "Reject", id="review.reject"),
        Binding("e", "edit", "Edit", id="review.edit"),
        Binding("s", "decide('skip')", "Skip", id="review.skip"),
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
        """A decision was carried out on a term (or could not be)."""

        def __init__(self, term: StoredTerm, decision: str, error: str | None = None) -> None:
            super().__init__()
            self.term = term
            self.decision = decision
            self.error = error

    def __init__(self) -> None:
        super().__init__()
        self.terms: dict[str, StoredTerm] = {}
        self.tally = ReviewTally()
        """This session's decisions, counted by the core as each is stored."""
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

    def action_decide(self, decision: str) -> None:
        term = self._current_term()
        if term is None:
            self.notify("No proposed term selected.", severity="warning")
            return
        self._decide(term, decision)

    @work(thread=True, group="review-decide")
    def _decide(self, term: StoredTerm, decision: str) -> None:
        try:
            with self.zhen.database.writing() as db:
                stored = db.review(term.id, decision, tally=self.tally)
        except Exception as exc:  # the row stays, so the decision can be retried
            self.post_message(self.Decided(term, decision, describe_error(exc)))
            return
        self.post_message(self.Decided(stored or term, decision))

    def on_review_screen_decided(self, message: Decided) -> None:
        if message.error is not None:
            self.notify(message.error, title="Not saved", severity="error")
        elif message.decision == "skip":
            self.query_one(DataTable).action_cursor_down()
            self._update_counts()
        else:
            self._record_decision(message.term, message.decision)

    def action_edit(self) -> None:
        term = self._current_term()
        if term is None:
            self.notify("No proposed term selected.", severity="warning")
            return
        editor = TermEditor(
            term, database=self.zhen.database, is_new=False, save=self._store_revision
        )
        self.app.push_screen(editor, self._edited)

    def _store_revision(self, db: Database, revision: StoredTerm) -> StoredTerm:
        """The editor's save (in its worker): approving it is the review's edit decision,
        rejecting it a rejection; saved as proposed it stays under review."""
        decision = _EDITOR_DECISIONS.get(revision.status)
        if decision is None:
            return db.update_term(revision)
        stored = db.review(revision.id, decision, revision=revision, tally=self.tally)
        assert stored is not None  # neither decision deletes the entry
        return stored

    def _edited(self, term: StoredTerm | None) -> None:
        if term is None:
            return
        if term.status == "proposed":
            self.terms[str(term.id)] = term
            table = self.query_one(DataTable)
            for column, value in zip(table.ordered_columns, _row(term), strict=True):
                table.update_cell(str(term.id), column.key, value)
        else:
            self._record_decision(term, _EDITOR_DECISIONS[term.status])

    def _record_decision(self, term: StoredTerm, decision: str) -> None:
        key = str(term.id)
        if key in self.terms:
            del self.terms[key]
            self.query_one(DataTable).remove_row(key)
        self.notify(f"{term.zh} → {term.en}", title=_DECIDED_TITLES[decision])
        self._update_counts()

    def _update_counts(self) -> None:
        tally = self.tally
        session = (
            f" · {tally.accepted} accepted · {tally.edited} edited · {tally.rejected} rejected"
            f" · {tally.skipped} skipped this session"
        )
        counts = Content.assemble((f"{len(self.terms)} proposed", LABEL), (session, DIM))
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


# The term editor's approve and reject buttons, as review decisions.
_EDITOR_DECISIONS = {"approved": "edit", "rejected": "reject"}
_DECIDED_TITLES = {"accept": "Accepted", "edit": "Edited and accepted", "reject": "Rejected"}


def _row(term: StoredTerm) -> tuple[Text, ...]:
    # DataTable measures Rich renderables, so its cells are Rich Text (cell widths for CJK);
    # Text is never parsed as markup, and the escapes of stored controls are made visible.
    return (
        Text(visible(term.zh), style="bold", no_wrap=True, overflow="ellipsis"),
        Text(visible(term.en), no_wrap=True, overflow="ellipsis"),
        Text(visible(" | ".join(term.variants)), no_wrap=True, overflow="ellipsis"),
        Text(visible(term.note or ""), style="dim", no_wrap=True, overflow="ellipsis"),
    )

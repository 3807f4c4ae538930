"""The review screen: proposed terms, accepted, rejected, edited or skipped with single keys.

Each decision is carried out by the glossary core (`Database.review`), as `zhen glossary
review` does, with the same keys (`zhen.glossary.review.DECISIONS`), so both store the same
entry and keep the same tally; `u` takes the last decision back (`Database.undo_review`).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import events, on, work
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

COLUMNS = ("中文", "English", "Variants", "Note")
MIN_COLUMN = 8
"""No column is squeezed below this (its heading fits); the pane below shows each entry in full."""
TYPICAL_SHARE = 0.9
"""A column is made as wide as this share of its cells need (the rest end in "…")."""
SCROLLBAR = 2
"""Kept free for the vertical scrollbar, so a long list never scrolls sideways."""


class ReviewScreen(Screen[None]):
    """Walks the proposed terms; each decision is saved at once."""

    CSS_PATH = "review_screen.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        # The keys of `zhen glossary review` (`zhen.glossary.review.DECISIONS`).
        Binding("a", "decide('accept')", "Accept", id="review.accept"),
        Binding("r", "decide('reject')", "Reject", id="review.reject"),
        Binding("e", "edit", "Edit", id="review.edit"),
        Binding("s", "decide('skip')", "Skip", id="review.skip"),
        Binding("u", "undo", "Undo", id="review.undo"),
        Binding("g", "reload", "Reload", show=False, id="review.reload"),
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

        def __init__(
            self,
            term: StoredTerm,
            decision: str,
            error: str | None = None,
            stored: StoredTerm | None = None,
        ) -> None:
            super().__init__()
            self.term = term
            """The entry as it was before the decision."""
            self.decision = decision
            self.error = error
            self.stored = stored or term
            """The entry as stored after it."""

    class Undone(Message):
        """A decision was taken back (or could not be)."""

        def __init__(
            self, before: StoredTerm, decision: str, restored: StoredTerm | None, error: str | None
        ) -> None:
            super().__init__()
            self.before = before
            self.decision = decision
            self.restored = restored
            self.error = error

    def __init__(self) -> None:
        super().__init__()
        self.terms: dict[str, StoredTerm] = {}
        self.tally = ReviewTally()
        """This session's decisions, counted by the core as each is stored."""
        self.taken: list[tuple[StoredTerm, str]] = []
        """Each decision of this session with the entry as it was before it, newest last."""
        self.loaded = False
        self._widths: list[int] = []
        self._select_id: int | None = None

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
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        self.sub_title = "Review proposed terms"
        self._layout_table()
        self._update_counts()
        self.action_reload()

    def on_resize(self, _event: events.Resize) -> None:
        self.call_after_refresh(self._layout_table)

    def _layout_table(self) -> None:
        """Size the columns to the table's width: as wide as their text while it fits, the
        widest giving way first when it does not (the pane below shows each entry in full)."""
        table = self.query_one(DataTable)
        padding = 2 * table.cell_padding * len(COLUMNS)
        available = table.content_region.width - SCROLLBAR - padding
        rows = [_row(term) for term in self.terms.values()]
        natural = [
            max(cell_len(label), _typical([row[index].cell_len for row in rows]))
            for index, label in enumerate(COLUMNS)
        ]
        widths = fit_columns(natural, max(available, MIN_COLUMN * len(COLUMNS)), MIN_COLUMN)
        if widths == self._widths and table.row_count == len(rows):
            return
        self._widths = widths
        # DataTable has no public way to resize a column: the columns and rows are laid again.
        cursor = table.cursor_row
        table.clear(columns=True)
        for label, width in zip(COLUMNS, widths, strict=True):
            table.add_column(label, width=width)
        for key, row in zip(self.terms, rows, strict=True):
            table.add_row(*row, key=key)
        if rows:
            table.move_cursor(row=min(max(cursor, 0), len(rows) - 1))

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
        self.terms = {str(term.id): term for term in message.terms}
        self._widths = []
        self._layout_table()
        if self._select_id is not None and str(self._select_id) in self.terms:
            table.move_cursor(row=list(self.terms).index(str(self._select_id)))
        self._select_id = None
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
        self.post_message(self.Decided(term, decision, stored=stored))

    def on_review_screen_decided(self, message: Decided) -> None:
        if message.error is not None:
            self.notify(message.error, title="Not saved", severity="error")
            return
        self.taken.append((message.term, message.decision))
        if message.decision == "skip":
            self.query_one(DataTable).action_cursor_down()
            self._update_counts()
        else:
            self._record_decision(message.stored, message.decision)

    def action_undo(self) -> None:
        if not self.taken:
            self.notify("Nothing to undo in this session.", severity="warning")
            return
        before, decision = self.taken.pop()
        self._undo(before, decision)

    @work(thread=True, group="review-decide")
    def _undo(self, before: StoredTerm, decision: str) -> None:
        try:
            with self.zhen.database.writing() as db:
                restored = db.undo_review(before, decision, tally=self.tally)
        except Exception as exc:  # the decision stays taken, and can be undone again
            self.post_message(self.Undone(before, decision, None, describe_error(exc)))
            return
        self.post_message(self.Undone(before, decision, restored, None))

    def on_review_screen_undone(self, message: Undone) -> None:
        if message.error is not None or message.restored is None:
            self.taken.append((message.before, message.decision))
            self.notify(message.error or "", title="Not undone", severity="error")
            return
        term = message.restored
        self.notify(f"{term.zh} → {term.en} is proposed again", title="Undone", timeout=3)
        # Read again, so the term returns to its place in the list, with the cursor on it.
        self._select_id = term.id
        self._load()

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
        before = db.term_by_id(revision.id)
        stored = db.review(revision.id, decision, revision=revision, tally=self.tally)
        assert stored is not None  # neither decision deletes the entry
        self.app.call_from_thread(self.taken.append, (before, decision))
        return stored

    def _edited(self, term: StoredTerm | None) -> None:
        if term is None:
            return
        if term.status == "proposed":
            self.terms[str(term.id)] = term
            table = self.query_one(DataTable)
            for column, value in zip(table.ordered_columns, _row(term), strict=True):
                table.update_cell(str(term.id), column.key, value)
            self._layout_table()
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


def _typical(widths: list[int]) -> int:
    """The width nine in ten cells of a column fit in: a few very long entries (shown whole in
    the pane below) do not take the room the others need."""
    if not widths:
        return 0
    ordered = sorted(widths)
    return ordered[math.ceil(TYPICAL_SHARE * (len(ordered) - 1))]


def fit_columns(
    natural: list[int], available: int, minimum: int = MIN_COLUMN, kept: int = 2
) -> list[int]:
    """Column widths summing to `available`: each column's `natural` width while they fit (the
    last column takes what is left). Else the columns after the first `kept` (中文 and English,
    which tell entries apart) give way first, the widest of them first, then the kept ones;
    none goes below `minimum` (nor is wider than it needs)."""
    if sum(natural) <= available:
        return [*natural[:-1], natural[-1] + available - sum(natural)]
    head, tail = natural[:kept], natural[kept:]
    tail_floor = [min(width, minimum) for width in tail]
    room = available - sum(head)
    if room >= sum(tail_floor):
        return head + _capped(tail, room, minimum)
    return _capped(head, available - sum(tail_floor), minimum) + tail_floor


def _capped(natural: list[int], room: int, minimum: int) -> list[int]:
    """`natural` widths cut to a common cap so that they fill `room` (not below `minimum`)."""
    cap = max(natural, default=0)
    while cap > minimum and sum(min(width, cap) for width in natural) > room:
        cap -= 1
    widths = [min(width, cap) for width in natural]
    spare = room - sum(widths)
    for index, width in enumerate(natural):
        if spare <= 0:
            break
        if width > widths[index]:
            widths[index] += 1
            spare -= 1
    return widths

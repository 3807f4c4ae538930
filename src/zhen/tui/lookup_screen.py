"""The lookup screen: search-as-you-type over the glossary and TM, with a detail pane."""

from __future__ import annotations

import re
import sqlite3
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label, OptionList
from textual.worker import get_current_worker

from zhen.database import Database
from zhen.errors import GlossaryError, SearchError
from zhen.models import Term, TermStatus, TranslationUnit
from zhen.search import Hit, LookupResult
from zhen.text.normalize import has_cjk, normalize_en
from zhen.text.safetext import clean_text
from zhen.tui.detail_pane import DetailPane
from zhen.tui.errors import describe_error
from zhen.tui.formatting import DIM, HIGHLIGHT, LABEL, literal, windowed
from zhen.tui.results_list import ResultsList
from zhen.tui.term_editor import TermEditor
from zhen.tui.term_prefill import english_prefill, term_prefill

if TYPE_CHECKING:
    from zhen.tui.app import ZhenApp

SIDES: tuple[str | None, ...] = (None, "zh", "en")
SIDE_NAMES = {"zh": "中文", "en": "English"}
RESULT_LIMIT = 20
COPIED_SHOWN = 60
"""A copied text up to this long is shown in the toast; a longer one is counted."""


class LookupScreen(Screen[None]):
    """Type Chinese (简体/繁體) or English; the glossary, TM matches and concordance follow."""

    CSS_PATH = "lookup_screen.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "copy", "Copy", tooltip="Copy the English", id="lookup.copy"),
        Binding("a", "add_term", "Add", tooltip="Add a term from the selection", id="lookup.add"),
        Binding("e", "edit_term", "Edit", tooltip="Edit, approve or reject", id="lookup.edit"),
        Binding("r", "review", "Review", tooltip="Review proposed terms", id="lookup.review"),
        Binding("ctrl+t", "toggle_side", "Side", tooltip="Search zh / en / auto", id="lookup.side"),
        Binding("slash", "focus_search", "Search", show=False, id="lookup.focus_search"),
        Binding("escape", "focus_search", "Search", show=False, id="lookup.escape"),
        Binding("down", "focus_results", "Results", key_display="↓", id="lookup.results"),
    ]

    class SearchFinished(Message):
        """A search worker finished (or failed) for query generation `generation`."""

        def __init__(
            self,
            generation: int,
            query: str,
            result: LookupResult | None = None,
            error: str | None = None,
            *,
            quiet: bool = False,
            stale: bool = False,
        ) -> None:
            super().__init__()
            self.generation = generation
            self.query = query
            self.result = result
            self.error = error
            self.quiet = quiet
            self.stale = stale

    class DetailLoaded(Message):
        """The detail worker read the unit (with neighbours) or the term behind a hit."""

        def __init__(
            self,
            hit: Hit,
            unit: TranslationUnit | None = None,
            neighbours: list[TranslationUnit] | None = None,
            term: Term | None = None,
        ) -> None:
            super().__init__()
            self.hit = hit
            self.unit = unit
            self.neighbours = neighbours or []
            self.term = term

    class TermLoaded(Message):
        """The full term behind a glossary hit, read for the editor."""

        def __init__(self, term: Term | None) -> None:
            super().__init__()
            self.term = term

    def __init__(self) -> None:
        super().__init__()
        self.forced_side: str | None = None
        self.generation = 0
        """Bumped on every keystroke; a search result from an older generation is dropped."""
        self.shown_generation = -1
        """The generation whose results are on screen (after a refresh)."""
        self.shown_query: str | None = None
        self.last_result: LookupResult | None = None
        self._search_running = False
        self._pending: tuple[str, int] | None = None
        """The newest query typed while a search was running; it starts when that one ends."""
        self._select_term_id: int | None = None

    @property
    def zhen(self) -> ZhenApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="search-row"):
            yield Input(
                placeholder="Search: Chinese (简体 or 繁體) or English",
                id="query",
                select_on_focus=False,
            )
            yield Label("", id="side")
        results = ResultsList(id="results")
        results.border_title = "Results"
        yield results
        detail = DetailPane(id="detail")
        detail.border_title = "Detail"
        yield detail
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        self._update_side_label(None)
        if self.zhen.database_ready:
            self.show_first_run()
        else:
            self.query_one(ResultsList).show_message(
                Content.styled("Opening the database…", LABEL),
                Content.styled(
                    "On first run zhen imports its bundled Xinhua TM and glossary.", DIM
                ),
            )
        self.query_one("#query", Input).focus()

    # Empty states -------------------------------------------------------------------

    def show_first_run(self) -> None:
        """What to do before anything is typed (and how to fill an empty database)."""
        if self.zhen.database_ready and not (self.zhen.unit_count or self.zhen.term_count):
            self.query_one(ResultsList).show_message(
                Content.styled("The database is empty.", LABEL),
                "Import a TM:        zhen tm import FILE.tmx   (TMX, TSV, XLIFF, PO)",
                "Import a glossary:  zhen glossary import FILE.tsv   (TSV, CSV, TBX)",
                "Align an article:   zhen align ZH.txt EN.txt -o PAIRS.tmx, then import it",
                Content.styled("You can also add terms here: ↓ then a.", DIM),
            )
            self.query_one(DetailPane).show_message(Content.styled("Nothing selected.", DIM))
            return
        self.query_one(ResultsList).show_message(
            Content.styled("Start typing to search the glossary and translation memory.", LABEL),
            "Chinese in Simplified or Traditional characters, or English words.",
            Content.styled(
                "↓ or enter moves into the results; / or esc back to the search box.", DIM
            ),
            Content.styled("ctrl+k checks a draft · r reviews proposed terms · F1 help", DIM),
        )
        self.query_one(DetailPane).show_message(
            Content.styled("The selected pair or term appears here,", DIM),
            Content.styled("with its source document and the sentences around it.", DIM),
        )

    def show_database_error(self, error: str) -> None:
        """The database could not be opened: say so where the results would be."""
        self.query_one(ResultsList).show_message(
            Content.styled("The database could not be opened.", "bold $text-error"),
            error,
            "Start zhen with --db PATH to use another database file.",
        )

    # Searching --------------------------------------------------------------------------

    @on(Input.Submitted, "#query")
    def _query_submitted(self) -> None:
        self.action_focus_results()

    @on(Input.Changed, "#query")
    def _query_changed(self, event: Input.Changed) -> None:
        self.schedule_search(event.value)

    def schedule_search(self, query: str) -> None:
        """Search for `query` as soon as possible; every older search goes stale."""
        self.generation += 1
        generation = self.generation
        # A search still running is for an older query: stop its SQL now rather than wait.
        self.zhen.database.interrupt_reads()
        self._pending = None
        if not query.strip():
            self.last_result = None
            self.shown_query = ""
            self.show_first_run()
            self._mark_shown(generation)
            return
        self._request_search(query, generation)

    def _request_search(self, query: str, generation: int) -> None:
        """Start now if no search is running; else queue it (latest wins) until that one ends.

        One search at a time: an interrupted stale search ends within moments, and the
        next one then has the machine to itself instead of sharing it with the stale one.
        """
        if self._search_running:
            self._pending = (query, generation)
            return
        self._search_running = True
        self._search(query, generation)

    def refresh_search(self, select_term_id: int | None = None) -> None:
        """Run the current query again (after an edit), optionally selecting a term."""
        self._select_term_id = select_term_id
        self.schedule_search(self.query_one("#query", Input).value)

    def search_for(self, query: str) -> None:
        """Put `query` in the search box and search (used by the check screen)."""
        search_box = self.query_one("#query", Input)
        search_box.value, _ = clean_text(query)  # an input paints its value as it is
        search_box.focus()

    @work(thread=True, exclusive=True, group="search")
    def _search(self, query: str, generation: int) -> None:
        # Exactly one SearchFinished per search, whatever happens: the screen waits for it
        # before starting the next one.
        finished = self.SearchFinished(generation, query, stale=True)
        worker = get_current_worker()
        try:
            with self.zhen.database.reading() as db:
                if generation == self.generation and not worker.is_cancelled:
                    result = db.lookup(
                        query, limit=RESULT_LIMIT, side=self.forced_side, scope=self.zhen.scope
                    )
                    finished = self.SearchFinished(generation, query, result)
        except sqlite3.OperationalError as exc:
            # An interrupt() from a newer keystroke lands here; only a current search errs.
            if generation == self.generation:
                finished = self.SearchFinished(generation, query, error=str(exc))
        except SearchError as exc:  # about the query being typed: shown in the list, no toast
            finished = self.SearchFinished(generation, query, error=str(exc), quiet=True)
        except Exception as exc:  # a failed search must never take the session down
            finished = self.SearchFinished(generation, query, error=describe_error(exc))
        finally:
            self.post_message(finished)

    def on_lookup_screen_search_finished(self, message: SearchFinished) -> None:
        self._search_running = False
        if self._pending is not None:
            pending, self._pending = self._pending, None
            self._request_search(*pending)
        if message.stale or message.generation != self.generation:
            return
        results = self.query_one(ResultsList)
        if message.error is not None:
            results.show_message(
                literal(f"Cannot search: {message.error}", "$text-error"),
                "Edit the query to try again.",
            )
            if not message.quiet:
                self.notify(message.error, title="Search failed", severity="error")
            self.shown_query = message.query
            self.call_after_refresh(self._mark_shown, message.generation)
            return
        result = message.result
        assert result is not None  # a search that raised no error returned a result
        self.last_result = result
        self._update_side_label(result.side)
        if not (result.terms or result.units or result.concordance):
            results.show_message(
                Content.assemble("No matches for ", literal(message.query, HIGHLIGHT), "."),
                "Try fewer characters, another form of the word, or ctrl+t for the other side.",
                Content.styled("↓ then a adds it to the glossary as a new term.", DIM),
            )
            self.query_one(DetailPane).show_message(Content.styled("Nothing selected.", DIM))
        else:
            results.show_result(result, select_term_id=self._select_term_id)
        self._select_term_id = None
        self.refresh_bindings()
        self.shown_query = message.query
        self.call_after_refresh(self._mark_shown, message.generation)

    def _mark_shown(self, generation: int) -> None:
        if generation == self.generation:
            self.shown_generation = generation

    # Detail pane -------------------------------------------------------------------------

    @on(OptionList.OptionHighlighted, "#results")
    def _hit_highlighted(self) -> None:
        hit = self.query_one(ResultsList).selected_hit
        self.refresh_bindings()  # copy and edit depend on what is selected
        if hit is not None:
            # After the next refresh: the results paint first, the detail follows.
            self.call_after_refresh(self._load_detail_if_current, hit, self.generation)

    def _load_detail_if_current(self, hit: Hit, generation: int) -> None:
        """Read the detail unless newer results are on their way (typing continues)."""
        if generation == self.generation and hit is self.query_one(ResultsList).selected_hit:
            self._load_detail(hit)

    @work(thread=True, exclusive=True, group="detail")
    def _load_detail(self, hit: Hit) -> None:
        try:
            with self.zhen.database.reading() as db:
                if hit.kind == "term":
                    term = _term_for_hit(db, hit)
                    self.post_message(self.DetailLoaded(hit, term=term))
                    return
                assert hit.unit_id is not None  # every TM and concordance hit names its unit
                unit = db.unit(hit.unit_id)
                neighbours = db.neighbours(hit.unit_id, radius=1)
        except sqlite3.OperationalError:
            return  # interrupted by a newer search, which will select its own hit
        except Exception as exc:  # the detail is a convenience; report and carry on
            self.post_message(self.DetailLoaded(hit))
            self.app.call_from_thread(self.notify, describe_error(exc), severity="error")
            return
        others = [n for n in neighbours if n.id != hit.unit_id]
        self.post_message(self.DetailLoaded(hit, unit=unit, neighbours=others))

    def on_lookup_screen_detail_loaded(self, message: DetailLoaded) -> None:
        if message.hit is not self.query_one(ResultsList).selected_hit:
            return  # the cursor has moved on
        detail = self.query_one(DetailPane)
        if message.hit.kind == "term":
            detail.show_term(message.hit, message.term)
        else:
            detail.show_unit(message.hit, message.unit, message.neighbours)

    # Actions -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Grey out the hit actions in the footer while nothing is selected."""
        if action in ("copy", "edit_term"):
            return True if self.query_one(ResultsList).selected_hit is not None else None
        return True

    def action_focus_search(self) -> None:
        self.query_one("#query", Input).focus()

    def action_focus_results(self) -> None:
        # Even without hits: from the list, single keys (a, r, q) act instead of typing.
        self.query_one(ResultsList).focus()

    def action_copy(self) -> None:
        hit = self.query_one(ResultsList).selected_hit
        if hit is None:
            self.notify("Select a result first (↓ from the search box).", severity="warning")
            return
        # What the terminal would paste back must hold no escape sequence of an old import.
        english, _ = clean_text(hit.en)
        self.app.copy_to_clipboard(english)
        self.notify(copied_summary(english), title="Copied", timeout=3)

    def action_toggle_side(self) -> None:
        index = SIDES.index(self.forced_side)
        self.forced_side = SIDES[(index + 1) % len(SIDES)]
        side = self.forced_side
        self.notify(
            f"Searching {SIDE_NAMES[side]} only."
            if side
            else "Searching the side the query is in.",
            title="Search side",
        )
        self._update_side_label(self.last_result.side if self.last_result else None)
        self.refresh_search()

    def action_review(self) -> None:
        self.zhen.action_review()

    def action_add_term(self) -> None:
        term = self._term_from_selection()
        hit = self.query_one(ResultsList).selected_hit
        context = None
        if hit is not None and hit.kind != "term":
            # One line per side, shifted so the matched words are in view.
            context = (windowed(hit.zh, hit.zh_spans), windowed(hit.en, hit.en_spans))
        editor = TermEditor(term, database=self.zhen.database, is_new=True, context=context)
        # Toasts sit where the form's buttons are; the form is what matters now.
        self.app.clear_notifications()
        self.app.push_screen(editor, self._term_saved)

    def action_edit_term(self) -> None:
        hit = self.query_one(ResultsList).selected_hit
        if hit is None or hit.kind != "term":
            self.notify(
                "Select a glossary term to edit; a adds a new term from a TM pair.",
                severity="warning",
            )
            return
        if hit.term_id is None:
            self.notify(f"This term comes from {hit.origin}: edit it there.", severity="warning")
            return
        self._load_term_for_editor(hit)

    @work(thread=True, exclusive=True, group="term-load")
    def _load_term_for_editor(self, hit: Hit) -> None:

        try:
            with self.zhen.database.reading() as db:
                term = _term_for_hit(db, hit)
        except Exception as exc:  # report it; the lookup screen stays as it was
            self.app.call_from_thread(self.notify, describe_error(exc), severity="error")
            return
        self.post_message(self.TermLoaded(term))

    def on_lookup_screen_term_loaded(self, message: TermLoaded) -> None:
        if message.term is None:
            self.notify("That term is no longer in the glossary.", severity="warning")
            self.refresh_search()
            return
        self.app.push_screen(
            TermEditor(message.term, database=self.zhen.database, is_new=False), self._term_saved
        )

    def _term_saved(self, term: Term | None) -> None:
        if term is None:
            return
        self.notify(f"{term.zh} → {term.en} ({term.status})", title="Term saved")
        self.zhen.refresh_counts()
        query = self.query_one("#query", Input)
        if not query.value.strip():
            query.value = term.zh  # show the new term at once, even from an empty search
            self._select_term_id = term.id
        else:
            self.refresh_search(select_term_id=term.id)

    def _term_from_selection(self) -> Term:
        """A new term prefilled from the selected pair: the matched words, else the query."""
        hit = self.query_one(ResultsList).selected_hit
        query = self.query_one("#query", Input).value.strip()
        # Parts already in the glossary are not offered again: the new term is the other part.
        known = self.last_result.terms if self.last_result is not None else []
        known_zh = {term.zh for term in known}
        known_en = {
            normalize_en(rendering) for term in known for rendering in (term.en, *term.variants)
        }
        if hit is None:
            if has_cjk(query):
                return Term(zh=term_prefill(query, known_zh), en="", status=TermStatus.APPROVED)
            return Term(zh="", en=query, status=TermStatus.APPROVED)
        zh = term_prefill(
            _first_span_text(hit.zh, hit.zh_spans) or (query if has_cjk(query) else hit.zh),
            known_zh,
        )
        # Without a highlighted English span the rendering is left for the user to pick out
        # of the sentence shown above the form; a whole sentence is never a term, nor is a
        # rendering of another entry.
        en = english_prefill(_first_span_text(hit.en, hit.en_spans)) or (
            query if query and not has_cjk(query) else ""
        )
        if normalize_en(en) in known_en:
            en = ""
        sources = [hit.origin] if hit.origin else []
        return Term(zh=zh, en=en, status=TermStatus.APPROVED, sources=sources)

    def _update_side_label(self, detected: str | None) -> None:
        label = self.query_one("#side", Label)
        if self.forced_side:
            label.update(
                Content.assemble(
                    (SIDE_NAMES[self.forced_side], "bold"), (" forced", "$text-warning")
                )
            )
        elif detected:
            label.update(
                Content.assemble((SIDE_NAMES.get(detected, detected), "bold"), (" auto", DIM))
            )
        else:
            label.update(Content.styled("zh/en auto", DIM))


def _term_for_hit(db: Database, hit: Hit) -> Term | None:
    """The glossary entry a hit points to, or None if it has been removed meanwhile."""
    if hit.term_id is None:  # an entry of a glossary file: the hit holds all there is of it
        return _file_term(hit)

    try:
        return db.term_by_id(hit.term_id)
    except GlossaryError:
        return None


def _file_term(hit: Hit) -> Term:
    """The entry of a glossary file behind a hit, its file named as its source."""
    return Term(
        zh=hit.zh,
        en=hit.en,
        status=hit.status or TermStatus.APPROVED,
        variants=list(hit.variants),
        forbidden=list(hit.forbidden),
        note=hit.note,
        sources=[hit.origin],
        checked=hit.checked,
    )


def _first_span_text(text: str, spans: list[tuple[int, int]]) -> str:
    """The text of the first highlighted span, or "" without spans."""
    for span in sorted(spans or ()):
        piece = text[int(span[0]) : int(span[1])].strip()
        if piece:
            return piece
    return ""


def copied_summary(text: str) -> str:
    """What a copy toast says: a short text itself, else how much was copied (one line)."""
    if len(text) <= COPIED_SHOWN and "\n" not in text:
        return f"“{text}”"
    paragraphs = len([block for block in re.split(r"\n\s*\n", text) if block.strip()])
    noun = "paragraph" if paragraphs == 1 else "paragraphs"
    return f"{paragraphs} {noun}, {len(text):,} characters"

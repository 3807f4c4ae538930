"""The zhen Textual application: opens the database in a worker and hosts the screens."""

from __future__ import annotations

import asyncio
import signal
from contextlib import suppress
from pathlib import Path
from typing import ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.notifications import SeverityLevel

from zhen import store
from zhen.database import Database
from zhen.models import Term
from zhen.project import Project, project_terms
from zhen.search.scope import LookupScope
from zhen.text.safetext import visible
from zhen.tui.check_screen import CheckScreen
from zhen.tui.database import TuiDatabase
from zhen.tui.errors import describe_error
from zhen.tui.help_screen import HelpScreen
from zhen.tui.lookup_screen import LookupScreen
from zhen.tui.review_screen import ReviewScreen
from zhen.tui.term_editor import TermEditor


class ZhenApp(App[None]):
    """Lookup, term capture and review, and draft checking over one zhen database."""

    TITLE = "zhen"
    SUB_TITLE = "terminology & translation memory"
    CSS_PATH = "app.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+k", "check", "Check", id="app.check", priority=True),
        # The footer shows keys that work wherever the focus is: in a text field ? and q type.
        Binding("f1,question_mark", "help", "Help", key_display="F1", id="app.help"),
        Binding("ctrl+q", "quit", "Quit", key_display="^q", priority=True, id="app.quit"),
        Binding("q", "quit", "Quit", show=False, id="app.quit_letter"),
    ]
    count_interval = 10.0
    """Seconds between reads of the header's counts, which an import from the CLI changes."""

    class CountsRead(Message):
        """The database's units and terms, counted again."""

        def __init__(self, units: int, terms: int) -> None:
            super().__init__()
            self.units = units
            self.terms = terms

    class DatabaseReady(Message):
        """The database is open (created and seeded on first run), or could not be."""

        def __init__(self, error: str | None = None, units: int = 0, terms: int = 0) -> None:
            super().__init__()
            self.error = error
            self.units = units
            self.terms = terms

    def __init__(
        self,
        db_path: Path | str | None = None,
        *,
        scope: LookupScope | None = None,
        project: Project | None = None,
    ) -> None:
        super().__init__()
        self.database = TuiDatabase(db_path)
        # What lookups search (glossary files, origins) and the zhen.toml behind it, if any.
        self.scope = scope or LookupScope()
        self.project = project
        self.database_ready = False
        self.unit_count = 0
        self.term_count = 0
        self._quit_armed = False
        # The signal that ended the app (_quit_on_signals), if one did.
        self.stopped_by: int | None = None

    def on_mount(self) -> None:
        # Pushed rather than returned by get_default_screen, which skips the screen's CSS_PATH.
        self.push_screen(LookupScreen())
        # Installed, so a check keeps running (and its results stay) while the user looks
        # things up on the lookup screen.
        self.install_screen(CheckScreen(), name="check")
        self._quit_on_signals()
        self._open_database()

    def _quit_on_signals(self) -> None:
        """SIGTERM and SIGHUP (`kill`, a closed terminal) quit as ^q does, without asking, so
        Textual gives the terminal back; by default they end the process with the screen still
        taken over. Only the main thread's loop can take signals: elsewhere nothing changes."""
        loop = asyncio.get_running_loop()
        for name in ("SIGTERM", "SIGHUP"):
            with suppress(AttributeError, ValueError, RuntimeError, NotImplementedError):
                signum = getattr(signal, name)
                loop.add_signal_handler(signum, self._stop, signum)

    def _stop(self, signum: int) -> None:
        self.stopped_by = signum
        self.exit()

    @work(thread=True, exclusive=True, group="open-database")
    def _open_database(self) -> None:
        # A first run creates and seeds the database, which takes a moment: never on the UI thread.
        try:
            self.database.open()
            with self.database.reading() as db:
                stats = db.stats()
        except Exception as exc:  # shown in the app; the user can quit and pass --db
            self.post_message(self.DatabaseReady(describe_error(exc)))
            return
        self.post_message(self.DatabaseReady(units=stats.units, terms=stats.terms))

    def on_zhen_app_database_ready(self, message: DatabaseReady) -> None:
        lookup = self.lookup_screen
        if message.error is not None:
            self.notify(message.error, title="Database", severity="error", timeout=10)
            if lookup is not None:
                lookup.show_database_error(message.error)
            return
        self.database_ready = True
        self._show_counts(message.units, message.terms)
        self.set_interval(self.count_interval, self.refresh_counts)
        if lookup is not None:
            lookup.refresh_search()

    def _show_counts(self, units: int, terms: int) -> None:
        self.unit_count = units
        self.term_count = terms
        # A file's name only (enough to tell databases apart, the same on every machine); a
        # server's URL as Database shows it, without its password.
        location = self.database.location or store.default_db_path()
        name = location.name if isinstance(location, Path) else location
        origins = self.scope.origins
        only = f" · origins: {', '.join(origins)}" if origins else ""
        self.sub_title = visible(f"{name} · {units:,} TM units · {terms:,} terms{only}")

    def refresh_counts(self) -> None:
        """Count units and terms again (after a save here, or an import from the CLI)."""
        if self.database_ready:
            self._read_counts()

    @work(thread=True, exclusive=True, group="counts")
    def _read_counts(self) -> None:
        try:
            # A reader: a save never waits behind a count, and a read-only replica is counted
            # too. A keystroke may interrupt it; the next tick counts again.
            with self.database.reading() as db:
                units, terms = db.counts()
        except Exception:  # the header keeps its last counts; lookups report real failures
            return
        self.post_message(self.CountsRead(units, terms))

    def on_zhen_app_counts_read(self, message: CountsRead) -> None:
        if (message.units, message.terms) != (self.unit_count, self.term_count):
            self._show_counts(message.units, message.terms)

    def on_app_focus(self) -> None:
        # Back from another terminal, where an import may just have run.
        self.refresh_counts()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """A notification, always plain text with visible escapes (`markup` is ignored).

        Every notification in zhen comes here (widgets' notify calls the app's): they repeat
        terms, file names and error messages, which must never be taken as markup (a `[/]`
        would crash the app) nor reach the terminal with their escapes.
        """
        super().notify(
            visible(message), title=visible(title), severity=severity, timeout=timeout, markup=False
        )

    @property
    def lookup_screen(self) -> LookupScreen | None:
        """The lookup screen at the bottom of the stack."""
        for screen in self.screen_stack:
            if isinstance(screen, LookupScreen):
                return screen
        return None

    def action_check(self) -> None:
        if not isinstance(self.screen, CheckScreen):
            self.push_screen("check")

    def action_review(self) -> None:
        if not isinstance(self.screen, ReviewScreen):
            self.push_screen(ReviewScreen())

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(
                HelpScreen(
                    (
                        ("Everywhere", self.BINDINGS),
                        ("Lookup", LookupScreen.BINDINGS),
                        ("Review", ReviewScreen.BINDINGS),
                        ("Check", CheckScreen.BINDINGS),
                        ("Term editor", TermEditor.BINDINGS),
                    )
                )
            )

    async def action_quit(self) -> None:
        """Quit, unless a term form holds unsaved input: then warn once, quit on the second ask."""
        editor = self.screen
        if isinstance(editor, TermEditor) and editor.is_dirty and not self._quit_armed:
            self._quit_armed = True
            self.notify(
                "The term form has unsaved changes: ctrl+s saves, esc discards. "
                "Quit again to discard them.",
                title="Unsaved term",
                severity="warning",
            )
            return
        self.exit()

    def look_up(self, query: str) -> None:
        """Return to the lookup screen and search for `query` (from the check screen)."""
        while len(self.screen_stack) > 2 and not isinstance(self.screen, LookupScreen):
            self.pop_screen()
        lookup = self.lookup_screen
        if lookup is not None:
            lookup.search_for(query)

    def check_terms(self, db: Database) -> list[Term]:
        """The approved terms a draft is checked against: the project's, else the database's."""
        if self.project is None:
            return list(db.approved_terms())
        return project_terms(self.project, db.approved_terms)

    def on_unmount(self) -> None:
        self.database.close()


def run(
    db_path: Path | str | None = None,
    *,
    scope: LookupScope | None = None,
    project: Project | None = None,
) -> int | None:
    """Start the TUI on `db_path`, a file or a `postgresql://` URL (or the default database);
    lookups search `scope`, drafts are checked against `project`'s glossaries. Returns the
    signal that ended it (SIGTERM, SIGHUP), or None when the user quit."""
    app = ZhenApp(db_path, scope=scope, project=project)
    app.run()
    return app.stopped_by

"""The check screen: pick a source and a draft, run the check in a worker, browse the issues."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.validation import Function
from textual.widgets import Button, Footer, Header, Input, Label, OptionList, ProgressBar, Static

from zhen import checker
from zhen.checker import CheckReport, Issue
from zhen.checker.ignore import IgnoreList, read_ignore_file
from zhen.checker.render import counted
from zhen.project import project_skip
from zhen.tui.detail_pane import DetailPane, issue_term_text
from zhen.tui.errors import describe_error
from zhen.tui.formatting import DIM, LABEL, as_content, literal
from zhen.tui.issue_list import IssueList
from zhen.tui.path_suggester import PathInput, PathSuggester, is_readable_file

if TYPE_CHECKING:
    from zhen.tui.app import ZhenApp


class CheckScreen(Screen[None]):
    """Checks a draft against the approved glossary: terms, forbidden renderings, numbers."""

    CSS_PATH = "check_screen.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "run_check", "Run check", id="check.run"),
        Binding("l", "look_up", "Look up term", id="check.look_up"),
        Binding("i", "ignore_issue", "Ignore flag", id="check.ignore"),
        Binding("escape", "app.pop_screen", "Back", id="check.back"),
    ]

    class Finished(Message):
        """The check worker produced a report (or an error)."""

        def __init__(
            self,
            report: CheckReport | None = None,
            error: str | None = None,
            ignore_list: IgnoreList | None = None,
            ignore_path: Path | None = None,
        ) -> None:
            super().__init__()
            self.report = report
            self.error = error
            self.ignore_list = ignore_list
            self.ignore_path = ignore_path

    def __init__(self) -> None:
        super().__init__()
        self.report: CheckReport | None = None
        self.running = False
        # The accepted flags, and the file they were read from and are written back to.
        self.ignore_list = IgnoreList()
        self.ignore_path: Path | None = None

    @property
    def zhen(self) -> ZhenApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Header()
        with Grid(id="check-form"):
            yield Label("Source")
            yield PathInput(
                placeholder="Chinese source, or one bilingual file (TMX, XLIFF, PO, zh+en text)",
                id="check-source",
                suggester=PathSuggester(),
                validators=[Function(is_readable_file, "no such file")],
                compact=True,
            )
            yield Label("Draft")
            yield PathInput(
                placeholder="English draft (leave empty when the source is bilingual)",
                id="check-draft",
                suggester=PathSuggester(),
                validators=[
                    Function(lambda value: not value or is_readable_file(value), "no such file")
                ],
                compact=True,
            )
            yield Label("Ignore")
            yield PathInput(
                placeholder="ignore file (optional): flags accepted with i are kept here",
                id="check-ignore",
                suggester=PathSuggester(),
                compact=True,
            )
        with Horizontal(id="check-status-row"):
            yield Button("Check", id="check-run", variant="primary", compact=True)
            yield ProgressBar(
                total=None, show_eta=False, show_percentage=False, id="check-progress"
            )
            yield Static("", id="check-status")
        issues = IssueList(id="check-issues")
        issues.border_title = "Issues"
        yield issues
        detail = DetailPane(id="check-detail")
        detail.border_title = "Issue"
        yield detail
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        self.sub_title = "Check a draft against the glossary"
        self.query_one("#check-progress", ProgressBar).display = False
        self.query_one(IssueList).show_message(
            Content.styled("Choose the files to check, then press ctrl+r (or enter).", LABEL),
            "Source + draft: a Chinese text and its English translation (aligned first).",
            "Source alone: a bilingual TMX, XLIFF or PO file, or a zh+en text.",
            Content.styled("→ or tab accepts a path completion.", DIM),
        )
        self.query_one(DetailPane).show_message(
            Content.styled("Each issue shows its sentence pair here, term highlighted;", DIM),
            Content.styled("l looks the term up in the glossary and TM.", DIM),
        )
        project = self.zhen.project
        if project is not None and project.check.ignore is not None:
            # The project's ignore file, as `zhen check` reads it; the form may name another.
            self.query_one("#check-ignore", Input).value = str(project.check.ignore)
        self.query_one("#check-source", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#check-run")
    def _submit(self) -> None:
        self.action_run_check()

    def action_run_check(self) -> None:
        if self.running:
            self.notify("A check is already running.", severity="warning")
            return
        source_input = self.query_one("#check-source", Input)
        draft_input = self.query_one("#check-draft", Input)
        problems = []
        for name, widget in (("Source", source_input), ("Draft", draft_input)):
            result = widget.validate(widget.value.strip())
            if result is not None and not result.is_valid:
                problems.append(f"{name}: {widget.value.strip() or '(empty)'}: no such file")
        if problems:
            self.notify("\n".join(problems), title="Cannot check", severity="error")
            return
        source = Path(source_input.value.strip()).expanduser()
        draft_text = draft_input.value.strip()
        draft = Path(draft_text).expanduser() if draft_text else None
        self._set_running(
            True, f"Checking {source.name}" + (f" + {draft.name}" if draft else "") + "…"
        )
        self.query_one(IssueList).show_message(
            Content.styled("Checking…", LABEL),
            "Plain-text drafts are aligned with the source first; long articles take a while.",
            Content.styled("You can go back (esc) and keep looking things up meanwhile.", DIM),
        )
        self._check(source, draft, self._ignore_input_path())

    def _ignore_input_path(self) -> Path | None:
        value = self.query_one("#check-ignore", Input).value.strip()
        return Path(value).expanduser() if value else None

    @work(thread=True, exclusive=True, group="check")
    def _check(self, source: Path, draft: Path | None, ignore_path: Path | None) -> None:
        try:
            # A named ignore file that does not exist yet is created by the first flag ignored.
            ignore_list = (
                read_ignore_file(ignore_path)
                if ignore_path is not None and ignore_path.exists()
                else IgnoreList()
            )
            with self.zhen.database.reading() as db:
                terms = self.zhen.check_terms(db)
            # The kinds the project's [check] skip names stay quiet here as in `zhen check`.
            skip = project_skip(self.zhen.project)
            # The check itself needs no database, so lookups carry on while it runs.
            report = ignore_list.apply(checker.check_files(source, draft, terms=terms, skip=skip))
        except Exception as exc:  # reported on screen; the form keeps its paths for a retry
            self.post_message(self.Finished(error=describe_error(exc)))
            return
        self.post_message(self.Finished(report, ignore_list=ignore_list, ignore_path=ignore_path))

    def on_check_screen_finished(self, message: Finished) -> None:
        if message.error is not None:
            reason = message.error.splitlines()[0] if message.error.strip() else "unknown error"
            self._set_running(False, literal(f"Check failed: {reason}", "$text-error"))
            self.query_one(IssueList).show_message(
                Content.styled("Check failed.", "bold $text-error"),
                literal(reason),
                Content.styled("Fix the file or the paths above, then ctrl+r again.", DIM),
            )
            self.query_one(DetailPane).show_message(Content.styled("Nothing to show.", DIM))
            self.notify(message.error, title="Check failed", severity="error", timeout=10)
            return
        assert message.report is not None  # a check that raised no error made a report
        self.report = message.report
        self.ignore_list = message.ignore_list or IgnoreList()
        self.ignore_path = message.ignore_path
        self._set_running(False, _summary(self.report))
        self._show_report()

    def _show_report(self, cursor: int | None = None) -> None:
        assert self.report is not None
        issues = list(self.report.issues)
        issue_list = self.query_one(IssueList)
        if issues:
            issue_list.show_issues(issues)
            if cursor is not None:
                issue_list.highlight_near(cursor)
            issue_list.focus()
        else:
            issue_list.show_message(
                Content.styled(
                    "No issues: every glossary term and number checks out.", "$text-success"
                )
            )
            self.query_one(DetailPane).show_message(Content.styled("Nothing to show.", DIM))

    @on(OptionList.OptionHighlighted, "#check-issues")
    def _issue_highlighted(self) -> None:
        issue = self.query_one(IssueList).selected_issue
        if issue is not None:
            self.query_one(DetailPane).show_issue(issue)

    @on(OptionList.OptionSelected, "#check-issues")
    def _issue_selected(self) -> None:
        self.action_look_up()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("look_up", "ignore_issue"):
            return True if self.query_one(IssueList).selected_issue is not None else None
        return True

    def action_look_up(self) -> None:
        issue = self.query_one(IssueList).selected_issue
        term = issue_term_text(issue) if issue is not None else ""
        if not term:
            self.notify("This issue is not about a glossary term.", severity="warning")
            return
        self.zhen.look_up(term)

    def action_ignore_issue(self) -> None:
        """Accept the flag under the cursor as a false positive: write it to the ignore file."""
        issue = self.query_one(IssueList).selected_issue
        if issue is None or self.report is None:
            return
        path = self.ignore_path or self._ignore_input_path()
        if path is None:
            self.notify(
                "Name an ignore file in the form first; the flag is written there.",
                title="No ignore file",
                severity="warning",
            )
            self.query_one("#check-ignore", Input).focus()
            return
        try:
            accepted = self._ignore_list_for(path).with_issues([issue])
            # The texts being checked are never overwritten, as the CLI's --write-ignore refuses.
            texts = (
                self.query_one(f"#check-{name}", Input).value.strip()
                for name in ("source", "draft")
            )
            accepted.write(path, inputs=[text for text in texts if text])
        except Exception as exc:  # the file stays as it was; so does the list on screen
            self.notify(describe_error(exc), title="Cannot ignore", severity="error", timeout=10)
            return
        self.ignore_list, self.ignore_path = accepted, path
        cursor = self.query_one(IssueList).highlighted
        self.report = accepted.apply(self.report)
        self._set_running(False, _summary(self.report))
        self._show_report(cursor)
        self.notify(f"Ignored; kept in {path.name}.", timeout=3)

    def _ignore_list_for(self, path: Path) -> IgnoreList:
        """The entries to write to `path`: a file named after the check ran is read, not lost."""
        if path == self.ignore_path or not path.exists():
            return self.ignore_list
        return IgnoreList([*read_ignore_file(path).entries, *self.ignore_list.entries])

    def _set_running(self, running: bool, status: Content | str) -> None:
        self.running = running
        self.query_one("#check-progress", ProgressBar).display = running
        self.query_one("#check-run", Button).disabled = running
        self.query_one("#check-status", Static).update(as_content(status))


def _summary(report: CheckReport) -> Content:
    counts = {severity: 0 for severity in ("error", "warning", "info")}
    issues: list[Issue] = report.issues
    for issue in issues:
        counts[issue.severity] = counts.get(issue.severity, 0) + 1
    return Content.assemble(
        (counted(len(issues), "issue"), LABEL),
        (f"  {counted(counts['error'], 'error')}", "$text-error"),
        (f" · {counted(counts['warning'], 'warning')}", "$text-warning"),
        (f" · {counts['info']} info", DIM),
        (f" · {report.ignored} ignored" if report.ignored else "", DIM),
    )

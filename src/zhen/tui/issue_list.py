"""The check results: issues grouped by kind, most severe kinds first."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from zhen.checker import Issue
from zhen.checker.location import format_lines
from zhen.checker.render import issue_label
from zhen.tui.detail_pane import issue_term_text
from zhen.tui.formatting import DIM, LABEL, as_content, literal

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
SEVERITY_BADGES = {
    "error": ("✖", "bold $text-error"),
    "warning": ("▲", "bold $text-warning"),
    "info": ("●", "$text-primary"),
}


class IssueList(OptionList):
    """Lists a CheckReport's issues under a heading per kind."""

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._issues: dict[str, Issue] = {}

    @property
    def selected_issue(self) -> Issue | None:
        """The issue under the cursor, or None."""
        option = self.highlighted_option
        if option is None or option.id is None:
            return None
        return self._issues.get(option.id)

    @property
    def issue_count(self) -> int:
        """How many issues are listed."""
        return len(self._issues)

    def show_message(self, *lines: Content | str) -> None:
        """Replace the list with a non-selectable message."""
        self._issues = {}
        self.set_options([Option(as_content(line), disabled=True) for line in lines])

    def show_issues(self, issues: list[Issue]) -> None:
        """Group `issues` by kind (worst severity first) and select the first one."""
        by_kind: dict[str, list[Issue]] = defaultdict(list)
        for issue in issues:
            by_kind[issue.kind].append(issue)
        kinds = sorted(
            by_kind, key=lambda kind: (min(_severity_rank(i) for i in by_kind[kind]), kind)
        )
        options: list[Option] = []
        self._issues = {}
        for kind in kinds:
            group = by_kind[kind]
            options.append(
                Option(
                    Content.assemble((f"{kind} ", LABEL), (f"({len(group)})", DIM)), disabled=True
                )
            )
            for issue in group:
                option_id = f"issue-{len(self._issues)}"
                self._issues[option_id] = issue
                options.append(Option(issue_row(issue), id=option_id))
        self.set_options(options)
        first = next((i for i, option in enumerate(options) if not option.disabled), None)
        if first is not None:
            self.highlighted = first

    def highlight_near(self, index: int | None) -> None:
        """Put the cursor on the issue at option `index`, or the nearest one before or after it."""
        if index is None or not self._issues:
            return
        index = min(index, self.option_count - 1)
        candidates = [
            i for i in range(self.option_count) if not self.get_option_at_index(i).disabled
        ]
        self.highlighted = min(candidates, key=lambda i: (abs(i - index), i < index))


def issue_row(issue: Issue) -> Content:
    """`✖ line 3 / 4 同志加兄弟  message` on one line."""
    symbol, style = SEVERITY_BADGES.get(issue.severity, ("·", DIM))
    where = f"{where_in_files(issue)} "
    term = issue_term_text(issue)
    # Most messages already name the term; repeat it only when they do not.
    label = f"{term}  " if term and term not in issue.message else ""
    return Content.assemble(
        (symbol, style), " ", (where, DIM), literal(label, "bold"), literal(issue.message)
    )


def where_in_files(issue: Issue) -> str:
    """Where the issue is, without the file names the form above shows: `line 3 / 55` (source
    / draft), `seg-a17`, `unit 4`; the report's label when it has neither."""
    location = issue.location
    if location.unit_id:
        return location.unit_id
    if location.source_lines:
        source = format_lines(location.source_lines)
        target = format_lines(location.target_lines)
        return f"line {source} / {target}" if target and target != source else f"line {source}"
    if location.unit is not None:
        return f"unit {location.unit}"
    return issue_label(issue)


def _severity_rank(issue: Issue) -> int:
    return SEVERITY_ORDER.get(issue.severity, len(SEVERITY_ORDER))

"""The detail pane: the whole selected pair or term, its origin and its neighbouring sentences."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import ComposeResult
from textual.containers import Grid, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from zhen.models import Term, TranslationUnit
from zhen.tui.formatting import (
    DIM,
    LABEL,
    find_spans,
    highlighted,
    match_badge,
    status_badge,
)

CONTINUED = " "
"""The label of a row that continues the one above (blank, but keeps the value column)."""


class DetailPane(VerticalScroll):
    """Scrollable view of one hit, filled in once its worker has read the database."""

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.plain_text = ""
        """What the pane shows, as plain text (label and value per line)."""

    def compose(self) -> ComposeResult:
        yield Static(id="detail-heading")
        yield Grid(id="detail-body")

    def show_message(self, *lines: Content | str) -> None:
        """Show an explanation instead of a hit (nothing selected, empty database…)."""
        self.border_title = "Detail"
        self._show([], heading=Content("\n").join(lines))

    def _show(self, rows: list[tuple[str, Content | str]], heading: Content | None = None) -> None:
        """An optional heading, then `rows` as label | value, each value wrapping in its column."""
        heading_widget = self.query_one("#detail-heading", Static)
        heading_widget.update(heading or "")
        heading_widget.display = heading is not None
        body = self.query_one("#detail-body", Grid)
        body.remove_children()
        cells: list[Static] = []
        for label, value in rows:
            cells.append(Static(Content.styled(label, LABEL), classes="detail-label"))
            cells.append(Static(value, classes="detail-value"))
        body.mount_all(cells)
        body.display = bool(rows)
        lines = [heading.plain] if heading is not None else []
        lines += [
            f"{label} {value.plain if isinstance(value, Content) else value}".strip()
            for label, value in rows
        ]
        self.plain_text = "\n".join(lines)
        self.scroll_home(animate=False)

    def show_unit(
        self, hit: Any, unit: TranslationUnit | None, neighbours: list[TranslationUnit]
    ) -> None:
        """A TM pair with highlights, where it comes from, and the sentences around it."""
        self.border_title = "TM pair" if hit.kind == "unit" else "Concordance"
        rows: list[tuple[str, Content | str]] = [
            ("中文", highlighted(hit.zh, getattr(hit, "zh_spans", None))),
            ("English", highlighted(hit.en, getattr(hit, "en_spans", None))),
        ]
        origin = (unit.origin if unit else None) or getattr(hit, "origin", "") or "(unknown)"
        facts: list[Content | str] = [Content.styled(origin, "bold")]
        if unit is not None and unit.position is not None:
            facts.append(f"sentence {unit.position + 1}")
        if hit.kind == "unit":
            facts.append(Content.assemble("match ", match_badge(hit.score).plain.strip()))
        if unit is not None and unit.score is not None:
            facts.append(f"alignment {unit.score:.2f}")
        rows.append(("From", Content(" · ").join(facts)))
        position = unit.position if unit else None
        before = [n for n in neighbours if _is_before(n, position)]
        after = [n for n in neighbours if not _is_before(n, position)]
        for label, group in (("Before", before), ("After", after)):
            for neighbour in group:
                rows.append((label, Content.styled(neighbour.zh, DIM)))
                rows.append((CONTINUED, Content.styled(neighbour.en, DIM)))
                label = CONTINUED
        self._show(rows)

    def show_term(self, hit: Any, term: Term | None) -> None:
        """A glossary entry: preferred rendering, variants, forbidden renderings, note, sources."""
        self.border_title = "Glossary term"
        if term is None:
            self.show_message(f"{hit.zh} → {hit.en}", "(this term is no longer in the glossary)")
            return
        rows: list[tuple[str, Content | str]] = [
            ("中文", Content.styled(term.zh, "bold")),
            ("English", Content.styled(term.en, "bold $text-success")),
            ("Status", status_badge(term.status)),
        ]
        if term.variants:
            rows.append(("Variants", " | ".join(term.variants)))
        if term.forbidden:
            rows.append(("Avoid", Content.styled(" | ".join(term.forbidden), "$text-error")))
        if term.domain:
            rows.append(("Domain", term.domain))
        if term.note:
            rows.append(("Note", term.note))
        if term.sources:
            rows.append(("Sources", Content.styled(" | ".join(term.sources), DIM)))
        self._show(rows)

    def show_issue(self, issue: Any) -> None:
        """A check issue: its message, the pair with the term and the found rendering marked."""
        self.border_title = f"{issue.kind} · {issue.severity}"
        term = issue_term_text(issue)
        expected = [str(e) for e in _as_list(getattr(issue, "expected", None))]
        found = [str(f) for f in _as_list(getattr(issue, "found", None))]
        source = getattr(issue, "source", "") or ""
        target = getattr(issue, "target", "") or ""
        spans = getattr(issue, "spans", None) or {}
        # The check marks what it is about; searching for the words is only a fallback.
        source_spans = spans.get("source") or find_spans(source, [term])
        target_spans = spans.get("target") or find_spans(target, [*found, *expected])
        rows: list[tuple[str, Content | str]] = [("中文", highlighted(source, source_spans))]
        rows.append(("Draft", highlighted(target, target_spans) if target else "(none)"))
        if expected:
            rows.append(("Expected", Content.styled(" | ".join(expected), "$text-success")))
        if found:
            rows.append(("Found", Content.styled(" | ".join(found), "$text-error")))
        suggestion = getattr(issue, "suggestion", None)
        if suggestion:
            rows.append(("Suggest", str(suggestion)))
        self._show(rows, heading=Content.styled(issue.message, "bold"))


def issue_term_text(issue: Any) -> str:
    """The Chinese term an issue is about, whether the report holds a Term or a string."""
    term = getattr(issue, "term", None)
    if term is None:
        return ""
    return str(getattr(term, "zh", term))


def _as_list(value: Any) -> list[Any]:
    if value is None or value == "":
        return []
    if isinstance(value, (list, tuple, set)):
        return list(value)
    return [value]


def _is_before(unit: TranslationUnit, position: int | None) -> bool:
    return position is not None and unit.position is not None and unit.position < position

"""The detail pane: the whole selected pair or term, its origin and its neighbouring sentences."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import ComposeResult
from textual.containers import Grid, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from zhen.checker import Issue
from zhen.checker.render import issue_label
from zhen.models import Term, TranslationUnit
from zhen.search import Hit
from zhen.text.safetext import visible_spans
from zhen.tui.formatting import (
    DIM,
    LABEL,
    as_content,
    find_spans,
    highlighted,
    literal,
    match_badge,
    status_badge,
)

FRAGMENT = "underline"
"""The style of the part of a unit that a fragment match matched (its highlights inside)."""
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
        self._show([], heading=Content("\n").join(as_content(line) for line in lines))

    def _show(self, rows: list[tuple[str, Content | str]], heading: Content | None = None) -> None:
        """An optional heading, then `rows` as label | value, each value wrapping in its column."""
        heading_widget = self.query_one("#detail-heading", Static)
        heading_widget.update(heading or "")
        heading_widget.display = heading is not None
        body = self.query_one("#detail-body", Grid)
        # Cells are reused and only grown, never rebuilt: the pane changes with every cursor
        # move and every keystroke's results, and mounting widgets is the slow part.
        cells = list(body.query_children(Static))
        missing = 2 * len(rows) - len(cells)
        if missing > 0:
            new_cells = [Static(classes="detail-cell") for _ in range(missing)]
            body.mount_all(new_cells)
            cells += new_cells
        for index, cell in enumerate(cells):
            row = index // 2
            cell.display = row < len(rows)
            if row < len(rows):
                label, value = rows[row]
                cell.update(Content.styled(label, LABEL) if index % 2 == 0 else as_content(value))
        body.display = bool(rows)
        lines = [heading.plain] if heading is not None else []
        lines += [f"{label} {as_content(value).plain}".strip() for label, value in rows]
        self.plain_text = "\n".join(lines)
        self.scroll_home(animate=False)

    def show_unit(
        self, hit: Hit, unit: TranslationUnit | None, neighbours: list[TranslationUnit]
    ) -> None:
        """A TM pair with highlights, where it comes from, and the sentences around it."""
        self.border_title = "TM pair" if hit.kind == "unit" else "Concordance"
        origin = (unit.origin if unit else None) or hit.origin or "(unknown)"
        facts: list[Content | str] = [literal(origin, "bold")]
        if unit is not None and unit.position is not None:
            facts.append(f"sentence {unit.position + 1}")
        if hit.fragment is not None:
            start, end = hit.fragment.span
            score = match_badge(hit.score).plain.strip()
            facts.append(f"fragment {score} · {hit.fragment.side} {start}–{end}")
        elif hit.kind == "unit":
            facts.append(Content.assemble("match ", match_badge(hit.score).plain.strip()))
        if unit is not None and unit.score is not None:
            facts.append(f"alignment {unit.score:.2f}")
        rows: list[tuple[str, Content | str]] = [("From", Content(" · ").join(facts))]
        position = unit.position if unit else None
        before = [n for n in neighbours if _is_before(n, position)]
        after = [n for n in neighbours if not _is_before(n, position)]
        # The pair first, so it stays in view on a small screen; its context below.
        rows.append(("中文", _with_fragment(hit, "zh", highlighted(hit.zh, hit.zh_spans))))
        rows.append(("English", _with_fragment(hit, "en", highlighted(hit.en, hit.en_spans))))
        rows += _neighbour_rows("Before", before)
        rows += _neighbour_rows("After", after)
        self._show(rows)

    def show_term(self, hit: Hit, term: Term | None) -> None:
        """The glossary entry behind a hit (or why it cannot be shown)."""
        if term is None:
            self.show_message(f"{hit.zh} → {hit.en}", "(this term is no longer in the glossary)")
            return
        self.show_entry(term)

    def show_entry(self, term: Term) -> None:
        """A glossary entry: preferred rendering, variants, forbidden renderings, note, sources."""
        self.border_title = "Glossary term"
        rows: list[tuple[str, Content | str]] = [
            ("中文", literal(term.zh, "bold")),
            ("English", literal(term.en, "bold $text-success")),
            ("Status", status_badge(term.status)),
        ]
        if not term.checked:
            rows.append(("In drafts", Content.styled("lookup-only (not checked)", DIM)))
        if term.variants:
            rows.append(("Variants", " | ".join(term.variants)))
        if term.forbidden:
            rows.append(("Avoid", literal(" | ".join(term.forbidden), "$text-error")))
        if term.domain:
            rows.append(("Domain", term.domain))
        if term.note:
            rows.append(("Note", term.note))
        if term.sources:
            rows.append(("Sources", literal(" | ".join(term.sources), DIM)))
        self._show(rows)

    def show_issue(self, issue: Issue) -> None:
        """A check issue: its message, the pair with the term and the found rendering marked."""
        self.border_title = f"{issue.kind} · {issue.severity}"
        term = issue_term_text(issue)
        source = issue.source or ""
        target = issue.target or ""
        # The check marks what it is about; searching for the words is only a fallback.
        source_spans = issue.spans.get("source") or find_spans(source, [term])
        target_spans = issue.spans.get("target") or find_spans(
            target, [issue.found or "", issue.expected or ""]
        )
        rows: list[tuple[str, Content | str]] = [("中文", highlighted(source, source_spans))]
        rows.append(("Draft", highlighted(target, target_spans) if target else "(none)"))
        if issue.expected:
            rows.append(("Expected", literal(issue.expected, "$text-success")))
        if issue.found:
            rows.append(("Found", literal(issue.found, "$text-error")))
        if issue.suggestion:
            rows.append(("Suggest", issue.suggestion))
        # The list shows lines only; the files are named here, as the text report names them.
        rows.append(("Where", literal(issue_label(issue), DIM)))
        self._show(rows, heading=literal(issue.message, "bold"))


def _with_fragment(hit: Hit, side: str, content: Content) -> Content:
    """The side's text with the part a fragment match matched underlined (its extent)."""
    if hit.fragment is None or hit.fragment.side != side:
        return content
    _, [(start, end)] = visible_spans(hit.zh if side == "zh" else hit.en, [hit.fragment.span])
    return content.stylize(FRAGMENT, start, end)


def issue_term_text(issue: Issue) -> str:
    """The Chinese term an issue is about ("" for issues about numbers or whole pairs)."""
    return issue.term or ""


def _neighbour_rows(label: str, units: list[TranslationUnit]) -> list[tuple[str, Content]]:
    """Dimmed zh and en lines of neighbouring sentences, labelled once."""
    rows: list[tuple[str, Content]] = []
    for unit in units:
        rows.append((label, literal(unit.zh, DIM)))
        rows.append((CONTINUED, literal(unit.en, DIM)))
        label = CONTINUED
    return rows


def _is_before(unit: TranslationUnit, position: int | None) -> bool:
    return position is not None and unit.position is not None and unit.position < position

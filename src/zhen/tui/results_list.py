"""The lookup results: Glossary, TM matches and Concordance sections in one keyboard list."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from zhen.search import Hit, LookupResult
from zhen.tui.formatting import (
    DIM,
    LABEL,
    as_content,
    highlighted,
    literal,
    match_badge,
    one_line_keep_offsets,
    status_badge,
    windowed,
)

SECTIONS = (
    ("terms", "Glossary"),
    ("units", "TM matches"),
    ("concordance", "Concordance"),
)


class ResultsList(OptionList):
    """Lists a `LookupResult`; section headings are disabled rows the cursor skips."""

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._hits: dict[str, Hit] = {}

    @property
    def selected_hit(self) -> Hit | None:
        """The hit under the cursor, or None (no results, or a heading)."""
        option = self.highlighted_option
        if option is None or option.id is None:
            return None
        return self._hits.get(option.id)

    def show_message(self, *lines: Content | str) -> None:
        """Replace the list with a non-selectable message (empty states, first run, errors)."""
        self._hits = {}
        self.set_options([Option(as_content(line), disabled=True) for line in lines])

    def show_result(self, result: LookupResult, *, select_term_id: int | None = None) -> None:
        """List every hit of `result` under its section; keep the cursor on the first hit."""
        options: list[Option] = []
        self._hits = {}
        first_hit: int | None = None
        wanted: int | None = None
        for attribute, title in SECTIONS:
            hits: list[Hit] = getattr(result, attribute)
            count = f"({len(hits)})" if hits else "(0) · no matches"
            heading = Content.assemble((f"{title} ", LABEL), (count, DIM))
            options.append(Option(heading, disabled=True))
            for hit in hits:
                option_id = f"hit-{len(self._hits)}"
                self._hits[option_id] = hit
                if first_hit is None:
                    first_hit = len(options)
                if select_term_id is not None and hit.term_id == select_term_id:
                    wanted = len(options)
                options.append(Option(hit_row(hit), id=option_id))
        self.set_options(options)
        target = wanted if wanted is not None else first_hit
        if target is not None:
            self.highlighted = target


def hit_row(hit: Hit) -> Content:
    """A term as one line (zh → en, status); a unit as two lines (badge + zh, then en)."""
    if hit.kind == "term":
        # A term is short: shown whole, so the words that tell entries apart are never cut.
        return Content.assemble(
            highlighted(one_line_keep_offsets(hit.zh), hit.zh_spans),
            ("  →  ", DIM),
            highlighted(one_line_keep_offsets(hit.en), hit.en_spans),
            "  ",
            status_badge(hit.status),
            literal(f"  also: {' | '.join(hit.variants)}" if hit.variants else "", DIM),
        )
    badge = match_badge(hit.score) if hit.kind == "unit" else Content.styled("  ≈ ", DIM)
    return Content.assemble(
        badge, " ", windowed(hit.zh, hit.zh_spans), "\n", "     ", windowed(hit.en, hit.en_spans)
    )

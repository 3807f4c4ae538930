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
                options.append(Option(hit_row(hit, self._row_width()), id=option_id))
        self.set_options(options)
        target = wanted if wanted is not None else first_hit
        if target is not None:
            self.highlighted = target

    def _row_width(self) -> int | None:
        """Cells a unit's line has beside its badge, once the list is laid out."""
        width = self.scrollable_content_region.width - UNIT_INDENT
        return width if width > 0 else None


UNIT_INDENT = 5
"""A unit's lines start after its match badge (or `≈`) and a space."""


def hit_row(hit: Hit, width: int | None = None) -> Content:
    """A term as one line (zh → en, status); a unit as two lines (badge + zh, then en), each
    shifted to its first match only when it is wider than `width`."""
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
    # ⊂: the query matched a part of this unit (a fragment match), highlighted in the row.
    part = Content.styled("⊂", DIM) if hit.fragment is not None else " "
    return Content.assemble(
        badge,
        part,
        windowed(hit.zh, hit.zh_spans, width=width),
        "\n",
        " " * UNIT_INDENT,
        windowed(hit.en, hit.en_spans, width=width),
    )

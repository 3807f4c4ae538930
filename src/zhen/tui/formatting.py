"""Turns hits, terms and sentence pairs into styled Textual content (highlights, match bands).

Stored text is never markup here and never reaches the terminal raw: it goes into `Content`
(which Textual does not parse) with its control characters shown as escapes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.cells import cell_len
from textual.content import Content

from zhen.text.safetext import visible, visible_spans

HIGHLIGHT = "bold $text-accent on $accent-muted"
DIM = "$text-muted"
LABEL = "bold $text-primary"

STATUS_STYLES = {
    "approved": "$text-success",
    "proposed": "$text-warning",
    "rejected": "$text-error strike",
}


def literal(text: str, style: str = "") -> Content:
    """Stored or file-provided `text` as content: shown as typed, escapes visible, never markup."""
    return Content.styled(visible(text), style)


def as_content(value: Content | str) -> Content:
    """Content as it is; a plain string is taken as stored text (see `literal`)."""
    return value if isinstance(value, Content) else literal(value)


def match_band(score: float) -> str:
    """The CAT-tool band of a match percentage: exact, high fuzzy, fuzzy or low."""
    if score >= 100:
        return "exact"
    if score >= 95:
        return "high"
    if score >= 75:
        return "fuzzy"
    return "low"


BAND_STYLES = {
    "exact": "bold $text-success on $success-muted",
    "high": "bold $text-success",
    "fuzzy": "bold $text-warning",
    "low": "$text-error",
}


def match_badge(score: float) -> Content:
    """`100%`, ` 97%`… right-aligned in four cells and coloured by band."""
    label = f"{min(round(score), 100):>3d}%"
    return Content.styled(label, BAND_STYLES[match_band(score)])


def highlighted(
    text: str, spans: Iterable[Sequence[int]] | None, style: str = HIGHLIGHT
) -> Content:
    """`text` (escapes visible) with each (start, end) span styled; out-of-range spans clipped."""
    text, shown_spans = visible_spans(text, spans or ())
    content = Content(text)
    for start, end in shown_spans:
        if end > start:
            content = content.stylize(style, start, end)
    return content


def find_spans(text: str, needles: Iterable[str]) -> list[tuple[int, int]]:
    """Every occurrence of each non-empty needle in `text` (case-insensitive for Latin)."""
    folded = text.lower()
    if len(folded) != len(text):
        # A few letters change length when lowered; offsets must stay those of `text`.
        folded = text
    spans: list[tuple[int, int]] = []
    for needle in needles:
        key = needle.lower().strip()
        if not key:
            continue
        start = folded.find(key)
        while start != -1:
            spans.append((start, start + len(key)))
            start = folded.find(key, start + len(key))
    return sorted(spans)


def status_badge(status: str | None) -> Content:
    """A term's status, coloured (approved green, proposed amber, rejected struck red)."""
    if not status:
        return Content("")
    return Content.styled(status, STATUS_STYLES.get(status, DIM))


LEAD_IN = 6
"""Characters kept before the first highlight when a row is shifted to show it."""


def windowed(
    text: str,
    spans: Sequence[Sequence[int]] | None,
    max_lead: int = 24,
    width: int | None = None,
) -> Content:
    """One line of `text` highlighted, shifted left ("…") so the first match stays visible;
    never shifted when it fits in `width` cells (when the width is known)."""
    text = one_line_keep_offsets(text)
    spans = sorted((int(s[0]), int(s[1])) for s in spans or ())
    fits = width is not None and cell_len(visible(text)) <= width
    if fits or not spans or spans[0][0] <= max_lead:
        return highlighted(text, spans)
    cut = spans[0][0] - LEAD_IN
    # In English, start the window at a word rather than inside one.
    space = text.rfind(" ", max(cut - 2 * LEAD_IN, 0), cut)
    if space != -1:
        cut = space + 1
    shifted = [(start - cut, end - cut) for start, end in spans if end > cut]
    return Content("…") + highlighted(text[cut:], shifted)


def one_line_keep_offsets(text: str) -> str:
    """Line breaks and tabs replaced one-for-one by spaces, so span offsets stay valid."""
    return text.translate(_WHITESPACE_TO_SPACE)


_WHITESPACE_TO_SPACE = str.maketrans({"\n": " ", "\r": " ", "\t": " "})

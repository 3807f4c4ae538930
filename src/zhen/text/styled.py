"""Styled console text: (text, style) fragments, joined plain or in ANSI colours by Rich."""

from __future__ import annotations

from collections.abc import Iterable

# A piece of output: plain text, or text with a Rich style such as "bold" or "bold red".
Fragment = str | tuple[str, str]


def render(fragments: Iterable[Fragment], *, colour: bool) -> str:
    """The fragments joined; with colour, each styled one wrapped in its ANSI codes by Rich.

    Text is only ever wrapped, never parsed: "[bold]" in a TM unit stays those seven characters,
    as Rich markup is not involved, and no layout (wrapping, tab expansion) changes a character.
    Callers escape control characters (`safetext.visible`) before the text gets here.
    """
    if not colour:
        return "".join(part if isinstance(part, str) else part[0] for part in fragments)
    # Rich loads only for coloured output: a pipe or NO_COLOR never pays for it.
    from rich.color import ColorSystem
    from rich.style import Style

    return "".join(
        part
        if isinstance(part, str)
        else Style.parse(part[1]).render(part[0], color_system=ColorSystem.STANDARD)
        for part in fragments
    )

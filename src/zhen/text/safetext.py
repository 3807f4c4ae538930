"""Control characters: dropped from text on the way in, shown as visible escapes on the way out."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence

# C0 controls but tab and newline, DEL, and the C1 block (U+0080–U+009F, where U+009B is a
# one-character CSI that some terminals obey).
_CONTROLS_EXCEPT_TAB_NEWLINE = "\x00-\x08\x0b-\x1f\x7f-\x9f"
_CONTROL = re.compile(f"[{_CONTROLS_EXCEPT_TAB_NEWLINE}]")
_CONTROL_OR_NEWLINE = re.compile(f"[{_CONTROLS_EXCEPT_TAB_NEWLINE}\n]")
# What a terminal, the TUI or the clipboard must never receive raw: every control character
# (carriage return too, which can overwrite a printed line), plus the bidirectional overrides and
# isolates that reorder what a reader sees ("Trojan Source").
_UNSAFE_FOR_DISPLAY = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# What json.dumps(ensure_ascii=False) leaves raw although a terminal may obey it: it escapes
# only C0 (and tab and newline), never DEL, C1 or the bidi controls.
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean_text(text: str, *, keep_newlines: bool = True) -> tuple[str, int]:
    """`text` without C0/C1 control characters (tab kept, newline kept unless told); and how many.

    Readers call this on every field they store, so that no escape sequence from a client's file
    reaches a database, and report the count in their import summary.
    """
    if text.isprintable():  # no control character is printable: the common case, at C speed
        return text, 0
    pattern = _CONTROL if keep_newlines else _CONTROL_OR_NEWLINE
    cleaned, removed = pattern.subn("", text)
    return cleaned, removed


class ControlCounter:
    """clean_text for field after field of one file or command line, counting what it drops."""

    def __init__(self) -> None:
        self.removed = 0

    def clean(self, text: str, *, keep_newlines: bool = True) -> str:
        """`text` without control characters (see clean_text); the count is added to `removed`."""
        cleaned, removed = clean_text(text, keep_newlines=keep_newlines)
        self.removed += removed
        return cleaned


def has_controls(text: str) -> bool:
    """True when `text` holds a control character other than tab and newline."""
    return not text.isprintable() and _CONTROL.search(text) is not None


def visible(text: str) -> str:
    """`text` with each control character and bidi override shown as an escape (`\\x1b`).

    Everything that prints stored text goes through this, so a database written by an older
    zhen, before readers cleaned their input, cannot drive the terminal either.
    """
    if _UNSAFE_FOR_DISPLAY.search(text) is None:
        return text
    return _UNSAFE_FOR_DISPLAY.sub(_escape, text)


def visible_spans(text: str, spans: Iterable[Sequence[int]]) -> tuple[str, list[tuple[int, int]]]:
    """`visible(text)`, and the (start, end) `spans` of `text` moved onto the same characters.

    For output that highlights part of a stored text (a matched term, a number): the escapes
    are longer than the characters they stand for. Spans past the text are clipped to it.
    """
    clipped = [
        (min(max(int(start), 0), len(text)), min(max(int(end), 0), len(text)))
        for start, end in spans
    ]
    if _UNSAFE_FOR_DISPLAY.search(text) is None:
        return text, clipped
    # starts[i] is where character i of `text` begins in the shown text (one past the end too).
    starts = [0] * (len(text) + 1)
    pieces = []
    for index, character in enumerate(text):
        piece = visible(character)
        pieces.append(piece)
        starts[index + 1] = starts[index] + len(piece)
    return "".join(pieces), [(starts[start], starts[end]) for start, end in clipped]


def json_text(data: object, *, indent: int | None = None) -> str:
    """`data` as JSON, readable (no ASCII escaping of Chinese) yet safe to print on a terminal.

    json.dumps escapes C0 controls but writes DEL, the C1 block (U+009B is a CSI) and the bidi
    controls raw; here they become \\u escapes too, which a JSON reader decodes to the same text.
    """
    encoded = json.dumps(data, ensure_ascii=False, indent=indent)
    # Outside strings json.dumps writes only ASCII, so every match is inside a string.
    return _UNSAFE_IN_JSON.sub(lambda match: f"\\u{ord(match.group()):04x}", encoded)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

"""Control characters: dropped from text on the way in, shown as visible escapes on the way out."""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, and the C1 block (U+0080–U+009F, where U+009B is a
# one-character CSI that some terminals obey).
_CONTROLS_EXCEPT_TAB_NEWLINE = "\x00-\x08\x0b-\x1f\x7f-\x9f"
_CONTROL = re.compile(f"[{_CONTROLS_EXCEPT_TAB_NEWLINE}]")
_CONTROL_OR_NEWLINE = re.compile(f"[{_CONTROLS_EXCEPT_TAB_NEWLINE}\n]")
# What a terminal, the TUI or the clipboard must never receive raw: every control character
# (carriage return too, which can overwrite a printed line), plus the bidirectional overrides and
# isolates that reorder what a reader sees ("Trojan Source").
_UNSAFE_FOR_DISPLAY = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


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


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

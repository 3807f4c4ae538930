"""How worker failures are worded for the person at the keyboard."""

from __future__ import annotations

from zhen.errors import ZhenError


def describe_error(exc: BaseException) -> str:
    """A ZhenError's own message; anything else is named as a bug, since it should not happen."""
    if isinstance(exc, ZhenError):
        return str(exc)
    return f"{type(exc).__name__}: {exc} (unexpected; please report it)"

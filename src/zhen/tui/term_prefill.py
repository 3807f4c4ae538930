"""What the add-term form starts with: a term-like part of the matched text, never a clause."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

from zhen.text.normalize import normalize_zh

# Chinese runs are split at punctuation and spaces: 越中情谊深、同志加兄弟 holds two terms.
_ZH_BREAKS = re.compile(
    r"[\s!-/:-@\[-`{-~\u2010-\u205e\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]+"
)


def term_parts(text: str) -> list[str]:
    """The pieces of a Chinese `text` between punctuation marks and spaces, in order."""
    return [piece for piece in _ZH_BREAKS.split(text) if piece and not _is_punctuation(piece)]


def term_prefill(text: str, known: Collection[str] = ()) -> str:
    """The Chinese a new term starts with: the first part of `text` that is not a `known`
    glossary term yet (else its first part); "" when `text` is only punctuation."""
    parts = term_parts(text)
    # Compared as lookup compares them: 傳統友誼 or full-width forms are the same term.
    known_keys = {normalize_zh(term) for term in known}
    new = [part for part in parts if normalize_zh(part) not in known_keys]
    return (new or parts or [""])[0]


def english_prefill(text: str) -> str:
    """An English span without the quotes and punctuation around it (`"a b,"` → `a b`)."""
    start, end = 0, len(text)
    while start < end and _is_edge_mark(text[start]):
        start += 1
    while end > start and _is_edge_mark(text[end - 1]):
        end -= 1
    return text[start:end]


def _is_edge_mark(character: str) -> bool:
    # Closing brackets and hyphens inside a rendering stay; only what wraps a span goes.
    return character.isspace() or unicodedata.category(character) in {"Po", "Pi", "Pf"}


def _is_punctuation(piece: str) -> bool:
    return all(unicodedata.category(character).startswith("P") for character in piece)

"""Inflection-tolerant English matching: word stems, hyphen/space variants, token spans.

A rendering matches a draft when its sequence of word stems occurs in the draft's sequence of
stems. Stems (zhen.text.stem) fold case, apostrophes, possessives, inflections, irregular forms and
British/American spellings, so "people-to-people exchanges" matches "People-to-People Exchange"
and "people to people exchanges". A hyphenated compound is also tried as one word
("multi-polar" ↔ "multipolar").
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from zhen.text.normalize import fold_width
from zhen.text.stem import stem
from zhen.text.tokens import words

_HYPHENS = frozenset({"-", "‐", "‑"})
# Leading articles do not make a rendering: "the Belt and Road Initiative" ≈ "a Belt and Road ...".
_ARTICLES = frozenset({"the", "a", "an"})


@dataclass(frozen=True, slots=True)
class Stream:
    """A draft sentence as a stem sequence keyed " s1 s2 … " for substring/automaton search."""

    key: str
    starts: tuple[int, ...]  # position in `key` where each token's stem starts
    spans: tuple[tuple[int, int], ...]  # each token's (start, end) in the original text

    def token_range(self, key_start: int, key_end: int) -> tuple[int, int]:
        """Tokens [first, last+1) covered by key[key_start:key_end] (a " a b " match)."""
        first = bisect_right(self.starts, key_start)  # key_start is the space before the token
        last = bisect_right(self.starts, key_end - 1)
        return first, last

    def char_span(self, first: int, last: int) -> tuple[int, int]:
        """Character span in the original text of tokens [first, last)."""
        return self.spans[first][0], self.spans[last - 1][1]


def _tokens(text: str) -> list[tuple[str, int, int]]:
    folded = fold_width(text)
    if len(folded) != len(text):  # NFKC changed lengths: match on the raw text to keep offsets
        folded = text
    return [(word.text, word.start, word.end) for word in words(folded)]


def _make_stream(words: list[tuple[str, int, int]]) -> Stream:
    parts: list[str] = []
    starts: list[int] = []
    position = 1
    for word, _, _ in words:
        starts.append(position)
        parts.append(word)
        position += len(word) + 1
    key = " " + " ".join(parts) + " " if parts else " "
    return Stream(key, tuple(starts), tuple((s, e) for _, s, e in words))


def streams(text: str) -> tuple[Stream, ...]:
    """The draft as stems, plus (when it has hyphenated compounds) a joined-compound variant."""
    tokens = _tokens(text)
    stemmed = [(stem(word), start, end) for word, start, end in tokens]
    split = _make_stream(stemmed)
    joined_words = _join_hyphenated(text, tokens)
    if joined_words is None:
        return (split,)
    return split, _make_stream(joined_words)


def _join_hyphenated(
    text: str, tokens: list[tuple[str, int, int]]
) -> list[tuple[str, int, int]] | None:
    """Tokens with each hyphen-joined run merged into one stemmed word; None if there is none."""
    merged: list[tuple[str, int, int]] = []
    any_joined = False
    for word, start, end in tokens:
        if merged and text[merged[-1][2] : start] in _HYPHENS:
            raw, first_start, _ = merged[-1]
            merged[-1] = (raw + word, first_start, end)
            any_joined = True
        else:
            merged.append((word, start, end))
    if not any_joined:
        return None
    return [(stem(word), start, end) for word, start, end in merged]


def key_words(key: str) -> list[str]:
    """The stems of a search key (" s1 s2 " → ["s1", "s2"])."""
    return key.split()


def is_subsequence(short: list[str], long: list[str]) -> bool:
    """True when `short` is `long` with words left out ("small chat" in "small-group chat")."""
    remaining = iter(long)
    return all(word in remaining for word in short)


@lru_cache(maxsize=65536)
def pattern_keys(rendering: str) -> tuple[str, ...]:
    """Search keys (" s1 s2 ") for a glossary rendering: split form and hyphen-joined form.

    Empty when the rendering has no English word (nothing to look for).
    """
    tokens = _tokens(rendering)
    while tokens and tokens[0][0].lower() in _ARTICLES and len(tokens) > 1:
        tokens = tokens[1:]
    if not tokens:
        return ()
    keys = [" " + " ".join(stem(word) for word, _, _ in tokens) + " "]
    joined = _join_hyphenated(rendering, tokens)
    if joined is not None:
        keys.append(" " + " ".join(word for word, _, _ in joined) + " ")
    swapped = _swap_name_pair(rendering, tokens)
    if swapped is not None:
        keys.append(" " + " ".join(stem(word) for word, _, _ in swapped) + " ")
    return tuple(dict.fromkeys(keys))


def _swap_name_pair(
    rendering: str, tokens: list[tuple[str, int, int]]
) -> list[tuple[str, int, int]] | None:
    """ "Vietnam-China relations" → "China-Vietnam relations": each side names itself first.

    Only for a first hyphenated pair of capitalised names, the bilateral compound news uses.
    """
    for i in range(len(tokens) - 1):
        (left, _, left_end), (right, right_start, _) = tokens[i], tokens[i + 1]
        if rendering[left_end:right_start] in _HYPHENS:
            if left[:1].isupper() and right[:1].isupper():
                return [*tokens[:i], tokens[i + 1], tokens[i], *tokens[i + 2 :]]
            return None
    return None

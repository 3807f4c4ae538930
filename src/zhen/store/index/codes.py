"""Token codes of the lookup index: zh character bigrams and en words as sortable integers."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

_EN_CODE_LEN = 12
_EN_BASE = 37
_EN_POWERS = np.array([_EN_BASE ** (_EN_CODE_LEN - 1 - i) for i in range(_EN_CODE_LEN)], np.int64)
# a–z → 1…26, 0–9 → 27…36, any other byte → 0. Indexed by a byte, or by min(code point, 0x80).
_ASCII_VALUES = np.zeros(0x100, dtype=np.uint8)
_ASCII_VALUES[0x61:0x7B] = np.arange(1, 27)
_ASCII_VALUES[0x30:0x3A] = np.arange(27, 37)

# Words too frequent to narrow anything: indexing them would add ~15% postings for no recall.
_STOPWORD_TEXT = (
    "a an the of to in and or is are was were be been it its on at by for with as that this "
    "from has have had not but he she they we you i his her their our s t"
)
EN_STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def _codepoints(texts: Sequence[str], *, ascii_only: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Code points of the texts joined by NUL (plus a final NUL), and each one's text index.

    With `ascii_only`, every non-ASCII character becomes "?" (one byte each, so positions are
    kept): a quarter of the memory traffic for English, where only [a-z0-9] matter.
    """
    joined = "\x00".join(texts) + "\x00"
    if ascii_only:
        points = np.frombuffer(joined.encode("ascii", "replace"), dtype=np.uint8)
    else:
        points = np.frombuffer(joined.encode("utf-32-le"), dtype="<u4")
    lengths = np.array(list(map(len, texts)), dtype=np.int64) + 1
    owner_of = np.repeat(np.arange(len(texts), dtype=np.int32), lengths)
    return points, owner_of


def _zh_indexable(points: np.ndarray) -> np.ndarray:
    """Chinese ideographs and ASCII letters/digits; punctuation and spaces break bigrams."""
    ascii_ok = _ASCII_VALUES[np.minimum(points, 0x80)] > 0
    indexable: np.ndarray = (
        ascii_ok
        | ((points >= 0x4E00) & (points <= 0x9FFF))
        | ((points >= 0x3400) & (points <= 0x4DBF))
        | ((points >= 0xF900) & (points <= 0xFAFF))
        | ((points >= 0x20000) & (points <= 0x2FFFF))
    )
    return indexable


def zh_codes(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(text index, bigram code) for every bigram of indexable characters in normalised zh."""
    if not texts:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    points, owner_of = _codepoints(texts)
    ok = _zh_indexable(points)
    positions = np.flatnonzero(ok[:-1] & ok[1:])
    codes = (points[positions].astype(np.int64) << 21) | points[positions + 1]
    return owner_of[positions].astype(np.int64), codes


def en_word_code(word: str) -> int:
    """The code of one normalised English word (its first 12 [a-z0-9] characters, base 37)."""
    code = 0
    for i in range(_EN_CODE_LEN):
        ch = word[i] if i < len(word) else ""
        if "a" <= ch <= "z":
            value = ord(ch) - 0x60
        elif "0" <= ch <= "9":
            value = ord(ch) - 0x30 + 27
        else:
            value = 0
        code = code * _EN_BASE + value
    return code


def en_code_word(code: int) -> str:
    """The (possibly truncated) word a code stands for; inverse of `en_word_code`."""
    chars = []
    for _ in range(_EN_CODE_LEN):
        code, value = divmod(code, _EN_BASE)
        if value:
            chars.append(chr(value + 0x60) if value <= 26 else chr(value - 27 + 0x30))
    return "".join(reversed(chars))


_LETTERS = np.frombuffer(b"\0abcdefghijklmnopqrstuvwxyz0123456789", dtype=np.uint8)


def en_code_words(codes: np.ndarray) -> list[str]:
    """Vectorised `en_code_word` for many codes (typo expansion decodes thousands at once)."""
    remaining = np.asarray(codes, dtype=np.int64).copy()
    letters = np.zeros((len(remaining), _EN_CODE_LEN), dtype=np.uint8)
    for position in range(_EN_CODE_LEN - 1, -1, -1):
        letters[:, position] = _LETTERS[remaining % _EN_BASE]
        remaining //= _EN_BASE
    # Zero bytes pad short words at the end; numpy's bytes dtype drops them.
    return [word.decode("ascii") for word in letters.view(f"S{_EN_CODE_LEN}").ravel().tolist()]


def en_prefix_range(prefix: str) -> tuple[int, int]:
    """The inclusive code range of all words starting with `prefix` (≤ 12 characters)."""
    low = en_word_code(prefix)
    span = _EN_BASE ** max(_EN_CODE_LEN - len(prefix), 0) - 1
    return low, low + span


_STOP_CODES = np.array(sorted(en_word_code(w) for w in EN_STOPWORDS), dtype=np.int64)


def en_codes(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(text index, word code) for every non-stopword word of normalised English texts."""
    if not texts:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    points, owner_of = _codepoints(texts, ascii_only=True)
    values = _ASCII_VALUES[points]
    in_word = values > 0
    edges = np.flatnonzero(in_word[1:] != in_word[:-1]) + 1
    if in_word[0]:
        edges = np.concatenate(([0], edges))
    word_starts, word_ends = edges[0::2], edges[1::2]  # the final NUL closes every word
    if not len(word_starts):
        return np.empty(0, np.int64), np.empty(0, np.int64)
    # Read each word's first 12 letters in base 37, one letter position at a time over the
    # words still that long (most are short, so the work is about one step per letter).
    lengths = word_ends - word_starts
    codes = np.zeros(len(word_starts), dtype=np.int64)
    active = np.arange(len(word_starts))
    for position in range(_EN_CODE_LEN):
        if position:
            active = active[lengths[active] > position]
            if not len(active):
                break
        letters = values[word_starts[active] + position].astype(np.int64)
        codes[active] += letters * int(_EN_POWERS[position])
    where = np.minimum(np.searchsorted(_STOP_CODES, codes), len(_STOP_CODES) - 1)
    keep = _STOP_CODES[where] != codes
    return owner_of[word_starts[keep]].astype(np.int64), codes[keep]


def query_zh_codes(zh_norm: str) -> list[int]:
    """Distinct bigram codes of one normalised Chinese query, in text order."""
    return list(dict.fromkeys(zh_codes([zh_norm])[1].tolist()))


def query_en_codes(en_norm: str) -> list[int]:
    """Distinct word codes of one normalised English query (stopwords left out), in text order."""
    return list(dict.fromkeys(en_codes([en_norm])[1].tolist()))

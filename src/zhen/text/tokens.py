"""The one English tokenizer: words with their character spans, variants as parameters.

A word is a run of Latin letters (accented ones included) and digits, with inner apostrophes
kept ("people's", "China’s", "O'Brien"); hyphens, slashes and other punctuation separate words,
so "well-being" is two words and "Belt and Road" three. Callers that need another notion of a
word ask for it with a parameter of `words` rather than a regex of their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# Latin letters with the accented ones of Latin-1 and Latin Extended-A/B, without × and ÷.
_LETTER = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
_APOSTROPHE = "['’]"
# Characters that join the parts of a compound name or code: COVID-19, R&D, C++ (see `words`).
_JOINERS = "[-+&]"
# A dotted abbreviation ("U.S.", "U.K."): one word, so its letters translate 美国 together.
_DOTTED = r"(?:[A-Z]\.){2,}"


@dataclass(frozen=True, slots=True)
class Word:
    """An English word with its character span in the text it was read from."""

    text: str
    start: int
    end: int

    def __reduce__(self) -> tuple[type[Word], tuple[str, int, int]]:
        # Pickled by its fields in order: faster to read back than the dataclass's generic state.
        return Word, (self.text, self.start, self.end)

    @property
    def lower(self) -> str:
        """The word in lower case, curly apostrophe straightened."""
        return self.text.lower().replace("’", "'")

    @property
    def capitalized(self) -> bool:
        """True for a word starting with a capital letter (or an all-caps acronym)."""
        return self.text[:1].isupper()


@lru_cache(maxsize=16)
def _pattern(compounds: bool, abbreviations: bool, numbers: bool) -> re.Pattern[str]:
    part = f"[{_LETTER}0-9]+"
    first = part if numbers else f"[{_LETTER}][{_LETTER}0-9]*"
    inner = f"(?:{_APOSTROPHE}|{_JOINERS})" if compounds else _APOSTROPHE
    word = f"{first}(?:{inner}{part})*"
    return re.compile(f"{_DOTTED}|{word}" if abbreviations else word)


def words(
    text: str, *, compounds: bool = False, abbreviations: bool = False, numbers: bool = True
) -> list[Word]:
    """The English words of `text` with their spans.

    compounds     — keep hyphen/plus/ampersand compounds whole ("COVID-19", "R&D", "G-20"):
                    the aligner compares such Latin codes between a Chinese sentence, which
                    writes them inside Chinese characters, and its English;
    abbreviations — read a dotted abbreviation ("U.S.") as one word;
    numbers       — when False a word starts at a letter: no "2023", and "500ml" is "ml", so a
                    unit glued to its number in Chinese meets the same unit spaced in English.
    """
    pattern = _pattern(compounds, abbreviations, numbers)
    return [Word(m.group(), m.start(), m.end()) for m in pattern.finditer(text)]


def word_texts(
    text: str, *, compounds: bool = False, abbreviations: bool = False, numbers: bool = True
) -> list[str]:
    """The texts of `words(text, …)` alone, for callers that need no spans (same parameters)."""
    return _pattern(compounds, abbreviations, numbers).findall(text)


_LATIN_LETTER = re.compile(f"[{_LETTER}]")


def has_latin(text: str) -> bool:
    """Whether `text` holds a Latin letter (accented ones too): the mark of an English side."""
    return _LATIN_LETTER.search(text) is not None

"""Inflection-tolerant English matching: word stems, hyphen/space variants, token spans.

A rendering matches a draft when its sequence of word stems occurs in the draft's sequence of
stems. Stems fold case, curly/straight apostrophes, possessives, regular plurals and -ed/-ing
(and a small table of irregular forms), and a few British/American spellings, so "people-to-people
exchanges" matches "People-to-People Exchange" and "people to people exchanges". A hyphenated
compound is also tried as one word ("multi-polar" ↔ "multipolar").
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from zhen.text.normalize import fold_width

_WORD_RE = re.compile(r"[A-Za-z0-9\u00c0-\u024f]+(?:['’][A-Za-z]+)*")
_HYPHENS = frozenset({"-", "‐", "‑"})
# Leading articles do not make a rendering: "the Belt and Road Initiative" ≈ "a Belt and Road ...".
_ARTICLES = frozenset({"the", "a", "an"})

# Irregular forms that occur in political/news prose; regular ones are handled by rule.
_IRREGULAR = {
    "men": "man", "women": "woman", "children": "child", "feet": "foot", "teeth": "tooth",
    "mice": "mouse", "lives": "life", "wives": "wife", "knives": "knife", "halves": "half",
    "leaves": "leaf", "thieves": "thief", "crises": "crisis", "analyses": "analysis",
    "bases": "basis", "theses": "thesis", "criteria": "criterion", "phenomena": "phenomenon",
    "data": "datum", "media": "medium",
    "led": "lead", "held": "hold", "made": "make", "took": "take", "taken": "take",
    "won": "win", "gave": "give", "given": "give", "met": "meet", "built": "build",
    "sought": "seek", "brought": "bring", "thought": "think", "spoke": "speak",
    "spoken": "speak", "chose": "choose", "chosen": "choose", "grew": "grow", "grown": "grow",
    "rose": "rise", "risen": "rise", "fell": "fall", "fallen": "fall", "began": "begin",
    "begun": "begin", "saw": "see", "seen": "see", "went": "go", "gone": "go", "goes": "go",
    "said": "say", "says": "say", "did": "do", "done": "do", "does": "do", "was": "be",
    "were": "be", "been": "be", "is": "be", "are": "be", "am": "be", "has": "have",
    "had": "have", "kept": "keep", "left": "leave", "lost": "lose", "paid": "pay",
    "sent": "send", "spent": "spend", "stood": "stand", "struck": "strike", "told": "tell",
    "understood": "understand", "wrote": "write", "written": "write", "drew": "draw",
    "drawn": "draw", "forged": "forge", "upheld": "uphold", "withdrew": "withdraw",
    "withdrawn": "withdraw", "bore": "bear", "borne": "bear", "sped": "speed",
    "fought": "fight", "taught": "teach", "caught": "catch", "bought": "buy", "ran": "run",
    "came": "come", "became": "become", "found": "find", "felt": "feel", "heard": "hear",
    "meant": "mean", "set": "set", "put": "put", "cut": "cut", "hit": "hit",
    # Xinhua English says "both countries" for 两国 as often as "the two countries".
    "both": "two",
}  # fmt: skip
# Adjective forms of the country names news prose uses: "the Vietnamese people" renders 越南人民
# as well as "the people of Vietnam" does, so the demonym and the name share a stem.
_DEMONYMS = {
    "chinese": "china", "vietnamese": "vietnam", "japanese": "japan", "korean": "korea",
    "american": "america", "russian": "russia", "indian": "india", "african": "africa",
    "european": "europe", "asian": "asia", "lao": "laos", "cambodian": "cambodia",
    "thai": "thailand", "indonesian": "indonesia", "malaysian": "malaysia",
    "philippine": "philippines", "filipino": "philippines", "singaporean": "singapore",
    "pakistani": "pakistan", "british": "britain", "french": "france", "german": "germany",
    "italian": "italy", "spanish": "spain", "brazilian": "brazil", "mexican": "mexico",
    "canadian": "canada", "australian": "australia", "egyptian": "egypt", "iranian": "iran",
    "israeli": "israel", "palestinian": "palestine", "ukrainian": "ukraine", "turkish": "turkey",
    "mongolian": "mongolia", "nepali": "nepal", "nepalese": "nepal", "serbian": "serbia",
    "hungarian": "hungary", "kazakh": "kazakhstan", "uzbek": "uzbekistan",
}  # fmt: skip
_IRREGULAR.update(_DEMONYMS)
# British spellings folded to American at the start of a word (labourers → laborers).
_UK_US = (
    ("neighbour", "neighbor"), ("labour", "labor"), ("favour", "favor"), ("honour", "honor"),
    ("behaviour", "behavior"), ("colour", "color"), ("harbour", "harbor"), ("centre", "center"),
    ("defence", "defense"), ("offence", "offense"), ("programme", "program"),
    ("modernis", "moderniz"), ("organis", "organiz"), ("globalis", "globaliz"),
    ("realis", "realiz"), ("recognis", "recogniz"), ("emphasis", "emphasiz"),
    ("prioritis", "prioritiz"), ("stabilis", "stabiliz"), ("mobilis", "mobiliz"),
    ("normalis", "normaliz"), ("characteris", "characteriz"), ("industrialis", "industrializ"),
)  # fmt: skip
_UNDOUBLE_KEEP = frozenset("lsfzd")
_VOWELS = frozenset("aeiouy")


def _has_vowel(text: str) -> bool:
    return any(ch in _VOWELS for ch in text)


@lru_cache(maxsize=131072)
def stem(word: str) -> str:
    """A light, deterministic stem: one key for a word's plural, -ed and -ing forms."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = w.replace("'", "")
    if w in _IRREGULAR:
        return stem(_IRREGULAR[w]) if _IRREGULAR[w] != w else w
    if len(w) <= 3 or not w.isalpha():
        return w
    for uk, us in _UK_US:
        if w.startswith(uk):
            w = us + w[len(uk) :]
            break
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith(("sses", "shes", "ches", "xes", "zzes")):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    suffix = ""
    if w.endswith("ied") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("ed") and len(w) >= 5 and _has_vowel(w[:-2]):
        w, suffix = w[:-2], "ed"
    elif w.endswith("ing") and len(w) >= 6 and _has_vowel(w[:-3]):
        w, suffix = w[:-3], "ing"
    if suffix and len(w) > 3 and w[-1] == w[-2] and w[-1] not in _UNDOUBLE_KEEP | _VOWELS:
        w = w[:-1]  # planned → plan, committing → commit
    if len(w) >= 4 and w.endswith("e"):
        w = w[:-1]  # cooperate / cooperated / cooperating share "cooperat"
    return w


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
    return [(m.group(), m.start(), m.end()) for m in _WORD_RE.finditer(folded)]


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

"""Sentence splitting for Chinese and English paragraphs of news text.

Chinese: a sentence ends at 。！？ (and half-width !?), at an ellipsis …… and at a full stop "."
written straight after a Chinese character; closing quotes and brackets stay with the sentence they
close, and nothing splits inside “…”, ‘…’, 「…」, 『…』, 《…》 or (…)/（…）. The semicolon ；
does NOT end a sentence: in Xinhua prose it separates the clauses of one enumerating sentence,
which the English version renders as one sentence at least as often as two, and the aligner pairs
a whole sentence with one or two English sentences cheaply (1-2 beads) whereas a clause that was
split off has no counterpart of its own.

English: a sentence ends at . ! ? or an ellipsis, after any closing quotes or brackets, when the
next word starts a sentence (capital letter, digit or opening quote). Known abbreviations (Mr.,
Jan., No. 1, U.S., initials such as "George W. Bush") do not end a sentence; a dotted acronym such
as "U.S." does when the next word is one that usually opens a sentence ("… in the U.S. The …").

Length cap: a "sentence" longer than ZH_MAX_SENTENCE (Chinese) or EN_MAX_SENTENCE (English)
characters is text without end marks (a page copied without its punctuation, a list run
together): it is cut into pieces no longer than that, after the last clause mark (，；：、 or
, ; :) within the limit, else at the last space, else at the limit itself. No real sentence of
the seeds, MAC-Dev or WMT22 comes near the limits (the longest are 300 and 1,650 characters), and
the aligner's memory and time per sentence stay bounded.
"""

from __future__ import annotations

import re

_ZH_ENDS = "。！？!?"
_ZH_CLOSERS = "”’」』）)》〉】〕\"'"
_ZH_PAIRS = {"“": "”", "‘": "’", "「": "」", "『": "』", "《": "》", "（": "）", "(": ")"}
# Punctuation that can never open a sentence: a split before it is pushed past it.
_ZH_NO_START = "，、；：,;:。！？!?…）)》」』”’"
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# Longest sentences kept whole (see the module docstring); English runs about three characters
# to a Chinese one.
ZH_MAX_SENTENCE = 600
EN_MAX_SENTENCE = 1800
_ZH_CLAUSE_MARKS = "，；：、,;:"
_EN_CLAUSE_MARKS = ",;:"


def split_zh(paragraph: str) -> list[str]:
    """Split a Chinese paragraph into sentences (see the module docstring for the rules)."""
    text = paragraph.strip()
    if not text:
        return []
    protected = _protected_spans(text)
    sentences: list[str] = []
    start = 0
    i = 0
    length = len(text)
    while i < length:
        end = _zh_sentence_end(text, i)
        if end is None:
            i += 1
            continue
        # Keep closing quotes/brackets and any punctuation that cannot open a sentence.
        while end < length and (text[end] in _ZH_CLOSERS or text[end] in _ZH_NO_START):
            end += 1
        if protected[end - 1]:
            # Inside “…” or 《…》 and not closed straight after the mark: no sentence end.
            i += 1
            continue
        sentences.extend(_capped(text[start:end], ZH_MAX_SENTENCE, _ZH_CLAUSE_MARKS))
        start = end
        i = end
    sentences.extend(_capped(text[start:], ZH_MAX_SENTENCE, _ZH_CLAUSE_MARKS))
    return sentences


def _capped(sentence: str, limit: int, clause_marks: str) -> list[str]:
    """The stripped sentence, cut into pieces of at most `limit` characters when longer
    (after a clause mark, else at a space, else at the limit); [] when it is blank."""
    text = sentence.strip()
    pieces = []
    start = 0
    while len(text) - start > limit:
        stop = start + limit
        cut = max(text.rfind(mark, start, stop) for mark in clause_marks) + 1
        if cut <= start:
            cut = text.rfind(" ", start, stop)
        if cut <= start:
            cut = stop
        pieces.append(text[start:cut].strip())
        start = cut
        while start < len(text) and text[start].isspace():
            start += 1
    if start < len(text):
        pieces.append(text[start:])
    return pieces


def _zh_sentence_end(text: str, i: int) -> int | None:
    """If a sentence-ending mark starts at i, the index just past it; else None."""
    ch = text[i]
    if ch in _ZH_ENDS:
        return i + 1
    if ch == "…" and i + 1 < len(text) and text[i + 1] == "…":
        return i + 2
    if ch == "." and i > 0 and _CJK.match(text[i - 1]):
        # A full stop typed after a Chinese character; decimals such as 2.8 are never preceded
        # by one.
        return i + 1
    return None


def _protected_spans(text: str) -> list[bool]:
    """Mark characters inside matched quotes or book-title/round brackets (no split there).

    The closing character itself is not protected, so “……。”他说 can split after the quote.
    An opener without a partner in the paragraph protects nothing: a stray “ must not swallow
    the rest of the paragraph.
    """
    protected = [False] * len(text)
    stack: list[tuple[str, int]] = []
    for index, ch in enumerate(text):
        if stack and ch == _ZH_PAIRS[stack[-1][0]]:
            _opener, open_index = stack.pop()
            if not stack:
                for k in range(open_index, index):
                    protected[k] = True
        elif ch in _ZH_PAIRS:
            stack.append((ch, index))
    return protected


# --- English -------------------------------------------------------------------------------

# Abbreviations that never end a sentence when followed by a capitalised word or a number.
_EN_TITLES = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "cmdr", "adm", "sgt",
    "sen", "rep", "gov", "pres", "amb", "rev", "hon", "st", "mt", "ft", "sr", "jr", "messrs",
    "vs", "cf", "approx", "dept", "est", "govt", "univ", "assn", "bros", "co",
}  # fmt: skip
# Abbreviations that do not end a sentence when a number follows ("Jan. 26", "No. 1", "Art. 5").
_EN_BEFORE_NUMBER = {
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "no", "nos", "art", "arts", "vol", "vols", "p", "pp", "fig", "figs", "ch", "sec", "para",
    "op", "tel", "ed",
}  # fmt: skip
# Words that usually open a sentence: after "U.S." or "a.m." they signal a sentence end.
_EN_STARTERS = {
    "the", "this", "that", "these", "those", "it", "its", "he", "she", "they", "we", "i", "you",
    "there", "in", "on", "at", "but", "and", "a", "an", "as", "after", "before", "when", "while",
    "if", "however", "meanwhile", "also", "according", "his", "her", "their", "our", "some",
    "many", "both", "all", "for", "with", "since", "last", "earlier", "later", "under", "during",
}  # fmt: skip
_EN_BOUNDARY = re.compile(
    r"""(?:\.{3}|…|[.!?])          # the end mark (an ellipsis counts)
        [\"'”’)\]]*                # closing quotes and brackets stay with the sentence
        (?=\s+[\"'“‘(\[]*[A-Z0-9]) # whitespace, then a sentence-like start
    """,
    re.VERBOSE,
)
_EN_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")
_EN_NEXT_WORD = re.compile(r"\s+[\"'“‘(\[]*([A-Za-z0-9]+)")
_DOTTED_ACRONYM = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]$")
_LIST_MARKER = re.compile(r"^\(?(?:\d{1,3}|[ivxlcdm]{1,5}|[A-Za-z])[.)]$", re.IGNORECASE)


def split_en(paragraph: str) -> list[str]:
    """Split an English paragraph into sentences (see the module docstring for the rules)."""
    text = " ".join(paragraph.split())
    if not text:
        return []
    sentences: list[str] = []
    start = 0
    for match in _EN_BOUNDARY.finditer(text):
        end = match.end()
        if not _is_en_sentence_end(text, start, match.start(), end):
            continue
        sentences.extend(_capped(text[start:end], EN_MAX_SENTENCE, _EN_CLAUSE_MARKS))
        start = end
    sentences.extend(_capped(text[start:], EN_MAX_SENTENCE, _EN_CLAUSE_MARKS))
    return sentences


def _is_en_sentence_end(text: str, start: int, mark: int, end: int) -> bool:
    """Decide whether the end mark at `mark` (boundary ending at `end`) closes a sentence."""
    if text[mark] != ".":
        return True  # ! ? and ellipses followed by a capital are sentence ends
    if text.startswith("...", mark) or text[mark] == "…":
        return True
    sentence_so_far = text[start : mark + 1].strip()
    if _LIST_MARKER.match(sentence_so_far):
        return False  # "1. First…" or "(a) …" list numbering
    word_match = _EN_WORD_BEFORE.search(text[start : mark + 1])
    if not word_match or end != mark + 1:
        # A full stop after a number or a closing quote/bracket: a plain sentence end.
        return True
    word = word_match.group(1)
    bare = word.rstrip(".").lower()
    next_match = _EN_NEXT_WORD.match(text, end)
    next_word = next_match.group(1) if next_match else ""
    if bare in _EN_TITLES:
        return False
    if bare in _EN_BEFORE_NUMBER and next_word[:1].isdigit():
        return False
    if _DOTTED_ACRONYM.match(word.rstrip(".")) or (len(word) == 1 and word.isupper()):
        # "U.S.", "a.m.", an initial "W.": only a typical sentence opener after it ends it.
        return next_word.lower() in _EN_STARTERS and next_word[:1].isupper()
    return True

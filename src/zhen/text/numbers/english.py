"""Quantities in English text: digits, number words, ordinals, dates, percentages, plans."""

from __future__ import annotations

import re
from dataclasses import replace

from zhen.text.numbers.model import (
    Quantity,
    _arabic_value,
    _canon,
    _formula_value,
    _is_year_like,
    span_end_year,
)

_EN_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
             "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
             "eighteen", "nineteen"]  # fmt: skip
_EN_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_EN_ORD_UNITS = ["zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh",
                 "eighth", "ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth",
                 "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth"]  # fmt: skip
_EN_ORD_TENS = ["twentieth", "thirtieth", "fortieth", "fiftieth", "sixtieth", "seventieth",
                "eightieth", "ninetieth"]  # fmt: skip
_EN_WORD_VALUES: dict[str, int] = {w: i for i, w in enumerate(_EN_UNITS)}
_EN_WORD_VALUES.update({w: 20 + 10 * i for i, w in enumerate(_EN_TENS)})
_EN_ORD_VALUES: dict[str, int] = {w: i for i, w in enumerate(_EN_ORD_UNITS) if i}
_EN_ORD_VALUES.update({w: 20 + 10 * i for i, w in enumerate(_EN_ORD_TENS)})
_EN_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
              "trillion": 1_000_000_000_000}  # fmt: skip
_MONTHS = {name: i + 1 for i, name in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"])}  # fmt: skip
_MONTHS.update({"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
                "sept": 9, "oct": 10, "nov": 11, "dec": 12})  # fmt: skip

_WORD_NUM = "|".join(
    sorted(
        [*_EN_UNITS, *_EN_TENS, *(f"{t}-{u}" for t in _EN_TENS for u in _EN_UNITS[1:10])],
        key=len,
        reverse=True,
    )
)
_WORD_ORD = "|".join(
    sorted(
        [*_EN_ORD_VALUES, *(f"{t}-{o}" for t in _EN_TENS for o in _EN_ORD_UNITS[1:10])],
        key=len,
        reverse=True,
    )
)
_EN_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
_MONTH_RE = r"(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_SCALE_RE = r"(?:\s+(?P<scale>hundred|thousand|million|billion|trillion))?"
_B = r"(?<![\w.])(?<![A-Za-z]-)"  # not glued to a word (COVID-19) or a decimal point
_E = r"(?![\w])"
_DAY = rf"(?P<d>\d{{1,2}})(?:st|nd|rd|th)?{_E}"
_YEAR = rf"(?P<y>\d{{4}}){_E}"
_PERCENT = r"(?:%|per\s*cent|percentage\s+points?)"

_EN_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # "2019-20": the end of a span of years, written with its last two digits.
    ("year", re.compile(r"(?<=\b\d{4}[-–—/])(?P<n>\d{2})\b(?![-–—/.,]\d)")),
    ("plan", re.compile(rf"{_B}(?P<n>\d+)(?:st|nd|rd|th)\s+Five-Year\s+Plan\b", re.I)),
    ("plan", re.compile(rf"\b(?P<w>{_WORD_ORD})\s+Five-Year\s+Plan\b", re.I)),
    ("formula", re.compile(rf"{_B}\d+(?:\s*\+\s*\d+)+{_E}")),
    ("date", re.compile(rf"\b{_MONTH_RE}\s+{_DAY}(?:,?\s+{_YEAR})?", re.I)),
    ("date", re.compile(rf"{_B}{_DAY}\s+{_MONTH_RE}(?:,?\s+{_YEAR})?", re.I)),
    ("date", re.compile(rf"\b{_MONTH_RE}(?:\s+of)?\s+(?P<y>\d{{4}}){_E}", re.I)),
    ("percent", re.compile(rf"{_B}(?P<n>{_EN_NUM}|{_WORD_NUM})\s*{_PERCENT}", re.I)),
    ("anniversary", re.compile(rf"{_B}(?P<n>\d+)(?:st|nd|rd|th)\s+anniversary\b", re.I)),
    ("anniversary", re.compile(rf"\b(?P<w>{_WORD_ORD})\s+anniversary\b", re.I)),
    ("ordinal", re.compile(rf"{_B}(?P<n>\d+)(?:st|nd|rd|th){_E}", re.I)),
    ("ordinal", re.compile(rf"\b(?P<w>{_WORD_ORD})\b", re.I)),
    ("number", re.compile(rf"{_B}(?P<n>{_EN_NUM}){_SCALE_RE}{_E}", re.I)),
    ("number", re.compile(rf"\b(?P<w>{_WORD_NUM}){_SCALE_RE}\b", re.I)),
]  # fmt: skip

# "one" that is a pronoun or part of a fixed phrase rather than a count.
_EN_ONE_IDIOM = re.compile(r"\b(?:no|any|every|some)\s*one\b|\bone\s+(?:another|of|by)\b", re.I)


def _word_value(word: str, table: dict[str, int]) -> int | None:
    word = word.lower()
    if word in table:
        return table[word]
    tens, _, unit = word.partition("-")
    if tens in _EN_WORD_VALUES and unit:
        unit_value = table.get(unit)
        if unit_value is not None:
            return _EN_WORD_VALUES[tens] + unit_value
    return None


_EN_NUMBER_WORDS = frozenset(
    [*_EN_WORD_VALUES, *_EN_ORD_VALUES, *(w.split("-")[0] for w in _EN_TENS)]
)
_EN_WORDS = re.compile(r"[a-z]+")


def en_quantities(text: str) -> list[Quantity]:
    """Quantities in English text, left to right, non-overlapping (earlier patterns win)."""
    # Most sentences hold no quantity at all: a cheap look first spares a dozen regex scans.
    words = set(_EN_WORDS.findall(text.lower()))
    if not (words & _EN_NUMBER_WORDS or words & _MONTHS.keys() or any(c.isdigit() for c in text)):
        return []
    found: list[Quantity] = []
    taken = [False] * (len(text) + 1)
    for idiom in _EN_ONE_IDIOM.finditer(text):
        for i in range(*idiom.span()):
            taken[i] = True
    for kind, pattern in _EN_PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(taken[start:end]):
                continue
            quantity = _en_quantity(kind, match)
            if quantity is None:
                continue
            found.append(_hedged(quantity, text))
            for i in range(start, end):
                taken[i] = True
    return sorted(found, key=lambda q: q.span)


# Words before a count that hedge it (see Quantity.approx), as the hedge's last words.
_HEDGE_BEFORE = re.compile(
    r"\b(?:(?P<more>more\s+than|over|upwards\s+of|in\s+excess\s+of)"
    r"|(?P<nearly>nearly|almost|close\s+to|approaching)"
    r"|(?P<about>about|around|some|approximately|roughly|an\s+estimated))\s+$",
    re.I,
)


def _hedged(quantity: Quantity, text: str) -> Quantity:
    """The quantity with the hedge written before it ("more than 300,000"), if any."""
    if quantity.kind not in ("number", "percent"):
        return quantity
    hedge = _HEDGE_BEFORE.search(text, max(0, quantity.span[0] - 24), quantity.span[0])
    if hedge is None:
        return quantity
    return replace(quantity, approx=next(name for name, word in hedge.groupdict().items() if word))


def _en_quantity(kind: str, match: re.Match[str]) -> Quantity | None:
    surface, span = match.group(), match.span()
    groups = match.groupdict()
    if kind == "formula":
        return Quantity("formula", _formula_value(surface), surface, span)
    if kind == "date":
        month = _MONTHS[groups["mon"].lower()]
        day = int(groups["d"]) if groups.get("d") else None
        year = int(groups["y"]) if groups.get("y") else None
        if (day is not None and not 1 <= day <= 31) or (year is not None and year < 1000):
            return None
        if groups["mon"] == "may":
            return None  # lower-case "may" is the modal verb ("you may 2 ...")
        return Quantity("date", (year, month, day), surface, span)
    if kind == "year":
        start_year = match.string[match.start() - 5 : match.start() - 1]
        return Quantity("year", span_end_year(start_year, groups["n"]), surface, span)
    base: float | None
    if groups.get("w"):
        table = _EN_ORD_VALUES if kind in ("ordinal", "anniversary", "plan") else _EN_WORD_VALUES
        base = _word_value(groups["w"], table)
    else:
        base = _arabic_value(groups["n"]) if groups["n"][0].isdigit() else None
        if base is None:  # a number word before "percent"
            base = _word_value(groups["n"], _EN_WORD_VALUES)
    if base is None:
        return None
    value = float(base)
    if groups.get("scale"):
        value *= _EN_SCALES[groups["scale"].lower()]
    bare_number = kind == "number" and not groups.get("scale") and groups.get("n")
    if bare_number and _is_year_like(groups["n"], value):
        kind = "year"
    return Quantity(kind, _canon(value), surface, span)

"""Quantities (numbers, percentages, dates, years, ordinals) in zh and en text, comparable across.

`zh_quantities(text)` and `en_quantities(text)` return `Quantity` objects whose `kind` and `value`
are canonical, so the same fact written in either language compares equal:

=================================  ====================================  ==========================
Chinese                            English                               (kind, value)
=================================  ====================================  ==========================
15亿 / 十五亿                       1.5 billion / 1,500,000,000           ("number", 1500000000)
3.5万                              35,000 / 35 thousand                  ("number", 35000)
百分之五 / 5% / 5％                 5% / 5 percent / five per cent        ("percent", 5)
4月14日                            April 14 / 14 April / Apr. 14          ("date", (None, 4, 14))
2025年4月14日                      April 14, 2025                        ("date", (2025, 4, 14))
2025年 / 二〇二五年                 2025                                  ("year", 2025)
75周年                             75th anniversary                      ("anniversary", 75)
第十四届 / 十四大 / 第二 / 首次      14th / second / first                 ("ordinal", 14 / 2 / 1)
“3+3”                              "3+3"                                 ("formula", "3+3")
“十四五” / 十四五规划                the 14th Five-Year Plan               ("plan", 14)
=================================  ====================================  ==========================

Deliberately *not* quantities (they would be noise for alignment and false alarms for checks):

- 一 inside words and idioms: 一带一路, 统一, 进一步, 一道, 之一 — a lone 一 counts only before a
  measure word (一个中国政策 → 1, as "one-China policy").
- 两 alone (两国, 两党: English says "both" or "the two" as often as a number); 两 counts only
  inside a larger numeral (两千) or before a measure word such as 个/次/项.
- 千万 ("must"), 万一 ("in case"), 百姓, 万物: scale characters without a leading digit.
- 一百年 in 两个一百年 ("the two centenary goals") is still reported as the number 100; callers
  that need idiom awareness must filter it.
- N大 with N < 10 means "N major" (三大全球倡议 → number 3); with N ≥ 10 it names a party
  congress (十四大 → ordinal 14, "the 14th National Congress").
- English "one" in "no one", "one another", "one of", and Roman numerals; weekday names (Xinhua
  writes 1月26日 where the English says "on Monday" — no calendar is consulted).
- Digits glued to Latin letters (G20, COVID-19, CO2) are names, not quantities.

Dates are tuples `(year | None, month | None, day | None)`; use `Quantity.matches` to let
"April 14" match "2025年4月14日" (a missing part is compatible with any value).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["Quantity", "en_quantities", "iter_keys", "parse_zh_numeral", "zh_quantities"]

QuantityValue = int | float | str | tuple[int | None, int | None, int | None]


@dataclass(frozen=True, slots=True)
class Quantity:
    """One quantity found in a text: what it is, its canonical value and where it was written."""

    kind: str
    value: QuantityValue
    text: str
    span: tuple[int, int]

    @property
    def key(self) -> tuple[str, QuantityValue]:
        """(kind, value): equal keys mean the same quantity in either language."""
        return (self.kind, self.value)

    def matches(self, other: Quantity) -> bool:
        """Same quantity; dates with a missing year/day match any value in that place."""
        if {self.kind, other.kind} <= _CALENDAR_KINDS:
            return all(
                a is None or b is None or a == b
                for a, b in zip(self.value, other.value, strict=True)  # type: ignore[arg-type]
            )
        if {self.kind, other.kind} == {"date", "year"}:
            date, year = (self, other) if self.kind == "date" else (other, self)
            return date.value[0] == year.value  # type: ignore[index]
        return self.key == other.key


# A lunar date written out in English ("November 11 in the Chinese calendar") reads as a date.
_CALENDAR_KINDS = frozenset({"date", "lunar"})


def _canon(value: float) -> int | float:
    """Integral values become int so 1.5 billion and 1500000000 hash equal."""
    rounded = round(value, 6)
    return int(rounded) if float(rounded).is_integer() else rounded


# ---------------------------------------------------------------------------------------- Chinese

_ZH_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}  # fmt: skip
_ZH_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_ZH_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
_ZH_NUM_CHARS = "〇零一二三四五六七八九十百千万亿两"
_ARABIC = r"[0-9０-９]+(?:[,，][0-9０-９]{3})*(?:[.．][0-9０-９]+)?"
_ZH_NUMERAL = f"[{_ZH_NUM_CHARS}]+"
# Measure words after which a bare Chinese numeral (even 一 or 两) is a real count.
_ZH_MEASURES = "个名次项份位年天月周岁件条点家届批轮种类架艘座所只张部篇本句倍"


def parse_zh_numeral(text: str) -> int | None:
    """Value of a Chinese numeral (十五 → 15, 二〇二五 → 2025, 三千五百万 → 35000000)."""
    text = text.replace("两", "二")
    if not text or any(ch not in _ZH_NUM_CHARS for ch in text):
        return None
    if all(ch in _ZH_DIGITS for ch in text):  # digit by digit: 二〇二五
        return int("".join(str(_ZH_DIGITS[ch]) for ch in text))
    total = section = digit = 0
    seen_digit = False
    for ch in text:
        if ch in _ZH_DIGITS:
            digit = _ZH_DIGITS[ch]
            seen_digit = True
        elif ch in _ZH_SMALL_UNITS:
            section += (digit if seen_digit else 1) * _ZH_SMALL_UNITS[ch]
            digit, seen_digit = 0, False
        else:
            unit = _ZH_BIG_UNITS[ch]
            section += digit
            # 一万亿: 亿 multiplies everything so far, 万 only the current section.
            total = (total + section) * unit if unit > 10_000 else total + section * unit
            section = digit = 0
            seen_digit = False
    return total + section + digit


def _arabic_value(text: str) -> float:
    cleaned = text.replace(",", "").replace("，", "").replace("．", ".")
    return float(cleaned)


def _number_value(text: str) -> float | None:
    """Value of an Arabic number, a Chinese numeral, or a mix (3.5万, 15亿, 1万亿, 2万4801)."""
    text = text.replace(" ", "")
    if re.fullmatch(r"[0-9０-９万亿]+", text) and re.search(r"[万亿][0-9０-９]", text):
        return _mixed_value(text)
    match = re.fullmatch(rf"({_ARABIC})?([{_ZH_NUM_CHARS}]*)", text)
    if not match:
        return None
    arabic, chinese = match.groups()
    if arabic is None:
        value = parse_zh_numeral(chinese)
        return None if value is None else float(value)
    value = _arabic_value(arabic)
    for ch in chinese:
        if ch not in _ZH_BIG_UNITS and ch not in _ZH_SMALL_UNITS:
            return None
        value *= _ZH_BIG_UNITS.get(ch) or _ZH_SMALL_UNITS[ch]
    return value


def _mixed_value(text: str) -> float:
    """2万4801 → 24801, 3亿2000万 → 320000000: each Arabic group times the unit after it."""
    total = 0.0
    for digits, unit in re.findall(r"([0-9０-９]+)([万亿]?)", text):
        total += _arabic_value(digits) * _ZH_BIG_UNITS.get(unit, 1)
    return total


# Machine-spaced Chinese writes "2020 年 3 月 28 日" and "10 万": one optional space is allowed.
_NUM = rf"(?:{_ARABIC}(?: ?[十百千万亿])*|{_ZH_NUMERAL})"
_NOT_AFTER_LATIN = r"(?<![A-Za-z0-9０-９.．_-])"
_NOT_BEFORE_LATIN = r"(?![A-Za-z0-9０-９_])"
# 一是/二是 enumerate points ("First, ..."), but only at the start of a clause (not 统一是).
_CLAUSE_START = r"(?:^|(?<=[\s。！？；：，、“”\"(（]))"

# 2万4801 (= 24,801): Arabic digits on both sides of 万/亿, as web text writes large counts.
_GROUP = r"[0-9０-９]+(?![0-9０-９,，.．])"
_MIXED = rf"{_GROUP} ?亿 ?(?:{_GROUP} ?万(?: ?{_GROUP})?|{_GROUP})|{_GROUP} ?万 ?{_GROUP}"
# 3至6月, 3-6月, 7到10月: the first month of a range borrows the 月 of the second.
_RANGE_DASH = "至到~～\\-－–—"
# Lunar dates: 农历十一月十一, 正月初一, 腊月二十三. 正/冬/腊 name the 1st, 11th and 12th months.
_LUNAR_MONTHS = {"正": 1, "冬": 11, "腊": 12}
_LUNAR_DAY = rf"(?:初[一二三四五六七八九十]|廿[一二三四五六七八九]?|[{_ZH_NUM_CHARS}]+)"
_LUNAR = (
    rf"(?:(?:农历|阴历) ?(?P<m>[正冬腊]|{_ZH_NUMERAL}|[0-9０-９]{{1,2}}) ?月|(?P<lm>[正腊])月)"
    rf"(?P<d>{_LUNAR_DAY}|[0-9０-９]{{1,2}})?(?: ?[日号])?"
)

# 十四五 is the 14th Five-Year Plan, not 15, when quoted or before 规划/时期/期间
# (十四五岁 is "14 or 15 years old").
_FIVE_YEAR_PLAN = (
    r"(?<![〇零一二三四五六七八九十百千万亿两])"
    r"(?P<n>十[一二三四五六七八九]?|[一二三四五六七八九])五"
    r"(?=[”」]|[\"]?(?:[规規][划劃]|[计計][划劃]|[时時]期|期[间間]))"
)

_RANGE_END = r"(?<=[0-9０-９][-－–—~～])[0-9０-９]+(?:[.．][0-9０-９]+)?(?![0-9０-９])"

_ZH_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("plan", re.compile(_FIVE_YEAR_PLAN)),
    ("formula", re.compile(rf"{_NOT_AFTER_LATIN}[0-9０-９]+(?:\s*[+＋]\s*[0-9０-９]+)+")),
    ("lunar", re.compile(_LUNAR)),
    ("month", re.compile(rf"(?<![0-9０-９])(?P<m>{_NUM})(?= ?[{_RANGE_DASH}] ?{_NUM} ?月)")),
    ("number", re.compile(rf"(?<![0-9０-９,，.．])(?:{_MIXED}){_NOT_BEFORE_LATIN}(?![万亿])")),
    # 12月8-10日: the first day of a day range, and its end (December 8-10).
    ("date", re.compile(rf"(?:(?P<y>{_NUM}) ?年 ?)?(?P<m>{_NUM}) ?月 ?(?P<d>[0-9０-９]{{1,2}})"
                        rf"(?= ?[{_RANGE_DASH}] ?[0-9０-９]{{1,2}} ?[日号])")),
    ("day", re.compile(rf"(?<=[0-9０-９][{_RANGE_DASH}])(?P<d>[0-9０-９]{{1,2}}) ?[日号]")),
    ("date", re.compile(rf"(?:(?P<y>{_NUM}) ?年 ?)?(?P<m>{_NUM}) ?月(?: ?(?P<d>{_NUM}) ?[日号])?")),
    ("percent", re.compile(rf"百分之(?P<n>{_NUM}(?:点[{_ZH_NUM_CHARS}]+)?)")),
    ("percent", re.compile(rf"{_NOT_AFTER_LATIN}(?P<n>{_ARABIC})\s*[%％]")),
    ("percent", re.compile(rf"(?P<n>{_NUM})个百分点")),
    ("anniversary", re.compile(rf"(?P<n>{_NUM})周年")),
    ("ordinal", re.compile(rf"第 ?(?P<n>{_NUM})")),
    ("ordinal", re.compile(r"首(?=[次轮届个位批])")),
    ("congress", re.compile(rf"(?<![{_ZH_NUM_CHARS}])(?P<n>[{_ZH_NUM_CHARS}]{{2,}})大")),
    ("enumeration", re.compile(_CLAUSE_START + r"(?P<n>[一二三四五六七八九十]+)是")),
    # 10日 alone is the 10th of a month the text named earlier ("December 10"), not "10 days"
    # (十日, 3日游, 3日内); 年/月 before it make it part of a full date, matched above.
    ("day", re.compile(rf"{_NOT_AFTER_LATIN}(?P<d>[0-9０-９]{{1,2}}) ?日(?![内游])")),
    ("year", re.compile(_NOT_AFTER_LATIN
                        + r"(?P<n>[0-9０-９]{4}|[〇零一二三四五六七八九]{4}) ?年")),
    # The end of a digit range (3-6个月, 20-30%): after a digit and a dash, where a Latin dash
    # would otherwise mark a name (COVID-19).
    ("yearend", re.compile(rf"(?<=[0-9０-９]{{4}}[{_RANGE_DASH}/])(?P<n>[0-9０-９]{{2}})"
                           rf"(?![{_RANGE_DASH}/.．,，]?[0-9０-９])")),
    ("percent", re.compile(rf"(?P<n>{_RANGE_END})\s*[%％]")),
    ("number", re.compile(_RANGE_END)),
    ("number", re.compile(rf"{_NOT_AFTER_LATIN}{_ARABIC}(?: ?[十百千万亿])*{_NOT_BEFORE_LATIN}")),
    ("number", re.compile(_ZH_NUMERAL)),
]  # fmt: skip


def _zh_number_plausible(match: re.Match[str], text: str) -> bool:
    """Keep a bare Chinese numeral only where it is a count, not part of a word (see module doc)."""
    run = match.group()
    if run[0] in "十百千万亿" and run[0] != "十":
        return False  # 千万 "must", 万一 "in case", 百姓
    follower = text[match.end() : match.end() + 1]
    if run in ("一", "两"):
        return follower != "" and follower in _ZH_MEASURES
    return not (len(run) == 1 and run in "〇零")


def zh_quantities(text: str) -> list[Quantity]:
    """Quantities in Chinese text, left to right, non-overlapping (longer patterns win)."""
    found: list[Quantity] = []
    taken = [False] * (len(text) + 1)
    for kind, pattern in _ZH_PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if start == end or any(taken[start:end]):
                continue
            quantity = _zh_quantity(kind, match, text)
            if quantity is None:
                continue
            found.append(quantity)
            for i in range(start, end):
                taken[i] = True
    return sorted(found, key=lambda q: q.span)


def _zh_quantity(kind: str, match: re.Match[str], text: str) -> Quantity | None:
    surface, span = match.group(), match.span()
    if kind == "formula":
        return Quantity("formula", _formula_value(surface), surface, span)
    if kind == "date":
        parts = [match.group(g) for g in ("y", "m", "d")]
        year, month, day = (None if p is None else _number_value(p) for p in parts)
        if month is None or not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
            return None
        value = tuple(None if v is None else int(v) for v in (year, month, day))
        return Quantity("date", value, surface, span)
    if kind == "lunar":
        return _lunar_quantity(match)
    if kind == "month":
        month = _number_value(match.group("m"))
        if month is None or not 1 <= month <= 12:
            return None
        return Quantity("date", (None, int(month), None), surface, span)
    if kind == "day":
        day = _number_value(match.group("d"))
        if day is None or not 1 <= day <= 31:
            return None
        return Quantity("date", (None, None, int(day)), surface, span)
    if kind == "yearend":  # 2019-20: the year span's end, written with its last two digits
        return Quantity(
            "year", span_end_year(text[span[0] - 5 : span[0] - 1], surface), surface, span
        )
    if kind == "ordinal" and surface == "首":
        return Quantity("ordinal", 1, surface, span)
    number_text = match.groupdict().get("n") or surface
    if kind == "percent" and "点" in number_text:
        whole, _, frac = number_text.partition("点")
        whole_value = _number_value(whole)
        frac_digits = "".join(str(_ZH_DIGITS.get(ch, "")) for ch in frac)
        if whole_value is None or not frac_digits:
            return None
        value: float | None = whole_value + float("0." + frac_digits)
    else:
        value = _number_value(number_text)
    if value is None:
        return None
    chinese_run = kind == "number" and not _ARABIC_START.match(surface)
    if chinese_run and not _zh_number_plausible(match, text):
        return None
    if kind == "number" and _is_year_like(surface, value):
        kind = "year"
    if kind == "congress":
        if value < 10:  # 三大全球倡议: "three major"
            end = span[0] + len(number_text)
            return Quantity("number", _canon(value), number_text, (span[0], end))
        kind = "ordinal"
    if kind == "enumeration":
        kind = "ordinal"
    return Quantity(kind, _canon(value), surface, span)


_ARABIC_START = re.compile(r"[0-9０-９]")


def span_end_year(start: str, end: str) -> int:
    """The year a span of years ends in, written with its last two digits: 2019-20 → 2020,
    1999-00 → 2000 (digits may be full-width)."""
    first = int(start.translate(_FULLWIDTH_DIGITS))
    year = first // 100 * 100 + int(end.translate(_FULLWIDTH_DIGITS))
    return year + 100 if year < first else year


def _lunar_quantity(match: re.Match[str]) -> Quantity | None:
    """农历十一月十一 → ("lunar", (None, 11, 11)); 初一 is day 1, 廿三 day 23."""
    month_text = match.group("m") or match.group("lm")
    month = _LUNAR_MONTHS.get(month_text) or _number_value(month_text)
    day_text = match.group("d")
    day: float | None = None
    if day_text:
        if day_text[0] == "初":
            day_text = day_text[1:]
        elif day_text[0] == "廿":
            day_text = "二十" + day_text[1:]
        day = _number_value(day_text)
        if day is None or not 1 <= day <= 30:
            return None
    if month is None or not 1 <= month <= 12:
        return None
    value = (None, int(month), None if day is None else int(day))
    return Quantity("lunar", value, match.group(), match.span())


def _is_year_like(surface: str, value: float) -> bool:
    """A bare four-digit number between 1800 and 2199 is read as a year in either language."""
    digits = surface.translate(_FULLWIDTH_DIGITS)
    return bool(re.fullmatch(r"\d{4}", digits)) and 1800 <= value <= 2199


_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def _formula_value(surface: str) -> str:
    return re.sub(r"\s+", "", surface.translate(_FULLWIDTH_DIGITS).replace("＋", "+"))


# ---------------------------------------------------------------------------------------- English

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
            found.append(quantity)
            for i in range(start, end):
                taken[i] = True
    return sorted(found, key=lambda q: q.span)


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


def iter_keys(quantities: list[Quantity]) -> Iterator[tuple[str, QuantityValue]]:
    """Comparable keys, with a date also yielding its (None-year) month/day form for matching."""
    for quantity in quantities:
        yield quantity.key
        if quantity.kind == "date":
            year, month, day = quantity.value  # type: ignore[misc]
            if year is not None and day is not None:
                yield ("date", (None, month, day))
            if year is not None:
                yield ("year", year)

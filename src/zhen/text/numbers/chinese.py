"""Quantities in Chinese text: Arabic and Chinese numerals, dates, lunar dates, plans, ranges."""

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
        numeral = parse_zh_numeral(chinese)
        return None if numeral is None else float(numeral)
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

# 十四五 is the 14th Five-Year Plan, not 15, when quoted or beside 规划/计划/时期/期间, and 十X五
# is one wherever no count follows (十四五岁 is "14 or 15 years old", 十四五个 "14 or 15").
_PLAN_NUMERAL = r"(?P<n>十[一二三四五六七八九]?|[一二三四五六七八九])五"
_PLAN_WORD = r"(?:[规規计計][划劃]|[时時]期|期[间間])"
_OPEN_QUOTE = "“\"「『‘'《"
_NOT_IN_NUMERAL = rf"(?<![{_ZH_NUM_CHARS}第])"
# A count follows: 十四五岁, 十四五个, 这一时期十五个省 ("15 provinces").
_NO_COUNT_AFTER = rf"(?![{_ZH_NUM_CHARS}{_ZH_MEASURES}人米元斤公分里多余来左])"
_FIVE_YEAR_PLANS = [
    # Before a plan word, or quoted: “十四五”规划, "十四五"时期, 十五期间, ‘十四五’.
    _NOT_IN_NUMERAL + _PLAN_NUMERAL + rf"(?=[”」』’'》\"]|{_PLAN_WORD})",
    # After one: 五年规划“十五”, 规划十四五.
    "(?:"
    + "|".join(
        rf"(?<={word})|(?<={word}[{_OPEN_QUOTE}])"
        for word in ("[规規计計][划劃]", "[时時]期", "期[间間]")
    )
    + ")"
    + _PLAN_NUMERAL
    + _NO_COUNT_AFTER,
    # Bare 十X五 with no count after it: 十四五以来, 十四五开局之年, 十四五是关键时期.
    _NOT_IN_NUMERAL + r"(?P<n>十[一二三四五六七八九])五" + _NO_COUNT_AFTER,
]

# Approximations: 30余万 and 三十多万 (more than 300,000), 千余 (more than 1,000), 近千 (nearly
# 1,000). The scale after 余/多 multiplies the count before it.
_APPROX_SCALED = rf"{_NOT_AFTER_LATIN}(?P<n>{_NUM}) ?[余多] ?(?P<u>[十百千万亿]+)"
_BARE_SCALE = (
    rf"(?:(?P<h>[近约逾])(?P<u>[百千万亿]+)(?![{_ZH_NUM_CHARS}])"
    rf"|(?<![{_ZH_NUM_CHARS}0-9０-９.．])(?<![0-9０-９] )(?P<v>[百千万])(?=[余多]))"
)
_SCALE_HEDGES = {"近": "nearly", "约": "about", "逾": "more"}
# Words around a count that hedge it, nearest first (see Quantity.approx).
_HEDGES_BEFORE = (("将近", "nearly"), ("接近", "nearly"), ("近", "nearly"), ("大约", "about"),
                  ("约", "about"), ("超过", "more"), ("逾", "more"))  # fmt: skip
_HEDGES_AFTER = (("余", "more"), ("多", "more"), ("以上", "more"), ("左右", "about"))
# 最近 "recently", 附近 "nearby": not "nearly".
_NOT_NEAR = frozenset("最附靠临亲邻远")

_RANGE_END = r"(?<=[0-9０-９][-－–—~～])[0-9０-９]+(?:[.．][0-9０-９]+)?(?![0-9０-９])"

_ZH_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    *(("plan", re.compile(pattern)) for pattern in _FIVE_YEAR_PLANS),
    ("formula", re.compile(rf"{_NOT_AFTER_LATIN}[0-9０-９]+(?:\s*[+＋]\s*[0-9０-９]+)+")),
    ("approx", re.compile(_APPROX_SCALED)),
    ("scale", re.compile(_BARE_SCALE)),
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
            found.append(_hedged(quantity, text))
            for i in range(start, end):
                taken[i] = True
    return sorted(found, key=lambda q: q.span)


def _hedged(quantity: Quantity, text: str) -> Quantity:
    """The quantity with the hedge written around it (约200, 200多, 近千), if any."""
    if quantity.kind not in ("number", "percent") or quantity.approx:
        return quantity
    start, end = quantity.span
    for word, approx in _HEDGES_AFTER:
        if text.startswith(word, end):
            return replace(quantity, approx=approx)
    for word, approx in _HEDGES_BEFORE:
        if text.endswith(word, 0, start):
            if word == "近" and start >= 2 and text[start - 2] in _NOT_NEAR:
                break
            return replace(quantity, approx=approx)
    return quantity


def _zh_quantity(kind: str, match: re.Match[str], text: str) -> Quantity | None:
    surface, span = match.group(), match.span()
    if kind == "formula":
        return Quantity("formula", _formula_value(surface), surface, span)
    if kind == "date":
        parts = [match.group(g) for g in ("y", "m", "d")]
        year, month, day = (None if p is None else _number_value(p) for p in parts)
        if month is None or not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
            return None
        date = (None if year is None else int(year), int(month), None if day is None else int(day))
        return Quantity("date", date, surface, span)
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
    if kind == "approx":  # 30余万: the count times its scale, and more
        count = _number_value(match.group("n"))
        scale = _number_value("1" + match.group("u"))
        if count is None or scale is None:
            return None
        return Quantity("number", _canon(count * scale), surface, span, approx="more")
    if kind == "scale":  # 近千, 千余: one of the scale, hedged before or after
        scale = _number_value("1" + (match.group("u") or match.group("v")))
        if scale is None:
            return None
        quantity = Quantity("number", _canon(scale), surface, span)
        hedge = match.group("h")
        return replace(quantity, approx=_SCALE_HEDGES[hedge]) if hedge else _hedged(quantity, text)
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

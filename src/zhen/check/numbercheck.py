"""The number check: every quantity of the source sentence must reappear, unchanged, in the draft.

Quantities come from `zhen.numbers` with canonical values, so 15亿 ↔ "1.5 billion",
75周年 ↔ "75th anniversary" and 4月14日 ↔ "April 14, 2025" compare equal. A source quantity
with no equal draft quantity is *changed* (error) when a draft quantity of the same family is
left over to pair it with, else *dropped* (warning); a draft quantity with no source counterpart
is *added* (info: adaptations add dates and context).
"""

from __future__ import annotations

import re

from zhen.check.report import Issue
from zhen.numbers import Quantity, en_quantities, zh_quantities

# Kinds whose values are plain counts: "75周年" may become "75 years", 第二 "two"/"second".
_COUNT_KINDS = frozenset({"number", "ordinal", "anniversary"})
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")  # fmt: skip


def _family(quantity: Quantity) -> str:
    if quantity.kind in ("date", "year"):
        return "date"
    if quantity.kind in _COUNT_KINDS:
        return "count"
    return quantity.kind


def _equivalent(zh: Quantity, en: Quantity) -> bool:
    if zh.kind == "date" and en.kind == "year" and isinstance(zh.value, tuple) and zh.value[2]:
        return False  # 2020年3月5日 needs its day, not just "2020", in the draft
    if zh.matches(en):
        return True
    if zh.value != en.value:
        return False
    # 2000以上 is read as a year, "2,000 lumens" as a number: four digits are ambiguous.
    kinds = {zh.kind, en.kind}
    return kinds <= _COUNT_KINDS or kinds == {"year", "number"}


# After a lone Chinese digit, these make it a count (三国 "three countries", 六点 "six points");
# without one it is part of a name or an idiom (倪四义, 四面八方) and not a quantity.
_COUNTED = frozenset("个名次项份位年天月周岁件条点家届批轮种类架艘座所只张部篇本句倍国方党省市地大")
_ZH_DIGITS = frozenset("二三四五六七八九十")
_PLAIN = frozenset("〇零一二三四五六七八九")
_DIGIT_RE = re.compile(r"\d")


def source_quantities(text: str) -> list[Quantity]:
    """zh_quantities minus what a translator would not carry over as a number."""
    kept = []
    for q in zh_quantities(text):
        start, end = q.span
        # 两个一百年 is "the two centenary goals": its 一百 is part of a name, not a count.
        if text[max(0, start - 2) : start] == "两个" and text[start : start + 3] == "一百年":
            continue
        if q.kind == "number" and 2 <= len(q.text) <= 3 and all(ch in _PLAIN for ch in q.text):
            continue  # 六四, 五四运动, 九一八: counts are written 六十四; digit runs name events
        lone = q.kind == "number" and len(q.text) == 1 and q.text in _ZH_DIGITS
        if lone and (text[end : end + 1] not in _COUNTED or text[start - 1 : start] == "几"):
            continue  # 倪四义, 十足, 几十年 ("decades")
        kept.append(q)
    return kept


# A lone 一/两 before a measure word is as often "a"/"both" as "one"/"two" in English: only
# info when dropped, and never paired with a number written in digits.
_ARTICLE_LIKE = frozenset({"一", "两"})
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII",
          "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX")  # fmt: skip


def _as_roman(quantity: Quantity, target: str) -> bool:
    """第二次世界大战 → "World War II": an ordinal written as a Roman numeral (numbers.py skips)."""
    value = quantity.value
    if quantity.kind != "ordinal" or not isinstance(value, int) or not 1 <= value <= 20:
        return False
    return re.search(rf"(?<![\w.]){_ROMAN[value - 1]}(?![\w])", target) is not None


def describe(quantity: Quantity) -> str:
    """A quantity's canonical value as a translator reads it: 1,500,000,000; April 14; 75th."""
    value = quantity.value
    if quantity.kind == "date" and isinstance(value, tuple):
        year, month, day = value
        month_name = _MONTH_NAMES[month - 1] if month else ""
        text = f"{month_name} {day}" if day else month_name
        return f"{text}, {year}" if year and text else (text or str(year))
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = _plain_number(value)
        if quantity.kind == "percent":
            return f"{number}%"
        if quantity.kind in ("ordinal", "anniversary"):
            suffix = _ordinal_suffix(int(value))
            return f"{number}{suffix}" + (" anniversary" if quantity.kind == "anniversary" else "")
        return number
    return str(value)


_SCALES = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"))


def _plain_number(value: float) -> str:
    """1500000000 → "1.5 billion", 35000 → "35,000", 2.5 → "2.5"."""
    for scale, name in _SCALES:
        if abs(value) >= scale:
            return f"{value / scale:g} {name}"
    return f"{value:,}" if isinstance(value, int) else f"{value:,g}"


def _ordinal_suffix(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def number_issues(source: str, target: str, pair_index: int) -> list[Issue]:
    """number-mismatch issues for one sentence pair (empty when every quantity carried over)."""
    zh_left = source_quantities(source)
    if not zh_left and not _DIGIT_RE.search(target):
        return []
    en_left = en_quantities(target)
    matched = _pair_off(zh_left, en_left)
    # The same value twice in one source sentence (a dateline and the text both saying 4月14日)
    # is often written once in English.
    matched_keys = {zh.key for zh, _ in matched}
    issues: list[Issue] = []
    for zh in zh_left:
        if _written_otherwise(zh, source, target):
            continue
        partner = next((en for en in en_left if _could_be_changed(zh, en, source)), None)
        if partner is not None:
            en_left.remove(partner)
            issues.append(_changed(source, target, pair_index, zh, partner))
        elif zh.key not in matched_keys:
            issues.append(_dropped(source, target, pair_index, zh))
    # Spelled-out numbers come from Chinese wording numbers.py does not count (两国 → "the two
    # countries", 一是 → "First"), so only digits and dates count as added.
    issues.extend(_added(source, target, pair_index, en) for en in en_left if _written(en))
    return issues


def _pair_off(zh_left: list[Quantity], en_left: list[Quantity]) -> list[tuple[Quantity, Quantity]]:
    """Remove and return equal (source, draft) quantities; what is left did not carry over."""
    pairs: list[tuple[Quantity, Quantity]] = []
    # Exact keys first so a date is not consumed by a looser match meant for another one.
    for equivalent in (lambda a, b: a.key == b.key, _equivalent):
        for zh in list(zh_left):
            partner = next((en for en in en_left if equivalent(zh, en)), None)
            if partner is not None:
                zh_left.remove(zh)
                en_left.remove(partner)
                pairs.append((zh, partner))
    return pairs


def matched_quantities(source: str, target: str) -> list[tuple[Quantity, Quantity]]:
    """The source quantities that reappear in the draft, each with its draft counterpart."""
    return _pair_off(source_quantities(source), en_quantities(target))


def _written(quantity: Quantity) -> bool:
    """Written with digits or as a date, not spelled out ("two", "first")."""
    return quantity.kind == "date" or any(ch.isdigit() for ch in quantity.text)


def _could_be_changed(zh: Quantity, en: Quantity, source: str) -> bool:
    """A leftover draft quantity that is plausibly the source one, altered."""
    if _family(en) != _family(zh):
        return False
    if zh.text in _ARTICLE_LIKE:
        # 一项研究 ("a study") is no count to compare with the 7.23 or the "second" elsewhere
        # in the sentence; only a small whole count can replace it ("one-China" → "two-China",
        # 两周 "2 weeks" → "3 weeks").
        small = isinstance(en.value, int) and 0 <= en.value <= 10
        return en.kind == "number" and small and not _explained(en, source)
    if _written(en):
        return True
    # A spelled-out "two"/"one" usually renders a word numbers.py does not count (双方 → "the
    # two sides", 一项 → "a"/"one"); only one the source does not explain is a changed number.
    return not _explained(en, source)


def _explained(en: Quantity, source: str) -> bool:
    """A spelled-out "two"/"one" that renders 两/双/一 in words numbers.py does not count."""
    return (en.value == 2 and ("两" in source or "双" in source)) or (
        en.value == 1 and "一" in source
    )


def _written_otherwise(zh: Quantity, source: str, target: str) -> bool:
    """The quantity is in the draft in a form numbers.py does not read (II, March, 1990s)."""
    return _as_roman(zh, target) or _month_named(zh, target) or _decade(zh, source, target)


def _decade(zh: Quantity, source: str, target: str) -> bool:
    """20世纪80年代 → "the 1980s": the 80 of a decade is written with its century, and the
    century (20世纪) is written in the decade."""
    after = source[zh.span[1] : zh.span[1] + 2]
    if not isinstance(zh.value, int):
        return False
    if after == "世纪":
        return re.search(rf"\b{zh.value - 1}\d0s\b", target) is not None
    if after != "年代":
        return False
    return re.search(rf"\b(?:1[89]|20)?{zh.value}s\b|'{zh.value}s\b", target) is not None


def _month_named(zh: Quantity, target: str) -> bool:
    """2020年3月下旬 → "late March": a month with no day, named in the draft (not a quantity
    for numbers.py, which skips lone month names because of the verb "may")."""
    if zh.kind != "date" or not isinstance(zh.value, tuple) or zh.value[2] is not None:
        return False
    month = zh.value[1]
    if not month:
        return False
    name = _MONTH_NAMES[month - 1]
    return re.search(rf"\b(?:{name}|{name[:3]}\.)", target) is not None


def _changed(source: str, target: str, pair_index: int, zh: Quantity, en: Quantity) -> Issue:
    return Issue(
        kind="number-mismatch",
        severity="error",
        source=source,
        target=target,
        term=zh.text,
        expected=describe(zh),
        found=en.text,
        message=f"{zh.text} is {describe(zh)}, but the draft says {en.text} ({describe(en)})",
        suggestion=f"write {describe(zh)} instead of {en.text}",
        pair_index=pair_index,
        spans={"source": [zh.span], "target": [en.span]},
    )


def _dropped(source: str, target: str, pair_index: int, zh: Quantity) -> Issue:
    return Issue(
        kind="number-mismatch",
        severity="info" if zh.text in _ARTICLE_LIKE else "warning",
        source=source,
        target=target,
        term=zh.text,
        expected=describe(zh),
        found=None,
        message=f"{zh.text} ({describe(zh)}) is not in the draft",
        suggestion=f"check that {describe(zh)} was not left out",
        pair_index=pair_index,
        spans={"source": [zh.span], "target": []},
    )


def _added(source: str, target: str, pair_index: int, en: Quantity) -> Issue:
    return Issue(
        kind="number-mismatch",
        severity="info",
        source=source,
        target=target,
        term=None,
        expected=None,
        found=en.text,
        message=f"the draft has {en.text} ({describe(en)}), which the source does not",
        suggestion="check that the added number is right",
        pair_index=pair_index,
        spans={"source": [], "target": [en.span]},
    )

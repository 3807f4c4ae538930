"""The number check: every quantity of the source sentence must reappear, unchanged, in the draft.

Quantities come from `zhen.text.numbers` with canonical values, so 15亿 ↔ "1.5 billion",
75周年 ↔ "75th anniversary" and 4月14日 ↔ "April 14, 2025" compare equal. A source quantity
with no equal draft quantity is *changed* (error) when a draft quantity of the same family is
left over to pair it with, else *dropped* (warning); a draft quantity with no source counterpart
is *added* (info: adaptations add dates and context).
"""

from __future__ import annotations

import re

from zhen.checker.report import Issue, IssueKind, Severity
from zhen.text.numbers import Quantity, en_quantities, zh_quantities

# Kinds whose values are plain counts: "75周年" may become "75 years", 第二 "two"/"second".
_COUNT_KINDS = frozenset({"number", "ordinal", "anniversary"})
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")  # fmt: skip


def _family(quantity: Quantity) -> str:
    if quantity.kind in ("date", "year", "lunar"):
        return "date"
    if quantity.kind in _COUNT_KINDS:
        return "count"
    return quantity.kind


def _equivalent(zh: Quantity, en: Quantity) -> bool:
    if zh.kind == "date" and en.kind == "year" and isinstance(zh.value, tuple) and zh.value[2]:
        return False  # 2020年3月5日 needs its day, not just "2020", in the draft
    if zh.matches(en):
        return True
    if _day_only(zh) and en.kind in ("number", "ordinal"):
        # 12月8日至10日: "December 8 to 10"; 23日: "on the 23rd"
        return zh.value[2] == en.value  # type: ignore[index]
    if zh.value != en.value:
        return False
    # 2000以上 is read as a year, "2,000 lumens" as a number: four digits are ambiguous.
    kinds = {zh.kind, en.kind}
    # "the 14th FYP" renders 十四五 as a bare ordinal.
    return kinds <= _COUNT_KINDS or kinds in ({"year", "number"}, {"plan", "ordinal"})


# After a lone Chinese digit, these make it a count (三国 "three countries", 六点 "six points");
# without one it is part of a name or an idiom (倪四义, 四面八方) and not a quantity.
_COUNTED = frozenset("个名次项份位年天月周岁件条点家届批轮种类架艘座所只张部篇本句倍国方党省市地大")
# Two-character units a lone digit counts (四小时 "four hours"), whose first character alone
# would not say so (小 "small").
_COUNTED_WORDS = frozenset({"小时", "分钟", "季度", "公里", "星期"})
_ZH_DIGITS = frozenset("二三四五六七八九十")
_PLAIN = frozenset("〇零一二两三四五六七八九")
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
            # 六四, 五四运动, 九一八: counts are written 六十四; digit runs name events, and two
            # neighbouring digits are an estimate (两三年 "two or three years", 一两年).
            continue
        lone = q.kind == "number" and len(q.text) == 1 and q.text in _ZH_DIGITS
        counted = text[end : end + 1] in _COUNTED or text[end : end + 2] in _COUNTED_WORDS
        if lone and not counted:
            continue  # 倪四义, 十足
        if q.kind == "number" and start and text[start - 1] in "几数" and q.text[0] in "十百千万":
            continue  # 几十年 ("decades"), 数十个 ("dozens of"), 数十万 ("hundreds of thousands")
        kept.append(q)
    return kept


# A lone 一/两 before a measure word is as often "a"/"both" as "one"/"two" in English: only
# info when dropped, and never paired with a number written in digits.
_ARTICLE_LIKE = frozenset({"一", "两"})
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII",
          "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX")  # fmt: skip


def _as_roman(quantity: Quantity, target: str) -> bool:
    """第二次世界大战 → "World War II": an ordinal as a Roman numeral (text.numbers skips those)."""
    value = quantity.value
    if quantity.kind != "ordinal" or not isinstance(value, int) or not 1 <= value <= 20:
        return False
    return re.search(rf"(?<![\w.]){_ROMAN[value - 1]}(?![\w])", target) is not None


_HEDGE_WORDS = {"more": "more than ", "nearly": "nearly ", "about": "about "}


def _hedged(quantity: Quantity) -> str:
    """describe() with the hedge the text puts on the count: "more than 300,000" for 30余万."""
    return _HEDGE_WORDS.get(quantity.approx, "") + describe(quantity)


def _shown(quantity: Quantity, *, hedge: bool = True) -> str:
    """The quantity as written, with its value after it when that reads differently:
    "57周年 (57th anniversary)", "30余万 (more than 300,000)", but "57th anniversary" once."""
    described = _hedged(quantity) if hedge else describe(quantity)
    if quantity.text.casefold() == described.casefold():
        return quantity.text
    return f"{quantity.text} ({described})"


def describe(quantity: Quantity) -> str:
    """A quantity's canonical value as a translator reads it: 1,500,000,000; April 14; 75th."""
    value = quantity.value
    if quantity.kind == "lunar" and isinstance(value, tuple):
        _, month, day = value
        return f"lunar month {month}" + (f", day {day}" if day else "")
    if _day_only(quantity) and isinstance(value, tuple) and value[2] is not None:
        return f"the {value[2]}{_ordinal_suffix(value[2])}"
    if quantity.kind == "date" and isinstance(value, tuple):
        year, month, day = value
        month_name = _MONTH_NAMES[month - 1] if month else ""
        text = f"{month_name} {day}" if day else month_name
        return f"{text}, {year}" if year and text else (text or str(year))
    if quantity.kind == "year" and isinstance(value, int):
        return str(value)  # 2020, not "2,020"
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = _plain_number(value)
        if quantity.kind == "percent":
            return f"{number}%"
        if quantity.kind in ("ordinal", "anniversary", "plan"):
            suffix = _ordinal_suffix(int(value))
            what = {"anniversary": " anniversary", "plan": " Five-Year Plan"}.get(quantity.kind, "")
            return f"{number}{suffix}{what}"
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
    # The source with its counted quantities blanked: a digit left in it is inside a word
    # (三段, 一年四季) and may explain a spelled-out English number.
    uncounted = _blank(source, [q.span for q in zh_left])
    matched = _pair_off(zh_left, en_left)
    # The same value twice in one source sentence (a dateline and the text both saying 4月14日)
    # is often written once in English.
    matched_zh = [zh for zh, _ in matched]
    issues: list[Issue] = []
    # A real count claims a changed draft number before a lone 一/两 ("a", "both") may; the
    # issues are reported in source order all the same.
    for zh in sorted(zh_left, key=lambda q: q.text in _ARTICLE_LIKE):
        if _written_otherwise(zh, source, target):
            continue
        partner = next((en for en in en_left if _could_be_changed(zh, en, uncounted)), None)
        if partner is not None:
            en_left.remove(partner)
            issues.append(_changed(source, target, pair_index, zh, partner))
        elif not any(_same_fact(zh, done) for done in matched_zh):
            issues.append(_dropped(source, target, pair_index, zh))
    # Spelled-out numbers come from Chinese wording text.numbers does not count (两国 → "the two
    # countries", 一是 → "First"), so only digits and dates count as added.
    issues.sort(key=lambda issue: issue.spans["source"][0] if issue.spans["source"] else (0, 0))
    issues.extend(_added(source, target, pair_index, en) for en in en_left if _written(en))
    return issues


def _day_only(quantity: Quantity) -> bool:
    """10日 with no month: the 10th of a month named earlier in the text."""
    return quantity.kind == "date" and quantity.value[:2] == (None, None)  # type: ignore[index]


def _same_fact(zh: Quantity, done: Quantity) -> bool:
    """Said again in the source (新华社北京5月20日电 … 记者20日获悉) and carried over once."""
    if zh.key == done.key:
        return True
    return _day_only(zh) and done.kind == "date" and zh.matches(done)


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


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _could_be_changed(zh: Quantity, en: Quantity, source: str) -> bool:
    """A leftover draft quantity that is plausibly the source one, altered.

    `source` has its counted quantities blanked out (see `number_issues`)."""
    if _family(en) != _family(zh):
        return False
    if zh.kind == "lunar":
        # A lunar date is usually given as its Gregorian date, which differs in month and day;
        # only a draft date sharing one of them is the lunar date altered.
        return en.kind in ("date", "lunar") and any(
            a is not None and a == b
            for a, b in zip(zh.value[1:], en.value[1:], strict=True)  # type: ignore[index]
        )
    if zh.text in _ARTICLE_LIKE:
        # 一项研究 ("a study") is no count to compare with the 7.23 or the "second" elsewhere
        # in the sentence; only a small whole count can replace it ("one-China" → "two-China",
        # 两周 "2 weeks" → "3 weeks").
        small = isinstance(en.value, int) and 0 <= en.value <= 10
        return en.kind == "number" and small and not _explained(en, source)
    if _written(en):
        return True
    # A spelled-out small number usually renders a word text.numbers does not count (双方 → "the
    # two sides", 一项 → "a"/"one", 一年四季 → "all four seasons"); only one the source does not
    # explain is a changed number.
    return not _explained(en, source)


# The characters that can stand for a small number inside a Chinese word.
_SMALL_NUMBER_CHARS = ("〇零", "一", "二两双", "三", "四", "五", "六", "七", "八", "九", "十")


def _explained(en: Quantity, source: str) -> bool:
    """A small draft number that renders a Chinese digit inside a word text.numbers does not count
    (两/双 → "two", 三段 → "three sections", 五六小时 → "five or six hours")."""
    value = en.value
    if not isinstance(value, int) or not 0 <= value <= 10:
        return False
    return any(ch in source for ch in _SMALL_NUMBER_CHARS[value])


def _written_otherwise(zh: Quantity, source: str, target: str) -> bool:
    """The quantity is in the draft in a form zhen.text.numbers does not read (II, March, 1990s)."""
    return (
        _as_roman(zh, target)
        or _month_named(zh, target)
        or _decade(zh, source, target)
        or (_day_only(zh) and _WEEKDAY_RE.search(target) is not None)
    )


# Xinhua writes 14日 where the English says "on Monday"; no calendar is consulted.
_WEEKDAY_RE = re.compile(r"\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b")


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
    for zhen.text.numbers, which skips lone month names because of the verb "may")."""
    if zh.kind != "date" or not isinstance(zh.value, tuple) or zh.value[2] is not None:
        return False
    month = zh.value[1]
    if not month:
        return False
    name = _MONTH_NAMES[month - 1]
    return re.search(rf"\b(?:{name}|{name[:3]}\.)", target) is not None


def _changed(source: str, target: str, pair_index: int, zh: Quantity, en: Quantity) -> Issue:
    return Issue(
        kind=IssueKind.NUMBER_MISMATCH,
        severity=Severity.ERROR,
        source=source,
        target=target,
        term=zh.text,
        expected=describe(zh),
        found=en.text,
        message=(
            f"the source has {_shown(zh)}, but the draft says "
            + _shown(en, hedge=en.approx != zh.approx)  # "more than" once when both hedge alike
        ),
        suggestion=f"write {_hedged(zh)} instead of {en.text}",
        pair_index=pair_index,
        spans={"source": [zh.span], "target": [en.span]},
    )


def _minor_drop(zh: Quantity) -> bool:
    """A dropped quantity a faithful translation often leaves unsaid: info, not a warning.

    A small count written in Chinese numerals is often part of the wording rather than a figure
    (五大家园 rendered as five adjectives, 四周 "around", 二次油 "secondary oil", 第一次
    "before"); a lunar date is often rendered as its festival or Gregorian date.
    """
    if zh.text in _ARTICLE_LIKE or zh.kind == "lunar":
        return True
    if zh.approx and all(ch in "百千万亿" for ch in zh.text.lstrip("近约逾")):
        return True  # 近百年, 千余人: "nearly a century", "over a thousand", in words
    small = isinstance(zh.value, int) and 0 <= zh.value <= 10
    spelled = not _DIGIT_RE.search(zh.text)  # \d also matches full-width ３
    return small and spelled and zh.kind in ("number", "ordinal")


def _dropped(source: str, target: str, pair_index: int, zh: Quantity) -> Issue:
    return Issue(
        kind=IssueKind.NUMBER_MISMATCH,
        severity=Severity.INFO if _minor_drop(zh) else Severity.WARNING,
        source=source,
        target=target,
        term=zh.text,
        expected=describe(zh),
        found=None,
        message=f"{_shown(zh)} is not in the draft",
        suggestion=f"check that {_hedged(zh)} was not left out",
        pair_index=pair_index,
        spans={"source": [zh.span], "target": []},
    )


def _added(source: str, target: str, pair_index: int, en: Quantity) -> Issue:
    return Issue(
        kind=IssueKind.NUMBER_MISMATCH,
        severity=Severity.INFO,
        source=source,
        target=target,
        term=None,
        expected=None,
        found=en.text,
        message=f"the draft has {_shown(en)}, which the source does not",
        suggestion="check that the added number is right",
        pair_index=pair_index,
        spans={"source": [], "target": [en.span]},
    )

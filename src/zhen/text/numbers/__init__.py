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
“十四五” / 十四五规划 / 十四五以来     the 14th Five-Year Plan               ("plan", 14)
30余万 / 近千 / 约200                more than 300,000 / nearly 1,000      ("number", 300000), …
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

A hedge (余/多/以上 "more than", 近 "nearly", 约 "about") is kept in `Quantity.approx`, outside
the key: 30余万 and "more than 300,000" compare equal, and so do 约200 and a bare "200".

Dates are tuples `(year | None, month | None, day | None)`; use `Quantity.matches` to let
"April 14" match "2025年4月14日" (a missing part is compatible with any value).
"""

from zhen.text.numbers.chinese import parse_zh_numeral, zh_quantities
from zhen.text.numbers.english import en_quantities
from zhen.text.numbers.model import Quantity, QuantityValue, iter_keys

__all__ = [
    "Quantity",
    "QuantityValue",
    "en_quantities",
    "iter_keys",
    "parse_zh_numeral",
    "zh_quantities",
]

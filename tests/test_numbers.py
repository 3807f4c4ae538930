"""Quantities in Chinese and English, compared across languages, on phrases from the seeds."""

from __future__ import annotations

import pytest

from zhen.text.numbers import Quantity, en_quantities, parse_zh_numeral, zh_quantities


def keys(quantities: list[Quantity]) -> list[tuple[str, object]]:
    return [q.key for q in quantities]


@pytest.mark.parametrize(
    ("zh", "en"),
    [
        (
            "两国携手走和平发展道路,15亿多人口共同迈向现代化",
            "combined population of over 1.5 billion",
        ),
        ("今年是中越建交75周年", "This year marks the 75th anniversary of the establishment"),
        ("越南共产党成立95周年", "the 95th anniversary of the founding of the CPV"),
        ("新华社河内4月14日电", "HANOI, April 14 (Xinhua) --"),
        ("新华社北京1月26日电", "BEIJING, Jan. 26 (Xinhua) --"),
        ("公安“3+3”战略对话机制", 'set the "3+3" strategic dialogue'),
        ("中越双方签署的45份双边合作文本展示", "the display of 45 bilateral cooperation documents"),
        ("成功举行越共十四大", "the 14th National Congress of the CPV"),
        ("第十四届全国人民代表大会", "the 14th National People's Congress"),
        ("增长百分之五", "grew 5 percent"),
        ("增长5%", "grew five per cent"),
        ("3.5万名游客", "35,000 tourists"),
        ("二〇二五年", "in 2025"),
        ("实现第二个百年奋斗目标", "realize the Second Centenary Goal"),
        ("习近平总书记今年首次出访", "his first overseas destination this year"),
    ],
)
def test_same_quantity_in_both_languages(zh: str, en: str) -> None:
    assert keys(zh_quantities(zh)) == keys(en_quantities(en))


def test_full_date_and_year() -> None:
    (zh,) = zh_quantities("2025年4月14日")
    (en,) = en_quantities("Hanoi, Vietnam, April 14, 2025. (Xinhua/Li Xueren)")
    assert zh.key == en.key == ("date", (2025, 4, 14))
    partial = en_quantities("on April 14")[0]
    assert partial.matches(zh) and zh.matches(partial)
    assert not partial.matches(en_quantities("April 15")[0])
    assert en_quantities("in 2026")[0].key == ("year", 2026)
    assert zh_quantities("胜利召开2026年越共十四大")[0].key == ("year", 2026)
    assert zh_quantities("2026年")[0].matches(zh_quantities("2026年1月26日")[0])


def test_spans_point_at_the_surface() -> None:
    text = "两国携手走和平发展道路,15亿多人口共同迈向现代化"
    (quantity,) = zh_quantities(text)
    assert text[slice(*quantity.span)] == quantity.text == "15亿"
    english = "population of over 1.5 billion is"
    (quantity,) = en_quantities(english)
    assert english[slice(*quantity.span)] == "1.5 billion"


@pytest.mark.parametrize(
    "zh",
    [
        "“一带一路”倡议",
        "支持中国实现统一大业",
        "进一步全面深化改革",
        "中越两国坚持和平发展",
        "千万不能",
        "G20峰会",
    ],
)
def test_words_that_are_not_quantities(zh: str) -> None:
    assert zh_quantities(zh) == []


@pytest.mark.parametrize(
    "en", ["no one can", "one another", "one of the most", "COVID-19 pandemic", "It may be", "G20"]
)
def test_english_phrases_that_are_not_quantities(en: str) -> None:
    assert en_quantities(en) == []


def test_one_china_and_enumerations() -> None:
    assert keys(zh_quantities("越南坚持一个中国政策")) == keys(
        en_quantities("the one-China policy")
    )
    assert keys(zh_quantities("一是增进更高水平的战略互信。")) == [("ordinal", 1)]
    assert keys(zh_quantities("二是建设更加牢固的安全屏障")) == keys(en_quantities("Second, build"))
    # "N大" below ten means "N major", not a congress.
    assert keys(zh_quantities("三大全球倡议")) == keys(en_quantities("three global initiatives"))


@pytest.mark.parametrize(
    ("numeral", "value"),
    [("十五", 15), ("二〇二五", 2025), ("一百二十三", 123), ("三千五百万", 35_000_000),
     ("两千", 2000), ("一万亿", 1_000_000_000_000), ("十", 10), ("二十万", 200_000)],
)  # fmt: skip
def test_parse_zh_numeral(numeral: str, value: int) -> None:
    assert parse_zh_numeral(numeral) == value


def test_english_words_and_scales() -> None:
    # TICO-19: 8.3 * 10**9 is not exact in floating point, and must still equal 83亿.
    assert keys(en_quantities("$8.3 billion")) == keys(zh_quantities("83 亿美元"))
    assert keys(en_quantities("twenty-five countries")) == [("number", 25)]
    assert keys(en_quantities("three thousand people")) == [("number", 3000)]
    assert keys(en_quantities("the twenty-first century")) == [("ordinal", 21)]
    assert keys(en_quantities("1,234 and 2.5 million")) == [("number", 1234), ("number", 2_500_000)]
    assert keys(en_quantities("14 April 2025")) == [("date", (2025, 4, 14))]
    assert keys(en_quantities("in January 2025")) == [("date", (2025, 1, None))]


@pytest.mark.parametrize(
    ("zh", "expected"),
    [
        # WMT22 zh-en: lunar dates keep their lunar month and day, apart from Gregorian dates.
        ("14日为农历十一月十一", [("date", (None, None, 14)), ("lunar", (None, 11, 11))]),
        ("农历正月初一", [("lunar", (None, 1, 1))]),
        ("腊月二十三小年", [("lunar", (None, 12, 23))]),
        ("农历八月廿三", [("lunar", (None, 8, 23))]),
        # Month ranges: the first month borrows the 月 of the second.
        ("每年的3至6月", [("date", (None, 3, None)), ("date", (None, 6, None))]),
        ("7到10月果实开始发育", [("date", (None, 7, None)), ("date", (None, 10, None))]),
        ("2021年3-6月", [("year", 2021), ("date", (None, 3, None)), ("date", (None, 6, None))]),
        # Mixed numerals: Arabic digits on both sides of 万/亿.
        ("沙巴今年至今共发出2万4801张报生纸", [("number", 24801)]),
        ("3亿2000万人", [("number", 320_000_000)]),
        ("每年也有1,000亿到2,000亿美元的收入", [("number", 10**11), ("number", 2 * 10**11)]),
        # Machine-spaced ordinal.
        ("第 3 届", [("ordinal", 3)]),
        # A day with no month: the 6th / 8th of the month named earlier.
        (
            "本月6日运抵吉隆坡，过后于8日交给",
            [("date", (None, None, 6)), ("date", (None, None, 8))],
        ),
        ("10日内完成", [("number", 10)]),
        ("“十四五”规划", [("plan", 14)]),
        ("十四五时期", [("plan", 14)]),
        ("“十五五”期间", [("plan", 15)]),
        ("十四五岁的孩子", [("number", 15)]),  # "14 or 15 years old": no plan without the context
        ("3-6个月", [("number", 3), ("number", 6)]),
        ("12月8-10日", [("date", (None, 12, 8)), ("date", (None, None, 10))]),
        ("新冠肺炎COVID-19疫情", []),
        ("约有 20-30% 的患者", [("number", 20), ("percent", 30)]),
        ("2010-2011 年", [("year", 2010), ("year", 2011)]),
        ("2019-20 欧洲冠军联赛", [("year", 2019), ("year", 2020)]),
        ("1999-00赛季", [("year", 1999), ("year", 2000)]),
        ("２０１９－２０赛季", [("year", 2019), ("year", 2020)]),
        ("截至2010-12-31", [("year", 2010), ("number", 12), ("number", 31)]),  # a date, no span
        ("“十五”期间", [("plan", 10)]),
        ("十五计划", [("plan", 10)]),
        ("十四五規劃期間", [("plan", 14)]),  # Traditional
        ("十五岁", [("number", 15)]),
    ],
)
def test_lunar_dates_ranges_mixed_numerals_and_days(zh: str, expected: list[tuple]) -> None:
    assert keys(zh_quantities(zh)) == expected


def test_lunar_date_matches_its_english_month_and_day() -> None:
    (lunar,) = zh_quantities("农历十一月十一")
    assert lunar.matches(en_quantities("November 11 in Chinese calendar")[0])
    assert not lunar.matches(en_quantities("December 14")[0])
    (day,) = zh_quantities("毛里求斯10日报告该国两例感染病例")
    assert day.matches(en_quantities("on December 10 for the first time")[0])
    assert keys(zh_quantities("2万4801")) == keys(en_quantities("24,801 birth certificates"))


def test_five_year_plan_reads_the_same_in_both_languages() -> None:
    assert keys(en_quantities("the 14th Five-Year Plan (2021-2025)")) == [
        ("plan", 14),
        ("year", 2021),
        ("year", 2025),
    ]
    assert keys(en_quantities("the Fourteenth Five-Year Plan")) == [("plan", 14)]
    assert keys(en_quantities("3-6 months")) == [("number", 3), ("number", 6)]


def test_year_spans_written_short_and_percent_ranges() -> None:
    assert keys(en_quantities("the 2019–20 coronavirus pandemic")) == [
        ("year", 2019),
        ("year", 2020),
    ]
    assert keys(en_quantities("on 2010-12-31")) == [("year", 2010), ("number", 12), ("number", 31)]
    assert keys(en_quantities("the 1999-00 season")) == [("year", 1999), ("year", 2000)]
    assert keys(en_quantities("Approximately 20-30% of patients")) == [
        ("number", 20),
        ("percent", 30),
    ]


@pytest.mark.parametrize(
    "zh",
    [
        "十四五时期，中国经济稳步增长。",
        "十四五是关键时期",  # not the enumeration 十四五是 ("Fifteenth, ...")
        "十四五以来，全省新增就业岗位",
        "实现了‘十四五’良好开局",
        "编制规划十四五的重点任务",  # after the plan word
        "国家规划“十四五”重点",
    ],
)
def test_bare_fourteenth_five_year_plan_is_a_plan_not_fifteen(zh: str) -> None:
    assert keys(zh_quantities(zh)) == [("plan", 14)]


def test_fourteen_or_fifteen_of_something_stays_a_count() -> None:
    assert keys(zh_quantities("十四五个人")) == [("number", 15)]
    assert keys(zh_quantities("十五以来")) == [("number", 15)]  # no plan word: fifteen
    assert keys(zh_quantities("这一时期十五个省份")) == [("number", 15)]


@pytest.mark.parametrize(
    ("zh", "en", "approx"),
    [
        ("全市共有30余万人参加", "More than 300,000 people took part", "more"),
        ("全市共有30余万人参加", "more than 300 thousand people took part", "more"),
        ("三十多万人", "over 300,000 people", "more"),
        ("近千人参加", "Nearly 1,000 people took part", "nearly"),
        ("约200人参加", "About 200 people took part", "about"),
        ("约200人参加", "around 200 people", "about"),
        ("约200人参加", "some 200 people", "about"),
        ("200多人参加", "more than 200 people", "more"),
        ("千余人", "more than 1,000 people", "more"),
        ("30 余万人", "more than 300,000 people", "more"),
    ],
)
def test_approximations_read_the_same_in_both_languages(zh: str, en: str, approx: str) -> None:
    (source,) = zh_quantities(zh)
    (draft,) = en_quantities(en)
    assert source.key == draft.key
    assert source.approx == draft.approx == approx


def test_approximation_spans_and_recently_is_not_nearly() -> None:
    text = "全市共有30余万人参加"
    (quantity,) = zh_quantities(text)
    assert text[slice(*quantity.span)] == quantity.text == "30余万"
    # TICO-19, machine-spaced: 5 万多 is "more than 50,000", not 万 alone.
    (spaced,) = zh_quantities("城市的 5 万多人进行隔离")
    assert (spaced.key, spaced.text, spaced.approx) == (("number", 50_000), "5 万", "more")
    assert zh_quantities("最近3天")[0].approx == ""
    assert en_quantities("300,000 people")[0].approx == ""

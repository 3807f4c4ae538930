"""zhen.checker on real sentences of seed 000: every issue kind, matching rules, report shape."""

from __future__ import annotations

import json

import pytest

from zhen.checker import CheckReport, Segment, check_pairs, check_segments, format_report
from zhen.checker.typography import TYPOGRAPHY_KINDS
from zhen.errors import CheckError
from zhen.models import Term, TranslationUnit

# Seed 000 (Xinhua, 2025-04-14), source sentences and the published English.
ZH_75 = "今年是中越建交75周年暨“中越人文交流年”。"
EN_75 = (
    "This year marks the 75th anniversary of the establishment of diplomatic ties between China "
    "and Vietnam, as well as the China-Vietnam Year of People-to-People Exchanges, said Xi."
)
ZH_POP = (
    "两国携手走和平发展道路,15亿多人口共同迈向现代化,将有力维护地区乃至世界和平稳定,促进共同发展。"
)
EN_POP = (
    "As the two countries jointly pursue peaceful development, their combined population of over "
    "1.5 billion is jointly advancing toward modernization, which will contribute to regional and "
    "global peace and stability while promoting common development."
)
ZH_CSF = "确保中越命运共同体建设行稳致远,为构建人类命运共同体作出新的更大贡献。"
EN_CSF = (
    "ensure steady and sustained progress in building a China-Vietnam community with a shared "
    "future, and contribute even more to the building of a community with a shared future for "
    "mankind, Xi said."
)
ZH_DATE = (
    "新华社河内4月14日电 4月14日下午,中共中央总书记、国家主席习近平"
    "在越共中央驻地同越共中央总书记苏林举行会谈。"
)
EN_DATE = (
    "HANOI, April 14 (Xinhua) -- Xi Jinping, general secretary of the Communist Party of China "
    "(CPC) Central Committee and Chinese president, held talks with To Lam on April 14."
)
ZH_BROTHER = "赓续“越中情谊深、同志加兄弟”的传统友谊"
EN_BROTHER = (
    'carry forward the profound traditional friendship featuring "camaraderie plus brotherhood"'
)

TERMS = [
    Term(
        "人文交流",
        "people-to-people exchanges",
        variants=["cultural exchanges"],
        forbidden=["humanistic exchanges"],
    ),
    Term(
        "命运共同体",
        "community with a shared future",
        forbidden=["community of common destiny", "community of shared destiny"],
    ),
    Term(
        "人类命运共同体",
        "community with a shared future for mankind",
        variants=["community with a shared future for humanity"],
    ),
    Term("中越命运共同体", "China-Vietnam community with a shared future"),
    Term(
        "同志加兄弟",
        "camaraderie plus brotherhood",
        variants=["comrades plus brothers"],
        forbidden=["comrades and brothers"],
    ),
    Term("和平发展", "peaceful development"),
    Term("现代化", "modernization"),
    Term(
        "中共中央", "CPC Central Committee", variants=["Communist Party of China Central Committee"]
    ),
]


def check(*pairs: tuple[str, str], terms: list[Term] = TERMS) -> CheckReport:
    # Terms and numbers only: the fixtures are pieces of sentences (tests/test_check_typography.py).
    return check_pairs([TranslationUnit(zh, en) for zh, en in pairs], terms, skip=TYPOGRAPHY_KINDS)


def kinds(report: CheckReport) -> list[tuple[str, str]]:
    return [(issue.kind, issue.severity) for issue in report.issues]


def test_published_sentences_are_clean():
    report = check((ZH_75, EN_75), (ZH_POP, EN_POP), (ZH_CSF, EN_CSF), (ZH_BROTHER, EN_BROTHER))
    assert report.issues == []
    assert report.exit_code("info") == 0


def test_term_missing_when_rendering_dropped():
    draft = EN_POP.replace("peaceful development", "peace")
    report = check((ZH_POP, draft))
    assert kinds(report) == [("term-missing", "warning")]
    issue = report.issues[0]
    assert issue.term == "和平发展"
    assert issue.expected == "peaceful development"
    assert ZH_POP[slice(*issue.spans["source"][0])] == "和平发展"


def test_inflection_case_and_hyphen_variants_match():
    variants = [
        "the China-Vietnam Year of People to People Exchange",  # hyphens → spaces, singular
        "the China-Vietnam Year of people-to-people exchanges",  # lower case
        "the China-Vietnam Year of Peopletopeople exchanges",  # joined compound
        "the Year of Cultural Exchanges between China and Vietnam",  # a variant
    ]
    for draft in variants:
        report = check((ZH_75, f"This year marks the 75th anniversary, and {draft}."))
        assert [i.kind for i in report.issues if i.kind.startswith("term")] == [], draft


def test_verb_inflection_and_curly_apostrophe():
    terms = [Term("推进现代化", "advance modernization"), Term("人民", "people's")]
    report = check(
        ("中国式现代化全面推进现代化,人民", "China advanced modernization and the people’s lives"),
        ("推进现代化", "advancing modernization"),
        terms=terms,
    )
    assert report.issues == []


def test_traditional_source_matches_simplified_glossary():
    traditional = "確保中越命運共同體建設行穩致遠,為構建人類命運共同體作出新的更大貢獻。"
    assert check((traditional, EN_CSF)).issues == []
    report = check((traditional, EN_CSF.replace("for mankind", "")))
    assert [(i.kind, i.term) for i in report.issues] == [("term-missing", "人類命運共同體")]


def test_longest_match_wins_over_contained_term():
    # 人类命运共同体 holds 命运共同体: only the longer term must be rendered.
    report = check((ZH_CSF, EN_CSF))
    assert report.issues == []
    report = check((ZH_CSF, EN_CSF.replace("China-Vietnam community", "bilateral community")))
    assert [(i.kind, i.term) for i in report.issues] == [("term-missing", "中越命运共同体")]


def test_forbidden_rendering_is_an_error_when_source_has_the_term():
    draft = EN_BROTHER.replace("camaraderie plus brotherhood", "comrades and brothers")
    report = check((ZH_BROTHER, draft))
    assert kinds(report) == [("term-forbidden", "error")]
    issue = report.issues[0]
    assert (issue.term, issue.expected, issue.found) == (
        "同志加兄弟",
        "camaraderie plus brotherhood",
        "comrades and brothers",
    )
    assert draft[slice(*issue.spans["target"][0])] == "comrades and brothers"


def test_forbidden_rendering_of_a_contained_term_is_one_error():
    draft = EN_CSF.replace(
        "a community with a shared future for mankind", "a community of common destiny for mankind"
    )
    report = check((ZH_CSF, draft))
    assert kinds(report) == [("term-forbidden", "error")]
    assert report.issues[0].term == "命运共同体"


def test_forbidden_rendering_without_source_term_is_a_warning():
    report = check(("两国要加强合作。", "The two sides built a community of shared destiny."))
    assert kinds(report) == [("term-forbidden", "warning")]


def test_term_inconsistent_across_document():
    report = check(
        (ZH_75, EN_75),
        ("促进人文交流", "promote cultural exchanges"),
        ("加强人文交流", "strengthen people-to-people exchanges"),
    )
    assert kinds(report) == [("term-inconsistent", "info")]
    issue = report.issues[0]
    assert issue.pair_index == 1
    assert (issue.expected, issue.found) == ("people-to-people exchanges", "cultural exchanges")


def test_number_changed_and_dropped():
    changed = check((ZH_POP, EN_POP.replace("1.5 billion", "1.6 billion")))
    assert kinds(changed) == [("number-mismatch", "error")]
    assert changed.issues[0].expected == "1.5 billion"
    assert changed.issues[0].found == "1.6 billion"
    dropped = check((ZH_75, EN_75.replace("the 75th anniversary of ", "")))
    assert kinds(dropped) == [("number-mismatch", "warning")]
    assert dropped.issues[0].term == "75周年"


def test_dates_and_anniversaries_compare_across_languages():
    assert check((ZH_DATE, EN_DATE)).issues == []
    report = check((ZH_DATE, EN_DATE.replace("on April 14", "on April 15")))
    assert kinds(report) == [("number-mismatch", "error")]
    assert report.issues[0].expected == "April 14"


def test_added_number_is_info():
    report = check((ZH_POP, EN_POP + " In 2025, trade rose."))
    assert kinds(report) == [("number-mismatch", "info")]
    assert report.exit_code("warning") == 0
    assert report.exit_code("info") == 1


def test_untranslated_empty_chinese_and_leftovers():
    report = check((ZH_75, ""), (ZH_POP, ZH_POP), (ZH_BROTHER, EN_BROTHER + " 传统友谊"))
    assert kinds(report) == [
        ("untranslated", "error"),
        ("untranslated", "error"),
        ("untranslated", "warning"),
    ]
    leftover = report.issues[2]
    assert leftover.target[slice(*leftover.spans["target"][0])] == "传统友谊"


def test_unpaired_source_sentence_is_info():
    report = check_segments([Segment(ZH_75, None), Segment(ZH_POP, EN_POP)], TERMS)
    assert kinds(report) == [("unpaired", "info")]
    assert report.issues[0].target is None
    assert report.exit_code() == 0


def test_json_shape():
    report = check((ZH_BROTHER, EN_BROTHER.replace("camaraderie plus", "comrades and")))
    data = json.loads(json.dumps(report.to_json(), ensure_ascii=False))
    assert set(data) >= {"issues", "summary"}
    issue = data["issues"][0]
    for key in ("kind", "severity", "source", "target", "term", "expected", "found", "message"):
        assert key in issue
    assert data["summary"]["by_severity"] == {"info": 0, "warning": 1, "error": 0}
    assert data["summary"]["pairs"] == 1
    assert data["summary"]["terms"] == len(TERMS)


def test_exit_code_thresholds_and_bad_level():
    report = check((ZH_POP, EN_POP.replace("1.5 billion", "1.6 billion")))
    assert report.exit_code("error") == 1
    clean = check((ZH_POP, EN_POP))
    assert clean.exit_code("info") == 0
    with pytest.raises(CheckError):
        report.exit_code("fatal")


def test_readable_report_marks_terms():
    report = check((ZH_POP, EN_POP.replace("1.5 billion", "1.6 billion")))
    text = format_report(report)
    assert "[15亿]" in text and "[1.6 billion]" in text
    assert "\x1b[" not in text
    coloured = format_report(report, colour=True)
    assert "\x1b[1;4m15亿" in coloured


def test_number_words_names_and_idioms_are_not_flagged():
    # Seed 000: a reporter's name (倪四义), "两个一百年" (the two centenary goals), World War II.
    pairs = [
        ("新华社河内4月14日电(记者倪四义 张崇防)", "HANOI, April 14 (Xinhua) --"),
        (
            "朝着建党建国“两个一百年”奋斗目标不断迈进。",
            "its steadfast pursuit of the two goals set for the centenary of the party.",
        ),
        ("共同维护第二次世界大战胜利成果", "jointly uphold the outcomes of World War II"),
        ("在二十世纪九十年代末", "In the late 1990s"),
        ("2020 年 3 月下旬", "In late March 2020"),
    ]
    report = check(*pairs)
    assert [i for i in report.issues if i.severity != "info"] == []


def test_spelled_out_number_changed():
    zh = "越方坚定奉行一个中国政策,支持中国实现统一大业。"
    en = "Vietnam firmly adheres to the one-China policy and supports China's reunification."
    assert check((zh, en)).issues == []
    report = check((zh, en.replace("one-China", "two-China")))
    assert kinds(report) == [("number-mismatch", "error")]
    # 双方 explains an English "two": not a changed 六, only a dropped small count (info).
    report = check(("“六个更”总体目标,双方要继往开来", "the two sides should build on the past"))
    assert kinds(report) == [("number-mismatch", "info")]


def test_headline_and_unaligned_neighbour_make_missing_terms_info():
    segments = [
        Segment("习近平同越共中央总书记苏林举行会谈", "Xi calls for a shared future", role="title"),
        Segment(
            "4月14日下午,习近平在越共中央驻地同越共中央总书记苏林举行会谈。",
            "On April 14, Xi Jinping held talks in Hanoi.",
            context=("Xi made the remarks at the CPV Central Committee headquarters.",),
        ),
    ]
    terms = [
        *TERMS,
        Term("苏林", "To Lam", forbidden=["Su Lin"]),
        Term("越共中央驻地", "CPV Central Committee headquarters"),
    ]
    report = check_segments(segments, terms)
    by_term = {(i.pair_index, i.term): i.severity for i in report.issues}
    assert by_term[(0, "苏林")] == "info"  # headline
    assert by_term[(1, "越共中央驻地")] == "info"  # in the unaligned neighbour
    assert by_term[(1, "苏林")] == "warning"  # nowhere


def test_partial_rendering_of_a_title_is_info():
    terms = [
        Term("习近平", "Xi Jinping", variants=["Xi"]),
        Term("习近平总书记", "General Secretary Xi", variants=["General Secretary Xi Jinping"]),
        Term("中越", "China-Vietnam", variants=["China and Vietnam"]),
        Term("中越人文交流年", "China-Vietnam Year of People-to-People Exchanges"),
    ]
    report = check(("习近平总书记是杰出领袖", "Xi is an outstanding leader"), terms=terms)
    assert kinds(report) == [("term-missing", "info")]
    assert report.issues[0].found == "Xi"
    # A modifier is not the head: "China and Vietnam" does not half-render the Year.
    report = check(
        ("以今年“中越人文交流年”为契机", "China and Vietnam should take this as an opportunity"),
        terms=terms,
    )
    assert kinds(report) == [("term-missing", "warning")]


# WMT22 zh-en general test set, reference A: correct translations that used to be flagged.
WMT_NUMBER_PAIRS = [
    (
        "每年的3至6月，是油橄榄树开花坐果的时间，7至10月果实开始发育并且成熟。",
        "March to June each year is the time for olive trees to blossom and bear fruit, and from "
        "July to October, the fruit begins to develop and ripen.",
    ),
    (
        "他补充，沙巴今年至今共发出2万4801张报生纸。",
        "He added that Sabah has issued 24,801 birth certificates so far this year.",
    ),
    (
        "14日为农历十一月十一，月相为盈凸月。",
        "December 14 is November 11 in Chinese calendar, with the moon in the gibbous phase.",
    ),
    (
        "新一轮会谈11月29日在维也纳开始举行，12月3日暂时休会，9日继续举行。",
        "A new round of talks started in Vienna on November 29, which was adjourned on December 3, "
        "and will resume on December 9.",
    ),
    (
        "12月8日至10日举行的中央经济工作会议高度评价一年来我国经济社会发展取得的成绩。",
        "The Central Economic Work Conference held from December 8 to 10 spoke highly of the "
        "achievements made in economic and social development in our country for the past year.",
    ),
    (
        "“我们是23日上午10点左右巡逻到广场旁的时候发现的情况。”",
        "“We found her at about 10 am on the 23rd when we were patrolling next to the square.”",
    ),
    (
        "省内茶界专家称，茶农一年四季有收入。",
        "According to experts in the province, tea farmers have income in all four seasons.",
    ),
    (
        "这个故事在这两三年应该不足以支撑起 Meta 的市值。",
        "this story is not sufficient to support the market value of Meta in these years.",
    ),
    (
        "“十四五”时期，新建项目将在3-6个月内完成审批。",
        "During the 14th Five-Year Plan (2021-2025) period, new projects will be approved within "
        "3-6 months.",
    ),
]


@pytest.mark.parametrize(("zh", "en"), WMT_NUMBER_PAIRS)
def test_ranges_lunar_dates_mixed_numerals_and_days_are_not_alarms(zh: str, en: str):
    assert [i.message for i in check((zh, en)).issues if i.severity != "info"] == []


@pytest.mark.parametrize(
    ("index", "old", "new", "severity", "expected"),
    [
        # A lone English month name is no quantity to pair with: the month is reported dropped.
        (0, "July to October", "July to November", "warning", "October"),
        (1, "24,801", "24,811", "error", "24,801"),
        (2, "November 11", "November 12", "error", "lunar month 11, day 11"),
        (3, "December 9", "December 10", "error", "the 9th"),
        (-1, "14th Five-Year", "15th Five-Year", "error", "14th Five-Year Plan"),
        (-1, "3-6 months", "3-5 months", "error", "6"),
    ],
)
def test_changed_ranges_lunar_dates_mixed_numerals_and_days_are_caught(
    index, old, new, severity, expected
):
    zh, en = WMT_NUMBER_PAIRS[index]
    report = check((zh, en.replace(old, new)))
    severe = [i for i in report.issues if i.severity != "info"]
    assert [(i.kind, i.severity, i.expected) for i in severe] == [
        ("number-mismatch", severity, expected)
    ]


def test_dropped_small_count_is_info_but_dropped_figure_a_warning():
    # Seed 000: 五大家园 is rendered as five adjectives ("a peaceful, safe and secure,
    # prosperous, beautiful and amicable home"), not as the number five.
    zh = "高度赞赏中共中央周边工作会议确定同周边国家建设“五大家园”愿景。"
    en = (
        "Vietnam lauds the vision set forth during the CPC's central conference on work related "
        "to neighboring countries, which envisions building a peaceful, safe and secure, "
        "prosperous, beautiful and amicable home with neighboring countries."
    )
    numbers = [i for i in check((zh, en)).issues if i.kind == "number-mismatch"]
    assert [(i.term, i.severity) for i in numbers] == [("五", "info")]
    # A figure written in digits is still a warning when it goes missing (WMT22).
    zh = "连接两国长达725公里长的通道将为两国公民的出行提供便利条件。"
    en = "A passage connecting the two countries will provide convenience for travel."
    assert kinds(check((zh, en))) == [("number-mismatch", "warning")]


def test_changed_count_is_blamed_on_the_count_not_on_a_lone_yi():
    # TICO-19: 一天 is "the day"; a changed "five" is the 五 of 五个关键时刻 altered.
    zh = "一天中务必用肥皂洗手的五个关键时刻：排便前后、饭前以及处理食物前后。"
    en = (
        "The five critical moments during the day where washing hands with soap is important "
        "include: before and after defecation, before eating and before and after handling food."
    )
    assert [i for i in check((zh, en)).issues if i.severity != "info"] == []
    report = check((zh, en.replace("five", "six")))
    severe = [(i.term, i.severity) for i in report.issues if i.severity != "info"]
    assert severe == [("五", "error")]
    # 四小时 is a count ("four hours"), so its 四 does not explain a "four" put in for 三天.
    zh = "已知新冠病毒在塑料上最长可存活三天，在铜上最多可存活四小时。"
    en = "the virus was detectable for up to three days on plastic and up to four hours on copper."
    assert [i for i in check((zh, en)).issues if i.severity != "info"] == []
    report = check((zh, en.replace("three days", "four days")))
    assert [(i.term, i.severity) for i in report.issues] == [("三", "error")]


def test_lookup_only_term_is_not_required_but_its_forbidden_rendering_is_caught():
    zh = "越方期待同中方密切两党两国高层交往。"
    implicit = "Vietnam looks forward to strengthening high-level exchanges, he said."
    terms = [Term("中方", "China", variants=["the Chinese side"], forbidden=["China side"])]
    assert kinds(check((zh, implicit), terms=terms)) == [("term-missing", "warning")]
    lookup_only = [Term("中方", "China", forbidden=["China side"], checked=False)]
    assert check((zh, implicit), terms=lookup_only).issues == []
    wrong = "Vietnam looks forward to strengthening exchanges with the China side."
    assert kinds(check((zh, wrong), terms=lookup_only)) == [("term-forbidden", "error")]
    # Two entries for one term: the term is required when any of them is checked.
    mixed = [*lookup_only, Term("中方", "the Chinese side")]
    assert kinds(check((zh, implicit), terms=mixed)) == [("term-missing", "warning")]


# Seed 000: To Lam is named, then "He said" stands for him; Xi's title is given once in full.
ZH_WELCOME = "苏林热烈欢迎习近平总书记、国家主席在两国建交75周年之际对越南进行国事访问。"
EN_WELCOME = "For his part, To Lam extended a warm welcome to Xi on his state visit to Vietnam."
ZH_HE = "苏林表示,习近平总书记是中国人民的杰出领袖,也是越南人民的伟大朋友。"
EN_HE = "He said that Xi is not only an outstanding leader of the Chinese people."
NAME_TERMS = [
    Term("苏林", "To Lam", forbidden=["Su Lin"]),
    Term("习近平总书记", "General Secretary Xi", variants=["Xi"]),
    Term("习近平", "Xi Jinping", variants=["Xi"]),
    Term(
        "中共中央总书记",
        "general secretary of the Communist Party of China (CPC) Central Committee",
        variants=["general secretary of the CPC Central Committee"],
    ),
    Term("国家主席", "Chinese president", variants=["President"]),
]


def severities(report: CheckReport) -> dict[tuple[int, str], str]:
    return {(issue.pair_index, issue.term): issue.severity for issue in report.issues}


def test_pronoun_for_a_person_named_in_the_sentence_before_is_info():
    report = check((ZH_WELCOME, EN_WELCOME), (ZH_HE, EN_HE), terms=NAME_TERMS)
    issue = next(i for i in report.issues if i.term == "苏林")
    assert (issue.pair_index, issue.severity) == (1, "info")
    assert "“He” may stand for To Lam" in issue.message
    # Not named before: the pronoun explains nothing.
    alone = check((ZH_HE, EN_HE), terms=NAME_TERMS)
    assert severities(alone)[(0, "苏林")] == "warning"
    # "that he was" after a verb is no stand-in: there the name itself was dropped.
    dropped = "Pointed out that he was very pleased to meet Xi."
    report = check((ZH_WELCOME, EN_WELCOME), (ZH_HE, dropped), terms=NAME_TERMS)
    assert severities(report)[(1, "苏林")] == "warning"
    # The name must be the Chinese sentence's subject: "He" cannot stand for a name further in.
    later = "习近平总书记表示,苏林是越南人民的伟大领袖。"
    report = check(
        (ZH_WELCOME, EN_WELCOME), (later, "He said Xi is a great leader."), terms=NAME_TERMS
    )
    assert severities(report)[(1, "苏林")] == "warning"
    # An indented paragraph (full-width spaces) still opens with the name.
    indented = check((ZH_WELCOME, EN_WELCOME), ("\u3000\u3000" + ZH_HE, EN_HE), terms=NAME_TERMS)
    assert severities(indented)[(1, "苏林")] == "info"
    # Only within one document: a TM's next pair may come from another article.
    units = [
        TranslationUnit(ZH_WELCOME, EN_WELCOME, origin="article-1"),
        TranslationUnit(ZH_HE, EN_HE, origin="article-2"),
    ]
    assert severities(check_pairs(units, NAME_TERMS))[(1, "苏林")] == "warning"
    # No pronoun: the name is simply missing.
    no_pronoun = EN_HE.replace("He said that", "It is said that")
    report = check((ZH_WELCOME, EN_WELCOME), (ZH_HE, no_pronoun), terms=NAME_TERMS)
    assert severities(report)[(1, "苏林")] == "warning"


def test_title_given_at_an_earlier_mention_may_be_left_out_beside_the_name():
    report = check((ZH_DATE, EN_DATE), (ZH_WELCOME, EN_WELCOME), terms=NAME_TERMS)
    issue = next(i for i in report.issues if i.term == "国家主席")
    assert (issue.pair_index, issue.severity) == (1, "info")
    assert "earlier mention" in issue.message and "“Xi”" in issue.message
    # The first mention must carry the title: there, leaving it out is a warning.
    first = check((ZH_WELCOME, EN_WELCOME), terms=NAME_TERMS)
    assert severities(first)[(0, "国家主席")] == "warning"
    # Where the draft spells out another title of the name, a missing one is an omission.
    caption = "中共中央总书记、国家主席习近平同越共中央总书记苏林举行会谈。"
    titled = "Xi Jinping, and Chinese president, holds talks with To Lam."
    report = check((ZH_DATE, EN_DATE), (caption, titled), terms=NAME_TERMS)
    assert (0, "中共中央总书记") not in severities(report)  # given in full at the first mention
    assert severities(report)[(1, "中共中央总书记")] == "warning"
    bare = "Xi Jinping holds talks with To Lam."
    report = check((ZH_DATE, EN_DATE), (caption, bare), terms=NAME_TERMS)
    assert severities(report)[(1, "中共中央总书记")] == "info"
    # A verb between the name and the title: the title is not the name's.
    met = ("苏林会见了国家主席。", "To Lam met the leader.")
    assert (
        severities(check((ZH_DATE, EN_DATE), met, terms=NAME_TERMS))[(1, "国家主席")] == "warning"
    )
    # A glossary written in Traditional characters is a title all the same.
    traditional = [t for t in NAME_TERMS if t.zh != "国家主席"]
    traditional.append(Term("國家主席", "Chinese president", variants=["President"]))
    report = check((ZH_DATE, EN_DATE), (ZH_WELCOME, EN_WELCOME), terms=traditional)
    assert severities(report)[(1, "国家主席")] == "info"
    # A title not beside a rendered name (separated by a clause) stays a warning.
    apart = "苏林表示,国家主席对越南进行国事访问。"
    report = check((ZH_DATE, EN_DATE), (apart, "To Lam said the visit matters."), terms=NAME_TERMS)
    assert severities(report)[(1, "国家主席")] == "warning"


@pytest.mark.parametrize(
    ("zh", "en"),
    [
        (
            "十四五时期，中国经济稳步增长。",
            "During the 14th Five-Year Plan period, the economy grew.",
        ),
        ("十四五以来，全省新增就业岗位。", "Since the 14th Five-Year Plan began, jobs were added."),
        ("全市共有30余万人参加。", "More than 300,000 people took part."),
        ("全市共有30余万人参加。", "More than 300 thousand people took part."),
        ("近千人参加了活动。", "Nearly 1,000 people attended the event."),
        ("约200人参加了活动。", "About 200 people attended the event."),
        ("约200人参加了活动。", "Some 200 people attended the event."),
    ],
)
def test_plan_names_and_approximations_are_not_alarms(zh: str, en: str):
    assert [i.message for i in check((zh, en)).issues] == []


def test_changed_approximation_is_caught_and_says_the_hedge():
    report = check(("全市共有30余万人参加。", "More than 200,000 people took part."))
    (issue,) = report.issues
    assert (issue.kind, issue.severity, issue.expected) == ("number-mismatch", "error", "300,000")
    assert issue.message == (
        "the source has 30余万 (more than 300,000), but the draft says 200,000"
    )
    assert issue.suggestion == "write more than 300,000 instead of 200,000"


def test_number_messages_say_each_thing_once():
    changed = check(("纪念建交57周年。", "It marks the 58th anniversary of diplomatic ties."))
    assert [i.message for i in changed.issues] == [
        "the source has 57周年 (57th anniversary), but the draft says 58th anniversary"
    ]
    dropped = check(("共有725名学生。", "There are students."))
    assert [i.message for i in dropped.issues] == ["725 is not in the draft"]
    added = check(("学生很多。", "There are 725 students."))
    assert [i.message for i in added.issues] == ["the draft has 725, which the source does not"]


def test_a_different_hedge_is_shown_on_the_draft_side():
    report = check(("近千人参加了活动。", "More than 2,000 people attended the event."))
    assert [i.message for i in report.issues] == [
        "the source has 近千 (nearly 1,000), but the draft says 2,000 (more than 2,000)"
    ]

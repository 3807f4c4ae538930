"""Quoted terms: which Chinese quotation renders which English one, and quotation marks as
web text really writes them."""

from __future__ import annotations

import pytest

from zhen.glossary.extract import scored_candidates
from zhen.models import TranslationUnit


def _found(units: list[TranslationUnit]) -> set[tuple[str, str]]:
    return {(candidate.zh, candidate.en) for candidate, _ in scored_candidates(units)}


def test_one_item_of_a_quoted_list_pairs_with_a_one_item_english_quotation():
    # The Xinhua seed: “越中情谊深、同志加兄弟” is rendered by its second item alone.
    unit = TranslationUnit(
        zh="双方要赓续“越中情谊深、同志加兄弟”的传统友谊。",
        en="The two sides should carry forward the traditional friendship featuring "
        '"camaraderie plus brotherhood".',
    )
    assert ("同志加兄弟", "camaraderie plus brotherhood") in _found([unit])


_MOTTO = "study diligently, cultivate morality, foster discernment, advocate honesty"
_ROUND_TABLE = "Striking digital authoritarianism and affirming the value of democracy"

# Chinese, English, the pairs expected, the pairs that must not be proposed.
_QUOTATIONS = {
    # After WMT22 line 596: a motto of four items is one term; 勤学 alone is fully translated
    # by "study diligently" but covers a quarter of the English quotation.
    "list_as_long_as_the_english": (
        "学校倡导“勤学、修德、明辨、笃实”的共同价值观。",
        f'The school advocates the common values of "{_MOTTO}".',
        [("勤学、修德、明辨、笃实", _MOTTO)],
        [("勤学", _MOTTO)],
    ),
    # After WMT22 line 1197: 湖红之源 has no dictionary evidence, and 湖南红茶 is translated
    # inside both English quotations; it takes the one it renders, the other goes to 湖红之源.
    "each_once_in_order": (
        "企业获权使用“湖南红茶”商标，新化喜捧“湖红之源”。",
        'Enterprises may use the trademark of "Hunan black tea", and Xinhua was awarded the '
        'title of "source of Hunan black tea".',
        [("湖南红茶", "Hunan black tea"), ("湖红之源", "source of Hunan black tea")],
        [("湖南红茶", "source of Hunan black tea")],
    ),
    # WMT22 line 1264 closes “ with a full-width straight quote (＂).
    "straight_closing_quote": (
        "澳门大学今日举行“2021年荣誉学位及高等学位颁授典礼＂。",
        'The "2021 Award-Giving Ceremony for Honorary Degree and Advanced Degree" was held at '
        "the University of Macau today.",
        [
            (
                "2021年荣誉学位及高等学位颁授典礼",
                "2021 Award-Giving Ceremony for Honorary Degree and Advanced Degree",
            )
        ],
        [],
    ),
    # After WMT22 line 591: 和 inside the Chinese title, so "and" inside the English one joins.
    "title_grows_over_and": (
        "尤其是《统筹推进世界一流大学和一流学科建设总体方案》的提出。",
        "Especially, the issuing of the General Plan for Coordinating and Promoting the "
        "Construction of the Global Top Universities and the Top Disciplines showcases it.",
        [
            (
                "统筹推进世界一流大学和一流学科建设总体方案",
                "General Plan for Coordinating and Promoting the Construction of the Global Top "
                "Universities and the Top Disciplines",
            )
        ],
        [],
    ),
    # After WMT22 line 773: the English joins the two items with "and", not a comma (the
    # candidate's Chinese is width-folded: the full-width comma reads ",").
    "two_items_joined_by_and": (
        "唐凤出席“打击数字独裁主义，肯定民主价值”的圆桌讨论。",
        f'Tang Feng attended the round table discussion on "{_ROUND_TABLE}".',
        [("打击数字独裁主义,肯定民主价值", _ROUND_TABLE)],
        [("肯定民主价值", _ROUND_TABLE)],
    ),
}


@pytest.mark.parametrize("case", list(_QUOTATIONS))
def test_quotations_pair_whole_once_each_as_the_english_quotes_them(case: str):
    zh, en, expected, absent = _QUOTATIONS[case]
    found = _found([TranslationUnit(zh=zh, en=en)])
    assert set(expected) <= found
    assert not set(absent) & found

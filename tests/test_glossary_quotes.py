"""Quoted terms: which Chinese quotation renders which English one, and quotation marks as
web text really writes them."""

from __future__ import annotations

from zhen.glossary.extract import scored_candidates
from zhen.models import TranslationUnit


def _found(units: list[TranslationUnit]) -> set[tuple[str, str]]:
    return {(candidate.zh, candidate.en) for candidate, _ in scored_candidates(units)}


def test_quoted_list_pairs_whole_with_an_english_list_of_as_many_items():
    # After WMT22 line 596: a motto of four items is one term; 勤学 alone is fully translated by
    # "study diligently" but covers a quarter of the English quotation.
    unit = TranslationUnit(
        zh="学校倡导“勤学、修德、明辨、笃实”的共同价值观。",
        en='The school advocates the common values of "study diligently, cultivate morality, '
        'foster discernment, advocate honesty".',
    )
    found = _found([unit])
    assert (
        "勤学、修德、明辨、笃实",
        "study diligently, cultivate morality, foster discernment, advocate honesty",
    ) in found
    assert not any(zh == "勤学" and en.startswith("study diligently,") for zh, en in found)


def test_one_item_of_a_quoted_list_pairs_with_a_one_item_english_quotation():
    # The Xinhua seed: “越中情谊深、同志加兄弟” is rendered by its second item alone.
    unit = TranslationUnit(
        zh="双方要赓续“越中情谊深、同志加兄弟”的传统友谊。",
        en="The two sides should carry forward the traditional friendship featuring "
        '"camaraderie plus brotherhood".',
    )
    assert ("同志加兄弟", "camaraderie plus brotherhood") in _found([unit])


def test_each_quotation_pairs_once_in_the_order_both_languages_give():
    # After WMT22 line 1197: 湖红之源 has no dictionary evidence, and 湖南红茶 is translated
    # inside both English quotations; it takes the one it renders, the other goes to 湖红之源.
    unit = TranslationUnit(
        zh="企业获权使用“湖南红茶”商标，新化喜捧“湖红之源”。",
        en='Enterprises may use the trademark of "Hunan black tea", and Xinhua was awarded '
        'the title of "source of Hunan black tea".',
    )
    found = _found([unit])
    assert ("湖南红茶", "Hunan black tea") in found
    assert ("湖红之源", "source of Hunan black tea") in found
    assert ("湖南红茶", "source of Hunan black tea") not in found


def test_quotation_closed_by_a_straight_quote_is_still_a_quotation():
    # WMT22 line 1264 closes “ with a full-width straight quote (＂).
    unit = TranslationUnit(
        zh="澳门大学今日举行“2021年荣誉学位及高等学位颁授典礼＂。",
        en='The "2021 Award-Giving Ceremony for Honorary Degree and Advanced Degree" was held '
        "at the University of Macau today.",
    )
    assert (
        "2021年荣誉学位及高等学位颁授典礼",
        "2021 Award-Giving Ceremony for Honorary Degree and Advanced Degree",
    ) in _found([unit])


def test_quoted_title_with_and_grows_over_it_to_the_whole_english_title():
    # After WMT22 line 591: 和 inside the Chinese title, so "and" inside the English one joins.
    unit = TranslationUnit(
        zh="尤其是《统筹推进世界一流大学和一流学科建设总体方案》的提出。",
        en="Especially, the issuing of the General Plan for Coordinating and Promoting the "
        "Construction of the Global Top Universities and the Top Disciplines showcases it.",
    )
    assert (
        "统筹推进世界一流大学和一流学科建设总体方案",
        "General Plan for Coordinating and Promoting the Construction of the Global Top "
        "Universities and the Top Disciplines",
    ) in _found([unit])


def test_two_item_quotation_pairs_whole_with_an_english_pair_joined_by_and():
    # After WMT22 line 773: the English joins the two items with "and", not a comma.
    unit = TranslationUnit(
        zh="唐凤出席“打击数字独裁主义，肯定民主价值”的圆桌讨论。",
        en='Tang Feng attended the round table discussion on "Striking digital '
        'authoritarianism and affirming the value of democracy".',
    )
    found = _found([unit])
    # The candidate's Chinese is width-folded: the full-width comma reads ",".
    assert (
        "打击数字独裁主义,肯定民主价值",
        "Striking digital authoritarianism and affirming the value of democracy",
    ) in found
    assert (
        "肯定民主价值",
        "Striking digital authoritarianism and affirming the value of democracy",
    ) not in found

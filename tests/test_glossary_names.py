"""Term extraction's name handling: pinyin-spelled and ·-joined names re-cut from the English,
and the Chinese shapes (dateline, titled person, name-then-verb, coordination) it scores."""

from __future__ import annotations

import pytest

from tests.support import third_party
from zhen import glossary
from zhen.glossary.extract.names import (
    claim_name_words,
    interpunct_spans,
    pinyin_name_spans,
    recut_names,
    transliteration_match,
)
from zhen.glossary.extract.shape import name_then_verb, titled_person
from zhen.glossary.extract.tokens import en_tokens, prepare_zh, zh_tokens
from zhen.models import TranslationUnit

WMT22 = ("data", "wmt22-general-zhen")


def _wmt22_pair(line: int) -> TranslationUnit:
    """One line of the WMT22 general test set (read from ../shared: it has no licence to copy)."""
    zh = third_party(*WMT22, "generaltest2022.zh-en.src.zh").read_text(encoding="utf-8")
    en = third_party(*WMT22, "generaltest2022.zh-en.ref.A.en").read_text(encoding="utf-8")
    return TranslationUnit(
        zh=zh.splitlines()[line - 1], en=en.splitlines()[line - 1], origin="wmt22", position=line
    )


def _found(units: list[TranslationUnit]) -> set[tuple[str, str]]:
    return {(c.zh, c.en) for c in glossary.extract_candidates(units)}


def _texts(zh: str, en: str) -> list[str]:
    text = prepare_zh(zh)
    return [t.text for t in recut_names(text, zh_tokens(text), en)]


def test_pinyin_name_glued_to_a_neighbour_is_cut_whole():
    # jieba reads 记者顾|天成: the English spells the whole name.
    assert "顾天成" in _texts("记者顾天成报道", "reporter Gu Tiancheng reports")
    text = prepare_zh("记者顾天成报道")
    assert pinyin_name_spans(text, "reporter Gu Tiancheng reports") == ((2, 5, 9, 21),)


def test_heteronym_surname_is_read_as_a_surname():
    # 单 reads dan in everyday text and Shan as a surname.
    assert "单霁翔" in _texts("故宫博物院院长单霁翔介绍", "Shan Jixiang, director of the museum")


def test_no_pinyin_name_no_recut():
    text = prepare_zh("中国式现代化")
    tokens = zh_tokens(text)
    assert recut_names(text, tokens, "Chinese modernization") == tokens


def test_interpunct_name_is_one_token_grown_to_the_english():
    # jieba cuts 昆比泽·奇|蓬达 and 凯莱|什·贾古特|帕尔; the pieces sound like the English.
    assert "昆比泽·奇蓬达" in _texts(
        "卫生部长昆比泽·奇蓬达9日说", "Minister Kunbizze Chiponda said"
    )
    assert "凯莱什·贾古特帕尔" in _texts(
        "卫生部长凯莱什·贾古特帕尔表示", "Health minister Kelesh Jagutpal said"
    )
    # ... and stops before a title that sounds like nothing in the English.
    text = prepare_zh("穆罕默德·本·萨勒曼王储访问")
    spans = interpunct_spans(text, zh_tokens(text), "Crown Prince Mohammed Bin Salman visited")
    assert [text[start:end] for start, end in spans] == ["穆罕默德·本·萨勒曼"]


def test_transliteration_match():
    assert transliteration_match("皮莱", "pillay")
    assert transliteration_match("桑德斯", "saunders")
    assert not transliteration_match("非洲", "africa")
    assert not transliteration_match("皮莱", "pi")


def test_name_owns_its_english_words():
    zh, en = "记者张尚武今天上午报道", "Zhang Shangwu reported this morning"
    text = prepare_zh(zh)
    tokens = recut_names(text, zh_tokens(text), en)
    words = en_tokens(en)
    links: list[int | None] = [None] * len(words)
    claimed = claim_name_words(text, tokens, words, en, links)
    name = next(i for i, t in enumerate(tokens) if t.text == "张尚武")
    assert claimed == {0: name, 1: name}
    assert links[:2] == [name, name]


def test_extraction_proposes_the_whole_name_not_the_time_word():
    # Line 1195: 今天上午 ("this morning") reads ...shangwu, like the reporter's given name.
    found = _found([_wmt22_pair(1195)])
    assert ("张尚武", "Zhang Shangwu") in found
    assert not any(zh == "今天上午" for zh, _ in found)


def test_extraction_of_interpunct_names():
    found = _found([_wmt22_pair(536), _wmt22_pair(1487), _wmt22_pair(1494)])
    assert ("穆罕默德·本·萨勒曼", "Mohammed Bin Salman") in found
    assert ("凯莱什·贾古特帕尔", "Kelesh Jagutpal") in found
    assert ("昆比泽·奇蓬达", "Kunbizze Chiponda") in found
    assert not any(zh == "昆比泽·奇" for zh, _ in found)


def test_dateline_is_not_a_name():
    unit = TranslationUnit(
        zh="新华社西宁12月13日电 青海湖裸鲤资源蕴藏量持续恢复。",
        en="Xinhua News Agency Xining on December 13: the naked carp resources keep recovering.",
    )
    found = _found([unit])
    assert ("西宁", "Xining") in found
    assert not any("新华社西" in zh or "日电" in zh for zh, _ in found)


def test_quoted_phrase_padded_with_spaces():
    unit = TranslationUnit(
        zh="改革要继续“ 摸着石头过河 ”。",
        en='The reform should keep "crossing the river by feeling the stones".',
    )
    found = _found([unit])
    assert ("摸着石头过河", "crossing the river by feeling the stones") in found
    assert not any(zh != zh.strip() for zh, _ in found)


@pytest.mark.parametrize(
    ("chinese", "verb", "titled"),
    [
        ("赵宇空告诉新华社记者", True, False),
        ("江西还规划", True, False),
        ("记者董瑞丰", False, True),
        ("刘仲华教授", False, True),
        ("布朗大学和达特茅斯学院", False, False),
        ("青海湖裸鲤", False, False),
        ("中央经济工作会议", False, False),
    ],
)
def test_chinese_shapes(chinese: str, verb: bool, titled: bool):
    tokens = zh_tokens(prepare_zh(chinese))
    assert name_then_verb(tokens) is verb
    assert titled_person(tokens) is titled


def test_quoted_title_window_grows_over_joiners_to_the_whole_title():
    # Titles of exhibition units (after WMT22 line 1385): the dictionary knows 边缘 "edge" and
    # 公众 "public"; the rest of each English title is reached across "at the", "to the".
    unit = TranslationUnit(
        zh="展览分为《边缘思考》、《走向公众》等单元。",
        en="The exhibition has units such as Thinking at the Edge, Walking to the Public.",
    )
    found = _found([unit])
    assert ("边缘思考", "Thinking at the Edge") in found
    assert ("走向公众", "Walking to the Public") in found


def test_person_name_does_not_take_the_title_its_dictionary_gloss_describes():
    # CC-CEDICT glosses 习近平 "Xi Jinping (1953-), General Secretary of the CCP …": the
    # capitalised "General Secretary" beside the name renders 总书记, not the name (WMT22-style
    # sentence; the held-out and fitting sets cite it).
    unit = TranslationUnit(
        zh="也许你们中的一些人害怕惹恼习近平总书记。",
        en="Some of you may be afraid of offending General Secretary Xi Jinping.",
    )
    found = _found([unit])
    assert ("习近平", "Xi Jinping") in found
    assert ("习近平", "General Secretary Xi Jinping") not in found


def test_dotted_country_abbreviation_and_pinyin_brand():
    # "U.S." is one word and reads as 美国; a capitalised pinyin spelling renders a dictionary
    # word by sound (微博 is glossed "microblog").
    assert [t.text for t in en_tokens("The U.S. President met UK envoys.")] == [
        "The",
        "U.S.",
        "President",
        "met",
        "UK",
        "envoys",
    ]
    found = _found(
        [
            TranslationUnit(
                zh="美国总统拜登在发言中表示，我们有责任倾听公民。",
                en="The U.S. President, Biden, said in his speech that we must listen to citizens.",
            ),
            TranslationUnit(zh="（微博@南海观察）", en="(Weibo @SouthChinaSeaWatch)"),
        ]
    )
    assert ("美国总统", "U.S. President") in found
    assert ("微博", "Weibo") in found


def test_capitalised_pinyin_must_spell_the_whole_dictionary_word():
    from zhen.glossary.extract.evidence import Evidence
    from zhen.glossary.extract.tokens import EnToken, ZhToken

    evidence = Evidence()
    weibo = ZhToken("微博", "n", 0, 2)
    assert evidence.weight(weibo, EnToken("Weibo", 0, 5)) > 0
    # "Xi" spells the second syllable of 主席 (zhu-xi), which is not a rendering of it.
    assert evidence.weight(ZhToken("主席", "n", 0, 2), EnToken("Xi", 0, 2)) == 0

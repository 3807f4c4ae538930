"""Sentence splitting of Chinese and English news text: the hard cases from the seeds and data."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support import third_party
from zhen.io.textfile import read_text
from zhen.text.segment import EN_MAX_SENTENCE, ZH_MAX_SENTENCE, split_en, split_zh


def _wmt22_line(side: str, number: int) -> str:
    """Line `number` (1-based) of the WMT22 zh-en test set, side "zh" or "en"."""
    name = "generaltest2022.zh-en.src.zh" if side == "zh" else "generaltest2022.zh-en.ref.A.en"
    lines = read_text(third_party("data", "wmt22-general-zhen", name)).split("\n")
    return lines[number - 1]


# --- Chinese ---------------------------------------------------------------------------------


def test_zh_splits_on_full_stops_and_keeps_text():
    paragraph = (
        "习近平指出,构建中越命运共同体具有重要世界意义。两国携手走和平发展道路,"
        "15亿多人口共同迈向现代化,将有力维护地区乃至世界和平稳定,促进共同发展。"
        "小船孤篷经不起惊涛骇浪,同舟共济方能行稳致远。"
    )
    sentences = split_zh(paragraph)
    assert sentences == [
        "习近平指出,构建中越命运共同体具有重要世界意义。",
        "两国携手走和平发展道路,15亿多人口共同迈向现代化,将有力维护地区乃至世界和平稳定,"
        "促进共同发展。",
        "小船孤篷经不起惊涛骇浪,同舟共济方能行稳致远。",
    ]
    assert "".join(sentences) == paragraph


def test_zh_exclamation_question_and_closing_quote_stay_with_sentence():
    sentences = split_zh("苏林说:“我们要团结。”随后两人握手!这是真的吗?是的。")
    assert sentences == ["苏林说:“我们要团结。”", "随后两人握手!", "这是真的吗?", "是的。"]


def test_zh_no_split_inside_quotes():
    # WMT22 line 889: a question with an ellipsis inside one pair of quotes.
    line = _wmt22_line("zh", 889)
    assert split_zh(line) == [line]


def test_zh_no_split_inside_book_title():
    sentences = split_zh("双方发表《联合声明。附件》。会谈后举行了宴会。")
    assert sentences == ["双方发表《联合声明。附件》。", "会谈后举行了宴会。"]


def test_zh_ellipsis_ends_a_sentence():
    # WMT22 line 1623: "……" between two sentences.
    sentences = split_zh(_wmt22_line("zh", 1623))
    assert len(sentences) == 2
    assert sentences[0].endswith("……")
    assert sentences[1].startswith("由于")


def test_zh_semicolon_does_not_split():
    # WMT22 line 216: clauses joined by ；inside one sentence; 2.8天 must not split either.
    line = _wmt22_line("zh", 216)
    assert "；" in line
    assert split_zh(line) == [line]


def test_zh_unbalanced_quote_does_not_swallow_the_paragraph():
    sentences = split_zh("他说“我们来了。然后离开。最后回家。")
    assert len(sentences) == 3


def test_zh_quote_ending_sentence_from_seed(seed_path):
    text = read_text(seed_path("000"))
    paragraph = next(line for line in text.split("\n") if line.startswith("习近平强调,今年是"))
    sentences = split_zh(paragraph)
    assert sentences[0] == "习近平强调,今年是中越建交75周年暨“中越人文交流年”。"
    assert sentences[1].startswith("75年来")


def test_zh_empty():
    assert split_zh("   ") == []


# --- English ---------------------------------------------------------------------------------


def test_en_dateline_and_month_abbreviation_stay_in_one_sentence():
    paragraph = (
        "BEIJING, Jan. 26 (Xinhua) -- Chinese President Xi Jinping on Monday held phone talks "
        "with To Lam, general secretary of the Communist Party of Vietnam (CPV) Central Committee."
    )
    assert split_en(paragraph) == [paragraph]


def test_en_hanoi_dateline():
    paragraph = (
        "HANOI, April 14 (Xinhua) -- Xi Jinping, general secretary of the Communist Party of "
        "China (CPC) Central Committee and Chinese president, on Monday called for deepening the "
        "building of a China-Vietnam community with a shared future. Xi made the remarks."
    )
    assert len(split_en(paragraph)) == 2


def test_en_us_inside_and_at_end_of_sentence():
    # WMT22 line 777: "U.S." twice inside one sentence.
    line = _wmt22_line("en", 777)
    assert split_en(line) == [line]
    assert split_en("It was held in the U.S. The talks ended.") == [
        "It was held in the U.S.",
        "The talks ended.",
    ]


def test_en_titles_initials_and_numbers():
    # WMT22 line 760 has "Mr. Lu".
    line = _wmt22_line("en", 760)
    assert split_en(line) == [line]
    assert split_en("George W. Bush met Dr. Smith at No. 1 Street. They talked.") == [
        "George W. Bush met Dr. Smith at No. 1 Street.",
        "They talked.",
    ]


def test_en_decimals_and_acronyms_from_tico19():
    # TICO-19 (CC0) segments: "i.e." followed by a capitalised name is not a sentence end.
    segment = (
        "Second, the severity of symptoms of COVID-19 lies between SARS-CoV and the four "
        "community-acquired HCoVs (i.e. HCoV-229E, HCoV-OC43, HCoV-HKU1 and HCoV-NL63)."
    )
    assert split_en(segment) == [segment]
    segment = (
        "As of March 28, 2020, U.S. states and territories have reported 122,653 U.S. COVID-19 "
        "cases to CDC, including 7,162 (5.8%) for whom data were reported."
    )
    assert split_en(segment) == [segment]
    text = "Their combined population of over 1.5 billion is advancing. It grew by 2.5 percent."
    assert len(split_en(text)) == 2


def test_en_quotes_and_question_marks():
    text = (
        'They agreed in line with the requirements of "six mores." China\'s development '
        'has provided inspiration, he said. "Are you sure?" he asked.'
    )
    assert split_en(text) == [
        'They agreed in line with the requirements of "six mores."',
        "China's development has provided inspiration, he said.",
        '"Are you sure?" he asked.',
    ]


def test_en_ellipses():
    assert split_en("He paused... Then he left.") == ["He paused...", "Then he left."]
    assert split_en("We waited … and waited.") == ["We waited … and waited."]


def test_en_list_numbering_is_not_a_sentence():
    assert split_en("1. Enhance strategic mutual trust.") == ["1. Enhance strategic mutual trust."]


@pytest.mark.parametrize("paragraph", ["", "   "])
def test_en_empty(paragraph):
    assert split_en(paragraph) == []


# --- the length cap --------------------------------------------------------------------------


def test_zh_without_end_marks_is_cut_after_clause_marks():
    clause = "两国携手走和平发展道路" * 9 + "，"  # 100 characters
    text = clause * 15
    sentences = split_zh(text)
    assert [len(s) for s in sentences] == [600, 600, 300]
    assert all(s.endswith("，") for s in sentences)
    assert "".join(sentences) == text


def test_zh_without_any_break_is_cut_at_the_limit():
    text = "中" * (2 * ZH_MAX_SENTENCE + 7)
    assert [len(s) for s in split_zh(text)] == [ZH_MAX_SENTENCE, ZH_MAX_SENTENCE, 7]
    assert split_zh("好。" + text)[0] == "好。"  # real sentences before it stay as they were


def test_en_without_punctuation_is_cut_at_spaces():
    text = " ".join(f"word{i}" for i in range(1000))  # 7,889 characters, no mark at all
    sentences = split_en(text)
    assert len(sentences) == 5
    assert all(len(s) <= EN_MAX_SENTENCE for s in sentences)
    assert " ".join(sentences) == text  # no word cut in two


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="中文，。 ab;", max_size=4000))
def test_no_sentence_is_longer_than_the_cap_and_no_text_is_lost(text):
    zh, en = split_zh(text), split_en(text)
    assert all(len(s) <= ZH_MAX_SENTENCE for s in zh)
    assert all(len(s) <= EN_MAX_SENTENCE for s in en)
    assert "".join("".join(zh).split()) == "".join(text.split())
    assert "".join("".join(en).split()) == "".join(text.split())

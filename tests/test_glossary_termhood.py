"""Termhood against general language: frequency of a span in everyday Chinese and English, its
weight in the TM beside that, one dictionary word, numbered formulations."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.support.paths import REPO_ROOT
from zhen.glossary.extract.termhood import (
    en_general_frequency,
    general_frequency,
    lexicalised,
    numbered,
    weirdness,
    zh_length,
)


@pytest.mark.parametrize(
    "zh", ["两个维护", "五项原则", "和平共处五项原则", "六个更", "四大全球倡议", "十四五"]
)
def test_numbered_formulations(zh):
    assert numbered(zh)


@pytest.mark.parametrize("zh", ["一带一路", "两国", "中国共产党", "十分"])
def test_other_spans_are_not_numbered(zh):
    assert not numbered(zh)


def test_general_frequency_ranks_everyday_words_above_domain_terms():
    assert general_frequency("中国") > general_frequency("口罩") > general_frequency("咽拭子") > 0
    assert general_frequency("咽拭子咽拭子咽拭子") < general_frequency("咽拭子")
    # Traditional script and full-width forms are read as extraction reads them.
    assert general_frequency("護目鏡") == general_frequency("护目镜")
    assert 0 <= general_frequency("的") <= 1


def test_english_general_frequency():
    assert en_general_frequency("the") > en_general_frequency("throat swabs") > 0
    assert en_general_frequency("zzqxv") == 0


def test_lexicalised_is_one_word_of_the_general_dictionary():
    assert lexicalised("口罩")
    assert not lexicalised("口罩供应")


def test_weirdness_grows_with_the_tm_share_and_the_rarity():
    assert weirdness("咽拭子", 10, 100) > weirdness("咽拭子", 1, 100)
    assert weirdness("咽拭子", 10, 100) > weirdness("中国", 10, 100)


def test_length_in_characters_is_capped():
    assert zh_length("口罩") == 2 / 16
    assert zh_length("中" * 40) == 1.0


def test_no_jieba_log_line_reaches_the_terminal():
    # wordfreq's own jieba tokenizer logs while it builds its dictionary unless jieba is quieted.
    code = (
        "from zhen.glossary.extract.termhood import general_frequency; general_frequency('咽拭子')"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env={"PYTHONPATH": str(REPO_ROOT / "src"), "PATH": "/usr/bin:/bin"},
        check=True,
    )
    assert done.stderr == ""

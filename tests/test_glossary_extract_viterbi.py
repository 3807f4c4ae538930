"""Extraction's decoder of jieba's part-of-speech HMM (zhen.glossary.extract.viterbi) gives what
jieba's own gives: the same path and the same score, to the bit, and so the same words and tags
for whole texts once the tokenizer has put it in jieba's place."""

from __future__ import annotations

import re

import jieba.posseg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jieba.posseg import char_state_tab_P, emit_P, start_P, trans_P
from jieba.posseg.viterbi import viterbi as jieba_viterbi

from tests.support.paths import SOURCES
from zhen.glossary.extract import tokens
from zhen.glossary.extract.viterbi import viterbi

TEXTS = [path.read_text(encoding="utf-8") for path in sorted(SOURCES.glob("*.txt"))]
HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
# Characters of the bundled texts, and some jieba's tables do not list (every state allowed).
SEEN = sorted({char for text in TEXTS for run in HAN_RUN.findall(text) for char in run})
UNLISTED = [char for char in "㐀㐁䶵鿐鿕\U00020000" if char not in char_state_tab_P]
CHARACTERS = st.sampled_from(SEEN + UNLISTED)


def _both(text: str) -> tuple[tuple[float, list[object]], tuple[float, list[object]]]:
    return (
        jieba_viterbi(text, char_state_tab_P, start_P, trans_P, emit_P),
        viterbi(text, char_state_tab_P, start_P, trans_P, emit_P),
    )


def test_the_tables_hold_characters_jieba_does_not_list() -> None:
    assert UNLISTED and len(SEEN) > 500


@settings(max_examples=400, deadline=None, database=None)
@given(text=st.text(CHARACTERS, min_size=1, max_size=40))
def test_same_path_and_score_as_jiebas_decoder(text: str) -> None:
    expected, got = _both(text)
    assert got == expected
    assert type(got[0]) is float


def test_same_path_and_score_on_every_run_of_the_bundled_texts() -> None:
    runs = [run for text in TEXTS for run in HAN_RUN.findall(text)]
    assert len(runs) > 200
    for run in runs:
        expected, got = _both(run)
        assert got == expected, run


def test_the_tokenizer_puts_it_in_jiebas_place_and_cuts_alike(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tokenizer = tokens._posseg()
    assert tokenizer.viterbi is viterbi
    lines = [line for text in TEXTS for line in text.splitlines() if line.strip()]
    decoded: list[str] = []

    def counted(text: str, *tables: object) -> tuple[float, list[object]]:
        decoded.append(text)
        return viterbi(text, *tables)  # type: ignore[arg-type]

    monkeypatch.setattr(jieba.posseg, "viterbi", counted)
    ours = [[(p.word, p.flag) for p in tokenizer.lcut(line)] for line in lines]
    monkeypatch.setattr(jieba.posseg, "viterbi", jieba_viterbi)
    theirs = [[(p.word, p.flag) for p in tokenizer.lcut(line)] for line in lines]
    assert ours == theirs
    # The decoder had work to do: runs of characters no dictionary word covers.
    assert len(decoded) > 50

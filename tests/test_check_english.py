"""Inflection-tolerant English matching used by zhen check."""

from __future__ import annotations

import pytest

from zhen.checker.english import pattern_keys, stem, streams
from zhen.checker.term_index import TermIndex
from zhen.models import Term


@pytest.mark.parametrize(
    "forms",
    [
        ("exchange", "exchanges", "Exchanges", "exchanged", "exchanging"),
        ("cooperate", "cooperated", "cooperates", "cooperating"),
        ("country", "countries", "country's", "country’s"),
        ("plan", "plans", "planned", "planning"),
        ("study", "studies", "studied", "studying"),
        ("lead", "led", "leads"),
        ("hold", "held"),
        ("modernization", "modernisation", "modernizations"),
        ("neighbor", "neighbour", "neighbours"),
        ("need", "needs", "needed"),
    ],
)
def test_inflected_forms_share_a_stem(forms):
    assert len({stem(form) for form in forms}) == 1, {form: stem(form) for form in forms}


@pytest.mark.parametrize(
    "a, b",
    [("policy", "police"), ("unity", "universe"), ("state", "statement"), ("port", "sport")],
)
def test_different_words_keep_different_stems(a, b):
    assert stem(a) != stem(b)


def test_pattern_keys_drop_leading_article_and_add_joined_compound():
    assert pattern_keys("the Belt and Road Initiative") == (" belt and road initi ",)
    assert pattern_keys("multi-polar world") == (" multi polar world ", " multipolar world ")
    assert pattern_keys("，。") == ()


def test_stream_spans_point_into_the_original_text():
    text = "The people-to-people exchanges grew."
    split, joined = streams(text)
    assert split.key == " the peopl to peopl exchang grow "
    start = split.key.index(" peopl to peopl exchang ")
    first, last = split.token_range(start, start + len(" peopl to peopl exchang "))
    assert text[slice(*split.char_span(first, last))] == "people-to-people exchanges"
    assert " peopletopeopl exchang " in joined.key


def test_target_matching_finds_every_form():
    index = TermIndex([Term("多极化", "multipolar world", forbidden=["unipolar world"])])
    for draft, found in (
        ("a multi-polar world", "multi-polar world"),
        ("two Multipolar Worlds", "Multipolar Worlds"),
    ):
        hits = index.find_target(draft)
        assert [(h.kind, draft[slice(*h.span)]) for h in hits] == [("allowed", found)]
    forbidden = index.find_target("not a unipolar world")
    assert [h.kind for h in forbidden] == ["forbidden"]


def test_source_matching_longest_first_with_shadowed_hits():
    index = TermIndex(
        [
            Term("命运共同体", "community with a shared future"),
            Term("人类命运共同体", "community with a shared future for mankind"),
        ]
    )
    hits = index.find_source("构建人類命運共同體")
    assert [(h.entry.zh, h.span, h.shadowed) for h in hits] == [
        ("人类命运共同体", (2, 9), False),
        ("命运共同体", (4, 9), True),
    ]


def test_source_offsets_survive_width_and_space_changes():
    index = TermIndex([Term("一带一路", "Belt and Road")])
    text = "  推动　“一带一路”  ＡＢ合作"
    (hit,) = index.find_source(text)
    assert text[slice(*hit.span)] == "一带一路"

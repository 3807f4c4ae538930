"""The fast paths of term extraction's per-pair work give exactly what their plain definitions
give: a window's coverage (coverage.WindowCover against coverage._coverage, one window at a time
and grown from one start), the dictionary stem match by openings, pinyin runs, the scratch
table's batched lookup, and a sentence's row of word judgements (Evidence.weights)."""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from zhen.glossary.extract import evidence, prepare, stream
from zhen.glossary.extract.coverage import SpanView, WindowCover, _coverage
from zhen.glossary.extract.evidence import is_content
from zhen.glossary.extract.tokens import en_tokens, prepare_zh, zh_tokens
from zhen.io import tmx
from zhen.text.stem import lexicon_key

SENTENCE = (
    "the Secretary General of the United Nations and a shared future for mankind of the "
    "exchanges and mutual learning"
)
EN = en_tokens(SENTENCE)
WORDS = st.integers(0, len(EN) - 1)
WEIGHTS = st.lists(st.sampled_from([0.0, 0.0, 0.4, 0.8, 1.0]), min_size=len(EN), max_size=len(EN))


@settings(max_examples=500, deadline=None, database=None)
@given(
    inside=WEIGHTS,
    outside=WEIGHTS,
    taken=st.sets(WORDS),
    own=st.sets(WORDS),
    parts=st.lists(st.tuples(st.integers(1, 4), st.sets(WORDS)), min_size=1, max_size=5),
    low=WORDS,
    highs=st.sets(WORDS, min_size=1),
)
def test_window_cover_is_coverage_one_window_at_a_time_and_grown(
    inside, outside, taken, own, parts, low, highs
):
    view = SpanView(inside, outside, taken, own)
    anchors = {j for j in range(len(EN)) if view.anchored(j)}
    cover = WindowCover(EN, view, parts, anchors)
    # Windows of function words only are never scored: a content word opens each window.
    rising = [
        high
        for high in sorted(highs)
        if high >= low and any(is_content(t) for t in EN[low : high + 1])
    ]
    plain = [_coverage(EN, view, parts, anchors, low, high) for high in rising]
    assert list(cover.along(low, rising)) == plain
    assert [cover(low, high) for high in rising] == plain
    assert [cover.own(low, high) for high in rising] == [
        sum(1 for j in own if low <= j <= high) for high in rising
    ]


def _plain_stem_match(en: str, stems: frozenset[str]) -> bool:
    return en in stems or (
        len(en) >= 4 and any(len(s) >= 4 and (en.startswith(s) or s.startswith(en)) for s in stems)
    )


STEMS = st.text(alphabet="abcdmo", max_size=7)


@settings(max_examples=500, deadline=None, database=None)
@given(en=STEMS, stems=st.frozensets(STEMS, max_size=6))
def test_stem_match_by_openings_is_the_prefix_rule(en, stems):
    assert evidence._stem_match(en, stems) == _plain_stem_match(en, stems)


def _plain_pinyin_match(word: str, en: str) -> bool:
    syllables = evidence.pinyin_syllables(word)
    if not syllables or not en.isalpha():
        return False
    for start in range(len(syllables)):
        joined = ""
        for syllable in syllables[start:]:
            joined += syllable
            if joined == en:
                return True
            if len(joined) >= len(en):
                break
    return False


@settings(max_examples=300, deadline=None, database=None)
@given(
    word=st.sampled_from(["习近平", "苏林", "古特雷斯", "微博", "中国", "李强", "A股", "一带一路"]),
    en=st.text(alphabet="xijnpgsulmwebo-1", max_size=9),
)
def test_pinyin_runs_are_the_syllables_spelt_in_a_row(word, en):
    assert evidence.pinyin_match(word, en) == _plain_pinyin_match(word, en)
    for start in range(3):
        spelt = "".join(evidence.pinyin_syllables(word)[start : start + 2])
        assert evidence.pinyin_match(word, spelt) == _plain_pinyin_match(word, spelt)


def test_a_sentence_row_of_judgements_is_each_judgement():
    zh_text = prepare_zh("越共中央总书记苏林会见中国共产党代表团，讨论人文交流。")
    en_text = "CPV General Secretary To Lam met the CPC delegation on people-to-people exchanges."
    zh, en = zh_tokens(zh_text), en_tokens(en_text)
    counts = evidence.Evidence()
    for _ in range(3):
        counts.add_pair(zh, en)
    counts.add_acronym("CPC", en_tokens("Communist Party of China"))
    rows = [counts.weights(word, en) for word in zh]
    again = [counts.weights(word, en) for word in zh]  # from the cache this time
    fresh = evidence.Evidence()
    fresh.__dict__.update(counts.__dict__, _memo={}, _judged=0)
    assert rows == again == [[fresh._judge(word, token)[0] for token in en] for word in zh]
    assert any(any(row) for row in rows)


def test_the_word_counts_kept_on_disk_give_every_judgement_all_the_counts_give(tmp_path):
    # Only the word pairs a judgement may read are counted together, and only those whose Dice
    # reaches a threshold are kept on disk; every judgement of every pair's words must come out
    # as it does from all the joint counts, held in memory.
    units = list(tmx.iter_units(Path(__file__).parent / "data/extract_expected/tico19_sample.tmx"))
    run = stream._Run(stream._InProcess(), tmp_path, False, 2, lambda *_: None, frozenset())
    kept, _, number = run.read(stream.pair_chunks(units, None, 100))
    everything = evidence.Evidence()
    again = tmp_path / "again"
    again.mkdir()
    for n in range(number):
        everything.merge(
            prepare.prepare_chunk(prepare.load(tmp_path / f"{n}.tokens")[0], str(again), n)
        )
    all_joint = evidence.Evidence()
    for n in range(number):
        for _, zh, en in prepare.load(tmp_path / f"{n}.tokens")[1]:
            all_joint.add_pair(zh, en)
    everything.joint = all_joint.joint
    assert everything.zh_count == all_joint.zh_count and everything.en_count == all_joint.en_count
    judged: Counter[str] = Counter()
    for n in range(number):
        for _, zh, en in prepare.load(tmp_path / f"{n}.tokens")[1]:
            for word in zh:
                for token in en:
                    found = kept._judge(word, token)
                    assert found == everything._judge(word, token), (word, token)
                    judged[found[1]] += 1
    assert judged["cooccurrence"] > 0
    with sqlite3.connect(tmp_path / "joint.sqlite") as conn:
        (on_disk,) = conn.execute("SELECT count(*) FROM total").fetchone()
    assert on_disk < sum(1 for n in everything.joint.values() if n >= evidence.MIN_COOCCURRENCE)


def test_joint_candidates_are_the_word_pairs_a_judgement_may_read():
    zh = zh_tokens(prepare_zh("甲，乙，丙"))
    en = en_tokens("alpha beta gamma")
    counts = evidence.Evidence()
    zh_words = [t.text for t in zh if not t.is_punct]
    stems = [lexicon_key(t.text, demonyms=True) for t in en]
    totals = dict(zip(zh_words, (6, 7, 1), strict=True))
    counts.zh_count.update(totals)
    counts.en_count.update(dict(zip(stems, (2, 3, 6), strict=True)))
    found = set(counts.joint_candidates(zh, en))
    # Dice can reach 0.5 only when 2 · the rarer count / (both counts) does; both words must be
    # seen MIN_COOCCURRENCE times.
    expected = {
        (word, stem)
        for word in zh_words
        for stem in stems
        if min(counts.zh_count[word], counts.en_count[stem]) >= evidence.MIN_COOCCURRENCE
        and 2
        * min(counts.zh_count[word], counts.en_count[stem])
        / (counts.zh_count[word] + counts.en_count[stem])
        >= min(evidence.MIN_DICE, evidence.MIN_DICE_KNOWN)
    }
    assert found == expected
    assert (zh_words[0], stems[0]) in found  # 2·2/(6+2) = 0.5 exactly
    assert (zh_words[1], stems[0]) not in found  # 2·2/(7+2) < 0.5
    assert not {pair for pair in found if pair[0] == zh_words[-1]}  # seen once

"""Term extraction on real seed pairs: acronyms, quoted phrases, names, recurring units."""

from __future__ import annotations

import json

import pytest

from zhen import glossary, store, tmx
from zhen.models import Term, TranslationUnit

# Sentence pairs as they stand in the Xinhua seeds (tm/sources/000_*.txt and 004_*.txt).
SEED_PAIRS = [
    (
        "4月14日下午,中共中央总书记、国家主席习近平在越共中央驻地同越共中央总书记苏林举行会谈。",
        "Xi Jinping, general secretary of the Communist Party of China Central Committee and "
        "Chinese president, holds talks with To Lam, general secretary of the Communist Party of "
        "Vietnam (CPV) Central Committee, at the CPV Central Committee headquarters in Hanoi, "
        "Vietnam, April 14, 2025.",
    ),
    (
        "新华社河内4月14日电 4月14日下午,中共中央总书记、国家主席习近平在越共中央驻地同越共中央"
        "总书记苏林举行会谈。",
        "HANOI, April 14 (Xinhua) -- Xi Jinping, general secretary of the Communist Party of China "
        "(CPC) Central Committee and Chinese president, on Monday called for deepening the "
        "building of a China-Vietnam community with a shared future.",
    ),
    (
        "站在新的历史起点上,双方要继往开来、携手前行,赓续“越中情谊深、同志加兄弟”的传统友谊",
        "Standing at a new historical starting point, the two sides should build on past "
        "achievements, forge ahead together and carry forward the profound traditional "
        'friendship featuring "camaraderie plus brotherhood," said Xi.',
    ),
    (
        "继续深挖红色资源、讲好友好故事,今后3年邀请越南青年赴华开展“红色研学之旅”。",
        "The two sides should continue to explore resources of revolutionary heritage and "
        "promote stories of friendship. In the next three years, China will invite Vietnamese "
        'youth to China for "Red Study Tours."',
    ),
    (
        "习近平同越共中央总书记苏林通电话",
        "Xi holds phone talks with Vietnam's To Lam",
    ),
    (
        "会谈前,苏林邀请习近平进行小范围茶叙。",
        "Before the talks, To Lam invited Xi to a small-group chat over tea.",
    ),
    (
        "越方坚定奉行一个中国政策,支持中国实现统一大业,坚决反对任何“台独”分裂行径。",
        "Vietnam firmly adheres to the one-China policy, supports China's efforts toward national "
        "reunification, and resolutely opposes any separatist actions aimed at Taiwan "
        "independence.",
    ),
]
# Seed 001 has no English half; its Chinese names RCEP in brackets, as Xinhua's English does.
RCEP_PAIR = (
    "推进高质量实施《区域全面经济伙伴关系协定》(RCEP),积极欢迎中国香港特区申请加入RCEP。",
    "The two sides will advance the high-quality implementation of the Regional Comprehensive "
    "Economic Partnership (RCEP) and welcome the application of China's Hong Kong SAR to join it.",
)


def _units(pairs=SEED_PAIRS) -> list[TranslationUnit]:
    return [
        TranslationUnit(zh=zh, en=en, origin="seed", position=index)
        for index, (zh, en) in enumerate(pairs)
    ]


def _found(candidates, zh: str) -> dict[str, glossary.Candidate]:
    return {c.en: c for c in candidates if c.zh == zh}


@pytest.fixture(scope="module")
def candidates():
    return glossary.extract_candidates(_units() + _units([RCEP_PAIR]))


def test_acronym_expansions_pair_with_their_chinese(candidates):
    assert "Communist Party of Vietnam (CPV)" in _found(candidates, "越共")
    rcep = _found(candidates, "区域全面经济伙伴关系协定")
    assert rcep["Regional Comprehensive Economic Partnership (RCEP)"].kind == "acronym"
    assert rcep["Regional Comprehensive Economic Partnership (RCEP)"].source == "seed#0"


def test_quoted_phrases_pair_with_the_quoted_english(candidates):
    brotherhood = _found(candidates, "同志加兄弟")["camaraderie plus brotherhood"]
    assert brotherhood.kind == "quoted" and brotherhood.source == "seed#2"
    assert _found(candidates, "红色研学之旅")["Red Study Tours"].kind == "quoted"
    assert "Taiwan independence" in _found(candidates, "台独")


def test_names_by_pinyin_and_by_co_occurrence(candidates):
    # 习近平 spells Xi Jinping in pinyin; 苏林 is not pinyin but recurs with "To Lam".
    assert "Xi Jinping" in _found(candidates, "习近平")
    assert "To Lam" in _found(candidates, "苏林")
    assert "Su Lin" not in _found(candidates, "苏林")


def test_candidates_are_sorted_scored_and_cite_their_pair(candidates):
    scores = [c.score for c in candidates]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < c.score <= 1 and c.source.startswith("seed#") for c in candidates)
    assert not any(c.known for c in candidates)


def test_known_terms_are_labelled_with_their_status():
    known = [
        Term(zh="同志加兄弟", en="camaraderie plus brotherhood"),
        Term(zh="红色研学之旅", en="Red Study Tours", status="rejected"),
        Term(zh="苏林", en="To Lam", forbidden=["Lam"]),
    ]
    found = glossary.extract_candidates(_units(), known)
    unknown_labels = glossary.extract_candidates(_units())
    # Knowing terms only labels candidates; it never changes what is found or how it scores.
    assert [(c.zh, c.en, c.score) for c in found] == [(c.zh, c.en, c.score) for c in unknown_labels]
    assert _found(found, "同志加兄弟")["camaraderie plus brotherhood"].known_status == "approved"
    assert _found(found, "红色研学之旅")["Red Study Tours"].known_status == "rejected"
    assert _found(found, "苏林")["To Lam"].known_status == "approved"


def test_save_adds_new_proposals_and_leaves_rejected_terms_alone(db_path):
    conn = store.connect(db_path, seed=False)
    glossary.add_term(conn, Term(zh="红色研学之旅", en="Red Study Tours", status="rejected"))
    found = glossary.extract_candidates(_units(), glossary.list_terms(conn))
    saved = glossary.save_candidates(conn, found, min_score=0.0)
    assert saved == sum(1 for c in found if not c.known)
    [rejected] = glossary.get_term(conn, "红色研学之旅")
    assert rejected.status == "rejected"
    proposed = glossary.list_terms(conn, "proposed")
    assert len(proposed) == saved and all(t.sources for t in proposed)
    assert glossary.save_candidates(conn, found, min_score=0.0) == 0  # nothing twice


def test_extract_cli_reads_tmx_and_prints_json(tmp_path, run_zhen):
    path = tmp_path / "seed.tmx"
    tmx.write_tmx(path, _units(), creation_date="20250416T000000Z")
    db = tmp_path / "g.db"
    result = run_zhen("glossary", "extract", path, "--json", "--db", db)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data and {"zh", "en", "score", "kind", "source", "known"} <= set(data[0])
    pairs = {(c["zh"], c["en"]): c for c in data}
    # The bundled glossary seeds a new database, so its terms come back as known.
    assert pairs[("同志加兄弟", "camaraderie plus brotherhood")]["known"] is True
    saved = run_zhen("glossary", "extract", path, "--save", "--db", db)
    assert saved.returncode == 0, saved.stderr
    assert "saved as proposed" in saved.stderr

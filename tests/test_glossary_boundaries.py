"""Term extraction's span boundaries: bracketed Latin glosses, windows one word off, nested
rivals for one English, pieces of quoted speech, and transliterations matched by sound."""

from __future__ import annotations

import json

import pytest

from zhen import glossary
from zhen.glossary.extract import DISPLAY_SCORE, extract_candidates, scored_candidates
from zhen.glossary.extract.coverage import SpanView
from zhen.glossary.extract.evidence import is_content
from zhen.glossary.extract.glosses import bracket_glosses
from zhen.glossary.extract.names import (
    english_skeleton,
    recut_names,
    transliteration_match,
)
from zhen.glossary.extract.phrases import SpanMatch, best_spans
from zhen.glossary.extract.tokens import en_tokens, prepare_zh, zh_tokens
from zhen.glossary.extract.window import edge_variants, window_qualities
from zhen.io import tmx
from zhen.models import TranslationUnit


def _glosses(zh: str, en: str) -> list[tuple[str, str, bool]]:
    text = prepare_zh(zh)
    tokens = recut_names(text, zh_tokens(text), en)
    return [(g.zh, g.en, g.variant) for g in bracket_glosses(tokens, en)]


def _renderings(units: list[TranslationUnit], zh: str) -> dict[str, float]:
    return {c.en: c.score for c in extract_candidates(units) if c.zh == zh}


def test_bracketed_latin_gloss_renders_the_term_before_it():
    # A measure word ends the term (20|枚|三叉戟); a person's name is glossed alone.
    assert _glosses("载有20枚三叉戟（Trident）弹道导弹", "carries 20 Trident missiles") == [
        ("三叉戟", "Trident", False)
    ]
    assert _glosses("另据美国有线电视新闻网（CNN）报道", "CNN reported") == [
        ("美国有线电视新闻网", "CNN", False)
    ]
    person = _glosses("该组织总监安本·皮莱（Unben Pillay）说", "Unben Pillay said")
    assert person[0] == ("安本·皮莱", "Unben Pillay", False)
    assert all(variant for _, _, variant in person[1:])
    # A quoted ship's name is the term; the description before the quotation is not.
    ship = _glosses("核潜艇“内华达号”（USS Nevada）上周", "the submarine USS Nevada")
    assert ship == [("内华达号", "USS Nevada", False)]


def test_gloss_the_english_does_not_use_is_ignored():
    assert _glosses("三叉戟（Trident）导弹", "the missiles") == []
    assert _glosses("这是（一）项目", "This is item one") == []


def test_bracket_gloss_is_proposed_from_a_pair():
    unit = TranslationUnit(
        zh="载有20枚三叉戟（Trident）弹道导弹和数十枚核弹头的核潜艇驶入关岛海军基地。",
        en="The nuclear submarine, which carries 20 Trident ballistic missiles and dozens of "
        "nuclear warheads, entered the US naval base in Guam.",
    )
    assert "Trident" in _renderings([unit], "三叉戟")


def test_consonant_skeleton_matches_transliterations_spelling_misses():
    assert english_skeleton("Stockdale") == "STKTL"
    for zh, en in [("肖尔茨", "scholz"), ("巴克利", "buckley")]:
        assert transliteration_match(zh, en), (zh, en)
        assert not transliteration_match(zh, en, by_skeleton=False), (zh, en)
    assert transliteration_match("斯托克达尔", "stockdale")
    # Different skeletons, and two-sound skeletons must be equal.
    assert not transliteration_match("斯托克达尔", "dartmouth")
    assert not transliteration_match("巴克利", "stockdale")
    assert not transliteration_match("肖尔茨", "minister")


def _match(zh: str, en: str, quality: float, kind: str = "phrase") -> SpanMatch:
    return SpanMatch(zh, en, kind, quality, 1, False)


def test_nested_rival_as_well_covered_is_kept_for_the_statistics():
    kept = best_spans(
        [
            _match("联合国秘书长古特雷斯", "Secretary General of the United Nations", 1.0),
            _match("联合国秘书长", "Secretary General of the United Nations", 1.0),
            _match("联合国秘书长古特雷斯在", "Secretary General of the United Nations", 0.5),
            _match("秘书长", "Secretary General", 1.0),
        ]
    )
    zh = {m.zh for m in kept}
    assert {"联合国秘书长古特雷斯", "联合国秘书长", "秘书长"} <= zh
    # A rival far worse covered is a mis-cut span, not a reading.
    assert "联合国秘书长古特雷斯在" not in zh


def test_latin_copy_in_the_chinese_does_not_take_the_english():
    kept = best_spans([_match("Trident", "Trident", 1.0), _match("三叉戟", "Trident", 1.0)])
    assert [m.zh for m in kept] == ["三叉戟"]


def test_pieces_of_quoted_speech_stay_but_pieces_of_a_title_do_not():
    speech = _match("我们会通知申请者前往各地分局领取报生纸。", "We will notify …", 1.0, "quoted")
    title = _match(
        "区域全面经济伙伴关系", "Regional Comprehensive Economic Partnership", 1, "quoted"
    )
    pieces = [
        _match("各地分局", "We", 0.9),
        _match("全面经济", "Comprehensive Economic", 1.0),
    ]
    kept = {m.zh for m in best_spans([speech, title, *pieces])}
    assert "各地分局" in kept
    assert "全面经济" not in kept


FACE_SHIELDS = TranslationUnit(
    zh="医护人员应佩戴透明面罩。", en="Health workers should wear transparent face shields."
)


def _shown(unit: TranslationUnit) -> dict[str, glossary.extract.ShownTerm]:
    """What a reviewer is shown for one unit, however low the scores: Chinese → its entry."""
    shown = glossary.extract.shown_terms(extract_candidates([unit]), min_score=0.0)
    return {term.best.zh: term for term in shown}


def test_window_one_word_off_is_a_lower_scored_variant():
    # 面罩 is glossed "mask; facepiece": "face" is linked, the head noun "shields" is free.
    term = _shown(FACE_SHIELDS)["透明面罩"]
    assert term.best.en == "transparent face"
    (wider,) = [other for other in term.others if other.en == "transparent face shields"]
    assert wider.score < term.best.score


def test_narrower_window_never_strands_an_adjective():
    unit = TranslationUnit(
        zh="两党总书记同意加强交流互鉴。",
        en="The two general secretaries agreed to strengthen exchanges and mutual learning.",
    )
    renderings = {c.en for c, _ in scored_candidates([unit]) if c.zh == "交流互鉴"}
    assert "exchanges and mutual" not in renderings


def test_json_lists_every_candidate_however_unlikely(tmp_path, run_zhen, seeded_db):
    path = tmp_path / "pair.tmx"
    tmx.write_tmx(path, [FACE_SHIELDS], creation_date="20250416T000000Z")
    result = run_zhen("glossary", "extract", path, "--json", "--all", "--db", seeded_db)
    assert result.code == 0, result.stderr
    listed = {(c["zh"], c["en"]) for c in json.loads(result.stdout)}
    everything = {(c.zh, c.en) for c, _ in scored_candidates([FACE_SHIELDS])}
    assert listed == everything


@pytest.mark.parametrize("score", [0.0, 0.001])
def test_shown_terms_still_respect_the_cut_off(score):
    low = glossary.Candidate(zh="某", en="some", score=score, kind="phrase", source="x#1")
    assert glossary.extract.shown_terms([low]) == []


def test_variant_of_function_words_only_is_never_proposed():
    # "Our DC": dropping the unlinked "DC" leaves "Our", no term at all (it once divided by 0).
    text = "Our DC office is located in a WeWork."
    en = en_tokens(text)
    nothing = [0.0] * len(en)
    view = SpanView(list(nothing), list(nothing), set(), set())
    for low, high in edge_variants(text, en, view, 0, 1):
        assert any(is_content(en[j]) for j in range(low, high + 1))
    assert window_qualities(en, view, [(2, set())], [(0, 0)]) == [0.0]


def _best(zh: str, en: str) -> dict[str, tuple[str, float]]:
    """Each Chinese span's best rendering and score in one pair."""
    best: dict[str, tuple[str, float]] = {}
    for candidate, _ in scored_candidates([TranslationUnit(zh=zh, en=en)]):
        if candidate.zh not in best or candidate.score > best[candidate.zh][1]:
            best[candidate.zh] = (candidate.en, candidate.score)
    return best


def test_a_word_capitalised_by_opening_the_sentence_is_not_part_of_a_name():
    best = _best(
        "以东城区为例，该区推出了新政策。",
        "Take Dongcheng District as an example, the district launched new policies.",
    )
    assert best["东城区"][0] == "Dongcheng District"
    # A demonym opening the sentence still belongs to the title after it.
    best = _best("刚上任的德国总理肖尔茨也出席了峰会。", "German Chancellor Scholz also attended.")
    assert best["德国总理"][0].startswith("German Chancellor")


def test_a_term_is_named_without_its_possessive():
    unit = TranslationUnit(zh="美国海军的舰队抵达关岛。", en="The US Navy's fleet arrived in Guam.")
    found = {(c.zh, c.en) for c, _ in scored_candidates([unit])}
    assert ("美国海军", "US Navy") in found
    assert not any(en.endswith(("'s", "’s")) for _, en in found)


def test_quoted_speech_is_not_a_term():
    found = scored_candidates(
        [
            TranslationUnit(
                zh="她说：“我们会通知申请者前往各地分局领取报生纸。”",
                en="She said: “We'll notify the applicants to get the birth certificates at their "
                "local branch bureau.”",
            )
        ]
    )
    assert found
    assert not any("。" in c.zh or c.kind == "quoted" for c, _ in found)
    assert ("分局", "branch bureau") in {(c.zh, c.en) for c, _ in found}


ENUMERATION = TranslationUnit(
    zh="坚定目标自信、路径自信、能力自信。",
    en="We should be firm in objective confidence, path confidence and ability confidence.",
)
ENUMERATION_EN = "objective confidence, path confidence and ability confidence"


def test_enumerated_formulation_is_one_span_ending_with_its_last_item():
    found = {(c.zh, c.en) for c, _ in scored_candidates([ENUMERATION])}
    assert ("目标自信、路径自信、能力自信", ENUMERATION_EN) in found
    # A span never ends inside the next item (…路径自信、能).
    assert not any(zh.endswith("、能力") for zh, _ in found)


def test_transliteration_jieba_cut_in_pieces_is_one_name():
    def words(zh: str, en: str) -> list[str]:
        text = prepare_zh(zh)
        return [t.text for t in recut_names(text, zh_tokens(text), en)]

    # jieba: 斯托克|达尔, 凯鲁|阿米|努斯.
    assert "斯托克达尔" in words("“斯托克达尔”号导弹驱逐舰", "guided missile destroyer “Stockdale”")
    assert "凯鲁阿米努斯" in words(
        "该局主任凯鲁阿米努斯保证", "the director, Kerouaminus, promised"
    )
    # Dictionary words tagged as names are no pieces: 德国总理|肖|尔茨 keeps its title apart.
    pieces = words("刚上任的德国总理肖尔茨也参加了", "German Chancellor Scholz also attended")
    assert "德国总理" in pieces
    assert "肖尔茨" in pieces


# Chinese, English, a term, its best rendering, and longer spans that must not be proposed.
_BEST_RENDERINGS = {
    # A word without evidence takes the free English between its neighbours' renderings.
    "free_english_between_neighbours": (
        "滥用无人机空袭医院、学校等民用场所。",
        "The US army launched air strikes to civil places such as hospitals and schools by "
        "abusing UAV.",
        "无人机",
        "UAV",
        [],
    ),
    # Title and name are proposed only when the English renders both: not the office without
    # the name the English gives elsewhere, nor the name without its title.
    "title_rendered_apart_from_the_name": (
        "中国儿童中心副主任李忠明在发布会上介绍说。",
        "According to Li Zhongming, Deputy Director of China Children’s Center, at the press "
        "conference.",
        "李忠明",
        "Li Zhongming",
        ["中国儿童中心副主任李忠明", "副主任李忠明"],
    ),
    # A single character before a name is a piece of it, not a title: 古|特雷斯 stays a name.
    "one_character_before_a_name": (
        "古特雷斯在开场讲话中表示。",
        "Guterres said in the opening speech.",
        "古特雷斯",
        "Guterres",
        [],
    ),
}


@pytest.mark.parametrize("case", list(_BEST_RENDERINGS))
def test_best_rendering_of_a_term_and_no_longer_span(case: str):
    zh, en, term, rendering, absent = _BEST_RENDERINGS[case]
    best = _best(zh, en)
    assert best[term][0] == rendering
    assert not [span for span in absent if span in best]


def test_an_honorific_with_a_name_is_no_proposal_the_name_is():
    # No filter drops 江朝晖女士 (the byline filter went in issue 18): the titled-person feature
    # keeps it under the cut-off, while the name alone is shown.
    zh, en = "江朝晖女士获颁荣誉博士学位。", "Ms. Jiang Zhaohui was awarded an honorary doctorate."
    best = _best(zh, en)
    assert best["江朝晖"][0] == "Jiang Zhaohui"
    assert best["江朝晖"][1] >= DISPLAY_SCORE > best["江朝晖女士"][1]


def test_readings_of_a_bracket_gloss_other_than_the_likeliest_are_weak_guesses():
    unit = TranslationUnit(
        zh="该组织总监安本·皮莱（Unben Pillay）说，疫情仍在蔓延。",
        en="Unben Pillay, director of the organisation, said the epidemic is still spreading.",
    )
    scored = {(c.zh, c.en): (c.score, c.kind) for c, _ in scored_candidates([unit])}
    name_score, name_kind = scored[("安本·皮莱", "Unben Pillay")]
    assert name_kind == "name"
    longer_score, longer_kind = scored[("总监安本·皮莱", "Unben Pillay")]
    assert longer_kind == "phrase" and longer_score < name_score


def test_full_form_of_a_name_is_proposed_over_a_short_form_scoring_alike():
    best = glossary.Candidate(zh="习近平", en="Xi", score=0.89, kind="name", source="a#1", count=18)
    full = glossary.Candidate(
        zh="习近平", en="Xi Jinping", score=0.87, kind="name", source="a#2", count=5
    )
    far = glossary.Candidate(
        zh="越南", en="Vietnam", score=0.86, kind="name", source="a#3", count=15
    )
    weaker = glossary.Candidate(
        zh="越南", en="Vietnamese people", score=0.5, kind="name", source="a#4"
    )
    shown = glossary.extract.shown_terms([best, full, far, weaker], min_score=0.35)
    assert [(t.best.zh, t.best.en) for t in shown] == [
        ("习近平", "Xi Jinping"),
        ("越南", "Vietnam"),
    ]
    assert [c.en for c in shown[0].others] == ["Xi"]


def test_variant_grows_across_a_joiner_but_never_into_half_a_name():
    unit = TranslationUnit(
        zh="分区差异化管理是关键。", en="Zoning and differentiated management is the key."
    )
    term = _shown(unit)["分区差异化管理"]
    offered = [term.best.en, *(other.en for other in term.others)]
    assert "Zoning and differentiated management" in offered
    name = TranslationUnit(
        zh="联合国秘书长古特雷斯当天发表声明。",
        en="United Nations Secretary-General Antonio Guterres issued a statement on the day.",
    )
    assert not any(c.en.startswith("Nations") for c, _ in scored_candidates([name]))


def test_json_keeps_to_a_floor_only_when_asked(tmp_path, run_zhen, seeded_db):
    path = tmp_path / "pair.tmx"
    tmx.write_tmx(path, [FACE_SHIELDS], creation_date="20250416T000000Z")
    everything = run_zhen("glossary", "extract", path, "--json", "--all", "--db", seeded_db)
    floored = run_zhen(
        "glossary", "extract", path, "--json", "--all", "--min-score", "0.05", "--db", seeded_db
    )
    assert everything.code == floored.code == 0, floored.stderr
    all_scores = [c["score"] for c in json.loads(everything.stdout)]
    kept = [c["score"] for c in json.loads(floored.stdout)]
    assert kept and all(score >= 0.05 for score in kept)
    assert len(kept) < len(all_scores)
    # Scores print rounded to three places: compare away from the floor's edge.
    assert len(kept) >= sum(1 for score in all_scores if score >= 0.051)

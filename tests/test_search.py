"""Lookup: glossary first, CAT match %, concordance, zh/en normalisation, index upkeep, spans."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from zhen import search, store, tm
from zhen.errors import SearchError
from zhen.glossary import import_glossary
from zhen.io import tmx
from zhen.models import TranslationUnit
from zhen.resources import bundled_glossary
from zhen.search import lookup, match_percent
from zhen.store import index as search_index
from zhen.text.normalize import normalize_zh, to_traditional

# Real excerpts: Xinhua seeds 000/004 (zh paragraph clause and its English sentence) and TICO-19.
FRIENDSHIP_ZH = (
    "站在新的历史起点上，双方要继往开来、携手前行，赓续“越中情谊深、同志加兄弟”的传统友谊。"
)
FRIENDSHIP_EN = (
    "Standing at a new historical starting point, the two sides should build on past achievements, "
    "forge ahead together and carry forward the profound traditional friendship featuring "
    '"camaraderie plus brotherhood," said Xi.'
)
ANNIVERSARY_ZH = "今年是中越建交75周年暨“中越人文交流年”。"
ANNIVERSARY_EN = (
    "This year marks the 75th anniversary of the establishment of diplomatic ties between China "
    "and Vietnam, as well as the China-Vietnam Year of People-to-People Exchanges."
)
ONE_CHINA_ZH = "越南将坚持一个中国政策，继续支持“一带一路”倡议。"
ONE_CHINA_EN = (
    "Vietnam will continue to adhere to the one-China policy and support the Belt and Road "
    "Initiative."
)
SEEDS = [
    (FRIENDSHIP_ZH, FRIENDSHIP_EN),
    (ANNIVERSARY_ZH, ANNIVERSARY_EN),
    (ONE_CHINA_ZH, ONE_CHINA_EN),
    (
        "中方支持越方于2025年在河内举办公约签署仪式。",
        "China supports Vietnam in hosting the signing "
        "ceremony of the convention in Hanoi in 2025.",
    ),
]
TICO = [
    ("这些症状已持续多长时间？", "about how long have these symptoms been going on?"),
    ("还需要检查一下胆固醇和血压", "and also needs to be checked your cholesterol blood pressure"),
    ("并伴有发热症状", "and along with a fever"),
]


def _import(conn: sqlite3.Connection, tmp_path: Path, name: str, pairs) -> None:
    path = tmp_path / f"{name}.tmx"
    tmx.write_tmx(path, [TranslationUnit(zh=z, en=e, origin=name) for z, e in pairs])
    tm.import_files(conn, [path])


def _add_term(conn, zh, en, *, variants=(), forbidden=(), status="approved"):
    with store.transaction(conn):
        term_id = conn.execute(
            "INSERT INTO terms (zh, zh_norm, en, status) VALUES (?, ?, ?, ?)",
            (zh, normalize_zh(zh), en, status),
        ).lastrowid
        for kind, renderings in (("variant", variants), ("forbidden", forbidden)):
            for rendering in renderings:
                conn.execute(
                    "INSERT INTO term_renderings (term_id, kind, en) VALUES (?, ?, ?)",
                    (term_id, kind, rendering),
                )


@pytest.fixture
def conn(tmp_path: Path, db_path: Path) -> sqlite3.Connection:
    connection = store.open_database(db_path, create=True)
    _import(connection, tmp_path, "xinhua", SEEDS)
    _import(connection, tmp_path, "tico19", TICO)
    _add_term(
        connection,
        "同志加兄弟",
        "camaraderie plus brotherhood",
        forbidden=["comrades and brothers"],
    )
    _add_term(connection, "传统友谊", "traditional friendship")
    _add_term(connection, "一带一路", "Belt and Road", variants=["Belt and Road Initiative"])
    return connection


def _unit_ids(result) -> list[int]:
    return [hit.unit_id for hit in result.units]


def _id_of(conn, zh: str) -> int:
    return conn.execute("SELECT id FROM units WHERE zh = ?", (zh,)).fetchone()[0]


def test_identical_source_is_100(conn):
    result = lookup(conn, ANNIVERSARY_ZH)
    assert result.side == "zh"
    assert result.units[0].zh == ANNIVERSARY_ZH
    assert result.units[0].score == 100
    assert result.units[0].en == ANNIVERSARY_EN
    assert result.units[0].origin == "xinhua"


def test_traditional_query_matches_simplified_unit_at_100(conn):
    query = to_traditional(FRIENDSHIP_ZH)
    assert query != FRIENDSHIP_ZH
    result = lookup(conn, query)
    assert result.units[0].unit_id == _id_of(conn, FRIENDSHIP_ZH)
    assert result.units[0].score == 100


def test_full_width_digits_and_punctuation_fold(conn):
    query = "中方支持越方于２０２５年在河内举办公约签署仪式。"
    assert lookup(conn, query).units[0].score == 100


def test_differing_number_is_penalised_and_ranked_below(conn):
    result = lookup(conn, "今年是中越建交70周年暨“中越人文交流年”。")
    top = result.units[0]
    assert top.zh == ANNIVERSARY_ZH
    assert 80 <= top.score < 100
    # One changed character that is not a number costs less than one changed number.
    changed_word = lookup(conn, "今年是中越建交75周年暨“中越人文友好年”。").units[0]
    assert changed_word.zh == ANNIVERSARY_ZH and changed_word.score > top.score - 8


def test_number_change_in_a_long_segment_never_reaches_100():
    long_zh = FRIENDSHIP_ZH * 3 + "2027年"
    assert (
        match_percent(normalize_zh(long_zh), normalize_zh(long_zh.replace("2027", "2028")), "zh")
        < 99
    )
    long_en = (FRIENDSHIP_EN + " ") * 6 + "in 2027"
    assert match_percent(long_en.lower(), long_en.lower().replace("2027", "2028"), "en") < 99
    assert match_percent("abc <b>x</b>", "abc x", "en") < 100


def test_only_identical_after_normalisation_scores_100():
    assert match_percent("同志加兄弟", "同志加兄弟", "zh") == 100
    near = FRIENDSHIP_ZH * 4
    assert match_percent(normalize_zh(near), normalize_zh(near[:-1] + "！"), "zh") == 99


def test_english_query_case_insensitive_and_typo_tolerant(conn):
    result = lookup(
        conn,
        "VIETNAM WILL CONTINUE TO ADHERE TO THE ONE-CHINA POLCY AND SUPORT THE BELT "
        "AND ROAD INITIATIVE.",
    )
    assert result.side == "en"
    assert result.units[0].en == ONE_CHINA_EN
    assert 80 <= result.units[0].score < 100


def test_english_glossary_typo_finds_the_term(conn):
    result = lookup(conn, "camaraderie plus brotherhod")
    assert result.terms[0].zh == "同志加兄弟"
    assert result.terms[0].match == "fuzzy"


def test_glossary_hits_come_first_exact_then_contained(conn):
    result = lookup(conn, "同志加兄弟")
    first = result.terms[0]
    assert (first.zh, first.en, first.match, first.score) == (
        "同志加兄弟",
        "camaraderie plus brotherhood",
        "exact",
        100,
    )
    assert first.forbidden == ["comrades and brothers"]
    sentence = lookup(conn, "赓续“越中情谊深、同志加兄弟”的传统友谊")
    assert {t.zh for t in sentence.terms} >= {"同志加兄弟", "传统友谊"}
    assert all(t.match == "contained" for t in sentence.terms[:2])


def test_concordance_finds_the_query_inside_units(conn):
    result = lookup(conn, "同志加兄弟")
    hit = next(h for h in (*result.units, *result.concordance) if h.zh == FRIENDSHIP_ZH)
    start, end = hit.zh_spans[0]
    assert FRIENDSHIP_ZH[start:end] == "同志加兄弟"
    # The other side highlights the glossary rendering of the term found in the query.
    assert [FRIENDSHIP_EN[s:e] for s, e in hit.en_spans] == ["camaraderie plus brotherhood"]


def test_english_concordance_matches_word_prefix(conn):
    result = lookup(conn, "cholester")
    assert [h.zh for h in result.concordance] == ["还需要检查一下胆固醇和血压"]
    assert result.concordance[0].kind == "concordance"
    start, end = result.concordance[0].en_spans[0]
    assert TICO[1][1][start:end] == "cholester"


def test_single_character_query_uses_concordance_scan(conn):
    result = lookup(conn, "热")
    assert [h.zh for h in result.concordance] == ["并伴有发热症状"]


def test_fuzzy_spans_are_offsets_into_the_original_text(conn):
    query = to_traditional("今年是中越建交75周年暨“中越人文交流年”")
    hit = lookup(conn, query).units[0]
    highlighted = "".join(hit.zh[s:e] for s, e in hit.zh_spans)
    assert highlighted.startswith("今年是中越建交75周年")
    assert "人文交流年" in highlighted


def test_side_override_and_limit(conn):
    result = lookup(conn, "2025", side="zh")
    assert result.side == "zh"
    assert result.concordance[0].zh.startswith("中方支持越方于2025年")
    assert len(lookup(conn, "症状", limit=1).concordance) == 1


def test_min_score_filters_weak_matches(conn):
    query = "这些症状已持续多长时间了呢？"
    assert lookup(conn, query, min_score=50).units
    assert not lookup(conn, query, min_score=95).units


def test_bad_queries_raise_search_error(conn):
    for query, options in (("   ", {}), ("同志", {"side": "fr"}), ("x", {"limit": 0})):
        with pytest.raises(SearchError):
            lookup(conn, query, **options)


def test_to_json_shape(conn):
    data = lookup(conn, "同志加兄弟").to_json()
    assert set(data) >= {"terms", "units"}
    for item in (*data["terms"], *data["units"]):
        assert {"zh", "en", "score", "origin", "kind"} <= set(item)
        assert 0 <= item["score"] <= 100
    assert {u["kind"] for u in data["units"]} <= {"unit", "concordance"}


def test_index_is_current_after_delete(conn):
    tico_ids = [row[0] for row in conn.execute("SELECT id FROM units WHERE origin = 'tico19'")]
    assert lookup(conn, "并伴有发热症状").units[0].score == 100
    assert tm.delete_origin(conn, "tico19").removed == len(TICO)
    assert not lookup(conn, "并伴有发热症状").units
    assert not lookup(conn, "热").concordance
    for code in search_index.query_zh_codes(normalize_zh("".join(z for z, _ in TICO))):
        postings = search_index.read_postings(conn, search_index.ZH_TABLE, code)
        assert not set(postings.tolist()) & set(tico_ids)


def test_index_is_current_after_import(conn, tmp_path):
    assert not lookup(conn, "我们应该更小心的。").units
    _import(conn, tmp_path, "tatoeba", [("我们应该更小心的。", "We should've been more careful.")])
    assert lookup(conn, "我們應該更小心的").units[0].en == "We should've been more careful."


def test_many_small_imports_merge_segments(conn, tmp_path):
    for i in range(search_index.postings.MERGE_AT + 2):
        _import(conn, tmp_path, f"batch{i}", [(f"症状持续了{i}天", f"symptoms lasted {i} days")])
    code = search_index.query_zh_codes("症状")[0]
    rows = conn.execute("SELECT count(*) FROM zh_postings WHERE gram = ?", (code,)).fetchone()[0]
    assert rows < search_index.postings.MERGE_AT
    ids = search_index.read_postings(conn, search_index.ZH_TABLE, code)
    expected = conn.execute("SELECT count(*) FROM units WHERE zh_norm LIKE '%症状%'").fetchone()[0]
    assert len(set(ids.tolist())) == expected == len(TICO) - 1 + search_index.postings.MERGE_AT + 2


def test_units_without_index_are_indexed_when_next_opened_for_writing(db_path):
    """Index upkeep is a write: it happens when the file is opened to write, never in a lookup."""
    conn = store.open_database(db_path, create=True)
    with store.transaction(conn):
        conn.execute(
            "INSERT INTO units (zh, en, zh_norm, en_norm, pair_key) VALUES (?, ?, ?, ?, ?)",
            (
                ONE_CHINA_ZH,
                ONE_CHINA_EN,
                normalize_zh(ONE_CHINA_ZH),
                ONE_CHINA_EN.lower(),
                store.pair_key(ONE_CHINA_ZH, ONE_CHINA_EN),
            ),
        )
    conn.close()
    reader = store.open_database(db_path, readonly=True)
    assert not lookup(reader, ONE_CHINA_ZH).units
    reader.close()
    writer = store.open_database(db_path)
    assert lookup(writer, ONE_CHINA_ZH).units[0].score == 100


def test_word_codes_round_trip_and_prefix_ranges():
    code = search_index.en_word_code("brotherhood")
    assert search_index.en_code_word(code) == "brotherhood"
    low, high = search_index.en_prefix_range("broth")
    assert low <= code <= high
    assert not low <= search_index.en_word_code("brown") <= high
    words = ["brotherhood", "a", "g20", "internationalization"]
    codes = [search_index.en_word_code(w) for w in words]
    assert search_index.en_code_words(codes) == ["brotherhood", "a", "g20", "internationa"]


def test_index_built_in_chunks_matches_the_units(conn, monkeypatch):
    # Large imports are tokenised in chunks and merged by code range; force both paths here.
    monkeypatch.setattr(search_index, "_CHUNK_UNITS", 2)
    monkeypatch.setattr(search_index.postings, "_MERGE_RANGES", 3)
    with store.transaction(conn):
        search_index.rebuild(conn)
    units = conn.execute("SELECT id, zh_norm, en_norm FROM units").fetchall()
    expected: dict[tuple[str, int], set[int]] = {}
    for unit_id, zh_norm, en_norm in units:
        for code in search_index.query_zh_codes(zh_norm):
            expected.setdefault((search_index.ZH_TABLE, code), set()).add(unit_id)
        for code in search_index.query_en_codes(en_norm):
            expected.setdefault((search_index.EN_TABLE, code), set()).add(unit_id)
    for (table, code), ids in expected.items():
        postings = search_index.read_postings(conn, table, code).tolist()
        assert postings == sorted(ids)
    stored = conn.execute("SELECT count(DISTINCT gram) FROM zh_postings").fetchone()[0]
    assert stored == sum(1 for table, _ in expected if table == search_index.ZH_TABLE)


# --- glossary matching against the bundled Xinhua glossary --------------------------------

_TIER = {"exact": 0, "contained": 1, "fuzzy": 2}


@pytest.fixture
def glossary_conn(db_path: Path) -> sqlite3.Connection:
    connection = store.open_database(db_path, create=True)
    import_glossary(connection, bundled_glossary())
    return connection


def _terms(result) -> list[tuple[str, str]]:
    return [(hit.zh, hit.match) for hit in result.terms]


def test_english_word_finds_the_term_whose_rendering_holds_it(glossary_conn):
    result = lookup(glossary_conn, "camaraderie")
    assert _terms(result)[0] == ("同志加兄弟", "contained")
    assert result.terms[0].en == "camaraderie plus brotherhood"
    assert result.terms[0].matched_kind is None  # found through the preferred rendering


def test_english_typo_and_cut_short_word_find_the_term(glossary_conn):
    typo = lookup(glossary_conn, "camraderie")
    assert _terms(typo)[0] == ("同志加兄弟", "fuzzy")
    assert typo.terms[0].score >= 50
    cut = lookup(glossary_conn, "Lancang Mek")
    assert {"澜湄合作", "澜湄国家命运共同体"} <= {
        zh for zh, match in _terms(cut) if match == "fuzzy"
    }


def test_hyphenated_rendering_matches_spaced_words_ranked_by_coverage(glossary_conn):
    result = lookup(glossary_conn, "Lancang Mekong")
    assert _terms(result)[:2] == [("澜湄合作", "contained"), ("澜湄国家命运共同体", "contained")]
    # Whole-string resemblance of unrelated names ("Lang Son", "Luong Cuong") is not a match.
    assert "谅山" not in {zh for zh, _ in _terms(result)}
    exact = lookup(glossary_conn, "lancang mekong cooperation")
    assert _terms(exact)[0] == ("澜湄合作", "exact")


def test_forbidden_and_variant_renderings_find_the_term_and_say_so(glossary_conn):
    forbidden = lookup(glossary_conn, "Comrades and Brothers")
    first = forbidden.terms[0]
    assert (first.zh, first.match, first.score) == ("同志加兄弟", "exact", 100)
    assert (first.matched_kind, first.matched) == ("forbidden", "comrades and brothers")
    assert first.to_json()["matched_kind"] == "forbidden"
    variant = lookup(glossary_conn, "LMC")
    assert (variant.terms[0].zh, variant.terms[0].matched_kind) == ("澜湄合作", "variant")
    # The preferred rendering wins when it holds the query too (not "matched the variant").
    shared = lookup(glossary_conn, "community with a shared future")
    human = next(hit for hit in shared.terms if hit.zh == "人类命运共同体")
    assert human.matched_kind is None


def test_term_ranking_is_exact_then_contained_then_fuzzy(glossary_conn):
    for query in ("Vietnam", "Lancang Mekong", "camraderie", "越中", "the Belt and Road"):
        tiers = [_TIER[hit.match] for hit in lookup(glossary_conn, query).terms]
        assert tiers == sorted(tiers), query
    # A whole rendering mistyped is that term: ahead of "China" merely contained in the query.
    typo = lookup(glossary_conn, "one-China polcy")
    assert _terms(typo)[0] == ("一个中国政策", "fuzzy")
    result = lookup(glossary_conn, "Vietnam")
    assert {zh for zh, match in _terms(result) if match == "exact"} == {"越南", "越方"}
    assert ("中越", "contained") in _terms(result)


def test_stopword_query_matches_no_term_by_containment(glossary_conn):
    result = lookup(glossary_conn, "of the")
    assert not [hit for hit in result.terms if hit.match == "contained"]


def test_chinese_query_traditional_fragment_and_sentence(glossary_conn):
    traditional = lookup(glossary_conn, "同誌加兄弟")
    assert _terms(traditional)[0] == ("同志加兄弟", "exact")
    fragment = lookup(glossary_conn, "兄弟")
    assert ("同志加兄弟", "contained") in _terms(fragment)  # the term holds the query
    sentence = lookup(glossary_conn, FRIENDSHIP_ZH)
    inside = {zh for zh, match in _terms(sentence) if match == "contained"}
    assert {"同志加兄弟", "传统友谊", "新的历史起点"} <= inside  # the query holds the terms


def test_glossary_index_follows_changes_and_prepare_builds_it(glossary_conn):
    search.prepare(glossary_conn)
    assert not [
        h for h in lookup(glossary_conn, "good-neighbourliness").terms if h.match != "fuzzy"
    ]
    _add_term(glossary_conn, "睦邻友好", "good-neighbourliness", variants=["good neighbourliness"])
    result = lookup(glossary_conn, "good neighbourliness")
    assert _terms(result)[0] == ("睦邻友好", "exact")


def test_concordance_phrase_narrows_by_its_cut_short_last_word(conn):
    result = lookup(conn, "carry forward the profo")
    assert [hit.zh for hit in result.concordance] == [FRIENDSHIP_ZH]
    assert lookup(conn, "carry forward the prefix").concordance == []


def test_terms_alike_only_in_their_generic_head_are_not_hits(glossary_conn):
    """互利合作 and 务实合作 share only the head 合作 with 澜湄合作: other kinds of cooperation."""
    for min_score in (50, 30):
        found = _terms(lookup(glossary_conn, "澜湄合作", min_score=min_score))
        assert found[0] == ("澜湄合作", "exact")
        assert ("澜湄合作领导人第五次会议", "contained") in found
        assert not [zh for zh, _ in found if zh.endswith("合作") and "澜湄" not in zh], min_score
    # A real typo still finds its term: one character of four changed.
    assert _terms(lookup(glossary_conn, "澜沧合作"))[0] == ("澜湄合作", "fuzzy")


def test_a_term_must_be_a_whole_word_of_the_query_not_part_of_one(glossary_conn):
    """ "China" is not a word of "one-China policy": 中方/中国 → China are not hits for it."""
    for query in ("one-China polcy", "one-China policy", "adhere to the one-China policy"):
        english = {hit.en for hit in lookup(glossary_conn, query).terms}
        assert "one-China policy" in english and "China" not in english, query
    assert "China" in {hit.en for hit in lookup(glossary_conn, "China supports Vietnam").terms}


def test_a_term_inside_a_longer_term_found_in_the_query_is_not_listed(glossary_conn):
    """The longest term found at a place in the query is the hit (as a reader segments it)."""
    found = dict(_terms(lookup(glossary_conn, "越南将坚持一个中国政策")))
    assert found.get("一个中国政策") == "contained" and found.get("越南") == "contained"
    assert "中国" not in found
    sentence = dict(_terms(lookup(glossary_conn, "今年是中越建交80周年暨“中越人文交流年”。")))
    assert "中越人文交流年" in sentence
    assert "人文交流" not in sentence  # inside 中越人文交流年; 中越 stays, for 中越建交
    assert "中越" in sentence

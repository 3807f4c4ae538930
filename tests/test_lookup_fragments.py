"""Fragment matches: a query matching part of a longer unit is shown with that part and a score."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.support.tui import (
    body_text,
    build_tui_db,
    hits,
    lookup_session,
    pilot_test,
    search,
    select_first,
    wait_for,
)
from zhen import store, tm
from zhen.io import tmx
from zhen.models import TranslationUnit
from zhen.search import lookup
from zhen.tui.results_list import hit_row

# A sentence of the bundled TM (tm/xinhua.tmx, article 000) sits inside this longer unit.
LONG_UNIT_START = "习近平强调,今年是中越建交75周年暨“中越人文交流年”。75年来,"
IN_TM = "今年是中越建交75周年暨“中越人文交流年”。"
# The same sentence five years on: no unit is like it as a whole, one holds it as a part.
NEW_YEAR = "今年是中越建交80周年暨“中越人文交流年”。"
ANNIVERSARY_EN = (
    "This year marks the 75th anniversary of the establishment of diplomatic ties between China "
    "and Vietnam, as well as the China-Vietnam Year of People-to-People Exchanges."
)


@pytest.fixture
def seeded(seeded_db: Path) -> sqlite3.Connection:
    return store.open_database(seeded_db, readonly=True)


def _fragments(result) -> list:
    return [hit for hit in result.units if hit.fragment is not None]


def test_sentence_inside_a_longer_unit_is_a_fragment_match(seeded):
    result = lookup(seeded, NEW_YEAR)
    hit = result.units[0]
    assert hit.zh.startswith(LONG_UNIT_START)
    assert hit.fragment is not None
    start, end = hit.fragment.span
    assert hit.zh[start:end] == IN_TM
    # 2 of 22 characters differ (90 %) and one number differs (−2): as the whole-match rules.
    assert hit.score == hit.fragment.score == 88
    # The highlight is the matched part inside the span, never the rest of the unit.
    assert hit.zh_spans and all(start <= s < e <= end for s, e in hit.zh_spans)
    assert hit.unit_id not in {c.unit_id for c in result.concordance}


def test_verbatim_sentence_inside_a_unit_scores_100_as_a_fragment(seeded):
    result = lookup(seeded, IN_TM)
    hit = next(h for h in result.units if h.zh.startswith(LONG_UNIT_START))
    assert hit.fragment is not None and hit.fragment.score == 100
    assert hit.zh[slice(*hit.fragment.span)] == IN_TM
    assert hit.unit_id not in {c.unit_id for c in result.concordance}


def test_english_fragment_with_a_typo(seeded):
    query = "China and Vietnam have supported each other in the strugle for national independence"
    result = lookup(seeded, query)
    hit = _fragments(result)[0]
    assert hit.en.startswith("This year marks the 75th anniversary")
    start, end = hit.fragment.span
    assert hit.en[start:end] == (
        "China and Vietnam have supported each other in the struggle for national independence"
    )
    assert 90 <= hit.score < 100  # one word mistyped, at half the cost of a changed word


def test_short_queries_stay_concordance(seeded):
    """A term-sized query inside units is what concordance is for, not a fragment match."""
    result = lookup(seeded, "同志加兄弟")
    assert not _fragments(result)
    assert result.concordance


def test_fragment_below_min_score_is_not_shown(seeded):
    assert not _fragments(lookup(seeded, NEW_YEAR, min_score=95))


def _tm(conn: sqlite3.Connection, tmp_path: Path, pairs) -> None:
    path = tmp_path / "tm.tmx"
    tmx.write_tmx(path, [TranslationUnit(zh=z, en=e, origin="t") for z, e in pairs])
    tm.import_files(conn, [path])


def test_whole_segment_matches_rank_before_fragments(tmp_path, db_path):
    conn = store.open_database(db_path, create=True)
    longer = "习近平强调，" + IN_TM + "75年来，双方在社会主义建设事业中携手并进。"
    _tm(conn, tmp_path, [(longer, "Xi stressed …"), (IN_TM, ANNIVERSARY_EN)])
    result = lookup(conn, IN_TM)
    assert [(h.zh, h.score, h.fragment is not None) for h in result.units] == [
        (IN_TM, 100, False),
        (longer, 100, True),
    ]
    near = lookup(conn, NEW_YEAR)
    assert [(h.zh, h.fragment is not None) for h in near.units] == [(IN_TM, False), (longer, True)]
    assert near.units[0].score == near.units[1].score == 88


def test_json_names_the_fragment_and_the_scores(seeded):
    data = lookup(seeded, NEW_YEAR).to_json()
    fragment = data["units"][0]["fragment"]
    assert fragment["score"] == 88
    start, end = fragment["span"]
    assert data["units"][0]["zh"][start:end] == IN_TM
    assert data["units"][0]["score_kind"] == "fragment"
    assert {term["score_kind"] for term in data["terms"]} <= {"exact", "coverage", "similarity"}
    whole = lookup(seeded, "同志加兄弟").to_json()
    assert whole["terms"][0]["score_kind"] == "exact"


@pytest.mark.usefixtures("default_db")
def test_cli_marks_fragments_and_explains_the_scores(run_zhen):
    result = run_zhen("lookup", NEW_YEAR, "--limit", "3")
    assert result.code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Terms") and "contained" in lines[0] and "fuzzy" in lines[0]
    header = next(line for line in lines if line.startswith("TM matches"))
    assert "fragment" in header
    first = lines[lines.index(header) + 1]
    assert first.startswith("   88%⊂" + LONG_UNIT_START)
    assert any("fragment: zh 6–28" in line for line in lines)
    data = json.loads(run_zhen("lookup", NEW_YEAR, "--json").stdout)
    assert data["units"][0]["fragment"] == {"score": 88, "span": [6, 28], "side": "zh"}


def test_overlapping_renderings_are_highlighted_once(seeded):
    """中越 and 中越人文交流年 both found: "China-Vietnam" lies inside the longer rendering."""
    hit = lookup(seeded, NEW_YEAR).units[0]
    assert hit.en_spans == sorted(hit.en_spans)
    assert all(
        end < start for (_, end), (start, _) in zip(hit.en_spans, hit.en_spans[1:], strict=False)
    )


def test_good_whole_matches_first_then_by_score_a_unit_by_its_better_part(tmp_path, db_path):
    conn = store.open_database(db_path, create=True)
    good = "今年是中越建交75周年暨“中越友好交流年”。"  # whole 90
    weak = "今年是中老建交60周年暨“中老友好年”。"  # whole 61
    with_tail = IN_TM + "双方要继往开来、携手前行。"  # whole 62, its first sentence 100
    longer = "习近平强调，" + IN_TM + "75年来，双方在社会主义建设事业中携手并进。"
    _tm(
        conn,
        tmp_path,
        [(text, f"en {i}") for i, text in enumerate((good, weak, with_tail, longer))],
    )
    shown = [(h.zh, h.score, h.fragment is not None) for h in lookup(conn, IN_TM).units]
    assert shown == [
        (good, 90, False),  # a good whole match (≥ 75) comes before any fragment
        (longer, 100, True),  # then by score; among equals the newest unit
        (with_tail, 100, True),  # shown by its part: it matches better than the whole (73)
        (weak, 61, False),
    ]


@pilot_test
async def test_tui_marks_a_fragment_and_shows_its_part(tmp_path):
    query = "站在新的历史起点上,双方要继往开去"  # the start of a tui_db pair, one character changed
    async with lookup_session(build_tui_db(tmp_path)) as (_app, pilot, screen):
        await search(pilot, screen, query)
        hit = next(h for h in hits(screen) if h.kind == "unit")
        assert hit.fragment is not None and hit.fragment.span == (0, 17)
        assert hit_row(hit).plain.startswith(" 94%⊂站在新的历史起点上")  # ⊂ in the gap
        await select_first(pilot, screen, "unit")
        await wait_for(pilot, lambda: "fragment" in body_text(screen), "the detail pane")
        assert "fragment 94% · zh 0–17" in body_text(screen)


def test_a_unit_little_longer_than_the_query_keeps_its_whole_match(tmp_path, db_path):
    """A missing final 。 or a short tail is a whole-segment difference, not a fragment."""
    conn = store.open_database(db_path, create=True)
    _tm(conn, tmp_path, [(IN_TM, ANNIVERSARY_EN), (IN_TM + "双方要继往开来。", "…")])
    shown = [(h.zh, h.score, h.fragment) for h in lookup(conn, IN_TM.rstrip("。")).units]
    assert shown == [(IN_TM, 95, None), (IN_TM + "双方要继往开来。", 70, None)]

"""Pilot tests of the TUI: every screen and action against a real SQLite database."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.support.tui import (
    ORIGIN,
    PAIRS,
    SIZE,
    body_text,
    build_tui_db,
    hits,
    lookup_session,
    open_editor,
    open_review,
    pilot_test,
    search,
    select_first,
    start,
    terms_in,
    wait_for,
)
from zhen import store
from zhen.checker import check_pairs
from zhen.io import tmx
from zhen.models import TranslationUnit
from zhen.text.normalize import to_traditional
from zhen.tui import ZhenApp
from zhen.tui.check_screen import CheckScreen, _summary
from zhen.tui.formatting import match_band, windowed
from zhen.tui.help_screen import HelpScreen
from zhen.tui.path_suggester import PathSuggester
from zhen.tui.results_list import ResultsList
from zhen.tui.review_screen import ReviewScreen
from zhen.tui.term_editor import TermEditor


@pytest.fixture
def tui_db(tmp_path: Path) -> Path:
    return build_tui_db(tmp_path)


@pilot_test
async def test_traditional_query_finds_term_and_pair(tui_db: Path) -> None:
    async with lookup_session(tui_db) as (_app, pilot, screen):
        # 同志加兄弟 is written the same in both scripts; 情谊 is not (情誼).
        query = to_traditional("越中情谊深、同志加兄弟")
        assert "誼" in query
        await search(pilot, screen, query)
        found = hits(screen)
        assert any(h.kind == "term" and h.en == "camaraderie plus brotherhood" for h in found)
        pair = next(h for h in found if h.kind != "term")
        assert "camaraderie plus brotherhood" in pair.en
        assert pair.zh_spans, "the matched Chinese is highlighted"
        assert "中文" in str(screen.query_one("#side").render())


@pilot_test
async def test_english_query_searches_the_english_side(tui_db: Path) -> None:
    async with lookup_session(tui_db) as (_app, pilot, screen):
        await search(pilot, screen, "turbulent world")
        assert screen.last_result.side == "en"
        assert "English" in str(screen.query_one("#side").render())
        assert any("变乱交织" in h.zh for h in hits(screen))


@pilot_test
async def test_ctrl_t_forces_the_side(tui_db: Path) -> None:
    async with lookup_session(tui_db) as (_app, pilot, screen):
        await search(pilot, screen, "Xi")
        assert screen.last_result.side == "en"
        await pilot.press("ctrl+t")
        assert screen.forced_side == "zh"
        await wait_for(pilot, lambda: screen.shown_generation == screen.generation, "re-search")
        assert screen.last_result.side == "zh"
        assert "forced" in str(screen.query_one("#side").render())
        await pilot.press("ctrl+t", "ctrl+t")
        assert screen.forced_side is None


@pilot_test
async def test_detail_shows_origin_and_neighbours(tui_db: Path) -> None:
    async with lookup_session(tui_db) as (_app, pilot, screen):
        await search(pilot, screen, "同志加兄弟")
        await select_first(pilot, screen, "concordance")
        await wait_for(pilot, lambda: ORIGIN in body_text(screen), "the detail pane")
        detail = body_text(screen)
        assert "camaraderie plus brotherhood" in detail
        assert "变乱交织" in detail, "the sentence before is shown"
        assert "构建中越命运共同体" in detail, "the sentence after is shown"


@pilot_test
async def test_copy_puts_the_english_on_the_clipboard(tui_db: Path) -> None:
    async with lookup_session(tui_db) as (app, pilot, screen):
        await search(pilot, screen, "同志加兄弟")
        await select_first(pilot, screen, "term")
        await pilot.press("c")
        assert app.clipboard == "camaraderie plus brotherhood"


@pilot_test
async def test_add_term_from_a_pair_is_saved_and_shown(tui_db: Path) -> None:
    async with lookup_session(tui_db) as (app, pilot, screen):
        editor = await open_editor(pilot, screen, "继往开来", "concordance", "a")
        assert editor.query_one("#term-zh").value == "继往开来"
        editor.query_one("#term-en").value = "build on past achievements"
        editor.query_one("#term-variants").value = "carry forward the past | forge ahead"
        editor.query_one("#term-note").value = "Xi's speeches"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen, "the editor to close")
        saved = terms_in(tui_db, "继往开来")
        assert [t.en for t in saved] == ["build on past achievements"]
        assert saved[0].variants == ["carry forward the past", "forge ahead"]
        assert saved[0].note == "Xi's speeches"
        await wait_for(
            pilot,
            lambda: any(h.kind == "term" and h.zh == "继往开来" for h in hits(screen)),
            "the new term in the results",
        )
        assert screen.query_one(ResultsList).selected_hit.zh == "继往开来"


@pilot_test
async def test_add_term_validation_keeps_the_form(tui_db: Path) -> None:
    async with lookup_session(tui_db) as (app, pilot, screen):
        editor = await open_editor(pilot, screen, "继往开来", "concordance", "a")
        editor.query_one("#term-en").value = "   "
        editor.query_one("#term-note").value = "keep me"
        await pilot.press("ctrl+s")
        await pilot.pause(0.1)
        assert app.screen is editor
        assert "English" in str(editor.query_one("#term-error").render())
        assert editor.query_one("#term-note").value == "keep me"
        editor.query_one("#term-en").value = "继往开来"
        await pilot.press("ctrl+s")
        await pilot.pause(0.1)
        assert "must be English" in str(editor.query_one("#term-error").render())
        assert terms_in(tui_db, "继往开来") == []
        await pilot.press("escape")
        assert app.screen is screen


@pilot_test
async def test_core_error_on_save_is_shown_in_the_form(tui_db: Path) -> None:
    async with lookup_session(tui_db) as (app, pilot, screen):
        # A second, identical entry: the glossary refuses it.
        editor = await open_editor(pilot, screen, "同志加兄弟", "term", "a")
        editor.query_one("#term-en").value = "camaraderie plus brotherhood"
        await pilot.press("ctrl+s")
        await wait_for(
            pilot, lambda: editor.query_one("#term-error").has_class("visible"), "an error"
        )
        assert app.screen is editor
        assert len(terms_in(tui_db, "同志加兄弟")) == 1


@pytest.mark.parametrize(("key", "status"), [("ctrl+y", "approved"), ("ctrl+r", "rejected")])
@pilot_test
async def test_edit_term_sets_its_status(tui_db: Path, key: str, status: str) -> None:
    async with lookup_session(tui_db) as (app, pilot, screen):
        await open_editor(pilot, screen, "人类命运共同体", "term", "e")
        app.screen.query_one("#term-note").value = "Xi's signature phrase"
        await pilot.press(key)
        await wait_for(pilot, lambda: app.screen is screen, "the editor to close")
        (term,) = terms_in(tui_db, "人类命运共同体")
        assert term.status == status
        assert term.note == "Xi's signature phrase"


@pilot_test
async def test_edit_term_marks_it_lookup_only_and_keeps_the_mark(tui_db: Path) -> None:
    async with lookup_session(tui_db) as (app, pilot, screen):
        editor = await open_editor(pilot, screen, "人类命运共同体", "term", "e")
        assert editor.query_one("#term-checked").value is True
        editor.query_one("#term-checked").value = False
        assert editor.is_dirty
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen, "the editor to close")
        (term,) = terms_in(tui_db, "人类命运共同体")
        assert term.checked is False
        await wait_for(pilot, lambda: "lookup-only" in body_text(screen), "the mark in the detail")
        # Editing another field keeps the lookup-only mark.
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, TermEditor), "the term editor")
        assert app.screen.query_one("#term-checked").value is False
        app.screen.query_one("#term-note").value = "lookup aid"
        await pilot.press("ctrl+y")
        await wait_for(pilot, lambda: app.screen is screen, "the editor to close")
        (term,) = terms_in(tui_db, "人类命运共同体")
        assert (term.checked, term.note, term.status) == (False, "lookup aid", "approved")


@pilot_test
async def test_edit_needs_a_glossary_term(tui_db: Path) -> None:
    async with lookup_session(tui_db) as (app, pilot, screen):
        await search(pilot, screen, "继往开来")
        await select_first(pilot, screen, "concordance")
        await pilot.press("e")
        await pilot.pause(0.1)
        assert app.screen is screen
        assert any("glossary term" in n.message for n in app._notifications)


@pilot_test
async def test_review_accepts_rejects_and_counts(tui_db: Path) -> None:
    async with lookup_session(tui_db) as (app, pilot, screen):
        await pilot.press("down")  # out of the search box; r would be typed there
        screen.query_one(ResultsList).focus()
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen), "the review screen")
        review = app.screen
        await wait_for(pilot, lambda: review.loaded, "the proposed terms")
        assert len(review.terms) == 2
        assert "2 proposed" in str(review.query_one("#review-counts").render())
        first = review._current_term()
        await pilot.press("a")
        await wait_for(pilot, lambda: len(review.terms) == 1, "the acceptance")
        second = review._current_term()
        await pilot.press("r")
        await wait_for(pilot, lambda: not review.terms, "the rejection")
        counts = str(review.query_one("#review-counts").render())
        assert "0 proposed" in counts and "1 accepted" in counts and "1 rejected" in counts
        assert "No proposed terms" in str(review.query_one("#review-empty").render())
        assert terms_in(tui_db, first.zh)[0].status == "approved"
        assert terms_in(tui_db, second.zh)[0].status == "rejected"
        await pilot.press("escape")
        assert app.screen is screen


@pilot_test
async def test_review_edit_then_approve(tui_db: Path) -> None:
    app = ZhenApp(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        review = await open_review(pilot, app)
        term = review._current_term()
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, TermEditor), "the term editor")
        app.screen.query_one("#term-variants").value = "shared future community"
        await pilot.press("ctrl+y")
        await wait_for(pilot, lambda: len(review.terms) == 1, "the edited term to count")
        assert review.tally.edited == 1
        assert app.screen is review and len(review.terms) == 1
        (saved,) = terms_in(tui_db, term.zh)
        assert saved.status == "approved" and saved.variants == ["shared future community"]


@pilot_test
async def test_check_lists_issues_and_jumps_to_the_term(tui_db: Path, tmp_path: Path) -> None:
    source = tmp_path / "source.txt"
    draft = tmp_path / "draft.txt"
    source.write_text(PAIRS[1][0] + "\n", encoding="utf-8")
    draft.write_text(
        "Standing at a new historical starting point, the two sides should forge ahead "
        'together and carry forward the traditional friendship of "comrades and brothers," '
        "said Xi.\n",
        encoding="utf-8",
    )
    app = ZhenApp(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        lookup = await start(pilot)
        await pilot.press("ctrl+k")
        assert isinstance(app.screen, CheckScreen)
        check = app.screen
        check.query_one("#check-source").value = str(source)
        check.query_one("#check-draft").value = str(draft)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: check.report is not None, "the check to finish")
        issues = check.report.issues
        assert any(i.kind == "term-forbidden" for i in issues)
        issue_list = check.query_one("#check-issues")
        assert issue_list.selected_issue is not None
        while issue_list.selected_issue.term != "同志加兄弟":
            await pilot.press("down")
        await wait_for(pilot, lambda: "comrades and brothers" in body_text(check), "the issue")
        await pilot.press("l")
        await wait_for(pilot, lambda: app.screen is lookup, "the lookup screen")
        await wait_for(pilot, lambda: lookup.shown_query == "同志加兄弟", "the term's lookup")


@pilot_test
async def test_check_keeps_running_while_looking_things_up(tui_db: Path, tmp_path: Path) -> None:
    source = tmp_path / "pairs.tmx"
    tmx.write_tmx(source, [TranslationUnit(zh=PAIRS[1][0], en="comrades and brothers")])
    app = ZhenApp(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        lookup = await start(pilot)
        await pilot.press("ctrl+k")
        check = app.screen
        check.query_one("#check-source").value = str(source)
        await pilot.press("ctrl+r", "escape")
        assert app.screen is lookup
        await search(pilot, lookup, "Xi")
        await wait_for(pilot, lambda: check.report is not None, "the check to finish")
        await pilot.press("ctrl+k")
        assert app.screen is check
        assert check.query_one("#check-issues").issue_count > 0


@pilot_test
async def test_check_refuses_missing_files(tui_db: Path, tmp_path: Path) -> None:
    app = ZhenApp(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await pilot.press("ctrl+k")
        check = app.screen
        check.query_one("#check-source").value = str(tmp_path / "missing.txt")
        await pilot.press("ctrl+r")
        await pilot.pause(0.1)
        assert not check.running and check.report is None
        assert any("no such file" in n.message for n in app._notifications)


@pilot_test
async def test_check_reports_unreadable_input_without_crashing(
    tui_db: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.tmx"
    broken.write_text("<tmx version='1.4'><body><tu>", encoding="utf-8")
    app = ZhenApp(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await pilot.press("ctrl+k")
        check = app.screen
        check.query_one("#check-source").value = str(broken)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: not check.running, "the check to fail")
        assert check.report is None
        assert any(n.title == "Check failed" for n in app._notifications)
        assert app.is_running


@pilot_test
async def test_help_lists_the_bindings(tui_db: Path) -> None:
    async with lookup_session(tui_db) as (app, pilot, screen):
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-bindings").render())
        for description in ("Copy", "Add", "Edit", "Review", "Check", "Accept", "Run check"):
            assert description in text
        await pilot.press("escape")
        assert app.screen is screen


@pilot_test
async def test_quit_key(tui_db: Path) -> None:
    async with lookup_session(tui_db) as (app, pilot, screen):
        await search(pilot, screen, "Xi")
        await pilot.press("q")  # in the search box q is a letter, not quit
        assert screen.query_one("#query").value == "Xiq"
        assert app.is_running
        await pilot.press("backspace")
        await wait_for(pilot, lambda: screen.shown_query == "Xi", "results for Xi again")
        await pilot.press("down", "q")
        await wait_for(pilot, lambda: app.return_code is not None, "the app to quit")
    assert app.return_code == 0


@pilot_test
async def test_first_run_and_no_match_say_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    store.open_database(path, create=True).close()
    app = ZhenApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot)
        texts = " ".join(str(o.prompt) for o in screen.query_one(ResultsList).options)
        assert "database is empty" in texts and "zhen tm import" in texts
        await search(pilot, screen, "同志加兄弟")
        texts = " ".join(str(o.prompt) for o in screen.query_one(ResultsList).options)
        assert "No matches" in texts and "adds it to the glossary" in texts
        await pilot.press("down", "a")
        await wait_for(pilot, lambda: isinstance(app.screen, TermEditor), "the term editor")
        assert app.screen.query_one("#term-zh").value == "同志加兄弟"


@pilot_test
async def test_quit_with_an_unsaved_term_asks_twice(tui_db: Path) -> None:
    async with lookup_session(tui_db) as (app, pilot, screen):
        await open_editor(pilot, screen, "继往开来", "concordance", "a")
        app.screen.query_one("#term-en").value = "build on past achievements"
        await pilot.press("ctrl+q")
        await pilot.pause(0.1)
        assert app.is_running and isinstance(app.screen, TermEditor)
        assert any(n.title == "Unsaved term" for n in app._notifications)
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: app.return_code is not None, "the app to quit")


@pilot_test
async def test_header_shows_what_the_database_holds(tui_db: Path) -> None:
    app = ZhenApp(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        assert app.sub_title == "zhen.db · 3 TM units · 3 terms"


@pilot_test
async def test_unopenable_database_is_reported(tmp_path: Path) -> None:
    app = ZhenApp(tmp_path)  # a directory, not a database file
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: bool(app._notifications), "the error notification")
        assert "directory" in next(iter(app._notifications)).message
        await pilot.press(*"abc")
        await pilot.pause(0.2)
        assert app.is_running


@pilot_test
async def test_only_the_last_query_is_shown(tui_db: Path) -> None:
    app = ZhenApp(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot)
        await pilot.press(*"camaraderie")
        for _ in range(len("camaraderie")):
            await pilot.press("backspace")
        await pilot.press(*"turbulent")
        await wait_for(
            pilot,
            lambda: (
                screen.shown_query == "turbulent" and screen.shown_generation == screen.generation
            ),
            "the final query",
        )
        await pilot.pause(0.2)
        assert screen.shown_query == "turbulent"
        assert all("camaraderie" not in h.en for h in hits(screen))


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (160, 48)])
@pilot_test
async def test_layout_fits(tui_db: Path, size: tuple[int, int]) -> None:
    app = ZhenApp(tui_db)
    async with app.run_test(size=size) as pilot:
        screen = await start(pilot)
        await search(pilot, screen, "同志加兄弟")
        for selector in ("#query", "#results", "#detail", "Footer"):
            region = screen.query_one(selector).region
            assert region.height > 0 and region.right <= size[0] and region.bottom <= size[1]
        assert screen.query_one("#results").region.height >= 7


@pilot_test
async def test_light_theme(tui_db: Path) -> None:
    app = ZhenApp(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        app.theme = "textual-light"
        screen = await start(pilot)
        await search(pilot, screen, "同志加兄弟")
        assert not app.current_theme.dark
        assert hits(screen)


@pytest.mark.parametrize(
    ("score", "band"),
    [(100, "exact"), (99, "high"), (95, "high"), (94.6, "fuzzy"), (75, "fuzzy"), (74, "low")],
)
def test_match_bands(score: float, band: str) -> None:
    assert match_band(score) == band


def test_long_rows_are_shifted_to_the_first_highlight() -> None:
    english = PAIRS[1][1]
    start = english.index("camaraderie")
    row = windowed(english, [(start, start + len("camaraderie plus brotherhood"))])
    assert row.plain.startswith("…")
    assert row.plain.index("camaraderie") < 20
    assert windowed("short", [(0, 5)]).plain == "short"


def test_path_suggester_completes_files_and_directories(tmp_path: Path) -> None:
    (tmp_path / "drafts").mkdir()
    (tmp_path / "source-000.txt").write_text("x", encoding="utf-8")
    suggester = PathSuggester()
    assert asyncio.run(suggester.get_suggestion(f"{tmp_path}/sou")) == f"{tmp_path}/source-000.txt"
    assert asyncio.run(suggester.get_suggestion(f"{tmp_path}/dr")) == f"{tmp_path}/drafts/"
    assert asyncio.run(suggester.get_suggestion(f"{tmp_path}/nothing")) is None


def test_check_summary_says_one_error_not_one_errors() -> None:
    one = check_pairs([TranslationUnit("共有725名学生。", "There are 726 students.")], [])
    assert _summary(one).plain == "1 issue  1 error · 0 warnings · 0 info"
    two = check_pairs(
        [
            TranslationUnit("共有725名学生。", "There are 726 students."),
            TranslationUnit("共有38名教师。", "There are 39 teachers."),
        ],
        [],
    )
    assert _summary(two).plain == "2 issues  2 errors · 0 warnings · 0 info"

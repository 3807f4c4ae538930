"""Pilot tests of the details a working translator meets in the TUI (issue 19, section TUI)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input
from textual.widgets._footer import FooterKey

from tests.support.tui import (
    PAIRS,
    SIZE,
    _connect,
    body_text,
    build_tui_db,
    hits,
    lookup_session,
    open_editor,
    open_review,
    pilot_test,
    run_check,
    search,
    select_first,
    start,
    terms_in,
    wait_for,
)
from zhen import glossary, tm
from zhen.io import tmx
from zhen.models import Term, TranslationUnit
from zhen.tui import ZhenApp
from zhen.tui.check_screen import CheckScreen
from zhen.tui.help_screen import HelpScreen
from zhen.tui.issue_list import IssueList
from zhen.tui.lookup_screen import copied_summary
from zhen.tui.results_list import ResultsList
from zhen.tui.review_screen import ReviewScreen, fit_columns
from zhen.tui.term_editor import TermEditor
from zhen.tui.term_prefill import english_prefill, term_prefill

LONG_TITLE = Term(
    zh="中华人民共和国主席",
    en="President of the People's Republic of China",
    variants=["Chinese President", "PRC President"],
    note="official title in state media",
    status="proposed",
)


@pytest.fixture
def tui_db(tmp_path: Path) -> Path:
    return build_tui_db(tmp_path)


@asynccontextmanager
async def review_session(
    db: Path, size: tuple[int, int] = SIZE
) -> AsyncIterator[tuple[ZhenApp, object, ReviewScreen]]:
    """Run the app on `db`; yield (app, pilot, review screen) once the proposals are listed."""
    app = ZhenApp(db)
    async with app.run_test(size=size) as pilot:
        await start(pilot)
        yield app, pilot, await open_review(pilot, app)


def footer_keys(screen) -> set[tuple[str, str]]:
    """(key as shown, description) of every key the footer shows."""
    return {(key.key_display, key.description) for key in screen.query(FooterKey)}


# Check screen: tab ---------------------------------------------------------------------------


@pilot_test
async def test_tab_accepts_a_path_completion_then_moves_on(tui_db: Path, tmp_path: Path) -> None:
    (tmp_path / "source-000.txt").write_text(PAIRS[0][0] + "\n", encoding="utf-8")
    completed = str(tmp_path / "source-000.txt")
    app = ZhenApp(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await pilot.press("ctrl+k")
        check = app.screen
        assert isinstance(check, CheckScreen)
        source = check.query_one("#check-source", Input)
        assert app.focused is source
        source.insert_text_at_cursor(str(tmp_path / "sou"))
        await wait_for(pilot, lambda: source._suggestion == completed, "the completion")
        await pilot.press("tab")
        assert source.value == completed
        assert app.focused is source, "tab completed the path and kept the focus"
        await pilot.press("tab")
        assert app.focused is check.query_one("#check-draft", Input)


# Footer: help and quit keys that work where the focus is -------------------------------------


@pilot_test
async def test_footer_offers_keys_that_work_in_the_search_box(tui_db: Path) -> None:
    async with lookup_session(tui_db) as (app, pilot, screen):
        assert app.focused is screen.query_one("#query", Input)
        await wait_for(pilot, lambda: bool(footer_keys(screen)), "the footer")
        keys = footer_keys(screen)
        assert not any(shown == "?" for shown, _ in keys), keys
        assert ("F1", "Help") in keys
        assert ("^q", "Quit") in keys
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        listed = str(app.screen.query_one("#help-bindings").render())
        assert "F1 / ?" in listed, "help names the keys as the footer does"
        await pilot.press("escape")
        await pilot.press("down")
        assert app.focused is screen.query_one(ResultsList)
        await wait_for(pilot, lambda: ("F1", "Help") in footer_keys(screen), "the list's footer")
        assert ("^q", "Quit") in footer_keys(screen)


# Copy: a short toast, gone before the add-term dialog ---------------------------------------


def test_copied_summary_is_one_short_line() -> None:
    assert copied_summary("camaraderie plus brotherhood") == "“camaraderie plus brotherhood”"
    assert copied_summary(PAIRS[1][1]) == f"1 paragraph, {len(PAIRS[1][1])} characters"
    two = "First paragraph.\n\nSecond paragraph,\nstill the second."
    assert copied_summary(two) == f"2 paragraphs, {len(two):,} characters"


@pilot_test
async def test_copy_shows_a_short_toast_that_leaves_the_add_dialog_clear(tui_db: Path) -> None:
    async with lookup_session(tui_db) as (app, pilot, screen):
        await search(pilot, screen, "同志加兄弟")
        await select_first(pilot, screen, "concordance")
        await pilot.press("c")
        assert app.clipboard == PAIRS[1][1]
        (toast,) = [n for n in app._notifications if n.title == "Copied"]
        assert toast.message == f"1 paragraph, {len(PAIRS[1][1])} characters"
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, TermEditor), "the term editor")
        assert not list(app._notifications), "no toast covers the form"


# Add term: a term-like prefill and a visible focus ------------------------------------------


def test_term_prefill_splits_at_punctuation_and_skips_known_terms() -> None:
    assert term_prefill("越中情谊深、同志加兄弟", known={"同志加兄弟"}) == "越中情谊深"
    assert term_prefill("越中情谊深、同志加兄弟", known=set()) == "越中情谊深"
    assert term_prefill("“同志加兄弟”的") == "同志加兄弟"
    assert term_prefill("继往开来") == "继往开来"
    assert term_prefill("同志加兄弟", known={"同志加兄弟"}) == "同志加兄弟"
    assert term_prefill("、,。") == ""
    # A Traditional query meets the Simplified glossary term it is.
    assert term_prefill("越中情誼深、同志加兄弟", known={"越中情谊深"}) == "同志加兄弟"
    assert english_prefill('"camaraderie plus brotherhood,"') == "camaraderie plus brotherhood"
    assert english_prefill("build on, forge ahead") == "build on, forge ahead"


@pilot_test
async def test_add_term_prefills_a_term_not_the_whole_query(tui_db: Path) -> None:
    async with lookup_session(tui_db) as (app, pilot, screen):
        # The pair that holds the query, found as a fragment match.
        editor = await open_editor(pilot, screen, "越中情谊深、同志加兄弟", "unit", "a")
        # 同志加兄弟 is in the glossary already; the other part is the one to add.
        assert editor.query_one("#term-zh", Input).value == "越中情谊深"
        # The highlighted English renders 同志加兄弟, so it is not offered for 越中情谊深.
        assert editor.query_one("#term-en", Input).value == ""
        assert app.focused is editor.query_one("#term-en", Input)
        assert editor.query_one("#term-en-label").has_class("current")
        assert not editor.query_one("#term-zh-label").has_class("current")
        await pilot.press("shift+tab")
        assert app.focused is editor.query_one("#term-zh", Input)
        assert editor.query_one("#term-zh-label").has_class("current")
        assert not editor.query_one("#term-en-label").has_class("current")


@pilot_test
async def test_add_term_without_a_selection_prefills_a_part_of_the_query(tui_db: Path) -> None:
    async with lookup_session(tui_db) as (app, pilot, screen):
        await search(pilot, screen, "越中情谊深、同志加兄弟")
        screen.query_one(ResultsList).highlighted = None
        screen.action_add_term()
        await wait_for(pilot, lambda: isinstance(app.screen, TermEditor), "the term editor")
        await wait_for(pilot, lambda: bool(app.screen.query("#term-zh")), "the form")
        assert app.screen.query_one("#term-zh", Input).value == "越中情谊深"


# Header counts ------------------------------------------------------------------------------


@pilot_test
async def test_header_counts_follow_an_added_term(tui_db: Path) -> None:
    async with lookup_session(tui_db) as (app, pilot, screen):
        assert app.sub_title == "zhen.db · 3 TM units · 3 terms"
        editor = await open_editor(pilot, screen, "继往开来", "concordance", "a")
        editor.query_one("#term-en", Input).value = "build on past achievements"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.sub_title.endswith("· 4 terms"), "the new count")


@pilot_test
async def test_header_counts_follow_an_import_from_outside(tui_db: Path, tmp_path: Path) -> None:
    app = ZhenApp(tui_db)
    app.count_interval = 0.2
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        assert app.sub_title == "zhen.db · 3 TM units · 3 terms"
        # What `zhen tm import` and `zhen glossary add` in another terminal do.
        extra = tmp_path / "extra.tmx"
        tmx.write_tmx(extra, [TranslationUnit(zh="中越友谊万古长青。", en="Long live ties.")])
        conn = _connect(tui_db)
        try:
            tm.import_files(conn, [extra])
            glossary.add_term(conn, Term(zh="万古长青", en="everlasting"))
        finally:
            conn.close()
        await wait_for(
            pilot, lambda: app.sub_title == "zhen.db · 4 TM units · 4 terms", "the new counts"
        )


# Widths -------------------------------------------------------------------------------------


@pilot_test
async def test_glossary_rows_keep_the_start_of_the_rendering(tui_db: Path) -> None:
    conn = _connect(tui_db)
    try:
        glossary.add_term(
            conn, Term(zh="中老命运共同体", en="China-Laos community with a shared future")
        )
    finally:
        conn.close()
    async with lookup_session(tui_db, size=(120, 35)) as (_app, pilot, screen):
        await search(pilot, screen, "shared future")
        results = screen.query_one(ResultsList)
        rows = [
            str(option.prompt)
            for option in results.options
            if option.id is not None and results._hits[option.id].kind == "term"
        ]
        assert any("China-Laos community with a shared future" in row for row in rows), rows
        assert not any(row.startswith("…") or "→  …" in row for row in rows), rows
        # A pair that fits the list's width is not shifted to its match either.
        pair_rows = [
            str(option.prompt)
            for option in results.options
            if option.id is not None and results._hits[option.id].kind != "term"
        ]
        assert any(f"     {PAIRS[2][1]}" in row for row in pair_rows), pair_rows
        assert any(h.kind == "term" for h in hits(screen))


def test_fit_columns_gives_free_width_to_the_columns_that_need_it() -> None:
    # Everything fits: each column as wide as its content, the rest to the last column.
    assert fit_columns([10, 43, 34, 29], 140) == [10, 43, 34, 53]
    # Too little room: the widest columns give way first, none below its minimum.
    widths = fit_columns([10, 43, 34, 29], 70, minimum=6)
    assert sum(widths) == 70 and min(widths) >= 6 and widths[0] == 10
    assert fit_columns([10, 43, 34, 29], 10, minimum=6) == [6, 6, 6, 6]


@pytest.mark.parametrize("size", [(80, 24), (120, 35)])
@pilot_test
async def test_review_table_uses_the_width(tui_db: Path, size: tuple[int, int]) -> None:
    conn = _connect(tui_db)
    try:
        glossary.add_term(conn, LONG_TITLE)
    finally:
        conn.close()
    async with review_session(tui_db, size) as (_app, pilot, review):
        table = review.query_one(DataTable)
        await pilot.pause()
        widths = [column.get_render_width(table) for column in table.ordered_columns]
        assert sum(widths) <= table.scrollable_content_region.width, "no sideways scrolling"
        if size[0] >= 120:
            assert table.ordered_columns[1].width >= len(LONG_TITLE.en)
            assert sum(widths) >= table.scrollable_content_region.width - 2, "no empty third"


# Review: undo, and one set of keys ----------------------------------------------------------


@pilot_test
async def test_review_decisions_can_be_undone(tui_db: Path) -> None:
    async with review_session(tui_db) as (app, pilot, review):
        first = review._current_term()
        await pilot.press("a")
        await wait_for(pilot, lambda: len(review.terms) == 1, "the acceptance")
        assert terms_in(tui_db, first.zh)[0].status == "approved"
        await pilot.press("u")
        await wait_for(pilot, lambda: len(review.terms) == 2, "the undo")
        assert terms_in(tui_db, first.zh)[0].status == "proposed"
        assert review.tally.accepted == 0
        assert review._current_term().id == first.id, "the cursor is back on the term"
        await pilot.press("r")
        await wait_for(pilot, lambda: len(review.terms) == 1, "the rejection")
        assert terms_in(tui_db, first.zh)[0].status == "rejected"
        assert review.tally.rejected == 1
        await pilot.press("u")
        await wait_for(pilot, lambda: len(review.terms) == 2, "the second undo")
        assert terms_in(tui_db, first.zh)[0].status == "proposed"
        assert review.tally.rejected == 0
        await pilot.press("u")
        await pilot.pause(0.1)
        assert any("Nothing to undo" in n.message for n in app._notifications)
        counts = str(review.query_one("#review-counts").render())
        assert "2 proposed" in counts and "0 rejected" in counts


@pilot_test
async def test_review_footer_shows_the_shared_keys(tui_db: Path) -> None:
    async with review_session(tui_db) as (_app, pilot, review):
        await wait_for(pilot, lambda: bool(footer_keys(review)), "the footer")
        keys = footer_keys(review)
        for key in (("a", "Accept"), ("r", "Reject"), ("e", "Edit"), ("s", "Skip"), ("u", "Undo")):
            assert key in keys, keys


# Check: a failure says why ------------------------------------------------------------------


@pilot_test
async def test_check_failure_says_why_and_stops_saying_checking(
    tui_db: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.tmx"
    broken.write_text("<tmx version='1.4'><body><tu>", encoding="utf-8")
    app = ZhenApp(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        check = await run_check(pilot, app, broken)
        await wait_for(pilot, lambda: not check.running, "the check to fail")
        (failure,) = [n for n in app._notifications if n.title == "Check failed"]
        status = str(check.query_one("#check-status").render())
        assert status.startswith("Check failed: ")
        assert "\n" not in status and "broken.tmx" in status, status
        listed = " ".join(str(o.prompt) for o in check.query_one(IssueList).options)
        assert "Checking…" not in listed
        assert "Check failed" in listed and failure.message.splitlines()[0] in listed
        assert isinstance(app.screen, CheckScreen)


# Review screen keys are the CLI's ------------------------------------------------------------


def test_review_keys_are_the_clis() -> None:
    from zhen.glossary.review import DECISIONS

    tui_keys = {
        binding.key: binding.action
        for binding in ReviewScreen.BINDINGS
        if binding.action.startswith("decide") or binding.action == "undo"  # type: ignore[union-attr]
    }
    for key, action in tui_keys.items():
        decision = action.removeprefix("decide('").removesuffix("')")
        assert DECISIONS[key] == decision, (key, action)
    assert {"a", "r", "s", "u"} <= set(tui_keys)


# "1 error", not "1 errors", in the CLI too --------------------------------------------------


def test_cli_check_summary_counts_in_the_singular(tmp_path: Path) -> None:
    from tests.support.cli import run_cli

    pairs = tmp_path / "one.tmx"
    tmx.write_tmx(pairs, [TranslationUnit("共有725名学生。", "There are 726 students.")])
    database = tmp_path / "empty.db"
    run_cli(["db", "init", database, "--empty"])
    result = run_cli(["check", pairs, "--db", database])
    assert "1 pair checked" in result.stdout + result.stderr, result
    assert "1 error," in result.stdout + result.stderr, result
    assert "1 errors" not in result.stdout + result.stderr


@pilot_test
async def test_check_issue_rows_leave_the_file_names_to_the_form(
    tui_db: Path, tmp_path: Path
) -> None:
    # One bilingual text: the Chinese article, then its English (the draft names 同志加兄弟 wrong).
    article = tmp_path / "article-000_fce62a77146710a9.txt"
    article.write_text(
        PAIRS[0][0]
        + "\n"
        + PAIRS[1][0]
        + "\n\n"
        + PAIRS[0][1]
        + "\n"
        + 'The two sides should carry forward the friendship of "comrades and brothers."\n',
        encoding="utf-8",
    )
    app = ZhenApp(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        check = await run_check(pilot, app, article)
        await wait_for(pilot, lambda: check.report is not None, "the check")
        rows = [str(o.prompt) for o in check.query_one(IssueList).options if not o.disabled]
        assert rows and all(article.name not in row for row in rows), rows
        assert any(row.startswith("✖ line 2 / 5 ") for row in rows), rows
        await wait_for(pilot, lambda: "Where" in body_text(check), "the issue's detail")
        assert f"{article.name}:2 / {article.name}:5" in body_text(check)

"""Snapshot tests (pytest-textual-snapshot) of the main screens at 100×30, dark and light."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from tests.support.tui import PAIRS, body_text, build_tui_db, search, select_first, start, wait_for
from zhen.tui import ZhenApp
from zhen.tui.check_screen import CheckScreen
from zhen.tui.help_screen import HelpScreen
from zhen.tui.review_screen import ReviewScreen
from zhen.tui.term_editor import TermEditor

SIZE = (100, 30)


@pytest.fixture
def tui_db(tmp_path: Path) -> Path:
    return build_tui_db(tmp_path)


def steady_cursors(app: ZhenApp) -> None:
    """Stop the text cursors blinking, so a screenshot never depends on when it was taken."""
    for widget in app.screen.query(Input):
        widget.cursor_blink = False


async def lookup_with_results(pilot) -> None:
    screen = await start(pilot)
    await search(pilot, screen, "同志加兄弟")
    await select_first(pilot, screen, "concordance")
    await wait_for(pilot, lambda: "Before" in body_text(screen), "the detail pane")
    steady_cursors(pilot.app)


def test_lookup_first_run(snap_compare, tui_db: Path) -> None:
    async def run_before(pilot) -> None:
        await start(pilot)
        steady_cursors(pilot.app)

    assert snap_compare(ZhenApp(tui_db), terminal_size=SIZE, run_before=run_before)


def test_lookup_results(snap_compare, tui_db: Path) -> None:
    assert snap_compare(ZhenApp(tui_db), terminal_size=SIZE, run_before=lookup_with_results)


def test_lookup_results_light(snap_compare, tui_db: Path) -> None:
    async def run_before(pilot) -> None:
        pilot.app.theme = "textual-light"
        await lookup_with_results(pilot)

    assert snap_compare(ZhenApp(tui_db), terminal_size=SIZE, run_before=run_before)


def test_lookup_results_80x24(snap_compare, tui_db: Path) -> None:
    assert snap_compare(ZhenApp(tui_db), terminal_size=(80, 24), run_before=lookup_with_results)


def test_add_term_modal(snap_compare, tui_db: Path) -> None:
    async def run_before(pilot) -> None:
        await lookup_with_results(pilot)
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, TermEditor), "the editor")
        steady_cursors(pilot.app)

    assert snap_compare(ZhenApp(tui_db), terminal_size=SIZE, run_before=run_before)


def test_review_screen(snap_compare, tui_db: Path) -> None:
    async def run_before(pilot) -> None:
        await start(pilot)
        pilot.app.action_review()
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ReviewScreen), "review")
        await wait_for(pilot, lambda: pilot.app.screen.loaded, "the proposed terms")

    assert snap_compare(ZhenApp(tui_db), terminal_size=SIZE, run_before=run_before)


def test_check_screen_with_issues(
    snap_compare, tui_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "source.txt").write_text(PAIRS[1][0] + "\n", encoding="utf-8")
    (tmp_path / "draft.txt").write_text(
        "Standing at a new historical starting point, the two sides should forge ahead "
        'together and carry forward the traditional friendship of "comrades and brothers," '
        "said Xi.\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)  # relative paths keep the screenshot free of the temp dir

    async def run_before(pilot) -> None:
        await start(pilot)
        await pilot.press("ctrl+k")
        check = pilot.app.screen
        assert isinstance(check, CheckScreen)
        check.query_one("#check-source", Input).value = "source.txt"
        check.query_one("#check-draft", Input).value = "draft.txt"
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: check.report is not None, "the check")
        steady_cursors(pilot.app)

    assert snap_compare(ZhenApp(tui_db), terminal_size=SIZE, run_before=run_before)


def test_help_screen(snap_compare, tui_db: Path) -> None:
    async def run_before(pilot) -> None:
        await start(pilot)
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, HelpScreen), "help")

    assert snap_compare(ZhenApp(tui_db), terminal_size=SIZE, run_before=run_before)

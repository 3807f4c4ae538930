"""The TUI shows stored text literally: markup in a glossary does nothing, escapes never go raw."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Static

from tests.support.tui import (
    build_tui_db,
    lookup_session,
    open_editor,
    open_review,
    pilot_test,
    search,
    select_first,
    wait_for,
)
from zhen import glossary, store
from zhen.tui import ZhenApp
from zhen.tui.check_screen import CheckScreen
from zhen.tui.detail_pane import DetailPane

CLICK_NOTE = "[@click=app.screenshot('PWNED.svg','{folder}')]CLICK-ME[/]"
QUIT_DOMAIN = "[@click=app.quit]quit-domain[/]"
BOLD_VARIANT = "[bold]x[/bold]"
STRAY_CLOSE = "a stray [/] closer"
# An OSC 52 clipboard write, a screen clear and the one-character C1 CSI, as an older zhen stored.
HOSTILE = "\x1b]52;c;ZXZpbA==\x07\x1b[2J\x9b2J"
RAW = ("\x1b", "\x07", "\x9b")


def screen_text(app: ZhenApp) -> str:
    """Every character the app would paint now, as the terminal would receive them."""
    # The compositor's strips are what the driver writes out (its own escapes come later).
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def detail_cells(screen) -> str:
    """What the detail pane's cells render (not what was handed to them)."""
    cells = screen.query_one(DetailPane).query(Static)
    return "\n".join(str(cell.render()) for cell in cells if cell.display)


@pytest.fixture
def markup_db(tmp_path: Path) -> Path:
    """The TUI test database plus terms imported from a CSV whose fields are Textual markup."""
    path = build_tui_db(tmp_path)
    csv_file = tmp_path / "markup.csv"
    click_note = CLICK_NOTE.format(folder=tmp_path)
    rows = [
        "zh,en,variants,domain,note",
        f'标记测试,markup test,"{BOLD_VARIANT}","{QUIT_DOMAIN}","{click_note}"',
        f'括号测试,bracket [/] test,"{STRAY_CLOSE}",[/],"{STRAY_CLOSE}"',
    ]
    csv_file.write_text("\n".join(rows) + "\n", encoding="utf-8")
    conn = store.open_database(path, create=True)
    try:
        glossary.import_glossary(conn, csv_file)
    finally:
        conn.close()
    return path


@pytest.fixture
def hostile_tui_db(tmp_path: Path) -> Path:
    """The TUI test database with control characters written in, as an older zhen would have."""
    path = build_tui_db(tmp_path)
    conn = store.open_database(path, create=True)
    try:
        with conn:
            conn.execute("UPDATE units SET en = en || ?, origin = origin || ?", (HOSTILE, HOSTILE))
            conn.execute(
                "UPDATE terms SET en = en || ?, note = ?, domain = ?", (HOSTILE, HOSTILE, HOSTILE)
            )
    finally:
        conn.close()
    return path


@pilot_test
async def test_markup_in_a_term_is_shown_literally_and_clicks_do_nothing(
    markup_db: Path, tmp_path: Path
) -> None:
    async with lookup_session(markup_db) as (app, pilot, screen):
        await search(pilot, screen, "标记测试")
        await select_first(pilot, screen, "term")
        await wait_for(pilot, lambda: "CLICK-ME" in detail_cells(screen), "the detail pane")
        shown = detail_cells(screen)
        assert CLICK_NOTE.format(folder=tmp_path) in shown
        assert QUIT_DOMAIN in shown
        assert BOLD_VARIANT in shown
        assert BOLD_VARIANT in screen_text(app), "the results row shows the variant as typed"
        note_cell = next(
            cell
            for cell in screen.query_one(DetailPane).query(Static)
            if "CLICK-ME" in str(cell.render())
        )
        for offset in range(min(note_cell.size.width, 60)):
            await pilot.click(note_cell, offset=(offset, 0))
        await pilot.pause()
        assert not (tmp_path / "PWNED.svg").exists(), "a click on the note ran an action"
        assert app.is_running


@pilot_test
async def test_a_stray_closing_tag_neither_crashes_nor_vanishes(markup_db: Path) -> None:
    async with lookup_session(markup_db) as (app, pilot, screen):
        await search(pilot, screen, "括号测试")
        await select_first(pilot, screen, "term")
        await wait_for(pilot, lambda: STRAY_CLOSE in detail_cells(screen), "the detail pane")
        assert "bracket [/] test" in detail_cells(screen)
        await pilot.press("c")  # the notification repeats the English: literal too
        await pilot.pause()
        assert app.clipboard == "bracket [/] test"
        assert "bracket [/] test" in screen_text(app)
        assert app.is_running


@pilot_test
async def test_control_characters_show_as_escapes_and_are_not_copied(
    hostile_tui_db: Path,
) -> None:
    async with lookup_session(hostile_tui_db) as (app, pilot, screen):
        await search(pilot, screen, "同志加兄弟")
        await select_first(pilot, screen, "term")
        await wait_for(pilot, lambda: "\\x1b]52" in detail_cells(screen), "the term's detail")
        await pilot.press("c")
        assert app.clipboard == "camaraderie plus brotherhood]52;c;ZXZpbA==[2J2J"
        await select_first(pilot, screen, "concordance")
        await wait_for(pilot, lambda: "Before" in detail_cells(screen), "the pair's detail")
        await pilot.press("c")
        assert not any(character in app.clipboard for character in RAW)
        painted = screen_text(app)
        assert "\\x1b]52;c;ZXZpbA==\\x07" in painted
        assert not any(character in painted for character in RAW), "raw escapes painted"
        assert not any(character in detail_cells(screen) for character in RAW)


@pilot_test
async def test_term_editor_never_holds_raw_escapes(hostile_tui_db: Path) -> None:
    async with lookup_session(hostile_tui_db) as (app, pilot, screen):
        editor = await open_editor(pilot, screen, "同志加兄弟", "term", "e")
        values = [field.value for field in editor.query(Input)]
        assert "camaraderie plus brotherhood]52;c;ZXZpbA==[2J2J" in values
        assert not any(character in value for value in values for character in RAW)
        assert not editor.is_dirty, "opening a term is not a change"
        assert not any(character in screen_text(app) for character in RAW)


@pilot_test
async def test_review_table_shows_escapes(hostile_tui_db: Path) -> None:
    async with lookup_session(hostile_tui_db) as (app, pilot, _screen):
        await open_review(pilot, app)
        await pilot.pause()
        painted = screen_text(app)
        assert "\\x1b" in painted
        assert not any(character in painted for character in RAW)


@pilot_test
async def test_check_screen_file_names_are_not_markup(markup_db: Path, tmp_path: Path) -> None:
    source = tmp_path / "[@click=app.quit]src.txt"
    source.write_text("同志加兄弟。\n", encoding="utf-8")
    draft = tmp_path / "[bold]draft.txt"
    draft.write_text("Comrades and brothers.\n", encoding="utf-8")
    app = ZhenApp(markup_db)
    async with app.run_test() as pilot:
        await wait_for(pilot, lambda: app.database_ready, "the database")
        await pilot.press("ctrl+k")
        check = app.screen
        assert isinstance(check, CheckScreen)
        check.query_one("#check-source", Input).value = str(source)
        check.query_one("#check-draft", Input).value = str(draft)
        # Read at once: the status says "Checking …" until the worker's report is handled.
        check.action_run_check()
        status = str(check.query_one("#check-status", Static).render())
        assert "[@click=app.quit]src.txt + [bold]draft.txt" in status
        await wait_for(pilot, lambda: check.report is not None, "the check to finish")
        check.query_one("#check-source", Input).value = str(tmp_path / "[b]missing[i].txt")
        await pilot.press("ctrl+r")  # refused with a notification naming the file
        await pilot.pause()
        assert "[b]missing[i].txt" in screen_text(app)
        assert app.is_running

"""Shared fixtures and pilot helpers for the TUI tests (a real database, waits on app state)."""

from __future__ import annotations

import asyncio
import functools
import sqlite3
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from pathlib import Path

from textual.widgets import Input

from zhen import glossary, store, tm
from zhen.database import Database
from zhen.io import tmx
from zhen.models import Term, TranslationUnit
from zhen.tui import ZhenApp
from zhen.tui.check_screen import CheckScreen
from zhen.tui.detail_pane import DetailPane
from zhen.tui.lookup_screen import LookupScreen
from zhen.tui.results_list import ResultsList
from zhen.tui.review_screen import ReviewScreen
from zhen.tui.term_editor import TermEditor

ORIGIN = "000_fce62a77146710a9"
# Three consecutive sentence pairs of the bundled Xinhua article 000 (Xi–To Lam talks).
PAIRS = [
    (
        "面对变乱交织的国际形势,中越两国坚持和平发展,深化友好合作,"
        "为世界带来了宝贵的稳定性和确定性。",
        "Facing the changing and turbulent world, China and Vietnam have stayed committed to "
        "peaceful development and deepened their friendly cooperation, bringing much-needed "
        "stability and certainty to the world, Xi said.",
    ),
    (
        "站在新的历史起点上,双方要继往开来、携手前行,赓续“越中情谊深、同志加兄弟”的传统友谊。",
        "Standing at a new historical starting point, the two sides should build on past "
        "achievements, forge ahead together and carry forward the profound traditional "
        'friendship featuring "camaraderie plus brotherhood," said Xi.',
    ),
    (
        "习近平指出,构建中越命运共同体具有重要世界意义。",
        "Building the China-Vietnam community with a shared future carries great global "
        "significance, Xi said.",
    ),
]
SIZE = (100, 30)


def pilot_test(test: Callable[..., Coroutine[object, object, None]]) -> Callable[..., None]:
    """Run an async pilot test in its own event loop (no pytest async plugin needed)."""

    @functools.wraps(test)
    def run(*args: object, **kwargs: object) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


def build_tui_db(directory: Path, url: str | None = None) -> Path | str:
    """A database with the three pairs, an approved term (with a forbidden rendering), two
    proposed terms; built through the core's own import and glossary calls. It is the file
    `zhen.db` in `directory`, or the empty PostgreSQL database `url` (initialised here)."""
    path: Path | str = directory / "zhen.db" if url is None else url
    tmx_path = directory / "xinhua-excerpt.tmx"
    units = [
        TranslationUnit(zh=zh, en=en, origin=ORIGIN, position=index, score=0.9)
        for index, (zh, en) in enumerate(PAIRS)
    ]
    tmx.write_tmx(tmx_path, units)
    if url is not None:
        Database.create(url, seed=False).close()
    conn = _connect(path)
    try:
        tm.import_files(conn, [tmx_path])
        glossary.add_term(
            conn,
            Term(
                zh="同志加兄弟",
                en="camaraderie plus brotherhood",
                forbidden=["comrades and brothers"],
                note="China–Vietnam relations",
            ),
        )
        glossary.add_term(
            conn,
            Term(
                zh="人类命运共同体",
                en="community with a shared future for mankind",
                status="proposed",
            ),
        )
        glossary.add_term(
            conn,
            Term(zh="中越命运共同体", en="China-Vietnam community", status="proposed"),
        )
    finally:
        conn.close()
    return path


def _connect(target: Path | str) -> sqlite3.Connection:
    """A fresh connection to the test's database, a file or a server's."""
    if isinstance(target, str):
        return Database(target).connection
    return store.open_database(target, create=True)


def terms_in(path: Path | str, zh: str) -> list[Term]:
    """The glossary entries for `zh`, read through a fresh connection."""
    conn = _connect(path)
    try:
        return glossary.get_term(conn, zh)
    finally:
        conn.close()


async def wait_for(pilot, condition: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    """Let the app run until `condition()` holds (a generous deadline, not a timing claim)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.02)


@asynccontextmanager
async def lookup_session(
    db: Path | str, size: tuple[int, int] = SIZE
) -> AsyncIterator[tuple[ZhenApp, object, LookupScreen]]:
    """Run the app on `db` under the pilot; yield (app, pilot, lookup screen) once it is ready."""
    app = ZhenApp(db)
    async with app.run_test(size=size) as pilot:
        yield app, pilot, await start(pilot)


async def start(pilot) -> LookupScreen:
    """Wait for the database, return the lookup screen."""
    app = pilot.app
    await wait_for(pilot, lambda: app.database_ready, "the database to open")
    screen = app.screen
    assert isinstance(screen, LookupScreen)
    return screen


async def search(pilot, screen: LookupScreen, query: str) -> None:
    """Type `query` into the (emptied) search box and wait until its results are shown.

    ASCII is pressed key by key; anything else is committed one character at a time, as an
    input method does (the pilot has no key names for CJK punctuation such as 、).
    """
    search_box = screen.query_one("#query", Input)
    search_box.value = ""
    search_box.focus()
    for character in query:
        if character.isascii():
            await pilot.press(character if character != " " else "space")
        else:
            search_box.insert_text_at_cursor(character)
            await pilot.pause()
    await wait_for(
        pilot,
        lambda: screen.shown_query == query and screen.shown_generation == screen.generation,
        f"results for {query!r}",
    )


def hits(screen) -> list:
    return list(screen.query_one(ResultsList)._hits.values())


async def select_first(pilot, screen: LookupScreen, kind: str) -> None:
    """Move the cursor into the results and down to the first hit of `kind`."""
    results = screen.query_one(ResultsList)
    await pilot.press("down")
    assert pilot.app.focused is results
    for _ in range(results.option_count):
        hit = results.selected_hit
        if hit is not None and hit.kind == kind:
            return
        await pilot.press("down")
    raise AssertionError(f"no {kind} hit in {hits(screen)}")


async def open_editor(pilot, screen: LookupScreen, query: str, kind: str, key: str) -> TermEditor:
    """Search, select the first hit of `kind`, press `key` (a: add, e: edit), wait for the form."""
    await search(pilot, screen, query)
    await select_first(pilot, screen, kind)
    await pilot.press(key)
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, TermEditor), "the term editor")
    return pilot.app.screen


def body_text(screen) -> str:
    """The text of the screen's detail pane."""
    return screen.query_one(DetailPane).plain_text


async def open_review(pilot, app: ZhenApp) -> ReviewScreen:
    """Switch to the review screen and wait until it has read the proposed terms."""
    app.action_review()
    await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen), "the review screen")
    review = app.screen
    assert isinstance(review, ReviewScreen)
    await wait_for(pilot, lambda: review.loaded, "the proposed terms")
    return review


async def run_check(pilot, app: ZhenApp, source: Path) -> CheckScreen:
    """From the lookup screen, open the check screen, give it `source` and run the check."""
    await start(pilot)
    await pilot.press("ctrl+k")
    check = app.screen
    assert isinstance(check, CheckScreen)
    check.query_one("#check-source", Input).value = str(source)
    await pilot.press("ctrl+r")
    return check

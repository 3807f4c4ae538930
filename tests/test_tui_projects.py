"""Pilot tests of the TUI in a project: lookups kept to the chosen origins, glossary files
searched first and shown (not edited) like the database's own terms."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.tui import (
    ORIGIN,
    body_text,
    build_tui_db,
    hits,
    pilot_test,
    search,
    select_first,
    start,
    wait_for,
)
from zhen.database import Database
from zhen.models import TranslationUnit
from zhen.search.scope import LookupScope
from zhen.tui import ZhenApp
from zhen.tui.term_editor import TermEditor

CLIENT = "client-b.tmx"


@pytest.fixture
def tui_db(tmp_path: Path) -> Path:
    """The TUI's test database plus one pair of another client sharing words with it."""
    path = build_tui_db(tmp_path)
    with Database(path) as db:
        db.import_pairs(
            [
                TranslationUnit(
                    zh="双方要继往开来、携手前行,深化传统友谊。",
                    en="The two sides should build on past achievements and deepen their "
                    "traditional friendship.",
                )
            ],
            origin=CLIENT,
        )
    return path


def _unit_origins(screen) -> set[str]:
    return {hit.origin for hit in hits(screen) if hit.kind != "term"}


@pilot_test
async def test_lookups_keep_to_the_scope_origins(tui_db: Path) -> None:
    query = "继往开来"
    async with ZhenApp(tui_db).run_test() as pilot:
        screen = await start(pilot)
        await search(pilot, screen, query)
        assert _unit_origins(screen) == {ORIGIN, CLIENT}
    app = ZhenApp(tui_db, scope=LookupScope(origins=(CLIENT,)))
    async with app.run_test() as pilot:
        screen = await start(pilot)
        assert f"origins: {CLIENT}" in app.sub_title, "the header says what is searched"
        await search(pilot, screen, query)
        assert _unit_origins(screen) == {CLIENT}


@pilot_test
async def test_a_glossary_file_term_is_shown_first_and_not_edited(tui_db: Path, tmp_path) -> None:
    client = tmp_path / "client.tsv"
    client.write_text(
        "zh\ten\tnote\n同志加兄弟\tcomrades and brothers\tthe client's style\n", encoding="utf-8"
    )
    app = ZhenApp(tui_db, scope=LookupScope(glossary_files=(client,)))
    async with app.run_test() as pilot:
        screen = await start(pilot)
        await search(pilot, screen, "同志加兄弟")
        terms = [hit for hit in hits(screen) if hit.kind == "term"]
        assert [(t.en, t.origin) for t in terms[:2]] == [
            ("comrades and brothers", "client.tsv"),
            ("camaraderie plus brotherhood", "glossary"),
        ]
        await select_first(pilot, screen, "term")
        await wait_for(pilot, lambda: "client.tsv" in body_text(screen), "the term's detail")
        assert "the client's style" in body_text(screen)
        await pilot.press("e")
        await pilot.pause()
        assert not isinstance(app.screen, TermEditor), "a file's entry is edited in the file"


@pilot_test
async def test_the_check_screen_keeps_the_projects_check_settings(tmp_path: Path) -> None:
    from zhen.io import tmx
    from zhen.project import load
    from zhen.tui.check_screen import CheckScreen

    db = build_tui_db(tmp_path)
    pairs = tmp_path / "pairs.tmx"
    tmx.write_tmx(
        pairs,
        [
            TranslationUnit(
                zh="双方要深化务实合作。", en="The two sides should deepen practical cooperation ."
            )
        ],
    )
    settings = tmp_path / "zhen.toml"
    settings.write_text(
        '[check]\nskip = ["space-before-punctuation"]\nignore = "accepted.jsonl"\n',
        encoding="utf-8",
    )

    async def kinds_found(app: ZhenApp) -> tuple[set[str], str]:
        async with app.run_test(size=(120, 35)) as pilot:
            await start(pilot)
            await pilot.press("ctrl+k")
            screen = app.screen
            assert isinstance(screen, CheckScreen)
            ignore_field = screen.query_one("#check-ignore").value
            screen.query_one("#check-source").value = str(pairs)
            await pilot.press("ctrl+r")
            await wait_for(pilot, lambda: screen.report is not None, "the check to finish")
            assert screen.report is not None
            return {str(issue.kind) for issue in screen.report.issues}, ignore_field

    without, field = await kinds_found(ZhenApp(db))
    assert "space-before-punctuation" in without and field == ""
    within, field = await kinds_found(ZhenApp(db, project=load(settings)))
    assert "space-before-punctuation" not in within
    assert field == str(tmp_path / "accepted.jsonl")

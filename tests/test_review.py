"""One review path: the CLI's `zhen glossary review` and the TUI's review screen store the same."""

from __future__ import annotations

import asyncio
import io
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

import zhen
from tests.support.cli import run_cli
from tests.support.tui import SIZE, open_review, start, wait_for
from zhen import Database
from zhen.cli import main
from zhen.errors import GlossaryError
from zhen.glossary.review import ReviewTally, parse_decision
from zhen.models import Term
from zhen.tui import ZhenApp
from zhen.tui.term_editor import TermEditor

# Proposals as term extraction leaves them; the review below takes one decision on each.
PROPOSALS = [
    Term(zh="六个更", en="six more", status="proposed"),
    Term(zh="红色研学之旅", en="red study trip", variants=["red study tour"], status="proposed"),
    Term(zh="党际", en="inter-party", status="proposed"),
    Term(zh="中越命运共同体", en="China-Vietnam community", status="proposed"),
]
# (decision, new English for an edit), in the order the proposals are listed for review.
DECISIONS = [("accept", ""), ("edit", "red study tour"), ("reject", ""), ("skip", "")]


def _database(path: Path) -> Path:
    with Database.create(path, seed=False) as db:
        for term in PROPOSALS:
            db.add_term(term)
    return path


def _stored(path: Path) -> list[tuple]:
    with Database(path, readonly=True) as db:
        return sorted(
            (t.zh, t.en, t.status, tuple(t.variants), tuple(t.forbidden), t.note)
            for t in db.terms()
        )


def _proposed_order(path: Path) -> list[str]:
    with Database(path, readonly=True) as db:
        return [t.zh for t in db.terms("proposed")]


def test_an_edit_is_approved_and_notes_the_rendering_it_replaces(tmp_path):
    with Database(_database(tmp_path / "zhen.db")) as db:
        by_zh = {t.zh: t for t in db.terms()}
        tally = ReviewTally()
        edited = by_zh["红色研学之旅"]
        edited.en = "red study tour"
        stored = db.review(edited.id, parse_decision("E"), revision=edited, tally=tally)
        assert stored is not None and stored.status == "approved"
        assert stored.en == "red study tour" and stored.variants == []
        assert stored.note == "first proposed as 'red study trip'"
        assert db.review(by_zh["党际"].id, parse_decision("reject"), tally=tally).status == (
            "rejected"
        )
        assert db.review(by_zh["六个更"].id, "delete", tally=tally) is None
        assert db.term("六个更") == []
        assert tally.summary() == (
            "0 accepted, 1 edited and accepted, 1 rejected, 1 deleted, 0 skipped"
        )


def test_an_edit_needs_a_rendering_and_a_forbidden_old_one_is_not_noted(tmp_path):
    with Database(_database(tmp_path / "zhen.db")) as db:
        term = db.term("六个更")[0]
        with pytest.raises(GlossaryError, match="needs the new English"):
            db.review(term.id, "edit", revision=Term(zh=term.zh, en=" "))
        term.en, term.forbidden = "six mores", ["six more"]
        assert db.review(term.id, "edit", revision=term).note is None
    with pytest.raises(GlossaryError):
        parse_decision("x")


def test_every_decision_can_be_undone(tmp_path):
    with Database(_database(tmp_path / "zhen.db")) as db:
        tally = ReviewTally()
        for term in db.terms("proposed"):
            revision = Term(zh=term.zh, en=term.en + "s", note="checked")
            for decision in ("accept", "reject", "edit", "skip", "delete"):
                db.review(term.id, decision, revision=revision, tally=tally)
                restored = db.undo_review(term, decision, tally=tally)
                assert (restored.zh, restored.en, restored.variants, restored.note) == (
                    term.zh,
                    term.en,
                    term.variants,
                    term.note,
                )
                assert restored.status == "proposed"
                term = restored  # a deleted entry comes back under a new id
        assert tally == ReviewTally()
        assert len(db.terms("proposed")) == len(PROPOSALS)
    with Database(tmp_path / "zhen.db") as db, pytest.raises(GlossaryError, match="cannot undo"):
        db.undo_review(term, "quit")


def _review_with_cli(path: Path, monkeypatch, capsys) -> str:
    order = _proposed_order(path)
    plan = dict(zip([p.zh for p in PROPOSALS], DECISIONS, strict=True))
    answers = "".join(
        f"{plan[zh][0][0]}\n" + (f"{plan[zh][1]}\n" if plan[zh][0] == "edit" else "")
        for zh in order
    )
    monkeypatch.setattr("sys.stdin", io.StringIO(answers))
    assert main(["glossary", "review", "--db", str(path)]) == 0
    return capsys.readouterr().out.splitlines()[-1]


async def _review_with_tui(path: Path) -> str:
    plan = dict(zip([p.zh for p in PROPOSALS], DECISIONS, strict=True))
    app = ZhenApp(path)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        review = await open_review(pilot, app)
        for count in range(len(PROPOSALS)):
            term = review._current_term()
            decision, new_en = plan[term.zh]
            if decision == "edit":
                await pilot.press("e")
                await wait_for(pilot, lambda: isinstance(app.screen, TermEditor), "the editor")
                app.screen.query_one("#term-en").value = new_en
                await pilot.press("ctrl+y")
            else:
                await pilot.press({"accept": "a", "reject": "r", "skip": "s"}[decision])
            decided = count + 1
            tally = review.tally
            await wait_for(
                pilot,
                lambda decided=decided, tally=tally: (
                    app.screen is review
                    and sum((tally.accepted, tally.edited, tally.rejected, tally.skipped))
                    == decided
                    and f"{len(review.terms)} proposed"
                    in str(review.query_one("#review-counts").render())
                ),
                f"decision {decided}",
            )
        return review.tally.summary()


def test_cli_and_tui_store_the_same_for_the_same_decisions(tmp_path, monkeypatch, capsys):
    by_cli = _database(tmp_path / "cli.db")
    by_tui = _database(tmp_path / "tui.db")
    cli_summary = _review_with_cli(by_cli, monkeypatch, capsys)
    tui_summary = asyncio.run(_review_with_tui(by_tui))
    assert _stored(by_cli) == _stored(by_tui)
    assert (
        cli_summary
        == tui_summary
        == ("1 accepted, 1 edited and accepted, 1 rejected, 0 deleted, 1 skipped")
    )
    notes = {zh: note for zh, _en, _status, _v, _f, note in _stored(by_tui)}
    assert notes["红色研学之旅"] == "first proposed as 'red study trip'"


class _Terminal:
    """`zhen glossary review` run as its own process on a pseudo-terminal, as a person runs it."""

    def __init__(self, path: Path) -> None:
        self.master, slave = pty.openpty()
        env = dict(os.environ, PYTHONPATH=str(Path(zhen.__file__).parents[1]), COLUMNS="100")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "zhen", "glossary", "review", "--db", str(path)],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
        )
        os.close(slave)
        self.seen = ""

    def wait_for(self, text: str, count: int = 1) -> None:
        """Read the terminal until `text` has appeared `count` times (a generous deadline)."""
        deadline = time.monotonic() + 60
        while self.seen.count(text) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} ×{count} never appeared in:\n{self.seen}")
            ready, _, _ = select.select([self.master], [], [], 0.5)
            if ready:
                try:
                    self.seen += os.read(self.master, 4096).decode("utf-8", "replace")
                except OSError:  # the process ended and closed the terminal
                    break

    def press(self, key: str) -> None:
        os.write(self.master, key.encode())

    def finish(self) -> int:
        code = self.process.wait(timeout=60)
        self.wait_for("\0")  # drain what is left
        os.close(self.master)
        return code


def test_cli_review_reads_single_keys_on_a_terminal_and_undoes(tmp_path):
    path = _database(tmp_path / "zhen.db")
    first, second = _proposed_order(path)[:2]
    terminal = _Terminal(path)
    prompt = "[a/r/e/s/u/d/q]"
    terminal.wait_for(prompt)
    terminal.press("a")  # no Enter: one key is the answer
    terminal.wait_for(prompt, 2)
    terminal.press("u")
    terminal.wait_for(prompt, 3)
    assert terminal.seen.count("[1/4]") == 2, "the undone term is asked about again"
    terminal.press("r")
    terminal.wait_for(prompt, 4)
    assert "[2/4]" in terminal.seen
    terminal.press("q")
    assert terminal.finish() == 0
    assert "0 accepted, 0 edited and accepted, 1 rejected" in terminal.seen
    with Database(path, readonly=True) as db:
        assert [t.status for t in db.term(first)] == ["rejected"]
        assert [t.status for t in db.term(second)] == ["proposed"]


def test_cli_review_undo_from_a_pipe(tmp_path):
    path = _database(tmp_path / "zhen.db")
    first = _proposed_order(path)[0]
    result = run_cli(["glossary", "review", "--db", path], stdin="a\nu\nu\nr\nq\n")
    assert result.code == 0, result
    assert "nothing to undo" in result.stderr
    assert result.stdout.splitlines()[-1].startswith(
        "0 accepted, 0 edited and accepted, 1 rejected"
    )
    with Database(path, readonly=True) as db:
        assert [t.status for t in db.term(first)] == ["rejected"]

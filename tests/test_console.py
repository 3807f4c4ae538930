"""Colour and progress on the console: --color, NO_COLOR, terminals, and stored text kept inert."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from zhen import glossary, store, tm
from zhen.cli import console, main
from zhen.models import Term

# Rich markup and a raw escape sequence, as a hostile TM or glossary could hold them.
MARKUP = "[bold red]x[/]"
ESCAPE = "\x1b[31m"
ESCAPED = "\\x1b[31m"
BOLD = "\x1b[1m"


@pytest.fixture(autouse=True)
def _console_state(monkeypatch):
    """Each test starts from no NO_COLOR and streams asked whether they are terminals."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("TERM", raising=False)
    yield
    console.force_terminal(None)
    console.set_color_mode("auto")


@pytest.fixture
def hostile_db(tmp_path: Path) -> Path:
    """A database whose unit and term hold Rich markup, and (as an old zhen could have stored)
    an escape sequence that importing would have dropped."""
    path = tmp_path / "hostile.db"
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text(f"剪贴板测试\tclipboard test {MARKUP}\n", encoding="utf-8")
    conn = store.open_database(path, create=True)
    try:
        tm.import_files(conn, [pairs])
        glossary.add_term(conn, Term(zh="剪贴板", en=f"clipboard {MARKUP}", note=MARKUP))
        with conn:
            conn.execute("UPDATE units SET en = en || ?", (ESCAPE,))
            conn.execute("UPDATE terms SET en = en || ?", (ESCAPE,))
    finally:
        conn.close()
    return path


def lookup(capsys, db: Path, *options: str) -> str:
    assert main(["lookup", "剪贴板测试", "--db", str(db), *options]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize(
    ("terminal", "no_color", "options", "coloured"),
    [
        (True, None, (), True),  # auto on a terminal
        (False, None, (), False),  # auto through a pipe
        (True, "1", (), False),  # auto with NO_COLOR
        (True, "", (), True),  # an empty NO_COLOR counts as unset (no-color.org)
        (False, None, ("--color", "always"), True),
        (False, "1", ("--color", "always"), True),  # the option overrides NO_COLOR
        (True, None, ("--color", "never"), False),
    ],
)
def test_lookup_colour(capsys, monkeypatch, hostile_db, terminal, no_color, options, coloured):
    console.force_terminal(terminal)
    if no_color is not None:
        monkeypatch.setenv("NO_COLOR", no_color)
    out = lookup(capsys, hostile_db, *options)
    assert (BOLD in out) is coloured
    if not coloured:
        assert "\x1b" not in out
    # Whatever the mode, stored text is shown as it is: markup literally, escapes escaped.
    assert f"clipboard {MARKUP}{ESCAPED}" in out.replace(BOLD, "").replace("\x1b[0m", "")
    assert ESCAPE not in out


def test_color_option_before_or_after_the_subcommand(capsys, hostile_db):
    console.force_terminal(False)
    assert BOLD in lookup(capsys, hostile_db, "--color", "always")
    assert main(["--color", "always", "lookup", "剪贴板测试", "--db", str(hostile_db)]) == 0
    # The subcommand's own --color, not given, must not reset the top-level one to auto.
    assert BOLD in capsys.readouterr().out
    console.force_terminal(True)
    assert main(["--color", "never", "lookup", "剪贴板测试", "--db", str(hostile_db)]) == 0
    assert "\x1b" not in capsys.readouterr().out


def test_color_option_rejects_other_values(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--color", "sometimes", "lookup", "x"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'sometimes'" in capsys.readouterr().err


@pytest.fixture
def check_files_(tmp_path: Path) -> tuple[Path, Path]:
    """A glossary forbidding "Su Lin" and a draft using it next to Rich markup."""
    terms = tmp_path / "terms.tsv"
    terms.write_text("zh\ten\tforbidden\n苏林\tTo Lam\tSu Lin\n", encoding="utf-8")
    draft = tmp_path / "draft.tsv"
    draft.write_text(f"习近平同苏林举行会谈。\tXi met Su Lin {MARKUP}.\n", encoding="utf-8")
    return draft, terms


@pytest.mark.parametrize(
    ("terminal", "no_color", "options", "coloured"),
    [
        (True, None, (), True),
        (False, None, (), False),
        (True, "1", (), False),
        (False, "1", ("--color", "always"), True),
        (True, None, ("--color", "never"), False),
    ],
)
def test_check_colour(capsys, monkeypatch, check_files_, terminal, no_color, options, coloured):
    draft, terms = check_files_
    console.force_terminal(terminal)
    if no_color is not None:
        monkeypatch.setenv("NO_COLOR", no_color)
    assert main(["check", str(draft), "--glossary", str(terms), *options]) == 1
    out = capsys.readouterr().out
    assert "term-forbidden" in out and MARKUP in out
    if coloured:
        assert "\x1b[1;4mSu Lin\x1b[0m" in out and "\x1b[1;31merror  \x1b[0m" in out
    else:
        # The plain report marks the term with brackets and holds no escape sequence.
        assert "[Su Lin]" in out and "\x1b" not in out


def test_progress_bar_only_on_a_terminal_and_for_long_inputs():
    console.force_terminal(False)
    pipe = io.StringIO()
    bar = console.ProgressBar("aligning", stream=pipe)
    bar.update(300, 600)
    bar.close()
    assert pipe.getvalue() == ""

    console.force_terminal(True)
    terminal = io.StringIO()
    bar = console.ProgressBar("aligning", min_total=300, stream=terminal)
    bar.update(10, 20)  # a short input: no bar at all
    assert terminal.getvalue() == ""
    bar.update(150, 600)
    bar.close()
    assert "aligning" in terminal.getvalue() and "25%" in terminal.getvalue()


def test_progress_detail_is_text_not_markup():
    console.force_terminal(True)
    console.set_color_mode("never")
    terminal = io.StringIO()
    bar = console.ProgressBar("importing", stream=terminal)
    bar.update(1, 2, f"evil{MARKUP}{ESCAPE}.tmx")
    bar.close()
    shown = terminal.getvalue()
    assert f"evil{MARKUP}{ESCAPED}.tmx" in shown
    assert ESCAPE not in shown

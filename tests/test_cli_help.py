"""Every `--help` of `zhen`: no raw `%%`, a help text for every option, the true defaults."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from tests.support import run_cli
from zhen.cli import _subcommand_parsers, build_parser


def _command_paths() -> list[list[str]]:
    """The argv prefix of every command and subcommand (`[]`, `["tm"]`, `["tm", "import"]`…)."""
    root = build_parser()
    paths: list[list[str]] = [[]]
    for parser in _subcommand_parsers(root):
        # prog is "zhen tm import": the words after "zhen" are the argv prefix.
        paths.append(parser.prog.split()[1:])
    return paths


def _options(words: list[str]) -> list[argparse.Action]:
    parser = build_parser()
    for word in words:
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        parser = sub.choices[word]
    return [
        action
        for action in parser._actions
        if not isinstance(action, (argparse._HelpAction, argparse._SubParsersAction))
    ]


@pytest.mark.parametrize("words", _command_paths(), ids=lambda words: " ".join(words) or "zhen")
def test_every_help_is_rendered_and_every_option_explained(
    words: list[str], tmp_path: Path
) -> None:
    result = run_cli([*words, "--help"], env={"XDG_DATA_HOME": str(tmp_path), "ZHEN_DB": None})
    assert result.code == 0, result.stderr
    assert "%%" not in result.stdout
    assert "%(" not in result.stdout
    unexplained = [
        "/".join(action.option_strings) or action.dest
        for action in _options(words)
        if action.help is not argparse.SUPPRESS and not (action.help or "").strip()
    ]
    assert not unexplained, f"zhen {' '.join(words)}: no help for {unexplained}"


def test_lookup_help_shows_a_single_percent_sign() -> None:
    text = run_cli(["lookup", "--help"]).stdout
    assert "match %%" not in text and "by match % (100" in " ".join(text.split())


@pytest.mark.parametrize(
    ("command", "option"),
    [
        ("add", "--variant"),
        ("add", "--forbid"),
        ("add", "--source"),
        ("edit", "--add-variant"),
        ("edit", "--forbid"),
        ("edit", "--source"),
    ],
)
def test_glossary_help_says_which_options_repeat(command: str, option: str) -> None:
    text = " ".join(run_cli(["glossary", command, "--help"]).stdout.split())
    # The option's own paragraph: after its last mention (the options list, not the usage line).
    paragraph = text.split(f"{option} EN ")[-1].split(f"{option} WHERE ")[-1].split(" --")[0]
    assert "repeat" in paragraph, f"glossary {command} {option}: {paragraph}"


def test_db_help_names_the_real_default_under_xdg_data_home(tmp_path: Path) -> None:
    data_home = tmp_path / "elsewhere"
    text = run_cli(["lookup", "--help"], env={"XDG_DATA_HOME": str(data_home), "ZHEN_DB": None})
    joined = "".join(text.stdout.split())
    assert "".join(str(data_home / "zhen" / "zhen.db").split()) in joined
    assert "~/.local/share/zhen/zhen.db" not in text.stdout


def test_db_help_names_zhen_db_when_it_is_set(tmp_path: Path) -> None:
    chosen = tmp_path / "team%.db"
    text = run_cli(["tm", "stats", "--help"], env={"ZHEN_DB": str(chosen)})
    assert text.code == 0
    assert "".join(str(chosen).split()) in "".join(text.stdout.split())

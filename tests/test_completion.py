"""`zhen completion bash|zsh|fish`: scripts made from the argparse tree, run in the real shells."""

from __future__ import annotations

import argparse
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support import run_cli
from zhen.cli import _subcommand_parsers, build_parser


def _script(shell: str, tmp_path: Path) -> Path:
    result = run_cli(["completion", shell])
    assert result.code == 0, result.stderr
    path = tmp_path / f"zhen.{shell}"
    path.write_text(result.stdout)
    return path


def _bash_complete(script: Path, words: list[str], tmp_path: Path) -> list[str]:
    """What the bash completion function offers for the command line `words` (the last word is
    the one being completed), with the script sourced in a real bash."""
    array = " ".join(f"'{word}'" for word in words)
    program = (
        f"source {script}\n"
        f"COMP_WORDS=({array}); COMP_CWORD={len(words) - 1}\n"
        'COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}\n'
        '_zhen zhen "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"\n'
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    done = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", program],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return done.stdout.split()


@pytest.mark.parametrize(
    ("words", "offered"),
    [
        (["zhen", "tm", "im"], ["import"]),
        (["zhen", "gl"], ["glossary"]),
        (["zhen", "glossary", "review", "--"], ["--db", "--help", "--color"]),
        (["zhen", "lookup", "--si"], ["--side"]),
        (["zhen", "lookup", "--side", ""], ["zh", "en"]),
        (["zhen", "--color", "n"], ["never"]),
        (["zhen", "completion", ""], ["bash", "fish", "zsh"]),
        (["zhen", "db", "info", "--json", "--db", "not"], ["notes.db"]),
        (["zhen", "tm", "import", "not"], ["notes.db"]),
    ],
)
@pytest.mark.skipif(shutil.which("bash") is None, reason="no bash")
def test_bash_completes_from_the_real_tree(tmp_path: Path, words, offered) -> None:
    (tmp_path / "notes.db").write_text("")
    found = _bash_complete(_script("bash", tmp_path), words, tmp_path)
    assert set(offered) <= set(found), found
    if words[-1]:
        assert all(word.startswith(words[-1]) for word in found), found


@pytest.mark.skipif(shutil.which("bash") is None, reason="no bash")
def test_bash_offers_every_subcommand_and_option_of_the_parser(tmp_path: Path) -> None:
    script = _script("bash", tmp_path)
    for parser in [build_parser(), *_subcommand_parsers(build_parser())]:
        words = parser.prog.split()
        options = {
            option
            for action in parser._actions
            for option in action.option_strings
            if option.startswith("--")
        }
        commands = {
            name
            for action in parser._actions
            if isinstance(action, argparse._SubParsersAction)
            for name in action.choices
        }
        assert options <= set(_bash_complete(script, [*words, "--"], tmp_path)), parser.prog
        if commands:
            assert commands <= set(_bash_complete(script, [*words, ""], tmp_path)), parser.prog


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_zsh_and_fish_scripts_parse_and_name_every_command(shell: str, tmp_path: Path) -> None:
    script = _script(shell, tmp_path)
    text = script.read_text()
    for parser in _subcommand_parsers(build_parser()):
        assert parser.prog.split()[-1] in text, parser.prog
    assert "min-score" in text and "side" in text
    if shutil.which(shell) is None:
        pytest.skip(f"{shell} is not installed: only the script's content was checked")
    checked = subprocess.run([shell, "-n", str(script)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


@pytest.mark.skipif(shutil.which("zsh") is None, reason="no zsh")
def test_zsh_completion_offers_import_after_tm(tmp_path: Path) -> None:
    """The zsh function's path finding, run in zsh with compadd recording what it is given."""
    script = _script("zsh", tmp_path)
    program = (
        "compdef() { :; }; compadd() { print -l -- ${@:#-*} }; _files() { print FILES }\n"
        f"source {script}\n"
        "words=(zhen tm im); CURRENT=3; _zhen\n"
        "words=(zhen lookup --side ''); CURRENT=4; _zhen\n"
    )
    done = subprocess.run(["zsh", "-f", "-c", program], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "import" in done.stdout.split() and "zh" in done.stdout.split()


@pytest.mark.skipif(shutil.which("fish") is None, reason="no fish")
def test_fish_completion_offers_import_after_tm(tmp_path: Path) -> None:
    script = _script("fish", tmp_path)
    done = subprocess.run(
        ["fish", "--no-config", "-c", f"source {script}; complete -C 'zhen tm im'"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "import" in [line.split("\t")[0] for line in done.stdout.splitlines()]


def test_unknown_shell_is_a_usage_error() -> None:
    result = run_cli(["completion", "tcsh"])
    assert result.code == 2 and "invalid choice" in result.stderr

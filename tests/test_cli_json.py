"""`--json`: errors as one JSON line on stderr (exit 2 still), and JSON summaries of import,
align and build."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.support import SOURCES, run_cli
from zhen.cli import _subcommand_parsers, build_parser

SEED = SOURCES / "004_eb715c92c15eb68e.txt"

# For every command that takes --json: arguments that make it fail on bad input (`{tmp}` is the
# test's folder, `{db}` a seeded database).
FAILING = {
    "lookup": ["lookup", "   ", "--json", "--db", "{db}"],
    "check": ["check", "{tmp}/missing.zh.txt", "{tmp}/missing.en.txt", "--json"],
    "db info": ["db", "info", "--json", "--db", "{tmp}/missing.db"],
    "glossary list": ["glossary", "list", "--json", "--db", "{tmp}/missing.db"],
    "glossary show": ["glossary", "show", "無此詞", "--json", "--db", "{tmp}/missing.db"],
    "glossary extract": ["glossary", "extract", "{tmp}/missing.tmx", "--json"],
    "tm stats": ["tm", "stats", "--json", "--db", "{tmp}/missing.db"],
    "tm show": ["tm", "show", "987654", "--json", "--db", "{db}"],
    "tm import": ["tm", "import", "{tmp}/missing.tmx", "--json", "--db", "{db}"],
    "align": ["align", "{tmp}/missing.txt", "-o", "{tmp}/out.tmx", "--json"],
    "build": ["build", "--sources", "{tmp}/no-sources", "-o", "{tmp}/out.tmx", "--json"],
}


def _argv(words: list[str], tmp_path: Path, db: Path) -> list[str]:
    return [word.format(tmp=tmp_path, db=db) for word in words]


def _json_error(stderr: str) -> str:
    """The message of a JSON error line; fails unless stderr is exactly one such line."""
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    data = json.loads(lines[0])
    assert list(data) == ["error"] and data["error"], data
    return str(data["error"])


def test_every_command_with_json_is_covered() -> None:
    with_json = {
        parser.prog.removeprefix("zhen ")
        for parser in _subcommand_parsers(build_parser())
        if any("--json" in action.option_strings for action in parser._actions)
    }
    assert with_json == set(FAILING)


@pytest.mark.parametrize("command", sorted(FAILING))
def test_errors_are_one_json_line_under_json(
    command: str, tmp_path: Path, seeded_db: Path, run_zhen
) -> None:
    result = run_zhen(*_argv(FAILING[command], tmp_path, seeded_db))
    assert result.code == 2, result.stderr
    message = _json_error(result.stderr)
    assert not message.startswith("zhen:")
    assert result.stdout == ""


def test_without_json_errors_stay_plain(tmp_path: Path, run_zhen) -> None:
    result = run_zhen("tm", "stats", "--db", tmp_path / "missing.db")
    assert result.code == 2
    assert result.stderr.startswith("zhen: error: ")


def test_usage_errors_are_json_too_under_json(run_zhen) -> None:
    result = run_zhen("lookup", "x", "--json", "--limit", "many")
    assert result.code == 2
    assert "--limit" in _json_error(result.stderr)


def test_control_characters_in_a_json_error_are_escaped(tmp_path: Path, run_zhen) -> None:
    result = run_zhen("tm", "stats", "--json", "--db", tmp_path / "bad\x1b[31m\x9b.db")
    assert result.code == 2
    assert "\x1b" not in result.stderr and "\x9b" not in result.stderr
    assert "\x1b[31m" in _json_error(result.stderr)


def test_tm_import_json_summary(tmp_path: Path, seeded_db: Path, run_zhen) -> None:
    tsv = tmp_path / "pairs.tsv"
    tsv.write_text("zh\ten\n合作共赢\twin-win cooperation\n合作共赢\twin-win cooperation\n")
    result = run_zhen("tm", "import", tsv, "--json", "--db", seeded_db)
    assert result.code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["read"] == 2 and data["added"] == 1 and data["duplicates"] == 1
    assert data["files"] == [
        {
            "path": str(tsv),
            "format": "tsv",
            "read": 2,
            "added": 1,
            "duplicates": 1,
            "skipped": 0,
            "controls_removed": 0,
        }
    ]
    assert data["seconds"] >= 0


def test_align_json_summary_goes_to_stdout(tmp_path: Path, run_zhen) -> None:
    out = tmp_path / "004.tmx"
    result = run_zhen("align", SEED, "-o", out, "--json")
    assert result.code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["pairs"] == data["written"] > 0
    assert data["output"] == str(out)
    assert {"zh_sentences", "en_sentences", "mean_score", "unaligned_zh", "unaligned_en"} <= set(
        data
    )
    assert isinstance(data["unaligned"]["zh"], list)


def test_align_json_summary_goes_to_stderr_when_the_pairs_go_to_stdout(run_zhen) -> None:
    result = run_zhen("align", SEED, "-o", "-", "--json")
    assert result.code == 0, result.stderr
    assert "\t" in result.stdout.splitlines()[0]  # the TSV pairs
    assert json.loads(result.stderr)["output"] == "standard output"


def test_build_json_summary(tmp_path: Path) -> None:
    root = tmp_path / "checkout"
    shutil.copytree(SOURCES, root / "tm" / "sources")
    env = {"XDG_DATA_HOME": str(tmp_path / "xdg"), "ZHEN_DB": None}
    result = run_cli(["build", "--json", "--no-tbx"], env=env, cwd=root)
    assert result.code == 0, result.stderr
    data = json.loads(result.stdout)
    documents = {row["document"]: row for row in data["documents"]}
    assert set(documents) == {path.name for path in SOURCES.glob("*.txt")}
    assert documents["001_67d530ad41f9bba2.txt"]["skipped"] == "no English half"
    aligned = documents["004_eb715c92c15eb68e.txt"]
    assert aligned["pairs"] > 0 and 0 < aligned["mean_score"] <= 1
    assert data["written"] > 0 and data["output"] == str(Path("tm") / "xinhua.tmx")

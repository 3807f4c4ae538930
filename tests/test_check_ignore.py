"""Ignore lists: accepted flags stay quiet across reruns and re-segmentation, bad files fail."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.cli import run_cli
from tests.support.tui import SIZE, build_tui_db, pilot_test, start, wait_for
from zhen.checker.ignore import MAX_BYTES, read_ignore_file
from zhen.io import tmx
from zhen.models import TranslationUnit
from zhen.tui import ZhenApp
from zhen.tui.check_screen import CheckScreen

GLOSSARY = (
    "zh\ten\tvariants\tforbidden\tstatus\tnote\tsource\n"
    "和平发展\tpeaceful development\t\tpeaceful progress\tapproved\t\t\n"
)
ZH = [
    "两国携手走和平发展道路,15亿多人口共同迈向现代化。",
    "今年是中越建交75周年。",
    "双方同意加强合作。",
]
EN = [
    "As the two countries pursue peaceful progress, their population of over 1.6 billion is "
    "advancing toward modernization.",
    "This year marks the 75th anniversary of  ties.",
    "The two sides agreed to strengthen cooperation.",
]


def check(tmp_path: Path, zh: list[str], en: list[str], *options: object):
    (tmp_path / "zh.txt").write_text("\n".join(zh) + "\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text("\n".join(en) + "\n", encoding="utf-8")
    glossary = tmp_path / "terms.tsv"
    glossary.write_text(GLOSSARY, encoding="utf-8")
    return run_cli(
        [
            "check",
            tmp_path / "zh.txt",
            tmp_path / "en.txt",
            "--presegmented",
            "--glossary",
            glossary,
            "--json",
            *options,
        ]
    )


def kinds(result) -> list[str]:
    return sorted(issue["kind"] for issue in json.loads(result.stdout)["issues"])


@pytest.fixture
def accepted(tmp_path: Path) -> Path:
    """An ignore file accepting every flag of the first run."""
    path = tmp_path / "accepted.jsonl"
    first = check(tmp_path, ZH, EN, "--write-ignore", path)
    assert first.code == 1
    assert kinds(first) == ["double-space", "number-mismatch", "term-forbidden"]
    return path


def test_an_ignored_flag_stays_quiet_on_a_rerun(tmp_path: Path, accepted: Path) -> None:
    rerun = check(tmp_path, ZH, EN, "--ignore", accepted)
    assert rerun.code == 0, rerun.stderr
    report = json.loads(rerun.stdout)
    assert report["issues"] == []
    assert report["summary"]["ignored"] == 3


def test_the_text_summary_counts_the_ignored(tmp_path: Path, accepted: Path) -> None:
    rerun = check(tmp_path, ZH, EN, "--ignore", accepted, "--format", "text")
    assert rerun.stdout.strip().splitlines()[-1].endswith("; 3 ignored")


def test_resegmenting_and_editing_other_sentences_keeps_it_quiet(
    tmp_path: Path, accepted: Path
) -> None:
    # A sentence added before, the third one split in two and edited into a new flag.
    zh = ["中方愿同越方一道努力。", ZH[0], ZH[1], "双方同意", "加强合作。"]
    en = [
        "China is ready to work with Vietnam.",
        EN[0],
        EN[1],
        "The two sides agreed",
        "to strengthen cooperation .",
    ]
    rerun = check(tmp_path, zh, en, "--ignore", accepted)
    assert kinds(rerun) == ["lowercase-start", "space-before-punctuation"]
    assert json.loads(rerun.stdout)["summary"]["ignored"] == 3


def test_an_edit_away_from_the_offending_part_keeps_it_quiet(
    tmp_path: Path, accepted: Path
) -> None:
    en = [EN[0].replace("As the two", "While the two"), EN[1], EN[2]]
    assert kinds(check(tmp_path, ZH, en, "--ignore", accepted)) == []


def test_editing_the_offending_part_brings_the_flag_back(tmp_path: Path, accepted: Path) -> None:
    en = [EN[0].replace("1.6 billion", "1.7 billion"), EN[1], EN[2]]
    rerun = check(tmp_path, ZH, en, "--ignore", accepted)
    assert kinds(rerun) == ["number-mismatch"]
    assert json.loads(rerun.stdout)["summary"]["ignored"] == 2


def test_editing_the_source_sentence_brings_the_flags_back(tmp_path: Path, accepted: Path) -> None:
    zh = [ZH[0], "今年是中越两国建交75周年。", ZH[2]]
    assert kinds(check(tmp_path, zh, EN, "--ignore", accepted)) == ["double-space"]


def test_writing_over_the_ignore_file_accumulates(tmp_path: Path, accepted: Path) -> None:
    en = [EN[0], EN[1], EN[2].replace("cooperation.", "cooperation .")]
    again = check(tmp_path, ZH, en, "--ignore", accepted, "--write-ignore", accepted)
    assert kinds(again) == ["space-before-punctuation"]
    assert len(read_ignore_file(accepted)) == 4
    assert kinds(check(tmp_path, ZH, en, "--ignore", accepted)) == []
    # Back to the first draft: the old entries are still there.
    assert kinds(check(tmp_path, ZH, EN, "--ignore", accepted)) == []


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"garbage\n", "bad.jsonl:1: not an ignore file"),
        (b'{"format": "zhen-ignore", "version": 9}\n', "bad.jsonl:1: ignore file version 9"),
        (b'{"format": "zhen-ignore", "version": 1}\n\n[1, 2]\n', "bad.jsonl:3: not an ignore"),
        (
            b'{"format": "zhen-ignore", "version": 1}\n{"kind": "no-such\\u001b[31m"}\n',
            "bad.jsonl:2: unknown issue kind",
        ),
        (
            b'{"format": "zhen-ignore", "version": 1}\n{"kind": "x\xff"}\n',
            "bad.jsonl:2: not an ignore file: not UTF-8",
        ),
        (
            b'{"format": "zhen-ignore", "version": 1}\n{"kind": "double-space", "source": 5}\n',
            "bad.jsonl:2: 'source' must be a string",
        ),
    ],
)
def test_a_bad_ignore_file_is_one_error_line(tmp_path: Path, content: bytes, expected: str) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(content)
    result = check(tmp_path, ZH, EN, "--ignore", bad)
    assert result.code == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    # `check` here runs with --json, so its error is a JSON line too.
    assert expected in json.loads(result.stderr)["error"]
    assert "\x1b" not in result.stderr


def test_a_huge_ignore_file_is_refused_unread(tmp_path: Path) -> None:
    huge = tmp_path / "huge.jsonl"
    with huge.open("wb") as out:
        out.write(b'{"format": "zhen-ignore", "version": 1}\n')
        out.truncate(MAX_BYTES + 10)
    result = check(tmp_path, ZH, EN, "--ignore", huge)
    assert result.code == 2
    assert result.stderr.count("\n") == 1 and "larger than 16 MiB" in result.stderr


def test_the_ignore_file_is_not_written_to_standard_output(tmp_path: Path) -> None:
    result = check(tmp_path, ZH, EN, "--write-ignore", "-")
    assert (result.code, result.stdout) == (2, "")
    assert "--write-ignore needs a file" in result.stderr


def test_a_failing_check_writes_no_ignore_file(tmp_path: Path) -> None:
    written = tmp_path / "new.jsonl"
    bad = tmp_path / "bad.jsonl"
    bad.write_text("garbage\n", encoding="utf-8")
    assert check(tmp_path, ZH, EN, "--ignore", bad, "--write-ignore", written).code == 2
    assert not written.exists()


@pilot_test
async def test_the_tui_marks_a_flag_ignored_and_the_file_holds_it(tmp_path: Path) -> None:
    db = build_tui_db(tmp_path)
    pairs = tmp_path / "pairs.tmx"
    units = [(ZH[1], EN[1]), (ZH[2], EN[2].replace("cooperation.", "cooperation ."))]
    tmx.write_tmx(pairs, [TranslationUnit(zh=zh, en=en) for zh, en in units])
    ignore_file = tmp_path / "accepted.jsonl"
    app = ZhenApp(db)
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await pilot.press("ctrl+k")
        check_screen = app.screen
        assert isinstance(check_screen, CheckScreen)
        check_screen.query_one("#check-source").value = str(pairs)
        check_screen.query_one("#check-ignore").value = str(ignore_file)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: check_screen.report is not None, "the check to finish")
        issue_list = check_screen.query_one("#check-issues")
        await wait_for(pilot, lambda: issue_list.selected_issue is not None, "an issue listed")
        before = issue_list.issue_count
        flagged = issue_list.selected_issue
        assert flagged is not None and before >= 2, check_screen.report.issues
        await pilot.press("i")
        await wait_for(pilot, lambda: issue_list.issue_count == before - 1, "the flag to go")
        assert check_screen.report.ignored == 1
        assert "1 ignored" in str(check_screen.query_one("#check-status").render())
        assert flagged not in check_screen.report.issues
        held = read_ignore_file(ignore_file)
        assert len(held) == 1 and held.ignores(flagged)
        # A rerun reads the file back: the flag stays quiet.
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: not check_screen.running, "the rerun")
        await wait_for(pilot, lambda: check_screen.report.ignored == 1, "the rerun's report")
        assert issue_list.issue_count == before - 1


@pilot_test
async def test_an_ignore_file_named_after_the_check_keeps_its_entries(tmp_path: Path) -> None:
    earlier = tmp_path / "earlier.jsonl"
    check(tmp_path, ZH, EN, "--write-ignore", earlier)
    pairs = tmp_path / "pairs.tmx"
    units = [(ZH[2], EN[2].replace("cooperation.", "cooperation ."))]
    tmx.write_tmx(pairs, [TranslationUnit(zh=zh, en=en) for zh, en in units])
    app = ZhenApp(build_tui_db(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await start(pilot)
        await pilot.press("ctrl+k")
        check_screen = app.screen
        assert isinstance(check_screen, CheckScreen)
        check_screen.query_one("#check-source").value = str(pairs)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: check_screen.report is not None, "the check to finish")
        issue_list = check_screen.query_one("#check-issues")
        await wait_for(pilot, lambda: issue_list.selected_issue is not None, "an issue listed")
        check_screen.query_one("#check-ignore").value = str(earlier)
        await pilot.press("i")
        await wait_for(pilot, lambda: check_screen.report.ignored == 1, "the flag to go")
        assert len(read_ignore_file(earlier)) == 4

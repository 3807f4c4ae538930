"""Consistency across a job: one source translated two ways, one translation of two sources."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_check_cli import GLOSSARY, write
from tests.test_check_locations import TMX_HEAD, tu
from zhen.checker import Segment, check_segments

ZH = "我们要推动经济高质量发展。"
ZH_TRADITIONAL = "我們要推動經濟高質量發展。"
EN = "We must promote high-quality economic development."
EN_OTHER = "We need to push for better growth."
ZH_B = "两国关系持续向好。"
ZH_C = "两国关系不断改善。"
EN_B = "Relations between the two countries keep improving."


def xliff(units: list[tuple[str, str, str]]) -> str:
    body = "".join(
        f'   <trans-unit id="{uid}"><source>{zh}</source><target>{en}</target></trans-unit>\n'
        for uid, zh, en in units
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">\n'
        ' <file original="doc.docx" source-language="zh-CN" target-language="en-US" '
        'datatype="plaintext">\n  <body>\n' + body + "  </body>\n </file>\n</xliff>\n"
    )


@pytest.fixture
def glossary(tmp_path: Path) -> Path:
    return write(tmp_path, "terms.tsv", GLOSSARY)


def consistency(run_zhen, glossary: Path, *files: Path, code: int = 1) -> list[dict]:
    result = run_zhen("check", *files, "--glossary", glossary, "--json")
    assert result.code == code, result.stderr
    return [
        issue
        for issue in json.loads(result.stdout)["issues"]
        if issue["kind"].startswith("inconsistent-")
    ]


def kinds(segments: list[Segment]) -> list[tuple[str, str, int]]:
    return [
        (issue.kind, issue.severity, issue.pair_index)
        for issue in check_segments(segments, []).issues
        if issue.kind.startswith("inconsistent-")
    ]


def test_one_source_two_targets_is_one_issue_pointing_at_every_place(run_zhen, tmp_path, glossary):
    path = write(
        tmp_path,
        "job.xlf",
        xliff([("s1", ZH, EN), ("s2", ZH_B, EN_B), ("s3", ZH, EN_OTHER), ("s4", ZH, EN)]),
    )
    (issue,) = consistency(run_zhen, glossary, path)
    assert issue["kind"] == "inconsistent-target"
    assert issue["severity"] == "warning"
    assert issue["location"]["unit_id"] == "s3"  # the odd one out, not the main rendering
    assert [place["unit_id"] for place in issue["related"]] == ["s1", "s4"]
    assert (issue["expected"], issue["found"]) == (EN, EN_OTHER)
    assert "s1 (job.xlf, doc.docx)" in issue["message"]


def test_one_target_for_two_sources_in_tmx(run_zhen, tmp_path, glossary):
    path = write(
        tmp_path,
        "mem.tmx",
        TMX_HEAD + tu(ZH_B, EN_B, "t1") + tu(ZH, EN, "t2") + tu(ZH_C, EN_B, "t3") + "</body></tmx>",
    )
    (issue,) = consistency(run_zhen, glossary, path)
    assert issue["kind"] == "inconsistent-source"
    assert issue["location"]["unit_id"] == "t3"
    assert [place["unit_id"] for place in issue["related"]] == ["t1"]


def test_traditional_whitespace_case_and_end_punctuation_are_one(run_zhen, tmp_path, glossary):
    path = write(
        tmp_path,
        "job.tsv",
        f"{ZH}\t{EN}\n{ZH_TRADITIONAL}\t{EN}\n"
        f"{ZH.replace('。', ' ')}\t{EN.lower().rstrip('.')}\n"
        f"{ZH_B}\t{EN_B}\n{ZH_B}\t{EN_B.replace(' ', '  ', 1)}\n",
    )
    assert consistency(run_zhen, glossary, path, code=1) == []


def test_traditional_source_with_another_target_is_caught(run_zhen, tmp_path, glossary):
    path = write(tmp_path, "job.tsv", f"{ZH}\t{EN}\n{ZH_TRADITIONAL}\t{EN_OTHER}\n")
    (issue,) = consistency(run_zhen, glossary, path)
    assert issue["kind"] == "inconsistent-target"
    assert issue["location"]["source_lines"] == [2, 2]


def test_several_files_are_one_job(run_zhen, tmp_path, glossary):
    first = write(tmp_path, "a.xlf", xliff([("s1", ZH, EN), ("s2", ZH_B, EN_B)]))
    second = write(tmp_path, "b.tmx", TMX_HEAD + tu(ZH, EN_OTHER, "t1") + "</body></tmx>")
    third = write(tmp_path, "c.tsv", f"{ZH_C}\t{EN_B}\n")
    issues = consistency(run_zhen, glossary, first, second, third)
    by_kind = {issue["kind"]: issue for issue in issues}
    assert by_kind["inconsistent-target"]["location"]["file"] == "b.tmx"
    assert by_kind["inconsistent-target"]["related"][0]["file"] == "a.xlf"
    assert by_kind["inconsistent-source"]["location"]["file"] == "c.tsv"
    text = run_zhen("check", first, second, third, "--glossary", glossary).stdout
    assert "tuid t1 (b.tmx)\n" in text and "s1 (a.xlf, doc.docx)" in text


def test_several_files_are_checked_each_as_alone(run_zhen, tmp_path, glossary):
    """Per-file checks still run: a typography issue in the second file is reported there."""
    first = write(tmp_path, "a.xlf", xliff([("s1", ZH, EN)]))
    second = write(tmp_path, "b.xlf", xliff([("s9", ZH_B, EN_B.replace(".", "。"))]))
    result = run_zhen("check", first, second, "--glossary", glossary, "--json")
    issues = json.loads(result.stdout)["issues"]
    assert [(i["kind"], i["location"]["file"], i["location"]["unit_id"]) for i in issues] == [
        ("fullwidth-punctuation", "b.xlf", "s9")
    ]


def test_a_plain_text_among_several_files_is_refused(run_zhen, tmp_path, glossary):
    first = write(tmp_path, "a.xlf", xliff([("s1", ZH, EN)]))
    plain = write(tmp_path, "b.txt", ZH)
    third = write(tmp_path, "c.xlf", xliff([("s1", ZH, EN)]))
    result = run_zhen("check", first, plain, third, "--glossary", glossary)
    assert result.code == 2
    assert "b.txt: not a bilingual" in result.stderr


def test_skip_switches_consistency_off(run_zhen, tmp_path, glossary):
    path = write(
        tmp_path, "job.tsv", f"{ZH}\t{EN}\n{ZH}\t{EN_OTHER}\n{ZH_B}\t{EN_B}\n{ZH_C}\t{EN_B}\n"
    )
    result = run_zhen(
        "check",
        path,
        "--glossary",
        glossary,
        "--json",
        "--skip",
        "inconsistent-target",
        "--skip",
        "inconsistent-source",
    )
    assert result.code == 0, result.stdout
    assert json.loads(result.stdout)["issues"] == []


def test_numbers_punctuation_and_empty_segments_are_left_out():
    segments = [
        Segment("2023", "2023"),
        Segment("2023", "2,023"),
        Segment("——", "-"),
        Segment("——", "—"),
        Segment("第一", "1."),
        Segment("一", "1."),
    ]
    assert kinds(segments) == []


def test_one_word_groups_are_info_sentences_warnings():
    segments = [
        Segment("目录", "Contents"),
        Segment("目錄", "Index"),
        Segment(ZH, EN),
        Segment(ZH, EN_OTHER),
    ]
    assert kinds(segments) == [
        ("inconsistent-target", "info", 1),
        ("inconsistent-target", "warning", 3),
    ]


def test_untranslated_segments_take_no_part():
    assert kinds([Segment(ZH, ZH), Segment(ZH, EN), Segment(ZH, "")]) == []


def test_characters_opencc_keeps_in_both_scripts_meet():
    """想像 is left as it is by OpenCC's t2s, yet is the Traditional of 想象: one source."""
    simplified, traditional = "我们要发挥想象力推动发展。", "我們要發揮想像力推動發展。"
    assert kinds([Segment(simplified, EN), Segment(traditional, EN)]) == []
    assert kinds([Segment(simplified, EN), Segment(traditional, EN_OTHER)]) == [
        ("inconsistent-target", "warning", 1)
    ]


def test_long_variants_are_quoted_from_where_they_differ():
    long_en = "The time from exposure to onset of symptoms is typically around five days"
    (issue,) = [
        issue
        for issue in check_segments(
            [Segment(ZH, long_en + "."), Segment(ZH, long_en + " or so.")], []
        ).issues
        if issue.kind == "inconsistent-target"
    ]
    assert "“…typically around five days.” at #1; “…typically around five days or so.” at #2" in (
        issue.message
    )

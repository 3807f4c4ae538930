"""Inline tags and placeholders in `zhen check`: XLIFF tags carried through, printf and ICU."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from zhen.checker import Segment, check_segments
from zhen.checker.tags import placeholders, tag_issues

GLOSSARY = (
    "zh\ten\tvariants\tforbidden\tstatus\tnote\tsource\n"
    "和平发展\tpeaceful development\t\t\tapproved\t\t\n"
)


def xliff(*units: tuple[str, str]) -> str:
    body = "".join(
        f'<trans-unit id="seg-{i}"><source>{zh}</source><target>{en}</target></trans-unit>\n'
        for i, (zh, en) in enumerate(units, 1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
        '<file original="a.txt" source-language="zh-CN" target-language="en-US" '
        f'datatype="plaintext"><body>\n{body}</body></file></xliff>\n'
    )


def check_xliff(run_zhen, tmp_path: Path, *units: tuple[str, str]) -> list[tuple[str, str, str]]:
    (tmp_path / "terms.tsv").write_text(GLOSSARY, encoding="utf-8")
    (tmp_path / "job.xlf").write_text(xliff(*units), encoding="utf-8")
    result = run_zhen("check", "job.xlf", "--glossary", "terms.tsv", "--json")
    assert result.code in (0, 1), result.stderr
    return [(i["kind"], i["severity"], i["message"]) for i in json.loads(result.stdout)["issues"]]


ZH = '坚持走<g id="1">和平发展</g>道路<x id="2"/>。'
EN_GOOD = 'We keep to the path of <g id="1">peaceful development</g>.<x id="2"/>'


def test_xliff_with_every_tag_in_place_is_clean(run_zhen, tmp_path):
    assert check_xliff(run_zhen, tmp_path, (ZH, EN_GOOD)) == []


@pytest.mark.parametrize(
    "target, expected",
    [
        # <g> dropped but its words kept: the term is still found, the tag is not.
        (
            'We keep to the path of peaceful development.<x id="2"/>',
            ("tag-mismatch", "error", "tag g#1 missing from the draft"),
        ),
        (
            EN_GOOD + '<x id="9"/>',
            ("tag-mismatch", "error", "tag x#9 not in the source"),
        ),
        (
            EN_GOOD + '<x id="2"/>',
            ("tag-mismatch", "error", "tag x#2 repeated in the draft"),
        ),
        (
            '<x id="2"/>We keep to the path of <g id="1">peaceful development</g>.',
            (
                "tag-order",
                "info",
                "the draft has the source's tags in another order: x#2 g#1 (source: g#1 x#2)",
            ),
        ),
    ],
)
def test_xliff_tag_missing_extra_repeated_moved(run_zhen, tmp_path, target, expected):
    assert check_xliff(run_zhen, tmp_path, (ZH, target)) == [expected]


def test_native_code_in_paired_tags_is_not_text(run_zhen, tmp_path):
    # The 3 of <font size="3"> was read as a source number the draft lacked.
    bpt, ept = '<bpt id="1">&lt;font size="3"&gt;</bpt>', '<ept id="1">&lt;/font&gt;</ept>'
    zh = f"{bpt}坚持和平发展{ept}"
    en = f"{bpt}Keep to peaceful development.{ept}"
    assert check_xliff(run_zhen, tmp_path, (zh, en)) == []
    dropped = "Keep to peaceful development."
    assert check_xliff(run_zhen, tmp_path, (zh, dropped)) == [
        ("tag-mismatch", "error", "tags bpt#1, ept#1 missing from the draft")
    ]


def test_placeholders_are_printf_and_icu_but_not_percentages():
    text = (
        "%s has %1$d of {0} for {name}: {count, plural, one {# item} other {# items}}, 50% of 100%%"
    )
    assert [token for token, _ in placeholders(text)] == ["%s", "%1$d", "{0}", "{name}", "{count}"]
    assert placeholders("Growth was 50% or more") == []


def test_placeholder_missing_repeated_and_moved():
    def found(zh: str, en: str) -> list[tuple[str, str, str]]:
        return [(i.kind, i.severity, i.message) for i in tag_issues(zh, en, 0)]

    assert found("%s 发布了 {0} 篇文章", "%s published {0} articles") == []
    assert found("%s 发布了 {0} 篇文章", "He published {0} articles") == [
        ("placeholder-mismatch", "error", "placeholder %s missing from the draft")
    ]
    assert found("{0} 篇文章", "{0} articles, {0} in all") == [
        ("placeholder-mismatch", "error", "placeholder {0} repeated in the draft")
    ]
    assert found("%1$s 给了 %2$s", "%2$s was given by %1$s") == [
        (
            "tag-order",
            "info",
            "the draft has the source's placeholders in another order: %2$s %1$s "
            "(source: %1$s %2$s)",
        )
    ]


def test_tag_issue_highlights_the_placeholder():
    (issue,) = tag_issues("共 {0} 篇", "In all {0} {1}", 3)
    assert issue.pair_index == 3
    assert issue.spans == {"source": [], "target": [(11, 14)]}


def tmx(zh: str, en: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="t" '
        'creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en-US" srclang="zh-CN" '
        'datatype="plaintext"/><body>\n'
        f'<tu><tuv xml:lang="zh-CN"><seg>{zh}</seg></tuv>'
        f'<tuv xml:lang="en-US"><seg>{en}</seg></tuv></tu>\n</body></tmx>\n'
    )


def test_tmx_inline_codes_are_compared(run_zhen, tmp_path):
    (tmp_path / "terms.tsv").write_text(GLOSSARY, encoding="utf-8")
    bold = '<bpt i="1">&lt;b&gt;</bpt>{}<ept i="1">&lt;/b&gt;</ept>'
    zh = bold.format("坚持和平发展") + '<ph x="2">&lt;br/&gt;</ph><hi type="x">。</hi>'
    good = bold.format("Keep to peaceful development") + '<ph x="2">&lt;br/&gt;</ph><hi>.</hi>'
    bad = bold.format("Keep to peaceful development") + "."

    def issues(en: str) -> list[tuple[str, str, str]]:
        (tmp_path / "job.tmx").write_text(tmx(zh, en), encoding="utf-8")
        result = run_zhen("check", "job.tmx", "--glossary", "terms.tsv", "--json")
        data = json.loads(result.stdout)
        return [(i["kind"], i["severity"], i["message"]) for i in data["issues"]]

    assert issues(good) == []
    assert issues(bad) == [("tag-mismatch", "error", "tags ph#2, hi missing from the draft")]


def test_placeholder_digits_are_not_numbers():
    # The 0 of {0} and the 1 of %1$d were "not in the draft" beside the placeholder error.
    dropped = check_segments([Segment("共有{0}个文件，第%1$d页。", "There are files on page.")], [])
    assert [(i.kind, i.severity) for i in dropped.issues] == [("placeholder-mismatch", "error")]
    changed = check_segments([Segment("第%1$d页有5个文件。", "Page %1$d has 6 files.")], [])
    assert [(i.kind, i.term, i.found) for i in changed.issues] == [("number-mismatch", "5", "6")]
    assert changed.issues[0].source == "第%1$d页有5个文件。"


def test_xliff_2_inline_tags(run_zhen, tmp_path):
    (tmp_path / "terms.tsv").write_text(GLOSSARY, encoding="utf-8")
    unit = (
        '<unit id="u1"><segment><source>坚持<pc id="1">和平发展</pc><ph id="2"/>。</source>'
        "<target>Keep to {}.</target></segment></unit>"
    )
    for target, expected in (
        ('<pc id="1">peaceful development</pc><ph id="2"/>', []),
        ('<pc id="1">peaceful development</pc>', [("tag-mismatch", "error")]),
    ):
        (tmp_path / "job.xlf").write_text(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="zh-CN" '
            f'trgLang="en"><file id="f1">{unit.format(target)}</file></xliff>\n',
            encoding="utf-8",
        )
        result = run_zhen("check", "job.xlf", "--glossary", "terms.tsv", "--json")
        issues = json.loads(result.stdout)["issues"]
        assert [(i["kind"], i["severity"]) for i in issues] == expected

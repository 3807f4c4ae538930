"""`zhen tm import` of XLIFF 2.x and CSV translation memories, good files and hostile ones."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

XLIFF_2 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:{ns}" {version} srcLang="{src}" trgLang="{trg}">
 <file id="f1">
  <group id="g1">
   <unit id="1"><notes><note>headline</note></notes>
    <segment state="final"><source>中国人民</source><target>the Chinese people</target></segment>
   </unit>
  </group>
  <unit id="2">
   <segment><source>合作<ph id="1"/>共赢</source>
    <target>win-win <pc id="2">cooperation</pc></target></segment>
   <ignorable><source> </source></ignorable>
   <segment state="reviewed"><source>第二句。</source><target>Second sentence.</target></segment>
  </unit>
 </file>
 <file id="f2">
  <unit id="3"><segment state="translated"><source>一带一路</source>
   <target>Belt and Road</target></segment></unit>
  <unit id="4"><segment state="initial"><source>草稿</source><target>draft</target></segment></unit>
  <unit id="5"><segment><source>未译</source></segment></unit>
 </file>
</xliff>
"""
EXPECTED = [
    ("中国人民", "the Chinese people", "headline"),
    ("合作共赢", "win-win cooperation", None),
    ("第二句。", "Second sentence.", None),
    ("一带一路", "Belt and Road", None),
]


@pytest.fixture
def empty_db(tmp_path: Path, run_zhen) -> Path:
    path = tmp_path / "tm.db"
    assert run_zhen("db", "init", path, "--empty").code == 0
    return path


def _units(db: Path) -> list[tuple]:
    with closing(sqlite3.connect(db)) as conn:
        return [
            tuple(row)
            for row in conn.execute("SELECT zh, en, note, zh_lang, en_lang FROM units ORDER BY id")
        ]


def _import(run_zhen, db: Path, path: Path) -> dict:
    result = run_zhen("tm", "import", path, "--db", db, "--json")
    assert result.code == 0, result.stderr
    return json.loads(result.stdout)


# --------------------------------------------------------------------------- XLIFF 2


@pytest.mark.parametrize(
    ("ns", "version"),
    [("2.0", 'version="2.0"'), ("2.1", ""), ("2.2", 'version="2.2"'), ("2.0", "")],
    ids=["2.0", "2.1-namespace-only", "2.2", "2.0-namespace-only"],
)
def test_xliff_2_imports_every_confirmed_segment(
    tmp_path: Path, empty_db: Path, run_zhen, ns: str, version: str
) -> None:
    path = tmp_path / "job.xlf"
    path.write_text(XLIFF_2.format(ns=ns, version=version, src="zh-CN", trg="en-US"))
    summary = _import(run_zhen, empty_db, path)
    assert summary["files"][0]["format"] == "xliff2"
    assert (summary["read"], summary["skipped"]) == (4, 2)
    assert [unit[:3] for unit in _units(empty_db)] == EXPECTED
    assert {unit[3:] for unit in _units(empty_db)} == {("zh-CN", "en-US")}


def test_xliff_2_with_a_prefixed_namespace_and_english_source(
    tmp_path: Path, empty_db: Path, run_zhen
) -> None:
    text = (
        '<?xml version="1.0"?>\n<x:xliff xmlns:x="urn:oasis:names:tc:xliff:document:2.0" '
        'version="2.0" srcLang="en-GB" trgLang="zh-TW"><x:file id="f"><x:unit id="u">'
        "<x:segment><x:source>Hello, world</x:source><x:target>你好，世界</x:target></x:segment>"
        "</x:unit></x:file></x:xliff>\n"
    )
    path = tmp_path / "job.xliff"
    path.write_text(text)
    _import(run_zhen, empty_db, path)
    assert _units(empty_db) == [("你好，世界", "Hello, world", None, "zh-TW", "en-GB")]


def test_xliff_2_without_a_suffix_is_told_by_its_content(
    tmp_path: Path, empty_db: Path, run_zhen
) -> None:
    path = tmp_path / "job"
    path.write_text(XLIFF_2.format(ns="2.0", version='version="2.0"', src="zh", trg="en"))
    assert _import(run_zhen, empty_db, path)["files"][0]["format"] == "xliff2"


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE xliff [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE xliff [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>',
        '<!DOCTYPE xliff PUBLIC "-//X//EN" "http://127.0.0.1:9/x.dtd">',
    ],
    ids=["xxe", "expansion", "external-dtd-undefined-entity"],
)
def test_xliff_2_with_entities_is_one_error_line_and_imports_nothing(
    tmp_path: Path, empty_db: Path, run_zhen, doctype: str
) -> None:
    text = XLIFF_2.format(ns="2.0", version='version="2.0"', src="zh-CN", trg="en-US")
    text = text.replace("\n<xliff", f"\n{doctype}\n<xliff", 1)
    text = text.replace("the Chinese people", "the Chinese &xxe;&b;&undefined;")
    path = tmp_path / "attack.xlf"
    path.write_text(text)
    result = run_zhen("tm", "import", path, "--db", empty_db)
    assert result.code == 2
    assert result.stderr.startswith("zhen: error: ") and len(result.stderr.splitlines()) == 1
    assert "root:" not in result.stderr and "Traceback" not in result.stderr
    assert _units(empty_db) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (XLIFF_2.format(ns="2.0", version='version="2.0"', src="zh", trg="en")[:-20], "malformed"),
        (XLIFF_2.format(ns="2.0", version='version="2.0"', src="ja-JP", trg="en"), "ja-JP"),
        (XLIFF_2.format(ns="2.0", version='version="2.0"', src="zh", trg="zh-TW"), "zh"),
        (
            XLIFF_2.format(ns="2.0", version="", src="zh", trg="en").replace("中国人", "\x1b[2J中"),
            "malformed",
        ),
    ],
    ids=["truncated", "japanese", "same-language", "escape-in-xml"],
)
def test_bad_xliff_2_is_refused_in_one_line(
    tmp_path: Path, empty_db: Path, run_zhen, text: str, message: str
) -> None:
    path = tmp_path / "bad.xlf"
    path.write_text(text)
    result = run_zhen("tm", "import", path, "--db", empty_db)
    assert result.code == 2, result.stdout
    assert len(result.stderr.splitlines()) == 1 and message in result.stderr
    assert "\x1b" not in result.stderr
    assert _units(empty_db) == []


def test_xliff_2_drops_c1_controls_and_says_so(tmp_path: Path, empty_db: Path, run_zhen) -> None:
    text = XLIFF_2.format(ns="2.0", version='version="2.0"', src="zh-CN", trg="en-US")
    path = tmp_path / "controls.xlf"
    path.write_text(text.replace("Chinese", "Chin\x9bese\x7f"))
    summary = _import(run_zhen, empty_db, path)
    assert summary["files"][0]["controls_removed"] == 2
    assert _units(empty_db)[0][1] == "the Chinese people"


# --------------------------------------------------------------------------- CSV


def test_csv_with_a_header_quotes_and_a_bom(tmp_path: Path, empty_db: Path, run_zhen) -> None:
    path = tmp_path / "memory.csv"
    path.write_bytes(
        (
            "zh,en\r\n"
            "中国人民,the Chinese people\r\n"
            '"合作,共赢","win-win, ""mutual"" cooperation"\r\n'
            '"两行\n文本","two-line\ntext"\r\n'
            ",empty Chinese side\r\n"
        ).encode("utf-8-sig")
    )
    summary = _import(run_zhen, empty_db, path)
    assert summary["files"][0]["format"] == "csv"
    assert (summary["read"], summary["skipped"]) == (3, 1)
    assert [unit[:2] for unit in _units(empty_db)] == [
        ("中国人民", "the Chinese people"),
        ("合作,共赢", 'win-win, "mutual" cooperation'),
        ("两行\n文本", "two-line\ntext"),
    ]


def test_csv_with_language_codes_in_any_order_and_more_columns(
    tmp_path: Path, empty_db: Path, run_zhen
) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "id,en-GB,zh-TW,Note\n1,the Chinese people,中國人民,from a client\n",
        encoding="utf-8",
    )
    _import(run_zhen, empty_db, path)
    assert _units(empty_db) == [
        ("中國人民", "the Chinese people", "from a client", "zh-TW", "en-GB")
    ]


def test_csv_in_utf16_with_semicolons(tmp_path: Path, empty_db: Path, run_zhen) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes("zh-CN;en-US\n中国人民;the Chinese people\n".encode("utf-16"))
    _import(run_zhen, empty_db, path)
    assert [unit[:2] for unit in _units(empty_db)] == [("中国人民", "the Chinese people")]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('zh,en\n"中国人民,the Chinese people\n', "bad.csv:2"),
        ("zh,en\n中国人民\n", "bad.csv:2"),
        ("ja,en\n日本,Japan\n", "ja"),
        ("zh,en\nhello,world\n", "Chinese"),
        ("zh,en\n中国\x00人民,people\n", "NUL"),
        ("", "empty"),
    ],
    ids=["open-quote", "one-cell", "japanese-header", "english-both-sides", "nul", "empty"],
)
def test_bad_csv_is_refused_in_one_line(
    tmp_path: Path, empty_db: Path, run_zhen, text: str, message: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    result = run_zhen("tm", "import", path, "--db", empty_db)
    assert result.code == 2, result.stdout
    assert len(result.stderr.splitlines()) == 1 and message in result.stderr, result.stderr
    assert "expected zh<TAB>en" not in result.stderr
    assert _units(empty_db) == []


def test_csv_cells_lose_controls_and_keep_formulas_as_text(
    tmp_path: Path, empty_db: Path, run_zhen
) -> None:
    path = tmp_path / "cells.csv"
    path.write_text('zh,en\n中国\x1b[31m人民,"=HYPERLINK(""x"")"\n', encoding="utf-8")
    summary = _import(run_zhen, empty_db, path)
    assert summary["files"][0]["controls_removed"] == 1
    assert [unit[:2] for unit in _units(empty_db)] == [("中国[31m人民", '=HYPERLINK("x")')]


def test_csv_cells_a_spreadsheet_safe_export_neutralised_read_back_as_their_text(
    tmp_path: Path, empty_db: Path, run_zhen
) -> None:
    path = tmp_path / "exported.csv"
    path.write_text("zh,en\n'=增长5%,'-5% growth\n", encoding="utf-8")
    _import(run_zhen, empty_db, path)
    assert [unit[:2] for unit in _units(empty_db)] == [("=增长5%", "-5% growth")]

"""Every `zhen check` issue says where its segment is: unit id, tuid, PO entry line, file lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_check_cli import EN_1, EN_2_BAD, GLOSSARY, ZH_1, ZH_2, po, write
from zhen.checker.location import LineFinder, Location

XLIFF = f"""<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
 <file original="report.docx" source-language="zh-CN" target-language="en-US" datatype="plaintext">
  <body>
   <trans-unit id="seg-a16"><source>{ZH_1}</source><target>{EN_1}</target></trans-unit>
   <trans-unit id="seg-a17">
    <source>{ZH_2}</source>
    <target>{EN_2_BAD}</target>
   </trans-unit>
  </body>
 </file>
</xliff>
"""

TMX_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="t" '
    'creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en-US" srclang="zh-CN" '
    'datatype="plaintext"/><body>\n'
)


@pytest.fixture
def glossary(tmp_path: Path) -> Path:
    """test_check_cli's glossary: the bad pair has a forbidden term and a wrong number."""
    return write(tmp_path, "terms.tsv", GLOSSARY)


def tu(zh: str, en: str, tuid: str | None = None) -> str:
    attribute = f' tuid="{tuid}"' if tuid else ""
    return (
        f'<tu{attribute}><tuv xml:lang="zh-CN"><seg>{zh}</seg></tuv>'
        f'<tuv xml:lang="en-US"><seg>{en}</seg></tuv></tu>\n'
    )


def check_json(run_zhen, glossary_path: Path, *files: Path) -> list[dict]:
    result = run_zhen("check", *files, "--glossary", glossary_path, "--json")
    assert result.code == 1, result.stderr
    issues = json.loads(result.stdout)["issues"]
    assert issues
    return issues


def test_xliff_issues_carry_the_trans_unit_id(run_zhen, tmp_path, glossary):
    path = write(tmp_path, "job.xlf", XLIFF)
    for issue in check_json(run_zhen, glossary, path):
        assert issue["location"] == {
            "file": "job.xlf",
            "unit_id": "seg-a17",
            "original": "report.docx",
            "unit": 2,
            "source_lines": [7, 7],
            "target_file": None,
            "target_lines": [8, 8],
        }
    text = run_zhen("check", path, "--glossary", glossary).stdout
    assert "seg-a17 (job.xlf, report.docx)\n  zh: " in text
    assert "#2" not in text


def test_tmx_issues_carry_the_tuid_or_the_unit_number(run_zhen, tmp_path, glossary):
    with_ids = write(
        tmp_path,
        "mem.tmx",
        TMX_HEAD + tu(ZH_1, EN_1, "t-1") + tu(ZH_2, EN_2_BAD, "t-42") + "</body></tmx>\n",
    )
    for issue in check_json(run_zhen, glossary, with_ids):
        assert (issue["location"]["unit_id"], issue["location"]["unit"]) == ("t-42", 2)
    assert "tuid t-42 (mem.tmx)\n" in run_zhen("check", with_ids, "--glossary", glossary).stdout
    without = write(
        tmp_path, "bare.tmx", TMX_HEAD + tu(ZH_1, EN_1) + tu(ZH_2, EN_2_BAD) + "</body></tmx>\n"
    )
    for issue in check_json(run_zhen, glossary, without):
        assert (issue["location"]["unit_id"], issue["location"]["unit"]) == (None, 2)
    assert "unit 2 (bare.tmx)\n" in run_zhen("check", without, "--glossary", glossary).stdout


def test_po_issues_carry_the_entry_line(run_zhen, tmp_path, glossary):
    # Header on lines 1-3, blank line 4, entry 1 on lines 5-6, blank 7, entry 2 from line 8.
    path = write(tmp_path, "job.po", po([(ZH_1, EN_1), (ZH_2, EN_2_BAD)]))
    assert path.read_text(encoding="utf-8").split("\n")[7].startswith(f'msgid "{ZH_2}')
    for issue in check_json(run_zhen, glossary, path):
        assert issue["location"]["source_lines"] == [8, 8]
        assert issue["location"]["unit"] == 2
    assert "job.po:8\n" in run_zhen("check", path, "--glossary", glossary).stdout


def test_tsv_issues_carry_the_line_counting_header_and_blank_lines(run_zhen, tmp_path, glossary):
    path = write(tmp_path, "job.tsv", f"zh\ten\n{ZH_1}\t{EN_1}\n\n{ZH_2}\t{EN_2_BAD}\n")
    for issue in check_json(run_zhen, glossary, path):
        assert issue["location"]["source_lines"] == [4, 4]
        assert issue["location"]["target_lines"] == [4, 4]
    assert "job.tsv:4\n" in run_zhen("check", path, "--glossary", glossary).stdout


def test_plain_texts_carry_the_line_on_each_side(run_zhen, tmp_path, glossary):
    # The draft has a title line and the bad sentence wrapped over two lines.
    source = write(tmp_path, "zh.txt", f"{ZH_1}\n\n\n{ZH_2}\n", encoding="gb18030")
    first, rest = EN_2_BAD.split(" their ")
    draft = write(tmp_path, "en.txt", f"{EN_1}\n\n{first}\ntheir {rest}\n")
    for issue in check_json(run_zhen, glossary, source, draft):
        location = issue["location"]
        assert (location["file"], location["source_lines"]) == ("zh.txt", [4, 4])
        assert (location["target_file"], location["target_lines"]) == ("en.txt", [3, 4])
    assert (
        "zh.txt:4 / en.txt:3-4\n" in run_zhen("check", source, draft, "--glossary", glossary).stdout
    )


def test_a_mixed_text_gives_both_lines_in_one_file(run_zhen, tmp_path, glossary):
    path = write(tmp_path, "article.txt", f"{ZH_1}\n\n{ZH_2}\n\n{EN_1}\n\n{EN_2_BAD}\n")
    for issue in check_json(run_zhen, glossary, path):
        location = issue["location"]
        assert (location["source_lines"], location["target_lines"]) == ([3, 3], [7, 7])
        assert location["target_file"] is None
    assert (
        "article.txt:3 / article.txt:7\n" in run_zhen("check", path, "--glossary", glossary).stdout
    )


@pytest.mark.parametrize(
    "location, label",
    [
        (Location("a.xlf", unit_id="seg-a17"), "seg-a17 (a.xlf)"),
        (Location("m.tmx", unit_id="7", unit=3), "tuid 7 (m.tmx)"),
        (Location("m.tmx", unit=3), "unit 3 (m.tmx)"),
        (Location("a.po", unit=2, source_lines=(8, 8), target_lines=(8, 8)), "a.po:8"),
        (Location("zh.txt", source_lines=(2, 3), target_file="en.txt"), "zh.txt:2-3"),
        (Location("zh.txt", target_lines=(5, 5), target_file="en.txt"), "en.txt:5"),
        (Location("zh.txt", target_file="en.txt"), "zh.txt"),
        (Location(), ""),
    ],
)
def test_labels(location, label):
    assert location.label() == label


def test_line_finder_ignores_whitespace_and_finds_out_of_order_sentences():
    finder = LineFinder("标题\n\n第一句话很长，\n  跨了两行。\n图片说明。\n")
    assert finder.lines("第一句话很长，跨了两行。") == (3, 4)
    assert finder.lines("标题") == (1, 1)  # before the cursor: found from the start
    assert finder.lines("不在文中的句子") is None
    assert finder.lines("   ") is None


def test_line_finder_time_is_bounded_when_sentences_are_not_found():
    text = "\n".join(f"第{i}行的句子。" for i in range(2000))
    finder = LineFinder(text)
    assert finder.lines("第1999行的句子。") == (2000, 2000)
    for i in range(5000):
        finder.lines(f"文中没有的第{i}句话")
    assert finder.scanned <= LineFinder.SCAN_BUDGET * len(text) + 100_000
    assert finder.lines("第5行的句子。") is None  # the budget is spent: no line rather than slow

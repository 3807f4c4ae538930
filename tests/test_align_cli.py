"""`zhen align` through the CLI: mixed and two-file input, output formats, errors, TMX validity."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from tests.support import REPO_ROOT
from zhen.aligner import read_align_links
from zhen.io.textfile import read_text

DTD_PATH = REPO_ROOT / "tests" / "data" / "tmx14.dtd"
GOLD = REPO_ROOT / "tests" / "gold"


def _parse_tmx(path: Path) -> etree._ElementTree:
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    return etree.parse(str(path), parser)


def _assert_valid_tmx(path: Path) -> etree._ElementTree:
    tree = _parse_tmx(path)
    dtd = etree.DTD(str(DTD_PATH))
    assert dtd.validate(tree), dtd.error_log.filter_from_errors()
    return tree


def _write_halves(seed: Path, folder: Path) -> tuple[Path, Path]:
    """Split seed 004 by hand into a Chinese file and an English file (page lines kept)."""
    lines = read_text(seed).split("\n")
    zh = folder / "004.zh.txt"
    en = folder / "004.en.txt"
    zh.write_text("\n".join(lines[1:7]) + "\n", encoding="utf-8")
    en.write_text("\n".join(lines[7:]) + "\n", encoding="utf-8")
    return zh, en


def test_mixed_file_to_tmx_is_valid_and_complete(run_zhen, seed_path, tmp_path):
    out = tmp_path / "004.tmx"
    result = run_zhen("align", seed_path("004"), "-o", out)
    assert result.code == 0, result.stderr
    tree = _assert_valid_tmx(out)
    header = tree.find("header")
    assert header.get("creationtool") == "zhen"
    assert header.get("segtype") == "sentence"
    assert header.get("srclang") == "zh-CN"
    units = tree.findall("body/tu")
    assert len(units) >= 10
    first = units[0]
    assert first.find("tuv[@{http://www.w3.org/XML/1998/namespace}lang='zh-CN']/seg").text == (
        "习近平同越共中央总书记苏林通电话"
    )
    props = {prop.get("type"): prop.text for prop in first.findall("prop")}
    assert props["x-document"] == "004_eb715c92c15eb68e"
    assert 0.0 <= float(props["x-align-score"]) <= 1.0
    body_text = etree.tostring(tree, encoding="unicode")
    assert "rooted in Chinese culture" not in body_text  # the stray paragraph
    assert "丁素云" not in body_text  # the editor glued to the dateline
    assert "pairs" in result.stderr
    assert "unaligned zh" in result.stderr
    assert "dropped stray paragraph: We will stay firmly rooted" in result.stderr


def test_two_files_to_tsv(run_zhen, seed_path, tmp_path):
    zh, en = _write_halves(seed_path("004"), tmp_path)
    out = tmp_path / "004.tsv"
    result = run_zhen("align", zh, en, "-o", out)
    assert result.code == 0, result.stderr
    rows = [line.split("\t") for line in out.read_text(encoding="utf-8").splitlines()]
    assert all(len(row) == 3 for row in rows)
    assert all(0.0 <= float(score) <= 1.0 for _, _, score in rows)
    zh_text = "".join(row[0] for row in rows)
    en_text = " ".join(row[1] for row in rows)
    assert "新华社北京1月26日电" in zh_text
    assert "BEIJING, Jan. 26 (Xinhua)" in en_text
    assert "Spring Festival" in en_text


def test_align_links_cover_every_sentence(run_zhen, seed_path, tmp_path):
    out = tmp_path / "004.align"
    result = run_zhen("align", seed_path("004"), "-o", out)
    assert result.code == 0, result.stderr
    links = read_align_links(out.read_text(encoding="utf-8"))
    zh_count = len((GOLD / "004.zh").read_text(encoding="utf-8").splitlines())
    en_count = len((GOLD / "004.en").read_text(encoding="utf-8").splitlines())
    assert [i for zh, _ in links for i in zh] == list(range(zh_count))
    assert [j for _, en in links for j in en] == list(range(en_count))


def test_presegmented_gold_sentences(run_zhen, tmp_path):
    out = tmp_path / "gold.align"
    result = run_zhen("align", GOLD / "004.zh", GOLD / "004.en", "--presegmented", "-o", out)
    assert result.code == 0, result.stderr
    links = read_align_links(out.read_text(encoding="utf-8"))
    assert sum(len(zh) for zh, _ in links) == 13
    assert sum(len(en) for _, en in links) == 16
    gold = read_align_links((GOLD / "004.align").read_text(encoding="utf-8"))
    # The title and dateline pairs are unambiguous: any aligner must get them.
    assert links[0] == gold[0] == ((0,), (0,))
    assert links[1] == gold[1] == ((1,), (1,))


def test_presegmented_lines_are_not_resegmented(run_zhen, tmp_path):
    zh = tmp_path / "zh.txt"
    en = tmp_path / "en.txt"
    # Two English sentences on one line stay one "sentence" in presegmented mode.
    zh.write_text(
        "中越应当坚持道不变、志不改。\n\n习近平和苏林并互致新春问候。\n", encoding="utf-8"
    )
    en.write_text(
        "China and Vietnam should keep to their paths. They should unite.\n\n"
        "Xi and To Lam also exchanged greetings for the coming Spring Festival.\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.tsv"
    result = run_zhen("align", zh, en, "--presegmented", "-o", out)
    assert result.code == 0, result.stderr
    rows = [line.split("\t") for line in out.read_text(encoding="utf-8").splitlines()]
    assert [row[:2] for row in rows] == [
        [
            "中越应当坚持道不变、志不改。",
            "China and Vietnam should keep to their paths. They should unite.",
        ],
        [
            "习近平和苏林并互致新春问候。",
            "Xi and To Lam also exchanged greetings for the coming Spring Festival.",
        ],
    ]


def test_min_score_leaves_pairs_out_and_reports_them(run_zhen, seed_path, tmp_path):
    full = tmp_path / "all.tsv"
    strict = tmp_path / "strict.tsv"
    assert run_zhen("align", seed_path("004"), "-o", full).code == 0
    result = run_zhen("align", seed_path("004"), "--min-score", "1", "-o", strict)
    assert result.code == 0, result.stderr
    all_rows = full.read_text(encoding="utf-8").splitlines()
    kept = strict.read_text(encoding="utf-8").splitlines()
    assert len(kept) == sum(1 for row in all_rows if float(row.split("\t")[2]) >= 1.0)
    assert f"left out under --min-score 1.0: {len(all_rows) - len(kept)}" in result.stderr


def test_seed_001_without_english_fails_cleanly(run_zhen, seed_path, tmp_path):
    out = tmp_path / "001.tmx"
    result = run_zhen("align", seed_path("001"), "-o", out)
    assert result.code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("zhen: error: ")
    assert "no English text found" in lines[0]
    assert "second file" in lines[0]
    assert "Traceback" not in result.stderr
    assert not out.exists()
    assert list(tmp_path.glob("*.tmp")) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("missing.txt",), "no such file"),
        (("{seed}", "-o", "out.docx"), "unknown output format"),
        (("{seed}", "--min-score", "2"), "between 0 and 1"),
    ],
)
def test_bad_input_gives_one_line_and_exit_2(run_zhen, seed_path, tmp_path, args, message):
    seed = str(seed_path("004"))
    argv = [arg.replace("{seed}", seed) for arg in args]
    if "-o" not in argv:
        argv += ["-o", str(tmp_path / "out.tmx")]
    result = run_zhen("align", *argv)
    assert result.code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out.tmx").exists()


def test_gb18030_and_utf16_inputs_align_like_utf8(run_zhen, seed_path, tmp_path):
    text = read_text(seed_path("004"))
    outputs = []
    for encoding in ("utf-8", "gb18030", "utf-16"):
        source = tmp_path / f"004-{encoding}.txt"
        source.write_bytes(text.encode(encoding))
        out = tmp_path / f"{encoding}.tsv"
        result = run_zhen("align", source, "-o", out)
        assert result.code == 0, result.stderr
        outputs.append(out.read_text(encoding="utf-8"))
    assert outputs[0] == outputs[1] == outputs[2]


def test_presegmented_mixed_file(run_zhen, tmp_path):
    zh = (GOLD / "004.zh").read_text(encoding="utf-8")
    en = (GOLD / "004.en").read_text(encoding="utf-8")
    mixed = tmp_path / "mixed.txt"
    mixed.write_text(zh + "\n" + en, encoding="utf-8")
    out = tmp_path / "mixed.align"
    result = run_zhen("align", mixed, "--presegmented", "-o", out)
    assert result.code == 0, result.stderr
    links = read_align_links(out.read_text(encoding="utf-8"))
    assert [i for z, _ in links for i in z] == list(range(13))
    assert [j for _, e in links for j in e] == list(range(16))

"""TMX writer and reader: DTD validity, determinism, encodings, language codes, unsafe input."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from tests.support import REPO_ROOT, third_party
from zhen.errors import InputError, TmxError
from zhen.io import tmx
from zhen.models import TranslationUnit

DTD_PATH = REPO_ROOT / "tests" / "data" / "tmx14.dtd"

# Real pairs from the Xinhua seeds (004) and TICO-19.
XINHUA = [
    TranslationUnit(
        zh="习近平同越共中央总书记苏林通电话",
        en="Xi holds phone talks with Vietnam's To Lam",
        origin="004_eb715c92c15eb68e",
        position=0,
        score=0.8123,
        created_at="2025-04-16T00:30:00Z",
    ),
    TranslationUnit(
        zh="赓续“越中情谊深、同志加兄弟”的传统友谊",
        en='carry forward the traditional friendship of "comradeship plus brotherhood"',
        origin="004_eb715c92c15eb68e",
        position=1,
        score=0.64,
        note="checked by reviewer",
        props=[("x-client", "Xinhua")],
        tuid="u2",
    ),
]


def header(srclang: str = "zh-CN") -> str:
    return (
        f'<header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" '
        f'adminlang="en" srclang="{srclang}" datatype="plaintext"/>'
    )


def tmx_text(body: str, *, version: str = "1.4", prolog: str = "") -> str:
    return f'{prolog}<tmx version="{version}">{header()}<body>\n{body}\n</body></tmx>\n'


def tu(zh: str, en: str, zh_lang: str = "zh-CN", en_lang: str = "en-US", attr: str = "") -> str:
    return (
        f'<tu{attr}><tuv xml:lang="{zh_lang}"><seg>{zh}</seg></tuv>'
        f'<tuv xml:lang="{en_lang}"><seg>{en}</seg></tuv></tu>'
    )


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


# --- writer --------------------------------------------------------------------------------


def test_written_tmx_is_valid_against_the_dtd(tmp_path: Path) -> None:
    out = tmp_path / "out.tmx"
    assert tmx.write_tmx(out, XINHUA, creation_date="2025-04-16") == 2
    dtd = etree.DTD(str(DTD_PATH))
    assert dtd.validate(etree.parse(str(out))), dtd.error_log


def test_header_carries_the_required_attributes(tmp_path: Path) -> None:
    out = tmp_path / "out.tmx"
    tmx.write_tmx(out, XINHUA, creation_date="2025-04-16")
    head = etree.parse(str(out)).find("header")
    assert head.get("creationtool") == "zhen"
    assert head.get("segtype") == "sentence"
    assert head.get("o-tmf") == "zhen"
    assert head.get("adminlang") == "en-US"
    assert head.get("datatype") == "plaintext"
    assert head.get("srclang") == "zh-CN"
    assert head.get("creationdate") == "20250416T000000Z"
    first = etree.parse(str(out)).find("body/tu")
    props = {p.get("type"): p.text for p in first.findall("prop")}
    assert props == {
        "x-document": "004_eb715c92c15eb68e",
        "x-align-score": "0.8123",
        "x-position": "0",
    }
    assert [v.get(tmx.XML_LANG) for v in first.findall("tuv")] == ["zh-CN", "en-US"]


def test_output_is_deterministic_and_has_no_clock_time(tmp_path: Path) -> None:
    first, second = tmp_path / "a.tmx", tmp_path / "b.tmx"
    tmx.write_tmx(first, XINHUA)
    tmx.write_tmx(second, XINHUA)
    assert first.read_bytes() == second.read_bytes()
    assert b"creationdate" not in first.read_bytes().split(b"<body>")[0]


def test_control_characters_never_reach_the_file(tmp_path: Path) -> None:
    out = tmp_path / "out.tmx"
    tmx.write_tmx(out, [TranslationUnit(zh="中\x0b国\x00", en="Chi\x1fna\ufffe")])
    (unit,) = tmx.iter_units(out)
    assert (unit.zh, unit.en) == ("中国", "China")


def test_write_is_atomic_on_failure(tmp_path: Path) -> None:
    out = tmp_path / "out.tmx"
    out.write_text("previous content", encoding="utf-8")

    def units():
        yield XINHUA[0]
        raise RuntimeError("source failed mid-way")

    with pytest.raises(RuntimeError):
        tmx.write_tmx(out, units())
    assert out.read_text(encoding="utf-8") == "previous content"
    assert [p.name for p in tmp_path.iterdir()] == ["out.tmx"]


def test_write_then_read_keeps_every_field(tmp_path: Path) -> None:
    out = tmp_path / "out.tmx"
    tmx.write_tmx(out, XINHUA)
    assert list(tmx.iter_units(out)) == XINHUA


# --- reader: real data, encodings, languages, inline markup ---------------------------------


def test_reads_the_tico19_tmx_in_full() -> None:
    path = third_party("data", "tico19", "all.en-zh.tmx")
    stats = tmx.ReadStats()
    units = list(tmx.iter_units(path, stats=stats))
    assert len(units) == 3071 and stats.skipped == 0
    assert units[0].zh == "这些症状已持续多长时间？"
    assert units[0].en == "about how long have these symptoms been going on?"
    assert units[0].tuid == "CMU_1:1"
    assert units[0].props[0][0] == "note"  # TICO's <prop type="note"> is kept
    assert stats.bytes_read == path.stat().st_size


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "gb18030"])
def test_reads_the_declared_encoding(tmp_path: Path, encoding: str) -> None:
    declared = {"utf-8-sig": "UTF-8"}.get(encoding, encoding.upper())
    text = f'<?xml version="1.0" encoding="{declared}"?>\n' + tmx_text(
        tu("同志加兄弟", "comrades and brothers") + tu("國家主席", "President", "zh-TW")
    )
    path = write(tmp_path / "enc.tmx", text, encoding)
    units = list(tmx.iter_units(path))
    assert [(u.zh, u.en) for u in units] == [
        ("同志加兄弟", "comrades and brothers"),
        ("國家主席", "President"),
    ]


@pytest.mark.parametrize(
    ("code", "canonical", "traditional"),
    [
        ("zh", "zh", False),
        ("zh-CN", "zh-CN", False),
        ("zh-Hans", "zh-Hans", False),
        ("zh-Hans-CN", "zh-Hans-CN", False),
        ("ZH-CN", "zh-CN", False),
        ("zh_CN", "zh-CN", False),
        ("zh-cn", "zh-CN", False),
        ("zh-TW", "zh-TW", True),
        ("zh-Hant", "zh-Hant", True),
        ("zh-hant-tw", "zh-Hant-TW", True),
        ("zh-HK", "zh-HK", True),
    ],
)
def test_chinese_language_codes(tmp_path: Path, code: str, canonical: str, traditional: bool):
    path = write(tmp_path / "l.tmx", tmx_text(tu("中国", "China", zh_lang=code)))
    (unit,) = tmx.iter_units(path)
    assert unit.zh_lang == canonical
    assert tmx.is_traditional(unit.zh_lang) is traditional


@pytest.mark.parametrize(
    ("code", "canonical"),
    [("en", "en"), ("en-US", "en-US"), ("EN-GB", "en-GB"), ("en_au", "en-AU")],
)
def test_english_language_codes(tmp_path: Path, code: str, canonical: str) -> None:
    path = write(tmp_path / "l.tmx", tmx_text(tu("中国", "China", en_lang=code)))
    (unit,) = tmx.iter_units(path)
    assert unit.en_lang == canonical


def test_tmx_1_1_lang_attribute_and_doctype_without_network(tmp_path: Path) -> None:
    body = (
        '<tu creationdate="20010203T040506Z" creationid="ann" changeid="bob">'
        '<tuv lang="ZH-CN"><seg>中国</seg></tuv><tuv lang="EN-US"><seg>China</seg></tuv></tu>'
    )
    prolog = '<?xml version="1.0"?>\n<!DOCTYPE tmx SYSTEM "http://example.invalid/tmx11.dtd">\n'
    path = write(tmp_path / "old.tmx", tmx_text(body, version="1.1", prolog=prolog))
    (unit,) = tmx.iter_units(path)
    assert (unit.zh, unit.en, unit.zh_lang, unit.en_lang) == ("中国", "China", "zh-CN", "en-US")
    assert unit.created_at == "2001-02-03T04:05:06Z"
    assert (unit.created_by, unit.changed_by) == ("ann", "bob")


def test_inline_codes_are_dropped_and_highlighted_text_kept(tmp_path: Path) -> None:
    en = (
        'President <bpt i="1">&lt;b&gt;</bpt>Xi<ept i="1">&lt;/b&gt;</ept> '
        '<hi type="x">met</hi> <ph x="2">{0}</ph>To Lam<it pos="begin">&lt;i&gt;</it>'
        "<ut>&lt;br/&gt;</ut>."
    )
    path = write(tmp_path / "tags.tmx", tmx_text(tu("习近平会见<ph>&lt;br/&gt;</ph>苏林", en)))
    (unit,) = tmx.iter_units(path)
    assert unit.zh == "习近平会见苏林"
    assert unit.en == "President Xi met To Lam."


def test_simplified_variant_preferred_and_other_languages_ignored(tmp_path: Path) -> None:
    body = (
        '<tu><tuv xml:lang="fr"><seg>Chine</seg></tuv><tuv xml:lang="zh-TW"><seg>中國</seg></tuv>'
        '<tuv xml:lang="zh-CN"><seg>中国</seg></tuv><tuv xml:lang="en"><seg>China</seg></tuv></tu>'
    )
    (unit,) = tmx.iter_units(write(tmp_path / "m.tmx", tmx_text(body)))
    assert (unit.zh, unit.zh_lang) == ("中国", "zh-CN")


def test_units_lacking_a_side_are_skipped_and_counted(tmp_path: Path) -> None:
    body = tu("中国", "China") + '<tu><tuv xml:lang="zh"><seg>只有中文</seg></tuv></tu>'
    stats = tmx.ReadStats()
    units = list(tmx.iter_units(write(tmp_path / "s.tmx", tmx_text(body)), stats=stats))
    assert len(units) == 1 and stats.skipped == 1


# The peak memory of a fresh process is the measure, not that of this long-lived one.
@pytest.mark.subprocess
def test_reading_runs_in_constant_memory(tmp_path: Path) -> None:
    """Peak RSS reading 60k units stays far below what an uncleared tree of them needs."""
    big = tmp_path / "big.tmx"
    tmx.write_tmx(
        big,
        (
            TranslationUnit(zh=f"第{i}条新闻稿", en=f"press release number {i}")
            for i in range(60000)
        ),
    )
    script = (
        "import resource, sys\n"
        "from zhen.io import tmx\n"
        "start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "count = sum(1 for _ in tmx.iter_units(sys.argv[1]))\n"
        "grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - start\n"
        "print(count, grown)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(big)], capture_output=True, text=True, check=True
    )
    count, grown_kib = map(int, done.stdout.split())
    assert count == 60000
    # A whole lxml tree of this file takes ~60 MB; a streaming reader needs a few.
    assert grown_kib < 20_000, f"RSS grew by {grown_kib} KiB"


# --- reader: bad and hostile input ---------------------------------------------------------

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE tmx [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
"""


def test_billion_laughs_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "bomb.tmx", BILLION_LAUGHS + tmx_text(tu("&lol9;", "&lol9;")))
    with pytest.raises(TmxError, match="entit"):
        list(tmx.iter_units(path))


def test_billion_laughs_in_the_root_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "bomb.tmx", BILLION_LAUGHS + '<tmx version="1.4">&lol9;</tmx>')
    with pytest.raises(TmxError, match="entit"):
        list(tmx.iter_units(path))


def test_external_entities_are_never_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    prolog = f'<?xml version="1.0"?>\n<!DOCTYPE tmx [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
    path = write(tmp_path / "xxe.tmx", tmx_text(tu("中&xxe;", "x"), prolog=prolog))
    with pytest.raises(TmxError, match="entit") as caught:
        list(tmx.iter_units(path))
    assert "TOP SECRET" not in str(caught.value)


def test_truncated_file_names_line_and_column(tmp_path: Path) -> None:
    text = tmx_text(tu("中国", "China") + "\n" + tu("美国", "United States"))
    path = write(tmp_path / "cut.tmx", text[: text.index("United")])
    with pytest.raises(TmxError, match=rf"^{path}:3:\d+: malformed XML"):
        list(tmx.iter_units(path))


@pytest.mark.parametrize("control", ["\x0b", "&#11;"])
def test_vertical_tab_is_refused_with_position(tmp_path: Path, control: str) -> None:
    path = write(
        tmp_path / "vt.tmx", tmx_text(tu("中国", "China") + "\n" + tu(f"美{control}国", "US"))
    )
    with pytest.raises(TmxError, match=rf"^{path}:3:\d+: .*(Char|xmlChar) value 11"):
        list(tmx.iter_units(path))


def test_gbk_bytes_declared_as_utf8_are_refused(tmp_path: Path) -> None:
    text = '<?xml version="1.0" encoding="UTF-8"?>\n' + tmx_text(tu("同志加兄弟", "comrades"))
    path = write(tmp_path / "gbk.tmx", text, "gbk")
    with pytest.raises(TmxError, match=r":3:\d+: .*encoding the file declares"):
        list(tmx.iter_units(path))


def test_empty_file_and_directory_are_refused(tmp_path: Path) -> None:
    empty = write(tmp_path / "empty.tmx", "")
    with pytest.raises(InputError, match="empty file"):
        list(tmx.iter_units(empty))
    with pytest.raises(InputError, match="is a directory"):
        list(tmx.iter_units(tmp_path))


def test_tmx_without_chinese_or_english_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "fr.tmx", tmx_text(tu("Chine", "China", zh_lang="fr", en_lang="de")))
    with pytest.raises(TmxError, match=r"no unit has both .*languages found: de, fr"):
        list(tmx.iter_units(path))


def test_other_xml_is_not_taken_for_tmx(tmp_path: Path) -> None:
    path = write(tmp_path / "x.tmx", '<?xml version="1.0"?>\n<xliff version="1.2"><file/></xliff>')
    with pytest.raises(TmxError, match=r":2: not a TMX file \(root element <xliff>\)"):
        list(tmx.iter_units(path))


def test_language_helpers() -> None:
    assert tmx.canonical_lang("zh_hans_cn") == "zh-Hans-CN"
    assert tmx.lang_side("ZH-TW") == "zh" and tmx.lang_side("eng") == "en"
    assert tmx.lang_side("fr-FR") is None
    assert tmx.is_traditional("zh-Hans-HK") is False
    assert tmx.to_tmx_date("2025-04-16") == "20250416T000000Z"
    assert tmx.from_tmx_date("20250416T003000Z") == "2025-04-16T00:30:00Z"

"""Hostile input on the way in: control characters dropped and counted, wrong languages refused,
NUL bytes refused, one XML policy for every reader; each case through the CLI, in process."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import pytest

from zhen import store
from zhen.cli import main
from zhen.errors import EncodingError
from zhen.io.textfile import read_text

XLIFF_12 = """<?xml version="1.0" encoding="UTF-8"?>{doctype}
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
 <file original="a.txt" source-language="{src}" target-language="{tgt}" datatype="plaintext">
  <body>
   <trans-unit id="1"><source>{a}</source><target state="translated">{b}</target></trans-unit>
  </body>
 </file>
</xliff>
"""
XLIFF_20 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="{src}" trgLang="{tgt}">
 <file id="f1">
  <unit id="1"><segment state="translated"><source>{a}</source><target>{b}</target></segment></unit>
 </file>
</xliff>
"""
PO = (
    'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset={charset}\\n"\n{language}\n'
    'msgid "{a}"\nmsgstr "{b}"\n'
)
TBX = """<?xml version="1.0" encoding="UTF-8"?>{doctype}
<martif type="TBX" xml:lang="zh-CN"><text><body>
<termEntry id="1"><langSet xml:lang="zh-CN"><tig><term>{zh}</term></tig></langSet>
<langSet xml:lang="en-US"><tig><term>{en}</term></tig></langSet>{note}</termEntry>
</body></text></martif>
"""
TMX = """<?xml version="1.0" encoding="UTF-8"?>{doctype}
<tmx version="1.4"><header srclang="zh-CN" datatype="plaintext" segtype="sentence"
 adminlang="en" creationtool="t" creationtoolversion="1" o-tmf="t"/><body>
<tu tuid="{tuid}"><note>{note}</note><tuv xml:lang="zh-CN"><seg>{zh}</seg></tuv>
<tuv xml:lang="en-US"><seg>{en}</seg></tuv></tu>
</body></tmx>
"""
EXTERNAL_DOCTYPE = '\n<!DOCTYPE {root} SYSTEM "http://example.invalid/{root}.dtd">'
# The example of the issue: OSC 52 writes the terminal's clipboard (as PO writes it: `\\` is `\`).
OSC_52_PO = "\x1b]52;c;ZXZpbA==\x1b\\\\"


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """An empty (unseeded) database, so that every count below is the test's own."""
    path = tmp_path / "zhen.db"
    store.open_database(path, create=True).close()
    return path


def zhen(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    """Run the CLI in process: (exit status, stdout, stderr)."""
    status = main([str(arg) for arg in args])
    out, err = capsys.readouterr()
    return status, out, err


def refused(capsys: pytest.CaptureFixture[str], message: str, *args: object) -> str:
    """Run the CLI and require one `zhen: error:` line holding `message`, exit status 2."""
    status, out, err = zhen(capsys, *args)
    assert status == 2, (out, err)
    assert err.startswith("zhen: error: ") and err.count("\n") == 1, err
    assert message in err
    return err


def rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return [tuple(row) for row in conn.execute(sql)]


def units(db: Path) -> list[tuple]:
    return rows(db, "SELECT zh, en, origin, note, tuid FROM units ORDER BY id")


# --- wrong content accepted ----------------------------------------------------------------------


@pytest.mark.parametrize("template", [XLIFF_12, XLIFF_20], ids=["xliff-1.2", "xliff-2.0"])
def test_xliff_in_other_languages_is_refused_by_import_and_check(capsys, tmp_path, db, template):
    path = write(
        tmp_path / "fr-de.xlf",
        template.format(doctype="", src="fr", tgt="de", a="Bonjour le monde", b="Hallo Welt"),
    )
    refused(capsys, "fr-de.xlf: declares source language 'fr'", "tm", "import", path, "--db", db)
    assert units(db) == []
    refused(capsys, "declares source language 'fr'", "check", path, "--db", db)


def test_xliff_2_in_chinese_and_english_imports(capsys, tmp_path, db):
    path = write(
        tmp_path / "job.xlf", XLIFF_20.format(src="zh-CN", tgt="en-US", a="你好世界", b="Hello")
    )
    status, out, _ = zhen(capsys, "tm", "import", path, "--db", db)
    assert status == 0 and "read 1, added 1" in out
    assert units(db) == [("你好世界", "Hello", "job.xlf", None, None)]


def test_po_declaring_german_is_refused(capsys, tmp_path, db):
    text = PO.format(charset="UTF-8", language='"Language: de\\n"\n', a="你好世界", b="Hallo Welt")
    path = write(tmp_path / "de.po", text)
    refused(capsys, "de.po: declares target language 'de'", "tm", "import", path, "--db", db)
    assert units(db) == []


def test_tsv_with_english_in_both_columns_is_refused(capsys, tmp_path, db):
    path = write(tmp_path / "en-en.tsv", "hello world\tgood morning\nthe cat\tthe dog\n")
    message = "the Chinese side holds Chinese characters in only 0 of 2 rows"
    refused(capsys, message, "tm", "import", path, "--db", db)
    assert units(db) == []


def test_tsv_with_chinese_in_a_minority_of_rows_is_refused_and_a_majority_imports(
    capsys, tmp_path, db
):
    mostly_english = write(tmp_path / "few.tsv", "中国\tChina\na\tb\nc\td\n")
    refused(capsys, "in only 1 of 3 rows", "tm", "import", mostly_english, "--db", db)
    mostly_chinese = write(tmp_path / "most.tsv", "中国\tChina\n美国\tUnited States\nOK\tOK\n")
    assert zhen(capsys, "tm", "import", mostly_chinese, "--db", db)[0] == 0
    assert len(units(db)) == 3


def test_po_with_a_nul_byte_is_refused_with_its_line(capsys, tmp_path, db):
    text = PO.format(charset="UTF-8", language="", a="你好世界", b="Hello\x00 world")
    path = write(tmp_path / "nul.po", text)
    refused(capsys, "nul.po:6: NUL character", "tm", "import", path, "--db", db)
    assert units(db) == []


def test_csv_with_an_unterminated_quote_is_an_error_with_its_line(capsys, tmp_path, db):
    path = write(tmp_path / "bad.csv", 'zh,en,note\n政府,"government,first\n经济,economy,second\n')
    message = "bad.csv:2: malformed CSV: a quoted field opened in this row is never closed"
    refused(capsys, message, "glossary", "import", path, "--db", db)
    assert rows(db, "SELECT zh FROM terms") == []


def test_english_text_with_one_nul_is_not_read_as_utf16(tmp_path):
    # Even length, and every pair of letters reads as a "plausible" CJK character in UTF-16.
    path = tmp_path / "en.txt"
    path.write_bytes(b"the quick brown fox jumps over the lazy dog\x00 and runs away \n")
    with pytest.raises(EncodingError, match=r"en\.txt:1: NUL byte at byte offset 43"):
        read_text(path)


def test_real_utf16_without_a_bom_is_still_read(tmp_path):
    path = tmp_path / "zh.txt"
    path.write_bytes("中国\nChina\n".encode("utf-16-le"))
    assert read_text(path) == "中国\nChina\n"


@pytest.mark.parametrize("langs", ['zh"><evil/>,en', "zh,fr", "de,en-US", "zh--CN,en"])
def test_tm_export_refuses_a_language_code_that_is_not_bcp47_zh_and_en(capsys, tmp_path, langs):
    out = tmp_path / "out.tmx"
    refused(capsys, "is not a", "tm", "export", out, "--lang", langs, "--db", tmp_path / "x.db")
    assert not out.exists()


def test_tm_export_writes_a_valid_code_in_canonical_case(capsys, tmp_path, db):
    write(tmp_path / "a.tsv", "中国\tChina\n")
    zhen(capsys, "tm", "import", tmp_path / "a.tsv", "--db", db)
    out = tmp_path / "out.tmx"
    assert zhen(capsys, "tm", "export", out, "--lang", "zh_hans_cn,en-GB", "--db", db)[0] == 0
    assert 'xml:lang="zh-Hans-CN"' in out.read_text("utf-8")


# --- tracebacks, and one XML policy ---------------------------------------------------------------


def _glossary_commands(tmp_path: Path, glossary: Path, db: Path) -> dict[str, list[object]]:
    zh = write(tmp_path / "zh.txt", "中国和越南是邻国。\n")
    en = write(tmp_path / "en.txt", "China and Vietnam are neighbours.\n")
    return {
        "glossary import": ["glossary", "import", glossary, "--db", db],
        "check --glossary": ["check", zh, en, "--glossary", glossary, "--db", db],
        "align --glossary": ["align", zh, en, "-o", tmp_path / "out.tmx", "--glossary", glossary],
    }


@pytest.mark.parametrize("command", ["glossary import", "check --glossary", "align --glossary"])
def test_tbx_with_external_doctype_and_undefined_entity_is_one_error_line(
    capsys, tmp_path, db, command
):
    doctype = EXTERNAL_DOCTYPE.format(root="martif")
    glossary = write(
        tmp_path / "ext.tbx", TBX.format(doctype=doctype, zh="政府&ext;", en="government", note="")
    )
    args = _glossary_commands(tmp_path, glossary, db)[command]
    refused(capsys, "ext.tbx:4: undefined entity &ext;", *args)
    assert not (tmp_path / "out.tmx").exists()


@pytest.mark.parametrize("command", ["glossary import", "check --glossary", "align --glossary"])
def test_tbx_with_external_doctype_is_read_without_its_dtd(capsys, tmp_path, db, command):
    doctype = EXTERNAL_DOCTYPE.format(root="martif")
    glossary = write(
        tmp_path / "ext.tbx", TBX.format(doctype=doctype, zh="越南", en="Vietnam", note="")
    )
    status, _, err = zhen(capsys, *_glossary_commands(tmp_path, glossary, db)[command])
    assert status in (0, 1) and "error" not in err, err


def test_xliff_with_external_doctype_is_read_alike_by_import_and_check(capsys, tmp_path, db):
    doctype = EXTERNAL_DOCTYPE.format(root="xliff")
    plain = XLIFF_12.format(doctype=doctype, src="zh-CN", tgt="en-US", a="你好世界", b="Hello")
    path = write(tmp_path / "ext.xlf", plain)
    assert zhen(capsys, "check", path, "--db", db)[0] in (0, 1)
    assert zhen(capsys, "tm", "import", path, "--db", db)[0] == 0
    assert units(db) == [("你好世界", "Hello", "ext.xlf", None, None)]


def test_xliff_with_external_doctype_and_undefined_entity_is_refused_by_import_and_check(
    capsys, tmp_path, db
):
    doctype = EXTERNAL_DOCTYPE.format(root="xliff")
    text = XLIFF_12.format(doctype=doctype, src="zh-CN", tgt="en-US", a="经济&ext;", b="economy")
    path = write(tmp_path / "ext.xlf", text)
    refused(capsys, "ext.xlf:6: undefined entity &ext;", "tm", "import", path, "--db", db)
    assert units(db) == []
    refused(capsys, "ext.xlf:6: undefined entity &ext;", "check", path, "--db", db)


def test_tmx_with_external_doctype_refuses_an_undefined_entity_outside_the_segments(
    capsys, tmp_path, db
):
    text = TMX.format(
        doctype=EXTERNAL_DOCTYPE.format(root="tmx"),
        tuid="1",
        note="see &ext;",
        zh="中国",
        en="China",
    )
    path = write(tmp_path / "ext.tmx", text)
    refused(capsys, "ext.tmx:5: undefined entity &ext;", "tm", "import", path, "--db", db)
    assert units(db) == []


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le"], ids=["bom", "no-bom"])
def test_utf16_po_imports(capsys, tmp_path, db, encoding):
    text = PO.format(charset="UTF-16", language='"Language: en\\n"\n', a="你好世界", b="Hello")
    path = write(tmp_path / "u16.po", text, encoding)
    status, _, err = zhen(capsys, "tm", "import", path, "--db", db)
    assert status == 0, err
    assert units(db) == [("你好世界", "Hello", "u16.po", None, None)]


# --- control characters: dropped on the way in, and counted -------------------------------------


def test_the_po_clipboard_example_is_imported_without_its_escapes(capsys, tmp_path, db):
    text = PO.format(charset="UTF-8", language="", a="剪贴板测试", b=f"{OSC_52_PO} clip")
    path = write(tmp_path / "esc.po", text)
    status, out, _ = zhen(capsys, "tm", "import", path, "--db", db)
    assert status == 0
    assert "esc.po (po): read 1, added 1" in out and "removed 2 control characters" in out
    assert units(db) == [("剪贴板测试", "]52;c;ZXZpbA==\\ clip", "esc.po", None, None)]
    status, out, _ = zhen(capsys, "lookup", "剪贴板测试", "--db", db)
    assert status == 0 and "ZXZpbA==" in out and "\x1b" not in out


def test_tmx_fields_lose_c0_and_c1_controls(capsys, tmp_path, db):
    # XML refuses C0 controls but carries C1 ones (U+009B is a one-character CSI) and &#13;.
    text = TMX.format(
        doctype="", tuid="t\x9b1", note="a\x9bnote", zh="中\x9b国", en="Ch&#13;i\x85na"
    )
    path = write(tmp_path / "c1.tmx", text)
    status, out, _ = zhen(capsys, "tm", "import", path, "--db", db)
    assert status == 0 and "removed 5 control characters" in out
    assert units(db) == [("中国", "China", "c1.tmx", "anote", "t1")]


def test_tsv_cells_and_the_file_name_as_origin_lose_controls(capsys, tmp_path, db):
    path = write(tmp_path / "job\x1b[2J.tsv", "中\x1b[2J国\tChi\x9bna\n美国\tUnited States\n")
    status, out, _ = zhen(capsys, "tm", "import", path, "--db", db)
    assert status == 0 and "removed 3 control characters" in out
    assert [row[:3] for row in units(db)] == [
        ("中[2J国", "China", "job[2J.tsv"),
        ("美国", "United States", "job[2J.tsv"),
    ]


GLOSSARY_FILES = {
    "tsv": "zh\ten\tnote\n政\x1b府\tgovern\x9bment\tmulti\x07line\n",
    "csv": "zh,en,note\n政\x1b府,govern\x9bment,multi\x07line\n",
    "txt": "政\x1b府\tgovern\x9bment\tmulti\x07line\n",
    "tbx": TBX.format(
        doctype="", zh="政府\x9b", en="govern\x85ment", note="<note>multi\x9fline</note>"
    ),
}


@pytest.mark.parametrize("suffix", sorted(GLOSSARY_FILES))
def test_glossary_import_drops_and_reports_controls(capsys, tmp_path, db, suffix):
    path = write(tmp_path / f"terms.{suffix}", GLOSSARY_FILES[suffix])
    status, out, err = zhen(capsys, "glossary", "import", path, "--db", db)
    assert status == 0, err
    assert "1 added" in out and "removed 3 control characters" in out
    assert rows(db, "SELECT zh, en, note FROM terms") == [("政府", "government", "multiline")]


def test_glossary_add_and_edit_arguments_lose_controls(capsys, tmp_path, db):
    status, _, err = zhen(
        capsys,
        "glossary",
        "add",
        "政\x1b府",
        "govern\x1b]0;x\x07ment",
        "--note",
        "a\nb\x9b",
        "--db",
        db,
    )
    assert status == 0 and "removed 4 control characters from the arguments" in err
    status, _, err = zhen(
        capsys,
        "glossary",
        "edit",
        "政府",
        "--domain",
        "pol\x1bitics",
        "--add-variant",
        "the gov\x9bernment",
        "--db",
        db,
    )
    assert status == 0 and "removed 2 control characters" in err
    assert rows(db, "SELECT zh, en, note, domain FROM terms") == [
        ("政府", "govern]0;xment", "a\nb", "politics")
    ]
    assert rows(db, "SELECT kind, en FROM term_renderings") == [("variant", "the government")]


def test_lookup_batch_queries_lose_controls(capsys, tmp_path, db):
    queries = write(tmp_path / "q.txt", "中\x9b国\n")
    status, out, _ = zhen(capsys, "lookup", "--batch", queries, "--db", db)
    assert status == 0 and out.startswith("# 中国\n") and "\x9b" not in out


def test_lookup_batch_from_stdin_loses_controls_and_refuses_nul(capsys, monkeypatch, db):
    monkeypatch.setattr("sys.stdin", io.StringIO("中\x1b[2J国\n"))
    status, out, _ = zhen(capsys, "lookup", "--batch", "-", "--db", db)
    assert status == 0 and out.startswith("# 中[2J国\n")
    monkeypatch.setattr("sys.stdin", io.StringIO("中国\n美\x00国\n"))
    refused(capsys, "<stdin>:2: NUL character", "lookup", "--batch", "-", "--db", db)


# --- one XML policy: the same answer from every reader ------------------------------------------

POLICY_CASES = {
    # DOCTYPE, text inside a term/segment, what every reader answers (None: read)
    "entity declaration": ('\n<!DOCTYPE {root} [<!ENTITY e "x">]>', "&e;", "declares XML entities"),
    "external DOCTYPE": (EXTERNAL_DOCTYPE, "", None),
    "entity only an external DTD defines": (EXTERNAL_DOCTYPE, "&ext;", "undefined entity &ext;"),
}


def _policy_file(tmp_path: Path, reader: str, doctype: str, extra: str) -> list[object]:
    """The command line that reads a file of the given kind, written with doctype and extra."""
    if reader == "tmx":
        text = TMX.format(
            doctype=doctype.format(root="tmx"), tuid="1", note="n", zh=f"中国{extra}", en="China"
        )
        return ["tm", "import", write(tmp_path / "p.tmx", text)]
    if reader in ("xliff import", "xliff check"):
        text = XLIFF_12.format(
            doctype=doctype.format(root="xliff"), src="zh", tgt="en", a=f"中国{extra}", b="China"
        )
        path = write(tmp_path / "p.xlf", text)
        return ["tm", "import", path] if reader == "xliff import" else ["check", path]
    text = TBX.format(doctype=doctype.format(root="martif"), zh=f"中国{extra}", en="China", note="")
    return ["glossary", "import", write(tmp_path / "p.tbx", text)]


@pytest.mark.parametrize("case", sorted(POLICY_CASES))
@pytest.mark.parametrize("reader", ["tmx", "xliff import", "xliff check", "tbx"])
def test_every_xml_reader_applies_one_doctype_policy(capsys, tmp_path, db, case, reader):
    doctype, extra, refusal = POLICY_CASES[case]
    args = [*_policy_file(tmp_path, reader, doctype, extra), "--db", db]
    if refusal is None:
        status, _, err = zhen(capsys, *args)
        assert status in (0, 1) and "error" not in err, err
    else:
        refused(capsys, refusal, *args)

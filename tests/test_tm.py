"""TM import/export/stats/delete: round trips, real data, formats, all-or-nothing, the CLI."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from lxml import etree

from tests.support import REPO_ROOT, third_party
from zhen import store, tm
from zhen.errors import FormatError, InputError, StoreError, TmxError
from zhen.io import tmx
from zhen.models import TranslationUnit
from zhen.search import lookup

XINHUA_TMX = REPO_ROOT / "tm" / "xinhua.tmx"
DTD_PATH = REPO_ROOT / "tests" / "data" / "tmx14.dtd"
TMX_HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="t" '
    'creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" srclang="zh-CN" '
    'datatype="plaintext"/><body>\n'
)


@pytest.fixture
def conn(db_path: Path) -> sqlite3.Connection:
    connection = store.open_database(db_path, create=True)
    yield connection
    connection.close()


def small_tmx(path: Path, pairs: list[tuple[str, str]]) -> Path:
    body = "".join(
        f'<tu><tuv xml:lang="zh-CN"><seg>{zh}</seg></tuv>'
        f'<tuv xml:lang="en-US"><seg>{en}</seg></tuv></tu>\n'
        for zh, en in pairs
    )
    path.write_text(TMX_HEADER + body + "</body></tmx>\n", encoding="utf-8")
    return path


def snapshot(conn: sqlite3.Connection) -> list:
    """Everything an import could touch: units, the lookup index, meta."""
    tables = ["units", "zh_postings", "en_postings", "meta"]
    return [list(map(tuple, conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2"))) for t in tables]


def fields(unit: TranslationUnit) -> tuple:
    """A unit's content without its database id."""
    return (
        unit.zh,
        unit.en,
        unit.origin,
        unit.position,
        unit.score,
        unit.zh_lang,
        unit.en_lang,
        unit.created_at,
        unit.changed_at,
        unit.creation_tool,
        unit.created_by,
        unit.changed_by,
        unit.note,
        unit.tuid,
        unit.props,
    )


def all_units(conn: sqlite3.Connection) -> list[TranslationUnit]:
    ids = [row[0] for row in conn.execute("SELECT id FROM units ORDER BY id")]
    return [tm.get_unit(conn, i) for i in ids]


# --- import: real files --------------------------------------------------------------------


def test_tico19_imports_in_full(conn: sqlite3.Connection) -> None:
    path = third_party("data", "tico19", "all.en-zh.tmx")
    report = tm.import_files(conn, [path])
    # 3,071 units; PubMed_10:983 and PubMed_10:1020 are the same sentence pair, merged into one.
    assert (report.read, report.added, report.duplicates, report.skipped) == (3071, 3070, 1, 0)
    assert conn.execute("SELECT COUNT(*) FROM units").fetchone()[0] == 3070
    unit = tm.get_unit(conn, 1)
    assert unit.zh == "这些症状已持续多长时间？" and unit.tuid == "CMU_1:1"
    assert (unit.zh_lang, unit.en_lang, unit.origin, unit.position) == ("zh", "en", path.name, 0)
    hits = lookup(conn, "这些症状已持续多长时间？").units
    assert hits and hits[0].unit_id == 1


def test_bundled_xinhua_tmx_imports_with_documents_and_positions(conn: sqlite3.Connection):
    report = tm.import_files(conn, [XINHUA_TMX])
    distinct = {(u.zh, u.en) for u in tmx.iter_units(XINHUA_TMX)}
    assert report.added == len(distinct) and report.read > 0
    origins = dict(tm.stats(conn).origins)
    assert all(name[:3].isdigit() for name in origins)  # x-document props, not the file name
    first = tm.get_unit(conn, 1)
    assert first.position == 0 and first.score is not None and first.created_at


def test_duplicates_are_merged_across_files(conn: sqlite3.Connection, tmp_path: Path) -> None:
    first = small_tmx(
        tmp_path / "a.tmx", [("同志加兄弟", "comrades and brothers"), ("中国", "China")]
    )
    second = small_tmx(tmp_path / "b.tmx", [("中国", "China"), ("越南", "Vietnam")])
    report = tm.import_files(conn, [first, second])
    assert [(f.read, f.added, f.duplicates) for f in report.files] == [(2, 2, 0), (2, 1, 1)]
    again = tm.import_files(conn, [second])
    assert (again.added, again.duplicates) == (0, 2)
    assert conn.execute("SELECT COUNT(*) FROM units").fetchone()[0] == 3


def test_normalised_forms_are_stored(conn: sqlite3.Connection, tmp_path: Path) -> None:
    path = tmp_path / "t.tmx"
    path.write_text(
        TMX_HEADER + '<tu><tuv xml:lang="zh-TW"><seg>國家主席ＡＢＣ</seg></tuv>'
        '<tuv xml:lang="en-GB"><seg>The  President’s</seg></tuv></tu></body></tmx>',
        encoding="utf-8",
    )
    tm.import_files(conn, [path])
    row = conn.execute("SELECT zh, zh_norm, en_norm, zh_lang, en_lang FROM units").fetchone()
    assert tuple(row) == ("國家主席ＡＢＣ", "国家主席abc", "the president's", "zh-TW", "en-GB")


def test_progress_reports_units_and_rate(conn: sqlite3.Connection) -> None:
    seen: list[tm.ImportProgress] = []
    tm.import_files(conn, [third_party("data", "tico19", "all.en-zh.tmx")], progress=seen.append)
    assert seen and seen[-1].units == 3071
    assert seen[-1].bytes_done == seen[-1].bytes_total and seen[-1].rate > 0
    assert seen[-1].indexing and not seen[0].indexing


# --- import: other formats -----------------------------------------------------------------


def test_tatoeba_tsv_with_english_first_is_read_the_right_way_round(
    conn: sqlite3.Connection, tmp_path: Path
) -> None:
    lines = third_party("data", "tatoeba", "cmn.txt").read_text(encoding="utf-8-sig").splitlines()
    path = tmp_path / "cmn.tsv"
    path.write_text("\n".join(lines[:200]) + "\n", encoding="utf-8")
    report = tm.import_files(conn, [path])
    assert report.read == 200
    zh, en = conn.execute("SELECT zh, en FROM units WHERE id = 1").fetchone()
    assert (zh, en) == ("嗨。", "Hi.")


def test_tsv_header_gbk_encoding_and_score_column(conn: sqlite3.Connection, tmp_path: Path):
    path = tmp_path / "pairs.tsv"
    text = "zh\ten\n同志加兄弟\tcomrades and brothers\t0.9120\n\n中国\tChina\n"
    path.write_bytes(text.encode("gbk"))
    tm.import_files(conn, [path])
    rows = [tuple(r) for r in conn.execute("SELECT zh, en, score, position FROM units")]
    assert rows == [("同志加兄弟", "comrades and brothers", 0.912, 0), ("中国", "China", None, 1)]


def test_tsv_line_without_tab_names_the_line(conn: sqlite3.Connection, tmp_path: Path) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text("中国\tChina\n越南 Vietnam\n", encoding="utf-8")
    with pytest.raises(FormatError, match=rf"^{path}:2: expected zh<TAB>en"):
        tm.import_files(conn, [path])
    assert conn.execute("SELECT COUNT(*) FROM units").fetchone()[0] == 0


XLIFF = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file original="004.txt" source-language="{src}" target-language="{tgt}" datatype="plaintext">
    <body>
      <trans-unit id="1"><source>{a}</source><target state="translated">{b}</target></trans-unit>
      <trans-unit id="2"><source>{c}</source><target state="needs-translation"/></trans-unit>
      <trans-unit id="3"><source>{e}</source><target>{f}</target><note>checked</note></trans-unit>
    </body>
  </file>
</xliff>
"""


def test_xliff_zh_to_en(conn: sqlite3.Connection, tmp_path: Path) -> None:
    path = tmp_path / "job.xlf"
    path.write_text(
        XLIFF.format(
            src="zh-CN",
            tgt="en-US",
            a="同志加兄弟",
            b="comrades and brothers",
            c="未译",
            e='中国<g id="1">共产党</g>',
            f='Communist Party <x id="2"/>of China',
        ),
        encoding="utf-8",
    )
    report = tm.import_files(conn, [path])
    assert (report.read, report.skipped) == (2, 1)
    rows = [tuple(r) for r in conn.execute("SELECT zh, en, note, zh_lang FROM units ORDER BY id")]
    assert rows == [
        ("同志加兄弟", "comrades and brothers", None, "zh-CN"),
        ("中国共产党", "Communist Party of China", "checked", "zh-CN"),
    ]


def test_xliff_en_to_zh_is_swapped(conn: sqlite3.Connection, tmp_path: Path) -> None:
    path = tmp_path / "job.xliff"
    path.write_text(
        XLIFF.format(src="en-GB", tgt="zh-Hans", a="China", b="中国", c="x", e="Vietnam", f="越南"),
        encoding="utf-8",
    )
    tm.import_files(conn, [path])
    rows = [tuple(r) for r in conn.execute("SELECT zh, en, zh_lang, en_lang FROM units")]
    assert rows == [("中国", "China", "zh-Hans", "en-GB"), ("越南", "Vietnam", "zh-Hans", "en-GB")]


def test_po_skips_header_fuzzy_and_untranslated(conn: sqlite3.Connection, tmp_path: Path):
    path = tmp_path / "job.po"
    path.write_text(
        'msgid ""\nmsgstr ""\n"Language: en_US\\n"\n'
        '"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "同志加兄弟"\nmsgstr "comrades and brothers"\n\n'
        '#, fuzzy\nmsgid "中越命运共同体"\nmsgstr "shared future"\n\n'
        'msgid "未译"\nmsgstr ""\n',
        encoding="utf-8",
    )
    report = tm.import_files(conn, [path])
    assert (report.read, report.skipped) == (1, 2)
    assert tuple(conn.execute("SELECT zh, en, en_lang FROM units").fetchone()) == (
        "同志加兄弟",
        "comrades and brothers",
        "en-US",
    )


def test_xliff_with_entity_declarations_is_refused(conn: sqlite3.Connection, tmp_path: Path):
    path = tmp_path / "evil.xlf"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE xliff [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
        + XLIFF.split("\n", 1)[1].format(
            src="zh", tgt="en", a="中&e;", b="x", c="y", e="中国", f="China"
        ),
        encoding="utf-8",
    )
    with pytest.raises(TmxError, match="entit"):
        tm.import_files(conn, [path])


# --- all or nothing ------------------------------------------------------------------------


def _truncated(path: Path) -> Path:
    text = small_tmx(path, [("中国", "China"), ("美国", "United States")]).read_text("utf-8")
    path.write_text(text[: text.index("United")], encoding="utf-8")
    return path


def _vertical_tab(path: Path) -> Path:
    return small_tmx(path, [("中国", "China"), ("美\x0b国", "US")])


def _gbk_as_utf8(path: Path) -> Path:
    small_tmx(path, [("中国", "China"), ("同志加兄弟", "comrades")])
    path.write_bytes(path.read_text("utf-8").encode("gbk"))
    return path


def _empty(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def _directory(path: Path) -> Path:
    path.mkdir()
    return path


def _no_zh_or_en(path: Path) -> Path:
    text = small_tmx(path, [("Chine", "China")]).read_text("utf-8")
    path.write_text(text.replace("zh-CN", "fr").replace("en-US", "de"), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (_truncated, TmxError, r":4:\d+: malformed XML: Premature end"),
        (_vertical_tab, TmxError, r":4:\d+: malformed XML: .*Char value 11"),
        (_gbk_as_utf8, TmxError, r":\d+:\d+: malformed XML: .*encoding the file declares"),
        (_empty, InputError, r": empty file"),
        (_directory, InputError, r": is a directory"),
        (_no_zh_or_en, TmxError, r"no unit has both a Chinese and an English side"),
    ],
)
def test_bad_input_changes_nothing(
    conn: sqlite3.Connection, tmp_path: Path, make, error: type, message: str
) -> None:
    tm.import_files(conn, [XINHUA_TMX])
    before = snapshot(conn)
    good = small_tmx(tmp_path / "good.tmx", [("越南新闻", "Vietnamese news")])
    bad = make(tmp_path / "bad.tmx")
    with pytest.raises(error, match=message) as caught:
        tm.import_files(conn, [good, bad])  # the good file first: its units must not stay
    assert str(caught.value).startswith(str(bad))
    assert snapshot(conn) == before
    assert not lookup(conn, "越南新闻").units


def test_database_locked_by_another_writer_is_a_clear_error(
    conn: sqlite3.Connection, db_path: Path, tmp_path: Path
) -> None:
    source = small_tmx(tmp_path / "a.tmx", [("中国", "China")])
    blocker = store.open_database(db_path, create=True)
    conn.execute("PRAGMA busy_timeout = 0")  # fail at once instead of waiting 10 s
    with store.transaction(blocker), pytest.raises(StoreError, match="database is locked"):
        tm.import_files(conn, [source])
    assert conn.execute("SELECT COUNT(*) FROM units").fetchone()[0] == 0
    assert tm.import_files(conn, [source]).added == 1  # and works once the lock is gone


# --- export --------------------------------------------------------------------------------


def test_import_export_round_trip_is_lossless(conn: sqlite3.Connection, tmp_path: Path) -> None:
    tm.import_files(conn, [XINHUA_TMX, third_party("data", "tico19", "all.en-zh.tmx")])
    exported = tmp_path / "export.tmx"
    count = tm.export_tmx(conn, exported, langs=None)
    assert count == conn.execute("SELECT COUNT(*) FROM units").fetchone()[0]
    other = store.open_database(tmp_path / "other.db", create=True)
    tm.import_files(other, [exported])
    assert [fields(u) for u in all_units(other)] == [fields(u) for u in all_units(conn)]
    again = tmp_path / "again.tmx"
    tm.export_tmx(other, again, langs=None)
    assert again.read_bytes() == exported.read_bytes()


def test_export_is_dtd_valid_and_translate_toolkit_reads_it(
    conn: sqlite3.Connection, tmp_path: Path
) -> None:
    from translate.storage.tmx import tmxfile

    tm.import_files(conn, [XINHUA_TMX])
    out = tmp_path / "out.tmx"
    tm.export_tmx(conn, out)
    dtd = etree.DTD(str(DTD_PATH))
    assert dtd.validate(etree.parse(str(out))), dtd.error_log
    with open(out, "rb") as handle:
        store_file = tmxfile(handle, "zh-CN", "en-US")
    ours = all_units(conn)
    assert [(u.source, u.target) for u in store_file.units] == [(u.zh, u.en) for u in ours]


def test_export_one_origin_with_chosen_language_codes(conn: sqlite3.Connection, tmp_path: Path):
    tm.import_files(conn, [XINHUA_TMX, small_tmx(tmp_path / "x.tmx", [("中国", "China")])])
    out = tmp_path / "one.tmx"
    assert tm.export_tmx(conn, out, langs=("zh-Hans", "en-GB"), origin="x.tmx") == 1
    tree = etree.parse(str(out))
    assert [v.get(tmx.XML_LANG) for v in tree.iter("tuv")] == ["zh-Hans", "en-GB"]
    assert tree.find("header").get("srclang") == "zh-Hans"
    with pytest.raises(StoreError, match="no units with origin 'nope'"):
        tm.export_tmx(conn, tmp_path / "none.tmx", origin="nope")
    assert not (tmp_path / "none.tmx").exists()


# --- stats, delete, reads ------------------------------------------------------------------


def test_stats(conn: sqlite3.Connection, tmp_path: Path) -> None:
    tm.import_files(conn, [XINHUA_TMX, third_party("data", "tico19", "all.en-zh.tmx")])
    result = tm.stats(conn)
    xinhua = len({(u.zh, u.en) for u in tmx.iter_units(XINHUA_TMX)})
    assert result.units == xinhua + 3070
    assert result.zh_languages == {"zh": 3070, "zh-CN": xinhua}
    assert result.origins[0] == ("all.en-zh.tmx", 3070)
    assert result.db_bytes > 0 and result.path.endswith("zhen.db")
    assert json.loads(json.dumps(result.to_json()))["units"] == result.units


def test_delete_origin_removes_units_and_index_entries(conn: sqlite3.Connection, tmp_path: Path):
    other = small_tmx(tmp_path / "x.tmx", [("越南新闻", "Vietnamese news"), ("中国", "China")])
    tm.import_files(conn, [XINHUA_TMX, other])
    assert lookup(conn, "越南新闻").units
    assert tm.delete_origin(conn, "x.tmx") == tm.DeleteReport("x.tmx", removed=2, kept=0)
    assert not lookup(conn, "越南新闻").units
    assert "x.tmx" not in dict(tm.stats(conn).origins)
    assert tm.delete_origin(conn, "x.tmx") == tm.DeleteReport("x.tmx", removed=0, kept=0)


def test_get_unit_and_neighbours(conn: sqlite3.Connection) -> None:
    tm.import_files(conn, [XINHUA_TMX])
    unit = tm.get_unit(conn, 3)
    around = tm.neighbours(conn, 3, radius=1)
    assert [n.position for n in around] == [unit.position - 1, unit.position, unit.position + 1]
    assert {n.origin for n in around} == {unit.origin}
    assert tm.get_unit(conn, 10**9) is None and tm.neighbours(conn, 10**9) == []
    first_of_doc = tm.neighbours(conn, 1, radius=2)
    assert [n.position for n in first_of_doc] == [0, 1, 2]


# --- the CLI -------------------------------------------------------------------------------


def test_cli_import_export_stats_delete(run_zhen, tmp_path: Path, seeded_db: Path) -> None:
    db = seeded_db
    other = small_tmx(tmp_path / "x.tmx", [("越南新聞", "Vietnamese news")])
    other.write_text(other.read_text("utf-8").replace("zh-CN", "zh-TW"), encoding="utf-8")
    done = run_zhen("tm", "import", XINHUA_TMX, other, "--db", db)
    assert done.code == 0, done.stderr
    assert "x.tmx (tmx): read 1, added 1, merged duplicates 0, skipped 0" in done.stdout
    assert "units/s" in done.stdout.splitlines()[-1]
    stats = json.loads(run_zhen("tm", "stats", "--json", "--db", db).stdout)
    total = stats["units"]
    assert {"origin": "x.tmx", "units": 1} in stats["origins"]
    out = tmp_path / "out.tmx"
    done = run_zhen("tm", "export", out, "--lang", "zh-Hans,en-GB", "--db", db)
    assert done.code == 0 and f"wrote {total:,} units" in done.stdout
    assert 'xml:lang="zh-Hans"' in out.read_text(encoding="utf-8")
    kept = tmp_path / "kept.tmx"
    done = run_zhen("tm", "export", kept, "--lang", "keep", "--origin", "x.tmx", "--db", db)
    assert done.code == 0, done.stderr
    assert [u.zh_lang for u in tmx.iter_units(kept)] == ["zh-TW"]  # as imported
    done = run_zhen("tm", "delete", "--origin", "x.tmx", "--db", db)
    assert done.code == 0 and "deleted 1 units, kept 0" in done.stdout
    text = run_zhen("tm", "stats", "--db", db).stdout
    assert f"units      {total - 1:,}" in text


@pytest.mark.parametrize(
    "args",
    [
        ("tm", "import", "{bad}"),
        ("tm", "import", "{missing}"),
        ("tm", "delete", "--origin", "nope"),
        ("tm", "export", "{out}", "--lang", "zh-CN"),
    ],
)
def test_cli_errors_are_one_line_and_exit_2(
    run_zhen, tmp_path: Path, seeded_db: Path, args: tuple
) -> None:
    bad = _vertical_tab(tmp_path / "bad.tmx")
    paths = {"bad": bad, "missing": tmp_path / "missing.tmx", "out": tmp_path / "o.tmx"}
    done = run_zhen(*(a.format(**paths) for a in args), "--db", seeded_db)
    assert done.code == 2
    assert done.stderr.startswith("zhen: error: ") and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1

"""Hostile stored text on the way out: escapes shown, JSON escaped, exports formula-safe."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhen import glossary, store, tm
from zhen.checker import CheckReport, Issue, format_report
from zhen.glossary.formats import read_entries, write_entries
from zhen.io.spreadsheet import neutralise_cell, restore_cell
from zhen.models import Term
from zhen.text.safetext import json_text, visible, visible_spans

# What an older zhen stored unfiltered: an OSC 52 clipboard write, a screen clear, the
# one-character C1 CSI, a bidi override, and DEL.
HOSTILE = "\x1b]52;c;ZXZpbA==\x07\x1b[2J\x9b2J\u202e\x7f"
RAW = ("\x1b", "\x07", "\x9b", "\u202e", "\x7f")
ORIGIN = "evil\x1b[2J.po"


def assert_safe(output: str) -> None:
    """No control character or bidi override reaches the terminal; the escapes show instead."""
    for character in RAW:
        assert character not in output, f"raw {character!r} in output"
    assert "\\x1b]52;c;ZXZpbA==" in output


@pytest.fixture
def hostile_db(tmp_path: Path) -> Path:
    """A database as an older zhen left it: control characters in units, terms and origins.

    Built through the real import and glossary calls, then written to with SQL, since today's
    readers would drop the controls on the way in.
    """
    path = tmp_path / "old.db"
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text("剪贴板测试\tclipboard test\n", encoding="utf-8")
    conn = store.open_database(path, create=True)
    try:
        tm.import_files(conn, [pairs])
        glossary.add_term(
            conn,
            Term(
                zh="剪贴板",
                en="clipboard",
                variants=["paste buffer"],
                forbidden=["clip board"],
                domain="computing",
                note="a note",
                sources=["doc#1"],
            ),
        )
        with conn:
            conn.execute("UPDATE units SET en = en || ?, origin = ?", (HOSTILE, ORIGIN))
            conn.execute("UPDATE terms SET en = en || ?, note = ?, domain = ?", (HOSTILE,) * 3)
            conn.execute("UPDATE term_renderings SET en = en || ?", (HOSTILE,))
            conn.execute("UPDATE term_sources SET source = ?", (HOSTILE,))
    finally:
        conn.close()
    return path


# --- Terminal output --------------------------------------------------------------------------


def test_lookup_text_shows_escapes(run_zhen, hostile_db):
    result = run_zhen("lookup", "剪贴板测试", "--db", hostile_db)
    assert result.code == 0, result.stderr
    assert_safe(result.stdout)
    assert "Terms" in result.stdout and "TM matches" in result.stdout
    assert "evil\\x1b[2J.po" in result.stdout, "the origin is shown, escaped"


def test_lookup_batch_text_shows_escapes(run_zhen, hostile_db, tmp_path):
    queries = tmp_path / "queries.txt"
    queries.write_text("剪贴板测试\n", encoding="utf-8")
    result = run_zhen("lookup", "--batch", queries, "--db", hostile_db)
    assert result.code == 0, result.stderr
    assert_safe(result.stdout)


@pytest.mark.parametrize("batch", [False, True])
def test_lookup_json_escapes_c1_and_keeps_the_data(run_zhen, hostile_db, tmp_path, batch):
    if batch:
        queries = tmp_path / "queries.txt"
        queries.write_text("剪贴板测试\n", encoding="utf-8")
        result = run_zhen("lookup", "--batch", queries, "--json", "--db", hostile_db)
    else:
        result = run_zhen("lookup", "剪贴板测试", "--json", "--db", hostile_db)
    assert result.code == 0, result.stderr
    for character in RAW:
        assert character not in result.stdout
    data = json.loads(result.stdout)
    assert data["terms"][0]["en"] == "clipboard" + HOSTILE, "JSON escapes, it does not alter"
    assert data["units"][0]["origin"] == ORIGIN


@pytest.mark.parametrize("command", ["show", "list"])
def test_glossary_show_and_list_show_escapes(run_zhen, hostile_db, command):
    args = ("glossary", command, "剪贴板") if command == "show" else ("glossary", command)
    result = run_zhen(*args, "--db", hostile_db)
    assert result.code == 0, result.stderr
    assert_safe(result.stdout)
    assert "paste buffer" in result.stdout
    json_result = run_zhen(*args, "--json", "--db", hostile_db)
    for character in RAW:
        assert character not in json_result.stdout
    assert json.loads(json_result.stdout)[0]["note"] == HOSTILE


def test_tm_stats_shows_origins_escaped(run_zhen, hostile_db):
    result = run_zhen("tm", "stats", "--db", hostile_db)
    assert result.code == 0, result.stderr
    assert "evil\\x1b[2J.po" in result.stdout
    assert "\x1b" not in result.stdout
    json_result = run_zhen("tm", "stats", "--json", "--db", hostile_db)
    assert "\x1b" not in json_result.stdout
    assert json.loads(json_result.stdout)["origins"][0]["origin"] == ORIGIN


def test_check_report_shows_escapes_of_database_terms(run_zhen, hostile_db, tmp_path):
    source = tmp_path / "draft.tsv"
    source.write_text("我们使用剪贴板。\tWe use the copy buffer.\n", encoding="utf-8")
    result = run_zhen("check", source, "--db", hostile_db)
    assert result.code == 1, result.stderr
    assert_safe(result.stdout)
    json_result = run_zhen("check", source, "--json", "--db", hostile_db)
    for character in RAW:
        assert character not in json_result.stdout
    issue = json.loads(json_result.stdout)["issues"][0]
    assert issue["expected"] == "clipboard" + HOSTILE


@pytest.mark.parametrize("colour", [False, True])
def test_check_render_keeps_highlights_on_the_escaped_text(colour):
    source = f"剪贴板{HOSTILE}测试"
    issue = Issue(
        kind="term-missing",
        severity="warning",
        source=source,
        target=f"{HOSTILE} paste",
        message=f"剪贴板 → clipboard{HOSTILE}",
        suggestion=HOSTILE,
        spans={"source": [(len(source) - 2, len(source))], "target": [(len(HOSTILE) + 1, 99)]},
    )
    text = format_report(CheckReport([issue], 1, 1), colour=colour)
    if colour:
        # The report's own colours stay; what came from the texts is shown escaped.
        assert "\x1b[1;4m测试\x1b[0m" in text and "\x1b[1;4mpaste\x1b[0m" in text
        text = text.replace("\x1b[1;4m", "").replace("\x1b[0m", "").replace("\x1b[1;33m", "")
        text = text.replace("\x1b[2m", "")
    else:
        assert "[测试]" in text and "[paste]" in text
    assert_safe(text)


def test_error_line_shows_escapes(run_zhen, tmp_path):
    empty = tmp_path / "e.db"
    store.open_database(empty, create=True).close()
    result = run_zhen("glossary", "show", "剪贴板\x1b]0;owned\x07", "--db", empty)
    assert result.code == 2
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "zhen: error: 剪贴板\\x1b]0;owned\\x07: not in the glossary" in result.stderr


def _align(run_zhen, folder: Path, zh_text: str, en_text: str, zh_name: str, out: Path):
    """`zhen align` of two texts written to `folder`; the finished process."""
    zh, en = folder / zh_name, folder / "en.txt"
    zh.write_text(zh_text, encoding="utf-8")
    en.write_text(en_text, encoding="utf-8")
    result = run_zhen("align", zh, en, "-o", out)
    assert result.code == 0, result.stderr
    return result


def test_align_summary_shows_file_names_escaped(run_zhen, tmp_path):
    zh_text = "我们使用剪贴板。今天天气很好。\n"
    en_text = "We use the clipboard. The weather is fine today.\n"
    out = tmp_path / "out\x1b[2J.tmx"
    result = _align(run_zhen, tmp_path, zh_text, en_text, "zh\x1b[2J.txt", out)
    assert "\x1b" not in result.stderr
    assert "zh\\x1b[2J" in result.stderr and "out\\x1b[2J.tmx" in result.stderr


def test_tm_import_summary_shows_file_names_escaped(run_zhen, tmp_path):
    pairs = tmp_path / "pairs\x1b[2J.tsv"
    pairs.write_text("剪贴板测试\tclipboard test\n", encoding="utf-8")
    target = tmp_path / "t.db"
    store.open_database(target, create=True).close()
    result = run_zhen("tm", "import", pairs, "--db", target)
    assert result.code == 0, result.stderr
    assert "\x1b" not in result.stdout and "pairs\\x1b[2J.tsv" in result.stdout


def test_visible_spans_follow_the_escaped_text():
    shown, spans = visible_spans("a\x1bb\u202ec", [(0, 1), (2, 3), (1, 4), (4, 5)])
    assert shown == "a\\x1bb\\u202ec"
    assert [shown[start:end] for start, end in spans] == ["a", "b", "\\x1bb\\u202e", "c"]
    assert visible_spans("plain", [(1, 3)]) == ("plain", [(1, 3)])
    assert visible_spans("ab", [(1, 99)]) == ("ab", [(1, 2)]), "out-of-range spans are clipped"


@given(st.text())
def test_json_text_is_ascii_safe_for_terminals_and_exact(text):
    encoded = json_text({"t": text})
    assert json.loads(encoded) == {"t": text}
    assert not any(0x7F <= ord(c) <= 0x9F or c in "\u202a\u202e\u2066\u2069" for c in encoded)
    assert not any(ord(c) < 0x20 for c in encoded)


@given(st.text())
def test_visible_leaves_no_control_character(text):
    assert not any(
        (ord(c) < 0x20 and c not in "\t\n") or 0x7F <= ord(c) <= 0x9F for c in visible(text)
    )


# --- Spreadsheet-safe exports -----------------------------------------------------------------

FORMULAS = [
    "=cmd|' /C calc'!A0",
    "+SUM(1+1)",
    "-5",
    "-ism",
    "@SUM(A1)",
    "'=already quoted",
    "''-twice",
]


@given(st.text())
def test_neutralised_cells_restore_exactly(text):
    cell = neutralise_cell(text)
    assert restore_cell(cell) == text
    assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r")


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-5", "'-5"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'=x", "''=x"),
        ("'s-Hertogenbosch", "'s-Hertogenbosch"),
        ("'tis", "'tis"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_neutralise_prefixes_only_formula_like_cells(cell, written):
    assert neutralise_cell(cell) == written
    assert restore_cell(written) == cell


def test_restore_leaves_other_tools_quotes_alone():
    assert restore_cell("'s-Hertogenbosch") == "'s-Hertogenbosch"
    assert restore_cell("'") == "'"


def _formula_terms() -> list[Term]:
    return [
        Term(
            zh=f"公式{index}",
            en=formula,
            variants=["@variant"],
            forbidden=["-forbidden"],
            note=formula,
            domain="=domain",
            pos="+pos",
            sources=["-source"],
        )
        for index, formula in enumerate(FORMULAS)
    ]


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".txt"])
def test_exports_neutralise_formulas_and_import_restores_them(tmp_path, suffix):
    path = tmp_path / f"glossary{suffix}"
    terms = _formula_terms()
    write_entries(terms, path)
    if suffix == ".csv":
        import csv

        with path.open(encoding="utf-8", newline="") as handle:
            cells = [cell for row in csv.reader(handle) for cell in row]
    else:
        lines = path.read_text(encoding="utf-8").splitlines()
        cells = [cell for line in lines for cell in line.split("\t")]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")], cells
    read = {term.zh: term for term in glossary.load_terms_file(path)}
    for term in terms:
        back = read[term.zh]
        assert back.en == term.en
        assert back.note == term.note
        if suffix == ".txt":
            # OmegaT lines carry the variants and forbidden renderings, not the other fields.
            assert back.forbidden == term.forbidden
        else:
            assert (back.variants, back.forbidden) == (term.variants, term.forbidden)
            assert (back.domain, back.pos, back.sources) == (term.domain, term.pos, term.sources)


# Text the formats can carry at all: no controls, single spaces, no list separator `|` and no
# `[`, `]` (OmegaT's comment tags); often starting like a formula or an already quoted one.
_FIELD = st.tuples(
    st.sampled_from(["", "'", "''", "=", "+", "-", "@", "'-", "''="]),
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="|[]"
        )
    ),
).map(lambda parts: " ".join("".join(parts).split()))


@given(en=_FIELD.filter(bool), note=_FIELD)
def test_csv_and_tsv_round_trip_is_exact(tmp_path_factory, en, note):
    directory = tmp_path_factory.mktemp("roundtrip")
    term = Term(zh="公式", en=en, note=note or None, domain=note or None)
    for suffix in (".csv", ".tsv", ".txt"):
        path = directory / f"g{suffix}"
        write_entries([term], path)
        _, entries = read_entries(path)
        assert [(e.term.en, e.term.note) for e in entries][:1] == [(en, note or None)], suffix


def test_align_tsv_is_neutralised_and_tm_import_restores_it(run_zhen, tmp_path):
    zh_text = "-5度是冷的。\n今天天气很好。\n"
    en_text = "-5 degrees is cold.\nThe weather is fine today.\n"
    out = tmp_path / "pairs.tsv"
    _align(run_zhen, tmp_path, zh_text, en_text, "zh.txt", out)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].split("\t")[:2] == ["'-5度是冷的。", "'-5 degrees is cold."]
    db = tmp_path / "t.db"
    store.open_database(db, create=True).close()
    assert run_zhen("tm", "import", out, "--db", db).code == 0
    conn = sqlite3.connect(db)
    try:
        stored = conn.execute("SELECT zh, en FROM units WHERE en LIKE '%degrees%'").fetchall()
    finally:
        conn.close()
    assert stored == [("-5度是冷的。", "-5 degrees is cold.")]

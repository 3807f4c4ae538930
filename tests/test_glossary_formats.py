"""Glossary files: round trips for every format, CAT-tool readers, validation, awkward inputs."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from zhen import glossary, store
from zhen.errors import FormatError, InputError
from zhen.models import Term

DATA = Path(__file__).parent / "data"


def _terms() -> list[Term]:
    return [
        Term(
            zh="同志加兄弟",
            en="camaraderie plus brotherhood",
            variants=["comrades plus brothers"],
            forbidden=["comrade and brother"],
            note="quoted formulation, 越中情谊深、同志加兄弟",
            domain="diplomacy",
            pos="noun",
            sources=["000_fce62a77146710a9#7", "004_eb715c92c15eb68e#3"],
            created_at="2026-04-14",
            changed_at="2026-04-15",
        ),
        Term(zh="六个更", en="six mores", status="proposed", sources=["000_fce62a77146710a9#8"]),
        Term(
            zh="苏林",
            en="To Lam",
            forbidden=["Su Lin"],
            status="rejected",
            note="Vietnamese name, not pinyin",
        ),
        Term(zh="澜湄合作", en="Lancang-Mekong Cooperation", variants=["LMC"]),
        Term(zh="中方", en="China", variants=["the Chinese side"], checked=False),
    ]


def _essentials(term: Term) -> tuple:
    return (term.zh, term.en, term.variants, term.forbidden, term.status, term.note, term.checked)


# What each format carries beyond zh, en, variants, forbidden, status and note.
ROUND_TRIPS = {
    "g.tsv": ("domain", "pos", "sources", "created_at", "changed_at"),
    "g.csv": ("domain", "pos", "sources", "created_at", "changed_at"),
    "g.tbx": ("domain", "pos", "sources", "created_at", "changed_at"),
    "g.tbx3": ("domain", "pos", "sources", "created_at", "changed_at"),
    "g.txt": (),
}


@pytest.mark.parametrize("name", sorted(ROUND_TRIPS))
def test_round_trip(tmp_path, name):
    path = tmp_path / name
    assert glossary.export_glossary(_terms(), path, status="all").written == 5
    back = glossary.load_terms_file(path)
    assert [_essentials(t) for t in back] == [_essentials(t) for t in _terms()]
    for original, read in zip(_terms(), back, strict=True):
        for field in ROUND_TRIPS[name]:
            assert getattr(read, field) == getattr(original, field), (name, field)


def test_round_trip_through_the_store(tmp_path, db_path):
    conn = store.open_database(db_path, create=True)
    glossary.import_glossary(conn, _write_tsv(tmp_path))
    glossary.export_glossary(conn, tmp_path / "out.tbx", status="all")
    other = store.open_database(tmp_path / "other.db", create=True)
    report = glossary.import_glossary(other, tmp_path / "out.tbx")
    assert report.added == 5
    assert [_essentials(t) for t in glossary.list_terms(other)] == [
        _essentials(t) for t in glossary.list_terms(conn)
    ]


def _write_tsv(tmp_path: Path) -> Path:
    path = tmp_path / "in.tsv"
    glossary.export_glossary(_terms(), path, status="all")
    return path


def test_translate_toolkit_reads_our_tbx_v2(tmp_path):
    from translate.storage.tbx import tbxfile

    path = tmp_path / "g.tbx"
    glossary.export_glossary(_terms(), path, status="all")
    store_ = tbxfile.parsefile(str(path))
    units = store_.units
    assert [u.source for u in units] == [t.zh for t in _terms()]
    assert [u.target for u in units] == [t.en for t in _terms()]
    targets = units[0].get_target_terms()
    assert [t.text for t in targets] == [
        "camaraderie plus brotherhood",
        "comrades plus brothers",
        "comrade and brother",
    ]
    assert [t.deprecated for t in targets] == [False, False, True]


def test_tbx_v3_is_valid_against_the_tbx_basic_rng(tmp_path):
    path = tmp_path / "g.tbx3"
    glossary.export_glossary(_terms(), path, status="all")
    for schema in ("TBXcoreStructV03_TBX-Basic_integrated_2019.rng", "TBXcoreStructV03.rng"):
        relaxng = etree.RelaxNG(etree.parse(str(DATA / schema)))
        assert relaxng.validate(etree.parse(str(path))), relaxng.error_log
    root = etree.parse(str(path)).getroot()
    assert root.tag == "{urn:iso:std:iso:30042:ed-2}tbx" and root.get("type") == "TBX-Basic"


def test_tbx_v3_validation_catches_a_broken_document(tmp_path):
    path = tmp_path / "g.tbx3"
    glossary.export_glossary(_terms(), path, status="all")
    text = path.read_text(encoding="utf-8").replace('type="subjectField"', 'type="colour"')
    path.write_text(text, encoding="utf-8")
    relaxng = etree.RelaxNG(
        etree.parse(str(DATA / "TBXcoreStructV03_TBX-Basic_integrated_2019.rng"))
    )
    assert not relaxng.validate(etree.parse(str(path)))


def test_tbx_format_is_sniffed_from_content(tmp_path):
    path = tmp_path / "exported.xml"
    glossary.export_glossary(_terms(), path, fmt="tbx3", status="all")
    assert len(glossary.load_terms_file(path)) == 5


HEADER = "zh\ten\tvariants\tforbidden\tstatus\tnote\tsource\n"


def test_tsv_with_bom_crlf_comments_and_duplicates(tmp_path, db_path):
    text = (
        HEADER
        + "# curated from seed 000\n"
        + "同志加兄弟\tcamaraderie plus brotherhood\t\t\tapproved\tquoted\t000\n"
        + "\n"
        + "同志加兄弟\tcomrades plus brothers\t\tcomrade and brother\t\tsecond row\t004\n"
    )
    path = tmp_path / "bom.tsv"
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    conn = store.open_database(db_path, create=True)
    report = glossary.import_glossary(conn, path)
    assert report.read == 2 and report.added == 1
    assert report.duplicates == [f"{path}:5: 同志加兄弟 merged into line 3"]
    [term] = glossary.list_terms(conn)
    assert term.en == "camaraderie plus brotherhood"
    assert term.variants == ["comrades plus brothers"]
    assert term.forbidden == ["comrade and brother"]
    assert term.sources == ["000", "004"]
    assert term.note == "quoted; second row"


def test_gbk_omegat_glossary_is_detected(tmp_path):
    path = tmp_path / "gbk.txt"
    lines = "# OmegaT glossary\n澜湄合作\tLancang-Mekong Cooperation\t澜沧江-湄公河合作\n"
    path.write_bytes(lines.encode("gbk"))
    [term] = glossary.load_terms_file(path)
    assert (term.zh, term.en, term.note) == (
        "澜湄合作",
        "Lancang-Mekong Cooperation",
        "澜沧江-湄公河合作",
    )


def test_csv_with_other_tools_headers(tmp_path):
    path = tmp_path / "g.csv"
    path.write_text(
        'Source term,Target term,Comment\n红色研学之旅,Red Study Tours,"trips, for youth"\n',
        encoding="utf-8",
    )
    [term] = glossary.load_terms_file(path)
    assert (term.zh, term.en, term.note) == ("红色研学之旅", "Red Study Tours", "trips, for youth")


def test_bad_row_names_file_and_line_and_imports_nothing(tmp_path, db_path):
    path = tmp_path / "bad.tsv"
    path.write_text(
        HEADER + "六个更\tsix mores\t\t\tapproved\t\t000\n" + "同志加兄弟\t\t\t\t\t\t\n",
        encoding="utf-8",
    )
    conn = store.open_database(db_path, create=True)
    with pytest.raises(FormatError, match=rf"{path}:3: "):
        glossary.import_glossary(conn, path)
    assert glossary.list_terms(conn) == []


def test_failure_in_the_middle_of_writing_rolls_back(tmp_path, db_path, monkeypatch):
    conn = store.open_database(db_path, create=True)
    path = _write_tsv(tmp_path)
    from zhen.glossary import exchange as io

    calls = []

    def failing(conn_, term, **given):
        calls.append(term.zh)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return original(conn_, term, **given)

    original = io.merge_into_store
    monkeypatch.setattr(io, "merge_into_store", failing)
    with pytest.raises(RuntimeError):
        glossary.import_glossary(conn, path)
    assert glossary.list_terms(conn) == []


def test_check_column_marks_lookup_only_entries_and_rejects_other_values(tmp_path, db_path):
    path = tmp_path / "check.tsv"
    path.write_text(
        HEADER.rstrip("\n") + "\tcheck\n"
        "中方\tChina\t\t\tapproved\t\t\tno\n"
        "六个更\tsix mores\t\t\tapproved\t\t\t\n",
        encoding="utf-8",
    )
    assert [t.checked for t in glossary.load_terms_file(path)] == [False, True]
    conn = store.open_database(db_path, create=True)
    glossary.import_glossary(conn, path)
    # A plain file saying nothing about checking does not undo a lookup-only mark.
    plain = tmp_path / "plain.tsv"
    plain.write_text(HEADER + "中方\tChina\tthe Chinese side\t\tapproved\t\t\n", encoding="utf-8")
    glossary.import_glossary(conn, plain)
    stored = glossary.get_term(conn, "中方")[0]
    assert (stored.checked, stored.variants) == (False, ["the Chinese side"])
    # A file that says "yes" makes it checked again.
    again = tmp_path / "again.tsv"
    again.write_text(
        HEADER.rstrip("\n") + "\tcheck\n中方\tChina\t\t\t\t\t\tyes\n", encoding="utf-8"
    )
    glossary.import_glossary(conn, again)
    assert glossary.get_term(conn, "中方")[0].checked is True
    bad = tmp_path / "bad.tsv"
    bad.write_text(
        HEADER.rstrip("\n") + "\tcheck\n中方\tChina\t\t\t\t\t\tmaybe\n", encoding="utf-8"
    )
    with pytest.raises(FormatError, match=r"bad.tsv:2: check must be yes or no"):
        glossary.load_terms_file(bad)


def test_status_column_rejects_unknown_values(tmp_path):
    path = tmp_path / "bad.tsv"
    path.write_text(HEADER + "六个更\tsix mores\t\t\tmaybe\t\t\n", encoding="utf-8")
    with pytest.raises(FormatError, match=r"bad.tsv:2: .*unknown status"):
        glossary.load_terms_file(path)


def test_malformed_xml_names_line_and_column(tmp_path):
    path = tmp_path / "broken.tbx"
    path.write_text(
        '<?xml version="1.0"?>\n<martif type="TBX">\n<text><body>\n<termEntry>\n</body></text>',
        encoding="utf-8",
    )
    with pytest.raises(FormatError, match=r"broken.tbx:5:\d+: malformed XML"):
        glossary.load_terms_file(path)


def test_entity_declarations_are_refused(tmp_path):
    path = tmp_path / "bomb.tbx"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE martif [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'
        '<martif type="TBX"><text><body><termEntry><langSet xml:lang="zh"><tig><term>&b;</term>'
        '</tig></langSet><langSet xml:lang="en"><tig><term>x</term></tig></langSet></termEntry>'
        "</body></text></martif>",
        encoding="utf-8",
    )
    with pytest.raises(FormatError, match="entities"):
        glossary.load_terms_file(path)


def test_external_entities_are_never_fetched(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET", encoding="utf-8")
    path = tmp_path / "xxe.tbx"
    path.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE martif [<!ENTITY x SYSTEM "file://{secret}">]>\n'
        '<martif type="TBX"><text><body><termEntry><langSet xml:lang="zh"><tig><term>六个更</term>'
        '</tig></langSet><langSet xml:lang="en"><tig><term>&x;</term></tig></langSet></termEntry>'
        "</body></text></martif>",
        encoding="utf-8",
    )
    with pytest.raises(FormatError):
        glossary.load_terms_file(path)


def test_missing_file_and_unknown_suffix(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        glossary.load_terms_file(tmp_path / "absent.tsv")
    odd = tmp_path / "terms.dat"
    odd.write_text("x", encoding="utf-8")
    with pytest.raises(FormatError, match="cannot tell the glossary format"):
        glossary.load_terms_file(odd)
    with pytest.raises(FormatError, match="unknown glossary format"):
        glossary.export_glossary(_terms(), tmp_path / "x.tsv", fmt="xlsx")


def test_lookup_only_survives_export_and_import_as_zhen_check_reads_it(tmp_path, db_path):
    """Two entries for one term, one lookup-only: zhen check requires the term (any checked),
    and so does the single entry a re-import merges them into."""
    from zhen.checker import check_pairs
    from zhen.models import TranslationUnit

    pair = [TranslationUnit("越方期待同中方密切高层交往。", "Vietnam looks forward to exchanges.")]
    entries = [
        Term(zh="中方", en="China", checked=False),
        Term(zh="中方", en="the Chinese side"),
    ]
    assert [i.kind for i in check_pairs(pair, entries).issues] == ["term-missing"]
    for name in ("g.tsv", "g.csv", "g.txt", "g.tbx", "g.tbx3"):
        glossary.export_glossary(entries, tmp_path / name)
        conn = store.open_database(tmp_path / f"{name}.db", create=True)
        glossary.import_glossary(conn, tmp_path / name)
        merged = glossary.list_terms(conn)
        assert [i.kind for i in check_pairs(pair, merged).issues] == ["term-missing"], name

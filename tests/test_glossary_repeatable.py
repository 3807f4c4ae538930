"""Repeatable glossary exchange: a second import changes nothing; export writes approved terms."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhen import glossary, resources, store
from zhen.errors import GlossaryError
from zhen.glossary.entries import merge_notes
from zhen.glossary.formats import write_entries
from zhen.models import Term

FORMATS = ("g.tsv", "g.csv", "g.txt", "g.tbx", "g.tbx3")


def _dump(conn: sqlite3.Connection) -> dict[str, list[tuple]]:
    """Every row and column of the glossary tables, rowids included."""
    return {
        table: conn.execute(f"SELECT rowid, * FROM {table} ORDER BY rowid").fetchall()
        for table in ("terms", "term_renderings", "term_sources")
    }


def _stored() -> list[Term]:
    return [
        Term(
            zh="习近平",
            en="Xi Jinping",
            variants=["Xi"],
            note="person; Chinese president",
            sources=["000#1"],
        ),
        Term(zh="一带一路", en="Belt and Road Initiative", note="initiative"),
        Term(zh="苏林", en="To Lam", forbidden=["Su Lin"], note="person", status="proposed"),
    ]


def _incoming() -> list[Term]:
    """Entries overlapping the stored ones: notes sharing parts, new variants and sources, and
    one new term written as two entries (so every format holds a duplicate row)."""
    return [
        Term(
            zh="习近平",
            en="Xi Jinping",
            variants=["President Xi", "Xi"],
            note="person; head of state",
            sources=["000#1", "interview"],
            domain="politics",
        ),
        Term(
            zh="一带一路",
            en="Belt and Road Initiative",
            variants=["BRI"],
            note="initiative; abbreviation",
        ),
        Term(zh="苏林", en="To Lam", forbidden=["Sulin", "Su Lin"], note="Vietnamese leader"),
        Term(zh="澜湄合作", en="Lancang-Mekong Cooperation", note="mechanism"),
        Term(zh="澜湄合作", en="LMC", note="abbreviation; mechanism"),
    ]


def _database(path: Path, terms: list[Term]) -> sqlite3.Connection:
    conn = store.open_database(path, create=True)
    source = path.with_suffix(".tsv")
    write_entries(terms, source)
    glossary.import_glossary(conn, source)
    return conn


@pytest.mark.parametrize("name", FORMATS)
def test_importing_the_same_file_twice_changes_nothing(tmp_path, name):
    conn = _database(tmp_path / "g.db", _stored())
    path = tmp_path / name
    write_entries(_incoming(), path)
    first = glossary.import_glossary(conn, path)
    assert (first.added, first.updated) == (1, 3), first.summary()
    after_first = _dump(conn)
    second = glossary.import_glossary(conn, path)
    assert (second.added, second.updated, second.unchanged) == (0, 0, 4), second.summary()
    assert _dump(conn) == after_first


@pytest.mark.parametrize("name", FORMATS)
def test_notes_sources_and_renderings_merge_as_ordered_sets(tmp_path, name):
    conn = _database(tmp_path / "g.db", _stored())
    write_entries(_incoming(), tmp_path / name)
    glossary.import_glossary(conn, tmp_path / name)
    terms = {t.zh: t for t in glossary.list_terms(conn)}
    xi = terms["习近平"]
    assert xi.note == "person; Chinese president; head of state"
    assert xi.variants == ["Xi", "President Xi"]
    assert terms["苏林"].note == "person; Vietnamese leader"
    assert terms["苏林"].forbidden == ["Su Lin", "Sulin"]
    assert terms["一带一路"].note == "initiative; abbreviation"
    assert terms["澜湄合作"].note == "mechanism; abbreviation"
    assert terms["澜湄合作"].variants == ["LMC"]
    if name != "g.txt":  # OmegaT carries neither sources nor a domain
        assert xi.sources == ["000#1", "interview"]
        assert xi.domain == "politics"


def test_a_domain_alone_is_an_update_that_is_saved(tmp_path):
    conn = _database(tmp_path / "g.db", [Term(zh="澜湄合作", en="Lancang-Mekong Cooperation")])
    path = tmp_path / "domain.csv"
    write_entries([Term(zh="澜湄合作", en="Lancang-Mekong Cooperation", pos="noun")], path)
    report = glossary.import_glossary(conn, path)
    assert report.updated == 1, report.summary()
    assert glossary.list_terms(conn)[0].pos == "noun"


def test_a_hand_written_omegat_glossary_reimports_without_growing(run_zhen, tmp_path):
    """The issue's case: a CAT tool's glossary with repeated lines, imported twice."""
    db = tmp_path / "client.db"
    store.open_database(db, create=True).close()
    source = tmp_path / "cat.txt"
    source.write_text(
        "一带一路\tBelt and Road Initiative\tinitiative\n"
        "一带一路\tBRI\tabbreviation\n"
        "一带一路\tBelt and Road Initiative\tinitiative\n",
        encoding="utf-8",
    )
    shown = []
    for _ in range(2):
        result = run_zhen("glossary", "import", source, "--db", db)
        assert result.code == 0, result.stderr
        show = run_zhen("glossary", "show", "一带一路", "--json", "--db", db)
        shown.append(json.loads(show.stdout))
    assert "0 added, 0 updated, 1 unchanged" in result.stdout
    assert shown[0] == shown[1]
    assert shown[0][0]["note"] == "initiative; abbreviation"
    assert shown[0][0]["variants"] == ["BRI"]


@pytest.mark.parametrize("name", FORMATS)
def test_export_import_export_gives_the_same_file(tmp_path, name):
    conn = store.open_database(tmp_path / "a.db", create=True)
    glossary.import_glossary(conn, resources.bundled_glossary())
    before = _dump(conn)
    first, second = tmp_path / f"first-{name}", tmp_path / f"second-{name}"
    glossary.export_glossary(conn, first, status="all")
    other = store.open_database(tmp_path / "b.db", create=True)
    glossary.import_glossary(other, first)
    glossary.export_glossary(other, second, status="all")
    assert second.read_bytes() == first.read_bytes()
    # Reading one's own export back changes nothing either.
    report = glossary.import_glossary(conn, first)
    assert (report.added, report.updated) == (0, 0), report.summary()
    assert _dump(conn) == before


def _mixed_statuses(path: Path) -> sqlite3.Connection:
    return _database(
        path,
        [
            Term(zh="澜湄合作", en="Lancang-Mekong Cooperation"),
            Term(zh="六个更", en="six mores", status="proposed"),
            Term(zh="苏林", en="To Lam", status="approved"),
            Term(zh="党际", en="inter-party", status="rejected"),
            Term(zh="红色资源", en="red resources", status="proposed"),
        ],
    )


def test_export_writes_approved_terms_by_default(tmp_path):
    conn = _mixed_statuses(tmp_path / "g.db")
    report = glossary.export_glossary(conn, tmp_path / "out.tsv")
    assert (report.written, report.left_out) == (2, {"proposed": 2, "rejected": 1})
    assert [t.zh for t in glossary.load_terms_file(tmp_path / "out.tsv")] == ["澜湄合作", "苏林"]
    everything = glossary.export_glossary(conn, tmp_path / "all.tsv", status="all")
    assert (everything.written, everything.left_out) == (5, {})
    terms = glossary.list_terms(conn)
    proposed = glossary.export_glossary(terms, tmp_path / "p.tsv", status="proposed")
    assert (proposed.written, proposed.left_out) == (2, {"approved": 2, "rejected": 1})
    with pytest.raises(GlossaryError, match="unknown status 'draft'"):
        glossary.export_glossary(conn, tmp_path / "x.tsv", status="draft")
    assert not (tmp_path / "x.tsv").exists()


def test_export_command_says_what_it_left_out(run_zhen, tmp_path):
    db = tmp_path / "g.db"
    _mixed_statuses(db).close()
    out = tmp_path / "out.txt"
    result = run_zhen("glossary", "export", out, "--db", db)
    assert result.code == 0, result.stderr
    assert result.stdout == (
        f"wrote 2 entries to {out}; left out 2 proposed and 1 rejected "
        "(--status all to include them)\n"
    )
    assert "六个更" not in out.read_text(encoding="utf-8")
    result = run_zhen("glossary", "export", out, "--status", "rejected", "--db", db)
    assert result.stdout == (
        f"wrote 1 entry to {out}; left out 2 approved and 2 proposed "
        "(--status all to include them)\n"
    )
    result = run_zhen("glossary", "export", out, "--status", "all", "--db", db)
    assert result.stdout == f"wrote 5 entries to {out}\n"
    assert "[status: proposed]" in out.read_text(encoding="utf-8")


def test_a_stated_status_wins_over_a_duplicate_row_that_states_none(tmp_path):
    conn = store.open_database(tmp_path / "g.db", create=True)
    source = tmp_path / "cat.txt"
    source.write_text(
        "党际\tinter-party\t\n党际\tinterparty\t[status: rejected]\n", encoding="utf-8"
    )
    report = glossary.import_glossary(conn, source)
    assert report.warnings == []
    [term] = glossary.list_terms(conn)
    assert (term.en, term.variants, term.status) == ("inter-party", ["interparty"], "rejected")


def test_our_omegat_export_of_a_proposed_term_reimports_without_warnings(tmp_path):
    """Its variant lines state no status; they must not conflict with the entry's line."""
    path = tmp_path / "g.txt"
    variants = ["Association of Southeast Asian Nations"]
    write_entries([Term(zh="东盟", en="ASEAN", variants=variants, status="proposed")], path)
    report = glossary.import_glossary(store.open_database(tmp_path / "g.db", create=True), path)
    assert report.warnings == []
    assert report.duplicates  # the variant line did merge into the entry


_NOTE_PART = st.sampled_from(["person", "head of state", " person ", "a  b", "a b", "", "x;y"])
_NOTES = st.none() | st.lists(_NOTE_PART, max_size=4).map("; ".join)


@given(_NOTES, _NOTES)
def test_merging_a_note_again_changes_nothing(base, other):
    once = merge_notes(base, other)
    assert merge_notes(once, other) == once
    assert merge_notes(once, base) == once
    assert (once or "").startswith(base or "")

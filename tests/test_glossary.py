"""Glossary entries in the store: add, look up (Simplified/Traditional), edit, status, remove."""

from __future__ import annotations

import pytest

from zhen import glossary, store
from zhen.errors import GlossaryError
from zhen.models import Term
from zhen.resources import bundled_glossary


@pytest.fixture
def conn(db_path):
    connection = store.open_database(db_path, create=True)
    yield connection
    connection.close()


def _brotherhood() -> Term:
    return Term(
        zh="同志加兄弟",
        en="camaraderie plus brotherhood",
        variants=["comrades plus brothers"],
        forbidden=["comrade and brother"],
        note="quoted formulation of China-Vietnam ties",
        domain="diplomacy",
        sources=["000_fce62a77146710a9#7"],
    )


def test_add_and_get_by_simplified_and_traditional(conn):
    stored = glossary.add_term(conn, _brotherhood())
    assert stored.id is not None and stored.created_at
    [found] = glossary.get_term(conn, "同志加兄弟")
    assert found.en == "camaraderie plus brotherhood"
    assert found.variants == ["comrades plus brothers"]
    assert found.forbidden == ["comrade and brother"]
    assert found.sources == ["000_fce62a77146710a9#7"]
    glossary.add_term(conn, Term(zh="红色研学之旅", en="Red Study Tours"))
    assert glossary.traditional_form("红色研学之旅") == "紅色研學之旅"
    # The Traditional form, derived with OpenCC, finds the Simplified entry.
    assert [t.en for t in glossary.get_term(conn, "紅色研學之旅")] == ["Red Study Tours"]


def test_traditional_input_is_stored_simplified(conn):
    stored = glossary.add_term(conn, Term(zh="瀾湄合作", en="Lancang-Mekong Cooperation"))
    assert stored.zh == "澜湄合作"


def test_add_twice_is_refused(conn):
    glossary.add_term(conn, _brotherhood())
    with pytest.raises(GlossaryError, match="already in the glossary"):
        glossary.add_term(conn, _brotherhood())


@pytest.mark.parametrize(
    ("term", "message"),
    [
        (Term(zh="", en="x"), "empty"),
        (Term(zh="RCEP", en="Regional Comprehensive Economic Partnership"), "no Chinese"),
        (Term(zh="六个更", en=" "), "English rendering is empty"),
        (Term(zh="六个更", en="six mores", status="maybe"), "unknown status"),
        (Term(zh="六个更", en="six mores", forbidden=["Six Mores"]), "both an allowed"),
    ],
)
def test_invalid_entries_are_refused(conn, term, message):
    with pytest.raises(GlossaryError, match=message):
        glossary.add_term(conn, term)
    assert glossary.list_terms(conn) == []


def test_status_lists_update_and_remove(conn):
    approved = glossary.add_term(conn, _brotherhood())
    proposed = glossary.add_term(conn, Term(zh="六个更", en="six mores", status="proposed"))
    assert [t.zh for t in glossary.approved_terms(conn)] == ["同志加兄弟"]
    assert [t.zh for t in glossary.list_terms(conn, "proposed")] == ["六个更"]
    glossary.set_status(conn, proposed.id, "rejected")
    assert glossary.get_term_by_id(conn, proposed.id).status == "rejected"
    approved.variants.append("comradeship plus brotherhood")
    approved.note = "changed"
    updated = glossary.update_term(conn, approved)
    assert glossary.get_term_by_id(conn, approved.id).variants[-1] == "comradeship plus brotherhood"
    assert updated.created_at == approved.created_at
    glossary.remove_term(conn, approved.id)
    assert glossary.get_term(conn, "同志加兄弟") == []
    with pytest.raises(GlossaryError):
        glossary.remove_term(conn, approved.id)
    with pytest.raises(GlossaryError):
        glossary.set_status(conn, proposed.id, "maybe")


def test_bundled_glossary_imports_and_reimport_changes_nothing(conn):
    report = glossary.import_glossary(conn, bundled_glossary())
    assert report.added > 80 and report.fmt == "tsv"
    [xi] = glossary.get_term(conn, "习近平")
    assert xi.en == "Xi Jinping"
    [to_lam] = glossary.get_term(conn, "苏林")
    assert "Su Lin" in to_lam.forbidden  # the pinyin of 苏林 is a forbidden rendering
    again = glossary.import_glossary(conn, bundled_glossary())
    assert again.added == 0 and again.updated == 0 and again.unchanged == report.added


def test_import_without_status_keeps_a_rejected_term_rejected(conn, tmp_path):
    term = glossary.add_term(conn, Term(zh="六个更", en="six mores", status="rejected"))
    omegat = tmp_path / "g.txt"
    omegat.write_text("六个更\tsix mores\tfrom a CAT tool\n", encoding="utf-8")
    report = glossary.import_glossary(conn, omegat)
    assert report.updated == 1
    stored = glossary.get_term_by_id(conn, term.id)
    assert stored.status == "rejected" and stored.note == "from a CAT tool"


def test_edit_term_moves_renderings_between_lists():
    term = Term(zh="习近平", en="Xi", variants=["President Xi"], forbidden=["Xi Jin Ping"])
    glossary.edit_term(term, en="Xi Jinping", forbid=["President Xi"], allow=["Xi Jin Ping"])
    assert term.en == "Xi Jinping"
    assert term.variants == ["Xi"]  # the old preferred rendering stays allowed
    assert term.forbidden == ["President Xi"]
    glossary.edit_term(term, remove_variants=["Xi"], add_variants=["Xi"], status="proposed")
    assert term.variants == [] and term.status == "proposed"
    with pytest.raises(GlossaryError, match="not a variant"):
        glossary.edit_term(term, remove_variants=["General Secretary Xi"])

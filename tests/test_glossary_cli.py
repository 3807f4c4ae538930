"""`zhen glossary …` run in-process: add, list, show, edit, remove, import, export, review."""

from __future__ import annotations

import json

import pytest

from zhen import store


@pytest.fixture
def db(tmp_path):
    """An existing empty database, so the CLI does not seed it with the bundled data."""
    path = tmp_path / "cli.db"
    store.open_database(path, create=True).close()
    return path


def _ok(result):
    assert result.code == 0, result.stderr
    return result


def test_default_database_is_seeded_with_the_bundled_glossary(run_zhen):
    result = _ok(run_zhen("glossary", "show", "同志加兄弟", "--json"))
    [term] = json.loads(result.stdout)
    assert term["en"] == "camaraderie plus brotherhood" and term["status"] == "approved"


def test_add_show_edit_remove(run_zhen, db):
    added = _ok(
        run_zhen(
            "glossary", "add", "一带一路倡议", "Belt and Road Initiative",
            "--variant", "BRI", "--forbid", "One Belt One Road", "--note", "initiative",
            "--domain", "diplomacy", "--db", db,
        )
    )  # fmt: skip
    assert added.stdout.startswith("added 一带一路倡议 → Belt and Road Initiative")
    shown = _ok(run_zhen("glossary", "show", "一帶一路倡議", "--db", db))  # Traditional
    assert "Forbidden:  One Belt One Road" in shown.stdout
    assert "一带一路倡议 (一帶一路倡議)" in shown.stdout
    _ok(run_zhen("glossary", "edit", "一带一路倡议", "--en", "Belt and Road", "--db", db))
    [term] = json.loads(
        _ok(run_zhen("glossary", "show", "一带一路倡议", "--json", "--db", db)).stdout
    )
    assert term["en"] == "Belt and Road"
    assert term["variants"] == ["Belt and Road Initiative", "BRI"]
    assert term["domain"] == "diplomacy"
    _ok(run_zhen("glossary", "remove", "一带一路倡议", "--db", db))
    gone = run_zhen("glossary", "show", "一带一路倡议", "--db", db)
    assert gone.code == 2
    assert gone.stderr == "zhen: error: 一带一路倡议: not in the glossary\n"


def test_lookup_only_entries_are_marked_and_can_be_checked_again(run_zhen, db, tmp_path):
    _ok(run_zhen("glossary", "add", "中方", "China", "--lookup-only", "--db", db))
    assert "[lookup-only]" in _ok(run_zhen("glossary", "list", "--db", db)).stdout
    assert (
        "Check:      no: lookup-only"
        in _ok(run_zhen("glossary", "show", "中方", "--db", db)).stdout
    )
    # zhen check does not require a lookup-only term.
    source = tmp_path / "zh.txt"
    source.write_text("越方期待同中方密切高层交往。\n", encoding="utf-8")
    draft = tmp_path / "en.txt"
    draft.write_text("Vietnam looks forward to closer high-level exchanges.\n", encoding="utf-8")
    assert run_zhen("check", source, draft, "--db", db).code == 0
    _ok(run_zhen("glossary", "edit", "中方", "--check", "--db", db))
    [term] = json.loads(_ok(run_zhen("glossary", "show", "中方", "--json", "--db", db)).stdout)
    assert term["checked"] is True
    assert run_zhen("check", source, draft, "--db", db).code == 1
    both = run_zhen("glossary", "edit", "中方", "--check", "--lookup-only", "--db", db)
    assert both.code == 2 and "not allowed with" in both.stderr


def test_list_filters_by_status(run_zhen, db):
    _ok(run_zhen("glossary", "add", "六个更", "six mores", "--status", "proposed", "--db", db))
    proposed = json.loads(
        _ok(run_zhen("glossary", "list", "--status", "proposed", "--json", "--db", db)).stdout
    )
    assert "六个更" in [t["zh"] for t in proposed]
    assert {t["status"] for t in proposed} == {"proposed"}
    text = _ok(run_zhen("glossary", "list", "--status", "proposed", "--db", db)).stdout
    assert "六个更  →  six mores" in text


def test_bad_input_is_one_line_and_exit_2(run_zhen, db, tmp_path):
    _ok(run_zhen("glossary", "add", "习近平", "Xi Jinping", "--db", db))
    duplicate = run_zhen("glossary", "add", "习近平", "Xi Jinping", "--db", db)
    assert duplicate.code == 2
    assert duplicate.stderr.startswith(
        "zhen: error: 习近平 → Xi Jinping is already in the glossary"
    )
    bad = tmp_path / "bad.tsv"
    bad.write_text("zh\ten\n六个更\n", encoding="utf-8")
    result = run_zhen("glossary", "import", bad, "--db", db)
    assert result.code == 2
    assert (
        result.stderr
        == f"zhen: error: {bad}:2: expected at least two tab-separated columns: zh, en\n"
    )
    assert "Traceback" not in result.stderr
    both = run_zhen("glossary", "add", "六个更", "six mores", "--forbid", "six mores", "--db", db)
    assert both.code == 2 and "both an allowed and a forbidden" in both.stderr


def test_import_reports_merged_duplicates_and_export_formats(run_zhen, db, tmp_path):
    source = tmp_path / "cat.txt"
    source.write_text(
        "澜湄合作\tLancang-Mekong Cooperation\t\n澜湄合作\tLMC\tabbreviation\n", encoding="utf-8"
    )
    result = _ok(run_zhen("glossary", "import", source, "--db", db))
    assert "2 entries read" in result.stdout and "1 duplicate rows merged" in result.stdout
    assert f"{source}:2: 澜湄合作 merged into line 1" in result.stderr
    for name in ("out.tbx", "out.tbx3", "out.csv", "out.tsv", "out.txt"):
        exported = _ok(run_zhen("glossary", "export", tmp_path / name, "--db", db))
        assert exported.stdout.startswith("wrote ")
        assert (tmp_path / name).stat().st_size > 0
    tbx = (tmp_path / "out.tbx").read_text(encoding="utf-8")
    assert "<martif" in tbx and "LMC" in tbx
    assert "urn:iso:std:iso:30042:ed-2" in (tmp_path / "out.tbx3").read_text(encoding="utf-8")


def test_review_reads_answers_from_a_pipe(run_zhen, db):
    for zh, en in (("六个更", "six more"), ("红色资源", "red resources"), ("党际", "inter-party")):
        _ok(run_zhen("glossary", "add", zh, en, "--status", "proposed", "--db", db))
    before = json.loads(
        _ok(run_zhen("glossary", "list", "--status", "proposed", "--json", "--db", db)).stdout
    )
    order = [t["zh"] for t in before]
    answers = {"六个更": "e\nsix mores\n", "红色资源": "r\n", "党际": "a\n"}
    script = "what?\n" + "".join(answers.get(zh, "s\n") for zh in order)
    result = _ok(run_zhen("glossary", "review", "--db", db, input=script))
    assert "unknown answer 'what?'" in result.stderr
    assert "1 accepted, 1 edited and accepted, 1 rejected" in result.stdout
    statuses = {
        t["zh"]: (t["en"], t["status"])
        for t in json.loads(_ok(run_zhen("glossary", "list", "--json", "--db", db)).stdout)
    }
    assert statuses["六个更"] == ("six mores", "approved")
    assert statuses["红色资源"] == ("red resources", "rejected")
    assert statuses["党际"] == ("inter-party", "approved")


def test_review_stops_cleanly_at_end_of_input(run_zhen, db):
    _ok(run_zhen("glossary", "add", "六个更", "six mores", "--status", "proposed", "--db", db))
    result = _ok(run_zhen("glossary", "review", "--db", db, input=""))
    assert "0 accepted" in result.stdout


def test_extract_needs_input(run_zhen, db):
    result = run_zhen("glossary", "extract", "--db", db)
    assert result.code == 2 and "give files of aligned pairs" in result.stderr

"""Typed domain values (StrEnum statuses, severities, kinds and sides) leave every output as it
was: JSON, exported files, the database and the CLI's messages carry the plain strings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import zhen
from zhen.checker import IssueKind, Severity, check_pairs
from zhen.cli import main
from zhen.glossary.entries import CandidateKind
from zhen.models import TERM_STATUSES, StoredTerm, Term, TermStatus, TranslationUnit
from zhen.search import SIDES, HitKind, Side


@pytest.fixture(autouse=True)
def isolated_home(monkeypatch, tmp_path: Path) -> None:
    """No test may touch the user's own database."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("ZHEN_DB", raising=False)


@pytest.fixture
def db(tmp_path: Path) -> zhen.Database:
    database = zhen.Database.create(tmp_path / "types.db", seed=False)
    database.add_term(Term(zh="人类命运共同体", en="community with a shared future for mankind"))
    database.add_term(Term(zh="一带一路", en="Belt and Road", status=TermStatus.PROPOSED))
    database.import_pairs(
        [
            TranslationUnit(
                zh="我们支持一带一路倡议。", en="We support the Belt and Road Initiative."
            )
        ],
        origin="article",
    )
    return database


def test_members_equal_their_strings() -> None:
    assert (
        [str(s) for s in TermStatus] == list(TERM_STATUSES) == ["approved", "proposed", "rejected"]
    )
    assert all(type(s) is str for s in (*TERM_STATUSES, *SIDES))
    assert Severity.ERROR == "error" and f"{Severity.WARNING:<9}|" == "warning  |"
    assert IssueKind("term-missing") is IssueKind.TERM_MISSING
    assert CandidateKind.COOCCURRENCE == "cooccurrence"
    assert Side("zh") is Side.ZH and HitKind.CONCORDANCE == "concordance"


def test_check_report_json_has_plain_strings() -> None:
    pairs = [TranslationUnit(zh="我们构建人类命运共同体。", en="We build a community.")]
    report = check_pairs(pairs, [Term(zh="人类命运共同体", en="community with a shared future")])
    issue = report.issues[0]
    assert isinstance(issue.severity, Severity) and isinstance(issue.kind, IssueKind)
    data = json.loads(json.dumps(report.to_json()))
    assert data["issues"][0]["kind"] == "term-missing"
    assert data["issues"][0]["severity"] == "warning"
    assert type(data["issues"][0]["severity"]) is str
    assert data["summary"]["by_severity"] == {"info": 0, "warning": 1, "error": 0}
    assert all(type(key) is str for key in report.summary["by_severity"])
    assert list(report.summary["by_kind"]) == ["term-missing"]
    assert type(next(iter(report.summary["by_kind"]))) is str


def test_lookup_json_has_plain_strings(db: zhen.Database) -> None:
    result = db.lookup("一带一路")
    assert result.side is Side.ZH
    assert result.terms[0].kind is HitKind.TERM and result.terms[0].status is TermStatus.PROPOSED
    data = json.loads(json.dumps(result.to_json()))
    assert data["side"] == "zh" and type(data["side"]) is str
    assert data["terms"][0]["kind"] == "term" and data["terms"][0]["status"] == "proposed"
    assert [hit["kind"] for hit in data["units"]] == ["concordance"]
    whole = json.loads(json.dumps(db.lookup("我们支持一带一路倡议。").to_json()))
    assert [hit["kind"] for hit in whole["units"]] == ["unit"]
    forced = db.lookup("Belt and Road", side="en")
    assert forced.side is Side.EN


def test_stored_status_reads_back_as_the_enum(db: zhen.Database) -> None:
    terms = db.terms("proposed")
    assert [t.zh for t in terms] == ["一带一路"]
    assert terms[0].status is TermStatus.PROPOSED
    assert isinstance(terms[0].id, int)


def test_exported_tsv_holds_plain_statuses(db: zhen.Database, tmp_path: Path) -> None:
    out = tmp_path / "out.tsv"
    db.export_glossary(out, status="all")
    lines = out.read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in lines if not line.startswith("#")]
    assert rows[-2][:5] == [
        "人类命运共同体",
        "community with a shared future for mankind",
        "",
        "",
        "approved",
    ]
    assert rows[-1][:5] == ["一带一路", "Belt and Road", "", "", "proposed"]


def test_cli_choices_message_lists_plain_strings(capsys, tmp_path: Path) -> None:
    with pytest.raises(SystemExit):
        main(["glossary", "list", "--status", "bogus", "--db", str(tmp_path / "x.db")])
    err = capsys.readouterr().err
    assert "(choose from 'approved', 'proposed', 'rejected')" in err
    assert "TermStatus" not in err


def test_stored_entries_carry_their_id(db: zhen.Database) -> None:
    new = Term(zh="全过程人民民主", en="whole-process people's democracy", id=99)
    stored = db.add_term(new)
    assert isinstance(stored, StoredTerm) and stored.id != 99 and new.id == 99
    assert all(isinstance(t, StoredTerm) and type(t.id) is int for t in db.terms())
    assert db.term_by_id(stored.id) == stored
    stored.note = "a 2021 formulation"
    assert db.update_term(stored).note == "a 2021 formulation"
    assert db.term("全过程人民民主")[0].note == "a 2021 formulation"

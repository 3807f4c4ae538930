"""`zhen lookup` run in-process: seeded default database, readable output, --json, --batch."""

from __future__ import annotations

import json

import pytest


def _first_term_line(run_zhen, query: str) -> tuple[str, str]:
    """The first line under "Terms" of `zhen lookup QUERY`, and the whole output."""
    result = run_zhen("lookup", query)
    assert result.code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Terms")
    return lines[1], result.stdout


def test_lookup_on_fresh_default_database_finds_the_glossary_term(run_zhen, xdg_data_home):
    line, output = _first_term_line(run_zhen, "同志加兄弟")
    assert (xdg_data_home / "zhen" / "zhen.db").exists()
    assert "同志加兄弟 → camaraderie plus brotherhood" in line
    assert "[approved, exact]" in line
    assert "avoid: comrades and brothers" in output


@pytest.mark.usefixtures("default_db")
def test_traditional_query_json_shape(run_zhen):
    result = run_zhen("lookup", "傳統友誼", "--json", "--limit", "3")
    assert result.code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["side"] == "zh"
    assert set(data) >= {"terms", "units"}
    assert data["terms"][0]["zh"] == "传统友谊"
    assert data["terms"][0]["en"] == "traditional friendship"
    assert len(data["terms"]) <= 3
    for item in (*data["terms"], *data["units"]):
        assert {"zh", "en", "score", "origin"} <= set(item)
        assert 0 <= item["score"] <= 100


@pytest.mark.usefixtures("default_db")
def test_english_query_with_side_and_min_score(run_zhen):
    result = run_zhen("lookup", "camaraderie plus brotherhood", "--json", "--min-score", "90")
    data = json.loads(result.stdout)
    assert data["side"] == "en"
    assert data["terms"][0]["zh"] == "同志加兄弟"
    forced = json.loads(run_zhen("lookup", "同志加兄弟", "--side", "en", "--json").stdout)
    assert forced["side"] == "en" and not forced["terms"]


@pytest.mark.usefixtures("default_db")
def test_batch_json_one_object_per_line(run_zhen, tmp_path):
    queries = tmp_path / "queries.txt"
    queries.write_text("同志加兄弟\n\ntraditional friendship\n", encoding="utf-8")
    result = run_zhen("lookup", "--batch", queries, "--json")
    assert result.code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    objects = [json.loads(line) for line in lines]
    assert [o["query"] for o in objects] == ["同志加兄弟", "", "traditional friendship"]
    assert objects[0]["terms"][0]["en"] == "camaraderie plus brotherhood"
    assert objects[1]["error"] == "empty query" and objects[1]["units"] == []
    assert objects[2]["terms"][0]["zh"] == "传统友谊"


@pytest.mark.usefixtures("default_db")
def test_batch_from_stdin_in_gb18030_file(run_zhen, tmp_path):
    queries = tmp_path / "gbk.txt"
    queries.write_bytes("传统友谊\n".encode("gb18030"))
    data = json.loads(run_zhen("lookup", "--batch", queries, "--json").stdout)
    assert data["terms"][0]["en"] == "traditional friendship"
    piped = run_zhen("lookup", "--batch", "-", "--json", input="同志加兄弟\n")
    assert json.loads(piped.stdout)["terms"][0]["zh"] == "同志加兄弟"


@pytest.mark.usefixtures("default_db")
def test_usage_errors_exit_2_without_traceback(run_zhen, tmp_path):
    for args in (
        ("lookup",),
        ("lookup", "  "),
        ("lookup", "同志", "--limit", "0"),
        ("lookup", "--batch", tmp_path / "missing.txt"),
    ):
        result = run_zhen(*args)
        assert result.code == 2, args
        assert result.stderr.startswith("zhen: error:"), result.stderr
        assert "Traceback" not in result.stderr


def test_explicit_db_option(run_zhen, seeded_db):
    db = seeded_db
    result = run_zhen("lookup", "同志加兄弟", "--db", db, "--json")
    assert result.code == 0, result.stderr
    assert db.exists()
    assert json.loads(result.stdout)["terms"][0]["zh"] == "同志加兄弟"


@pytest.mark.usefixtures("default_db")
def test_english_word_lists_the_glossary_term_under_terms(run_zhen):
    line, _ = _first_term_line(run_zhen, "camaraderie")
    assert "同志加兄弟 → camaraderie plus brotherhood  [approved, contained]" in line
    typo = run_zhen("lookup", "camraderie", "--json")
    assert json.loads(typo.stdout)["terms"][0]["zh"] == "同志加兄弟"


@pytest.mark.usefixtures("default_db")
def test_forbidden_rendering_query_is_flagged(run_zhen):
    line, output = _first_term_line(run_zhen, "comrades and brothers")
    assert "同志加兄弟 → camaraderie plus brotherhood  [approved, exact]" in line
    assert "! the query matches the forbidden rendering 'comrades and brothers'" in output
    data = json.loads(run_zhen("lookup", "comrades and brothers", "--json").stdout)
    assert (data["terms"][0]["matched_kind"], data["terms"][0]["matched"]) == (
        "forbidden",
        "comrades and brothers",
    )


@pytest.mark.usefixtures("default_db")
def test_lookup_only_terms_are_marked(run_zhen):
    """The bundled glossary marks 中方 lookup-only: zhen check does not require it."""
    result = run_zhen("lookup", "中方")
    assert result.code == 0, result.stderr
    assert "中方 → China  [approved, exact, lookup-only]" in result.stdout
    data = json.loads(run_zhen("lookup", "中方", "--json").stdout)
    assert data["terms"][0]["checked"] is False
    data = json.loads(run_zhen("lookup", "同志加兄弟", "--json").stdout)
    assert data["terms"][0]["checked"] is True


# Standard input a real pipe, read and decoded by the interpreter's own stdin.
@pytest.mark.subprocess
def test_batch_from_a_real_pipe(zhen_process, seeded_db):
    piped = zhen_process("lookup", "--batch", "-", "--json", "--db", seeded_db, input="傳統友誼\n")
    assert piped.returncode == 0, piped.stderr
    assert json.loads(piped.stdout)["terms"][0]["zh"] == "传统友谊"

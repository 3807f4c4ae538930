"""Punctuation and typography of a zh→en draft, and switching kinds off with --skip."""

from __future__ import annotations

import json

import pytest

from zhen.checker.typography import typography_issues

ZH = "构建人类命运共同体。"
EN = "Build a community with a shared future for humanity."


def found(target: str, source: str = ZH) -> list[tuple[str, str, list[tuple[int, int]]]]:
    return [(i.kind, i.severity, i.spans["target"]) for i in typography_issues(source, target, 0)]


def test_clean_english_passes():
    # Curly quotes, dashes, an ellipsis, a decimal and a domain are English typography.
    assert found(EN) == []
    assert found("He said: “Build it—now…” at 3.5 p.m. on xinhuanet.com (Beijing).") == []


def test_fullwidth_punctuation_left_in_the_english():
    assert found("Build a community，with a shared future。") == [
        ("fullwidth-punctuation", "warning", [(17, 18), (38, 39)])
    ]
    (issue,) = typography_issues(ZH, "《Build》 it.", 0)
    assert issue.message == "full-width punctuation left in the English: 《》"


def test_unbalanced_brackets_and_quotes():
    assert found("Build (a community.") == [("unbalanced-brackets", "warning", [(6, 7)])]
    assert found('He said "build it.') == [("unbalanced-brackets", "warning", [(8, 9)])]
    assert found("He said “build it.") == [("unbalanced-brackets", "warning", [(8, 9)])]
    # The source is cut inside a quotation too: the aligner split a quoted passage.
    assert found("He said “build it.", source="他说：“构建共同体。") == []


def test_double_space_and_space_before_punctuation():
    assert found("Build a  community for humanity .") == [
        ("double-space", "warning", [(7, 9)]),
        ("space-before-punctuation", "warning", [(31, 32)]),
    ]
    # A leading ellipsis and a decimal point are not punctuation after a space.
    assert found("Prices rose .5 points, then ... nothing.") == []


def test_edge_whitespace_differs_from_the_source():
    assert found(EN + " ") == [("edge-whitespace", "warning", [(52, 53)])]
    assert found(EN, source=" " + ZH) == [("edge-whitespace", "warning", [])]
    assert found(" " + EN + " ", source=" " + ZH + " ") == []


def test_sentence_starting_lower_case():
    assert found("build a community.") == [("lowercase-start", "warning", [(0, 5)])]
    assert found("“build a community.”") == [("lowercase-start", "warning", [(1, 6)])]
    # Brands, abbreviations and fragments without a full stop are lower-case on purpose.
    assert found("iPhone sales rose.") == []
    assert found("e.g. the second plenary session.") == []
    assert found("and all chest pain should be treated this way") == []


GLOSSARY = (
    "zh\ten\tvariants\tforbidden\tstatus\tnote\tsource\n现代化\tmodernization\t\t\tapproved\t\t\n"
)


def test_skip_switches_kinds_off(run_zhen, tmp_path):
    (tmp_path / "terms.tsv").write_text(GLOSSARY, encoding="utf-8")
    (tmp_path / "draft.tsv").write_text(f"{ZH}\tbuild a  community，for humanity.\n", "utf-8")

    def kinds(*options: str) -> list[str]:
        result = run_zhen("check", "draft.tsv", "--glossary", "terms.tsv", "--json", *options)
        return sorted(issue["kind"] for issue in json.loads(result.stdout)["issues"])

    assert kinds() == ["double-space", "fullwidth-punctuation", "lowercase-start"]
    assert kinds("--skip", "double-space", "--skip", "lowercase-start") == ["fullwidth-punctuation"]


@pytest.mark.parametrize("kind", ["double-spaces", "DOUBLE-SPACE", ""])
def test_skip_of_an_unknown_kind_is_a_usage_error_listing_the_kinds(run_zhen, tmp_path, kind):
    (tmp_path / "draft.tsv").write_text(f"{ZH}\t{EN}\n", "utf-8")
    result = run_zhen("check", "draft.tsv", "--skip", kind)
    assert result.code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"zhen: error: unknown issue kind {kind!r} (expected one of:")
    assert "double-space, space-before-punctuation" in result.stderr
    assert result.stderr.count("\n") == 1

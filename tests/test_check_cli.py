"""`zhen check` run in-process: inputs (plain, TMX, XLIFF, PO, TSV), output, exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.support import REPO_ROOT

# Seed 000 sentences; the draft for the second one has a forbidden rendering and a wrong number.
ZH_1 = "今年是中越建交75周年暨“中越人文交流年”。"
EN_1 = (
    "This year marks the 75th anniversary of the establishment of diplomatic ties between China "
    "and Vietnam, as well as the China-Vietnam Year of People-to-People Exchanges."
)
ZH_2 = "两国携手走和平发展道路,15亿多人口共同迈向现代化。"
EN_2_BAD = (
    "As the two countries pursue peaceful progress, their population of over 1.6 billion is "
    "advancing toward modernization."
)
EN_2_GOOD = (
    "As the two countries pursue peaceful development, their population of over 1.5 billion is "
    "advancing toward modernization."
)

GLOSSARY = (
    "zh\ten\tvariants\tforbidden\tstatus\tnote\tsource\n"
    "人文交流\tpeople-to-people exchanges\tcultural exchanges\thumanistic exchanges\tapproved\t\t\n"
    "和平发展\tpeaceful development\t\tpeaceful progress\tapproved\t\t\n"
    "现代化\tmodernization\t\t\tapproved\t\t\n"
)


@pytest.fixture
def glossary(tmp_path: Path) -> Path:
    path = tmp_path / "terms.tsv"
    path.write_text(GLOSSARY, encoding="utf-8")
    return path


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def tmx(pairs: list[tuple[str, str]]) -> str:
    units = "".join(
        f'<tu><tuv xml:lang="zh-CN"><seg>{zh}</seg></tuv>'
        f'<tuv xml:lang="en-US"><seg>{en}</seg></tuv></tu>\n'
        for zh, en in pairs
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="t" '
        'creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en-US" srclang="zh-CN" '
        f'datatype="plaintext"/><body>\n{units}</body></tmx>\n'
    )


def xliff(pairs: list[tuple[str, str]]) -> str:
    units = "".join(
        f'<trans-unit id="{i}"><source>{zh}</source><target>{en}</target></trans-unit>\n'
        for i, (zh, en) in enumerate(pairs, 1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
        '<file original="seed000" source-language="zh-CN" target-language="en-US" '
        f'datatype="plaintext"><body>\n{units}</body></file></xliff>\n'
    )


def po(pairs: list[tuple[str, str]]) -> str:
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    return header + "".join(f'msgid "{zh}"\nmsgstr "{en}"\n\n' for zh, en in pairs)


BAD_PAIRS = [(ZH_1, EN_1), (ZH_2, EN_2_BAD)]
GOOD_PAIRS = [(ZH_1, EN_1), (ZH_2, EN_2_GOOD)]


@pytest.mark.parametrize(
    "name, render",
    [
        ("draft.tmx", tmx),
        ("draft.xlf", xliff),
        ("draft.po", po),
        ("draft.tsv", lambda pairs: "".join(f"{zh}\t{en}\n" for zh, en in pairs)),
        # English first and a header row: the Chinese column is found by its characters.
        ("draft2.tsv", lambda pairs: "en\tzh\n" + "".join(f"{en}\t{zh}\n" for zh, en in pairs)),
    ],
)
def test_bilingual_files(run_zhen, tmp_path, glossary, name, render):
    bad = write(tmp_path, name, render(BAD_PAIRS))
    result = run_zhen("check", bad, "--glossary", glossary, "--json")
    assert result.code == 1, result.stderr
    data = json.loads(result.stdout)
    found = sorted((i["kind"], i["severity"], i["term"], i["found"]) for i in data["issues"])
    assert found == [
        ("number-mismatch", "error", "15亿", "1.6 billion"),
        ("term-forbidden", "error", "和平发展", "peaceful progress"),
    ]
    assert data["summary"]["pairs"] == 2
    good = write(tmp_path, "good-" + name, render(GOOD_PAIRS))
    result = run_zhen("check", good, "--glossary", glossary)
    assert result.code == 0, result.stdout + result.stderr
    assert "0 errors, 0 warnings" in result.stdout


def test_plain_source_and_draft_are_aligned(run_zhen, tmp_path, glossary):
    source = write(tmp_path, "zh.txt", f"{ZH_1}\n\n{ZH_2}\n", encoding="gb18030")
    draft = write(tmp_path, "en.txt", f"{EN_1}\n\n{EN_2_BAD}\n")
    result = run_zhen("check", source, draft, "--glossary", glossary)
    assert result.code == 1
    # Readable report: grouped by sentence, the term marked (no colour when not a TTY).
    assert "zh.txt:3 / en.txt:3" in result.stdout and "[15亿]" in result.stdout
    assert "[peaceful progress]" in result.stdout and "\x1b[" not in result.stdout
    assert "term-forbidden" in result.stdout


def test_fail_on_levels(run_zhen, tmp_path, glossary):
    # A dropped number is a warning, an added one info.
    pairs = [(ZH_1, EN_1.replace("the 75th anniversary of ", "")), (ZH_2, EN_2_GOOD + " 2025")]
    path = write(tmp_path, "draft.tsv", "".join(f"{zh}\t{en}\n" for zh, en in pairs))
    assert run_zhen("check", path, "--glossary", glossary).code == 1
    assert run_zhen("check", path, "--glossary", glossary, "--fail-on", "error").code == 0
    info_only = write(tmp_path, "info.tsv", f"{ZH_2}\t{EN_2_GOOD} In 2025.\n")
    assert run_zhen("check", info_only, "--glossary", glossary).code == 0
    assert run_zhen("check", info_only, "--glossary", glossary, "--fail-on", "info").code == 1


def test_default_glossary_is_the_database(run_zhen, tmp_path, seeded_db):
    # The bundled glossary seeds a new database: 苏林 must be rendered "To Lam", not "Su Lin".
    path = write(tmp_path, "draft.tsv", "习近平同越共中央总书记苏林举行会谈。\tXi met Su Lin.\n")
    result = run_zhen("check", path, "--db", seeded_db, "--json")
    assert result.code == 1, result.stderr
    issues = json.loads(result.stdout)["issues"]
    assert ("term-forbidden", "苏林", "Su Lin") in [
        (i["kind"], i["term"], i["found"]) for i in issues
    ]


@pytest.mark.parametrize(
    "args, message",
    [
        (["missing.txt"], "no such file"),
        (["bad.tmx"], "bad.tmx"),
        (["bad.xlf"], "bad.xlf:"),
        (["english.tsv"], "not Chinese"),
        (["draft.tsv", "en.txt"], "bilingual"),
        (["draft.tsv", "--glossary", "missing.tbx"], "missing.tbx"),
        (["draft.tsv", "--fail-on", "fatal"], "invalid choice"),
    ],
)
def test_bad_input_exits_2_with_one_line(run_zhen, tmp_path, glossary, args, message):
    write(tmp_path, "bad.tmx", "<tmx><body><tu>")
    write(tmp_path, "bad.xlf", '<?xml version="1.0"?>\n<xliff version="1.2">\n<file>\n</xliff>')
    write(tmp_path, "english.tsv", "hello\tworld\nfoo\tbar\n")
    write(tmp_path, "draft.tsv", f"{ZH_2}\t{EN_2_GOOD}\n")
    write(tmp_path, "en.txt", EN_1)
    if "--glossary" not in args:
        args = [*args, "--glossary", str(glossary)]
    result = run_zhen("check", *args)
    assert result.code == 2
    assert "Traceback" not in result.stderr
    assert message in result.stderr


def test_entity_declarations_are_refused(run_zhen, tmp_path, glossary):
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE xliff [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'
        '<xliff version="1.2"><file original="x" source-language="zh" datatype="plaintext"><body>'
        "<trans-unit id='1'><source>两国&b;</source><target>x</target></trans-unit>"
        "</body></file></xliff>"
    )
    path = write(tmp_path, "bomb.xlf", bomb)
    result = run_zhen("check", path, "--glossary", glossary)
    assert result.code == 2
    assert "bomb.xlf" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.usefixtures("default_db")
def test_published_english_of_seed_000_gets_a_handful_of_warnings(run_zhen, seed_path):
    """The published English is a correct, free adaptation: against the bundled glossary only
    its real departures from the approved terms are warnings (docs/check.md lists them)."""
    result = run_zhen("check", seed_path("000"), "--json")
    assert result.code == 1, result.stderr
    report = json.loads(result.stdout)
    issues = report["issues"]
    assert [i for i in issues if i["severity"] == "error"] == []
    warnings = [i for i in issues if i["severity"] == "warning"]
    # A handful: at most one pair in ten, each a real departure, an approved term whose Chinese
    # is in the pair and whose rendering is not in its English.
    assert 0 < len(warnings) <= report["summary"]["pairs"] // 10
    for warning in warnings:
        assert warning["kind"] == "term-missing", warning
        assert warning["term"] in warning["source"], warning
        assert warning["expected"].lower() not in warning["target"].lower(), warning
    # Approved terms the English does render are never flagged.
    assert not any(i["term"] in ("同志加兄弟", "传统友谊", "苏林") for i in warnings)
    # Lookup-only entries are not required; repeat mentions of a person are info, not warnings.
    assert not any(i["term"] in ("中方", "中越") for i in issues)
    relaxed = {i["term"]: i["message"] for i in issues if "earlier mention" in i["message"]}
    assert "国家主席" in relaxed
    assert any("“He” may stand for To Lam" in i["message"] for i in issues)


def test_presegmented_pairs_line_i_with_line_i(run_zhen, tmp_path, glossary):
    # Two sentences on one line stay one pair: nothing is re-segmented or aligned.
    source = write(tmp_path, "zh.txt", f"{ZH_1}{ZH_2}\n\n{ZH_2}\n")
    draft = write(tmp_path, "en.txt", f"{EN_1} {EN_2_GOOD}\n\n{EN_2_BAD}\n\n")
    result = run_zhen("check", "--presegmented", source, draft, "--glossary", glossary, "--json")
    assert result.code == 1, result.stderr
    data = json.loads(result.stdout)
    assert data["summary"]["pairs"] == 2
    assert {(i["pair_index"], i["kind"]) for i in data["issues"]} == {
        (1, "number-mismatch"),
        (1, "term-forbidden"),
    }
    # The second pair is on line 3 of both files: the blank line is counted.
    assert {
        (i["location"]["source_lines"][0], i["location"]["target_lines"][0]) for i in data["issues"]
    } == {(3, 3)}


def test_presegmented_line_counts_must_agree(run_zhen, tmp_path, glossary):
    write(tmp_path, "zh.txt", f"{ZH_1}\n{ZH_2}\n")
    write(tmp_path, "en.txt", f"{EN_1} {EN_2_GOOD}\n")
    result = run_zhen("check", "--presegmented", "zh.txt", "en.txt", "--glossary", glossary)
    assert result.code == 2 and result.stdout == ""
    assert result.stderr.startswith("zhen: error: zh.txt has 2 lines and en.txt has 1: ")
    assert "Traceback" not in result.stderr
    missing = run_zhen("check", "--presegmented", "zh.txt", "--glossary", glossary)
    assert missing.code == 2 and "zhen check --presegmented SOURCE DRAFT" in missing.stderr


def test_missing_draft_says_what_check_needs(run_zhen, tmp_path, glossary):
    write(tmp_path, "article.zh.txt", f"{ZH_1}\n\n{ZH_2}\n")
    result = run_zhen("check", "article.zh.txt", "--glossary", glossary)
    assert result.code == 2
    assert "zhen check article.zh.txt DRAFT" in result.stderr
    assert "zhen align" not in result.stderr


@pytest.mark.parametrize("terminal", [True, False])
def test_progress_on_stderr_only_on_a_terminal(run_zhen, tmp_path, glossary, terminal):
    from zhen.cli import console

    lines = 320  # above the length under which no bar is shown
    source = write(tmp_path, "zh.txt", f"{ZH_1}\n" * lines)
    draft = write(tmp_path, "en.txt", f"{EN_1}\n" * lines)
    console.force_terminal(terminal)
    try:
        result = run_zhen("check", "--presegmented", source, draft, "--glossary", glossary)
    finally:
        console.force_terminal(None)
    assert result.code == 0, result.stderr
    assert f"{lines} pairs checked" in result.stdout
    if terminal:
        assert "checking" in result.stderr and "%" in result.stderr
    else:
        assert result.stderr == ""


def test_the_example_in_docs_check_md_is_what_zhen_prints(run_zhen, default_db, tmp_path):
    """docs/check.md shows `zhen check draft.tsv` on the bundled glossary; it must stay true."""
    doc = (REPO_ROOT / "docs" / "check.md").read_text(encoding="utf-8")
    shown = doc[doc.index("$ zhen check draft.tsv\n") :].split("\n", 1)[1]
    shown = shown[: shown.index("$ echo $?")]
    shutil.copyfile(REPO_ROOT / "docs" / "examples" / "draft.tsv", tmp_path / "draft.tsv")
    result = run_zhen("check", "draft.tsv", "--color", "never")
    assert result.code == 1
    assert result.stdout == shown

"""`zhen check --format text|json|csv|html`: the same issues in each, safe to open anywhere.

The HTML report is opened in a real headless Chromium (Debian's `chromium`) and its DOM read back.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.test_check_cli import EN_1, EN_2_BAD, GLOSSARY, ZH_1, ZH_2, write
from zhen.checker.formats import CSV_HEADER, FORMATS
from zhen.cli import check as check_cli
from zhen.io.spreadsheet import restore_cell

HOSTILE = '<script>alert("owned")</script>'
# The bad pair (a forbidden term, a wrong number) with markup and a formula around it.
TARGET = f"{HOSTILE} {EN_2_BAD} =SUM(A1)"


@pytest.fixture
def glossary(tmp_path: Path) -> Path:
    return write(tmp_path, "terms.tsv", GLOSSARY)


@pytest.fixture
def draft(tmp_path: Path) -> Path:
    # A file name with markup in it: it is shown in every location.
    return write(tmp_path, "job<b>.tsv", f"zh\ten\n{ZH_1}\t{EN_1}\n{ZH_2}\t{TARGET}\n")


def report(run_zhen, draft: Path, glossary: Path, *options: str) -> str:
    result = run_zhen("check", draft, "--glossary", glossary, *options)
    assert result.code == 1, result.stderr
    return result.stdout


def test_the_cli_offers_every_format():
    assert check_cli._FORMATS == FORMATS


def test_json_alias_and_format_json_agree(run_zhen, draft, glossary):
    as_alias = report(run_zhen, draft, glossary, "--json")
    assert as_alias == report(run_zhen, draft, glossary, "--format", "json")
    issues = json.loads(as_alias)["issues"]
    assert {issue["location"]["source_lines"][0] for issue in issues} == {3}


def test_csv_has_one_safe_row_per_issue(run_zhen, tmp_path, draft, glossary):
    out = tmp_path / "issues.csv"
    assert report(run_zhen, draft, glossary, "--format", "csv", "-o", str(out)) == ""
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == CSV_HEADER
    records = [dict(zip(CSV_HEADER, row, strict=True)) for row in rows[1:]]
    issues = json.loads(report(run_zhen, draft, glossary, "--json"))["issues"]
    assert len(records) == len(issues) == 2
    assert sorted(r["kind"] for r in records) == ["number-mismatch", "term-forbidden"]
    for record in records:
        assert (record["location"], record["file"]) == ("job<b>.tsv:3", "job<b>.tsv")
        assert (record["unit"], record["source_lines"], record["target_lines"]) == ("2", "3", "3")
        assert record["target"] == TARGET and restore_cell(record["target"]) == TARGET
    # A cell a spreadsheet would run as a formula gets its quote; the importer's rule undoes it.
    formula = f'=HYPERLINK("x") {EN_2_BAD}'
    path = write(tmp_path, "formula.tsv", f"{ZH_2}\t{formula}\n")
    rows = list(csv.reader(io.StringIO(report(run_zhen, path, glossary, "--format", "csv"))))
    target = rows[1][CSV_HEADER.index("target")]
    assert target == "'" + formula and restore_cell(target) == formula


def test_no_report_lets_a_control_character_from_a_file_name_through(run_zhen, tmp_path, glossary):
    path = write(tmp_path, "job\x1b[2J.tsv", f"{ZH_2}\t{EN_2_BAD}\n")
    for fmt in FORMATS:
        shown = report(run_zhen, path, glossary, "--format", fmt)
        assert "\x1b" not in shown, fmt
        assert "job\\x1b[2J.tsv" in shown or "job\\u001b[2J.tsv" in shown, fmt


def test_min_severity_filters_csv_and_html_but_not_json(run_zhen, tmp_path, glossary):
    # A dropped number is a warning; with --min-severity error it is left out.
    path = write(
        tmp_path, "warn.tsv", f"{ZH_1}\t{EN_1.replace('75th anniversary', 'anniversary')}\n"
    )
    options = ("--min-severity", "error")
    assert (
        len(
            list(
                csv.reader(
                    io.StringIO(report(run_zhen, path, glossary, "--format", "csv", *options))
                )
            )
        )
        == 1
    )
    html = report(run_zhen, path, glossary, "--format", "html", *options)
    assert "<section>" not in html and "<td>1</td>" in html  # counted, not listed
    assert json.loads(report(run_zhen, path, glossary, "--json", *options))["issues"]


def test_a_report_never_overwrites_an_input(run_zhen, draft, glossary):
    before = draft.read_bytes()
    result = run_zhen("check", draft, "--glossary", glossary, "--format", "csv", "-o", str(draft))
    assert result.code == 2 and result.stderr.startswith("zhen: error: ")
    assert draft.read_bytes() == before


class _Html5Checker(HTMLParser):
    """The HTML5 rules a report must keep: known elements, properly nested and closed, a
    doctype, a charset and a title, unique ids, and nothing that runs or loads anything."""

    VOID = frozenset({"meta", "br", "hr", "img", "link", "input", "wbr"})
    KNOWN = VOID | {
        "html", "head", "title", "style", "body", "h1", "h2", "p", "table", "thead", "tbody",
        "tr", "th", "td", "section", "ul", "li", "span", "b", "mark",
    }  # fmt: skip

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.errors: list[str] = []
        self.stack: list[str] = []
        self.seen: list[str] = []
        self.doctype = ""
        self.ids: set[str] = set()
        self.text: list[str] = []

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.append(tag)
        if tag not in self.KNOWN:
            self.errors.append(f"element <{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in {"src", "href", "action", "srcset"}:
                self.errors.append(f"<{tag} {name}>")
            if name == "id":
                if value in self.ids:
                    self.errors.append(f"duplicate id {value}")
                self.ids.add(value or "")
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1] not in {"style", "title"}:
            self.text.append(data)


def checked_html(html: str) -> _Html5Checker:
    checker = _Html5Checker()
    checker.feed(html)
    checker.close()
    assert checker.doctype == "DOCTYPE html" and html.startswith("<!DOCTYPE html>")
    assert checker.errors == [] and checker.stack == []
    assert checker.seen[:2] == ["html", "head"] and "title" in checker.seen
    assert '<meta charset="utf-8">' in html and "<html lang=" in html
    return checker


def test_the_html_report_is_valid_self_contained_and_escaped(run_zhen, draft, glossary):
    html = report(run_zhen, draft, glossary, "--format", "html")
    checker = checked_html(html)
    assert "<script" not in html and "url(" not in html and "@import" not in html
    assert "&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt;" in html
    text = "".join(checker.text)
    assert HOSTILE in text and "job<b>.tsv:3" in text
    # Both sides, the offending spans marked, and the suggestion.
    assert "<mark>15亿</mark>" in html and "<mark>peaceful progress</mark>" in html
    assert "→ " in text
    # Summary: one row per kind, errors first.
    assert "<tr><td>term-forbidden</td><td>1</td><td>0</td><td>0</td><td>1</td></tr>" in html


def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.skip(
            "Debian's chromium is not installed (.ci/run installs it: apt-get install chromium)"
        )
    return path


def test_the_html_report_renders_in_headless_chromium(run_zhen, tmp_path, draft, glossary):
    chromium = _chromium()
    page = tmp_path / "report.html"
    report(run_zhen, draft, glossary, "--format", "html", "-o", str(page))
    profile = tmp_path / "chromium-profile"
    result = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",  # tests may run as root, where the sandbox refuses to start
            "--disable-gpu",
            "--disable-dev-shm-usage",
            f"--user-data-dir={profile}",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "HOME": str(profile)},
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    dom = result.stdout
    checker = _Html5Checker()
    checker.feed(dom)
    text = " ".join("".join(checker.text).split())
    # The browser built the page: the table got its implied <tbody>, the text is all there.
    assert "<tbody>" in dom
    assert "job<b>.tsv:3" in text
    assert "peaceful progress" in text and "forbidden" in text
    assert HOSTILE in text  # shown as text …
    assert "script" not in checker.seen  # … and never an element
    assert "<mark>15亿</mark>" in dom

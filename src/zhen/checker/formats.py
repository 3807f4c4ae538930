"""`zhen check --format`: the report as text, JSON, CSV (one row per issue) or one HTML file."""

from __future__ import annotations

import csv
import io

from zhen.checker.html_report import format_html
from zhen.checker.location import format_lines
from zhen.checker.render import format_report, issue_label
from zhen.checker.report import SEVERITIES, CheckReport, Issue
from zhen.errors import CheckError
from zhen.io.spreadsheet import neutralise_cell
from zhen.text.safetext import json_text, visible

FORMATS = ("text", "json", "csv", "html")

CSV_HEADER = (
    "location",
    "file",
    "unit_id",
    "original",
    "unit",
    "source_lines",
    "target_file",
    "target_lines",
    "severity",
    "kind",
    "message",
    "suggestion",
    "term",
    "expected",
    "found",
    "source",
    "target",
)


def format_check_report(
    report: CheckReport, fmt: str, *, colour: bool = False, min_severity: str = "info"
) -> str:
    """The report in `fmt` (one of FORMATS); `min_severity` hides milder issues except in JSON.

    JSON keeps every issue, as `--json` always did, so a script sees the whole result.
    """
    if fmt == "text":
        return format_report(report, colour=colour, min_severity=min_severity)
    if fmt == "json":
        return json_text(report.to_json(), indent=2) + "\n"
    if fmt == "csv":
        return format_csv(report, min_severity=min_severity)
    if fmt == "html":
        return format_html(report, min_severity=min_severity)
    raise CheckError(f"unknown report format {fmt!r} (expected one of: {', '.join(FORMATS)})")


def format_csv(report: CheckReport, *, min_severity: str = "info") -> str:
    """One row per issue in document order, every cell spreadsheet- and terminal-safe (RFC 4180)."""
    threshold = SEVERITIES.index(min_severity)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for issues in report.by_pair().values():
        for issue in issues:
            if SEVERITIES.index(issue.severity) >= threshold:
                # visible(): a control character in a file name must not reach a terminal either.
                writer.writerow([neutralise_cell(visible(cell)) for cell in _csv_row(issue)])
    return out.getvalue()


def _csv_row(issue: Issue) -> list[str]:
    where = issue.location
    return [
        issue_label(issue),
        where.file,
        where.unit_id or "",
        where.original or "",
        "" if where.unit is None else str(where.unit),
        format_lines(where.source_lines),
        where.target_file or "",
        format_lines(where.target_lines),
        issue.severity,
        issue.kind,
        issue.message,
        issue.suggestion or "",
        issue.term or "",
        issue.expected or "",
        issue.found or "",
        issue.source,
        "" if issue.target is None else issue.target,
    ]

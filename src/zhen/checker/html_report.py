"""The `zhen check --format html` report: one self-contained HTML5 file to hand to a translator.

Everything is inline (CSS in a <style>, no script, no image, no link), and a Content Security
Policy forbids loading anything, so the file opens the same offline and cannot call out. Every
stored string (segments, terms, messages, file names) is HTML-escaped: a segment holding
`<script>` shows as text.
"""

from __future__ import annotations

from html import escape

from zhen.checker.render import issue_label, merge_spans, summary_line
from zhen.checker.report import SEVERITIES, CheckReport, Issue, IssueKind, Severity, Span
from zhen.text.safetext import visible, visible_spans

_STYLE = """
body { font: 15px/1.5 system-ui, sans-serif; margin: 2em auto; max-width: 60em; color: #222; }
h1 { font-size: 1.4em; margin-bottom: .2em; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: .2em .7em; text-align: right; }
th:first-child, td:first-child { text-align: left; }
section { border-top: 1px solid #ddd; padding: .6em 0; }
h2 { font-size: 1em; font-family: ui-monospace, monospace; margin: 0 0 .3em; }
.side { margin: .1em 0; white-space: pre-wrap; }
.side b { display: inline-block; width: 2em; color: #777; font-weight: normal; }
.none { color: #777; font-style: italic; }
mark { background: #ffe08a; padding: 0 .1em; }
ul { margin: .3em 0 0; padding-left: 1.2em; }
.severity { display: inline-block; min-width: 5.5em; font-weight: bold; }
.error .severity { color: #b00020; }
.warning .severity { color: #8a6100; }
.info .severity { color: #0b6e8a; }
.kind { font-family: ui-monospace, monospace; margin-right: .5em; }
.suggestion { color: #555; }
""".strip()

# Nothing may be fetched or run: the report is read offline, often from an e-mail attachment.
_CSP = "default-src 'none'; style-src 'unsafe-inline'"


def format_html(report: CheckReport, *, min_severity: str = "info") -> str:
    """The whole report as one HTML5 document (summary table, then one section per segment)."""
    threshold = SEVERITIES.index(min_severity)
    title = f"zhen check: {report.name}" if report.name else "zhen check"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_text(title)}</title>",
        f"<style>\n{_STYLE}\n</style>",
        "</head>",
        "<body>",
        f"<h1>{_text(title)}</h1>",
        f'<p class="summary">{_text(summary_line(report))}</p>',
        _summary_table(report),
    ]
    for issues in report.by_pair().values():
        shown = [issue for issue in issues if SEVERITIES.index(issue.severity) >= threshold]
        if shown:
            parts.append(_section(shown))
    parts.extend(("</body>", "</html>", ""))
    return "\n".join(parts)


def _text(text: str) -> str:
    """Stored text as HTML: control characters shown as escapes, markup characters escaped."""
    return escape(visible(text), quote=True)


def _summary_table(report: CheckReport) -> str:
    """Issues counted by kind (rows) and severity (columns), with totals."""
    counts: dict[tuple[str, str], int] = {}
    for issue in report.issues:
        key = (str(issue.kind), str(issue.severity))
        counts[key] = counts.get(key, 0) + 1
    severities = list(reversed(Severity))  # errors first
    head = "".join(f"<th>{severity.value}</th>" for severity in severities)
    rows = [f"<tr><th>kind</th>{head}<th>total</th></tr>"]
    for kind in IssueKind:
        cells = [counts.get((kind.value, severity.value), 0) for severity in severities]
        if any(cells):
            numbers = "".join(f"<td>{n}</td>" for n in cells)
            rows.append(f"<tr><td>{kind.value}</td>{numbers}<td>{sum(cells)}</td></tr>")
    totals = [sum(n for (_, s), n in counts.items() if s == sev.value) for sev in severities]
    numbers = "".join(f"<td>{n}</td>" for n in totals)
    rows.append(f"<tr><th>all</th>{numbers}<td>{sum(totals)}</td></tr>")
    return '<table class="by-kind">\n' + "\n".join(rows) + "\n</table>"


def _section(issues: list[Issue]) -> str:
    """One segment: where it is, both sides with every issue's spans marked, then the issues."""
    first = issues[0]
    source_spans = [span for issue in issues for span in issue.spans.get("source", [])]
    target_spans = [span for issue in issues for span in issue.spans.get("target", [])]
    target = (
        '<span class="none">(no counterpart)</span>'
        if first.target is None
        else _marked(first.target, target_spans)
    )
    items = "\n".join(_issue_item(issue) for issue in issues)
    return (
        "<section>\n"
        f"<h2>{_text(issue_label(first))}</h2>\n"
        f'<p class="side" lang="zh"><b>zh</b>{_marked(first.source, source_spans)}</p>\n'
        f'<p class="side" lang="en"><b>en</b>{target}</p>\n'
        f"<ul>\n{items}\n</ul>\n"
        "</section>"
    )


def _marked(text: str, spans: list[Span]) -> str:
    """The text escaped, each span (merged where they overlap) in a <mark>."""
    shown, moved = visible_spans(text, spans)
    parts: list[str] = []
    position = 0
    for start, end in merge_spans(moved):
        parts.append(escape(shown[position:start]))
        parts.append(f"<mark>{escape(shown[start:end])}</mark>")
        position = end
    parts.append(escape(shown[position:]))
    return "".join(parts)


def _issue_item(issue: Issue) -> str:
    severity = escape(str(issue.severity))
    suggestion = (
        f'<br><span class="suggestion">→ {_text(issue.suggestion)}</span>'
        if issue.suggestion
        else ""
    )
    return (
        f'<li class="{severity}"><span class="severity">{severity}</span>'
        f'<span class="kind">{escape(str(issue.kind))}</span>'
        f"{_text(issue.message)}{suggestion}</li>"
    )

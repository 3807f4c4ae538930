"""The readable `zhen check` report: issues grouped by sentence, terms highlighted."""

from __future__ import annotations

from zhen.checker.report import SEVERITIES, CheckReport, Issue, Span
from zhen.text.safetext import visible, visible_spans

_RESET = "\x1b[0m"
_SEVERITY_COLOUR = {"error": "\x1b[1;31m", "warning": "\x1b[1;33m", "info": "\x1b[36m"}
_HIGHLIGHT = "\x1b[1;4m"
_DIM = "\x1b[2m"


def _mark(text: str, spans: list[Span], colour: bool) -> str:
    """The text, control characters escaped, with each span in ANSI bold-underline or [brackets]."""
    text, spans = visible_spans(text, spans)
    if not spans:
        return text
    opener, closer = (_HIGHLIGHT, _RESET) if colour else ("[", "]")
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    parts: list[str] = []
    position = 0
    for start, end in merged:
        parts.extend((text[position:start], opener, text[start:end], closer))
        position = end
    parts.append(text[position:])
    return "".join(parts)


def _issue_line(issue: Issue, colour: bool) -> str:
    label = f"{issue.severity:<7}"
    if colour:
        label = f"{_SEVERITY_COLOUR[issue.severity]}{label}{_RESET}"
    line = f"  {label} {issue.kind:<17} {visible(issue.message)}"
    if issue.suggestion:
        hint = visible(f"→ {issue.suggestion}")
        line += f"\n  {'':<7} {'':<17} " + (f"{_DIM}{hint}{_RESET}" if colour else hint)
    return line


def format_report(report: CheckReport, *, colour: bool = False, min_severity: str = "info") -> str:
    """The report as text: one block per sentence pair with issues, then a summary line."""
    threshold = SEVERITIES.index(min_severity)
    blocks: list[str] = []
    for pair_index, issues in report.by_pair().items():
        shown = [i for i in issues if SEVERITIES.index(i.severity) >= threshold]
        if not shown:
            continue
        source_spans = [span for issue in shown for span in issue.spans.get("source", [])]
        target_spans = [span for issue in shown for span in issue.spans.get("target", [])]
        first = shown[0]
        lines = [f"#{pair_index + 1}", f"  zh: {_mark(first.source, source_spans, colour)}"]
        if first.target is None:
            lines.append("  en: (no counterpart)")
        else:
            lines.append(f"  en: {_mark(first.target, target_spans, colour)}")
        lines.extend(_issue_line(issue, colour) for issue in shown)
        blocks.append("\n".join(lines))
    blocks.append(summary_line(report))
    return "\n\n".join(blocks) + "\n"


def summary_line(report: CheckReport) -> str:
    """'42 pairs, 310 terms: 1 error, 3 warnings, 2 info' style one-liner."""
    summary = report.summary
    counts = summary["by_severity"]
    parts = [
        f"{counts['error']} error{'s' if counts['error'] != 1 else ''}",
        f"{counts['warning']} warning{'s' if counts['warning'] != 1 else ''}",
        f"{counts['info']} info",
    ]
    kinds = ", ".join(f"{kind} {n}" for kind, n in summary["by_kind"].items())
    head = f"{summary['pairs']} pairs checked against {summary['terms']} glossary terms: "
    return head + ", ".join(parts) + (f" ({kinds})" if kinds else "")

"""The readable `zhen check` report: issues grouped by sentence, terms highlighted."""

from __future__ import annotations

from zhen.checker.report import KINDS, SEVERITIES, CheckReport, Issue, Span
from zhen.text.safetext import visible, visible_spans
from zhen.text.styled import Fragment, render

_SEVERITY_STYLE = {"error": "bold red", "warning": "bold yellow", "info": "cyan"}
_HIGHLIGHT = "bold underline"
_DIM = "dim"
_KIND_WIDTH = max(map(len, KINDS))  # the kinds line up in one column


def _mark(text: str, spans: list[Span], colour: bool) -> list[Fragment]:
    """The text, control characters escaped, with each span bold-underlined or in [brackets]."""
    text, spans = visible_spans(text, spans)
    parts: list[Fragment] = []
    position = 0
    for start, end in merge_spans(spans):
        marked = text[start:end]
        parts.append(text[position:start])
        parts.extend([(marked, _HIGHLIGHT)] if colour else ["[", marked, "]"])
        position = end
    parts.append(text[position:])
    return parts


def merge_spans(spans: list[Span]) -> list[Span]:
    """The spans sorted, overlapping ones merged (two issues about one term mark it once)."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _issue_line(issue: Issue, colour: bool) -> list[Fragment]:
    label = f"{issue.severity:<7}"
    parts: list[Fragment] = [
        "  ",
        (label, _SEVERITY_STYLE[issue.severity]) if colour else label,
        f" {issue.kind:<{_KIND_WIDTH}} {visible(issue.message)}",
    ]
    if issue.suggestion:
        hint = visible(f"→ {issue.suggestion}")
        parts.extend((f"\n  {'':<7} {'':<{_KIND_WIDTH}} ", (hint, _DIM) if colour else hint))
    return parts


def format_report(report: CheckReport, *, colour: bool = False, min_severity: str = "info") -> str:
    """The report as text: one block per sentence pair with issues, then a summary line.

    With `colour`, terms are bold-underlined and severities coloured (ANSI, through Rich);
    without, terms are in [brackets] and the text holds no escape sequence.
    """
    threshold = SEVERITIES.index(min_severity)
    parts: list[Fragment] = []
    for issues in report.by_pair().values():
        shown = [i for i in issues if SEVERITIES.index(i.severity) >= threshold]
        if not shown:
            continue
        source_spans = [span for issue in shown for span in issue.spans.get("source", [])]
        target_spans = [span for issue in shown for span in issue.spans.get("target", [])]
        first = shown[0]
        where = visible(issue_label(first))
        parts.extend((f"{where}\n", "  zh: ", *_mark(first.source, source_spans, colour)))
        if first.target is None:
            parts.append("\n  en: (no counterpart)")
        else:
            parts.extend(("\n  en: ", *_mark(first.target, target_spans, colour)))
        for issue in shown:
            parts.extend(("\n", *_issue_line(issue, colour)))
        parts.append("\n\n")
    parts.append(summary_line(report) + "\n")
    return render(parts, colour=colour)


def issue_label(issue: Issue) -> str:
    """Where the issue is, as a reviewer looks it up (`seg-a17 (file.xlf)`), else `#pair`."""
    return issue.location.label() or f"#{issue.pair_index + 1}"


def counted(count: int, noun: str) -> str:
    """ "1 error", "2 errors", "0 errors"."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def summary_line(report: CheckReport) -> str:
    """'42 pairs, 310 terms: 1 error, 3 warnings, 2 info' style one-liner."""
    summary = report.summary
    counts = summary["by_severity"]
    parts = [
        counted(counts["error"], "error"),
        counted(counts["warning"], "warning"),
        f"{counts['info']} info",
    ]
    kinds = ", ".join(f"{kind} {n}" for kind, n in summary["by_kind"].items())
    head = (
        f"{counted(summary['pairs'], 'pair')} checked against "
        f"{counted(summary['terms'], 'glossary term')}: "
    )
    ignored = f"; {summary['ignored']} ignored" if summary["ignored"] else ""
    return head + ", ".join(parts) + (f" ({kinds})" if kinds else "") + ignored

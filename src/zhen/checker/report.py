"""Check results: one `Issue` per finding, a `CheckReport` with summary, JSON and exit code."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from zhen.checker.location import NOWHERE, Location
from zhen.errors import CheckError


class Severity(StrEnum):
    """How bad an issue is, mildest first (the order `--fail-on` compares in)."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


class IssueKind(StrEnum):
    """What an issue is about, in the order the summary lists them."""

    TERM_MISSING = "term-missing"
    TERM_FORBIDDEN = "term-forbidden"
    TERM_INCONSISTENT = "term-inconsistent"
    NUMBER_MISMATCH = "number-mismatch"
    UNTRANSLATED = "untranslated"
    UNPAIRED = "unpaired"
    TAG_MISMATCH = "tag-mismatch"
    PLACEHOLDER_MISMATCH = "placeholder-mismatch"
    TAG_ORDER = "tag-order"
    FULLWIDTH_PUNCTUATION = "fullwidth-punctuation"
    UNBALANCED_BRACKETS = "unbalanced-brackets"
    DOUBLE_SPACE = "double-space"
    SPACE_BEFORE_PUNCTUATION = "space-before-punctuation"
    EDGE_WHITESPACE = "edge-whitespace"
    LOWERCASE_START = "lowercase-start"
    INCONSISTENT_TARGET = "inconsistent-target"
    INCONSISTENT_SOURCE = "inconsistent-source"


# Plain strings, so argparse's "invalid choice" message and the JSON summary keys stay as before.
SEVERITIES = tuple(severity.value for severity in Severity)
KINDS = tuple(kind.value for kind in IssueKind)

Span = tuple[int, int]


def severity_rank(severity: str) -> int:
    """0 info, 1 warning, 2 error; CheckError for anything else (e.g. a bad --fail-on)."""
    try:
        return SEVERITIES.index(severity)
    except ValueError:
        raise CheckError(
            f"unknown severity {severity!r} (expected one of: {', '.join(SEVERITIES)})"
        ) from None


def issue_kinds(names: Iterable[str]) -> frozenset[str]:
    """The kinds named (e.g. by --skip); CheckError listing the kinds for a name that is none."""
    chosen = frozenset(names)
    unknown = sorted(chosen - set(KINDS))
    if unknown:
        raise CheckError(
            f"unknown issue kind {', '.join(map(repr, unknown))} "
            f"(expected one of: {', '.join(KINDS)})"
        )
    return chosen


@dataclass(slots=True)
class Issue:
    """One problem found in one sentence pair.

    `spans` maps "source" and "target" to (start, end) character offsets into `source` and
    `target` of the text the issue is about (the term, the number), for highlighting.
    """

    kind: IssueKind
    severity: Severity
    source: str
    target: str | None
    message: str
    term: str | None = None
    expected: str | None = None
    found: str | None = None
    suggestion: str | None = None
    pair_index: int = 0
    spans: dict[str, list[Span]] = field(default_factory=dict)
    location: Location = NOWHERE
    # The other places an issue about a group of segments is about (consistency checks).
    related: list[Location] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict with every field (spans as [start, end] lists)."""
        return {
            "kind": self.kind,
            "severity": self.severity,
            "source": self.source,
            "target": self.target,
            "term": self.term,
            "expected": self.expected,
            "found": self.found,
            "message": self.message,
            "suggestion": self.suggestion,
            "pair_index": self.pair_index,
            "location": self.location.to_json(),
            "spans": {side: [list(span) for span in spans] for side, spans in self.spans.items()},
            "related": [location.to_json() for location in self.related],
        }


@dataclass(slots=True)
class CheckReport:
    """All issues of one checked document plus what was checked (for the summary)."""

    issues: list[Issue]
    pairs_checked: int
    terms_checked: int
    name: str = ""
    ignored: int = 0  # issues left out because an ignore list accepted them (checker.ignore)

    @property
    def summary(self) -> dict[str, Any]:
        """Counts: pairs and terms checked, issues (and those ignored), by severity and kind."""
        by_severity = Counter(issue.severity for issue in self.issues)
        by_kind = Counter(issue.kind for issue in self.issues)
        return {
            "pairs": self.pairs_checked,
            "terms": self.terms_checked,
            "issues": len(self.issues),
            "ignored": self.ignored,
            "by_severity": {severity.value: by_severity[severity] for severity in Severity},
            "by_kind": {kind.value: by_kind[kind] for kind in IssueKind if by_kind[kind]},
        }

    def to_json(self) -> dict[str, Any]:
        """{"name", "issues": [...], "summary": {...}} — the `zhen check --json` output."""
        return {
            "name": self.name,
            "issues": [issue.to_json() for issue in self.issues],
            "summary": self.summary,
        }

    def exit_code(self, fail_on: str = "warning") -> int:
        """1 when an issue at or above `fail_on` severity was found, else 0."""
        threshold = severity_rank(fail_on)
        return int(any(severity_rank(issue.severity) >= threshold for issue in self.issues))

    def by_pair(self) -> dict[int, list[Issue]]:
        """Issues grouped by sentence pair, in document order."""
        grouped: dict[int, list[Issue]] = {}
        for issue in sorted(self.issues, key=lambda i: i.pair_index):
            grouped.setdefault(issue.pair_index, []).append(issue)
        return grouped


def relax(issue: Issue, why: str) -> Issue:
    """A warning that the circumstances explain becomes info, saying why."""
    if issue.severity != "warning":
        return issue
    issue.severity = Severity.INFO
    issue.message += f" ({why})"
    return issue

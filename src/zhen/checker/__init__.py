"""Draft checking: terms, numbers, tags, typography, untranslated sentences (docs/check.md)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path

from zhen.checker.engine import Segment, check_pairs, check_segments
from zhen.checker.readers import read_segments
from zhen.checker.render import format_report
from zhen.checker.report import (
    KINDS,
    SEVERITIES,
    CheckReport,
    Issue,
    IssueKind,
    Severity,
    issue_kinds,
)
from zhen.checker.term_index import TermIndex
from zhen.models import Term

__all__ = [
    "KINDS",
    "SEVERITIES",
    "CheckReport",
    "Issue",
    "IssueKind",
    "Segment",
    "Severity",
    "TermIndex",
    "check_files",
    "check_pairs",
    "check_segments",
    "format_report",
    "issue_kinds",
]


def check_files(
    source: Path | str,
    draft: Path | str | None = None,
    *,
    terms: Sequence[Term],
    skip: Collection[str] = (),
) -> CheckReport:
    """Check SOURCE (Chinese) against DRAFT (English), or one bilingual file when DRAFT is None.

    Issues of the kinds in `skip` are left out (CheckError for a name that is no kind).
    """
    skip = issue_kinds(skip)
    source_path = Path(source)
    segments = read_segments(source_path, None if draft is None else Path(draft), terms=terms)
    return check_segments(segments, terms, name=source_path.name, skip=skip)

"""Draft checking: terms, numbers, tags, typography, untranslated sentences (docs/check.md)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import replace
from pathlib import Path

from zhen.checker.engine import Segment, check_pairs, check_segments
from zhen.checker.readers import is_bilingual, read_line_pairs, read_segments
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
from zhen.errors import CheckError, NoEnglishError
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
    "check_job",
    "check_pairs",
    "check_segments",
    "format_report",
    "is_bilingual",
    "issue_kinds",
]


def check_files(
    source: Path | str,
    draft: Path | str | None = None,
    *,
    terms: Sequence[Term],
    skip: Collection[str] = (),
    presegmented: bool = False,
    progress: Callable[[int, int, str], None] | None = None,
) -> CheckReport:
    """Check SOURCE (Chinese) against DRAFT (English), or one bilingual file when DRAFT is None.

    Issues of the kinds in `skip` are left out (CheckError for a name that is no kind).
    `presegmented`: two plain texts of one sentence a line, paired line by line (not aligned).
    `progress(done, total, stage)` is told how far aligning and checking are.
    """
    skip = issue_kinds(skip)
    source_path = Path(source)
    draft_path = None if draft is None else Path(draft)

    def stage(name: str) -> Callable[[int, int], None] | None:
        return None if progress is None else lambda done, total: progress(done, total, name)

    if presegmented:
        segments = read_line_pairs(source_path, draft_path)
    else:
        try:
            segments = read_segments(
                source_path, draft_path, terms=terms, progress=stage("aligning")
            )
        except NoEnglishError:
            raise CheckError(
                f"{source_path}: only Chinese, no English draft to check; give the draft as a "
                f"second file: zhen check {source_path} DRAFT (or one bilingual TMX, XLIFF, PO "
                "or TSV file)"
            ) from None
    return check_segments(
        segments, terms, name=source_path.name, skip=skip, progress=stage("checking")
    )


def check_job(
    paths: Sequence[Path | str],
    *,
    terms: Sequence[Term],
    skip: Collection[str] = (),
    progress: Callable[[int, int, str], None] | None = None,
) -> CheckReport:
    """Check several bilingual files as one job: each file's segments as `check_files` would,
    consistency and term consistency across them all; each issue's location names its file."""
    skip = issue_kinds(skip)
    files = [Path(path) for path in paths]
    for path in files:
        if not is_bilingual(path):
            raise CheckError(
                f"{path}: not a bilingual TMX, XLIFF, PO or TSV file; several files are checked "
                "together only when each holds both sides"
            )
    segments: list[Segment] = []
    for path in files:
        # A document per file, so a pronoun never refers back to a name in another file.
        segments += [
            replace(segment, document=segment.document or str(path))
            for segment in read_segments(path)
        ]
    check_progress = (
        None if progress is None else lambda done, total: progress(done, total, "checking")
    )
    name = ", ".join(path.name for path in files)
    return check_segments(segments, terms, name=name, skip=skip, progress=check_progress)

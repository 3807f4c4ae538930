"""The term checks: term-missing and term-forbidden per sentence, term-inconsistent per document.

Decisions (documented in docs/check.md):

- A forbidden rendering is an error when its source term is in the sentence, and a warning
  when it is not (the draft may have introduced it while paraphrasing); it is not reported where
  it is only part of a longer allowed rendering ("shared future" inside "community with a shared
  future") or where it is an allowed rendering of a term the sentence does hold.
- A source term whose draft holds a forbidden rendering of it is reported once, as forbidden.
- term-inconsistent compares the allowed renderings actually used for one source term across
  the document: the preferred rendering wins when it is used at all, else the most frequent one;
  each sentence using another is flagged. Renderings that are the same words with some left out
  ("Xi" / "Xi Jinping") count as one. Sentences where the term is missing are already
  term-missing and do not count. Every rendering involved is approved, so this is info: a
  point of style for the reviewer, not a failure.
- A lookup-only entry (`checked` false) is neither required nor compared for consistency; its
  forbidden renderings are still errors.
- A term whose draft renders only a shorter term inside it, at the end of the term's own
  rendering ("Xi" for 习近平总书记, "General Secretary Xi"), is term-missing at info level: news
  English drops titles on purpose. A modifier does not count ("China and Vietnam" does not
  half-render 中越人文交流年), nor does a rendering that is part of a longer one or that renders
  the shorter term's own free-standing occurrence. With nothing of it rendered: warning.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from zhen.checker import english
from zhen.checker.report import Issue, IssueKind, Severity
from zhen.checker.term_index import ALLOWED, FORBIDDEN, MergedTerm, SourceHit, TargetHit


@dataclass(frozen=True, slots=True)
class Usage:
    """Which allowed rendering a draft sentence used for a source term (for consistency)."""

    entry: MergedTerm
    rendering_index: int  # canonical index into entry.renderings
    pair_index: int
    source: str
    target: str
    source_span: tuple[int, int]
    target_span: tuple[int, int]


def _inside(inner: tuple[int, int], outer: tuple[int, int]) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1]


def _renderings_text(entry: MergedTerm) -> str:
    return " / ".join(f"“{r}”" for r in entry.renderings)


def sentence_term_issues(
    source: str,
    target: str,
    pair_index: int,
    source_hits: list[SourceHit],
    target_hits: list[TargetHit],
) -> tuple[list[Issue], list[Usage]]:
    """term-missing and term-forbidden issues of one sentence pair, and its rendering usages."""
    in_source: dict[int, SourceHit] = {}  # every term written in the source, shadowed or not
    for hit in sorted(source_hits, key=lambda h: h.shadowed):  # unshadowed occurrence first
        in_source.setdefault(hit.entry.index, hit)
    allowed = [hit for hit in target_hits if hit.kind == ALLOWED]
    forbidden = [
        hit
        for hit in target_hits
        if hit.kind == FORBIDDEN and not _excused(hit, allowed, in_source)
    ]
    issues = [_forbidden_issue(source, target, pair_index, hit, in_source) for hit in forbidden]
    # Source spans already explained by a forbidden rendering: no second, "missing" issue there.
    forbidden_entries = {hit.entry.index for hit in forbidden}
    explained = [hit.span for hit in source_hits if hit.entry.index in forbidden_entries]
    usages: list[Usage] = []
    for entry_index, source_hit in in_source.items():
        if source_hit.shadowed or not source_hit.entry.checked:
            continue
        entry = source_hit.entry
        used = [hit for hit in allowed if hit.entry.index == entry_index]
        if used:
            # The preferred rendering counts when present; otherwise the first one written.
            best = min(used, key=lambda h: (entry.canonical[h.rendering_index] != 0, h.span))
            usages.append(
                Usage(
                    entry,
                    entry.canonical[best.rendering_index],
                    pair_index,
                    source,
                    target,
                    source_hit.span,
                    best.span,
                )
            )
        elif entry.searchable and not any(_inside(span, source_hit.span) for span in explained):
            part = _rendered_part(source_hit, source_hits, allowed)
            issues.append(_missing_issue(source, target, pair_index, source_hit, part))
    return issues, usages


def _excused(hit: TargetHit, allowed: list[TargetHit], in_source: dict[int, SourceHit]) -> bool:
    """A forbidden match that is really part of (or the same as) a legitimate rendering."""
    for other in allowed:
        if not _inside(hit.tokens, other.tokens):
            continue
        longer = other.tokens[1] - other.tokens[0] > hit.tokens[1] - hit.tokens[0]
        if longer or other.entry.index in in_source:
            return True
    return False


def _forbidden_issue(
    source: str, target: str, pair_index: int, hit: TargetHit, in_source: dict[int, SourceHit]
) -> Issue:
    entry = hit.entry
    source_hit = in_source.get(entry.index)
    found = target[hit.span[0] : hit.span[1]]
    if source_hit is not None:
        severity = Severity.ERROR
        message = f"“{found}” is a forbidden rendering of {entry.zh}; use “{entry.preferred}”"
    else:
        severity = Severity.WARNING
        message = (
            f"“{found}” is a forbidden rendering (of {entry.zh}, which this source sentence "
            f"does not hold); the approved rendering is “{entry.preferred}”"
        )
    return Issue(
        kind=IssueKind.TERM_FORBIDDEN,
        severity=severity,
        source=source,
        target=target,
        term=entry.zh,
        expected=entry.preferred,
        found=found,
        message=message,
        suggestion=f"replace “{found}” with “{entry.preferred}”",
        pair_index=pair_index,
        spans={"source": [source_hit.span] if source_hit else [], "target": [hit.span]},
    )


@dataclass(frozen=True, slots=True)
class _Part:
    """What the draft holds of a term it does not render in full."""

    span: tuple[int, int]  # in the draft
    of: str  # the Chinese term, or the glossary rendering, that part belongs to


def _rendered_part(
    source_hit: SourceHit, source_hits: list[SourceHit], allowed: list[TargetHit]
) -> _Part | None:
    """A rendering, in the draft, of a shorter term inside this one ("Xi" for 习近平总书记).

    Deliberately not the head word alone: "modernization" for 中国式现代化 ("Chinese
    modernization") is exactly the departure from the official term a reviewer must see.
    """
    inner = {
        hit.entry.index
        for hit in source_hits
        if hit.shadowed and _inside(hit.span, source_hit.span) and hit.span != source_hit.span
    }
    for entry_index in sorted(inner):
        # Only renderings beyond the shorter term's own free-standing occurrences count
        # (in 中越双方要以中越人文交流年为契机, "China and Vietnam" renders the first 中越).
        hits = {
            hit.span: hit
            for hit in allowed
            if hit.entry.index == entry_index
            and _ends(source_hit.entry, hit.rendering)
            and not _within_longer(hit, allowed)
        }
        own = sum(1 for hit in source_hits if hit.entry.index == entry_index and not hit.shadowed)
        if len(hits) > own:
            last = hits[max(hits)]
            return _Part(last.span, last.entry.zh)
    return None


def _within_longer(hit: TargetHit, allowed: list[TargetHit]) -> bool:
    """Part of a longer rendering ("CPV Central Committee" in "... headquarters")."""
    return any(
        _inside(hit.tokens, other.tokens) and other.tokens != hit.tokens for other in allowed
    )


def _ends(entry: MergedTerm, part: str) -> bool:
    """True when `part` ends one of the entry's renderings: the head a shortening keeps
    ("Xi" of "General Secretary Xi"), not a modifier ("China-Vietnam" of "China-Vietnam Year
    of People-to-People Exchanges")."""
    part_keys = english.pattern_keys(part)
    return any(
        key.endswith(part_key)
        for rendering in entry.renderings
        for key in english.pattern_keys(rendering)
        for part_key in part_keys
    )


def _missing_issue(
    source: str, target: str, pair_index: int, source_hit: SourceHit, part: _Part | None
) -> Issue:
    entry = source_hit.entry
    written = source[source_hit.span[0] : source_hit.span[1]]
    others = len(entry.renderings) > 1
    expected = f"none of {_renderings_text(entry)}" if others else f"no “{entry.preferred}”"
    message = f"{written} is in the source, but the draft has {expected}"
    target_spans: list[tuple[int, int]] = []
    severity = Severity.WARNING
    if part is not None:
        # The draft renders part of the term ("Xi" for 习近平总书记): a shortening news English
        # often makes on purpose, so it is listed for review without failing the check.
        severity = Severity.INFO
        found = target[part.span[0] : part.span[1]]
        message = f"{written} is only partly rendered (“{found}” of {part.of}); {message}"
        target_spans = [part.span]
    return Issue(
        kind=IssueKind.TERM_MISSING,
        severity=severity,
        source=source,
        target=target,
        term=written,
        expected=entry.preferred,
        found=None if part is None else target[part.span[0] : part.span[1]],
        message=message,
        suggestion=f"translate {written} as “{entry.preferred}”",
        pair_index=pair_index,
        spans={"source": [source_hit.span], "target": target_spans},
    )


def inconsistency_issues(usages: list[Usage]) -> list[Issue]:
    """term-inconsistent issues: sentences using another rendering than the document's main one."""
    by_entry: dict[int, list[Usage]] = {}
    for usage in usages:
        by_entry.setdefault(usage.entry.index, []).append(usage)
    issues: list[Issue] = []
    for entry_usages in by_entry.values():
        counts = Counter(u.rendering_index for u in entry_usages)
        if len(counts) < 2:
            continue
        main = 0 if 0 in counts else min(counts, key=lambda i: (-counts[i], i))
        entry = entry_usages[0].entry
        expected = entry.renderings[main]
        for usage in entry_usages:
            if usage.rendering_index == main:
                continue
            found = usage.target[usage.target_span[0] : usage.target_span[1]]
            issues.append(
                Issue(
                    kind=IssueKind.TERM_INCONSISTENT,
                    severity=Severity.INFO,
                    source=usage.source,
                    target=usage.target,
                    term=entry.zh,
                    expected=expected,
                    found=found,
                    message=(
                        f"{entry.zh} is “{found}” here but “{expected}” in "
                        f"{counts[main]} other sentence{'s' if counts[main] != 1 else ''}"
                    ),
                    suggestion=f"use “{expected}” throughout",
                    pair_index=usage.pair_index,
                    spans={"source": [usage.source_span], "target": [usage.target_span]},
                )
            )
    return issues

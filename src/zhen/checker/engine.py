"""Running every check over a document's sentence pairs and collecting one CheckReport."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence, Sized
from dataclasses import dataclass

from zhen.checker.consistency import CONSISTENCY_KINDS, Pair, consistency_issues
from zhen.checker.location import NOWHERE, Location
from zhen.checker.mentions import Mentions
from zhen.checker.numbercheck import number_issues, source_quantities
from zhen.checker.report import CheckReport, Issue, IssueKind, Severity, relax
from zhen.checker.tags import mask_placeholders, tag_issues
from zhen.checker.term_index import ALLOWED, TermIndex
from zhen.checker.termcheck import Usage, inconsistency_issues, sentence_term_issues
from zhen.checker.typography import typography_issues
from zhen.models import Term, TranslationUnit
from zhen.text.normalize import cjk_ratio, has_cjk, normalize_zh
from zhen.text.numbers import en_quantities

# Segments checked between two reports to a progress callback.
_PROGRESS_EVERY = 50
# A draft this Chinese is not a translation yet; below it, stray characters are flagged milder.
_STILL_CHINESE_RATIO = 0.3


@dataclass(frozen=True, slots=True)
class Segment:
    """One source sentence (or aligned group) and its draft; target None = no counterpart.

    `role` "title" marks a headline: news English rewrites headlines rather than translating
    them, so a glossary term missing there is info, not a warning. (Photo captions, by
    contrast, are translated closely and are checked like any sentence.)
    """

    source: str
    target: str | None
    role: str = "text"
    # Neighbouring draft sentences the aligner left without a source: a term or number missing
    # here but written there was probably split off this sentence (info, not a warning).
    context: tuple[str, ...] = ()
    # The document the pair belongs to (a TM mixes many): a pronoun or a shortened title can only
    # refer back to a person named earlier in the same document.
    document: str | None = None
    # Where the pair is (file, unit id, lines), copied onto each of its issues.
    location: Location = NOWHERE
    # The inline tags of each side in document order ("g#1", "x#2", see checker.tags): the text
    # holds the words only, so terms and numbers are matched without the markup.
    source_tags: tuple[str, ...] = ()
    target_tags: tuple[str, ...] = ()


def check_pairs(
    pairs: Sequence[TranslationUnit],
    terms: Sequence[Term] | TermIndex,
    *,
    skip: Collection[str] = (),
) -> CheckReport:
    """Check aligned zh/en pairs against a glossary (Terms or a prebuilt TermIndex)."""
    return check_segments(
        [
            Segment(
                unit.zh,
                unit.en,
                document=unit.origin,
                location=Location(file=unit.origin, unit_id=unit.tuid, unit=number),
            )
            for number, unit in enumerate(pairs, start=1)
        ],
        terms,
        skip=skip,
    )


def check_segments(
    segments: Iterable[Segment],
    terms: Sequence[Term] | TermIndex,
    *,
    name: str = "",
    skip: Collection[str] = (),
    progress: Callable[[int, int], None] | None = None,
) -> CheckReport:
    """Check segments in document order; `pair_index` of each issue is the segment's index.

    Issues of a kind in `skip` (IssueKind values) are left out of the report.
    `progress(done, total)` is told how far the check is, now and then (total 0: unknown)."""
    index = terms if isinstance(terms, TermIndex) else TermIndex(terms)
    total = len(segments) if isinstance(segments, Sized) else 0
    issues: list[Issue] = []
    usages: list[Usage] = []
    mentions = Mentions()
    document = None
    count = 0
    locations: list[Location] = []  # by pair index
    translated: list[Pair] = []  # compared with each other once all are read
    for pair_index, segment in enumerate(segments):
        count += 1
        locations.append(segment.location)
        if progress is not None and pair_index % _PROGRESS_EVERY == 0:
            progress(pair_index, total)
        if segment.document != document:
            mentions, document = Mentions(), segment.document
        source = segment.source
        if not source.strip():
            continue
        if segment.target is None:
            issues.append(_unpaired(source, pair_index))
            mentions.next_sentence([])
            continue
        target = segment.target
        untranslated = _untranslated(source, target, pair_index)
        if untranslated is not None:
            issues.append(untranslated)
            if untranslated.severity == "error":
                mentions.next_sentence([])
                continue  # nothing else to check in a sentence that is not English yet
        translated.append(Pair(pair_index, source, target, segment.location))
        term_issues, pair_usages = sentence_term_issues(
            source, target, pair_index, index.find_source(source), index.find_target(target)
        )
        if segment.role == "title":
            term_issues = [
                relax(issue, "a headline, rewritten freely")
                if issue.kind == "term-missing"
                else issue
                for issue in term_issues
            ]
        pair_issues = term_issues + _outside_missing_terms(
            _number_issues(source, target, pair_index), term_issues
        )
        pair_issues += tag_issues(
            source, target, pair_index, segment.source_tags, segment.target_tags
        )
        pair_issues += typography_issues(source, target, pair_index)
        if segment.context:
            pair_issues = _with_context(pair_issues, segment, index)
        pair_issues = [
            mentions.relax_repeat(issue, index.entry_for(issue.term or ""), pair_usages)
            for issue in pair_issues
        ]
        mentions.next_sentence(pair_usages)
        issues.extend(pair_issues)
        usages.extend(pair_usages)
    if progress is not None:
        progress(count, total)
    issues.extend(inconsistency_issues(usages))
    issues.extend(
        consistency_issues(translated, kinds=[k for k in CONSISTENCY_KINDS if k not in skip])
    )
    for issue in issues:
        issue.location = locations[issue.pair_index]
    if skip:
        issues = [issue for issue in issues if issue.kind not in skip]
    issues.sort(key=lambda issue: (issue.pair_index, _first_span(issue)))
    return CheckReport(issues, pairs_checked=count, terms_checked=len(index), name=name)


def _number_issues(source: str, target: str, pair_index: int) -> list[Issue]:
    """Number issues with the placeholders ({0}, %1$d) left out: their digits are not numbers."""
    issues = number_issues(mask_placeholders(source), mask_placeholders(target), pair_index)
    for issue in issues:
        issue.source, issue.target = source, target
    return issues


def _outside_missing_terms(number_issues: list[Issue], term_issues: list[Issue]) -> list[Issue]:
    """Drop a dropped-number issue inside a term already reported missing (六 of 六个更)."""
    missing = [
        span
        for issue in term_issues
        if issue.kind == "term-missing"
        for span in issue.spans.get("source", [])
    ]
    return [
        issue
        for issue in number_issues
        if issue.found is not None
        or not any(
            start <= s and e <= end
            for s, e in issue.spans.get("source", [])
            for start, end in missing
        )
    ]


def _with_context(issues: list[Issue], segment: Segment, index: TermIndex) -> list[Issue]:
    """Missing terms and dropped numbers found in an unaligned neighbour become info."""
    context = " ".join(segment.context)
    rendered = {
        normalize_zh(hit.entry.zh) for hit in index.find_target(context) if hit.kind == ALLOWED
    }
    values = [quantity.key for quantity in en_quantities(context)]
    why = "it is in the unaligned draft sentence next to it"
    relaxed = []
    for issue in issues:
        moved_term = issue.kind == "term-missing" and normalize_zh(issue.term or "") in rendered
        moved_number = (
            issue.kind == "number-mismatch"
            and issue.found is None
            and any(
                key == quantity.key
                for quantity in source_quantities(issue.term or "")
                for key in values
            )
        )
        relaxed.append(relax(issue, why) if moved_term or moved_number else issue)
    return relaxed


def _first_span(issue: Issue) -> int:
    spans = issue.spans.get("source") or issue.spans.get("target") or [(0, 0)]
    return spans[0][0]


def _unpaired(source: str, pair_index: int) -> Issue:
    return Issue(
        kind=IssueKind.UNPAIRED,
        severity=Severity.INFO,
        source=source,
        target=None,
        message="no draft sentence corresponds to this source sentence",
        suggestion="check that leaving it out was intended",
        pair_index=pair_index,
    )


def _untranslated(source: str, target: str, pair_index: int) -> Issue | None:
    stripped = target.strip()
    if stripped and stripped != source.strip() and not has_cjk(stripped):
        return None  # the common case, decided without counting characters
    if not stripped:
        message, severity = "the draft segment is empty", Severity.ERROR
    elif stripped == source.strip() or cjk_ratio(stripped) >= _STILL_CHINESE_RATIO:
        message, severity = "the draft segment is still Chinese", Severity.ERROR
    elif has_cjk(stripped):
        message, severity = "Chinese characters are left in the draft", Severity.WARNING
    else:
        return None
    return Issue(
        kind=IssueKind.UNTRANSLATED,
        severity=severity,
        source=source,
        target=target,
        message=message,
        suggestion="translate the segment",
        pair_index=pair_index,
        spans={"source": [], "target": _cjk_spans(target) if severity == "warning" else []},
    )


def _cjk_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for i, ch in enumerate(text):
        if has_cjk(ch):
            if spans and spans[-1][1] == i:
                spans[-1] = (spans[-1][0], i + 1)
            else:
                spans.append((i, i + 1))
    return spans

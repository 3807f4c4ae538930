"""Punctuation and typography of a zh→en draft: full-width marks, brackets, spaces, capitals."""

from __future__ import annotations

import re
from collections.abc import Callable

from zhen.checker.report import Issue, IssueKind, Severity, Span

# CJK symbols (、。《》「」【】, the ideographic space) and full-width ASCII (，！：；（）) have no
# place in English; curly quotes, dashes and the ellipsis are English typography and pass.
_FULLWIDTH = re.compile(r"[\u3000-\u303f\uff01-\uff65]+")
# Brackets and double quotes are counted per pair; the source's full-width forms count as theirs.
_PAIRS = (("(", ")", "(（", ")）"), ("[", "]", "[【〔［", "]】〕］"), ("{", "}", "{｛", "}｝"))
_QUOTES = (("“", "”", "“「『", "”」』"),)
_DOUBLE_SPACE = re.compile(r"(?<=\S)  +(?=\S)")
# A mark followed by a space or the end, so ".5", ".com" and a leading "..." are not caught.
_SPACE_BEFORE = re.compile(r"(?<=[^\s.]) +(?=[,.;:!?](?:\s|$))")
_FIRST_WORD = re.compile(r"[^\W\d_][\w'’-]*")
# A first word written lower-case on purpose: a brand (iPhone, eBay), an abbreviation (e.g.).
_LOWER_ON_PURPOSE = re.compile(r"[a-z]+[A-Z]\w*|[a-z]\.(?:[a-z]\.)+|(?:e\.g|i\.e|etc|vs)\b")
# A sentence ends with a full stop, question or exclamation mark (maybe inside quotes/brackets).
_SENTENCE_END = re.compile(r"[.?!…][\"'”’)\]]*\s*$")


def typography_issues(source: str, target: str, pair_index: int) -> list[Issue]:
    """Every punctuation and typography issue of one draft sentence, in check order."""
    issues: list[Issue] = []
    for check in _CHECKS:
        issue = check(source, target)
        if issue is not None:
            kind, severity, message, suggestion, spans = issue
            issues.append(
                Issue(
                    kind=kind,
                    severity=severity,
                    source=source,
                    target=target,
                    message=message,
                    suggestion=suggestion,
                    pair_index=pair_index,
                    spans={"source": [], "target": spans},
                )
            )
    return issues


_Found = tuple[IssueKind, Severity, str, str, list[Span]]


def _fullwidth(source: str, target: str) -> _Found | None:
    spans = [match.span() for match in _FULLWIDTH.finditer(target)]
    if not spans:
        return None
    marks = "".join(dict.fromkeys(target[start:end] for start, end in spans))
    return (
        IssueKind.FULLWIDTH_PUNCTUATION,
        Severity.WARNING,
        f"full-width punctuation left in the English: {marks}",
        "use the English (half-width) marks",
        spans,
    )


def _unbalanced(source: str, target: str) -> _Found | None:
    """A bracket or quote pair the draft leaves open (or closes twice) where the source does not.

    A source that is itself unbalanced is a sentence cut inside a bracket or quotation (the
    aligner splits at full stops): its draft may rightly be unbalanced too.
    """
    spans: list[Span] = []
    marks = []
    for opening, closing, zh_opening, zh_closing in (*_PAIRS, *_QUOTES):
        if _count(source, zh_opening) != _count(source, zh_closing):
            continue
        unmatched = _unmatched(target, opening, closing)
        if unmatched:
            spans.extend((i, i + 1) for i in unmatched)
            marks.append(opening + closing)
    straight = [i for i, ch in enumerate(target) if ch == '"']
    if len(straight) % 2 and _count(source, '“”「」『』"') % 2 == 0:
        spans.append((straight[-1], straight[-1] + 1))
        marks.append('"')
    if not spans:
        return None
    return (
        IssueKind.UNBALANCED_BRACKETS,
        Severity.WARNING,
        f"unbalanced {' '.join(marks)} in the draft",
        "close (or remove) the bracket or quotation mark",
        sorted(spans),
    )


def _count(text: str, chars: str) -> int:
    return sum(text.count(ch) for ch in chars)


def _unmatched(text: str, opening: str, closing: str) -> list[int]:
    """Offsets of the brackets in `text` that have no partner."""
    stack: list[int] = []
    orphans: list[int] = []
    for i, ch in enumerate(text):
        if ch == opening:
            stack.append(i)
        elif ch == closing:
            if stack:
                stack.pop()
            else:
                orphans.append(i)
    return sorted(orphans + stack)


def _double_space(source: str, target: str) -> _Found | None:
    spans = [match.span() for match in _DOUBLE_SPACE.finditer(target)]
    if not spans:
        return None
    return (
        IssueKind.DOUBLE_SPACE,
        Severity.WARNING,
        "double space in the draft",
        "use one space",
        spans,
    )


def _space_before(source: str, target: str) -> _Found | None:
    spans = [match.span() for match in _SPACE_BEFORE.finditer(target)]
    if not spans:
        return None
    marks = "".join(dict.fromkeys(target[end] for _, end in spans))
    return (
        IssueKind.SPACE_BEFORE_PUNCTUATION,
        Severity.WARNING,
        f"space before {marks} in the draft",
        "remove the space before the punctuation mark",
        spans,
    )


def _edge_whitespace(source: str, target: str) -> _Found | None:
    """Leading or trailing whitespace the source has and the draft lacks, or the reverse.

    A CAT tool puts the segment back where the source was, so a lost or added space shows.
    """
    spans: list[Span] = []
    ends = []
    lead = len(target) - len(target.lstrip())
    trail = len(target) - len(target.rstrip())
    if bool(source[:1].isspace()) != bool(lead):
        spans.append((0, lead))
        ends.append("leading")
    if bool(source[-1:].isspace()) != bool(trail):
        spans.append((len(target) - trail, len(target)))
        ends.append("trailing")
    if not ends or not target.strip():
        return None
    return (
        IssueKind.EDGE_WHITESPACE,
        Severity.WARNING,
        f"{' and '.join(ends)} whitespace differs from the source",
        "keep the source's leading and trailing spaces",
        [span for span in spans if span[0] != span[1]],
    )


def _lower_start(source: str, target: str) -> _Found | None:
    """A sentence (it ends with . ? !) whose first word is lower-case.

    A fragment without a full stop (a list item, a table cell, a piece of a transcript) is
    lower-case by design often enough that it is left alone.
    """
    if not _SENTENCE_END.search(target):
        return None
    text = target.lstrip(" \t\n\"'“‘([")
    word = _FIRST_WORD.match(text)
    if word is None or not word.group()[0].islower() or _LOWER_ON_PURPOSE.match(text):
        return None
    start = len(target) - len(text)
    return (
        IssueKind.LOWERCASE_START,
        Severity.WARNING,
        "the draft sentence starts lower-case",
        f"capitalise “{word.group()}”",
        [(start, start + word.end())],
    )


TYPOGRAPHY_KINDS = (
    IssueKind.FULLWIDTH_PUNCTUATION,
    IssueKind.UNBALANCED_BRACKETS,
    IssueKind.DOUBLE_SPACE,
    IssueKind.SPACE_BEFORE_PUNCTUATION,
    IssueKind.EDGE_WHITESPACE,
    IssueKind.LOWERCASE_START,
)

_CHECKS: tuple[Callable[[str, str], _Found | None], ...] = (
    _fullwidth,
    _unbalanced,
    _double_space,
    _space_before,
    _edge_whitespace,
    _lower_start,
)

"""Inline tags (XLIFF, TMX) and placeholders (printf, ICU/brace) that a draft must carry over."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from zhen.checker.report import Issue, IssueKind, Severity, Span

# Inline elements whose content is the file format's native code (<b>, {\rtf}), not text.
NATIVE_CODE = frozenset({"bpt", "ept", "ph", "it", "ut", "x", "bx", "ex", "sc", "ec"})
# Inline elements whose content is translatable text wrapped in formatting (a <mrk> annotation
# is not one: tools add and drop them, and SDLXLIFF wraps whole targets in them).
WRAPPING = frozenset({"g", "hi", "pc"})
INLINE = NATIVE_CODE | WRAPPING

# printf (%s, %1$d, %.2f, %-5s; no space flag, so "50% of" is not one) and ICU/brace ({0},
# {name}, {count, plural, …} by its argument name).
_PLACEHOLDER = re.compile(
    r"(?P<printf>%%|%(?:\d+\$)?[-+0#]*\d*(?:\.\d+)?(?:hh|h|ll|l|L|z|j|t)?[sdiufFeEgGxXoc@])"
    r"|\{\s*(?P<name>[A-Za-z_\d][\w.]*)\s*(?:,[^{}]*)?(?P<close>[{}])"
)
# The branches of an ICU plural or select ("one {# item}") are text, not arguments.
_ICU_BRANCH = re.compile(r"(?:zero|one|two|few|many|other|=\d+)\s*$")
_ICU_LOOKBACK = 24  # characters: a branch keyword and its spaces, so each match costs O(1)


def tag_token(name: str, tag_id: str | None) -> str:
    """How a tag is named in a Segment and in messages: <g id="1"> is "g#1", <x/> is "x"."""
    return f"{name}#{tag_id}" if tag_id else name


def rich_text(elements: Iterable[Any]) -> tuple[str, tuple[str, ...]]:
    """The text and the inline tags of a translate-toolkit rich source/target.

    The text keeps what a reader reads (the content of <g>) and drops native codes (the <b>
    inside <bpt>), so terms and numbers are matched on the words alone; the tags are listed in
    document order, a wrapping tag once for its opening.
    """
    parts: list[str] = []
    tags: list[str] = []
    for element in elements:
        _walk(element, parts, tags)
    return "".join(parts), tuple(tags)


def _walk(element: Any, parts: list[str], tags: list[str]) -> None:
    if isinstance(element, str):
        parts.append(element)
        return
    name = _element_name(element)
    if name in INLINE:
        tags.append(tag_token(name, getattr(element, "id", None)))
        if name in NATIVE_CODE:
            return
    for child in getattr(element, "sub", ()):
        _walk(child, parts, tags)


def _element_name(element: Any) -> str:
    """A toolkit placeable's element name ("g", "bpt"): its XML tag, else its class name."""
    node = getattr(element, "xml_node", None)
    tag = getattr(node, "tag", None)
    if isinstance(tag, str):
        return tag.rsplit("}", 1)[-1].lower()
    return type(element).__name__.lower()


def placeholders(text: str) -> list[tuple[str, Span]]:
    """The printf and ICU/brace placeholders of a text with their spans (%% is not one).

    An ICU argument is named by its name alone: {count, plural, one {…}} is "{count}".
    """
    found = []
    for match in _PLACEHOLDER.finditer(text):
        if match.group("printf") == "%%" or (
            match.group("name")
            and _ICU_BRANCH.search(text, max(0, match.start() - _ICU_LOOKBACK), match.start())
        ):
            continue
        token = match.group("printf") or "{" + match.group("name") + "}"
        found.append((token, match.span()))
    return found


def mask_placeholders(text: str) -> str:
    """The text with every placeholder blanked out (offsets kept), for the number check: the
    0 of {0} and the 1 of %1$d are not quantities."""
    if "%" not in text and "{" not in text:
        return text
    parts: list[str] = []
    done = 0
    for _, (start, end) in placeholders(text):
        parts += (text[done:start], " " * (end - start))
        done = end
    parts.append(text[done:])
    return "".join(parts)


def tag_issues(
    source: str,
    target: str,
    pair_index: int,
    source_tags: Sequence[str] = (),
    target_tags: Sequence[str] = (),
) -> list[Issue]:
    """Tags and placeholders missing, extra or repeated in the draft (errors), or moved (info)."""
    issues = []
    found = _compare(IssueKind.TAG_MISMATCH, "tag", list(source_tags), list(target_tags), [], [])
    source_marks = placeholders(source)
    target_marks = placeholders(target)
    found += _compare(
        IssueKind.PLACEHOLDER_MISMATCH,
        "placeholder",
        [token for token, _ in source_marks],
        [token for token, _ in target_marks],
        [span for _, span in source_marks],
        [span for _, span in target_marks],
    )
    for kind, severity, message, suggestion, spans in found:
        issues.append(
            Issue(
                kind=kind,
                severity=severity,
                source=source,
                target=target,
                message=message,
                suggestion=suggestion,
                pair_index=pair_index,
                spans=spans,
            )
        )
    return issues


_Found = tuple[IssueKind, Severity, str, str, dict[str, list[Span]]]


def _compare(
    kind: IssueKind,
    what: str,
    source: list[str],
    target: list[str],
    source_spans: list[Span],
    target_spans: list[Span],
) -> list[_Found]:
    if source == target:
        return []
    wanted, given = Counter(source), Counter(target)
    if wanted == given:
        return [
            (
                IssueKind.TAG_ORDER,
                Severity.INFO,
                f"the draft has the source's {what}s in another order: "
                f"{' '.join(target)} (source: {' '.join(source)})",
                "check that the reordering fits the English word order",
                {"source": source_spans, "target": target_spans},
            )
        ]
    found = []
    missing = wanted - given
    extra = {token: n for token, n in (given - wanted).items() if token not in wanted}
    repeated = {token: n for token, n in (given - wanted).items() if token in wanted}
    for problem, tokens, suggestion in (
        ("missing from the draft", missing, f"put the {what} back where the source has it"),
        ("not in the source", extra, f"remove the {what} the source does not have"),
        ("repeated in the draft", repeated, f"keep each {what} as often as the source has it"),
    ):
        if not tokens:
            continue
        names = f"{what}{'s' if len(tokens) > 1 else ''} {', '.join(tokens)}"
        spans = {
            "source": [s for t, s in zip(source, source_spans, strict=False) if t in tokens],
            "target": [s for t, s in zip(target, target_spans, strict=False) if t in tokens],
        }
        found.append((kind, Severity.ERROR, f"{names} {problem}", suggestion, spans))
    return found

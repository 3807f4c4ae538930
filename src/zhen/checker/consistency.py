"""Consistency across a job, as Xbench reports it: one source translated two ways, one
translation given to two different sources.

Segments are compared on normalised keys (docs/check.md, "Consistency"):

- the source: width folded, Traditional → Simplified (through Traditional, so characters OpenCC
  keeps in both scripts meet), lower case, every space removed, sentence
  punctuation at the end dropped — 「發展」 and 发展。 are one source;
- the target: width folded, curly quotes and dashes made ASCII, lower case, runs of spaces made one,
  sentence punctuation and quotes at the end dropped — "The plan." and "the plan" are one target.

A segment takes part only when its source has a Chinese character or a letter and its target a
letter: numbers, punctuation and empty segments repeat with any translation and are left out.
A group whose targets are all one word (a heading, a label) is info, not a warning: one-word
renderings legitimately vary with the context a segment gives them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from zhen.checker.location import Location
from zhen.checker.report import Issue, IssueKind, Severity
from zhen.text.normalize import has_cjk, normalize_en_batch, normalize_zh_batch, to_traditional

CONSISTENCY_KINDS = (IssueKind.INCONSISTENT_TARGET, IssueKind.INCONSISTENT_SOURCE)
# Trailing characters dropped from both keys: end-of-sentence marks and closing quotes.
_TRAILING = ".。!！?？;；:：,，、…\"'”’」』 "
# Locations listed per variant in a message; the rest are counted (all are in `related`).
_SHOWN_LOCATIONS = 3
# Characters of a variant quoted in a message, and shown before the first difference.
_SHOWN_CHARS = 60
_CONTEXT_CHARS = 20


@dataclass(frozen=True, slots=True)
class Pair:
    """One checked segment as consistency sees it: where it is and both its sides."""

    pair_index: int
    source: str
    target: str
    location: Location


def consistency_issues(
    pairs: Sequence[Pair], *, kinds: Iterable[str] = CONSISTENCY_KINDS
) -> list[Issue]:
    """One issue per inconsistent group (of the `kinds` asked for), placed on its first outlier."""
    wanted = set(kinds)
    if not pairs or not wanted & set(CONSISTENCY_KINDS):
        return []
    # Through Traditional and back: OpenCC leaves some characters that both scripts use as they
    # are (想像 and 想象 are both Simplified), so one source written in each script meets here.
    sources = [to_traditional(p.source) for p in pairs]
    source_keys = ["".join(_key(text).split()) for text in normalize_zh_batch(sources)]
    target_keys = [_key(text) for text in normalize_en_batch([p.target for p in pairs])]
    taking_part = [
        i
        for i in range(len(pairs))
        if _has_word(source_keys[i], chinese=True) and _has_word(target_keys[i], chinese=False)
    ]
    issues: list[Issue] = []
    if IssueKind.INCONSISTENT_TARGET in wanted:
        issues += _groups(
            pairs, taking_part, source_keys, target_keys, IssueKind.INCONSISTENT_TARGET
        )
    if IssueKind.INCONSISTENT_SOURCE in wanted:
        issues += _groups(
            pairs, taking_part, target_keys, source_keys, IssueKind.INCONSISTENT_SOURCE
        )
    return issues


def _key(normalised: str) -> str:
    return normalised.rstrip(_TRAILING)


def _has_word(key: str, *, chinese: bool) -> bool:
    return any(ch.isalpha() for ch in key) or (chinese and has_cjk(key))


def _groups(
    pairs: Sequence[Pair],
    taking_part: list[int],
    same_keys: list[str],
    varying_keys: list[str],
    kind: IssueKind,
) -> list[Issue]:
    """Pairs sharing `same_keys` grouped; a group with several `varying_keys` is an issue."""
    groups: dict[str, dict[str, list[int]]] = {}
    for i in taking_part:
        groups.setdefault(same_keys[i], {}).setdefault(varying_keys[i], []).append(i)
    issues = []
    for variants in groups.values():
        if len(variants) > 1:
            issues.append(_issue(pairs, list(variants.values()), kind))
    return issues


def _issue(pairs: Sequence[Pair], variants: list[list[int]], kind: IssueKind) -> Issue:
    """The group's issue: on the first pair of the first variant other than the most used one."""
    main = max(variants, key=len)  # max keeps the first of equals: the variant seen first
    outlier = min(min(indexes) for indexes in variants if indexes is not main)
    first = pairs[outlier]
    by_target = kind == IssueKind.INCONSISTENT_TARGET
    side = "target" if by_target else "source"

    def text(i: int) -> str:
        return pairs[i].target if by_target else pairs[i].source

    shown = _differing([text(ix[0]) for ix in variants])
    listed = "; ".join(
        f"“{variant}” at {_places(pairs, ix)}" for variant, ix in zip(shown, variants, strict=True)
    )
    if by_target:
        message = f"the same source is translated {len(variants)} ways: {listed}"
        suggestion = "translate it one way throughout"
        one_word = all(len(pairs[ix[0]].target.split()) <= 1 for ix in variants)
    else:
        message = f"the same translation is given to {len(variants)} different sources: {listed}"
        suggestion = "check that the sources mean the same, or tell them apart in English"
        one_word = len(first.target.split()) <= 1
    members = sorted(i for indexes in variants for i in indexes)
    return Issue(
        kind=kind,
        severity=Severity.INFO if one_word else Severity.WARNING,
        source=first.source,
        target=first.target,
        message=message,
        expected=text(main[0]),
        found=text(outlier),
        suggestion=suggestion,
        pair_index=first.pair_index,
        spans={"source": [], "target": [], side: [(0, len(text(outlier)))]},
        related=[pairs[i].location for i in members if i != outlier],
    )


def _differing(texts: list[str]) -> list[str]:
    """The texts shortened for a message, from a little before where they first differ, so two
    long variants alike for their first words do not look the same."""
    texts = [" ".join(text.split()) for text in texts]
    common = _common_prefix(texts)
    start = 0
    if common > _SHOWN_CHARS - _CONTEXT_CHARS:
        start = texts[0].rfind(" ", 0, common - _CONTEXT_CHARS) + 1  # begin at a word
    return [("…" if start else "") + _shorten(text[start:]) for text in texts]


def _common_prefix(texts: list[str]) -> int:
    shortest = min(texts, key=len)
    for i, ch in enumerate(shortest):
        if any(text[i] != ch for text in texts):
            return i
    return len(shortest)


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 1] + "…"


def _places(pairs: Sequence[Pair], indexes: list[int]) -> str:
    labels = [pairs[i].location.label() or f"#{pairs[i].pair_index + 1}" for i in indexes]
    shown = ", ".join(labels[:_SHOWN_LOCATIONS])
    more = len(labels) - _SHOWN_LOCATIONS
    return shown + (f" and {more} more" if more > 0 else "")

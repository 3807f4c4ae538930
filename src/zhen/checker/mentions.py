"""Repeat mentions of a person: a pronoun for a name, a title left out beside a name given again.

News English names a person in full once and then shortens: "To Lam ... He said", "Chinese
President Xi Jinping ... welcomed Xi". A glossary term missing for that reason is not a
terminology error, so it is reported at info level, saying why:

- a name (a rendering whose every word is capitalised, "To Lam") rendered in the sentence
  before, opening this Chinese sentence as its subject (苏林表示 ...), where the draft has "he"
  or "she" as a subject instead (opening the sentence or a clause: "He said that ...", "...,
  she noted"); "that he was" after a verb is no stand-in, since there the name was dropped;
- a title (a term ending in an office word: 主席, 总书记, 总理 ...) written right beside a name
  in the source (习近平总书记、国家主席: nothing but title words between them), rendered at an
  earlier mention, where the draft gives the name without titles ("welcome to Xi"). When the
  draft spells out another title of that name ("Xi Jinping, ... and Chinese president"), the
  titles are being given, and a missing one is still a warning.

Both need the earlier rendering: a name or title the draft never gave at all stays a warning.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from zhen.checker.report import Issue, relax
from zhen.checker.term_index import MergedTerm
from zhen.checker.termcheck import Usage
from zhen.text.normalize import normalize_zh

_SUBJECT_PRONOUN_RE = re.compile(r"(?:^\s*|[,;:]\s+)(?:[\"“]\s*)?((?i:he|she))\b")
# The office words a Chinese title ends in; a title + name is news English's first mention only.
_TITLE_HEADS = (
    "主席",
    "书记",
    "总理",
    "总统",
    "首相",
    "部长",
    "外长",
    "委员长",
    "秘书长",
    "主任",
    "大使",
    "国务委员",
    "省长",
    "市长",
    "院长",
    "司令员",
    "发言人",
)
# Most characters of titles and names between a title and the name it goes with (总书记、).
_TITLE_GAP = 6
_NAME_WORD_RE = re.compile(r"[A-Z][\w'’-]*")


def is_name(entry: MergedTerm) -> bool:
    """True when the term's preferred rendering reads as a name: every word capitalised."""
    words = entry.preferred.split()
    return 0 < len(words) <= 4 and all(_NAME_WORD_RE.fullmatch(word) for word in words)


class Mentions:
    """What the draft has rendered so far, sentence by sentence, to recognise repeat mentions."""

    def __init__(self) -> None:
        self._earlier: set[int] = set()  # entries rendered in any earlier sentence
        self._previous: set[int] = set()  # entries rendered in the sentence just before

    def next_sentence(self, usages: Sequence[Usage]) -> None:
        """Record the renderings of the sentence just checked (none for an unpaired one)."""
        rendered = {usage.entry.index for usage in usages}
        self._earlier |= rendered
        self._previous = rendered

    def relax_repeat(
        self, issue: Issue, entry: MergedTerm | None, usages: Sequence[Usage]
    ) -> Issue:
        """The issue, at info level with the reason when it is a repeat mention's shortening.

        `entry` is the missing term's glossary entry, `usages` the renderings of this sentence.
        """
        if issue.kind != "term-missing" or issue.severity != "warning" or entry is None:
            return issue
        pronoun = _SUBJECT_PRONOUN_RE.search(issue.target or "")
        if pronoun and entry.index in self._previous and is_name(entry) and _opens(issue):
            return relax(
                issue,
                f"“{pronoun.group(1)}” may stand for {entry.preferred}, named in the sentence "
                "before",
            )
        if entry.index in self._earlier and is_title(entry.zh):
            name = _name_beside(issue, usages)
            if name is not None:
                return relax(
                    issue,
                    f"given at an earlier mention; left out beside the name “{name}”, "
                    "as news English does when a person is named again",
                )
        return issue


def _opens(issue: Issue) -> bool:
    """True when the issue's term opens its Chinese sentence (the subject: 苏林表示)."""
    spans = issue.spans.get("source") or []
    return bool(spans) and not issue.source[: spans[0][0]].strip(' \u3000“"「『')


def is_title(zh: str) -> bool:
    """True for a Chinese title: it ends in an office word (国家主席, 總理 in Traditional too)."""
    return normalize_zh(zh).endswith(_TITLE_HEADS)


def _beside(source: str, span: tuple[int, int], other: tuple[int, int]) -> bool:
    """True when two source spans are separated by nothing but titles and 、 (习近平总书记、
    国家主席): 苏林会见了国家主席 holds a verb between them, so the title is not the name's."""
    if other[1] <= span[0]:
        gap = source[other[1] : span[0]]
    elif span[1] <= other[0]:
        gap = source[span[1] : other[0]]
    else:
        return False
    if len(gap) > _TITLE_GAP:
        return False
    return all(not piece.strip() or is_title(piece) for piece in gap.split("、"))


def _spelled_title(usage: Usage) -> bool:
    """A title rendered in running text ("Chinese president"), not folded into a bare name."""
    rendered = usage.target[usage.target_span[0] : usage.target_span[1]]
    return is_title(usage.entry.zh) and any(w[:1].islower() for w in rendered.split())


def _name_beside(issue: Issue, usages: Sequence[Usage]) -> str | None:
    """The draft's rendering of a name written right beside the issue's title in the source,
    when the draft gives that name without spelling out any of its titles."""
    spans = issue.spans.get("source") or []
    if not spans:
        return None
    for usage in usages:
        if not is_name(usage.entry) or not _beside(issue.source, spans[0], usage.source_span):
            continue
        titles_given = any(
            _spelled_title(other) and _beside(issue.source, usage.source_span, other.source_span)
            for other in usages
            if other is not usage
        )
        if not titles_given:
            return usage.target[usage.target_span[0] : usage.target_span[1]]
    return None

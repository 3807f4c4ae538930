"""Injected tag, placeholder and punctuation errors for check_eval.py, zhen beside pofilter.

Each kind is injected into every eligible pair of a corpus (one mutation per pair and kind):

  tag dropped               the pair is given <g id="1"> and <x id="2"/> on both sides; the
                            draft loses the <x/> (zhen: Segment tags; pofilter: the tags as text)
  placeholder dropped       the source ends with %s or {0} (alternately); the draft lacks it
  full-width punctuation    the draft's last "." or first ", " becomes 。 or ，
  unbalanced bracket        "(" put before a word in the middle of the draft
  double space              one space between words doubled
  space before punctuation  the draft's final "." preceded by a space
  trailing space            a space after the draft (the source has none)
  lower-case start          the first letter of a draft sentence that starts "Xx" lower-cased

A catch is an issue of the kind listed on that pair, at warning or error. pofilter counts when one
of its tests for the same thing (listed in the table) fails on the mutated pair and not on the
clean one. False alarms: the share of clean pairs on which zhen reports the kind (any severity) /
pofilter fails those tests.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from zhen.checker import Segment, TermIndex, check_segments

PofilterRun = Callable[[list[tuple[str, str]], Path, str], list[set[str]]]

SEVERE = ("warning", "error")
_TAGS = ("g#1", "x#2")


def _tag_dropped(segment: Segment, rng: random.Random) -> Segment | None:
    return replace(segment, source_tags=_TAGS, target_tags=_TAGS[:1])


def _placeholder_dropped(segment: Segment, rng: random.Random) -> Segment | None:
    return replace(segment, source=segment.source + rng.choice(("%s", "{0}")))


def _fullwidth(segment: Segment, rng: random.Random) -> Segment | None:
    en = segment.target or ""
    if en.endswith("."):
        return replace(segment, target=en[:-1] + "。")
    if ", " in en:
        return replace(segment, target=en.replace(", ", "，", 1))
    return None


def _unbalanced(segment: Segment, rng: random.Random) -> Segment | None:
    en = segment.target or ""
    words = [m.start() for m in re.finditer(r"(?<= )[A-Za-z]", en)]
    if not words:
        return None
    at = rng.choice(words)
    return replace(segment, target=en[:at] + "(" + en[at:])


def _double_space(segment: Segment, rng: random.Random) -> Segment | None:
    en = segment.target or ""
    spaces = [m.start() for m in re.finditer(r"(?<=\w) (?=\w)", en)]
    if not spaces:
        return None
    at = rng.choice(spaces)
    return replace(segment, target=en[:at] + " " + en[at:])


def _space_before(segment: Segment, rng: random.Random) -> Segment | None:
    en = segment.target or ""
    if not re.search(r"\w\.$", en):
        return None
    return replace(segment, target=en[:-1] + " .")


def _trailing_space(segment: Segment, rng: random.Random) -> Segment | None:
    en = segment.target or ""
    if segment.source[-1:].isspace() or en[-1:].isspace():
        return None
    return replace(segment, target=en + " ")


def _lower_start(segment: Segment, rng: random.Random) -> Segment | None:
    en = segment.target or ""
    if not re.match(r"[A-Z][a-z]+\b(?!\.)", en) or not re.search(r"[.?!]$", en):
        return None
    return replace(segment, target=en[0].lower() + en[1:])


@dataclass(frozen=True)
class FormatKind:
    name: str
    inject: Callable[[Segment, random.Random], Segment | None]
    zhen_kind: str
    pofilter_tests: frozenset[str]


FORMAT_KINDS = (
    FormatKind("tag dropped", _tag_dropped, "tag-mismatch", frozenset({"xmltags"})),
    FormatKind(
        "placeholder dropped",
        _placeholder_dropped,
        "placeholder-mismatch",
        frozenset({"printf", "pythonbraceformat"}),
    ),
    FormatKind(
        "full-width punctuation",
        _fullwidth,
        "fullwidth-punctuation",
        frozenset({"endpunc", "puncspacing"}),
    ),
    FormatKind(
        "unbalanced bracket",
        _unbalanced,
        "unbalanced-brackets",
        frozenset({"brackets", "doublequoting"}),
    ),
    FormatKind("double space", _double_space, "double-space", frozenset({"doublespacing"})),
    FormatKind(
        "space before punctuation",
        _space_before,
        "space-before-punctuation",
        frozenset({"puncspacing", "endpunc"}),
    ),
    FormatKind("trailing space", _trailing_space, "edge-whitespace", frozenset({"endwhitespace"})),
    FormatKind(
        "lower-case start", _lower_start, "lowercase-start", frozenset({"startcaps", "simplecaps"})
    ),
)


@dataclass
class FormatRow:
    corpus: str
    kind: FormatKind
    injected: int = 0
    zhen_caught: int = 0
    pofilter_caught: int = 0
    zhen_fa: int = 0
    pofilter_fa: int = 0
    pairs: int = 0
    missed: list[str] | None = None


def _pofilter_pair(segment: Segment) -> tuple[str, str]:
    """The pair as pofilter sees it: XLIFF tags written into the text as markup."""

    def marked(text: str, tags: tuple[str, ...]) -> str:
        return text + "".join(f'<x id="{tag.split("#")[1]}"/>' for tag in tags)

    return marked(segment.source, segment.source_tags), marked(
        segment.target or "", segment.target_tags
    )


def evaluate_format(
    name: str,
    segments: list[Segment],
    index: TermIndex,
    clean_pofilter: list[set[str]],
    pofilter: PofilterRun,
    workdir: Path,
    seed: int = 11,
) -> list[FormatRow]:
    """Catch and false-alarm rates of every injected format kind on one corpus."""
    rng = random.Random(seed)
    clean = check_segments(segments, index)
    rows = []
    for kind in FORMAT_KINDS:
        flagged = {issue.pair_index for issue in clean.issues if issue.kind == kind.zhen_kind}
        row = FormatRow(name, kind, pairs=len(segments), missed=[])
        row.zhen_fa = len(flagged)
        row.pofilter_fa = sum(1 for tests in clean_pofilter if tests & kind.pofilter_tests)
        mutated = list(segments)
        changed = []
        for i, segment in enumerate(segments):
            new = kind.inject(segment, rng)
            if new is not None and segment.target:
                mutated[i] = new
                changed.append(i)
        row.injected = len(changed)
        report = check_segments(mutated, index)
        caught = {
            issue.pair_index
            for issue in report.issues
            if issue.kind == kind.zhen_kind and issue.severity in SEVERE
        }
        slug = kind.name.replace(" ", "-")
        failures = pofilter([_pofilter_pair(s) for s in mutated], workdir, f"{name}-{slug}")
        for i in changed:
            if i in caught:
                row.zhen_caught += 1
            elif row.missed is not None:
                row.missed.append(repr((mutated[i].target or "")[:90]))
            new_failures = failures[i] - clean_pofilter[i]
            row.pofilter_caught += bool(new_failures & kind.pofilter_tests)
        rows.append(row)
    return rows


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "   n/a"


def print_format(rows: list[FormatRow]) -> None:
    print("\n## Injected tag, placeholder and punctuation errors (zhen check vs pofilter)\n")
    print("| corpus | error injected | n | zhen caught | pofilter caught (tests) | "
          "zhen false alarms | pofilter false alarms |")  # fmt: skip
    print("|---|---|---:|---:|---:|---:|---:|")
    for row in rows:
        tests = ", ".join(sorted(row.kind.pofilter_tests))
        print(
            f"| {row.corpus} | {row.kind.name} (`{row.kind.zhen_kind}`) | {row.injected} | "
            f"{_pct(row.zhen_caught, row.injected)} | "
            f"{_pct(row.pofilter_caught, row.injected)} ({tests}) | "
            f"{_pct(row.zhen_fa, row.pairs)} ({row.zhen_fa}/{row.pairs}) | "
            f"{_pct(row.pofilter_fa, row.pairs)} ({row.pofilter_fa}/{row.pairs}) |"
        )
    for row in rows:
        for miss in (row.missed or [])[:3]:
            print(f"  missed [{row.corpus} / {row.kind.name}] {miss}")

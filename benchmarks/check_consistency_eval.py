"""Injected consistency errors for check_eval.py, zhen beside translate-toolkit's poconflicts.

Up to SAMPLE pairs of a corpus (a target of at least 3 words, a source of at least 4 Chinese
characters) are each given one extra segment, appended to the corpus, all in one mutated run:

  source repeated, target altered   the same source again, its target missing one word (not the
                                    first): zhen should report inconsistent-target
  new source, same target           the source missing one Chinese character, the same target:
                                    zhen should report inconsistent-source
  Traditional repeat (no error)     the source in Traditional characters, the same target: one
                                    source for zhen, so no issue is expected (a false alarm if any;
                                    poconflicts --invert sees two sources)

A catch is an issue of the kind, at warning or error, on the pair or its copy. pofilter has no
cross-unit test (each of its tests looks at one unit), so it has no column; translate-toolkit's
`poconflicts` (same msgid, different msgstr; with --invert the other way round) is run beside
zhen on the same PO file. False alarms: the share of the clean corpus's pairs that are in a
flagged group (zhen: the issue's pair and its `related` pairs; poconflicts: its conflict files).
"""

from __future__ import annotations

import random
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from translate.storage import factory, po

from zhen.checker import KINDS, Segment, TermIndex, check_segments
from zhen.checker.location import Location
from zhen.text.normalize import has_cjk, to_traditional

SAMPLE = 300
SEVERE = ("warning", "error")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _target_altered(segment: Segment, rng: random.Random) -> Segment:
    words = (segment.target or "").split()
    drop = rng.randrange(1, len(words))
    return replace(segment, target=" ".join(words[:drop] + words[drop + 1 :]))


def _source_altered(segment: Segment, rng: random.Random) -> Segment:
    chars = [m.start() for m in _CJK.finditer(segment.source)]
    at = rng.choice(chars)
    return replace(segment, source=segment.source[:at] + segment.source[at + 1 :])


def _traditional(segment: Segment, rng: random.Random) -> Segment:
    return replace(segment, source=to_traditional(segment.source))


@dataclass(frozen=True)
class ConsistencyKind:
    name: str
    inject: Callable[[Segment, random.Random], Segment]
    zhen_kind: str | None  # None: the copy is no error, every issue on it is a false alarm
    invert: bool  # poconflicts --invert (same target, different sources)


CONSISTENCY_KINDS = (
    ConsistencyKind(
        "source repeated, target altered", _target_altered, "inconsistent-target", False
    ),
    ConsistencyKind("new source, same target", _source_altered, "inconsistent-source", True),
    ConsistencyKind("Traditional repeat (no error)", _traditional, None, True),
)
_ZHEN_KINDS = ("inconsistent-target", "inconsistent-source")
_OTHER_KINDS = frozenset(KINDS) - set(_ZHEN_KINDS)


@dataclass
class ConsistencyRow:
    corpus: str
    kind: ConsistencyKind
    injected: int = 0
    zhen_caught: int = 0
    poconflicts_caught: int = 0
    pairs: int = 0
    zhen_fa: int = 0
    poconflicts_fa: int = 0


def _eligible(segment: Segment) -> bool:
    return (
        len((segment.target or "").split()) >= 3
        and len(_CJK.findall(segment.source)) >= 4
        and not has_cjk(segment.target or "")
    )


def poconflicts_flags(
    pairs: list[tuple[str, str]], workdir: Path, name: str, *, invert: bool
) -> set[int] | None:
    """The pairs poconflicts puts in a conflict file, or None when it cannot run on them (it names
    each output file after the conflicting string, too long for a file system for a sentence)."""
    store = po.pofile()
    for i, (zh, en) in enumerate(pairs):
        unit = store.addsourceunit(zh)
        unit.target = en
        unit.setcontext(str(i))
    source = workdir / f"{name}.po"
    output = workdir / f"{name}-conflicts"
    output.mkdir()
    store.savefile(str(source))
    command = ["poconflicts", "--progress=none", "-i", str(source), "-o", str(output)]
    done = subprocess.run(command + ["--invert"] * invert, capture_output=True, text=True)
    if done.returncode != 0 or "Error" in done.stderr:
        return None
    flagged: set[int] = set()
    for path in output.glob("*.po"):
        flagged |= {
            int(u.getcontext()) for u in factory.getobject(str(path)).units if u.getcontext()
        }
    return flagged


def _zhen_flags(segments: list[Segment], index: TermIndex, kind: str | None) -> dict[int, str]:
    """Every pair in a group with an issue of `kind` (None: of either consistency kind), with the
    issue's severity; pairs are numbered through their location so `related` names them too."""
    numbered = [replace(s, location=Location(unit=i)) for i, s in enumerate(segments)]
    report = check_segments(numbered, index, skip=_OTHER_KINDS)
    flags: dict[int, str] = {}
    for issue in report.issues:
        if issue.kind == kind if kind else issue.kind in _ZHEN_KINDS:
            for place in (issue.location, *issue.related):
                flags[place.unit or 0] = issue.severity
    return flags


def evaluate_consistency(
    name: str, segments: list[Segment], index: TermIndex, workdir: Path, seed: int = 13
) -> list[ConsistencyRow]:
    """Catch rates of every injected consistency kind, false alarms on the clean corpus."""
    rng = random.Random(seed)
    pairs = [(s.source, s.target or "") for s in segments]
    eligible = [i for i, segment in enumerate(segments) if _eligible(segment)]
    chosen = sorted(rng.sample(eligible, min(SAMPLE, len(eligible))))
    clean_conflicts = {
        invert: poconflicts_flags(pairs, workdir, f"{name}-{invert}-clean", invert=invert)
        for invert in (False, True)
    }
    rows = []
    for kind in CONSISTENCY_KINDS:
        clean_po = clean_conflicts[kind.invert]
        row = ConsistencyRow(name, kind, injected=len(chosen), pairs=len(segments))
        row.zhen_fa = len(_zhen_flags(segments, index, kind.zhen_kind))
        row.poconflicts_fa = -1 if clean_po is None else len(clean_po)
        mutated = list(segments) + [kind.inject(segments[i], rng) for i in chosen]
        copies = dict(zip(chosen, range(len(segments), len(mutated)), strict=True))
        flags = _zhen_flags(mutated, index, kind.zhen_kind)
        slug = kind.name.split(",")[0].replace(" ", "-")
        po_flags = poconflicts_flags(
            [(s.source, s.target or "") for s in mutated],
            workdir,
            f"{name}-{slug}",
            invert=kind.invert,
        )
        for original, copy in copies.items():
            if kind.zhen_kind is None:
                row.zhen_caught += copy in flags  # a false alarm on a repeat that is no error
            else:
                hits = [flags[i] for i in (original, copy) if i in flags]
                row.zhen_caught += any(severity in SEVERE for severity in hits)
            if po_flags is None:
                row.poconflicts_caught = -1
            elif row.poconflicts_caught >= 0:
                row.poconflicts_caught += copy in po_flags and (original in po_flags)
        rows.append(row)
    return rows


def _pct(part: int, whole: int) -> str:
    if part < 0:
        return "could not run"
    return f"{100 * part / whole:5.1f}%" if whole else "   n/a"


def print_consistency(rows: list[ConsistencyRow]) -> None:
    print(
        "\n## Injected consistency errors (zhen check vs poconflicts; pofilter has no such test)\n"
    )
    print("| corpus | error injected | n | zhen caught | poconflicts caught | "
          "zhen false alarms (clean) | poconflicts false alarms (clean) |")  # fmt: skip
    print("|---|---|---:|---:|---:|---:|---:|")
    for row in rows:
        label = f"`{row.kind.zhen_kind}`" if row.kind.zhen_kind else "flagged (want 0)"
        print(
            f"| {row.corpus} | {row.kind.name} ({label}) | {row.injected} | "
            f"{_pct(row.zhen_caught, row.injected)} | "
            f"{_pct(row.poconflicts_caught, row.injected)} | "
            f"{_pct(row.zhen_fa, row.pairs)} ({row.zhen_fa}/{row.pairs}) | "
            f"{_pct(row.poconflicts_fa, row.pairs)} |"
        )

"""Beads (aligned sentence groups) and the `[0,1]:[2]` link format vecalign and bertalign write."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from zhen.errors import AlignmentError

Link = tuple[tuple[int, ...], tuple[int, ...]]


@dataclass(frozen=True, slots=True)
class Bead:
    """Consecutive zh sentences aligned to consecutive en sentences; either side may be empty."""

    zh: tuple[int, ...]
    en: tuple[int, ...]
    score: float

    @property
    def kind(self) -> str:
        """The bead type as "zh-en" sentence counts, e.g. "1-2" or "0-1"."""
        return f"{len(self.zh)}-{len(self.en)}"


def write_align_links(beads: Iterable[Bead | Link]) -> str:
    """One link per line, `[0,1]:[2]`, `[]` for an empty side; 0-based sentence indices."""

    def side(indices: tuple[int, ...]) -> str:
        return "[" + ",".join(str(i) for i in indices) + "]"

    lines = []
    for bead in beads:
        zh, en = (bead.zh, bead.en) if isinstance(bead, Bead) else bead
        lines.append(f"{side(zh)}:{side(en)}\n")
    return "".join(lines)


_LINK_RE = re.compile(r"^\s*\[([\d,\s]*)\]\s*:\s*\[([\d,\s]*)\]\s*(?::\s*\S+\s*)?$")


def read_align_links(text: str) -> list[Link]:
    """Links from `.align` text; blank lines are skipped and a trailing `:score` is accepted."""
    links: list[Link] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = _LINK_RE.match(line)
        if not match:
            raise AlignmentError(f"line {number}: not an alignment link like [0,1]:[2]: {line!r}")
        zh, en = (
            tuple(int(part) for part in group.replace(" ", "").split(",") if part)
            for group in match.groups()
        )
        links.append((zh, en))
    return links

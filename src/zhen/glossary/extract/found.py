"""The types that flow between term extraction's stages: a Pair (a unit as extraction keeps it,
the input of the pair-evidence stage) and a Found (what a finder yields for one pair, the input
of the corpus tally)."""

from __future__ import annotations

from typing import NamedTuple

from zhen.glossary.entries import CandidateKind


class Pair(NamedTuple):
    """What extraction keeps of a unit: its texts, where it came from, whether it is new."""

    zh: str
    en: str
    source: str  # "origin#position", as a candidate cites it
    fresh: bool  # a pair whose terms may be proposed (--since): every pair by default


class Found(NamedTuple):
    """One (zh, en) pair a sentence pair yields, with what its finder knows of it."""

    zh: str
    en: str
    kind: CandidateKind
    quality: float
    tokens: int
    title: bool
    nominal: bool
    clause: bool
    variant: bool = False  # a window one word off a span's best, or a weak bracket reading
    truncated: bool = False  # a head noun follows the Chinese: cut out of a longer noun phrase

"""Fuzzy and concordance lookup over the TM and the glossary (index ▶ candidates ▶ rapidfuzz)."""

from zhen.search.engine import SIDES, detect_side, lookup, prepare
from zhen.search.results import Hit, HitKind, LookupResult, Side
from zhen.search.scoring import match_percent

__all__ = [
    "SIDES",
    "Hit",
    "HitKind",
    "LookupResult",
    "Side",
    "detect_side",
    "lookup",
    "match_percent",
    "prepare",
]

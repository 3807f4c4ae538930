"""Fuzzy and concordance lookup over the TM and the glossary (index ▶ candidates ▶ rapidfuzz)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from zhen.lazy import lazy_exports
from zhen.search.results import SIDES, Fragment, Hit, HitKind, LookupResult, Side

if TYPE_CHECKING:
    from zhen.search.engine import detect_side, lookup, prepare
    from zhen.search.scoring import match_percent

# The engine (numpy, rapidfuzz) loads when first used: `zhen --help` and the TUI's widgets
# import this package for its result types only.
__getattr__ = lazy_exports(
    __name__,
    {"detect_side": "engine", "lookup": "engine", "prepare": "engine", "match_percent": "scoring"},
)

__all__ = [
    "SIDES",
    "Fragment",
    "Hit",
    "HitKind",
    "LookupResult",
    "Side",
    "detect_side",
    "lookup",
    "match_percent",
    "prepare",
]

"""Result objects of a lookup: one `Hit` per term, TM unit or concordance line."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from zhen.models import TermStatus

Span = tuple[int, int]


class Side(StrEnum):
    """The language a query is matched against."""

    ZH = "zh"
    EN = "en"


# Plain strings, so argparse's "invalid choice" message for `--side` lists them as before.
SIDES = tuple(side.value for side in Side)


@dataclass(frozen=True, slots=True)
class Fragment:
    """Where a query matches part of a longer unit: the span (offsets into the unit's text on
    the query's side) and the match % of the query against that span alone."""

    score: float
    span: Span
    side: Side

    def to_json(self) -> dict[str, Any]:
        """{"score", "span": [start, end], "side"}."""
        return {"score": self.score, "span": list(self.span), "side": self.side}


class HitKind(StrEnum):
    """What a hit is: a glossary term, a fuzzy TM match or a concordance line."""

    TERM = "term"
    UNIT = "unit"
    CONCORDANCE = "concordance"


@dataclass(slots=True)
class Hit:
    """A glossary term, a fuzzy TM match or a concordance line, with what to highlight."""

    zh: str
    en: str
    score: float
    origin: str
    kind: HitKind
    unit_id: int | None = None
    term_id: int | None = None
    status: TermStatus | None = None
    zh_spans: list[Span] = field(default_factory=list)
    en_spans: list[Span] = field(default_factory=list)
    match: str | None = None  # for terms: "exact", "contained" or "fuzzy"
    variants: list[str] = field(default_factory=list)
    forbidden: list[str] = field(default_factory=list)
    note: str | None = None
    # For terms found through a rendering other than the preferred one: that rendering, and
    # "variant" or "forbidden" (a query matching a forbidden rendering is a warning to show).
    matched: str | None = None
    matched_kind: str | None = None
    checked: bool = True  # for terms: False when lookup-only (zhen check does not require it)
    fragment: Fragment | None = None  # for units matched by a part only: that part and its score

    @property
    def score_kind(self) -> str:
        """What `score` measures: a term's "exact", "coverage" (contained) or "similarity"
        (fuzzy); a unit's "match" (CAT match %) or "fragment" (the query against a part)."""
        if self.kind == HitKind.TERM:
            return {"exact": "exact", "contained": "coverage"}.get(self.match or "", "similarity")
        return "fragment" if self.fragment is not None else "match"

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict; term-only fields appear on terms only."""
        data: dict[str, Any] = {
            "kind": self.kind,
            "zh": self.zh,
            "en": self.en,
            "score": self.score,
            "score_kind": self.score_kind,
            "origin": self.origin,
            "zh_spans": [list(span) for span in self.zh_spans],
            "en_spans": [list(span) for span in self.en_spans],
        }
        if self.kind == HitKind.TERM:
            data.update(
                term_id=self.term_id,
                status=self.status,
                match=self.match,
                variants=self.variants,
                forbidden=self.forbidden,
                note=self.note,
                matched=self.matched,
                matched_kind=self.matched_kind,
                checked=self.checked,
            )
        else:
            data["unit_id"] = self.unit_id
            data["fragment"] = self.fragment.to_json() if self.fragment else None
        return data


@dataclass(slots=True)
class LookupResult:
    """Everything one query found: terms first, then fuzzy TM units, then concordance lines."""

    query: str
    side: Side  # the side the query was matched against
    terms: list[Hit] = field(default_factory=list)
    units: list[Hit] = field(default_factory=list)
    concordance: list[Hit] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """{"query", "side", "terms", "units"}; concordance lines follow the units in "units"."""
        return {
            "query": self.query,
            "side": self.side,
            "terms": [hit.to_json() for hit in self.terms],
            "units": [hit.to_json() for hit in (*self.units, *self.concordance)],
        }

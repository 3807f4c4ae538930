"""Glossary entries: cleaning and validating a Term, merging duplicates, extraction candidates."""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Literal, TypeVar

from zhen.errors import GlossaryError
from zhen.models import TERM_STATUSES, Term, TermStatus
from zhen.text.normalize import (
    fold_width,
    has_cjk,
    normalize_en,
    normalize_zh,
    to_simplified,
    to_traditional,
)

TermT = TypeVar("TermT", bound=Term)

# Separator of several variants / forbidden renderings / sources in one TSV or CSV cell.
LIST_SEPARATOR = " | "
# Separator of the parts of a note that merging joined (and splits again to compare them).
NOTE_SEPARATOR = "; "
# What `export_glossary(status=…)` and `zhen glossary export --status` accept.
EXPORT_STATUSES = ("all", *TERM_STATUSES)

# Candidates scoring at least this are shown by `zhen glossary extract` and saved by --save;
# `--json` lists everything found. The score is the scoring model's probability that the pair is
# a term worth keeping; term_eval.py measures precision and recall at this cut-off.
# benchmarks/term_fit.py chose it on cross-validated scores: the lowest at which the fitting sets'
# shown proposals are 60% correct on average by a margin of one standard error.
DISPLAY_SCORE = 0.34


def now_iso() -> str:
    """The current UTC time as an ISO 8601 timestamp (seconds), as stored in `terms`."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def traditional_form(zh: str) -> str:
    """The Traditional Chinese form of a (Simplified) term, derived with OpenCC."""
    return to_traditional(zh)


def term_key(zh: str) -> str:
    """The key a term is matched by (`zh_norm` in the store): Simplified, width-folded, lower."""
    return normalize_zh(zh)


def split_list(cell: str | None) -> list[str]:
    """Split a ` | `-separated cell into its non-empty items (a bare `|` separates too)."""
    if not cell:
        return []
    return [item.strip() for item in cell.split("|") if item.strip()]


def join_list(items: list[str]) -> str:
    """The inverse of split_list."""
    return LIST_SEPARATOR.join(items)


def _unique(items: list[str], exclude: AbstractSet[str] = frozenset()) -> list[str]:
    """Items in order, without duplicates (compared normalised) or anything in `exclude`."""
    seen = set(exclude)
    result = []
    for item in items:
        key = normalize_en(item)
        if key and key not in seen:
            seen.add(key)
            result.append(item)
    return result


def _clean_text(text: str | None) -> str:
    # NFKC would turn full-width Chinese punctuation inside a term into ASCII; only trim here.
    return " ".join((text or "").split())


def clean_term(term: Term) -> Term:
    """A validated copy of `term`: Simplified zh, trimmed text, de-duplicated renderings.

    Raises GlossaryError for an empty or non-Chinese term, an empty rendering, an unknown
    status, or a rendering that is both allowed and forbidden.
    """
    zh = to_simplified(_clean_text(term.zh))
    en = _clean_text(term.en)
    if not zh:
        raise GlossaryError("the Chinese term is empty")
    if not has_cjk(fold_width(zh)):
        raise GlossaryError(f"{zh!r}: the Chinese term holds no Chinese characters")
    if not en:
        raise GlossaryError(f"{zh}: the English rendering is empty")
    status = (term.status or "approved").strip().lower()
    if status not in TERM_STATUSES:
        raise GlossaryError(
            f"{zh}: unknown status {term.status!r} (expected one of {', '.join(TERM_STATUSES)})"
        )
    variants = _unique([_clean_text(v) for v in term.variants], {normalize_en(en)})
    forbidden = _unique([_clean_text(f) for f in term.forbidden])
    allowed = {normalize_en(r) for r in [en, *variants]}
    clash = [f for f in forbidden if normalize_en(f) in allowed]
    if clash:
        raise GlossaryError(f"{zh}: {clash[0]!r} is both an allowed and a forbidden rendering")
    sources = []
    for source in term.sources:
        source = _clean_text(source)
        if source and source not in sources:
            sources.append(source)
    return Term(
        zh=zh,
        en=en,
        variants=variants,
        forbidden=forbidden,
        status=TermStatus(status),
        domain=_clean_text(term.domain) or None,
        note=(term.note or "").strip() or None,
        pos=_clean_text(term.pos) or None,
        sources=sources,
        created_at=term.created_at,
        changed_at=term.changed_at,
        id=term.id,
        checked=term.checked,
    )


def _note_parts(note: str) -> list[str]:
    """The `;`-separated parts of a note, trimmed, empty ones dropped."""
    return [part.strip() for part in note.split(";") if part.strip()]


def merge_notes(base: str | None, other: str | None) -> str | None:
    """`base` followed by the parts of `other` it lacks, joined by `; `.

    Notes merge as ordered sets of `;`-separated parts (compared with whitespace collapsed), so
    merging a note that is already there, whole or in parts, leaves `base` as it is.
    """
    if not other:
        return base
    if not base:
        return other
    seen = {" ".join(part.split()) for part in _note_parts(base)}
    added = []
    for part in _note_parts(other):
        key = " ".join(part.split())
        if key not in seen:
            seen.add(key)
            added.append(part)
    return NOTE_SEPARATOR.join([base, *added])


def merge_terms(base: Term, other: Term) -> list[str]:
    """Fold `other` (same Chinese term) into `base` in place; return what conflicted.

    The base's preferred rendering stays preferred; the other's preferred rendering and
    variants become variants; variants, forbidden renderings, sources and note parts are united
    as ordered sets (see merge_notes), so folding the same entry in twice changes nothing.
    Where both set a different status, domain or part of speech, the base wins and the
    conflict is reported. Whether the entry is checked in drafts is the caller's to decide: only
    it knows which side stated it (zhen.glossary.exchange, repository.merge_into_store).
    """
    conflicts = []
    base.variants = _unique([*base.variants, other.en, *other.variants], {normalize_en(base.en)})
    base.forbidden = _unique([*base.forbidden, *other.forbidden])
    allowed = {normalize_en(r) for r in base.renderings}
    clash = [f for f in base.forbidden if normalize_en(f) in allowed]
    if clash:
        raise GlossaryError(f"{base.zh}: {clash[0]!r} is both an allowed and a forbidden rendering")
    for source in other.sources:
        if source not in base.sources:
            base.sources.append(source)
    base.note = merge_notes(base.note, other.note)
    for name in ("status", "domain", "pos"):
        mine, theirs = getattr(base, name), getattr(other, name)
        if theirs and not mine:
            setattr(base, name, theirs)
        elif theirs and mine != theirs:
            conflicts.append(f"{name} {mine!r} kept over {theirs!r}")
    return conflicts


def edit_term(
    term: TermT,
    *,
    en: str | None = None,
    add_variants: Sequence[str] = (),
    remove_variants: Sequence[str] = (),
    forbid: Sequence[str] = (),
    allow: Sequence[str] = (),
    sources: Sequence[str] = (),
    note: str | None = None,
    status: TermStatus | None = None,
    domain: str | None = None,
    pos: str | None = None,
    checked: bool | None = None,
) -> TermT:
    """Apply a reviewer's changes to an entry (in place; returned for chaining).

    A new preferred rendering keeps the old one as a variant, unless it is forbidden in the same
    edit; forbidding a variant removes it from the variants; `allow` lifts a ban.
    """
    missing = [v for v in remove_variants if v not in term.variants]
    if missing:
        raise GlossaryError(f"{term.zh}: {missing[0]!r} is not a variant")
    if en and en != term.en:
        term.variants = [term.en, *term.variants]
        term.en = en
    dropped = {*remove_variants, *forbid, term.en}
    term.variants = [v for v in [*term.variants, *add_variants] if v not in dropped]
    term.forbidden = [f for f in [*term.forbidden, *forbid] if f not in set(allow)]
    term.sources = [*term.sources, *(s for s in sources if s not in term.sources)]
    for name, value in (("note", note), ("status", status), ("domain", domain), ("pos", pos)):
        if value is not None:
            setattr(term, name, value)
    if checked is not None:
        term.checked = checked
    return term


class CandidateKind(StrEnum):
    """How extraction found a candidate pair."""

    QUOTED = "quoted"  # in matching quotation marks on both sides
    ACRONYM = "acronym"  # an English acronym with its expansion
    NAME = "name"  # a proper name, title-case in English
    PHRASE = "phrase"  # an aligned span seen in one pair
    COOCCURRENCE = "cooccurrence"  # an aligned span recurring across pairs


@dataclass(slots=True)
class Candidate:
    """A term pair proposed by extraction, with the evidence behind it."""

    zh: str
    en: str
    score: float
    kind: CandidateKind
    source: str  # the pair it came from: "origin#position" or "file:index"
    known: bool = False
    known_status: TermStatus | Literal["forbidden"] | None = None
    count: int = 1  # pairs holding the candidate
    zh_context: str = ""
    en_context: str = ""

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict with every field."""
        return {
            "zh": self.zh,
            "en": self.en,
            "score": round(self.score, 3),
            "kind": self.kind,
            "source": self.source,
            "known": self.known,
            "known_status": self.known_status,
            "count": self.count,
            "zh_context": self.zh_context,
            "en_context": self.en_context,
        }

    def to_term(self) -> Term:
        """The candidate as a proposed glossary entry citing its source pair."""
        return Term(
            zh=self.zh,
            en=self.en,
            status=TermStatus.PROPOSED,
            note=f"extracted ({self.kind}, score {self.score:.2f})",
            sources=[self.source] if self.source else [],
        )


@dataclass(slots=True)
class GlossaryImportReport:
    """What an import did: counts, merged duplicates and warnings, for the CLI to print."""

    path: str
    fmt: str
    read: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    controls_removed: int = 0  # control characters dropped from the file's fields

    def summary(self) -> str:
        """One line: `FILE (fmt): N entries read, A added, U updated, K unchanged, D merged`."""
        parts = [
            f"{self.read} entries read",
            f"{self.added} added",
            f"{self.updated} updated",
            f"{self.unchanged} unchanged",
        ]
        if self.duplicates:
            parts.append(f"{len(self.duplicates)} duplicate rows merged")
        if self.controls_removed:
            parts.append(f"removed {self.controls_removed} control characters")
        return f"{self.path} ({self.fmt}): " + ", ".join(parts)


@dataclass(slots=True)
class GlossaryExportReport:
    """What an export wrote, and how many entries of each status it left out."""

    path: str
    written: int = 0
    left_out: dict[str, int] = field(default_factory=dict)  # status → entries not written

    def summary(self, where: str | None = None) -> str:
        """One line: `wrote N entries to FILE; left out P proposed and R rejected` (`where`
        names the output instead of the path, e.g. standard output)."""
        noun = "entry" if self.written == 1 else "entries"
        line = f"wrote {self.written} {noun} to {where or self.path}"
        if not self.left_out:
            return line
        counts = [f"{count} {status}" for status, count in self.left_out.items()]
        listed = counts[-1] if len(counts) == 1 else f"{', '.join(counts[:-1])} and {counts[-1]}"
        return f"{line}; left out {listed}"

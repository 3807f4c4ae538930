"""Plain data objects shared by the core modules and both front ends."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from enum import StrEnum


@dataclass(slots=True)
class TranslationUnit:
    """One zh/en sentence pair as kept in a TMX file or the store."""

    zh: str
    en: str
    origin: str = ""
    position: int | None = None
    score: float | None = None
    zh_lang: str = "zh-CN"
    en_lang: str = "en-US"
    created_at: str | None = None
    changed_at: str | None = None
    creation_tool: str | None = None
    created_by: str | None = None
    changed_by: str | None = None
    note: str | None = None
    id: int | None = None
    # TMX `tuid` and foreign `<prop>`s, kept so an import → export round trip loses nothing.
    tuid: str | None = None
    props: list[tuple[str, str]] = field(default_factory=list)
    # The inline codes of the zh and en <seg> in order ("bpt#1", "ph#2"), for `zhen check`; the
    # text holds the words alone, and the store keeps the text only.
    inline_tags: tuple[tuple[str, ...], tuple[str, ...]] = field(default=((), ()), compare=False)


class TermStatus(StrEnum):
    """A glossary entry's review state; members equal their stored and printed strings."""

    APPROVED = "approved"
    PROPOSED = "proposed"
    REJECTED = "rejected"


# Plain strings, so argparse's "invalid choice" message lists them as before.
TERM_STATUSES = tuple(status.value for status in TermStatus)


@dataclass(slots=True)
class Term:
    """A glossary entry: a Chinese term, its preferred English and the renderings around it."""

    zh: str
    en: str
    variants: list[str] = field(default_factory=list)
    forbidden: list[str] = field(default_factory=list)
    status: TermStatus = TermStatus.APPROVED
    domain: str | None = None
    note: str | None = None
    pos: str | None = None
    sources: list[str] = field(default_factory=list)
    created_at: str | None = None
    changed_at: str | None = None
    id: int | None = None
    # False for a lookup-only entry (中方 → China): shown in lookups, not required in drafts.
    checked: bool = True

    @property
    def renderings(self) -> list[str]:
        """Every allowed English rendering, preferred first."""
        return [self.en, *[v for v in self.variants if v != self.en]]

    def stored_as(self, term_id: int) -> StoredTerm:
        """This entry as the store holds it under `term_id`."""
        values = {f.name: getattr(self, f.name) for f in fields(Term) if f.name != "id"}
        return StoredTerm(**values, id=term_id)


@dataclass(slots=True)
class StoredTerm(Term):
    """A glossary entry read from (or just written to) the store: its id is always set, so what
    updates, re-statuses or removes an entry needs no None check. A `Term` is one not yet stored."""

    id: int = field(kw_only=True)

"""What a lookup searches: glossary files beside the database's own glossary, and TM origins."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class DatabaseGlossary(StrEnum):
    """Where the database's own glossary ranks among the glossary files of a lookup."""

    AFTER = "after"
    BEFORE = "before"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class LookupScope:
    """The glossaries a lookup searches, highest priority first, and the origins it keeps.

    The default is what a lookup always searched: the database's glossary and every origin.
    """

    glossary_files: tuple[Path, ...] = ()
    database_glossary: DatabaseGlossary = DatabaseGlossary.AFTER
    origins: tuple[str, ...] | None = None  # None: units of every origin

    @property
    def is_default(self) -> bool:
        """True when the scope searches what a plain lookup does."""
        return (
            not self.glossary_files
            and self.database_glossary != DatabaseGlossary.NONE
            and self.origins is None
        )

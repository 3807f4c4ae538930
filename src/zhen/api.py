"""`zhen.align` and `zhen.check`: the aligner and the draft checker for Python callers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from zhen.aligner.document import AlignedDocument, align_files
from zhen.checker import CheckReport, check_files
from zhen.database import Database
from zhen.glossary.exchange import load_terms_file
from zhen.models import Term, TranslationUnit

GlossaryLike = Database | Sequence[Term] | Path | str | None


@dataclass(slots=True)
class Alignment:
    """An aligned document: its sentence pairs (`.zh`, `.en`, `.score`) and the full result."""

    pairs: list[TranslationUnit]
    document: AlignedDocument

    @property
    def name(self) -> str:
        """The document's name (its origin when imported)."""
        return self.document.name


def approved_terms(glossary: GlossaryLike) -> Sequence[Term]:
    """The approved entries of a database, a glossary file, or a list of terms."""
    if glossary is None:
        return []
    if isinstance(glossary, Database):
        return glossary.approved_terms()
    if isinstance(glossary, str | Path):
        return [t for t in load_terms_file(glossary) if t.status == "approved"]
    return [t for t in glossary if t.status == "approved"]


def align(
    zh: Path | str,
    en: Path | str | None = None,
    *,
    glossary: GlossaryLike = None,
    presegmented: bool = False,
    min_score: float = 0.0,
) -> Alignment:
    """Align a Chinese text file with its English version (or one file holding both).

    The glossary's approved terms anchor the alignment; `min_score` drops weaker pairs.
    """
    document = align_files(zh, en, presegmented=presegmented, terms=approved_terms(glossary))
    return Alignment(pairs=document.pairs(min_score), document=document)


def check(
    source: Path | str, draft: Path | str | None = None, *, glossary: GlossaryLike = None
) -> CheckReport:
    """Check an English draft against its Chinese source (or one bilingual file).

    The report's `.issues` have `.kind` and `.severity`; the glossary's approved terms are the
    ones required.
    """
    return check_files(source, draft, terms=approved_terms(glossary))

"""The glossary: term entries in the store, TBX/TSV/CSV/OmegaT exchange, candidate extraction."""

from __future__ import annotations

from typing import TYPE_CHECKING

from zhen.glossary.entries import (
    DISPLAY_SCORE,
    EXPORT_STATUSES,
    Candidate,
    GlossaryExportReport,
    GlossaryImportReport,
    edit_term,
    traditional_form,
)
from zhen.lazy import lazy_exports

if TYPE_CHECKING:
    from zhen.glossary.exchange import export_glossary, import_glossary, load_terms_file
    from zhen.glossary.extract import (
        best_candidates,
        extract_candidates,
        iter_units_from_files,
        save_candidates,
        shown_terms,
        units_from_db,
        units_from_files,
    )
    from zhen.glossary.repository import (
        add_term,
        approved_terms,
        get_term,
        get_term_by_id,
        list_terms,
        remove_term,
        set_status,
        update_term,
    )

# The store (numpy), the formats and the extractor (pypinyin, jieba) load when first used, not
# with the package: every `zhen` command imports it, and most need none of them.
__getattr__ = lazy_exports(
    __name__,
    {
        "export_glossary": "exchange",
        "import_glossary": "exchange",
        "load_terms_file": "exchange",
        "best_candidates": "extract",
        "extract_candidates": "extract",
        "iter_units_from_files": "extract",
        "save_candidates": "extract",
        "shown_terms": "extract",
        "units_from_db": "extract",
        "units_from_files": "extract",
        "add_term": "repository",
        "approved_terms": "repository",
        "get_term": "repository",
        "get_term_by_id": "repository",
        "list_terms": "repository",
        "remove_term": "repository",
        "set_status": "repository",
        "update_term": "repository",
    },
)

__all__ = [
    "DISPLAY_SCORE",
    "EXPORT_STATUSES",
    "Candidate",
    "GlossaryExportReport",
    "GlossaryImportReport",
    "add_term",
    "approved_terms",
    "best_candidates",
    "edit_term",
    "export_glossary",
    "extract_candidates",
    "get_term",
    "get_term_by_id",
    "import_glossary",
    "iter_units_from_files",
    "list_terms",
    "load_terms_file",
    "remove_term",
    "save_candidates",
    "set_status",
    "shown_terms",
    "traditional_form",
    "units_from_db",
    "units_from_files",
    "update_term",
]

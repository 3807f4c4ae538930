"""The glossary: term entries in the store, TBX/TSV/CSV/OmegaT exchange, candidate extraction."""

from __future__ import annotations

from zhen.glossary.entries import (
    Candidate,
    GlossaryExportReport,
    GlossaryImportReport,
    edit_term,
    traditional_form,
)
from zhen.glossary.exchange import (
    EXPORT_STATUSES,
    export_glossary,
    import_glossary,
    load_terms_file,
)
from zhen.glossary.extract import (
    DISPLAY_SCORE,
    extract_candidates,
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

__all__ = [
    "DISPLAY_SCORE",
    "EXPORT_STATUSES",
    "Candidate",
    "GlossaryExportReport",
    "GlossaryImportReport",
    "add_term",
    "approved_terms",
    "edit_term",
    "export_glossary",
    "extract_candidates",
    "get_term",
    "get_term_by_id",
    "import_glossary",
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

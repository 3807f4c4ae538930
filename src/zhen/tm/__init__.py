"""The translation memory: import (TMX/TSV/XLIFF/PO), export to TMX, stats, delete, unit reads."""

from zhen.tm.importer import (
    FileImport,
    ImportProgress,
    ImportReport,
    ProgressCallback,
    import_files,
)
from zhen.tm.readers import detect_format
from zhen.tm.units import TmStats, delete_origin, export_tmx, get_unit, neighbours, stats

__all__ = [
    "FileImport",
    "ImportProgress",
    "ImportReport",
    "ProgressCallback",
    "TmStats",
    "delete_origin",
    "detect_format",
    "export_tmx",
    "get_unit",
    "import_files",
    "neighbours",
    "stats",
]

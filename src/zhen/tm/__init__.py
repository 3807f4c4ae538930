"""The translation memory: import (TMX/TSV/XLIFF/PO), export to TMX, stats, delete, unit reads."""

from zhen.io.tmfiles import detect_format
from zhen.tm.importer import (
    FileImport,
    ImportProgress,
    ImportReport,
    ProgressCallback,
    import_files,
    import_units,
)
from zhen.tm.units import (
    DeleteReport,
    TmStats,
    UnitSource,
    delete_origin,
    delete_unit,
    export_tmx,
    get_unit,
    neighbours,
    stats,
    unit_sources,
)

__all__ = [
    "DeleteReport",
    "FileImport",
    "ImportProgress",
    "ImportReport",
    "ProgressCallback",
    "TmStats",
    "UnitSource",
    "delete_origin",
    "delete_unit",
    "detect_format",
    "export_tmx",
    "get_unit",
    "import_files",
    "import_units",
    "neighbours",
    "stats",
    "unit_sources",
]

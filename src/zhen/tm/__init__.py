"""The translation memory: import (TMX/TSV/XLIFF/PO), export to TMX, stats, delete, unit reads."""

from __future__ import annotations

from typing import TYPE_CHECKING

from zhen.lazy import lazy_exports

if TYPE_CHECKING:
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

# The store (numpy) and the file readers (lxml, translate-toolkit) load when first used: every
# `zhen` command imports this package, and `zhen lookup` needs neither.
__getattr__ = lazy_exports(
    __name__,
    {
        "FileImport": "importer",
        "ImportProgress": "importer",
        "ImportReport": "importer",
        "ProgressCallback": "importer",
        "detect_format": "importer",
        "import_files": "importer",
        "import_units": "importer",
        "DeleteReport": "units",
        "TmStats": "units",
        "UnitSource": "units",
        "delete_origin": "units",
        "delete_unit": "units",
        "export_tmx": "units",
        "get_unit": "units",
        "neighbours": "units",
        "stats": "units",
        "unit_sources": "units",
    },
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

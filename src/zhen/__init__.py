"""zhen: Chinese→English terminology and translation-memory tool."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from zhen.version import __version__

# The public API, imported on first use so that `zhen --help` does not load numpy and friends.
_EXPORTS = {
    "Database": "zhen.database",
    "DatabaseInfo": "zhen.database",
    "Alignment": "zhen.api",
    "align": "zhen.api",
    "check": "zhen.api",
    "ZhenError": "zhen.errors",
    "StoredTerm": "zhen.models",
    "Term": "zhen.models",
    "TranslationUnit": "zhen.models",
}

__all__ = [
    "Alignment",
    "Database",
    "DatabaseInfo",
    "StoredTerm",
    "Term",
    "TranslationUnit",
    "ZhenError",
    "__version__",
    "align",
    "check",
]

if TYPE_CHECKING:
    from zhen.api import Alignment, align, check
    from zhen.database import Database, DatabaseInfo
    from zhen.errors import ZhenError
    from zhen.models import StoredTerm, Term, TranslationUnit


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'zhen' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value

"""Where the bundled Xinhua data lives, installed (package data) or in a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DATA = Path(__file__).resolve().parent / "data"
_CHECKOUT_ROOT = Path(__file__).resolve().parents[2]


def _find(installed_name: str, checkout_relative: str) -> Path:
    installed = _PACKAGE_DATA / installed_name
    if installed.exists():
        return installed
    return _CHECKOUT_ROOT / checkout_relative


def bundled_tmx() -> Path:
    """The TMX built from the Xinhua sources (`tm/xinhua.tmx`)."""
    return _find("xinhua.tmx", "tm/xinhua.tmx")


def bundled_glossary() -> Path:
    """The curated Xinhua glossary (`glossary/xinhua.tsv`)."""
    return _find("xinhua.tsv", "glossary/xinhua.tsv")

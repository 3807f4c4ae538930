"""Glossary file formats: detection by extension or content, and one reader/writer per format."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from zhen.errors import FormatError, InputError
from zhen.glossary.formats.common import ParsedEntry
from zhen.models import Term

FORMATS = ("tsv", "omegat", "csv", "tbx", "tbx3")
_BY_SUFFIX = {".tsv": "tsv", ".txt": "omegat", ".csv": "csv", ".tbx": "tbx", ".tbx3": "tbx3"}
_ALIASES = {"txt": "omegat", "tbx2": "tbx", "xinhua": "tsv"}


def check_format(fmt: str) -> str:
    """The canonical name of a format given by the user; FormatError for an unknown one."""
    name = _ALIASES.get(fmt.lower(), fmt.lower())
    if name not in FORMATS:
        raise FormatError(f"unknown glossary format {fmt!r} (expected one of {', '.join(FORMATS)})")
    return name


def _sniff(path: Path) -> str | None:
    """Tell TBX v2 (`<martif>`) from v3 (`<tbx>`), and a Xinhua TSV from an OmegaT .txt."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return None
    lowered = head.lower()
    if b"<martif" in lowered:
        return "tbx"
    if b"<tbx" in lowered:
        return "tbx3"
    if lowered.lstrip(b"\xef\xbb\xbf").startswith(b"zh\ten\t"):
        return "tsv"
    return None


def detect_format(path: Path, fmt: str | None = None, *, reading: bool) -> str:
    """The format to use for `path`: the one given, else from the content (reading) or suffix."""
    if fmt:
        return check_format(fmt)
    sniffed = _sniff(path) if reading else None
    if sniffed and (sniffed != "tsv" or path.suffix.lower() in (".txt", ".tsv", "")):
        return sniffed
    by_suffix = _BY_SUFFIX.get(path.suffix.lower())
    if by_suffix is None and path.suffix.lower() == ".xml" and sniffed:
        return sniffed
    if by_suffix is None:
        raise FormatError(
            f"{path}: cannot tell the glossary format from the name; "
            "use .tsv, .txt (OmegaT), .csv, .tbx or .tbx3, or give --format"
        )
    return by_suffix


def _readers() -> dict[str, Callable[[Path], list[ParsedEntry]]]:
    from zhen.glossary.formats import csvfile, omegat, tbx, tsv

    return {
        "tsv": tsv.read_tsv,
        "omegat": omegat.read_omegat,
        "csv": csvfile.read_csv,
        "tbx": tbx.read_tbx2,
        "tbx3": tbx.read_tbx3,
    }


def _writers() -> dict[str, Callable[[Iterable[Term], Path], int]]:
    from zhen.glossary.formats import csvfile, omegat, tbx, tsv

    return {
        "tsv": tsv.write_tsv,
        "omegat": omegat.write_omegat,
        "csv": csvfile.write_csv,
        "tbx": tbx.write_tbx2,
        "tbx3": tbx.write_tbx3,
    }


def read_entries(path: Path | str, fmt: str | None = None) -> tuple[str, list[ParsedEntry]]:
    """(format, entries) of a glossary file; InputError/FormatError with file:line on bad input."""
    path = Path(path)
    if path.is_dir():
        raise InputError(f"{path}: is a directory, expected a glossary file")
    if not path.exists():
        raise InputError(f"{path}: no such file")
    name = detect_format(path, fmt, reading=True)
    entries = _readers()[name](path)
    if not entries:
        raise FormatError(f"{path}: no glossary entries found")
    return name, entries


def write_entries(terms: Iterable[Term], path: Path | str, fmt: str | None = None) -> int:
    """Write terms in the format given or implied by the suffix; returns the entries written."""
    path = Path(path)
    name = detect_format(path, fmt, reading=False)
    return _writers()[name](terms, path)

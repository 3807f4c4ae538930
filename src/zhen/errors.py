"""The exception hierarchy: one base, one subclass per domain, each turned into exit code 2."""

from __future__ import annotations


class ZhenError(Exception):
    """Base class of every error zhen reports to a person instead of a traceback."""

    exit_code = 2


class InputError(ZhenError):
    """A file could not be read: missing, empty, undecodable, or of the wrong kind."""


class EncodingError(InputError):
    """Bytes that do not decode in any supported encoding."""


class NoEnglishError(InputError):
    """A mixed file holds no English half."""


class SegmentationError(ZhenError):
    """Text could not be split into sentences."""


class AlignmentError(ZhenError):
    """The aligner could not pair the two texts."""


class TmxError(InputError):
    """A TMX file is malformed or holds no usable zh/en units."""


class FormatError(InputError):
    """A TSV/CSV/TBX/XLIFF/PO file is malformed."""


class OutputError(ZhenError):
    """An output cannot be written: a folder, device or input named, or the write failed."""


class StoreError(ZhenError):
    """The SQLite database could not be opened, migrated or written."""


class ReadOnlyReplicaError(StoreError):
    """A write was asked of a read-only replica (a PostgreSQL hot standby)."""


class SearchError(ZhenError):
    """A lookup could not be run."""


class GlossaryError(ZhenError):
    """A glossary operation failed (unknown term, invalid entry, bad import)."""


class CheckError(ZhenError):
    """A draft could not be checked."""


class ProjectError(ZhenError):
    """A zhen.toml project file is unreadable, not TOML, or holds a bad setting."""

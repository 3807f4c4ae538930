"""The translation memory: import (TMX/TSV/XLIFF/PO), export to TMX, stats, delete, unit reads."""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from zhen import search_index, tmx
from zhen.errors import FormatError, InputError, StoreError, TmxError
from zhen.models import TranslationUnit
from zhen.normalize import has_cjk, normalize_en, normalize_zh
from zhen.store import transaction
from zhen.textio import decode_bytes

_IMPORT_CACHE_KIB = -262144  # 256 MiB page cache while importing (negative = KiB)
_BATCH = 5000  # rows per executemany: large enough to amortise, small enough for a live bar

_UNIT_COLUMNS = (
    "zh, en, zh_norm, en_norm, zh_lang, en_lang, origin, position, score, created_at, "
    "changed_at, creation_tool, created_by, changed_by, note, tuid, props"
)
_INSERT = (
    f"INSERT INTO units ({_UNIT_COLUMNS}) VALUES ({', '.join('?' * 17)}) "
    "ON CONFLICT (zh, en) DO NOTHING"
)
_SELECT = f"SELECT id, {_UNIT_COLUMNS} FROM units"

TMX_SUFFIXES = frozenset({".tmx"})
TSV_SUFFIXES = frozenset({".tsv", ".tab", ".txt"})
TOOLKIT_SUFFIXES = frozenset({".xlf", ".xliff", ".po", ".pot"})


# --- reports -------------------------------------------------------------------------------


@dataclass
class ImportProgress:
    """Where an import stands, passed to the progress callback after every batch."""

    path: Path
    units: int
    bytes_done: int
    bytes_total: int
    elapsed: float

    @property
    def rate(self) -> float:
        """Units read per second so far (all files)."""
        return self.units / self.elapsed if self.elapsed > 0 else 0.0


ProgressCallback = Callable[[ImportProgress], None]


@dataclass
class FileImport:
    """What one file contributed."""

    path: Path
    format: str
    read: int = 0
    added: int = 0
    skipped: int = 0

    @property
    def duplicates(self) -> int:
        """Units already in the store (or repeated in the file), merged rather than added."""
        return self.read - self.added


@dataclass
class ImportReport:
    """The outcome of `import_files`: per-file counts, totals and the import rate."""

    files: list[FileImport] = field(default_factory=list)
    seconds: float = 0.0
    started: float = 0.0  # perf_counter() at the start

    @property
    def read(self) -> int:
        return sum(f.read for f in self.files)

    @property
    def added(self) -> int:
        return sum(f.added for f in self.files)

    @property
    def duplicates(self) -> int:
        return sum(f.duplicates for f in self.files)

    @property
    def skipped(self) -> int:
        return sum(f.skipped for f in self.files)

    @property
    def rate(self) -> float:
        """Units read per second, indexing included."""
        return self.read / self.seconds if self.seconds > 0 else 0.0


@dataclass
class TmStats:
    """What the store holds: counts, language variants, origins and its size on disk."""

    path: str
    units: int
    terms: int
    zh_languages: dict[str, int]
    en_languages: dict[str, int]
    origins: list[tuple[str, int]]
    db_bytes: int

    def to_json(self) -> dict:
        """A JSON-ready dict (origins as a list of {"origin", "units"})."""
        return {
            "database": self.path,
            "units": self.units,
            "terms": self.terms,
            "zh_languages": self.zh_languages,
            "en_languages": self.en_languages,
            "origins": [{"origin": o, "units": n} for o, n in self.origins],
            "database_bytes": self.db_bytes,
        }


# --- import --------------------------------------------------------------------------------


def detect_format(path: Path) -> str:
    """ "tmx", "tsv" or "toolkit" (XLIFF/PO via translate-toolkit), by extension then content."""
    suffix = path.suffix.lower()
    if suffix in TMX_SUFFIXES:
        return "tmx"
    if suffix in TSV_SUFFIXES:
        return "tsv"
    if suffix in TOOLKIT_SUFFIXES:
        return "toolkit"
    with open(path, "rb") as f:
        head = f.read(4096)
    for encoding in ("utf-8", "utf-16", "gb18030"):
        try:
            text = head.decode(encoding, errors="ignore").lstrip("\ufeff \r\n\t")
        except LookupError:
            continue
        if text.startswith("<"):
            return "tmx" if "<tmx" in text else "toolkit"
    return "tsv"


def import_files(
    conn: sqlite3.Connection,
    paths: Iterable[Path | str],
    *,
    progress: ProgressCallback | None = None,
) -> ImportReport:
    """Import bilingual files into the store in one transaction: on any error nothing is kept.

    Exact duplicates (same zh and en) are merged; the new units are indexed for lookup.
    """
    files = [Path(p) for p in paths]
    if not files:
        raise InputError("no files to import")
    for path in files:
        tmx.check_input_file(path)  # refuse missing/empty files before writing anything
    report = ImportReport(started=time.perf_counter())
    # A big page cache for the import: the UNIQUE (zh, en) index takes inserts in random key
    # order, and with SQLite's default 2 MB cache a million-unit import thrashes on it.
    cache_size = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute(f"PRAGMA cache_size = {_IMPORT_CACHE_KIB}")
    try:
        _import_all(conn, files, report, progress)
    finally:
        conn.execute(f"PRAGMA cache_size = {int(cache_size)}")
    report.seconds = time.perf_counter() - report.started
    return report


def _import_all(
    conn: sqlite3.Connection,
    files: list[Path],
    report: ImportReport,
    progress: ProgressCallback | None,
) -> None:
    total_bytes = sum(p.stat().st_size for p in files)
    done_bytes = 0
    units_read = 0
    with transaction(conn):
        first_new_id = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM units").fetchone()[0]
        for path in files:
            fmt = detect_format(path)
            result = FileImport(path, fmt)
            stats = tmx.ReadStats()
            reader = _READERS[fmt](path, stats)
            for batch in _batches(_unit_rows(reader, path.name), _BATCH):
                before = conn.total_changes
                conn.executemany(_INSERT, batch)
                result.added += conn.total_changes - before
                result.read += len(batch)
                units_read += len(batch)
                if progress:
                    progress(
                        ImportProgress(
                            path,
                            units_read,
                            done_bytes + stats.bytes_read,
                            total_bytes,
                            time.perf_counter() - report.started,
                        )
                    )
            result.skipped = stats.skipped
            if result.read == 0:
                raise _no_units_error(path, fmt, stats)
            done_bytes += path.stat().st_size
            report.files.append(result)
        new_ids = [
            row[0] for row in conn.execute("SELECT id FROM units WHERE id >= ?", (first_new_id,))
        ]
        search_index.units_added(conn, new_ids)


def _no_units_error(path: Path, fmt: str, stats: tmx.ReadStats) -> InputError:
    if stats.languages:
        found = ", ".join(sorted(stats.languages))
        detail = f"no unit has both a Chinese and an English side (languages found: {found})"
    else:
        detail = "holds no translation units"
    error = TmxError if fmt == "tmx" else FormatError
    return error(f"{path}: {detail}; nothing imported")


def _unit_rows(units: Iterable[TranslationUnit], default_origin: str) -> Iterator[tuple]:
    """Database rows for units; units without an origin get the file name and file order."""
    for index, unit in enumerate(units):
        origin = unit.origin or default_origin
        position = unit.position if unit.position is not None else index
        yield (
            unit.zh,
            unit.en,
            normalize_zh(unit.zh),
            normalize_en(unit.en),
            unit.zh_lang,
            unit.en_lang,
            origin,
            position,
            unit.score,
            unit.created_at,
            unit.changed_at,
            unit.creation_tool,
            unit.created_by,
            unit.changed_by,
            unit.note,
            unit.tuid,
            json.dumps(unit.props, ensure_ascii=False) if unit.props else None,
        )


def _batches(rows: Iterable[tuple], size: int) -> Iterator[list[tuple]]:
    batch: list[tuple] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _read_tmx(path: Path, stats: tmx.ReadStats) -> Iterator[TranslationUnit]:
    return tmx.iter_units(path, stats=stats)


_HEADER_NAMES = {
    "zh": "zh",
    "chinese": "zh",
    "source": "zh",
    "zh-cn": "zh",
    "en": "en",
    "english": "en",
    "target": "en",
    "en-us": "en",
}


def _read_tsv(path: Path, stats: tmx.ReadStats) -> Iterator[TranslationUnit]:
    """Tab-separated zh, en [, score]; column order found from a header or the first rows."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    lines = decode_bytes(data, str(path)).split("\n")
    zh_col, en_col, first_data = _tsv_columns(path, lines)
    for number, line in enumerate(lines[first_data:], start=first_data + 1):
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) < 2:
            raise FormatError(f"{path}:{number}: expected zh<TAB>en, found no tab")
        zh, en = cells[zh_col].strip(), cells[en_col].strip()
        if not zh or not en:
            stats.skipped += 1
            continue
        score = _tsv_score(cells[2]) if len(cells) > 2 and zh_col == 0 else None
        stats.units += 1
        stats.bytes_read = int(len(data) * number / len(lines))
        yield TranslationUnit(zh=zh, en=en, score=score)
    stats.languages = {"zh": stats.units, "en": stats.units} if stats.units else {}


def _tsv_columns(path: Path, lines: Sequence[str]) -> tuple[int, int, int]:
    """(zh column, en column, index of the first data line)."""
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        cells = [c.strip() for c in line.split("\t")]
        if len(cells) < 2:
            raise FormatError(f"{path}:{index + 1}: expected zh<TAB>en, found no tab")
        names = [_HEADER_NAMES.get(c.lower()) for c in cells[:2]]
        if sorted(n for n in names if n) == ["en", "zh"]:
            return names.index("zh"), names.index("en"), index + 1
        if has_cjk(cells[1]) and not has_cjk(cells[0]):
            return 1, 0, index  # en<TAB>zh, as Tatoeba's cmn.txt
        return 0, 1, index
    raise FormatError(f"{path}: holds no zh<TAB>en lines; nothing imported")


def _tsv_score(cell: str) -> float | None:
    """A third column written by `zhen align` is the alignment score; other text is ignored."""
    try:
        value = float(cell)
    except ValueError:
        return None
    return value if 0.0 <= value <= 1.0 else None


def _read_toolkit(path: Path, stats: tmx.ReadStats) -> Iterator[TranslationUnit]:
    """XLIFF and PO through translate-toolkit; XML is vetted by the safe parser first."""
    from translate.storage import factory

    head = path.read_bytes()[:512].lstrip(b"\xef\xbb\xbf \r\n\t")
    if head.startswith(b"<") or head.startswith(b"\xff\xfe") or head.startswith(b"\xfe\xff"):
        _vet_xml(path)
    try:
        store = factory.getobject(str(path))
    except Exception as exc:  # the toolkit raises many types for bad files
        raise FormatError(f"{path}: cannot read as XLIFF/PO: {exc}") from None
    source_lang = tmx.canonical_lang(store.getsourcelanguage() or "")
    target_lang = tmx.canonical_lang(store.gettargetlanguage() or "")
    swapped = tmx.lang_side(source_lang) == "en" or tmx.lang_side(target_lang) == "zh"
    for unit in store.units:
        if unit.isheader() or not unit.source:
            continue
        source, target = str(unit.source).strip(), str(unit.target or "").strip()
        if not target or not _confirmed(unit):
            stats.skipped += 1  # an untranslated or unconfirmed unit is not a translation
            continue
        zh, en = (target, source) if swapped else (source, target)
        if not swapped and not source_lang and has_cjk(target) and not has_cjk(source):
            zh, en = en, zh
        stats.units += 1
        yield TranslationUnit(
            zh=zh,
            en=en,
            zh_lang=(target_lang if swapped else source_lang) or "zh-CN",
            en_lang=(source_lang if swapped else target_lang) or "en-US",
            note=(unit.getnotes() or None) if hasattr(unit, "getnotes") else None,
        )
    stats.bytes_read = path.stat().st_size
    if stats.units:
        stats.languages = {"zh": stats.units, "en": stats.units}


def _confirmed(unit: object) -> bool:
    """PO: not fuzzy. XLIFF: the target's state is not "new" or "needs-…" (the toolkit calls
    every unapproved XLIFF unit fuzzy, which would drop most real CAT exports)."""
    element = getattr(unit, "xmlelement", None)
    if element is None:
        return not unit.isfuzzy()
    for child in element:
        if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1] == "target":
            state = child.get("state", "")
            return not (state == "new" or state.startswith("needs-"))
    return True


def _vet_xml(path: Path) -> None:
    """Parse the XML with the safe settings: malformed → file:line:column, entities refused."""
    from lxml import etree

    try:
        for _event, elem in etree.iterparse(str(path), events=("end",), **tmx.xml_parser_options()):
            if elem.getparent() is None:
                tmx.refuse_entity_declarations(path, elem.getroottree())
            elem.clear()
    except etree.XMLSyntaxError as exc:
        raise tmx.xml_error(path, exc) from None


_READERS: dict[str, Callable[[Path, tmx.ReadStats], Iterator[TranslationUnit]]] = {
    "tmx": _read_tmx,
    "tsv": _read_tsv,
    "toolkit": _read_toolkit,
}


# --- export, stats, delete, reads ----------------------------------------------------------


def export_tmx(
    conn: sqlite3.Connection,
    path: Path | str,
    *,
    langs: tuple[str, str] | None = ("zh-CN", "en-US"),
    origin: str | None = None,
) -> int:
    """Write the store (or one origin) as TMX 1.4b; langs labels the sides, None keeps each
    unit's own codes. Returns the number of units written."""
    if origin is not None and not _origin_exists(conn, origin):
        raise StoreError(f"no units with origin {origin!r} (see `zhen tm stats` for origins)")
    if origin is None:
        rows = conn.execute(f"{_SELECT} ORDER BY id")
    else:
        rows = conn.execute(f"{_SELECT} WHERE origin = ? ORDER BY id", (origin,))
    srclang, tgtlang = langs if langs else (None, None)
    return tmx.write_tmx(path, map(_unit_from_row, rows), srclang=srclang, tgtlang=tgtlang)


def _origin_exists(conn: sqlite3.Connection, origin: str) -> bool:
    return (
        conn.execute("SELECT 1 FROM units WHERE origin = ? LIMIT 1", (origin,)).fetchone()
        is not None
    )


def _unit_from_row(row: Sequence) -> TranslationUnit:
    (id_, zh, en, _zh_norm, _en_norm, zh_lang, en_lang, origin, position, score) = row[:10]
    created_at, changed_at, tool, created_by, changed_by, note, tuid, props = row[10:]
    return TranslationUnit(
        zh=zh,
        en=en,
        origin=origin,
        position=position,
        score=score,
        zh_lang=zh_lang,
        en_lang=en_lang,
        created_at=created_at,
        changed_at=changed_at,
        creation_tool=tool,
        created_by=created_by,
        changed_by=changed_by,
        note=note,
        id=id_,
        tuid=tuid,
        props=[(t, v) for t, v in json.loads(props)] if props else [],
    )


def stats(conn: sqlite3.Connection) -> TmStats:
    """Counts of units and terms, language variants, origins and the database size."""

    def counted(sql: str) -> list[tuple[str, int]]:
        return [(row[0], row[1]) for row in conn.execute(sql)]

    db_file = next((row[2] for row in conn.execute("PRAGMA database_list") if row[1] == "main"), "")
    size = 0
    for suffix in ("", "-wal"):
        if db_file and os.path.exists(db_file + suffix):
            size += os.path.getsize(db_file + suffix)
    return TmStats(
        path=db_file,
        units=conn.execute("SELECT COUNT(*) FROM units").fetchone()[0],
        terms=conn.execute("SELECT COUNT(*) FROM terms").fetchone()[0],
        zh_languages=dict(
            counted("SELECT zh_lang, COUNT(*) FROM units GROUP BY zh_lang ORDER BY 2 DESC, 1")
        ),
        en_languages=dict(
            counted("SELECT en_lang, COUNT(*) FROM units GROUP BY en_lang ORDER BY 2 DESC, 1")
        ),
        origins=counted("SELECT origin, COUNT(*) FROM units GROUP BY origin ORDER BY 2 DESC, 1"),
        db_bytes=size,
    )


def delete_origin(conn: sqlite3.Connection, origin: str) -> int:
    """Delete every unit of one origin (file/document), index first; return how many."""
    with transaction(conn):
        ids = [row[0] for row in conn.execute("SELECT id FROM units WHERE origin = ?", (origin,))]
        if ids:
            search_index.units_removed(conn, ids)
            conn.execute("DELETE FROM units WHERE origin = ?", (origin,))
    return len(ids)


def get_unit(conn: sqlite3.Connection, unit_id: int) -> TranslationUnit | None:
    """The unit with this id, or None."""
    row = conn.execute(f"{_SELECT} WHERE id = ?", (unit_id,)).fetchone()
    return None if row is None else _unit_from_row(row)


def neighbours(conn: sqlite3.Connection, unit_id: int, radius: int = 1) -> list[TranslationUnit]:
    """The unit and those within `radius` positions of it in the same origin, in order."""
    unit = get_unit(conn, unit_id)
    if unit is None:
        return []
    if unit.position is None:
        return [unit]
    rows = conn.execute(
        f"{_SELECT} WHERE origin = ? AND position BETWEEN ? AND ? ORDER BY position, id",
        (unit.origin, unit.position - radius, unit.position + radius),
    )
    return [_unit_from_row(row) for row in rows]

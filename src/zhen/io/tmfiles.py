"""The bilingual formats the TM imports: detection, and the readers of TMX, TSV, XLIFF 1.2 and PO
(CSV and XLIFF 2 have modules of their own, registered here)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from zhen.errors import FormatError, InputError
from zhen.io import bilingual, csvtm, tmx, xliff2
from zhen.io.sides import HEADER_NAMES, ScriptTally
from zhen.io.spreadsheet import restore_cell
from zhen.io.textfile import decode_bytes
from zhen.models import TranslationUnit
from zhen.text.normalize import has_cjk

TMX_SUFFIXES = frozenset({".tmx"})
TSV_SUFFIXES = frozenset({".tsv", ".tab", ".txt"})
XLIFF_SUFFIXES = frozenset({".xlf", ".xliff"})
PO_SUFFIXES = frozenset({".po", ".pot"})

Reader = Callable[[Path, tmx.ReadStats], Iterator[TranslationUnit]]


def detect_format(path: Path) -> str:
    """ "tmx", "tsv", "csv", "xliff" (1.x), "xliff2" or "po": by extension, else by the first
    bytes; an XLIFF file's version by its root element."""
    suffix = path.suffix.lower()
    if suffix in TMX_SUFFIXES:
        return "tmx"
    if suffix in TSV_SUFFIXES:
        return "tsv"
    if suffix in csvtm.CSV_SUFFIXES:
        return "csv"
    if suffix in PO_SUFFIXES:
        return "po"
    heads = _heads(path)
    if suffix in XLIFF_SUFFIXES:
        return "xliff2" if any(xliff2.is_xliff2(text) for text in heads) else "xliff"
    for text in heads:
        if text.startswith("<"):
            if "<tmx" in text:
                return "tmx"
            return "xliff2" if xliff2.is_xliff2(text) else "xliff"
        if text.startswith(("msgid", "#")) and "msgstr" in text:
            return "po"
    return "tsv"


def _heads(path: Path) -> list[str]:
    """The file's first bytes read as UTF-8 and as UTF-16, leading BOM and spaces removed."""
    with open(path, "rb") as f:
        # Enough for an XML declaration, a DOCTYPE and comments before the root element.
        head = f.read(65536)
    return [
        head.decode(encoding, errors="ignore").lstrip("\ufeff \r\n\t")
        for encoding in ("utf-8", "utf-16")
    ]


def read_tmx(path: Path, stats: tmx.ReadStats) -> Iterator[TranslationUnit]:
    return tmx.iter_units(path, stats=stats)


def read_tsv(path: Path, stats: tmx.ReadStats) -> Iterator[TranslationUnit]:
    """Tab-separated zh, en [, score]; column order found from a header or the first rows."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    lines = decode_bytes(data, str(path), keep_controls=True).split("\n")
    zh_col, en_col, first_data = _tsv_columns(path, lines)
    scripts = ScriptTally()
    for number, line in enumerate(lines[first_data:], start=first_data + 1):
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) < 2:
            raise FormatError(f"{path}:{number}: expected zh<TAB>en, found no tab")
        # A cell `zhen align` neutralised for spreadsheets (`'-5 …`) gets its text back.
        zh = restore_cell(stats.clean(cells[zh_col]).strip())
        en = restore_cell(stats.clean(cells[en_col]).strip())
        if not zh or not en:
            stats.skipped += 1
            continue
        score = _tsv_score(cells[2]) if len(cells) > 2 and zh_col == 0 else None
        stats.units += 1
        stats.bytes_read = int(len(data) * number / len(lines))
        scripts.add(zh, en)
        yield TranslationUnit(zh=zh, en=en, score=score)
    scripts.check(path, "rows")
    stats.languages = {"zh": stats.units, "en": stats.units} if stats.units else {}


def _tsv_columns(path: Path, lines: Sequence[str]) -> tuple[int, int, int]:
    """(zh column, en column, index of the first data line)."""
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        cells = [c.strip() for c in line.split("\t")]
        if len(cells) < 2:
            raise FormatError(f"{path}:{index + 1}: expected zh<TAB>en, found no tab")
        names = [HEADER_NAMES.get(c.lower()) for c in cells[:2]]
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


def read_xliff(path: Path, stats: tmx.ReadStats) -> Iterator[TranslationUnit]:
    """XLIFF 1.x through translate-toolkit, after the safe parser has vetted the XML."""
    return _read_bilingual(path, stats, bilingual.load(path, "xliff"))


def read_po(path: Path, stats: tmx.ReadStats) -> Iterator[TranslationUnit]:
    """Gettext PO through translate-toolkit (msgid Chinese and msgstr English, or the reverse)."""
    return _read_bilingual(path, stats, bilingual.load(path, "po"))


def _read_bilingual(
    path: Path, stats: tmx.ReadStats, loaded: bilingual.ToolkitFile
) -> Iterator[TranslationUnit]:
    """Confirmed, translated units of a translate-toolkit store, oriented zh → en."""
    source_lang, target_lang = loaded.source_lang, loaded.target_lang
    swapped = loaded.english_first
    scripts = ScriptTally()
    for unit in loaded.store.units:
        if unit.isheader() or not unit.source:
            continue
        source = stats.clean(str(unit.source)).strip()
        target = stats.clean(str(unit.target or "")).strip()
        if not source or not target or not _confirmed(unit):
            stats.skipped += 1  # an untranslated or unconfirmed unit is not a translation
            continue
        zh, en = (target, source) if swapped else (source, target)
        if not swapped and not source_lang and has_cjk(target) and not has_cjk(source):
            zh, en = en, zh
        notes = (unit.getnotes() or "") if hasattr(unit, "getnotes") else ""
        stats.units += 1
        scripts.add(zh, en)
        yield TranslationUnit(
            zh=zh,
            en=en,
            zh_lang=(target_lang if swapped else source_lang) or "zh-CN",
            en_lang=(source_lang if swapped else target_lang) or "en-US",
            note=stats.clean(notes) or None,
        )
    scripts.check(path, "units")
    stats.bytes_read = path.stat().st_size
    if stats.units:
        stats.languages = {"zh": stats.units, "en": stats.units}


def _confirmed(unit: Any) -> bool:
    """Whether a translated unit is confirmed: PO not fuzzy; XLIFF target not "new"/"needs-…".

    For XLIFF the target state decides, not the toolkit's isfuzzy(), which calls every unit
    without approved="yes" fuzzy and would drop most real CAT exports.
    """
    element = getattr(unit, "xmlelement", None)
    if element is None:
        return not unit.isfuzzy()
    if element.tag.rsplit("}", 1)[-1] == "segment":  # XLIFF 2.0 states live on the segment
        return bool(element.get("state", "") != "initial")
    for child in element:
        if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1] == "target":
            state = child.get("state", "")
            return not (state == "new" or state.startswith("needs-"))
    return True


READERS: dict[str, Reader] = {
    "tmx": read_tmx,
    "tsv": read_tsv,
    "xliff": read_xliff,
    "xliff2": xliff2.read_xliff2,
    "csv": csvtm.read_csv,
    "po": read_po,
}

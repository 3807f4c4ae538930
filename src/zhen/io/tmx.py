"""Streaming TMX 1.4b writer (lxml xmlfile) and TMX 1.1–1.4b reader (lxml iterparse)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from lxml import etree

from zhen.errors import InputError, TmxError
from zhen.io import xmlsafe
from zhen.io.output import atomic_output
from zhen.models import TranslationUnit
from zhen.text.safetext import clean_text, has_controls
from zhen.version import __version__

XML_LANG = xmlsafe.XML_LANG

# Our own per-unit properties; any other <prop> is carried in TranslationUnit.props.
PROP_DOCUMENT = "x-document"
PROP_SCORE = "x-align-score"
PROP_POSITION = "x-position"

# Characters XML 1.0 forbids (C0 controls but tab/newline/return, lone surrogates, U+FFFE/FFFF).
INVALID_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# Inline elements whose content is native markup (tags, placeholders), not translatable text.
_CODE_ELEMENTS = frozenset({"bpt", "ept", "ph", "it", "ut", "sub"})

_TMX_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?Z?$")

# ISO 639-2/3 codes some older tools write instead of zh/en.
_ZH_PRIMARY = frozenset({"zh", "zho", "chi", "cmn"})
_EN_PRIMARY = frozenset({"en", "eng"})
_TRADITIONAL_REGIONS = frozenset({"TW", "HK", "MO"})
# A BCP 47 language tag (RFC 5646 `langtag` or `privateuse`; the grandfathered tags left out).
_ALNUM = "[A-Za-z0-9]"
_BCP47 = re.compile(
    rf"""
    (?:
      (?:[A-Za-z]{{2,3}}(?:-[A-Za-z]{{3}}){{0,3}} | [A-Za-z]{{4,8}})   # language [-extlang]
      (?:-[A-Za-z]{{4}})?                                              # script
      (?:-(?:[A-Za-z]{{2}}|[0-9]{{3}}))?                                 # region
      (?:-(?:{_ALNUM}{{5,8}}|[0-9]{_ALNUM}{{3}}))*                       # variants
      (?:-[0-9A-WYZa-wyz](?:-{_ALNUM}{{2,8}})+)*                         # extensions
      (?:-[xX](?:-{_ALNUM}{{1,8}})+)?                                    # private use
    | [xX](?:-{_ALNUM}{{1,8}})+
    )
    """,
    re.VERBOSE,
)


# --- language codes ------------------------------------------------------------------------


def canonical_lang(code: str) -> str:
    """BCP 47 casing of a language code: zh_cn, ZH-CN → zh-CN; zh-hans-cn → zh-Hans-CN."""
    parts = [p for p in re.split(r"[-_]", code.strip()) if p]
    if not parts:
        return ""
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            out.append(part.title())  # script subtag: Hans, Hant, Latn
        elif (len(part) == 2 and part.isalpha()) or (len(part) == 3 and part.isdigit()):
            out.append(part.upper())  # region subtag: CN, TW, 419
        else:
            out.append(part if part.isupper() else part.lower())  # e.g. Microsoft's zh-CHS
    return "-".join(out)


def is_language_tag(code: str) -> bool:
    """True when `code` is a well-formed BCP 47 language tag (zh-CN, zh-Hans-CN, en-US…)."""
    return _BCP47.fullmatch(code) is not None


def lang_side(code: str) -> str | None:
    """ "zh" for a Chinese code, "en" for an English one, None for any other language."""
    primary = canonical_lang(code).split("-", 1)[0]
    if primary in _ZH_PRIMARY:
        return "zh"
    if primary in _EN_PRIMARY:
        return "en"
    return None


def is_traditional(code: str) -> bool:
    """True for codes that mean Traditional script: zh-TW, zh-HK, zh-MO, zh-Hant…, zh-CHT."""
    parts = canonical_lang(code).split("-")
    if lang_side(code) != "zh":
        return False
    if "Hant" in parts or "CHT" in parts:
        return True
    return "Hans" not in parts and any(p in _TRADITIONAL_REGIONS for p in parts[1:])


# --- dates ---------------------------------------------------------------------------------


def to_tmx_date(value: str) -> str:
    """A date as TMX writes it (YYYYMMDDThhmmssZ); ISO 8601 input is converted, other text kept."""
    match = _ISO_DATE.match(value.strip())
    if match:
        y, mo, d, h, mi, s = (g or "00" for g in match.groups())
        return f"{y}{mo}{d}T{h}{mi}{s}Z"
    return value.strip()


def from_tmx_date(value: str) -> str:
    """A TMX date as ISO 8601 (YYYY-MM-DDThh:mm:ssZ), the form the store keeps; other text kept."""
    match = _TMX_DATE.match(value.strip())
    if match:
        y, mo, d, h, mi, s = match.groups()
        return f"{y}-{mo}-{d}T{h}:{mi}:{s}Z"
    return value.strip()


# --- writer --------------------------------------------------------------------------------


def clean_xml_text(text: str) -> str:
    """Text with the characters XML 1.0 cannot carry removed (control characters, U+FFFE…)."""
    return INVALID_XML_CHARS.sub("", text)


def write_tmx(
    path: Path | str,
    units: Iterable[TranslationUnit],
    *,
    srclang: str | None = "zh-CN",
    tgtlang: str | None = "en-US",
    creation_date: str | None = None,
) -> int:
    """Write units as TMX 1.4b (valid against tmx14.dtd), streaming and atomically; return count.

    srclang/tgtlang label every zh/en variant; None keeps each unit's own zh_lang/en_lang.
    The output depends only on the input: no clock time is written unless creation_date is given.
    """
    header = {
        "creationtool": "zhen",
        "creationtoolversion": __version__,
        "segtype": "sentence",
        "o-tmf": "zhen",
        "adminlang": "en-US",
        "srclang": srclang or "zh-CN",
        "datatype": "plaintext",
    }
    if creation_date:
        header["creationdate"] = to_tmx_date(creation_date)
    count = 0
    with atomic_output(path, "wb") as out:
        # Written by hand for the conventional double-quoted declaration.
        out.write(b'<?xml version="1.0" encoding="UTF-8"?>\n')
        with etree.xmlfile(out, encoding="UTF-8") as xf, xf.element("tmx", version="1.4"):
            xf.write("\n")
            xf.write(etree.Element("header", header), pretty_print=True)
            with xf.element("body"):
                xf.write("\n")
                for unit in units:
                    xf.write(_tu_element(unit, srclang, tgtlang), pretty_print=True)
                    count += 1
            xf.write("\n")
        out.write(b"\n")
    return count


def _tu_element(unit: TranslationUnit, srclang: str | None, tgtlang: str | None) -> etree._Element:
    attrib: dict[str, str] = {}
    if unit.tuid:
        attrib["tuid"] = clean_xml_text(unit.tuid)
    for name, value in (
        ("creationtool", unit.creation_tool),
        ("creationdate", unit.created_at and to_tmx_date(unit.created_at)),
        ("creationid", unit.created_by),
        ("changedate", unit.changed_at and to_tmx_date(unit.changed_at)),
        ("changeid", unit.changed_by),
    ):
        if value:
            attrib[name] = clean_xml_text(value)
    tu = etree.Element("tu", attrib)
    if unit.note:
        etree.SubElement(tu, "note").text = clean_xml_text(unit.note)
    props: list[tuple[str, str]] = []
    if unit.origin:
        props.append((PROP_DOCUMENT, unit.origin))
    if unit.score is not None:
        props.append((PROP_SCORE, f"{unit.score:.4f}"))
    if unit.position is not None:
        props.append((PROP_POSITION, str(unit.position)))
    props.extend(unit.props)
    for prop_type, value in props:
        etree.SubElement(tu, "prop", type=clean_xml_text(prop_type)).text = clean_xml_text(value)
    for lang, text in ((srclang or unit.zh_lang, unit.zh), (tgtlang or unit.en_lang, unit.en)):
        tuv = etree.SubElement(tu, "tuv", {XML_LANG: lang})
        etree.SubElement(tuv, "seg").text = clean_xml_text(text)
    return tu


# --- reader --------------------------------------------------------------------------------


@dataclass
class ReadStats:
    """Counters a reader updates as it goes (for progress bars and import reports)."""

    bytes_read: int = 0
    units: int = 0
    skipped: int = 0
    languages: dict[str, int] = field(default_factory=dict)
    controls_removed: int = 0  # control characters dropped from the stored text

    def clean(self, text: str, *, keep_newlines: bool = True) -> str:
        """`text` without control characters (safetext.clean_text), counted here."""
        cleaned, removed = clean_text(text, keep_newlines=keep_newlines)
        self.controls_removed += removed
        return cleaned


def check_input_file(path: Path) -> None:
    """Refuse a path that is missing, a directory or empty, with a message naming it."""
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, not a file")
    if path.stat().st_size == 0:
        raise InputError(f"{path}: empty file")


def iter_units(path: Path | str, *, stats: ReadStats | None = None) -> Iterator[TranslationUnit]:
    """Yield the zh/en units of a TMX 1.1–1.4b file, streaming in constant memory.

    Encodings are read as the file declares (UTF-8, UTF-16, GB18030…). Units lacking a Chinese
    or an English variant are skipped and counted in stats.skipped. Control characters are
    dropped from every field and counted in stats.controls_removed. Malformed XML raises
    TmxError with file:line:column; so does a file that is not TMX (see zhen.io.xmlsafe for the
    DOCTYPE and entity policy).
    """
    source = Path(path)
    check_input_file(source)
    stats = stats if stats is not None else ReadStats()
    try:
        stream = open(source, "rb")  # noqa: SIM115 (closed by the with below)
    except OSError as exc:
        raise InputError(f"{source}: cannot read: {exc.strerror or exc}") from None
    with stream:
        elements = xmlsafe.IterParse(source, stream, tag=("header", "tu"))
        root_checked = False
        for elem in elements:
            if not root_checked:
                _check_root(source, elements.root)
                root_checked = True
            if elem.tag == "tu":
                unit = _unit_from_tu(source, elem, stats)
                if unit is not None:
                    stats.units += 1
                    if not stats.units & 1023:
                        stats.bytes_read = stream.tell()
                    yield unit
                # Constant memory: drop the finished unit and the empty shells before it.
                elem.clear()
                while elem.getprevious() is not None:
                    del elem.getparent()[0]
        if not root_checked:
            _check_root(source, elements.root)
        stats.bytes_read = stream.tell()
    if stats.units == 0 and stats.skipped:
        found = ", ".join(sorted(stats.languages))
        raise TmxError(
            f"{source}: no unit has both a Chinese and an English side (languages found: {found})"
        )


def _check_root(path: Path, root: etree._Element | None) -> None:
    if root is not None and root.tag != "tmx":
        raise TmxError(f"{path}:{root.sourceline}: not a TMX file (root element <{root.tag}>)")


@lru_cache(maxsize=256)
def _lang_info(code: str) -> tuple[str, str, str | None, bool, int]:
    """(code as written, canonical code, "zh"/"en"/None, Traditional?, control characters
    dropped from it) — cached: a file repeats a few codes."""
    code, removed = clean_text(code, keep_newlines=False)
    return code, canonical_lang(code), lang_side(code), is_traditional(code), removed


def _unit_from_tu(path: Path, tu: etree._Element, stats: ReadStats) -> TranslationUnit | None:
    # The hot loop of every import: plain attribute reads, no helper objects per unit.
    zh: str | None = None
    en: str | None = None
    zh_lang = en_lang = ""  # set with zh and en
    zh_traditional = False
    zh_tags: tuple[str, ...] = ()
    en_tags: tuple[str, ...] = ()
    notes: list[str] | None = None
    props: list[tuple[str, str]] | None = None
    tuv_attributes: dict[str, str] | None = None
    languages = stats.languages
    for child in tu:
        tag = child.tag
        if tag == "tuv":
            code = child.get(XML_LANG) or child.get("lang")
            if not code:
                raise TmxError(f"{path}:{child.sourceline}: <tuv> without xml:lang")
            code, lang, side, traditional, removed = _lang_info(code)
            languages[code] = languages.get(code, 0) + 1
            seg = child[-1] if len(child) else None  # the DTD puts <seg> last
            if seg is None or seg.tag != "seg":
                seg = child.find("seg")
                if seg is None:
                    raise TmxError(f"{path}:{child.sourceline}: <tuv> without <seg>")
            text = (_seg_text(seg) if len(seg) else seg.text or "").strip()
            tags = seg_tags(seg) if len(seg) else ()
            if removed or has_controls(text):
                text = stats.clean(text)
                stats.controls_removed += removed
            # A Simplified variant wins over a Traditional one in the same unit.
            if side == "zh" and (zh is None or (zh_traditional and not traditional)):
                zh, zh_lang, zh_traditional, zh_tags = text, lang, traditional, tags
            elif side == "en" and en is None:
                en, en_lang, en_tags = text, lang, tags
            if len(child.attrib) > 1:
                # Some tools date the variants rather than the unit.
                tuv_attributes = {**dict(child.attrib), **(tuv_attributes or {})}
        elif tag == "prop":
            if props is None:
                props = []
            prop_type, value = child.get("type", ""), (child.text or "").strip()
            if has_controls(prop_type) or has_controls(value) or "\n" in value:
                prop_type = stats.clean(prop_type, keep_newlines=False)
                # The document a unit comes from is its origin, listed one per line.
                value = stats.clean(value, keep_newlines=prop_type != PROP_DOCUMENT)
            props.append((prop_type, value))
        elif tag == "note" and child.text:
            if notes is None:
                notes = []
            note = child.text.strip()
            notes.append(stats.clean(note) if has_controls(note) else note)
    if not zh or not en:
        stats.skipped += 1
        return None
    unit = TranslationUnit(zh, en, zh_lang=zh_lang, en_lang=en_lang)
    if zh_tags or en_tags:
        unit.inline_tags = (zh_tags, en_tags)
    if notes:
        unit.note = "\n".join(notes)
    if len(tu.attrib) or tuv_attributes:
        _apply_attributes(unit, {**(tuv_attributes or {}), **dict(tu.attrib)}, stats)
    if props:
        _apply_props(path, tu, unit, props)
    return unit


def _apply_attributes(unit: TranslationUnit, attributes: dict[str, str], stats: ReadStats) -> None:
    """tuid, creation/change dates and ids, creation tool (unit level over variant level)."""
    for name, value in attributes.items():
        if has_controls(value) or "\n" in value:
            attributes[name] = stats.clean(value, keep_newlines=False)
    unit.tuid = attributes.get("tuid")
    unit.creation_tool = attributes.get("creationtool")
    unit.created_by = attributes.get("creationid")
    unit.changed_by = attributes.get("changeid")
    created, changed = attributes.get("creationdate"), attributes.get("changedate")
    unit.created_at = from_tmx_date(created) if created else None
    unit.changed_at = from_tmx_date(changed) if changed else None


def _apply_props(
    path: Path, tu: etree._Element, unit: TranslationUnit, props: list[tuple[str, str]]
) -> None:
    """Move our own x-document/x-align-score/x-position props into fields; keep the rest."""
    for prop_type, value in props:
        try:
            if prop_type == PROP_DOCUMENT and not unit.origin:
                unit.origin = value
            elif prop_type == PROP_SCORE and unit.score is None:
                unit.score = float(value)
            elif prop_type == PROP_POSITION and unit.position is None:
                unit.position = int(value)
            else:
                unit.props.append((prop_type, value))
        except ValueError:
            raise TmxError(
                f"{path}:{tu.sourceline}: <prop type={prop_type!r}> holds {value!r}, not a number"
            ) from None


def seg_tags(elem: etree._Element) -> tuple[str, ...]:
    """The inline codes and <hi> of a <seg> in order, named by element and its i or x attribute
    ("bpt#1", "ept#1", "ph#2", "hi"), as zhen.checker.tags names XLIFF tags; <sub> is text."""
    tags: list[str] = []
    for child in elem:
        tag = child.tag
        if not isinstance(tag, str) or tag == "sub":
            continue
        if tag in _CODE_ELEMENTS or tag == "hi":
            ident = child.get("i") or child.get("x")
            tags.append(f"{tag}#{ident}" if ident else tag)
        if tag not in _CODE_ELEMENTS:
            tags.extend(seg_tags(child))
    return tuple(tags)


def _seg_text(elem: etree._Element) -> str:
    """The translatable text of a <seg>/<hi>: inline codes dropped, <hi> content kept.

    (An entity reference cannot reach here: zhen.io.xmlsafe refuses every one.)
    """
    parts = [elem.text or ""]
    for child in elem:
        tag = child.tag
        if tag == "hi":
            parts.append(_seg_text(child))
        elif tag not in _CODE_ELEMENTS and isinstance(tag, str):
            # An unknown element (e.g. TMX 2 or XLIFF markup): keep its text, lose nothing.
            parts.append(_seg_text(child))
        parts.append(child.tail or "")
    return "".join(parts)

"""XLIFF 2.x (2.0–2.2) memories, streamed through zhen's safe parser: one unit a segment.

Read by zhen itself rather than translate-toolkit's Xliff2File, which takes the whole file into
memory and reads only documents whose namespace it expects; here any 2.x namespace (or a
`version="2.x"` root without one), groups, several `<file>`s and inline codes are read in
constant memory, under the one XML policy of zhen.io.xmlsafe.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from zhen.errors import FormatError
from zhen.io import tmx, xmlsafe
from zhen.io.sides import ScriptTally, check_languages
from zhen.models import TranslationUnit
from zhen.text.normalize import has_cjk

NAMESPACE_PREFIX = "urn:oasis:names:tc:xliff:document:2."
# The root start tag of an XLIFF document, as the first kilobytes of a file show it.
_ROOT_TAG = re.compile(r"<(?:[\w.-]+:)?xliff\b([^>]*)>")
_VERSION_2 = re.compile(r"""\bversion\s*=\s*["']\s*2\.""")


def is_xliff2(head: str) -> bool:
    """Whether the start of a document (decoded) opens an XLIFF 2.x root element."""
    root = _ROOT_TAG.search(head)
    return root is not None and (
        _VERSION_2.search(root.group(1)) is not None or NAMESPACE_PREFIX in root.group(1)
    )


def read_xliff2(path: Path, stats: tmx.ReadStats) -> Iterator[TranslationUnit]:
    """The confirmed segments of an XLIFF 2.x file, oriented zh → en.

    A segment whose state is `initial`, or with no target, is skipped and counted; so is a unit
    marked `translate="no"`. The unit's notes go with each of its segments.
    """
    tmx.check_input_file(path)
    scripts = ScriptTally()
    with open(path, "rb") as stream:
        elements = xmlsafe.IterParse(path, stream)
        languages: tuple[str, str] | None = None
        for element in elements:
            if languages is None and elements.root is not None:
                languages = _languages(path, elements.root)
            name = xmlsafe.local_name(element)
            if name in ("group", "file"):
                _forget(element)  # its units are read and freed already
            if name != "unit":
                continue
            for unit in _segments(element, languages or ("", ""), stats):
                stats.units += 1
                scripts.add(unit.zh, unit.en)
                yield unit
            stats.bytes_read = stream.tell()
            _forget(element)
    scripts.check(path, "segments")
    stats.bytes_read = path.stat().st_size
    if stats.units:
        stats.languages = {"zh": stats.units, "en": stats.units}


def _languages(path: Path, root: etree._Element) -> tuple[str, str]:
    """The declared (source, target) languages; FormatError unless the root is XLIFF 2.x and
    they are Chinese and English (either way round) or undeclared."""
    namespace = root.tag[1:].split("}", 1)[0] if root.tag.startswith("{") else ""
    version = root.get("version", "").strip()
    if xmlsafe.local_name(root) != "xliff" or not (
        namespace.startswith(NAMESPACE_PREFIX) or version.startswith("2.")
    ):
        raise FormatError(f"{path}: not an XLIFF 2 file (root element <{root.tag}>)")
    return check_languages(path, [root.get("srcLang", "")], [root.get("trgLang", "")])


def _segments(
    unit: etree._Element, languages: tuple[str, str], stats: tmx.ReadStats
) -> Iterator[TranslationUnit]:
    source_lang, target_lang = languages
    english_first = tmx.lang_side(source_lang) == "en" or tmx.lang_side(target_lang) == "zh"
    notes = [
        stats.clean(xmlsafe.element_text(note))
        for child in unit
        if xmlsafe.local_name(child) == "notes"
        for note in child
        if xmlsafe.local_name(note) == "note"
    ]
    note = "\n".join(text for text in notes if text) or None
    translatable = unit.get("translate", "yes") != "no"
    for segment in unit:
        if xmlsafe.local_name(segment) != "segment":
            continue  # <ignorable> whitespace between segments, <notes>, metadata
        parts = {xmlsafe.local_name(child): child for child in segment}
        source = _text(parts.get("source"), stats)
        target = _text(parts.get("target"), stats)
        if not translatable or not source or not target or segment.get("state") == "initial":
            stats.skipped += 1  # an untranslated or unconfirmed segment is not a translation
            continue
        zh, en = (target, source) if english_first else (source, target)
        if not source_lang and has_cjk(target) and not has_cjk(source):
            zh, en = en, zh
        yield TranslationUnit(
            zh=zh,
            en=en,
            zh_lang=(target_lang if english_first else source_lang) or "zh-CN",
            en_lang=(source_lang if english_first else target_lang) or "en-US",
            note=note,
        )


def _text(element: etree._Element | None, stats: tmx.ReadStats) -> str:
    """A source or target's text, inline codes (`<pc>`, `<mrk>`) flattened, controls dropped."""
    return "" if element is None else stats.clean(xmlsafe.element_text(element)).strip()


def _forget(element: etree._Element) -> None:
    """Free a unit once read, and the siblings before it, so memory stays constant."""
    element.clear()
    parent = element.getparent()
    while parent is not None and element.getprevious() is not None:
        del parent[0]

"""TBX glossaries: v2 (`martif`, TBX-Basic) and v3 (ISO 30042:2019, TBX-Basic dialect, DCA style).

The two versions share one shape — entry › language section › term group › term plus termNotes —
under different element names, so one reader and one writer serve both through a small table.
Preferred, admitted and deprecated renderings map to `administrativeStatus`; the domain to
`subjectField`; the note to `note` (a `definition` read from a file joins the note); sources to
`admin type="source"`; dates to `transacGrp`. A non-approved status, which TBX-Basic has no data
category for, travels as an entry note `zhen-status: proposed`; a lookup-only entry (not checked in
drafts) as `zhen-check: no`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from zhen.errors import FormatError
from zhen.glossary.formats.common import (
    ParsedEntry,
    check_cell,
    make_entry,
    parse_check,
    state_checked,
    unchecked_status,
)
from zhen.io.output import atomic_output
from zhen.io.xmlsafe import XML_LANG, element_text, local_name, parse, xml_lang
from zhen.models import Term
from zhen.version import __version__

TBX3_NAMESPACE = "urn:iso:std:iso:30042:ed-2"
STATUS_NOTE_PREFIX = "zhen-status:"
CHECK_NOTE_PREFIX = "zhen-check:"
PREFERRED = "preferredTerm-admn-sts"
ADMITTED = "admittedTerm-admn-sts"
DEPRECATED = "deprecatedTerm-admn-sts"
_FORBIDDEN_STATUSES = {"deprecatedterm-admn-sts", "supersededterm-admn-sts", "deprecated"}


@dataclass(frozen=True, slots=True)
class Dialect:
    """Element names of one TBX version."""

    name: str
    namespace: str | None
    root: str
    header: str
    entry: str
    lang_set: str
    term_groups: tuple[str, ...]  # v2: tig (or ntig › termGrp); v3: termSec


TBX2 = Dialect("tbx", None, "martif", "martifHeader", "termEntry", "langSet", ("tig", "ntig"))
TBX3 = Dialect("tbx3", TBX3_NAMESPACE, "tbx", "tbxHeader", "conceptEntry", "langSec", ("termSec",))


# ---------------------------------------------------------------- reading


def _children(element: etree._Element, *names: str) -> list[etree._Element]:
    return [child for child in element if local_name(child) in names]


def _entry_metadata(entry_el: etree._Element, term: Term) -> tuple[list[str], bool, bool]:
    """Fill domain, note, sources, dates from entry- and language-level elements; also say
    whether the entry states its status and whether it is checked in drafts."""
    notes: list[str] = []
    status_given = check_given = False
    for element in entry_el.iter():
        name = local_name(element)
        kind = element.get("type", "")
        text = element_text(element)
        if not text:
            continue
        if name == "descrip" and kind == "subjectField":
            term.domain = term.domain or text
        elif name == "descrip" and kind == "definition":
            notes.append(text)
        elif name == "note" and local_name(element.getparent()) != "transacGrp":
            if text.startswith(STATUS_NOTE_PREFIX):
                term.status = unchecked_status(text[len(STATUS_NOTE_PREFIX) :].strip())
                status_given = True
            elif text.startswith(CHECK_NOTE_PREFIX):
                try:
                    stated = parse_check(text[len(CHECK_NOTE_PREFIX) :])
                except ValueError as exc:
                    raise FormatError(f"{element.sourceline}: {exc}") from None
                term.checked = stated is not False
                check_given = stated is not None
            else:
                notes.append(text)
        elif name == "admin" and kind == "source":
            term.sources.append(text)
        elif name == "transacGrp":
            _read_transaction(element, term)
        elif name == "termNote" and kind == "partOfSpeech":
            term.pos = term.pos or text
    return notes, status_given, check_given


def _read_transaction(group: etree._Element, term: Term) -> None:
    kind = date = ""
    for child in group:
        if local_name(child) == "transac":
            kind = element_text(child)
        elif local_name(child) == "date":
            date = element_text(child)
    if kind == "origination" and date:
        term.created_at = date
    elif kind == "modification" and date:
        term.changed_at = date


def _terms_of(lang_el: etree._Element, dialect: Dialect) -> list[tuple[str, str]]:
    """(term text, administrativeStatus) for each term group of a language section."""
    found = []
    for group in _children(lang_el, *dialect.term_groups):
        holder = _children(group, "termGrp")[0] if _children(group, "termGrp") else group
        term_els = _children(holder, "term")
        if not term_els:
            continue
        status = ""
        for note in _children(holder, "termNote"):
            if note.get("type") == "administrativeStatus":
                status = element_text(note).lower()
        found.append((element_text(term_els[0]), status))
    return found


def _read(path: Path, dialect: Dialect) -> list[ParsedEntry]:
    root = parse(path).getroot()
    if local_name(root) != dialect.root:
        raise FormatError(
            f"{path}:{root.sourceline}: expected a <{dialect.root}> document, "
            f"found <{local_name(root)}>"
        )
    entries = []
    for entry_el in root.iter():
        if local_name(entry_el) != dialect.entry:
            continue
        zh_terms: list[str] = []
        preferred: list[str] = []
        admitted: list[str] = []
        forbidden: list[str] = []
        for lang_el in _children(entry_el, dialect.lang_set):
            lang = xml_lang(lang_el).lower()
            for text, status in _terms_of(lang_el, dialect):
                if lang.startswith("zh"):
                    zh_terms.append(text)
                elif lang.startswith("en"):
                    if status in _FORBIDDEN_STATUSES:
                        forbidden.append(text)
                    elif status.startswith("preferred"):
                        preferred.append(text)
                    else:
                        admitted.append(text)
        renderings = preferred + admitted
        line = entry_el.sourceline or 0
        if not zh_terms or not renderings:
            raise FormatError(
                f"{path}:{line}: a {dialect.entry} needs a Chinese and an English term"
            )
        template = Term(
            zh=zh_terms[0], en=renderings[0], variants=renderings[1:], forbidden=forbidden
        )
        try:
            notes, status_given, check_given = _entry_metadata(entry_el, template)
        except FormatError as exc:
            raise FormatError(f"{path}:{exc}") from None
        template.note = "; ".join(dict.fromkeys(notes)) or None
        # Chinese synonyms in one entry share its English: one glossary entry each.
        for zh in dict.fromkeys(zh_terms):
            term = Term(**{slot: getattr(template, slot) for slot in Term.__slots__})
            term.zh = zh
            term.variants = list(template.variants)
            term.forbidden = list(template.forbidden)
            term.sources = list(template.sources)
            entries.append(
                make_entry(path, line, term, status_given=status_given, check_given=check_given)
            )
    return entries


def read_tbx2(path: Path) -> list[ParsedEntry]:
    """Entries of a TBX v2 (martif) file, TBX-Basic or the plainer TBX translate-toolkit writes."""
    return _read(path, TBX2)


def read_tbx3(path: Path) -> list[ParsedEntry]:
    """Entries of a TBX v3 (ISO 30042:2019) file."""
    return _read(path, TBX3)


# ---------------------------------------------------------------- writing


class _Builder:
    """Creates elements in the dialect's namespace."""

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect

    def make(
        self, parent: etree._Element | None, name: str, text: str | None = None, **attrs: str
    ) -> etree._Element:
        tag = f"{{{self.dialect.namespace}}}{name}" if self.dialect.namespace else name
        element = etree.Element(tag) if parent is None else etree.SubElement(parent, tag)
        for key, value in attrs.items():
            element.set(XML_LANG if key == "lang" else key, value)
        if text is not None:
            element.text = text
        return element


def _date(stamp: str | None) -> str | None:
    # TBX dates are xs:date; the store keeps full timestamps.
    return stamp[:10] if stamp and len(stamp) >= 10 else None


def _term_group(
    build: _Builder, lang_el: etree._Element, text: str, status: str, pos: str | None
) -> None:
    dialect = build.dialect
    group = build.make(lang_el, dialect.term_groups[0])
    build.make(group, "term", text)
    if pos:
        build.make(group, "termNote", pos, type="partOfSpeech")
    build.make(group, "termNote", status, type="administrativeStatus")


def _entry(
    build: _Builder, body: etree._Element, term: Term, number: int, *, state_checked: bool
) -> None:
    entry = build.make(body, build.dialect.entry, id=f"term-{term.id or number}")
    if term.domain:
        build.make(entry, "descrip", term.domain, type="subjectField")
    for source in term.sources:
        build.make(entry, "admin", source, type="source")
    for kind, stamp in (("origination", term.created_at), ("modification", term.changed_at)):
        if _date(stamp):
            group = build.make(entry, "transacGrp")
            build.make(group, "transac", kind, type="transactionType")
            build.make(group, "date", _date(stamp))
    if term.note:
        build.make(entry, "note", term.note)
    if term.status != "approved":
        build.make(entry, "note", f"{STATUS_NOTE_PREFIX} {term.status}")
    if not term.checked or state_checked:
        build.make(entry, "note", f"{CHECK_NOTE_PREFIX} {check_cell(term)}")
    zh_lang = build.make(entry, build.dialect.lang_set, lang="zh-CN")
    _term_group(build, zh_lang, term.zh, PREFERRED, term.pos)
    en_lang = build.make(entry, build.dialect.lang_set, lang="en-US")
    _term_group(build, en_lang, term.en, PREFERRED, term.pos)
    for variant in term.variants:
        _term_group(build, en_lang, variant, ADMITTED, term.pos)
    for rendering in term.forbidden:
        _term_group(build, en_lang, rendering, DEPRECATED, None)


def _header(build: _Builder, root: etree._Element) -> None:
    header = build.make(root, build.dialect.header)
    file_desc = build.make(header, "fileDesc")
    title = build.make(file_desc, "titleStmt")
    build.make(title, "title", "zhen glossary")
    source = build.make(file_desc, "sourceDesc")
    build.make(source, "p", f"Exported by zhen {__version__}")
    if build.dialect is TBX2:
        encoding = build.make(header, "encodingDesc")
        build.make(encoding, "p", "TBXBasicXCSV02.xcs", type="XCSURI")


def _write(terms: Iterable[Term], path: Path, dialect: Dialect) -> int:
    build = _Builder(dialect)
    if dialect is TBX2:
        root = build.make(None, "martif", type="TBX-Basic", lang="zh-CN")
    else:
        nsmap = {None: TBX3_NAMESPACE}
        root = etree.Element(f"{{{TBX3_NAMESPACE}}}tbx", nsmap=nsmap)
        root.set("type", "TBX-Basic")
        root.set("style", "dca")
        root.set(XML_LANG, "zh-CN")
    _header(build, root)
    body = build.make(build.make(root, "text"), "body")
    terms = list(terms)
    count = 0
    for count, (term, explicit) in enumerate(zip(terms, state_checked(terms), strict=True), 1):
        _entry(build, body, term, count, state_checked=explicit)
    if count == 0:
        raise FormatError(f"{path}: nothing to export: the glossary is empty")
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    with atomic_output(path, "wb") as out:
        out.write(data)
    return count


def write_tbx2(terms: Iterable[Term], path: Path) -> int:
    """Write TBX v2 (martif, TBX-Basic), as OmegaT and translate-toolkit read it."""
    return _write(terms, path, TBX2)


def write_tbx3(terms: Iterable[Term], path: Path) -> int:
    """Write TBX v3 (ISO 30042:2019, TBX-Basic dialect, DCA style)."""
    return _write(terms, path, TBX3)

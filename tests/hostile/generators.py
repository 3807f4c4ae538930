"""Valid and hostile input files for the hostile-input suite, built as text or bytes at test time.

Each builder writes one format from the same few units (TM formats) or entries (glossary
formats), so a hostile variant differs from a valid file in exactly one respect: an injected
control sequence, an entity declaration, a cut, an encoding, a language.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from pathlib import Path
from xml.sax.saxutils import escape

# ----------------------------------------------------------------------------- content


@dataclass(frozen=True)
class Unit:
    """One translation unit; origin is the TMX x-document prop."""

    zh: str
    en: str
    note: str | None = None
    origin: str | None = None


@dataclass(frozen=True)
class Entry:
    """One glossary entry with one of each optional field."""

    zh: str
    en: str
    variant: str | None = None
    forbidden: str | None = None
    note: str | None = None
    domain: str | None = None
    source: str | None = None
    status: str = "approved"


UNITS = (
    Unit(
        "人民代表大会举行全体会议。",
        "The People's Congress held a plenary meeting.",
        "plenary",
        "doc-a",
    ),
    Unit("两国同意加强经济合作。", "The two countries agreed to strengthen economic cooperation."),
    Unit("新华社北京3月5日电", "BEIJING, March 5 (Xinhua)", origin="doc-b"),
)
# A unit and an entry that are not in the template database: hostile fields go into them, so
# that an import stores them instead of merging them into a unit or term already there.
UNIT_UNDER_TEST = Unit(
    "人民代表大会举行闭幕会议。",
    "The People's Congress held its closing meeting.",
    "closing session",
    "doc-c",
)
UNIT_QUERY = "人民代表大会举行闭幕会议"

ENTRIES = (
    Entry("人民", "people", "the people", "folks", "always plural", "politics", "style guide"),
    Entry(
        "经济合作",
        "economic cooperation",
        "economic collaboration",
        "economic corporation",
        "fixed phrase",
        "economy",
        "client list",
    ),
    Entry("一带一路", "Belt and Road", forbidden="One Belt One Road", domain="economy"),
    Entry("国家", "country"),
    Entry("合作", "cooperation"),
    Entry("倡议", "initiative", status="proposed"),
)
ENTRY_UNDER_TEST = Entry(
    "科技创新",
    "technological innovation",
    "tech innovation",
    "science creation",
    "policy phrase",
    "technology",
    "white paper",
)
ENTRY_QUERY = "科技创新"

# Plain texts for align and check: "7天" against "a week" makes check print the pair.
ZH_TEXT = (
    "新华社北京3月5日电 第十四届全国人民代表大会第三次会议5日在北京开幕。\n\n"
    "两国同意加强经济合作，推动一带一路建设。\n\n"
    "会议为期7天。\n"
)
EN_TEXT = (
    "BEIJING, March 5 (Xinhua) -- The third session of the 14th National People's Congress "
    "opened in Beijing on Wednesday.\n\n"
    "The two countries agreed to strengthen economic cooperation and advance the Belt and Road.\n\n"
    "The meeting will last a week.\n"
)
QUERIES = "人民\n经济合作\npeople\n"

# Terminal attacks, grouped so that a file is either well-formed XML or not for the whole group:
# XML 1.0 cannot carry C0 controls at all, but does carry C1, DEL and the bidi overrides.
PAYLOADS = {
    "esc": "\x1b[2J\x1b]0;PWNED\x07\x1b]52;c;ZXZpbA==\x07",
    "c1-del-bidi": "\x9b2J\x7f\u202e",
    "nul": "\x00",
}
# Each attack on its own, for databases written before readers cleaned their input.
SINGLE_PAYLOADS = {
    "csi-clear": "\x1b[2J",
    "osc-title": "\x1b]0;PWNED\x07",
    "osc52-clipboard": "\x1b]52;c;ZXZpbA==\x07",
    "c1-csi": "\x9b2J",
    "nul": "\x00",
    "del": "\x7f",
    "bidi-override": "\u202e",
    "carriage-return": "\rOVERWRITTEN",
}
# Spreadsheet formula triggers (OWASP CSV injection) and texts that must survive a round trip.
FORMULAS = {
    "en": "=cmd|' /C calc'!A0",
    "variant": "+SUM(1+1)",
    "forbidden": "-2+3",
    "note": "@SUM(A1)",
    "domain": '=HYPERLINK("http://evil.example/","click")',
    "source": "=1+1",
}
QUOTED_LOOKALIKES = ("'=already quoted", "'tis the season", "-ism")


def inject(text: str, payload: str) -> str:
    """`text` with `payload` in its middle (at a character boundary)."""
    middle = max(1, len(text) // 2) if len(text) > 2 else len(text)
    return text[:middle] + payload + text[middle:]


def with_field(items: tuple, index: int, field: str, value: str) -> tuple:
    """`items` with one field of one unit/entry replaced."""
    return tuple(
        replace(item, **{field: value}) if i == index else item for i, item in enumerate(items)
    )


# ----------------------------------------------------------------------------- TM formats

REF = "@@REF@@"  # replaced, after escaping, by an entity reference or raw XML


def _xml_declaration(encoding: str, version: str = "1.0") -> str:
    return f'<?xml version="{version}" encoding="{encoding}"?>\n'


def tmx(
    units=UNITS,
    *,
    doctype: str = "",
    langs: tuple[str, str] = ("zh-CN", "en-US"),
    encoding: str = "UTF-8",
    version: str = "1.0",
) -> str:
    """A TMX 1.4 document; origin becomes the x-document prop."""
    out = [_xml_declaration(encoding, version), doctype, '\n<tmx version="1.4">\n']
    out.append(
        '<header creationtool="hostile" creationtoolversion="1" segtype="sentence" '
        f'o-tmf="hostile" adminlang="en-US" srclang="{langs[0]}" datatype="plaintext"/>\n<body>\n'
    )
    for number, unit in enumerate(units, 1):
        out.append(f'<tu tuid="{number}">')
        if unit.note:
            out.append(f"<note>{escape(unit.note)}</note>")
        if unit.origin:
            out.append(f'<prop type="x-document">{escape(unit.origin)}</prop>')
        for lang, text in zip(langs, (unit.zh, unit.en), strict=True):
            out.append(f'<tuv xml:lang="{lang}"><seg>{escape(text)}</seg></tuv>')
        out.append("</tu>\n")
    out.append("</body>\n</tmx>\n")
    return "".join(out)


def xliff(
    units=UNITS,
    *,
    source_lang: str = "zh-CN",
    target_lang: str = "en-US",
    doctype: str = "",
    encoding: str = "UTF-8",
) -> str:
    """An XLIFF 1.2 document with translated units."""
    out = [_xml_declaration(encoding), doctype]
    out.append(
        '\n<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">\n'
        f'<file original="client.docx" source-language="{source_lang}" '
        f'target-language="{target_lang}" datatype="plaintext">\n<body>\n'
    )
    for number, unit in enumerate(units, 1):
        out.append(f'<trans-unit id="{number}"><source>{escape(unit.zh)}</source>')
        out.append(f'<target state="translated">{escape(unit.en)}</target>')
        if unit.note:
            out.append(f"<note>{escape(unit.note)}</note>")
        out.append("</trans-unit>\n")
    out.append("</body>\n</file>\n</xliff>\n")
    return "".join(out)


def _po_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def po(units=UNITS, *, language: str = "en", charset: str = "UTF-8") -> str:
    """A gettext PO file: msgid Chinese, msgstr English, the note as an extracted comment."""
    out = [
        'msgid ""\nmsgstr ""\n',
        f'"Content-Type: text/plain; charset={charset}\\n"\n',
        f'"Language: {language}\\n"\n\n',
    ]
    for unit in units:
        if unit.note:
            out.append(f"#. {unit.note}\n")
        out.append(f"msgid {_po_string(unit.zh)}\nmsgstr {_po_string(unit.en)}\n\n")
    return "".join(out)


def xliff2(
    units=UNITS,
    *,
    source_lang: str = "zh-CN",
    target_lang: str = "en-US",
    doctype: str = "",
    encoding: str = "UTF-8",
) -> str:
    """An XLIFF 2.0 document, one unit (with its note) per translation unit."""
    out = [_xml_declaration(encoding), doctype]
    out.append(
        '\n<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0" '
        f'srcLang="{source_lang}" trgLang="{target_lang}">\n<file id="f1">\n'
    )
    for number, unit in enumerate(units, 1):
        out.append(f'<unit id="u{number}">')
        if unit.note:
            out.append(f"<notes><note>{escape(unit.note)}</note></notes>")
        out.append(f'<segment state="translated"><source>{escape(unit.zh)}</source>')
        out.append(f"<target>{escape(unit.en)}</target></segment></unit>\n")
    out.append("</file>\n</xliff>\n")
    return "".join(out)


def tm_csv(units=UNITS) -> str:
    """A CSV TM with a header of language codes and a note column, quoted as csv quotes."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(("zh-CN", "en-US", "note"))
    writer.writerows((unit.zh, unit.en, unit.note or "") for unit in units)
    return buffer.getvalue()


def tm_tsv(units=UNITS) -> str:
    """zh<TAB>en lines, no header."""
    return "".join(f"{unit.zh}\t{unit.en}\n" for unit in units)


# ----------------------------------------------------------------------------- glossary formats

_GLOSSARY_COLUMNS = ("zh", "en", "variants", "forbidden", "status", "note", "source", "domain")


def _row(entry: Entry) -> list[str]:
    return [
        entry.zh,
        entry.en,
        entry.variant or "",
        entry.forbidden or "",
        entry.status,
        entry.note or "",
        entry.source or "",
        entry.domain or "",
    ]


def glossary_tsv(entries=ENTRIES) -> str:
    """zhen's TSV glossary with a header row."""
    lines = ["\t".join(_GLOSSARY_COLUMNS)] + ["\t".join(_row(entry)) for entry in entries]
    return "\n".join(lines) + "\n"


def glossary_csv(entries=ENTRIES) -> str:
    """A CSV glossary with a header row, quoted as the csv module quotes."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(_GLOSSARY_COLUMNS)
    writer.writerows(_row(entry) for entry in entries)
    return buffer.getvalue()


def omegat(entries=ENTRIES) -> str:
    """An OmegaT glossary: source, target, comment."""
    lines = []
    for entry in entries:
        comment = entry.note or ""
        if entry.status != "approved":
            comment += f" [status: {entry.status}]"
        lines.append(f"{entry.zh}\t{entry.en}\t{comment.strip()}")
    return "\n".join(lines) + "\n"


def _tbx_term(version: int, text: str, status: str) -> str:
    group = "tig" if version == 2 else "termSec"
    return (
        f"<{group}><term>{escape(text)}</term>"
        f'<termNote type="administrativeStatus">{status}</termNote></{group}>'
    )


def tbx(entries=ENTRIES, *, version: int = 2, doctype: str = "", encoding: str = "UTF-8") -> str:
    """A TBX-Basic document, v2 (martif) or v3 (ISO 30042:2019, DCA style)."""
    if version == 2:
        root, entry_tag, lang_tag = (
            '<martif type="TBX-Basic" xml:lang="en">',
            "termEntry",
            "langSet",
        )
        header = "<martifHeader><fileDesc><sourceDesc><p>hostile</p></sourceDesc></fileDesc>"
        header += "</martifHeader>"
        close = "</martif>"
    else:
        root = '<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" style="dca" xml:lang="en">'
        entry_tag, lang_tag = "conceptEntry", "langSec"
        header = "<tbxHeader><fileDesc><sourceDesc><p>hostile</p></sourceDesc></fileDesc>"
        header += "</tbxHeader>"
        close = "</tbx>"
    out = [_xml_declaration(encoding), doctype, "\n", root, header, "<text><body>\n"]
    for number, entry in enumerate(entries, 1):
        out.append(f'<{entry_tag} id="e{number}">')
        if entry.domain:
            out.append(f'<descrip type="subjectField">{escape(entry.domain)}</descrip>')
        if entry.source:
            out.append(f'<admin type="source">{escape(entry.source)}</admin>')
        if entry.note:
            out.append(f"<note>{escape(entry.note)}</note>")
        if entry.status != "approved":
            out.append(f"<note>zhen-status: {entry.status}</note>")
        out.append(f'<{lang_tag} xml:lang="zh-CN">')
        out.append(_tbx_term(version, entry.zh, "preferredTerm-admn-sts"))
        out.append(f'</{lang_tag}><{lang_tag} xml:lang="en-US">')
        out.append(_tbx_term(version, entry.en, "preferredTerm-admn-sts"))
        if entry.variant:
            out.append(_tbx_term(version, entry.variant, "admittedTerm-admn-sts"))
        if entry.forbidden:
            out.append(_tbx_term(version, entry.forbidden, "deprecatedTerm-admn-sts"))
        out.append(f"</{lang_tag}></{entry_tag}>\n")
    out.append(f"</body></text>{close}\n")
    return "".join(out)


# Format name → (file suffix, builder of the valid document, whether it holds units or entries).
TM_FORMATS = {
    "tmx": (".tmx", tmx),
    "xliff": (".xlf", xliff),
    "xliff2": (".xlf", xliff2),
    "po": (".po", po),
    "tsv": (".tsv", tm_tsv),
    "tm-csv": (".csv", tm_csv),
}
GLOSSARY_FORMATS = {
    "tsv": (".tsv", glossary_tsv),
    "csv": (".csv", glossary_csv),
    "omegat": (".txt", omegat),
    "tbx2": (".tbx", lambda entries=ENTRIES: tbx(entries, version=2)),
    "tbx3": (".tbx3", lambda entries=ENTRIES: tbx(entries, version=3)),
}
XML_FORMATS = frozenset({"tmx", "xliff", "xliff2", "tbx2", "tbx3"})

# Which fields each format carries (the positions control characters are put in).
TM_FIELDS = {
    "tmx": ("zh", "en", "note", "origin"),
    "xliff": ("zh", "en", "note"),
    "xliff2": ("zh", "en", "note"),
    "po": ("zh", "en", "note"),
    "tsv": ("zh", "en"),
    "tm-csv": ("zh", "en", "note"),
}
GLOSSARY_FIELDS = {
    "tsv": ("zh", "en", "variant", "forbidden", "note", "domain", "source"),
    "csv": ("zh", "en", "variant", "forbidden", "note", "domain", "source"),
    "omegat": ("zh", "en", "note"),
    "tbx2": ("zh", "en", "variant", "forbidden", "note", "domain", "source"),
    "tbx3": ("zh", "en", "variant", "forbidden", "note", "domain", "source"),
}


# ----------------------------------------------------------------------------- XML attacks

ENTITY_ATTACKS = frozenset(
    {
        "xxe-passwd",
        "xxe-canary-file",
        "xxe-http",
        "parameter-entity-http",
        "billion-laughs",
        "quadratic-blowup",
        "internal-entity",
    }
)
UNDEFINED_ENTITY_ATTACKS = frozenset({"external-dtd-undefined-entity", "external-dtd-file-entity"})
XML_ATTACK_NAMES = (
    *sorted(ENTITY_ATTACKS),
    *sorted(UNDEFINED_ENTITY_ATTACKS),
    "external-dtd-http",
    "xinclude-passwd",
)
CANARY = "CANARY-5e1f0c"
PASSWD_MARK = "root:x:0:0"


def xml_attack(
    name: str, root: str, canary_file: Path, canary_dtd: Path, url: str
) -> tuple[str, str]:
    """(DOCTYPE, reference put into a text field) of one XML attack on a document `root`."""
    laughs = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    ]
    attacks = {
        "xxe-passwd": (f'<!DOCTYPE {root} [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', "&xxe;"),
        "xxe-canary-file": (
            f'<!DOCTYPE {root} [<!ENTITY xxe SYSTEM "file://{canary_file}">]>',
            "&xxe;",
        ),
        "xxe-http": (f'<!DOCTYPE {root} [<!ENTITY xxe SYSTEM "{url}/xxe">]>', "&xxe;"),
        "parameter-entity-http": (
            f'<!DOCTYPE {root} [<!ENTITY % p SYSTEM "{url}/p.dtd"> %p;]>',
            "",
        ),
        "billion-laughs": (f"<!DOCTYPE {root} [{''.join(laughs)}]>", "&lol9;"),
        "quadratic-blowup": (f'<!DOCTYPE {root} [<!ENTITY a "{"x" * 20000}">]>', "&a;" * 2000),
        "internal-entity": (f'<!DOCTYPE {root} [<!ENTITY e "harmless">]>', "&e;"),
        "external-dtd-undefined-entity": (
            f'<!DOCTYPE {root} PUBLIC "-//HOSTILE//DTD X//EN" "{url}/x.dtd">',
            "&undefined;",
        ),
        "external-dtd-file-entity": (f'<!DOCTYPE {root} SYSTEM "file://{canary_dtd}">', "&canary;"),
        "external-dtd-http": (f'<!DOCTYPE {root} SYSTEM "{url}/tmx14.dtd">', ""),
        "xinclude-passwd": (
            "",
            '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file:///etc/passwd" '
            'parse="text"/>',
        ),
    }
    return attacks[name]


def canary_dtd_text() -> str:
    """An external DTD that defines the entity `canary` (only a loaded DTD resolves it)."""
    return f'<!ENTITY canary "{CANARY}">\n'


def attacked(fmt: str, name: str, canary_file: Path, canary_dtd: Path, url: str) -> str:
    """A document of XML format `fmt` carrying attack `name` in its first English text."""
    root = {"tmx": "tmx", "xliff": "xliff", "xliff2": "xliff", "tbx2": "martif", "tbx3": "tbx"}[fmt]
    doctype, reference = xml_attack(name, root, canary_file, canary_dtd, url)
    if fmt in TM_FORMATS:
        units = with_field(UNITS, 0, "en", REF + UNITS[0].en)
        text = TM_FORMATS[fmt][1](units, doctype=doctype)
    else:
        entries = with_field(ENTRIES, 0, "en", REF + ENTRIES[0].en)
        text = tbx(entries, version=2 if fmt == "tbx2" else 3, doctype=doctype)
    return text.replace(escape(REF), reference)


# ----------------------------------------------------------------------------- bytes


def encode(text: str, encoding: str) -> bytes:
    """`text` in one of: utf-8, utf-16-le-bom, utf-16-be-bom, utf-16-le (no BOM), gbk."""
    if encoding == "utf-16-le-bom":
        return b"\xff\xfe" + text.encode("utf-16-le")
    if encoding == "utf-16-be-bom":
        return b"\xfe\xff" + text.encode("utf-16-be")
    return text.encode(encoding)


def truncations(data: bytes) -> dict[str, bytes]:
    """Cuts of a valid file: early, middle, late, inside a UTF-8 character, its last byte."""
    middle = len(data) // 2
    inside = next(
        (i for i in range(middle, len(data)) if 0x80 <= data[i] <= 0xBF and data[i - 1] >= 0xE0),
        middle,
    )
    return {
        "at-10pct": data[: len(data) // 10],
        "at-half": data[:middle],
        "at-90pct": data[: len(data) * 9 // 10],
        "inside-utf8-char": data[:inside],
        "last-byte-gone": data[:-1],
    }


def lone_surrogate_utf8(text: str) -> bytes:
    """UTF-8 of `text` with the (invalid) UTF-8 form of a lone high surrogate after its start."""
    data = text.encode("utf-8")
    cut = data.index(b"\n") + 1 if b"\n" in data else 0
    return data[:cut] + b"\xed\xa0\x80" + data[cut:]


def lone_surrogate_utf16(text: str) -> bytes:
    """UTF-16-LE (with BOM) of `text` with a lone high surrogate code unit after its first line."""
    data = text.encode("utf-16-le")
    cut = data.index("\n".encode("utf-16-le")) + 2
    return b"\xff\xfe" + data[:cut] + b"\x00\xd8" + data[cut:]


def invalid_utf8(text: str) -> bytes:
    """UTF-8 of `text` with a stray 0xFF byte in its second half."""
    data = text.encode("utf-8")
    cut = data.index(b"\n", len(data) // 2) + 1
    return data[:cut] + b"\xff" + data[cut:]

"""Hostile files through every reader: XML attacks, cuts, encodings, wrong languages, bad inputs,
huge lines. Each case ends in success or one error line, with nothing changed on failure."""

from __future__ import annotations

import random

import pytest
from lxml import etree

from hostile import generators as gen
from hostile.commands import READER_KIND, READERS, document
from hostile.harness import stored_texts

# --------------------------------------------------------------------------- XML attacks

XML_READERS = [
    ("tm-import", "tmx"),
    ("tm-import", "xliff"),
    ("tm-import", "xliff2"),
    ("glossary-import", "tbx2"),
    ("glossary-import", "tbx3"),
    ("check", "tmx"),
    ("check", "xliff"),
    ("check-glossary", "tbx2"),
    ("check-glossary", "tbx3"),
    ("align-glossary", "tbx2"),
    ("glossary-extract", "tmx"),
]
_SUFFIX = {"tmx": ".tmx", "xliff": ".xlf", "xliff2": ".xlf", "tbx2": ".tbx", "tbx3": ".tbx3"}


def _run_reader(ws, reader: str, path, *, expect=None):
    spec = READERS[reader]
    return ws.run(spec.argv(ws, path), ok=spec.ok, expect=expect, reads=not spec.stores)


@pytest.mark.parametrize("attack", gen.XML_ATTACK_NAMES)
@pytest.mark.parametrize("reader,fmt", XML_READERS, ids=[f"{r}-{f}" for r, f in XML_READERS])
def test_xml_attack(ws, listener, canaries, reader, fmt, attack) -> None:
    """No entity is expanded, no file or URL fetched; declared and undefined entities refused."""
    connections = listener.connections
    path = ws.write(f"attack{_SUFFIX[fmt]}", gen.attacked(fmt, attack, *canaries, listener.url))
    refused = gen.ENTITY_ATTACKS | gen.UNDEFINED_ENTITY_ATTACKS
    outcome = _run_reader(ws, reader, path, expect="error" if attack in refused else None)
    ws.check_no_leak(outcome.command, outcome, [gen.CANARY, gen.PASSWD_MARK])
    if listener.connections != connections:
        ws.problem(f"{outcome.command}: NETWORK fetch from {listener.url}")
    ws.verify()


def test_external_doctype_has_one_policy_in_every_reader(ws, listener, canaries) -> None:
    """An external DOCTYPE is accepted by every XML reader or refused by every one."""
    verdicts = {}
    for reader, fmt in XML_READERS:
        text = gen.attacked(fmt, "external-dtd-http", *canaries, listener.url)
        path = ws.write(f"external-{reader}{_SUFFIX[fmt]}", text)
        outcome = _run_reader(ws, reader, path)
        verdicts[f"{reader}/{fmt}"] = "refused" if outcome.code == 2 else "accepted"
    if len(set(verdicts.values())) > 1:
        ws.problem(f"POLICY differs between XML readers: {verdicts}")
    ws.verify()


# --------------------------------------------------------------------------- truncations

TRUNCATED = [
    ("tm-import", "tmx"),
    ("tm-import", "xliff"),
    ("tm-import", "xliff2"),
    ("tm-import", "po"),
    ("tm-import", "tsv"),
    ("tm-import", "tm-csv"),
    ("glossary-import", "tsv"),
    ("glossary-import", "csv"),
    ("glossary-import", "omegat"),
    ("glossary-import", "tbx2"),
    ("glossary-import", "tbx3"),
    ("check", "tmx"),
    ("check", "po"),
    ("glossary-extract", "tmx"),
]
CUTS = ("at-10pct", "at-half", "at-90pct", "inside-utf8-char", "last-byte-gone")


def _well_formed(data: bytes) -> bool:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return False
    return True


@pytest.mark.parametrize("cut", CUTS)
@pytest.mark.parametrize("reader,fmt", TRUNCATED, ids=[f"{r}-{f}" for r, f in TRUNCATED])
def test_truncated_file(ws, reader, fmt, cut) -> None:
    """A file cut short is refused (XML that no longer parses, an open CSV quote) or read whole."""
    suffix, text = document(reader, fmt)
    piece = gen.truncations(text.encode("utf-8"))[cut]
    broken = (fmt in gen.XML_FORMATS and not _well_formed(piece)) or (
        fmt in ("csv", "tm-csv") and piece.count(b'"') % 2 == 1
    )
    path = ws.write(f"cut{suffix}", piece)
    _run_reader(ws, reader, path, expect="error" if broken else None)
    ws.verify()


# --------------------------------------------------------------------------- encodings

TEXT_TARGETS = [
    ("tm-import", "tsv"),
    ("tm-import", "po"),
    ("glossary-import", "tsv"),
    ("glossary-import", "csv"),
    ("glossary-import", "omegat"),
    ("check", "tsv"),
    ("align", "text"),
    ("lookup-batch", "queries"),
]
TEXT_ENCODINGS = (
    "utf-16-le-bom",
    "utf-16-be-bom",
    "utf-16-le-no-bom",
    "gbk",
    "lone-surrogate-utf8",
    "lone-surrogate-utf16",
    "invalid-utf8",
    "nul-in-english",
)
# What a correctly decoded file puts where the reader keeps it: (Chinese, English) markers.
_MARKERS = {
    "tm": ("人民代表大会", "plenary"),
    "glossary": ("经济合作", "economic"),
    "text": ("全国人民代表大会", "Congress"),
    "queries": ("人民", "people"),
}
_CHARSETS = {"utf-16-le-bom": "UTF-16", "utf-16-be-bom": "UTF-16", "utf-16-le-no-bom": "UTF-16"}


def _with_nul_in_english(text: str) -> str:
    marker = next(word for word in ("plenary", "economic", "Congress", "people") if word in text)
    text = text.replace(marker, marker + "\x00", 1)
    # An even length is what made a lone NUL look like UTF-16 (issue 14).
    return text if len(text.encode("utf-8")) % 2 == 0 else text + "\n"


def _encoded(reader: str, fmt: str, encoding: str) -> tuple[str, bytes, str]:
    """(suffix, bytes, which file varies: "zh" or "en") of one encoding case."""
    suffix, text = document(reader, fmt)
    if fmt == "po":
        text = gen.po(charset=_CHARSETS.get(encoding, "GBK" if encoding == "gbk" else "UTF-8"))
    if reader == "align" and encoding == "nul-in-english":
        return suffix, _with_nul_in_english(gen.EN_TEXT).encode("utf-8"), "en"
    builders = {
        "utf-16-le-bom": lambda t: gen.encode(t, "utf-16-le-bom"),
        "utf-16-be-bom": lambda t: gen.encode(t, "utf-16-be-bom"),
        "utf-16-le-no-bom": lambda t: gen.encode(t, "utf-16-le"),
        "gbk": lambda t: gen.encode(t, "gbk"),
        "lone-surrogate-utf8": gen.lone_surrogate_utf8,
        "lone-surrogate-utf16": gen.lone_surrogate_utf16,
        "invalid-utf8": gen.invalid_utf8,
        "nul-in-english": lambda t: _with_nul_in_english(t).encode("utf-8"),
    }
    return suffix, builders[encoding](text), "zh"


def _kept_text(ws, reader: str, outcome) -> str:
    """Where the reader put what it read: the database, the aligned file or the output."""
    if READERS[reader].stores:
        return "\n".join(value for _, _, value in stored_texts(ws.db))
    aligned = ws.outputs / "aligned.tmx"
    if reader == "align" and aligned.exists():
        return aligned.read_text(encoding="utf-8", errors="replace")
    return outcome.stdout


@pytest.mark.parametrize("encoding", TEXT_ENCODINGS)
@pytest.mark.parametrize("reader,fmt", TEXT_TARGETS, ids=[f"{r}-{f}" for r, f in TEXT_TARGETS])
def test_text_encoding(ws, reader, fmt, encoding) -> None:
    """UTF-16 with a BOM and GBK are read; anything else is read correctly or refused, never
    stored as mojibake, and a lone NUL does not turn English into UTF-16 "Chinese"."""
    suffix, data, varies = _encoded(reader, fmt, encoding)
    path = ws.write(f"encoded{suffix}", data)
    spec = READERS[reader]
    argv = (
        spec.argv(ws, path)
        if varies == "zh"
        else ["align", ws.zh_txt, path, "-o", ws.outputs / "aligned.tmx"]
    )
    expect = "success" if encoding in ("utf-16-le-bom", "utf-16-be-bom", "gbk") else None
    outcome = ws.run(argv, ok=spec.ok, expect=expect, reads=not spec.stores)
    if outcome.code in spec.ok and reader != "check":
        kept = _kept_text(ws, reader, outcome)
        zh_marker, en_marker = _MARKERS[READER_KIND[reader]]
        for marker in (zh_marker, en_marker):
            if marker not in kept:
                ws.problem(
                    f"{outcome.command}: MISREAD: {marker!r} missing after a successful read"
                )
        if "\ufffd" in kept or any(0xD800 <= ord(ch) <= 0xDFFF for ch in kept):
            ws.problem(f"{outcome.command}: MISREAD: replacement character or surrogate kept")
    ws.verify()


LOWERCASE_ENGLISH = (
    "the people held a plenary meeting and the two countries agreed to strengthen economic "
    "cooperation in the years to come\n"
)


@pytest.mark.parametrize("reader", ["align", "check", "lookup-batch"])
def test_lone_nul_does_not_make_english_utf16(ws, reader) -> None:
    """English with one NUL byte was decoded as UTF-16 "Chinese" (issue 14): it is read as
    English (the NUL dropped) or refused."""
    data = LOWERCASE_ENGLISH.replace("cooperation", "cooperation\x00", 1).encode()
    path = ws.write("english.txt", data if len(data) % 2 == 0 else data + b"\n")
    argv, ok = {
        "align": (["align", ws.zh_txt, path, "-o", ws.outputs / "aligned.tmx"], (0,)),
        "check": (["check", ws.zh_txt, path, "--db", ws.db], (0, 1)),
        "lookup-batch": (["lookup", "--batch", path, "--db", ws.db], (0,)),
    }[reader]
    outcome = ws.run(argv, ok=ok, reads=True)
    if outcome.code in ok and "people" not in _kept_text(ws, reader, outcome):
        ws.problem(f"{outcome.command}: MISREAD: the English text did not arrive as English")
    ws.verify()


XML_TARGETS = [
    ("tm-import", "tmx"),
    ("tm-import", "xliff"),
    ("glossary-import", "tbx2"),
    ("check", "tmx"),
]
XML_ENCODINGS = ("utf-16-declared", "gb18030-declared", "gbk-declared-utf8", "charref-surrogate")


def _xml_encoded(reader: str, fmt: str, encoding: str) -> bytes:
    build = gen.TM_FORMATS[fmt][1] if fmt in gen.TM_FORMATS else gen.GLOSSARY_FORMATS[fmt][1]
    if encoding == "utf-16-declared":
        return gen.encode(_declared(build(), "UTF-16"), "utf-16-le-bom")
    if encoding == "gb18030-declared":
        return _declared(build(), "GB18030").encode("gb18030")
    if encoding == "gbk-declared-utf8":
        return build().encode("gbk")
    return (
        build()
        .replace("plenary", "plenary&#xD800;")
        .replace("economic", "economic&#xD800;")
        .encode()
    )


def _declared(text: str, encoding: str) -> str:
    return text.replace('encoding="UTF-8"', f'encoding="{encoding}"', 1)


@pytest.mark.parametrize("encoding", XML_ENCODINGS)
@pytest.mark.parametrize("reader,fmt", XML_TARGETS, ids=[f"{r}-{f}" for r, f in XML_TARGETS])
def test_xml_encoding(ws, reader, fmt, encoding) -> None:
    """XML is read in the encoding it declares; bytes that contradict it are refused."""
    path = ws.write(f"encoded{_SUFFIX[fmt]}", _xml_encoded(reader, fmt, encoding))
    expect = {"utf-16-declared": "success", "gb18030-declared": "success"}.get(encoding, "error")
    outcome = _run_reader(ws, reader, path, expect=expect)
    if outcome.code == 0 and READERS[reader].stores:
        kept = _kept_text(ws, reader, outcome)
        if _MARKERS[READER_KIND[reader]][0] not in kept:
            ws.problem(f"{outcome.command}: MISREAD: the Chinese text did not arrive intact")
    ws.verify()


# --------------------------------------------------------------------------- wrong languages

_FR_DE = (
    gen.Unit("Le peuple a tenu une réunion.", "Das Volk hielt eine Versammlung ab."),
    gen.Unit("Les deux pays coopèrent.", "Die beiden Länder arbeiten zusammen."),
)
_ZH_DE = tuple(gen.Unit(unit.zh, "Das Volk hielt eine Versammlung ab.") for unit in gen.UNITS)
_ZH_JA = tuple(gen.Unit(unit.zh, "人民代表大会が全体会議を開いた。") for unit in gen.UNITS)
WRONG_LANGUAGES = {
    "tm-import-xliff-fr-de": (
        "tm-import",
        ".xlf",
        gen.xliff(_FR_DE, source_lang="fr-FR", target_lang="de-DE"),
    ),
    "tm-import-xliff-zh-ja": ("tm-import", ".xlf", gen.xliff(_ZH_JA, target_lang="ja-JP")),
    "tm-import-po-language-de": ("tm-import", ".po", gen.po(_ZH_DE, language="de")),
    "tm-import-tsv-english-both-columns": (
        "tm-import",
        ".tsv",
        "The people held a meeting.\tThe people held a meeting.\nTwo countries.\tTwo nations.\n",
    ),
    "tm-import-tsv-chinese-both-columns": (
        "tm-import",
        ".tsv",
        "人民开会。\t人民开会。\n两国合作。\t两国合作。\n",
    ),
    "tm-import-tmx-only-fr-de": ("tm-import", ".tmx", gen.tmx(_FR_DE, langs=("fr-FR", "de-DE"))),
    "check-xliff-fr-de": (
        "check",
        ".xlf",
        gen.xliff(_FR_DE, source_lang="fr-FR", target_lang="de-DE"),
    ),
    "check-tsv-english-both-columns": ("check", ".tsv", "The people met.\tThe people met.\n"),
}


@pytest.mark.parametrize("case", sorted(WRONG_LANGUAGES))
def test_wrong_language_is_refused(ws, case) -> None:
    """Only zh→en is imported: other declared languages and English-only sides are refused."""
    reader, suffix, text = WRONG_LANGUAGES[case]
    _run_reader(ws, reader, ws.write(f"languages{suffix}", text), expect="error")
    ws.verify()


BAD_LANG_OPTIONS = ('zh"><evil/>,en', "zh-CN\x1b[2J,en-US", "zh-CN,en-US,fr", "zh CN,en")


@pytest.mark.parametrize(
    "value", BAD_LANG_OPTIONS, ids=["markup", "escape", "three-codes", "space"]
)
def test_export_lang_must_be_bcp47(ws, value) -> None:
    """`tm export --lang` takes two BCP 47 codes; anything else is refused before writing."""
    ws.run(
        ["tm", "export", ws.outputs / "out.tmx", "--lang", value, "--db", ws.db],
        expect="error",
        reads=True,
    )
    ws.verify()


# --------------------------------------------------------------------------- malformed inputs

ALL_READERS = [
    ("tm-import", "tmx"),
    ("tm-import", "tsv"),
    ("glossary-import", "csv"),
    ("glossary-import", "tbx2"),
    ("check", "xliff"),
    ("check-glossary", "csv"),
    ("align", "text"),
    ("align-glossary", "tsv"),
    ("glossary-extract", "tmx"),
    ("lookup-batch", "queries"),
]
MALFORMED = ("empty", "directory", "missing", "binary-noise", "blank-lines")


@pytest.mark.parametrize("kind", MALFORMED)
@pytest.mark.parametrize("reader,fmt", ALL_READERS, ids=[f"{r}-{f}" for r, f in ALL_READERS])
def test_malformed_input(ws, reader, fmt, kind) -> None:
    """An empty file, a folder, a missing path or noise is one error line, never a traceback."""
    suffix, _ = document(reader, fmt)
    path = ws.inputs / f"bad{suffix}"
    if kind == "directory":
        path.mkdir()
    elif kind == "binary-noise":
        path.write_bytes(random.Random(7).randbytes(4096))
    elif kind == "blank-lines":
        path.write_bytes(b"\n \n\t\n")
    elif kind == "empty":
        path.write_bytes(b"")
    _run_reader(ws, reader, path, expect=None if kind == "binary-noise" else "error")
    ws.verify()


UNTERMINATED_CSV = 'zh,en,note\n经济合作,economic cooperation,"never closed\n人民,people,x\n'


@pytest.mark.parametrize("reader", ["glossary-import", "check-glossary", "align-glossary"])
def test_unterminated_csv_quote_is_an_error(ws, reader) -> None:
    """An open quote swallowed the next rows and exited 0 (issue 14): it is an error."""
    _run_reader(ws, reader, ws.write("open-quote.csv", UNTERMINATED_CSV), expect="error")
    ws.verify()


# --------------------------------------------------------------------------- huge lines

MEGABYTE = 1 << 20
_LONG_ZH = "".join(
    random.Random(3).choice("人民国家经济合作发展会议政府建设") for _ in range(MEGABYTE // 3)
)
HUGE = {
    "tm-import-tsv-1mb-pair": ("tm-import", ".tsv", f"{_LONG_ZH}\tA very long line.\n"),
    "tm-import-tsv-1mb-no-tab": ("tm-import", ".tsv", _LONG_ZH + "\n"),
    "tm-import-tmx-1mb-seg": ("tm-import", ".tmx", gen.tmx((gen.Unit(_LONG_ZH, "Long."),))),
    "tm-import-po-1mb-msgid": ("tm-import", ".po", gen.po((gen.Unit(_LONG_ZH, "Long."),))),
    "glossary-import-csv-1mb-note": (
        "glossary-import",
        ".csv",
        gen.glossary_csv((gen.Entry("经济合作", "economic cooperation", note="x" * MEGABYTE),)),
    ),
    "glossary-import-tsv-1mb-line": (
        "glossary-import",
        ".tsv",
        "经济合作\t" + "y" * MEGABYTE + "\n",
    ),
    "lookup-batch-200kb-query": ("lookup-batch", ".txt", _LONG_ZH[: 200_000 // 3] + "\n"),
}


@pytest.mark.parametrize("case", sorted(HUGE))
def test_huge_line(ws, case) -> None:
    """Megabyte lines are read or refused in one line (memory cases run in test_processes)."""
    reader, suffix, text = HUGE[case]
    expect = "error" if case.endswith("no-tab") else None
    _run_reader(ws, reader, ws.write(f"huge{suffix}", text), expect=expect)
    ws.verify()


def test_huge_lookup_argument(ws) -> None:
    """A 100 KB query on the command line is looked up or refused in one line."""
    ws.run(["lookup", _LONG_ZH[: 100_000 // 3], "--db", ws.db], reads=True)
    ws.verify()


def test_generated_inputs_stay_small() -> None:
    """Generated files stay test-friendly: 2 MB at most."""
    assert all(len(text.encode()) <= 2 * MEGABYTE for _, _, text in HUGE.values())

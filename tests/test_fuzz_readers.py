"""Property-based fuzzing of the text, TSV and CSV readers: any bytes give a result or a ZhenError,
never another exception; valid pairs and entries survive import → export → import unchanged
(but for the documented removal of control characters)."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from lxml import etree

from zhen import cli, store
from zhen.errors import ZhenError
from zhen.glossary import load_terms_file
from zhen.io import tmfiles as tm_readers
from zhen.io import tmx
from zhen.io.textfile import decode_bytes

# Controls a reader must drop (or refuse): C0 but tab and newline, DEL, C1.
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
FUZZ = settings(
    max_examples=150,
    deadline=None,
    database=None,  # no .hypothesis folder in the checkout
    suppress_health_check=[HealthCheck.too_slow],
)
# A round trip runs zhen several times per example: no shrinking, whose hundreds of extra runs
# would cost minutes on a failure (the failing example is reported as found).
ROUND_TRIP = settings(
    FUZZ, max_examples=25, phases=(Phase.explicit, Phase.reuse, Phase.generate, Phase.target)
)

# Bytes that look like the formats (separators, quotes, line ends, BOMs, CJK, controls) find
# more parser paths than uniform noise.
_PIECES = [
    b"\t",
    b",",
    b'"',
    b"\n",
    b"\r\n",
    b"\r",
    b"#",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\x00",
    b"\x1b[2J",
    b"\xc2\x9b",
    "人民".encode(),
    "经济合作".encode("gbk"),
    b"zh\ten\n",
    b"zh,en,note\n",
    b"people",
    b"=SUM(A1)",
    b"'",
]
FILE_BYTES = st.one_of(
    st.binary(max_size=600),
    st.lists(st.sampled_from(_PIECES) | st.binary(max_size=8), max_size=60).map(b"".join),
)


@pytest.fixture(scope="module")
def scratch():
    with tempfile.TemporaryDirectory(prefix="zhen-fuzz-") as folder:
        yield Path(folder)


def _no_controls(texts, where: str) -> None:
    for text in texts:
        assert not CONTROLS.search(text or ""), f"{where} kept a control character: {text!r}"


@FUZZ
@given(data=FILE_BYTES)
@example(data="人民 \x9b2J people\n".encode())
def test_text_reader_gives_text_or_a_zhen_error(data) -> None:
    try:
        text = decode_bytes(data, "fuzz.txt")
    except ZhenError:
        return
    assert isinstance(text, str)
    _no_controls([text], "textio.decode_bytes")


@FUZZ
@given(data=FILE_BYTES)
@example(data="人民\tpeople\x9b2J\n".encode())
def test_tm_tsv_reader_gives_units_or_a_zhen_error(scratch, data) -> None:
    path = scratch / "fuzz.tsv"
    path.write_bytes(data)
    try:
        units = list(tm_readers.read_tsv(path, tmx.ReadStats()))
    except ZhenError:
        return
    _no_controls([text for unit in units for text in (unit.zh, unit.en)], "TM TSV reader")


@FUZZ
@given(data=FILE_BYTES, fmt=st.sampled_from(["tsv", "csv", "omegat"]))
@example(data="zh,en,note\n人民,people,\x9b2J\n".encode(), fmt="csv")
def test_glossary_readers_give_terms_or_a_zhen_error(scratch, data, fmt) -> None:
    path = scratch / "fuzz.glossary"
    path.write_bytes(data)
    try:
        terms = load_terms_file(path, fmt=fmt)
    except ZhenError:
        return
    _no_controls(
        [t for term in terms for t in (term.zh, term.en, term.note, *term.variants)],
        f"glossary {fmt} reader",
    )


# --------------------------------------------------------------------------- round trips

# Simplified characters OpenCC leaves alone, so that a glossary term is stored as written.
_HANZI = "人民国家经济合作发展会议政府建设中央委员代表大会科技创新开放安全"
_ENGLISH = (
    'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:!?"()[]&<>=+-@#%/*éü€'
)
_INJECTED = ["", "", "", "\x1b[2J", "\x9b", "\x7f", "\x00", "\x07"]


def _with_control(text: str, control: str, where: int) -> str:
    where = where % (len(text) + 1)
    return text[:where] + control + text[where:]


def _english():
    """English-looking text, sometimes with a control character; never starting with the
    apostrophe that escapes a spreadsheet formula (importers remove it)."""
    word = st.text(alphabet=_ENGLISH + "'", min_size=1, max_size=30)
    base = word.filter(lambda s: any(c.isalpha() for c in s))
    text = st.builds(_with_control, base, st.sampled_from(_INJECTED), st.integers(0, 40))
    return text.filter(lambda s: not _clean(s).lstrip().startswith("'"))


_CHINESE = st.text(alphabet=_HANZI + "，。、0123456789", min_size=1, max_size=20).filter(
    lambda s: any(c in _HANZI for c in s)
)


def _clean(text: str) -> str:
    return CONTROLS.sub("", text)


def _zhen(*argv) -> int:
    """cli.main with its output swallowed (the properties look at files and JSON)."""
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return cli.main([str(arg) for arg in argv])


def _zhen_json(*argv):
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        assert cli.main([str(arg) for arg in argv]) == 0, argv
    return json.loads(out.getvalue())


def _fresh_db(folder: Path, name: str) -> Path:
    db = folder / name
    for path in folder.glob(f"{name}*"):
        path.unlink()
    store.open_database(db, create=True).close()
    return db


@ROUND_TRIP
@given(pairs=st.lists(st.tuples(_CHINESE, _english()), min_size=1, max_size=8))
@example(pairs=[("人民", "=SUM(A1)"), ("国家", "\x9bcountry")])
@example(pairs=[("人民", "é"), ("国家", "0")])  # an accented letter is a Latin one
def test_tm_tsv_round_trip_preserves_text(scratch, pairs) -> None:
    """TSV → `tm import` → `tm export` TMX holds the same pairs (controls removed, or the file
    refused when it held any)."""
    source = scratch / "pairs.tsv"
    source.write_text("".join(f"{zh}\t{en}\n" for zh, en in pairs), encoding="utf-8")
    db = _fresh_db(scratch, "tm.db")
    had_controls = any(CONTROLS.search(en) for _, en in pairs)
    code = _zhen("tm", "import", source, "--db", db)
    if code == 2 and had_controls:
        return
    assert code == 0
    out = scratch / "pairs.tmx"
    assert _zhen("tm", "export", out, "--db", db) == 0
    tree = etree.parse(str(out))
    exported = set()
    for tu in tree.iter("tu"):
        zh, en = (seg.text or "" for seg in tu.iter("seg"))
        exported.add((zh.strip(), en.strip()))
    assert exported == {(zh.strip(), _clean(en).strip()) for zh, en in pairs}


def _entry_fields(entries: list[dict]) -> dict[str, tuple]:
    """zh → (en, note, variants), whitespace compared as the glossary trims it."""
    return {
        e["zh"]: (
            " ".join(e["en"].split()),
            (e["note"] or "").strip() or None,
            tuple(e["variants"]),
        )
        for e in entries
    }


def _glossary_file(entries, fmt: str) -> str:
    if fmt == "tsv":
        return "zh\ten\tnote\n" + "".join(f"{zh}\t{en}\t{note}\n" for zh, en, note in entries)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["zh", "en", "note"])
    writer.writerows(entries)
    return buffer.getvalue()


@ROUND_TRIP
@given(
    entries=st.lists(
        st.tuples(_CHINESE, _english(), _english() | st.just("")),
        min_size=1,
        max_size=6,
        unique_by=lambda entry: entry[0],
    ),
    fmt=st.sampled_from(["csv", "tsv"]),
)
@example(entries=[("人民", "=SUM(A1)", "@note"), ("国家", "\x9bcountry", "")], fmt="csv")
@example(entries=[("人民", "+1 people", "-note"), ("国家", "country\x7f", "")], fmt="tsv")
def test_glossary_round_trip_preserves_text(scratch, entries, fmt) -> None:
    """CSV/TSV → `glossary import` → export → import again: the same terms, as written."""
    source = scratch / f"terms.{fmt}"
    source.write_text(_glossary_file(entries, fmt), encoding="utf-8")
    first = _fresh_db(scratch, "first.db")
    had_controls = any(CONTROLS.search(en + note) for _, en, note in entries)
    code = _zhen("glossary", "import", source, "--format", fmt, "--db", first)
    if code == 2 and had_controls:
        return
    assert code == 0
    stored = _entry_fields(_zhen_json("glossary", "list", "--json", "--db", first))
    expected = {
        zh: (" ".join(_clean(en).split()), _clean(note).strip() or None, ())
        for zh, en, note in entries
    }
    assert stored == expected
    exported = scratch / f"export.{fmt}"
    assert _zhen("glossary", "export", exported, "--format", fmt, "--db", first) == 0
    second = _fresh_db(scratch, "second.db")
    assert _zhen("glossary", "import", exported, "--format", fmt, "--db", second) == 0
    assert _entry_fields(_zhen_json("glossary", "list", "--json", "--db", second)) == stored

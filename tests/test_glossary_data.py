"""The shipped glossary/xinhua.tsv against the seed texts it cites: format, citations, renderings.

Every entry cites the seeds in tm/sources it was found in (`NNN: cue`). Its Chinese must be in
each cited seed, and an approved rendering must be in the English of each cited seed that has
one; an approved entry of seed 001 (no English) names the entry whose rendering it takes
("rendering taken from X in NNN"). A proposed entry says where its rendering is to be confirmed.
See docs/glossary-data.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import pytest

from tests.support import REPO_ROOT, SOURCES
from zhen.errors import NoEnglishError
from zhen.io.article import split_document

GLOSSARY = REPO_ROOT / "glossary" / "xinhua.tsv"
HEADER = ["zh", "en", "variants", "forbidden", "status", "note", "source", "check"]
TYPES = {
    "slogan",
    "initiative",
    "organization",
    "office",
    "person",
    "place",
    "idiom",
    "proverb",
    "quoted phrase",
    "formulation",
    "field term",
}
BORROWED = re.compile(r"rendering taken from (\S+) in (\d{3})")
CONFIRM_WHERE = re.compile(r"(?:to be confirmed|confirm [^;]*?) against \S")


@dataclass(frozen=True)
class Seed:
    """One seed text: the Chinese part, and the English half (casefolded) where it has one."""

    chinese: str
    english: str | None


@dataclass(frozen=True)
class Entry:
    """One row of the glossary, its lists split and its citations as (seed, cue) pairs."""

    line: int
    zh: str
    en: str
    variants: tuple[str, ...]
    status: str
    note: str
    cited: tuple[tuple[str, str], ...]
    check: str

    def renderings(self) -> list[str]:
        return [self.en, *self.variants]


@cache
def seeds() -> dict[str, Seed]:
    """The seeds by number; the English half starts at the headline zhen's reader finds."""
    found: dict[str, Seed] = {}
    for path in sorted(SOURCES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        try:
            headline = split_document(text, path.name).en_paragraphs[0]
        except NoEnglishError:
            found[path.name[:3]] = Seed(text, None)
            continue
        start = text.index(headline)
        found[path.name[:3]] = Seed(text[:start], text[start:].casefold())
    return found


def _split(cell: str) -> tuple[str, ...]:
    return tuple(item for item in cell.split(" | ") if item)


@cache
def entries() -> list[Entry]:
    lines = GLOSSARY.read_text(encoding="utf-8").split("\n")
    rows = []
    for number, line in enumerate(lines[1:-1], 2):
        zh, en, variants, _forbidden, status, note, source, check = line.split("\t")
        cited = tuple((seed, cue) for seed, cue in (item.split(": ", 1) for item in _split(source)))
        rows.append(Entry(number, zh, en, _split(variants), status, note, cited, check))
    return rows


def _in_english(forms: list[str], english: str) -> bool:
    return any(form.casefold() in english for form in forms)


def test_the_file_keeps_its_format():
    raw = GLOSSARY.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and b"\r" not in raw and raw.endswith(b"\n")
    lines = raw.decode("utf-8").split("\n")
    assert lines[0].split("\t") == HEADER
    bad = []
    for number, line in enumerate(lines[1:-1], 2):
        cells = line.split("\t")
        if len(cells) != len(HEADER) or any(cell.startswith('"') for cell in cells):
            bad.append((number, "fields"))
            continue
        zh, en, _variants, _forbidden, status, note, source, check = cells
        if not (zh and en and source) or status not in {"approved", "proposed", "rejected"}:
            bad.append((number, "empty field or status"))
        if check not in {"yes", "no"} or note.split(";")[0] not in TYPES:
            bad.append((number, "check or note type"))
    pairs = [(entry.zh, entry.en) for entry in entries()]
    assert bad == [] and len(pairs) == len(set(pairs))


def test_every_entry_is_in_the_seeds_it_cites():
    missing = []
    for entry in entries():
        if not entry.cited:
            missing.append((entry.line, entry.zh, "no citation"))
        for number, cue in entry.cited:
            seed = seeds().get(number)
            if seed is None or cue not in seed.chinese or entry.zh not in seed.chinese:
                missing.append((entry.line, entry.zh, number))
    assert missing == []


def test_approved_renderings_are_in_the_english_of_each_cited_seed():
    missing = [
        (entry.line, entry.zh, number)
        for entry in entries()
        if entry.status == "approved"
        for number, _cue in entry.cited
        if (english := seeds()[number].english) is not None
        and not _in_english(entry.renderings(), english)
    ]
    assert missing == []


def test_approved_entries_of_seed_001_take_an_attested_rendering():
    unproven = []
    for entry in entries():
        if entry.status != "approved" or any(seeds()[n].english for n, _ in entry.cited):
            continue
        borrowed = BORROWED.search(entry.note)
        seed = seeds().get(borrowed.group(2)) if borrowed else None
        if (
            borrowed is None
            or seed is None
            or seed.english is None
            or borrowed.group(1) not in seed.chinese
            or entry.en.casefold() not in seed.english
        ):
            unproven.append((entry.line, entry.zh))
    assert unproven == []


def test_proposed_entries_say_where_to_confirm_the_rendering():
    silent = [
        (entry.line, entry.zh)
        for entry in entries()
        if entry.status == "proposed" and not CONFIRM_WHERE.search(entry.note)
    ]
    assert silent == []


@pytest.mark.parametrize(
    ("zh", "en", "status", "check"),
    [
        # Examples of the audit of issue 20, one per kind: a numbered formulation, a campaign
        # the English splits (lookup-only), a field term, a seed-001 term taking 000's rendering,
        # a seed-001 place with no English in the seeds.
        ("中央八项规定", "eight-point decision on improving work conduct", "approved", "yes"),
        (
            "深入贯彻中央八项规定精神学习教育",
            "learn and implement the spirit of the eight-point decision on improving work conduct",
            "approved",
            "no",
        ),
        ("物联网", "Internet of Things", "approved", "yes"),
        ("标轨铁路", "standard-gauge railway", "approved", "yes"),
        ("浦寨－新清", "Puzhai-Tan Thanh", "proposed", "yes"),
    ],
    ids=["numbered", "lookup-only", "field-term", "borrowed", "proposed-place"],
)
def test_audited_terms_are_there(zh, en, status, check):
    found = [(e.en, e.status, e.check) for e in entries() if e.zh == zh]
    assert found == [(en, status, check)]

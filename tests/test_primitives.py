"""One home per text primitive: the English tokenizer, the stemmer and the safe XML parser."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from zhen.text.stem import lexicon_key, stem
from zhen.text.tokens import word_texts, words

SRC = Path(__file__).resolve().parents[1] / "src" / "zhen"


# --- the tokenizer -------------------------------------------------------------------------


def test_words_keep_apostrophes_and_split_hyphens_with_spans():
    text = "China’s people's well-being along the Belt and Road"
    found = words(text)
    assert [w.text for w in found] == [
        "China’s", "people's", "well", "being", "along", "the", "Belt", "and", "Road",
    ]  # fmt: skip
    assert all(text[w.start : w.end] == w.text for w in found)
    assert found[0].lower == "china's" and found[0].capitalized
    assert not found[1].capitalized


def test_compounds_keep_codes_whole():
    assert word_texts("COVID-19 and R&D in the G-20") == [
        "COVID",
        "19",
        "and",
        "R",
        "D",
        "in",
        "the",
        "G",
        "20",
    ]
    assert word_texts("COVID-19 and R&D in the G-20", compounds=True) == [
        "COVID-19", "and", "R&D", "in", "the", "G-20",
    ]  # fmt: skip
    # Inside Chinese text, as the aligner reads Latin codes of either side.
    assert word_texts("抗击COVID-19疫情，2020年", compounds=True, numbers=False) == ["COVID-19"]


def test_numbers_false_starts_words_at_a_letter():
    assert word_texts("1.5 billion yuan in 2023", numbers=False) == ["billion", "yuan", "in"]
    assert word_texts("1.5 billion") == ["1", "5", "billion"]
    # A unit glued to its number in Chinese text meets the same unit spaced in English.
    assert word_texts("加水500ml", compounds=True, numbers=False) == ["ml"]
    assert word_texts("add 500 ml", compounds=True, numbers=False) == ["add", "ml"]


def test_dotted_abbreviations_are_one_word_on_request():
    assert word_texts("the U.S. side") == ["the", "U", "S", "side"]
    found = words("the U.S. side", abbreviations=True)
    assert [(w.text, w.start, w.end) for w in found] == [
        ("the", 0, 3),
        ("U.S.", 4, 8),
        ("side", 9, 13),
    ]


def test_accented_latin_letters_are_letters_but_signs_are_not():
    assert word_texts("Café Zürich São Paulo 3×4") == ["Café", "Zürich", "São", "Paulo", "3", "4"]


def test_spans_and_texts_agree():
    text = "Xi’s 3-day visit to Hà Nội, U.S.-China ties"
    for options in ({}, {"compounds": True}, {"abbreviations": True}, {"numbers": False}):
        assert [w.text for w in words(text, **options)] == word_texts(text, **options)


# --- the stemmer ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "forms",
    [
        ("develop", "developed", "developing", "development", "Development"),
        ("people", "people's", "people’s", "peoples"),
        ("exchange", "exchanges", "exchanged", "exchanging"),
        ("cooperate", "cooperated", "cooperation"),
        ("country", "countries", "country's"),
        ("modernization", "modernisation", "modernizations"),
        ("neighbor", "neighbour", "neighbours"),
        ("lead", "led", "leads"),
        ("Vietnam", "Vietnamese"),
        ("China", "Chinese", "China's"),
        ("USA", "US", "U.S."),
        ("time", "times"),
    ],
)
def test_forms_of_one_word_share_a_stem(forms):
    assert len({stem(form) for form in forms}) == 1, {form: stem(form) for form in forms}


@pytest.mark.parametrize(
    "a, b",
    [
        ("policy", "police"),
        ("unity", "universe"),
        ("state", "statement"),
        ("port", "sport"),
        ("us", "US"),  # the pronoun is not the country
        ("new", "news"),
    ],
)
def test_different_words_keep_different_stems(a, b):
    assert stem(a) != stem(b)


def test_lexicon_key_is_the_stem_cut_to_six_letters():
    assert lexicon_key("modernization") == lexicon_key("modern") == "modern"
    assert lexicon_key("Vietnamese") == lexicon_key("Vietnam") == "vietna"
    assert lexicon_key("infrastructure") == stem("infrastructure")[:6]


# --- one safe XML parser -------------------------------------------------------------------

# lxml/ElementTree functions that parse XML: only zhen.io.xmlsafe may call them.
_PARSING_FUNCTIONS = frozenset(
    {
        "parse", "fromstring", "fromstringlist", "XML", "XMLID", "iterparse", "XMLParser",
        "XMLPullParser", "HTML", "HTMLParser", "parseid",
    }
)  # fmt: skip
# Standard-library XML parsers resolve entities their own way: no module may use them.
_FORBIDDEN_MODULES = ("xml.etree", "xml.dom", "xml.sax", "xml.parsers", "defusedxml")
# translate-toolkit's XML stores parse with their own lxml parser: only after xmlsafe vetted the
# bytes, in zhen.io.bilingual.
_TOOLKIT_XML = tuple(
    f"translate.storage.{name}" for name in ("xliff", "xliff2", "tmx", "tbx", "ts2", "lisa")
)
_XML_HOME = "io/xmlsafe.py"
_TOOLKIT_HOME = "io/bilingual.py"


def xml_parsing_calls(source: str, module: str) -> list[str]:
    """Direct XML parsing in a module's source, as "line: what" strings."""
    tree = ast.parse(source)
    etree_names: set[str] = set()
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "lxml.etree" and alias.asname:
                    etree_names.add(alias.asname)
                if alias.name.startswith(_FORBIDDEN_MODULES):
                    found.append(f"{node.lineno}: import {alias.name}")
                if alias.name.startswith(_TOOLKIT_XML) and module != _TOOLKIT_HOME:
                    found.append(f"{node.lineno}: import {alias.name}")
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "lxml":
                etree_names.update(a.asname or a.name for a in node.names if a.name == "etree")
            if node.module == "lxml.etree":
                found.extend(
                    f"{node.lineno}: from lxml.etree import {a.name}"
                    for a in node.names
                    if a.name in _PARSING_FUNCTIONS or a.name == "*"
                )
            if node.module.startswith(_FORBIDDEN_MODULES) or node.module == "xml":
                found.append(f"{node.lineno}: from {node.module} import …")
            if node.module.startswith(_TOOLKIT_XML) and module != _TOOLKIT_HOME:
                found.append(f"{node.lineno}: from {node.module} import …")
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in _PARSING_FUNCTIONS:
            owner = node.value
            if isinstance(owner, ast.Name) and owner.id in etree_names:
                found.append(f"{node.lineno}: {owner.id}.{node.attr}")
            elif (
                isinstance(owner, ast.Attribute)
                and owner.attr == "etree"
                and isinstance(owner.value, ast.Name)
                and owner.value.id == "lxml"
            ):
                found.append(f"{node.lineno}: lxml.etree.{node.attr}")
    return sorted(found, key=lambda hit: int(hit.split(":")[0]))


def test_the_scanner_finds_every_way_to_parse_xml():
    source = (
        "from lxml import etree\nimport lxml.etree\nfrom lxml import etree as ET\n"
        "import xml.etree.ElementTree as ElementTree\nfrom xml.dom import minidom\n"
        "from lxml.etree import fromstring\nfrom translate.storage.tmx import tmxfile\n"
        "etree.parse('a')\nET.fromstring(b'')\nlxml.etree.iterparse('a')\n"
        "etree.tostring(etree.Element('x'))\n"
    )
    found = xml_parsing_calls(source, "glossary/formats/x.py")
    assert [line.split(":")[0] for line in found] == ["4", "5", "6", "7", "8", "9", "10"], found


def test_every_xml_reader_goes_through_xmlsafe():
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        module = path.relative_to(SRC).as_posix()
        if module == _XML_HOME:
            continue
        offenders += [f"{module}:{hit}" for hit in xml_parsing_calls(path.read_text(), module)]
    assert offenders == []

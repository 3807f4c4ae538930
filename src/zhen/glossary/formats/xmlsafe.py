"""Safe XML parsing for glossary files: no external entities, no network, no entity bombs."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from zhen.errors import FormatError


def parse_xml(path: Path) -> etree._ElementTree:
    """Parse an XML file safely; FormatError with file:line:column for malformed XML.

    Entities are never resolved or fetched; a document that declares entities (the only way to
    build an expansion bomb) is refused outright — glossaries have no use for them.
    """
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        tree = etree.parse(str(path), parser)
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (exc.lineno, 0)
        raise FormatError(f"{path}:{line}:{column}: malformed XML: {exc.msg}") from None
    except OSError as exc:
        raise FormatError(f"{path}: cannot read: {exc}") from None
    dtd = tree.docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise FormatError(f"{path}:1: the document declares XML entities; refused for safety")
    return tree


def local_name(element: etree._Element) -> str:
    """The tag without its namespace (TBX v2 has none, v3 uses urn:iso:std:iso:30042:ed-2)."""
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def xml_lang(element: etree._Element) -> str:
    """The element's xml:lang (or a bare lang attribute, as some tools write)."""
    return (
        element.get("{http://www.w3.org/XML/1998/namespace}lang") or element.get("lang") or ""
    ).strip()


def element_text(element: etree._Element) -> str:
    """All text inside an element (inline markup such as <hi> flattened), whitespace collapsed."""
    return " ".join("".join(element.itertext()).split())

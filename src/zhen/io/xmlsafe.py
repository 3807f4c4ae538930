"""The one safe XML parser of every reader (TMX, XLIFF, TBX): one policy for DOCTYPEs and entities.

The policy, the same in `tm import`, `check`, `glossary import` and `align --glossary`:

- entities are never resolved and nothing is ever fetched (no network, no DTD loading);
- a DOCTYPE whose internal subset declares an entity (general or parameter) is refused: no
  translation format needs one, and they are how expansion bombs and XXE are built;
- an external DOCTYPE (`SYSTEM`/`PUBLIC` id, e.g. `tmx14.dtd`) is ignored: the document is
  parsed as if it had none, the DTD is neither fetched nor validated against;
- an entity reference left undefined for that reason (`&foo;`) is refused, one error line with
  its file and line, as libxml2 refuses one in a document without a DOCTYPE.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from lxml import etree

from zhen.errors import FormatError, TmxError

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Whitespace but the control characters among it (tab and newline are whitespace to collapse).
_SPACES = re.compile(r"[^\S\r\x0b\x0c\x1c-\x1f\x85]+")

# The parser settings: no entity resolution, no network, no DTD, no huge trees.
PARSER_OPTIONS: dict[str, bool] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
}


class XmlError(TmxError, FormatError):
    """Malformed or refused XML: a TmxError to TMX callers, a FormatError to the others."""


def parse(path: Path | str) -> etree._ElementTree:
    """Parse a whole XML file under the policy; XmlError with file:line:column when refused."""
    parser = etree.XMLParser(remove_comments=True, remove_pis=True, **PARSER_OPTIONS)
    try:
        tree = etree.parse(str(path), parser)
    except etree.XMLSyntaxError as exc:
        raise syntax_error(path, exc) from None
    except OSError as exc:
        raise XmlError(f"{path}: cannot read: {exc.strerror or exc}") from None
    check_doctype(path, tree)
    refuse_entity_references(path, tree.getroot())
    return tree


class IterParse:
    """The end events of `tag` elements of an XML stream, parsed under the policy, in constant
    memory when the caller clears each element it is done with.

    `root` is the document element once the first element has been read, or once the document
    ended without any `tag` element.
    """

    def __init__(
        self, path: Path | str, stream: BinaryIO, tag: str | tuple[str, ...] | None = None
    ):
        self.path = path
        self.root: etree._Element | None = None
        # libxml2's error log is per thread and cumulative: start it afresh, so that the last
        # entry `syntax_error` may fall back on is this document's.
        etree.clear_error_log()
        self._context = etree.iterparse(
            stream,
            events=("end",),
            tag=tag,
            remove_comments=True,
            remove_pis=True,
            **PARSER_OPTIONS,
        )

    def __iter__(self) -> Iterator[etree._Element]:
        external_id = False
        try:
            for _event, element in self._context:
                if self.root is None:
                    tree = element.getroottree()
                    check_doctype(self.path, tree)
                    self.root = tree.getroot()
                    external_id = has_external_id(tree)
                if external_id:
                    # Only an external DOCTYPE lets an undefined entity through the parser.
                    refuse_entity_references(self.path, element)
                yield element
            if self.root is None and self._context.root is not None:
                check_doctype(self.path, self._context.root.getroottree())
                self.root = self._context.root
        except etree.XMLSyntaxError as exc:
            raise syntax_error(self.path, exc) from None


def has_external_id(tree: etree._ElementTree) -> bool:
    """True when the DOCTYPE names an external DTD (a SYSTEM or PUBLIC id)."""
    return bool(tree.docinfo.system_url or tree.docinfo.public_id)


def check_doctype(path: Path | str, tree: etree._ElementTree) -> None:
    """Refuse a DOCTYPE declaring entities; an external id is left unread (see the module doc)."""
    dtd = tree.docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise XmlError(
            f"{path}: the document declares XML entities, which zhen refuses "
            "(translation files need none; they can hide an entity-expansion or XXE attack)"
        )


def refuse_entity_references(path: Path | str, element: etree._Element) -> None:
    """Refuse an entity reference zhen cannot expand (declared only in an unread external DTD)."""
    for entity in element.iter(etree.Entity):
        raise XmlError(
            f"{path}:{entity.sourceline}: undefined entity {entity.text} "
            "(zhen never reads external DTDs, so only the five XML entities and &#…; are allowed)"
        )


def syntax_error(path: Path | str, exc: etree.XMLSyntaxError) -> XmlError:
    """An XmlError naming file:line:column for an lxml syntax error."""
    line, column = exc.position if exc.position else (0, 0)
    message = exc.msg or str(exc)
    if (line, column) == (0, 0) and exc.error_log:
        # iterparse reports some errors (an undefined entity) as "no element found" at 0:0; the
        # parser's own message is the last one it logged.
        last = exc.error_log[-1]
        line, column, message = last.line, last.column, last.message
    # libxml2 appends ", line N, column M" itself; the prefix already says where.
    message = re.sub(r",? line \d+, column \d+\s*$", "", message).strip()
    if "amplification" in message:
        message = "entity expansion beyond the safe limit, refused (an entity-expansion bomb?)"
    elif "encoding" in message.lower() or "not proper" in message:
        message += " (the bytes do not match the encoding the file declares)"
    return XmlError(f"{path}:{line}:{column}: malformed XML: {message}")


def local_name(element: etree._Element) -> str:
    """The tag without its namespace (TBX v2 has none, v3 uses urn:iso:std:iso:30042:ed-2)."""
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def xml_lang(element: etree._Element) -> str:
    """The element's xml:lang (or a bare lang attribute, as some tools write)."""
    return (element.get(XML_LANG) or element.get("lang") or "").strip()


def element_text(element: etree._Element) -> str:
    """All text inside an element (inline markup such as <hi> flattened), whitespace collapsed.

    Control characters that Python counts as whitespace (carriage return, U+0085…) are kept, for
    the reader to drop and count as it does every other control character.
    """
    return " ".join(part for part in _SPACES.split("".join(element.itertext())) if part)

"""XLIFF 1.2/2.0 and PO files through translate-toolkit, once zhen has vetted their bytes.

`zhen tm import` and `zhen check` both read these formats through `load`, so both apply the same
rules: XML under zhen.io.xmlsafe's policy (checked with zhen's own parser before the toolkit's sees
the bytes), declared languages Chinese and English only, no NUL characters, UTF-16/32 PO files
decoded (translate-toolkit reads PO as bytes in an 8-bit encoding).
"""

from __future__ import annotations

import codecs
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zhen.errors import EncodingError, FormatError, InputError
from zhen.io import tmx, xliff2, xmlsafe
from zhen.io.sides import check_languages
from zhen.io.textfile import decode_bytes, refuse_nul, unicode_encoding

_PO_CHARSET = re.compile(rb"(charset=)[\w.:-]+", re.IGNORECASE)


@dataclass
class ToolkitFile:
    """A translate-toolkit store and the languages its file declares (canonical; "" if none)."""

    store: Any
    source_lang: str
    target_lang: str

    @property
    def english_first(self) -> bool:
        """True when the file declares English as its source or Chinese as its target."""
        return tmx.lang_side(self.source_lang) == "en" or tmx.lang_side(self.target_lang) == "zh"


def load(path: Path, fmt: str) -> ToolkitFile:
    """Read an XLIFF ("xliff") or PO ("po") file; FormatError for one zhen must not read.

    Refused: malformed XML, entity declarations, undefined entities, NUL characters, and a
    declared language that is neither Chinese nor English, or the same on both sides.
    """
    if fmt == "po":
        store = _parse_with(path, _po_bytes(path), "po")
        sources = [store.getsourcelanguage() or ""]
        targets = [store.gettargetlanguage() or ""]
    else:
        data = _read(path)  # read once: the toolkit parses the very bytes zhen's parser vetted
        version, sources, targets = _vet_xliff(path, data)
        store = _parse_with(path, data, "xliff2" if version.startswith("2") else "xliff")
    source_lang, target_lang = check_languages(path, sources, targets)
    return ToolkitFile(store, source_lang, target_lang)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None


def _parse_with(path: Path, data: bytes, kind: str) -> Any:
    store_class = _store_class(kind)
    try:
        return store_class.parsestring(data)
    except Exception as exc:  # the toolkit raises many types for bad files
        raise FormatError(f"{path}: cannot read as {store_class.Name}: {exc}") from None


def _store_class(kind: str) -> Any:
    """translate-toolkit's class for "po", "xliff" (1.x) or "xliff2"; imported when needed."""
    if kind == "po":
        from translate.storage.pypo import pofile

        return pofile
    if kind == "xliff2":
        from translate.storage.xliff2 import Xliff2File

        return Xliff2File
    from translate.storage.xliff import xlifffile

    return xlifffile


def _po_bytes(path: Path) -> bytes:
    """The PO file's bytes for translate-toolkit: UTF-16/32 re-encoded as UTF-8; NUL refused."""
    data = _read(path)
    encoding = unicode_encoding(data)
    if encoding is None:
        # An 8-bit encoding (the header's charset): a NUL byte is a NUL character.
        if b"\x00" in data:
            refuse_nul(data[: data.index(0) + 1].decode("latin-1"), str(path))
        return _as_utf8(path, data)
    text = decode_bytes(data, str(path), keep_controls=True)
    return _PO_CHARSET.sub(rb"\1UTF-8", text.encode("utf-8"), count=1)


def _as_utf8(path: Path, data: bytes) -> bytes:
    """PO bytes in the charset their header declares (GBK, Big5…), re-encoded as UTF-8."""
    declared = _PO_CHARSET.search(data)
    if declared is None:
        return data
    name = declared.group(0).split(b"=", 1)[1].decode("ascii", "replace")
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return data  # a template's placeholder ("CHARSET"): read as UTF-8
    if codec in ("utf-8", "ascii"):
        return data
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise EncodingError(
            f"{path}:{line}: the bytes do not match the charset {name} the PO header declares"
        ) from None
    return _PO_CHARSET.sub(rb"\1UTF-8", text.encode("utf-8"), count=1)


def _vet_xliff(path: Path, data: bytes) -> tuple[str, list[str], list[str]]:
    """Parse an XLIFF file with zhen's safe parser (the tree cleared as it goes); return its
    version and the source and target languages its <xliff> (2.0) or <file>s (1.2) declare."""
    sources: list[str] = []
    targets: list[str] = []
    root_tag, version, declared = "", "", ("", "")
    elements = xmlsafe.IterParse(path, io.BytesIO(data))
    for element in elements:
        if not root_tag and elements.root is not None:
            root = elements.root  # read before it is cleared, as the last element
            root_tag, version = root.tag, root.get("version", "")
            declared = (root.get("srcLang", ""), root.get("trgLang", ""))
        if xmlsafe.local_name(element) == "file":
            sources.append(element.get("source-language", ""))
            targets.append(element.get("target-language", ""))
        element.clear()
        while element.getprevious() is not None:
            del element.getparent()[0]
    if root_tag.rsplit("}", 1)[-1] != "xliff":
        raise FormatError(f"{path}: not an XLIFF file (root element <{root_tag or 'none'}>)")
    if version.startswith("2") or root_tag.startswith(f"{{{xliff2.NAMESPACE_PREFIX}"):
        return "2", [declared[0]], [declared[1]]
    return version or "1.2", sources, targets

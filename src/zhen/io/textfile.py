"""Reading text files: encoding detection (BOMs, BOM-less UTF-16, GB18030, Big5), controls out."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from zhen.errors import EncodingError, InputError
from zhen.text.safetext import clean_text

# BOMs are checked longest first: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Byte order marks inside a text (files glued together) carry nothing.
_STRAY_BOM = "\ufeff"
# Below one NUL byte in this many, valid UTF-8 is not taken for UTF-16 (see _bomless_utf16).
_UTF16_MIN_NUL_SHARE = 8
# Characters a zh/en news text is made of: used to tell UTF-16-LE from -BE without a BOM.
_PLAUSIBLE_RE = re.compile(
    r"[\t\n\r\x20-\x7e\xa0-\u024f\u2000-\u206f\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"
)


def read_text(path: Path | str, *, keep_controls: bool = False) -> str:
    """Read a text file in UTF-8 (± BOM), UTF-16/32 (BOM), GB18030/GBK or Big5; return its text.

    Line ends become "\\n". Control characters other than tab and newline are dropped (form
    feeds become line breaks) unless `keep_controls`, for readers that drop them field by field
    and count them. Raises InputError for a missing, unreadable, empty file or a directory, and
    EncodingError (naming the file and line or byte offset) for undecodable bytes or a NUL.
    """
    file = Path(path)
    if file.is_dir():
        raise InputError(f"{file}: is a directory, expected a text file")
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{file}: no such file") from None
    except OSError as exc:
        raise InputError(f"{file}: cannot read: {exc.strerror or exc}") from None
    return decode_bytes(data, str(file), keep_controls=keep_controls)


def decode_bytes(data: bytes, name: str, *, keep_controls: bool = False) -> str:
    """Decode the bytes of a text file called `name` (used in error messages); see read_text."""
    if not data:
        raise InputError(f"{name}: the file is empty")
    text = _decode(data, name)
    refuse_nul(text, name)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0c", "\n")
    text = text.replace(_STRAY_BOM, "")
    if not keep_controls:
        text, _ = clean_text(text)
    if not text.strip():
        raise InputError(f"{name}: the file holds no text")
    return text


def refuse_nul(text: str, name: str) -> None:
    """EncodingError naming the line of the first NUL character: text never holds one, and a
    NUL is refused rather than dropped, as it most often means a binary or mis-decoded file."""
    offset = text.find("\x00")
    if offset >= 0:
        line = text.count("\n", 0, offset) + 1
        raise EncodingError(
            f"{name}:{line}: NUL character; this looks like a binary file, not text"
        )


def unicode_encoding(data: bytes) -> str | None:
    """The UTF-16/32 encoding of `data` (from its BOM, or BOM-less UTF-16), else None."""
    for bom, encoding in _BOMS:
        if data.startswith(bom) and encoding != "utf-8":
            return encoding
    return _bomless_utf16(data)


def _decode(data: bytes, name: str) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data[len(bom) :], encoding, name, offset_base=len(bom))
    utf16 = _bomless_utf16(data)
    if utf16:
        return _strict(data, utf16, name)
    if b"\x00" in data:
        nul_offset = data.index(0)
        line = data.count(b"\n", 0, nul_offset) + 1
        raise EncodingError(
            f"{name}:{line}: NUL byte at byte offset {nul_offset}; "
            "this looks like a binary file, not text"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        if _looks_like_utf8(data[: utf8_error.start]):
            # A long valid UTF-8 stretch before the bad byte means a damaged UTF-8 file; decoding
            # it as GB18030 would "succeed" and turn the whole text into mojibake.
            raise EncodingError(
                f"{name}: byte offset {utf8_error.start}: invalid UTF-8 byte "
                f"0x{data[utf8_error.start]:02x}"
            ) from None
        try:
            # GB18030 is a superset of GBK and GB2312, so one attempt covers all three.
            text = data.decode("gb18030")
        except UnicodeDecodeError as gb_error:
            # Report the failure of the encoding that got further: that is the one the file
            # was most likely written in, and its offset points at the damaged byte.
            worst = max(utf8_error, gb_error, key=lambda e: e.start)
            raise EncodingError(
                f"{name}: byte offset {worst.start}: cannot decode byte "
                f"0x{data[worst.start]:02x} (not UTF-8, UTF-16 or GB18030/GBK text)"
            ) from None
        return _big5_instead(data) or text


def _big5_instead(data: bytes) -> str | None:
    """The Big5 (cp950) reading of bytes that also decode as GB18030, when it is the real one.

    Big5 byte pairs all fall inside GBK's range, so Traditional Chinese in Big5 "decodes" as
    GB18030 into nonsense. Real GB text is mostly the 3,755 common characters of GB2312 level 1;
    real Big5 text mostly Big5's 5,401 common characters: whichever reading keeps more of its
    characters in its common block wins.
    """
    try:
        text = data.decode("cp950")
    except UnicodeDecodeError:
        return None
    gb_common = big5_common = pairs = 0
    index = 0
    while index < len(data) - 1:
        lead, trail = data[index], data[index + 1]
        if lead < 0x80:
            index += 1
            continue
        pairs += 1
        gb_common += 0xB0 <= lead <= 0xD7 and trail >= 0xA1
        big5_common += 0xA4 <= lead <= 0xC6
        index += 2
    return text if pairs and big5_common > gb_common else None


def _strict(data: bytes, encoding: str, name: str, offset_base: int = 0) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise EncodingError(
            f"{name}: byte offset {offset_base + exc.start}: invalid {encoding.upper()} data"
        ) from None


def _bomless_utf16(data: bytes) -> str | None:
    """Name the UTF-16 byte order of BOM-less data that holds NUL bytes, or None.

    UTF-8 and GB18030 text never holds NUL bytes, UTF-16 text of Latin or Chinese script nearly
    always does; the byte order whose decoding reads as ASCII, CJK and CJK punctuation wins.
    Valid UTF-8 with only a few NUL bytes is UTF-8 text holding stray NULs, not UTF-16: pairs of
    ASCII letters read as UTF-16 make "plausible" CJK characters, but UTF-16 text puts a NUL in
    every ASCII character (a newline at least), and Chinese in UTF-16 is almost never valid UTF-8.
    """
    if b"\x00" not in data or len(data) % 2:
        return None
    sample = data[:8192]
    if sample.count(0) * _UTF16_MIN_NUL_SHARE < len(sample) and _is_utf8(sample):
        return None
    best, best_share = None, 0.9
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        share = sum(1 for ch in text if _PLAUSIBLE_RE.match(ch)) / max(len(text), 1)
        if share > best_share:
            best, best_share = encoding, share
    return best


def _is_utf8(sample: bytes) -> bool:
    """True when `sample`, a prefix of a file, is valid UTF-8 (a character cut at its end too)."""
    try:
        codecs.utf_8_decode(sample, "strict", False)
    except UnicodeDecodeError:
        return False
    return True


def _looks_like_utf8(valid_prefix: bytes) -> bool:
    """True when a prefix that decodes as UTF-8 holds enough multi-byte characters to be UTF-8.

    GB18030 text forms valid UTF-8 multi-byte sequences only by accident, never for long.
    """
    multibyte_leads = sum(1 for byte in valid_prefix if byte >= 0xC2)
    return multibyte_leads >= 8

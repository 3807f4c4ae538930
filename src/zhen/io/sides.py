"""Which side of a bilingual file is Chinese, which English: headers and the script check."""

from __future__ import annotations

from pathlib import Path

from zhen.errors import FormatError
from zhen.io import tmx
from zhen.text.normalize import has_cjk
from zhen.text.safetext import clean_text
from zhen.text.tokens import has_latin

# Column headers that name a side, as TSV and CSV memories write them (compared lower-cased).
HEADER_NAMES = {
    "zh": "zh",
    "chinese": "zh",
    "source": "zh",
    "zh-cn": "zh",
    "en": "en",
    "english": "en",
    "target": "en",
    "en-us": "en",
}


def header_side(cell: str) -> tuple[str | None, str]:
    """(side, language code) a header cell names: ("zh", "zh-TW") for `zh-TW`, ("en", "") for
    `English`; (None, code) for another language's code, (None, "") for any other text."""
    name = cell.strip()
    if name.lower() in HEADER_NAMES:
        code = tmx.canonical_lang(name) if "-" in name else ""
        return HEADER_NAMES[name.lower()], code
    tag = name.replace("_", "-")
    if not has_cjk(name) and tmx.is_language_tag(tag):
        return tmx.lang_side(tag), tmx.canonical_lang(tag)
    return None, ""


class ScriptTally:
    """The script check of TSV, CSV, XLIFF and PO imports (TSV declares no languages, the others
    may declare none, or wrongly): in at least half of the units the Chinese side must hold a
    Chinese character and the English side a Latin letter, else the file is refused."""

    def __init__(self) -> None:
        self.units = self.han = self.latin = 0

    def add(self, zh: str, en: str) -> None:
        self.units += 1
        self.han += has_cjk(zh)
        self.latin += has_latin(en)

    def check(self, path: Path, what: str) -> None:
        """FormatError when the sides are not Chinese and English (see the class)."""
        for count, side, script in (
            (self.han, "Chinese", "Chinese characters"),
            (self.latin, "English", "Latin letters"),
        ):
            if 2 * count < self.units:
                raise FormatError(
                    f"{path}: the {side} side holds {script} in only {count} of {self.units} "
                    f"{what}; zhen reads Chinese–English files only"
                )


def _code(code: str) -> str:
    """A declared language code, canonical and without control characters."""
    return tmx.canonical_lang(clean_text(code, keep_newlines=False)[0])


def check_languages(path: Path, sources: list[str], targets: list[str]) -> tuple[str, str]:
    """The declared (source, target) pair, canonical; FormatError unless it is zh/en or en/zh.

    Undeclared languages ("") pass: the readers then tell the sides by their script.
    """
    declared: list[str] = []
    for role, codes in (("source", sources), ("target", targets)):
        named = sorted({_code(code) for code in codes if _code(code)})
        for code in named:
            if tmx.lang_side(code) is None:
                raise FormatError(
                    f"{path}: declares {role} language {code!r}; zhen reads Chinese–English "
                    "files only"
                )
        if len({tmx.lang_side(code) for code in named}) > 1:
            raise FormatError(f"{path}: declares several {role} languages ({', '.join(named)})")
        declared.append(named[0] if named else "")
    source, target = declared
    if source and target and tmx.lang_side(source) == tmx.lang_side(target):
        raise FormatError(
            f"{path}: declares {source} → {target}, one language on both sides; zhen reads "
            "Chinese–English files only"
        )
    return source, target

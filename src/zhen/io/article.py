"""A news article as text: page chrome removed, a mixed zh+en file split into its two halves."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from zhen.errors import InputError, NoEnglishError
from zhen.text.normalize import cjk_ratio


@dataclass(slots=True)
class Document:
    """The alignable content of one input: Chinese and English paragraphs, captions apart.

    Photo captions are not body text: they sit between body paragraphs on the Chinese page and
    after the article on the English page, so aligning them in place would cross the body. They
    are kept (credit removed) as separate lists that the pipeline aligns with each other.
    """

    name: str
    zh_paragraphs: list[str] = field(default_factory=list)
    en_paragraphs: list[str] = field(default_factory=list)
    zh_captions: list[str] = field(default_factory=list)
    en_captions: list[str] = field(default_factory=list)
    title: str | None = None
    # Publication time, ISO 8601 in UTC ("2025-04-16T00:30:00Z") as the store keeps dates;
    # None when the page gives none.
    date: str | None = None
    # Paragraphs left out: stray ones, written in the language of the other half.
    dropped: list[str] = field(default_factory=list)


_BREADCRUMB_RE = re.compile(r"^首页(?:\s*[>›»/]\s*[^\s>›»/]{1,12})+\s*")
_PUBLICATION_RE = re.compile(
    r"^(?:发布时间|时间|发布日期)\s*[:：]\s*"
    r"(?P<date>\d{4})[-/.年](?P<month>\d{1,2})[-/.月](?P<day>\d{1,2})日?"
    r"(?:\s+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?)?"
)
_PUBLICATION_FIELD_RE = re.compile(r"^\s*(来源|作者|责任编辑|编辑|稿源|字号|记者)\s*[:：]\s*")
# Where body text glued to the last publication field begins: the opening of a dateline.
_TEXT_OPENER_RE = re.compile(r"新华社|新华网|本报|中新社|中新网|人民网|央视网|据|【|〔|\(|（")
_EN_CHROME_RE = re.compile(
    r"^(?:Source|Editor|Web editor|Updated|Published|Author|Released)\s*:.*", re.IGNORECASE
)
_SITE_SUFFIX_RE = re.compile(r"\s*[-_|–—]\s*(?:新华网|新华社|人民网|Xinhuanet|Xinhua)(?=\s|$)")
# End-of-article marks: ■ on English and Chinese pages, (完) on Chinese wire copy, and the
# bracketed editor/correction links Xinhua pages put after the text.
_END_MARK_RE = re.compile(r"(?:\s*(?:[■□]+|[（(](?:完|End|END)[)）]|【[^【】]{0,20}】))+\s*$")
_EN_DATE_RE = re.compile(
    r"(?P<date>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})"
    r"(?:\s+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?)?"
)
_ZH_CREDIT_RE = re.compile(
    r"[\s(（]*(?:(?:新华社|新华网|本报|中新社)(?:特约)?(?:记者|通讯员|发)|记者|通讯员)"
    r"(?:\s*[\u4e00-\u9fff·]{2,5}){0,3}\s*摄?\s*[)）]?\s*$"
)
_EN_CREDIT_RE = re.compile(r"\s*\((?:Xinhua(?:/[^()]+)?|Photo(?: by)? [^()]+|[^()]+/Xinhua)\)\s*$")
_DATELINE_END_RE = re.compile(r"\d{1,2}日电$")
_FLATTENED_RE = re.compile(r"[。！？][”」』]? [\u3400-\u9fffA-Z]")
_CJK_CHAR_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_ZH_FINAL = "。！？”’」』）)》"
_OPENERS = "“‘「『《（(【〔"
_CLOSERS = "”’」』》）)】〕"
_BEIJING = timedelta(hours=8)


def split_document(text: str, name: str) -> Document:
    """Split a mixed file (a Chinese article followed by its English version) into a Document.

    Page chrome is removed, captions are set apart, and a paragraph in the wrong language for
    its half (a stray paragraph) is dropped. Raises NoEnglishError when there is no English half.
    """
    document = Document(name=name)
    paragraphs = _clean_paragraphs(text, document)
    zh_half, en_half, stray = split_halves([paragraph for paragraph, _ in paragraphs])
    document.dropped.extend(paragraphs[index][0] for index in stray)
    for indices, body, captions in (
        (zh_half, document.zh_paragraphs, document.zh_captions),
        (en_half, document.en_paragraphs, document.en_captions),
    ):
        for index in indices:
            paragraph, is_caption = paragraphs[index]
            (captions if is_caption else body).append(paragraph)
    require_both_halves(name, document.zh_paragraphs, document.en_paragraphs)
    return document


def split_halves(paragraphs: Sequence[str]) -> tuple[list[int], list[int], list[int]]:
    """Indices of the Chinese half, the English half and the stray paragraphs of a mixed text.

    The cut between the halves is the one that leaves fewest paragraphs in the wrong language
    (Chinese first wins a tie with English first); wrong-language paragraphs are stray. When no
    cut comes close — a fifth or more of the paragraphs would be stray — the text is a
    bilingual one whose languages alternate paragraph by paragraph, and every paragraph is kept
    on its language's side (numbers-only paragraphs are dropped as they belong to neither).
    """
    labels = [paragraph_language(paragraph) for paragraph in paragraphs]
    zh_first = _best_cut(labels, first="zh")
    en_first = _best_cut(labels, first="en")
    if min(zh_first[0], en_first[0]) > max(2, len(labels) // 5):
        zh_half = [i for i, label in enumerate(labels) if label == "zh"]
        en_half = [i for i, label in enumerate(labels) if label == "en"]
        return zh_half, en_half, [i for i, label in enumerate(labels) if label == "neutral"]
    chinese_first = zh_first[0] <= en_first[0]
    cut = zh_first[1] if chinese_first else en_first[1]
    first, second = range(cut), range(cut, len(labels))
    zh_range, en_range = (first, second) if chinese_first else (second, first)
    zh_half = [i for i in zh_range if labels[i] in ("zh", "neutral")]
    en_half = [i for i in en_range if labels[i] in ("en", "neutral")]
    stray = sorted(set(range(len(labels))) - set(zh_half) - set(en_half))
    return zh_half, en_half, stray


def require_both_halves(name: str, zh_texts: Sequence[str], en_texts: Sequence[str]) -> None:
    """Raise NoEnglishError (or InputError) unless a mixed file held both of its halves.

    An English version is some 2-4 times longer than its Chinese original in characters; an
    English remnant much shorter than the Chinese is a stray paragraph, not a translation.
    """
    zh_volume = sum(len(text) for text in zh_texts)
    en_volume = sum(len(text) for text in en_texts)
    if not en_texts or en_volume < 0.6 * zh_volume:
        raise NoEnglishError(
            f"{name}: no English text found (only Chinese); pass the English version as a "
            f"second file: zhen align {name} ENGLISH.txt -o OUT"
        )
    if not zh_texts:
        raise InputError(f"{name}: no Chinese text found")


def extract_language(text: str, name: str, lang: str) -> Document:
    """Read a one-language file (lang "zh" or "en"): chrome removed, other-language text dropped."""
    document = Document(name=name)
    body = document.zh_paragraphs if lang == "zh" else document.en_paragraphs
    captions = document.zh_captions if lang == "zh" else document.en_captions
    for paragraph, is_caption in _clean_paragraphs(text, document):
        if paragraph_language(paragraph) not in (lang, "neutral"):
            document.dropped.append(paragraph)
        else:
            (captions if is_caption else body).append(paragraph)
    if not body:
        language = "Chinese" if lang == "zh" else "English"
        raise InputError(f"{name}: no {language} text found")
    return document


def _best_cut(labels: list[str], first: str) -> tuple[int, int]:
    """(cost, cut): the cut that leaves fewest paragraphs in the wrong half, `first` half first."""
    second = "en" if first == "zh" else "zh"
    wrong_after = [0] * (len(labels) + 1)
    for index in range(len(labels) - 1, -1, -1):
        wrong_after[index] = wrong_after[index + 1] + (labels[index] == first)
    best = (len(labels) + 1, 0)
    wrong_before = 0
    for cut in range(len(labels) + 1):
        best = min(best, (wrong_before + wrong_after[cut], cut), key=lambda c: c[0])
        if cut < len(labels):
            wrong_before += labels[cut] == second
    return best


def paragraph_language(paragraph: str) -> str:
    """The language of a paragraph: "zh", "en" or "neutral" (numbers and punctuation only)."""
    ratio = cjk_ratio(paragraph)
    if ratio >= 0.2:
        return "zh"
    letters = sum(1 for ch in paragraph if ch.isascii() and ch.isalpha())
    if ratio < 0.05 and letters >= 0.4 * len(paragraph.replace(" ", "")):
        return "en"
    return "zh" if ratio > 0 else "neutral"


def _clean_paragraphs(text: str, document: Document) -> list[tuple[str, bool]]:
    """Non-empty paragraphs of the text with chrome removed, each with an is-caption flag.

    Sets document.title and document.date from the page head when present.
    """
    result: list[tuple[str, bool]] = []
    for raw_line in text.split("\n"):
        line = " ".join(raw_line.split())
        if not line:
            continue
        line = _BREADCRUMB_RE.sub("", line)
        if _PUBLICATION_RE.match(line):
            if document.title is None and result:
                document.title = result[-1][0]
            line = _strip_publication(line, document)
        if _EN_CHROME_RE.match(line) and " | " in line:
            # "Source: Xinhua | 2025-04-14 22:51:45 | Editor: huaxia" (Beijing time, too).
            date_match = _EN_DATE_RE.search(line)
            if date_match and document.date is None:
                document.date = _utc_date(date_match)
            line = ""
        title_match = _SITE_SUFFIX_RE.search(line)
        if title_match and _CJK_CHAR_RE.search(line[: title_match.start()]):
            # "<title>-新华网 <body>": a page title flattened into the text.
            title = line[: title_match.start()].strip()
            document.title = document.title or title
            result.append((title, False))
            line = line[title_match.end() :].strip()
        line = _END_MARK_RE.sub("", line)
        if not line:
            continue
        caption = _strip_caption_credit(line)
        if caption is not None:
            if caption:
                result.append((caption, True))
            continue
        result.extend((part, False) for part in _split_layout_spaces(line))
    return result


def _strip_publication(line: str, document: Document) -> str:
    """Remove a 发布时间 | 来源 | 作者 | 责任编辑 line; return any body text glued to its end."""
    match = _PUBLICATION_RE.match(line)
    assert match is not None
    if document.date is None:
        document.date = _utc_date(match)
    rest = line[match.end() :]
    while True:
        rest = rest.lstrip()
        if not rest.startswith(("|", "｜")):
            return rest
        rest = rest[1:]
        field_match = _PUBLICATION_FIELD_RE.match(rest)
        if field_match is None:
            return rest.strip()
        value = rest[field_match.end() :]
        separator = re.search(r"[|｜]", value)
        if separator:
            rest = value[separator.start() :]
            continue
        return _after_field_value(value)


def _after_field_value(value: str) -> str:
    """The body text glued after the last field's value (an editor's name, a source).

    The value ends where a dateline opens (新华社…电, 本报讯…), else at the first space, else
    it is taken to be a name of at most three characters, the common length of Chinese names.
    """
    opener = _TEXT_OPENER_RE.search(value)
    if opener and opener.start() <= 6:
        return value[opener.start() :].strip()
    space = value.find(" ")
    if 0 <= space <= 8:
        return value[space:].strip()
    return value[3:].strip() if len(value) > 6 else ""


def _utc_date(match: re.Match[str]) -> str | None:
    """An ISO 8601 UTC date from a matched publication time, given in Beijing time (UTC+8).

    A date without a time of day is kept as that date at 00:00 (no time zone shift).
    """
    try:
        local = datetime(
            int(match["date"]),
            int(match["month"]),
            int(match["day"]),
            int(match["hour"] or 0),
            int(match["minute"] or 0),
            int(match["second"] or 0),
        )
    except ValueError:
        return None
    if match["hour"] is None:
        return local.strftime("%Y-%m-%dT00:00:00Z")
    return (local - _BEIJING).strftime("%Y-%m-%dT%H:%M:%SZ")


def _strip_caption_credit(line: str) -> str | None:
    """The caption text of a photo caption paragraph (credit removed), or None for body text."""
    if _CJK_CHAR_RE.search(line):
        match = _ZH_CREDIT_RE.search(line)
        # A body sentence ends in 。; a caption ends in its credit ("新华社记者 李学仁 摄").
        if match and match.start() > 0 and ("摄" in match.group() or "发" in match.group()):
            return line[: match.start()].strip()
        if match and match.start() == 0 and line.rstrip().endswith("摄"):
            return ""
        return None
    match = _EN_CREDIT_RE.search(line)
    if match:
        return line[: match.start()].strip()
    return None


def _split_layout_spaces(line: str) -> list[str]:
    """Split a line at spaces that stand for paragraph breaks in flattened web text.

    Chinese does not put spaces between words, so a space after a Chinese sentence end, between
    two Chinese characters, or between a Chinese and an English sentence marks a lost line break;
    not inside brackets (记者倪四义 张崇防) and not after a dateline (新华社北京1月26日电 …).
    Only lines holding a Chinese sentence end followed by a space are flattened text; other
    spaced-out Chinese (chat, 已经 3 日没有回复) is left alone.
    """
    if not _FLATTENED_RE.search(line):
        return [line]
    parts: list[str] = []
    start = 0
    depth = 0
    for index, ch in enumerate(line):
        if ch in _OPENERS:
            depth += 1
        elif ch in _CLOSERS:
            depth = max(depth - 1, 0)
        elif ch == " " and depth == 0 and 0 < index < len(line) - 1:
            before, after = line[index - 1], line[index + 1]
            zh_before = bool(_CJK_CHAR_RE.match(before)) or before in _ZH_FINAL
            zh_after = bool(_CJK_CHAR_RE.match(after))
            break_here = (
                (zh_before and zh_after)
                or before in "。！？”」』"
                or (before in '.!?"”' and zh_after)
            )
            if break_here and not _DATELINE_END_RE.search(line[start:index]):
                parts.append(line[start:index].strip())
                start = index + 1
    parts.append(line[start:].strip())
    return [part for part in parts if part]

"""Person names jieba cuts wrongly, re-cut with the pair's English: pinyin spellings and ·-joined
transliterations become one name token each."""

from __future__ import annotations

import re
from functools import lru_cache

from pypinyin import Style, lazy_pinyin, pinyin
from rapidfuzz.fuzz import ratio

from zhen.aligner.lexicon import load_lexicon
from zhen.glossary.extract.tokens import EnToken, ZhToken, word_tag

# "Gu Tiancheng", "Zhang Shangwu", "Xi Jinping": a surname and a given name, each capitalised;
# the given name may be hyphenated ("Tian-cheng").
_EN_NAME_RE = re.compile(r"\b([A-Z][a-z]{0,5})\s+([A-Z][a-z]+(?:-[a-z]+)?)\b")
_EN_CAPITALISED_RE = re.compile(r"\b[A-Z][a-z]{2,}\b")
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
# The interpunct of transliterated names (安本·皮莱), in the forms Chinese text uses.
_INTERPUNCTS = "·•・‧"
_INTERPUNCT_RE = re.compile(rf"[\u4e00-\u9fff]+(?:[{_INTERPUNCTS}][\u4e00-\u9fff]+)+")
# A transliteration is matched to an English word at least this similar to its pinyin
# ("Pillay" ↔ 皮莱 pilai, "Saunders" ↔ 桑德斯 sangdesi); below it chance resemblances creep in.
MIN_TRANSLITERATION_SIMILARITY = 70.0
# A ·-joined name grows by a word jieba split off while it gets more like an English word and
# is at least this like it (奇|蓬达 qipengda ↔ "Chiponda"): the interpunct already says "name".
_MIN_GROWTH_SIMILARITY = 50.0


@lru_cache(maxsize=8192)
def _readings(char: str) -> frozenset[str]:
    """Every toneless pinyin reading of one character (曾 zeng, ceng; 单 dan, shan)."""
    return frozenset(pinyin(char, style=Style.NORMAL, heteronym=True)[0])


def _given_matches(text: str, given: str) -> int:
    """How many characters at the start of `text` spell the given name (0 when none)."""
    # Every reading that still spells a start of the name is followed (南 na, nan: "Nanshan"),
    # not the first a set yields, whose order changes with the interpreter's hash seed.
    spelled = {""}
    for length, char in enumerate(text[:2], start=1):
        if not _CJK_RE.match(char):
            return 0
        options = {start + reading for start in spelled for reading in _readings(char)}
        if given in options:
            return length
        spelled = {option for option in options if given.startswith(option)}
        if not spelled:
            return 0
    return 0


@lru_cache(maxsize=1024)
def pinyin_name_spans(text: str, en_text: str) -> tuple[tuple[int, int, int, int], ...]:
    """(start, end, English start, English end) of the Chinese names the English spells in
    pinyin: the surname character reads as the first word and the next one or two characters
    as the second (顾天成 ↔ "Gu Tiancheng"), so a name jieba glued to a neighbour or split is
    found whole."""
    found = []
    for match in _EN_NAME_RE.finditer(en_text):
        surname = match.group(1).lower()
        given = match.group(2).lower().replace("-", "")
        for start, char in enumerate(text):
            if not _CJK_RE.match(char) or surname not in _readings(char):
                continue
            length = _given_matches(text[start + 1 :], given)
            if length:
                found.append((start, start + 1 + length, match.start(), match.end()))
    return tuple(found)


def interpunct_spans(text: str, tokens: tuple[ZhToken, ...], en_text: str) -> list[tuple[int, int]]:
    """(start, end) of ·-joined transliterated names (安本·皮莱, 穆罕默德·本·萨勒曼): from the
    word before the first · to the word after the last, and on through the words jieba split
    off that still sound like a capitalised English word of the pair (萨|勒曼 ↔ "Salman")."""
    capitalised = [w.lower() for w in _EN_CAPITALISED_RE.findall(en_text)]
    found = []
    for match in _INTERPUNCT_RE.finditer(text):
        dots = [i for i in range(match.start(), match.end()) if text[i] in _INTERPUNCTS]
        head, tail = _token_at(tokens, dots[0] - 1), _token_at(tokens, dots[-1] + 1)
        if head is None or tail is None:
            continue
        start, end = max(head.start, match.start()), min(tail.end, match.end())
        # Grow each end a word at a time while the end part sounds more like an English word.
        index, best = tokens.index(tail) + 1, _sounds_like(text[tail.start : end], capitalised)
        while index < len(tokens) and tokens[index].end <= match.end():
            longer = _sounds_like(text[tail.start : tokens[index].end], capitalised)
            if longer < _MIN_GROWTH_SIMILARITY or longer <= best:
                break
            best, end, index = longer, tokens[index].end, index + 1
        index, best = tokens.index(head) - 1, _sounds_like(text[start : head.end], capitalised)
        while index >= 0 and tokens[index].start >= match.start():
            longer = _sounds_like(text[tokens[index].start : head.end], capitalised)
            if longer < _MIN_GROWTH_SIMILARITY or longer <= best:
                break
            best, start, index = longer, tokens[index].start, index - 1
        found.append((start, end))
    return found


def _sounds_like(word: str, english: list[str]) -> float:
    """How closely the pinyin of the whole word spells the closest English word (0–100)."""
    spelled = "".join(pinyin_syllables(word))
    return max((ratio(spelled, en) for en in english), default=0.0)


def _token_at(tokens: tuple[ZhToken, ...], position: int) -> ZhToken | None:
    return next((t for t in tokens if t.start <= position < t.end), None)


def recut_names(text: str, tokens: tuple[ZhToken, ...], en_text: str) -> tuple[ZhToken, ...]:
    """The tokens with every name the English spells in pinyin, and every ·-joined
    transliteration, made one person-name token; words it cuts keep their other parts."""
    pinyin_names = [(start, end) for start, end, _, _ in pinyin_name_spans(text, en_text)]
    spans = sorted(
        {
            *pinyin_names,
            *interpunct_spans(text, tokens, en_text),
            *split_transliterations(tokens, en_text),
        },
        key=lambda span: (span[0], -span[1]),
    )
    chosen: list[tuple[int, int]] = []
    for start, end in spans:
        if not chosen or start >= chosen[-1][1]:
            chosen.append((start, end))
    if not chosen:
        return tokens
    recut: list[ZhToken] = []
    names = iter(chosen)
    name = next(names, None)
    for token in tokens:
        while name is not None and name[1] <= token.start:
            name = next(names, None)
        if name is None or token.end <= name[0]:
            recut.append(token)
            continue
        if token.start < name[0]:
            recut.append(_piece(text, token.start, name[0]))
        if not recut or recut[-1].start != name[0]:
            recut.append(ZhToken(text[name[0] : name[1]], "nr", name[0], name[1]))
        if token.end > name[1]:
            recut.append(_piece(text, name[1], token.end))
    return tuple(recut)


def _transliteration_piece(token: ZhToken) -> bool:
    """A person-tagged word that may be a piece of a longer transliteration."""
    if not token.is_person or len(token.text) > 3:
        return False

    return len(token.text) == 1 or token.text not in load_lexicon()


def split_transliterations(tokens: tuple[ZhToken, ...], en_text: str) -> list[tuple[int, int]]:
    """(start, end) of runs of two or three adjacent person-name words jieba cut out of one
    transliteration (斯托克|达尔 ↔ "Stockdale", 凯鲁|阿米|努斯 ↔ "Kerouaminus"): the run sounds
    like a capitalised English word of the pair that none of its words alone sounds like."""
    words = {m.group().lower() for m in _EN_CAPITALISED_RE.finditer(en_text)}
    spans = []
    index = 0
    while index < len(tokens):
        found = None
        for size in (2, 3):
            run = tokens[index : index + size]
            # Pieces of a transliteration are short and no dictionary words (not 沙特|王储).
            if len(run) < size or not all(_transliteration_piece(t) for t in run):
                continue
            joined = "".join(t.text for t in run)
            for word in words:
                alone = any(transliteration_match(t.text, word) for t in run)
                if not alone and len(word) >= 4 and transliteration_match(joined, word):
                    found = (run[0].start, run[-1].end)
                    break
            if found:
                break
        if found:
            spans.append(found)
            index += size
        else:
            index += 1
    return spans


def _piece(text: str, start: int, end: int) -> ZhToken:
    """The part of a word a name cut off, tagged as jieba tags it as a word of its own."""
    word = text[start:end]
    return ZhToken(word, word_tag(word), start, end)


# Consonant classes of a sound skeleton: Chinese transliteration hears b/p, d/t, g/k, l/r and the
# sibilants as one sound each, and drops vowels and h.
_PINYIN_INITIALS = (
    ("zh", "S"), ("ch", "S"), ("sh", "S"), ("b", "P"), ("p", "P"), ("d", "T"), ("t", "T"),
    ("g", "K"), ("k", "K"), ("j", "K"), ("f", "F"), ("w", "W"), ("s", "S"), ("z", "S"),
    ("c", "S"), ("x", "S"), ("q", "S"), ("l", "L"), ("r", "L"), ("m", "M"), ("n", "N"),
)  # fmt: skip
_ENGLISH_SOUNDS = (
    ("sch", "S"), ("tch", "S"), ("ch", "S"), ("sh", "S"), ("ph", "F"), ("th", "T"), ("ck", "K"),
    ("gh", ""), ("qu", "KW"), ("x", "KS"), ("ng", "N"), ("ce", "S"), ("ci", "S"), ("cy", "S"),
    ("c", "K"), ("b", "P"), ("p", "P"), ("d", "T"), ("t", "T"), ("g", "K"), ("k", "K"),
    ("q", "K"), ("f", "F"), ("v", "W"), ("w", "W"), ("s", "S"), ("z", "S"), ("j", "S"),
    ("l", "L"), ("r", "L"), ("m", "M"), ("n", "N"),
)  # fmt: skip
# A skeleton of three or more sounds matches at this similarity (肖尔茨 SLS ↔ "Scholz" SLS,
# 巴克利 PKL ↔ "Buckley"); on 96 known name pairs crossed with each other, 0.7% matched wrongly.
_MIN_SKELETON_SIMILARITY = 80.0
_REPEAT_RE = re.compile(r"(.)\1")


def _pinyin_skeleton(syllables: tuple[str, ...]) -> str:
    """The consonant skeleton of pinyin syllables: initials, and n for a nasal final; 尔 er
    is an r (斯托克达尔 → STKTL)."""
    sounds = []
    for syllable in syllables:
        if syllable == "er":
            sounds.append("L")
            continue
        sounds.append(next((c for i, c in _PINYIN_INITIALS if syllable.startswith(i)), ""))
        if syllable.endswith("n") or syllable.endswith("ng"):
            sounds.append("N")
    return _REPEAT_RE.sub(r"\1", "".join(sounds))


@lru_cache(maxsize=65536)
def english_skeleton(word: str) -> str:
    """The consonant skeleton of an English name as Chinese transliteration hears it: doubled
    letters and a final silent e dropped, an r after a vowel silent ("Carter" 卡特)."""
    word = _REPEAT_RE.sub(r"\1", word.lower())
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    word = re.sub(r"(?<=[aeiou])r(?=[^aeiouy]|$)", "", word)
    sounds, index = [], 0
    while index < len(word):
        for letters, sound in _ENGLISH_SOUNDS:
            if word.startswith(letters, index):
                sounds.append(sound)
                index += len(letters)
                break
        else:
            index += 1
    return _REPEAT_RE.sub(r"\1", "".join(sounds))


def _sounds_alike(syllables: tuple[str, ...], en: str) -> bool:
    """Pinyin syllables and an English word with the same consonant skeleton, near enough."""
    mine, theirs = _pinyin_skeleton(syllables), english_skeleton(en)
    if min(len(mine), len(theirs)) <= 2:
        return len(mine) == 2 and mine == theirs
    return ratio(mine, theirs) >= _MIN_SKELETON_SIMILARITY


def transliteration_match(word: str, en: str, *, by_skeleton: bool = True) -> bool:
    """True when a capitalised English word sounds like consecutive syllables of a
    transliterated name: by spelling (皮莱 ↔ "Pillay", 桑德斯 ↔ "Saunders") or, with
    `by_skeleton`, by consonant skeleton (肖尔茨 ↔ "Scholz", 斯托克达尔 ↔ "Stockdale"). The
    skeleton is coarse (拜登 and "Putin" share one): use it for names the dictionary lacks."""
    syllables = pinyin_syllables(word)
    if len(en) < 3:
        return False
    for start in range(len(syllables)):
        joined = ""
        for end in range(start, len(syllables)):
            joined += syllables[end]
            if ratio(joined, en) >= MIN_TRANSLITERATION_SIMILARITY:
                return True
            if by_skeleton and _sounds_alike(syllables[start : end + 1], en):
                return True
            if len(joined) > len(en) + 3:
                break
    return False


@lru_cache(maxsize=65536)
def pinyin_syllables(word: str) -> tuple[str, ...]:
    """The word's toneless pinyin syllables in context, lower case, letters only (习近平 →
    xi, jin, ping); characters that are not Chinese are left out."""
    return tuple(s.lower() for s in lazy_pinyin(word) if s.isalpha())


def claim_name_words(
    text: str,
    zh: tuple[ZhToken, ...],
    en: tuple[EnToken, ...],
    en_text: str,
    links: list[int | None],
) -> dict[int, int]:
    """Link the English words of each pinyin-spelled name to that name's token, whatever
    else they partly spell (上午 in 今天上午 reads "shangwu" too, and sits nearer "Shangwu"
    than 张尚武 does). Returns {English word index: name token index} for those relinked."""
    relinked = {}
    for start, end, en_start, en_end in pinyin_name_spans(text, en_text):
        index = next((i for i, t in enumerate(zh) if (t.start, t.end) == (start, end)), None)
        if index is None:
            continue
        for position, token in enumerate(en):
            if en_start <= token.start and token.end <= en_end:
                links[position] = relinked[position] = index
    return relinked

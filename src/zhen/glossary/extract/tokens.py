"""Tokens for term extraction: jieba-segmented Chinese with tags, English words with offsets."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from zhen.aligner.lexicon import load_lexicon
from zhen.text.normalize import fold_width, to_simplified
from zhen.text.tokens import Word, words

# Function words that never start or end a term (a term may hold them inside: 以邻为伴).
ZH_EDGE_STOPWORDS = frozenset(
    [
        "的",
        "地",
        "得",
        "了",
        "着",
        "过",
        "和",
        "与",
        "及",
        "或",
        "并",
        "而",
        "且",
        "在",
        "是",
        "为",
        "将",
        "要",
        "会",
        "能",
        "对",
        "把",
        "被",
        "让",
        "给",
        "向",
        "从",
        "于",
        "以",
        "由",
        "同",
        "跟",
        "就",
        "又",
        "还",
        "已",
        "也",
        "都",
        "很",
        "更加",
        "更",
        "再",
        "其",
        "之",
        "所",
        "这",
        "那",
        "此",
        "该",
        "各",
        "每",
        "我",
        "你",
        "他",
        "她",
        "它",
        "们",
        "我们",
        "他们",
        "双方",
        "方",
        "等",
        "去",
        "到",
        "说",
        "表示",
        "指出",
        "强调",
        "认为",
        "一是",
        "二是",
        "三是",
        "四是",
        "五是",
        "六是",
        "个",
        "一些",
        "不",
        "没有",
        "如何",
        "什么",
        "进行",
        "开展",
        "继续",
        "愿",
        "愿意",
        "同意",
        "希望",
        "今年",
    ]
)
# jieba's person, place and organisation tags (its catch-all "nz" tags too many common words).
_NAME_TAGS = frozenset({"nr", "nrfg", "nrt", "ns", "nt"})
# Postpositions end no term (在…中, 会谈后) but may start one (中越, 中方, 上合组织).
ZH_END_STOPWORDS = ZH_EDGE_STOPWORDS | frozenset(
    ["上", "下", "里", "中", "内", "外", "前", "后", "时", "来"]
)
# Opening and closing marks of quoted terms and titles in Chinese text.
ZH_QUOTES = {"“": "”", "《": "》", "「": "」", "『": "』", "‘": "’"}


@dataclass(frozen=True, slots=True)
class ZhToken:
    """A jieba word: its text, part-of-speech flag and character span."""

    text: str
    flag: str
    start: int
    end: int

    def __reduce__(self) -> tuple[type[ZhToken], tuple[str, str, int, int]]:
        # Pickled by its fields in order: a chunk's tokens are read back far faster than
        # through the dataclass's generic state.
        return ZhToken, (self.text, self.flag, self.start, self.end)

    @property
    def is_punct(self) -> bool:
        """True for punctuation and spaces (jieba's `x` flag or no letters at all)."""
        return self.flag == "x" or not _has_alnum(self.text)

    @property
    def is_person(self) -> bool:
        """True when jieba tags the word as a person's name."""
        return self.flag in ("nr", "nrfg", "nrt")

    @property
    def is_name(self) -> bool:
        """True when jieba tags the word as a person, place, organisation or other proper name."""
        return self.flag in _NAME_TAGS


@lru_cache(maxsize=65536)
def _has_alnum(text: str) -> bool:
    # Asked of every token again and again (each span, each window): once per distinct word.
    return any(ch.isalnum() for ch in text)


# An English word with its character span: the one tokenizer's word (zhen.text.tokens).
EnToken = Word


@lru_cache(maxsize=1)
def _posseg() -> Any:
    import jieba
    import jieba.posseg

    from zhen.glossary.extract.viterbi import viterbi

    # A cache jieba fails to write only costs it time on the next start: not worth a traceback.
    jieba.setLogLevel(logging.CRITICAL)
    jieba.initialize()
    # jieba's tagger decodes words it does not know with this name's function; ours gives the
    # same path and score some six times faster (tests/test_glossary_extract_viterbi.py).
    jieba.posseg.viterbi = viterbi
    return jieba.posseg


def word_counts() -> tuple[dict[str, int], int]:
    """jieba's dictionary word counts (from its general-language corpus) and their total."""
    dictionary = _posseg().dt
    return dictionary.FREQ, dictionary.total


def prepare_zh(text: str) -> str:
    """Chinese as extraction sees it: Simplified, full-width Latin and digits folded."""
    return to_simplified(fold_width(text))


def _is_known_word(word: str) -> bool:
    return bool(_posseg().dt.word_tag_tab.get(word)) or word in _lexicon()


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, tuple[str, ...]]:
    return load_lexicon()


# Words that join two nouns; jieba tags 与 and 同 as prepositions as often as conjunctions.
_CONJUNCTIONS = frozenset(["和", "与", "及", "以及", "同", "并", "或", "、"])


def is_conjunction(token: ZhToken) -> bool:
    """True for a word that joins two parts of a phrase (和, 与, 及, 、, or jieba's `c` tag)."""
    return token.flag == "c" or token.text in _CONJUNCTIONS


def word_tag(word: str) -> str:
    """jieba's part-of-speech tag of a word on its own (a noun when jieba does not know it)."""
    if not any(ch.isalnum() for ch in word):
        return "x"
    tag: str = _posseg().dt.word_tag_tab.get(word, "n")
    return tag


def _split_stray(word: str, flag: str) -> list[tuple[str, str]]:
    """A word jieba's HMM guessed (in neither jieba's nor CC-CEDICT's dictionary) that starts or
    ends with a function character is a mis-segmentation: 特别|是澜|湄合作 glues 是 to the first
    character of 澜湄合作. Cut the function character off so the term's edge is a word edge."""
    if len(word) < 2 or flag in _NAME_TAGS or word.isascii() or _is_known_word(word):
        return [(word, flag)]
    tags = _posseg().dt.word_tag_tab
    if word[0] in ZH_EDGE_STOPWORDS:
        rest = word[1:]
        return [(word[0], tags.get(word[0], "x")), (rest, tags.get(rest, flag))]
    if word[-1] in ZH_END_STOPWORDS:
        rest = word[:-1]
        return [(rest, tags.get(rest, flag)), (word[-1], tags.get(word[-1], "x"))]
    return [(word, flag)]


@lru_cache(maxsize=4096)
def zh_tokens(text: str) -> tuple[ZhToken, ...]:
    """jieba words of (prepared) Chinese text with their flags and spans (mis-segmented
    function characters split off, see _split_stray)."""
    tokens = []
    position = 0
    for pair in _posseg().lcut(text, HMM=True):
        for word, flag in _split_stray(pair.word, pair.flag):
            start = text.find(word, position)
            if start < 0:  # jieba never rewrites text, but stay safe
                start = position
            tokens.append(ZhToken(word, flag, start, start + len(word)))
            position = start + len(word)
    return tuple(tokens)


def en_tokens(text: str) -> tuple[EnToken, ...]:
    """Words of an English sentence (hyphenated parts are separate words) with spans; a dotted
    abbreviation ("U.S.") is one word, so its letters can translate 美国 together."""
    return tuple(words(text, abbreviations=True))

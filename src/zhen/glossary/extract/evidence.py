"""Translation evidence between a Chinese word and an English word: dictionary, pinyin, numbers,
and co-occurrence statistics (Dice, log-likelihood) gathered over all the pairs."""

from __future__ import annotations

import math
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from functools import lru_cache

from zhen.aligner import lexicon as aligner_lexicon
from zhen.glossary.extract.names import pinyin_syllables, transliteration_match
from zhen.glossary.extract.tokens import EnToken, ZhToken
from zhen.store.scratch import PairCountReader
from zhen.text.stem import lexicon_key

# One-character abbreviations of country names, as in 中越 (China-Vietnam) or 澜湄 (Lancang-
# Mekong): CC-CEDICT lists them among many senses and the lexicon keeps only the first glosses.
_ABBREVIATION_WORDS = {
    "中": ("China",),
    "华": ("China",),
    "越": ("Vietnam",),
    "美": ("America", "US", "United", "States"),
    "俄": ("Russia",),
    "日": ("Japan",),
    "韩": ("Korea",),
    "朝": ("Korea", "DPRK"),
    "英": ("Britain", "UK"),
    "法": ("France",),
    "德": ("Germany",),
    "印": ("India",),
    "巴": ("Pakistan", "Brazil"),
    "澳": ("Australia", "Macao", "Macau"),
    "港": ("Hong", "Kong"),
    "台": ("Taiwan",),
    "老": ("Laos",),
    "柬": ("Cambodia",),
    "缅": ("Myanmar",),
    "泰": ("Thailand",),
    "欧": ("Europe", "EU"),
    "非": ("Africa",),
    "亚": ("Asia",),
    "澜": ("Lancang",),
    "湄": ("Mekong",),
}
# Chinese morphemes that English renders as a suffix: 多边主义 "multilateralism".
_SUFFIXES = {"主义": ("ism", "ist"), "化": ("iz", "is"), "性": ("ity", "ness", "ive")}
DICTIONARY = 1.0
PINYIN = 0.9
SUBWORD = 1.0  # a dictionary part is as good evidence as a dictionary word
MIN_COOCCURRENCE = 2  # pairs a word pair must share before its statistics count
MIN_DICE = 0.5
MIN_DICE_KNOWN = 0.7
# Word judgements cached at most: some 100 bytes each, and a TM's pairs ask for ever new ones.
_MEMO_LIMIT = 300_000
_NO_EVIDENCE = (0.0, "")


def load_lexicon() -> dict[str, tuple[str, ...]]:
    """The aligner's CC-CEDICT lexicon: Simplified word → English stems of its glosses."""
    return aligner_lexicon.load_lexicon()


def zh_words(text: str, lexicon: dict[str, tuple[str, ...]]) -> list[str]:
    """Dictionary words of Chinese text by forward maximum matching."""
    return aligner_lexicon.zh_words(text, lexicon)


# Words CC-CEDICT's glosses of people use to describe them — offices, roles, nationalities —
# which, capitalised beside the name in English ("President Biden"), translate a title, not it.
_PERSON_DESCRIPTIONS = frozenset(
    """
    president vice general secretary premier prime minister chairman chairwoman leader
    politician emperor king queen prince princess founder businessman magnate writer poet
    author actor actress singer painter scientist philosopher general marshal prc ccp cpc
    chinese american russian british french german japanese korean
    """.split()  # noqa: SIM905 (a word list reads best as prose)
)


@lru_cache(maxsize=1)
def _abbreviations() -> dict[str, tuple[str, ...]]:
    """The country abbreviations as the lexicon keys their names have."""
    return {
        char: tuple(dict.fromkeys(lexicon_key(name) for name in names))
        for char, names in _ABBREVIATION_WORDS.items()
    }


def is_content(token: EnToken) -> bool:
    """An English word that can carry translation evidence (stopwords cannot)."""
    return _content_text(token.text)


@lru_cache(maxsize=131072)
def _content_text(text: str) -> bool:
    # Asked for every word of every window: one lookup per distinct word instead.
    lower = text.lower().replace("’", "'")  # EnToken.lower
    return lower not in aligner_lexicon.EN_STOPWORDS or (text.isupper() and len(text) > 1)


@lru_cache(maxsize=65536)
def subwords(word: str) -> tuple[str, ...]:
    """Dictionary words inside a Chinese word (forward maximum matching over CC-CEDICT);
    the word itself when it is in the dictionary."""
    lexicon = load_lexicon()
    if word in lexicon:
        return (word,)
    return tuple(zh_words(word, lexicon))


@lru_cache(maxsize=65536)
def _stems_of(word: str) -> tuple[frozenset[str], frozenset[str]]:
    """(stems of the whole word, stems of its dictionary sub-words and abbreviations)."""
    lexicon = load_lexicon()
    whole = set(lexicon.get(word, ()))
    parts: set[str] = set()
    if len(word) > 1:
        for sub in zh_words(word, lexicon):
            if sub != word:
                parts.update(lexicon.get(sub, ()))
            # A country abbreviation is a character of a short word (中越, 中方, 澜湄) or one
            # standing alone, never one inside a longer dictionary word (越共中央's 中央).
            parts.update(_abbreviations().get(sub, ()))
        if len(word) == 2:
            for char in word:
                parts.update(_abbreviations().get(char, ()))
    elif word in _abbreviations():
        whole.update(_abbreviations()[word])
    return frozenset(whole), frozenset(parts - whole)


@lru_cache(maxsize=131072)
def _english_facts(text: str) -> tuple[bool, str, bool, str, str]:
    """What a judgement reads of an English word, worked out once per word: whether it is a
    content word, its lower case, whether capitalised, and its lexicon keys with and without
    demonyms read as their country."""
    word = EnToken(text, 0, len(text))
    keys = lexicon_key(text, demonyms=True), lexicon_key(text)
    return _content_text(text), word.lower, word.capitalized, *keys


def _stem_match(en: str, stems: frozenset[str]) -> bool:
    if en in stems:
        return True
    # "high" ~ "higher", "modern" ~ "modernization": a shared prefix of 4+ letters is enough.
    # Two such words share their first four letters, so most words are ruled out by one lookup.
    return (
        len(en) >= 4
        and en[:4] in _openings(stems)
        and any(len(s) >= 4 and (en.startswith(s) or s.startswith(en)) for s in stems)
    )


@lru_cache(maxsize=65536)
def _openings(stems: frozenset[str]) -> frozenset[str]:
    """The first four letters of the stems of four letters or more."""
    return frozenset(s[:4] for s in stems if len(s) >= 4)


def pinyin_match(word: str, en: str) -> bool:
    """True when the English word spells consecutive pinyin syllables of the Chinese word
    (习近平 ↔ "Xi", "Jinping"). Names that are not pinyin (苏林 ↔ "To Lam") simply do not match;
    co-occurrence carries them instead."""
    return en in _syllable_runs(word) and en.isalpha()


@lru_cache(maxsize=65536)
def _syllable_runs(word: str) -> frozenset[str]:
    """Every run of consecutive pinyin syllables of the word, joined (习近平: xi, xijin, …)."""
    syllables = pinyin_syllables(word)
    return frozenset(
        "".join(syllables[start:end])
        for start in range(len(syllables))
        for end in range(start + 1, len(syllables) + 1)
    )


def _word_sets(zh: Sequence[ZhToken], en: Sequence[EnToken]) -> tuple[set[str], set[str]]:
    """The Chinese words and English stems of a pair, as they are counted."""
    # Interned: the joint counts' keys then share one string per word, not one per pair.
    zh_set = {sys.intern(t.text) for t in zh if not t.is_punct}
    en_set = {sys.intern(lexicon_key(t.text, demonyms=True)) for t in en if is_content(t)}
    return zh_set, en_set


class Evidence:
    """Word-level translation evidence, with co-occurrence counts over a set of pairs."""

    def __init__(self) -> None:
        self.pairs = 0
        self.zh_count: Counter[str] = Counter()
        self.en_count: Counter[str] = Counter()
        self.joint: Counter[tuple[str, str]] = Counter()
        # The corpus's joint counts, summed on disk, once read_joint_from has been called.
        self._settled_joint: PairCountReader | None = None
        # Acronyms spelled out somewhere in the pairs ("Communist Party of China (CPC)"): the
        # acronym alone elsewhere ("on behalf of the CPC") translates what its expansion does.
        self.acronyms: dict[str, tuple[EnToken, ...]] = {}
        # Word pairs recur across a document's pairs and windows: each is judged once. Per
        # Chinese word (text, tag), its judgements by English word; _judged counts them all.
        self._memo: dict[tuple[str, str], dict[str, tuple[float, str]]] = {}
        self._judged = 0

    def add_acronym(self, acronym: str, expansion: Sequence[EnToken]) -> None:
        """Remember the content words of an acronym's expansion (the first one seen wins)."""
        words = tuple(t for t in expansion if is_content(t))
        if words:
            self.acronyms.setdefault(acronym, words)
            self.forget_judgements()

    def add_pair(self, zh: Sequence[ZhToken], en: Sequence[EnToken]) -> None:
        """Count which Chinese words and English stems occur together in one pair, every word
        pair in memory: the plain definition that a streamed run, counting in two passes
        (count_words, then joint_candidates) and keeping only what a judgement may read, must
        judge alike (tests/test_glossary_extract_fastpaths.py)."""
        zh_set, en_set = self.count_words(zh, en)
        self.joint.update((z, e) for z in zh_set for e in en_set)

    def count_words(
        self, zh: Sequence[ZhToken], en: Sequence[EnToken]
    ) -> tuple[set[str], set[str]]:
        """Count the Chinese words and English stems of one pair, not which occur together
        (joint_candidates, once every pair is counted); return them."""
        self.pairs += 1
        self.forget_judgements()
        zh_set, en_set = _word_sets(zh, en)
        self.zh_count.update(zh_set)
        self.en_count.update(en_set)
        return zh_set, en_set

    def joint_candidates(
        self, zh: Sequence[ZhToken], en: Sequence[EnToken]
    ) -> Iterator[tuple[str, str]]:
        """The (Chinese word, English stem) pairs of one pair whose co-occurrence a judgement
        may read (_judge): both words seen in MIN_COOCCURRENCE pairs or more, and counts close
        enough that their Dice could reach the lower threshold, since the pairs holding both
        are at most those holding the rarer one. Asked once every pair is counted."""
        lowest = min(MIN_DICE, MIN_DICE_KNOWN)
        zh_set, en_set = _word_sets(zh, en)
        seen = [(word, n) for word in zh_set if (n := self.zh_count[word]) >= MIN_COOCCURRENCE]
        stems = [(stem, n) for stem in en_set if (n := self.en_count[stem]) >= MIN_COOCCURRENCE]
        for word, zh_total in seen:
            for stem, en_total in stems:
                if 2 * min(zh_total, en_total) / (zh_total + en_total) >= lowest:
                    yield word, stem

    def merge(self, other: Evidence) -> None:
        """Add the counts of pairs that come after this one's (a later chunk of the corpus)."""
        self.pairs += other.pairs
        self.zh_count.update(other.zh_count)
        self.en_count.update(other.en_count)
        self.joint.update(other.joint)
        for acronym, words in other.acronyms.items():
            self.acronyms.setdefault(acronym, words)
        self.forget_judgements()

    def read_joint_from(self, counts: PairCountReader) -> None:
        """Read the joint counts from `counts` from now on (the corpus's, summed on disk, of at
        least MIN_COOCCURRENCE: no judgement reads a lower one), dropping those held here."""
        self.joint = Counter()
        self._settled_joint = counts
        self.forget_judgements()

    def _joint(self, zh: str, en_stem_: str) -> int:
        counts = self.joint if self._settled_joint is None else self._settled_joint
        return counts.get((zh, en_stem_), 0)

    def forget_judgements(self) -> None:
        """Empty the cache of word judgements (they are recomputed alike when asked again)."""
        self._memo.clear()
        self._judged = 0

    def dice(self, zh: str, en_stem_: str) -> float:
        """Dice coefficient of a Chinese word and an English stem over the pairs (0 if rare)."""
        joint = self._joint(zh, en_stem_)
        if joint < MIN_COOCCURRENCE:
            return 0.0
        return 2 * joint / (self.zh_count[zh] + self.en_count[en_stem_])

    def weight(self, zh: ZhToken, en: EnToken) -> float:
        """How strongly the words translate each other: 0 (no evidence) to 1."""
        return self.evidence(zh, en)[0]

    def whole_word(self, zh: ZhToken, en: EnToken) -> bool:
        """True when the English word translates the Chinese word as a whole (dictionary entry,
        pinyin, same digits, co-occurrence), not just one dictionary part of it."""
        return self.evidence(zh, en)[1] in ("dictionary", "pinyin", "cooccurrence")

    def weights(self, zh: ZhToken, en: Sequence[EnToken]) -> list[float]:
        """weight(zh, token) for each token of `en`: a sentence's row of the word judgements."""
        return [weight for weight, _ in self.judgements(zh, en)]

    def judgements(self, zh: ZhToken, en: Sequence[EnToken]) -> list[tuple[float, str]]:
        """evidence(zh, token) for each token of `en`."""
        judged = self._memo.get((zh.text, zh.flag), {})
        row = []
        for token in en:
            text = token.text
            found = judged.get(text)
            if found is None:
                # A stopword is evidence of nothing: no need to judge or remember it.
                found = self.evidence(zh, token) if _content_text(text) else _NO_EVIDENCE
            row.append(found)
        return row

    def evidence(self, zh: ZhToken, en: EnToken) -> tuple[float, str]:
        """(weight, kind of evidence) for a Chinese and an English word."""
        key = (zh.text, zh.flag)
        judged = self._memo.get(key)
        if judged is None:
            judged = self._memo[key] = {}
        found = judged.get(en.text)
        if found is None:
            found = self._judge(zh, en)
            if self._judged >= _MEMO_LIMIT:
                # A cache: whatever is dropped is judged alike again.
                self.forget_judgements()
                judged = self._memo[key] = {}
            judged[en.text] = found
            self._judged += 1
        return found

    def _judge(self, zh: ZhToken, en: EnToken) -> tuple[float, str]:
        content, lower, capitalized, en_stem_, en_key = _english_facts(en.text)
        if not content:
            return 0.0, ""
        word = zh.text
        expansion = self.acronyms.get(en.text)
        if expansion is not None and not word.isascii():
            # The Chinese must translate every word of the expansion (中国共产党 ↔ CPC), not
            # some of them (中国 ↔ "China"; 越共中央 shares "Communist Party" with CPC).
            hits = sum(1 for token in expansion if self.evidence(zh, token)[0] > 0)
            if hits == len(expansion) >= 2:
                return DICTIONARY, "dictionary"
            return 0.0, ""
        if word.isascii():
            # Numbers and Latin letters translate only to themselves.
            return (DICTIONARY, "dictionary") if word.lower() == lower else (0.0, "")
        if zh.is_person and (not capitalized or lower in _PERSON_DESCRIPTIONS):
            # Dictionary glosses of names describe the person ("General Secretary of the CCP",
            # "PRC president"); only capitalised words that are not such descriptions can
            # render the name itself (习近平 ↔ "Xi Jinping", not "General Secretary").
            return 0.0, ""
        whole, parts = _stems_of(word)
        # The text's demonym reads as its country (CC-CEDICT glosses 国家主席 with "China") and
        # as itself (中国式 is glossed "Chinese-style"); the glosses keep demonyms apart.
        # The two keys differ only for a demonym: one test does for every other word.
        other_key = en_key != en_stem_
        if _stem_match(en_stem_, whole) or (other_key and _stem_match(en_key, whole)):
            return DICTIONARY, "dictionary"
        if (zh.is_name or not whole) and pinyin_match(word, lower):
            return PINYIN, "pinyin"
        # A capitalised word spelling all of a dictionary word's pinyin renders it by sound
        # (微博 "microblog" ↔ "Weibo"); a part would not do ("Xi" is not 主席 zhuxi).
        if capitalized and "".join(pinyin_syllables(word)) == lower:
            return PINYIN, "pinyin"
        if (
            zh.is_person
            and capitalized
            and transliteration_match(word, lower, by_skeleton=not whole)
        ):
            return PINYIN, "pinyin"
        if _stem_match(en_stem_, parts) or (other_key and _stem_match(en_key, parts)):
            return SUBWORD, "subword"
        suffixes = _SUFFIXES.get(word)
        if suffixes and any(s in lower[-6:] for s in suffixes):
            return SUBWORD, "subword"
        # Co-occurrence speaks only for words the dictionary cannot (names such as 苏林 ↔ "Lam",
        # new coinages): on a few hundred pairs chance co-occurrences of common words abound.
        # A dictionary word's other renderings (人文 "humanities" → "people-to-people") need
        # stronger agreement than a word the dictionary lacks.
        threshold = MIN_DICE_KNOWN if whole else MIN_DICE
        # The pairs holding both words are at most those holding the rarer one: when even that
        # many would fall short, the joint count (a lookup on disk) need not be read.
        zh_total, en_total = self.zh_count[word], self.en_count[en_stem_]
        fewer = min(zh_total, en_total)
        if fewer < MIN_COOCCURRENCE or 2 * fewer / (zh_total + en_total) < threshold:
            return 0.0, ""
        joint = self._joint(word, en_stem_)
        if (whole or parts) and joint < 3:
            return 0.0, ""
        dice = self.dice(word, en_stem_)
        return (0.8 * dice, "cooccurrence") if dice >= threshold else (0.0, "")


def log_likelihood(joint: int, zh_total: int, en_total: int, pairs: int) -> float:
    """Dunning's log-likelihood ratio (G²) of a zh and an en unit co-occurring in `pairs` pairs."""
    cells = (
        joint,
        zh_total - joint,
        en_total - joint,
        pairs - zh_total - en_total + joint,
    )
    if min(cells) < 0 or pairs == 0:
        return 0.0
    rows = (zh_total, pairs - zh_total)
    cols = (en_total, pairs - en_total)
    total = 0.0
    for index, observed in enumerate(cells):
        expected = rows[index // 2] * cols[index % 2] / pairs
        if observed > 0 and expected > 0:
            total += observed * math.log(observed / expected)
    return 2 * total

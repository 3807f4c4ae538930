"""Surface shape of a candidate: ragged English edges, clause words, how specialised its words."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from zhen.glossary.extract.tokens import ZhToken, word_counts
from zhen.text.tokens import word_texts

# Words a term's English does not start or end with: prepositions, conjunctions, sentence
# adverbs and determiners. Windows that do ("via strict", "studies so far") are cut from a clause.
_EDGE_WORDS = frozenset(
    """
    about above across after against ago far along although among around as at because before behind
    below besides between beyond but by despite during except for from however if in including
    inside into like near nor of off on onto or over per since so still than that thus therefore
    though through throughout till to toward towards under unless until upon via when where
    whereas whether which while who whom whose with within without yet the a an this these those
    its their his her our your my such other another each every any some all both either neither
    more most less least very also even just only not no then there here it they we he she you i
    """.split()  # noqa: SIM905 (a word list reads best as prose)
)
# Finite and auxiliary verbs: an English window holding one is a clause, not a term.
AUXILIARIES = frozenset(
    """
    is are was were be been being am has have had do does did can could will would may might
    shall should must
    """.split()  # noqa: SIM905 (a word list reads best as prose)
)


def en_words(text: str) -> list[str]:
    """Lower-case words of an English span."""
    return [w.lower().replace("’", "'") for w in word_texts(text, numbers=False)]


def en_ragged(text: str) -> bool:
    """True when the English starts or ends with a function word or an -ly adverb
    ("potentially infected", "Since the virus", "masks but not surgical masks")."""
    words = en_words(text)
    if not words:
        return True
    first, last = words[0], words[-1]
    edge = first in _EDGE_WORDS or last in _EDGE_WORDS
    adverb = (first.endswith("ly") and len(first) > 4) or (last.endswith("ly") and len(last) > 4)
    return edge or adverb or any(w in ("but", "not") for w in words)


def en_participle(text: str) -> bool:
    """True when the English opens or ends with a lower-case -ed or -ing word: a verb phrase
    ("hopes of interrupting", "detected in both") more often than a term."""
    words = word_texts(text, numbers=False)
    return any(
        w[:1].islower() and len(w) > 4 and w.endswith(("ed", "ing")) for w in words[:1] + words[-1:]
    )


def en_clause(text: str) -> bool:
    """True when the English holds a finite or auxiliary verb ("patients are severely")."""
    return any(w in AUXILIARIES for w in en_words(text))


def zh_rarity(tokens: Iterable[ZhToken]) -> float:
    """How specialised the rarest word of the Chinese is, 0 (everyday) to 1 (unseen in jieba's
    general corpus): domain terms hold a rare word (呼吸道, 口罩), free phrases do not
    (明确的答案)."""
    frequencies, total = word_counts()
    log_total = math.log(total)
    rarest = 0.0
    for token in tokens:
        if token.is_punct or len(token.text) < 2:
            continue
        count = frequencies.get(token.text, 0)
        information = log_total - math.log(count + 1)  # surprise (nats) of one occurrence
        rarest = max(rarest, information)
    return min(rarest / log_total, 1.0)


@lru_cache(maxsize=65536)
def _zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")


def en_rarity(text: str) -> float:
    """How specialised the rarest content word of the English is, 0 (everyday) to 1 (absent
    from wordfreq's general English): "throat swabs" and "multilateralism", not "clear answers".
    """
    zipfs = [_zipf(w) for w in en_words(text) if w not in _EDGE_WORDS and w not in AUXILIARIES]
    if not zipfs:
        return 0.0
    # Zipf 8 is the commonest word there is ("the"); 0 a word wordfreq has never seen.
    return 1.0 - min(zipfs) / 8.0


def _verbal(token: ZhToken) -> bool:
    return token.flag[:1] in ("v", "d") and token.flag != "vn"


def name_then_verb(tokens: Sequence[ZhToken]) -> bool:
    """True when a name is followed by a verb or adverb in the Chinese: who did what
    (赵宇空告诉新华社记者, 江西还规划), a clause rather than a term."""
    named = False
    for token in tokens:
        if named and _verbal(token):
            return True
        named = named or token.is_name
    return False


def titled_person(tokens: Sequence[ZhToken]) -> bool:
    """True for a person's name with only nouns beside it, a role or title (记者董瑞丰,
    刘仲华教授, 国家主席习近平): the name and the title are terms, the pairing is an occasion."""
    words = [t for t in tokens if not t.is_punct]
    people = [t for t in words if t.is_person]
    return (
        len(people) == 1
        and len(words) > 1
        and all(t.is_person or (t.flag[:1] == "n" and not t.is_name) for t in words)
    )


_CAPITALISED_RE = re.compile(r"[A-Z][A-Za-z]*")


def inside_longer_name(span: str, sentence: str) -> bool:
    """True when the capitalised English span, where it stands in the sentence, has a
    capitalised word right before or after it ("Development Forum" of "… Enterprise Development
    Forum", "Brown" of "Brown University"): a piece of a longer name, not the name. A capital
    that opens the sentence does not count."""
    at = sentence.find(span)
    if at < 0 or not span[:1].isupper():
        return False
    before = sentence[:at].rstrip()
    previous = before.rsplit(None, 1)[-1].strip("\"'‘’“”") if before else ""
    opens_sentence = not before or before[-1] in '.!?:"“(—-'
    after = sentence[at + len(span) :]
    following = after.split(None, 1)[0].strip(",.;:)\"'’”") if after[:1] == " " else ""
    return (not opens_sentence and bool(_CAPITALISED_RE.fullmatch(previous))) or bool(
        _CAPITALISED_RE.fullmatch(following)
    )

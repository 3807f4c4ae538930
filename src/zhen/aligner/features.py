"""Per-sentence alignment evidence: lengths, dictionary bags, anchors and sentence embeddings."""

from __future__ import annotations

import math
import re
import zlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import ahocorasick
import numpy as np

from zhen.aligner.lexicon import en_content_stems, load_lexicon, zh_words
from zhen.models import Term
from zhen.normalize import normalize_en, normalize_zh
from zhen.numbers import en_quantities, iter_keys, zh_quantities

# Hashed feature spaces: large enough that collisions are rare within one document's vocabulary.
LEXICAL_DIM = 1024
ANCHOR_DIM = 128

# Function characters whose CC-CEDICT glosses ("target", "really" for 的) are pure noise.
_ZH_STOPWORDS = frozenset(
    "的了是在和与及等也都而把被对为将从以之其于这那个着过就又并向同到让给使由所"
)
_LATIN_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-+&][A-Za-z0-9]+)*")


@dataclass(slots=True)
class SideFeatures:
    """Row-aligned arrays describing the sentences of one side (zh or en)."""

    lengths: np.ndarray  # characters: zh without spaces, en as written
    lexical: np.ndarray  # (n, LEXICAL_DIM) hashed, idf-weighted English-stem bag
    anchors: np.ndarray  # (n, ANCHOR_DIM) hashed numbers, dates, Latin tokens
    embeddings: np.ndarray | None  # (n, 512) unit vectors, or None when embeddings are off
    paragraphs: np.ndarray  # paragraph id per sentence (all 0 when unknown)
    # (n, k) one column per glossary term the Chinese text uses: on the zh side the term's idf
    # where the sentence names it, on the en side 1 where a rendering of it occurs.
    terms: np.ndarray

    def __len__(self) -> int:
        return len(self.lengths)


def _slot(feature: str, dim: int) -> tuple[int, float]:
    """Stable (index, sign) for a feature; crc32 so runs agree (Python's hash() is salted)."""
    code = zlib.crc32(feature.encode("utf-8"))
    return code % dim, 1.0 if (code >> 16) & 1 else -1.0


def _bag_matrix(bags: Sequence[Counter[str]], dim: int) -> np.ndarray:
    matrix = np.zeros((len(bags), dim), dtype=np.float32)
    for row, bag in enumerate(bags):
        for feature, weight in bag.items():
            index, sign = _slot(feature, dim)
            matrix[row, index] += sign * weight
    return matrix


def _idf(documents: Sequence[Sequence[str]]) -> dict[str, float]:
    frequency: Counter[str] = Counter()
    for items in documents:
        frequency.update(set(items))
    total = len(documents) + 1
    return {item: math.log(total / (count + 0.5)) + 1.0 for item, count in frequency.items()}


def _zh_lexical_bags(sentences: Sequence[str]) -> list[Counter[str]]:
    lexicon = load_lexicon()
    words = [[w for w in zh_words(s, lexicon) if w not in _ZH_STOPWORDS] for s in sentences]
    idf = _idf(words)
    bags: list[Counter[str]] = []
    for sentence_words in words:
        bag: Counter[str] = Counter()
        for word in sentence_words:
            stems = lexicon[word]
            # A word votes once in total, shared among its glosses, so polysemy does not shout.
            share = idf[word] / math.sqrt(len(stems))
            for stem in stems:
                bag[stem] += share
        bags.append(bag)
    return bags


def _en_lexical_bags(sentences: Sequence[str]) -> list[Counter[str]]:
    stems = [en_content_stems(s) for s in sentences]
    idf = _idf(stems)
    return [Counter({stem: idf[stem] * n for stem, n in Counter(row).items()}) for row in stems]


def _add_key(automaton: ahocorasick.Automaton, key: str, index: int) -> None:
    """Value (key, term indices): several terms may share a rendering."""
    _, indices = automaton.get(key, (key, ()))
    automaton.add_word(key, (key, (*indices, index)))


def _term_automata(terms: Sequence[Term]) -> tuple[ahocorasick.Automaton, ahocorasick.Automaton]:
    """Aho-Corasick automata over zh terms and their English renderings, valued by term index."""
    zh_automaton, en_automaton = ahocorasick.Automaton(), ahocorasick.Automaton()
    for index, term in enumerate(terms):
        if term.status == "rejected" or not term.zh.strip():
            continue
        _add_key(zh_automaton, normalize_zh(term.zh), index)
        for rendering in term.renderings:
            en_key = normalize_en(rendering)
            if len(en_key) >= 2:
                _add_key(en_automaton, en_key, index)
    for automaton in (zh_automaton, en_automaton):
        if len(automaton):
            automaton.make_automaton()
    return zh_automaton, en_automaton


def _anchor_bags(
    zh: Sequence[str], en: Sequence[str]
) -> tuple[list[Counter[str]], list[Counter[str]]]:
    zh_bags: list[Counter[str]] = [Counter() for _ in zh]
    en_bags: list[Counter[str]] = [Counter() for _ in en]
    for bag, sentence in zip(zh_bags, zh, strict=True):
        bag.update(f"q:{key}" for key in iter_keys(zh_quantities(sentence)))
    for bag, sentence in zip(en_bags, en, strict=True):
        bag.update(f"q:{key}" for key in iter_keys(en_quantities(sentence)))
    # Latin tokens (CPV, RCEP, G20) count only when the Chinese text uses them too: otherwise
    # every capitalised English word would join the anchor bag as noise.
    zh_latin = [{t.lower() for t in _LATIN_TOKEN.findall(s)} for s in zh]
    known_latin = set().union(*zh_latin) if zh_latin else set()
    for bag, tokens in zip(zh_bags, zh_latin, strict=True):
        bag.update(f"l:{t}" for t in sorted(tokens))
    for bag, sentence in zip(en_bags, en, strict=True):
        tokens = {t.lower() for t in _LATIN_TOKEN.findall(sentence)}
        bag.update(f"l:{t}" for t in sorted(tokens & known_latin))
    return zh_bags, en_bags


def _term_matrices(
    zh: Sequence[str], en: Sequence[str], terms: Sequence[Term]
) -> tuple[np.ndarray, np.ndarray]:
    """Glossary evidence (see SideFeatures.terms), kept apart from the other anchors.

    A glossary match is a bonus, never a penalty: a translator may render a term freely, and one
    English rendering may serve several synonyms (越共中央总书记 / 越南共产党中央委员会总书记),
    so a term on one side only proves nothing. Only terms the Chinese text uses get a column.
    The idf (over the zh sentences) keeps a term named in nearly every sentence (习近平 in a Xi
    article) from vouching for any pairing.
    """
    zh_hits: list[list[int]] = [[] for _ in zh]
    en_hits: list[list[int]] = [[] for _ in en]
    if terms:
        zh_automaton, en_automaton = _term_automata(terms)
        zh_hits = [_match_terms(zh_automaton, normalize_zh(s), False) for s in zh]
        en_hits = [_match_terms(en_automaton, normalize_en(s), True) for s in en]
    frequency = Counter(index for hits in zh_hits for index in hits)
    column = {index: k for k, index in enumerate(sorted(frequency))}
    zh_matrix = np.zeros((len(zh), len(column)), dtype=np.float32)
    en_matrix = np.zeros((len(en), len(column)), dtype=np.float32)
    for row, hits in enumerate(zh_hits):
        for index in hits:
            zh_matrix[row, column[index]] = max(
                math.log((len(zh) + 1) / (frequency[index] + 0.5)), 0.0
            )
    for row, hits in enumerate(en_hits):
        for index in hits:
            if index in column:
                en_matrix[row, column[index]] = 1.0
    return zh_matrix, en_matrix


def _match_terms(automaton: ahocorasick.Automaton, text: str, whole_words: bool) -> list[int]:
    """Indices of terms found in normalised text (sorted, so float sums are reproducible across
    processes whatever the hash seed); English renderings must be whole words."""
    if not len(automaton):
        return []
    hits: set[int] = set()
    for end, (key, indices) in automaton.iter(text):
        start = end - len(key) + 1
        if whole_words and (
            (start > 0 and text[start - 1].isalnum())
            or (end + 1 < len(text) and text[end + 1].isalnum())
        ):
            continue
        hits.update(indices)
    return sorted(hits)


def build_features(
    zh: Sequence[str],
    en: Sequence[str],
    *,
    zh_paragraph_ids: Sequence[int] | None,
    en_paragraph_ids: Sequence[int] | None,
    terms: Sequence[Term],
    use_embeddings: bool,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[SideFeatures, SideFeatures]:
    """Features of both sides (anchors need both: a Latin token counts only if zh uses it).

    `progress(done, total)` follows the embedding, the slow part: sentences of both sides.
    """
    zh_anchor_bags, en_anchor_bags = _anchor_bags(zh, en)
    zh_terms, en_terms = _term_matrices(zh, en, terms)
    zh_embeddings = en_embeddings = None
    if use_embeddings:
        from zhen.aligner.embedding import embed

        zh_embeddings = embed(zh, _scaled(progress, 0, len(zh), len(zh) + len(en)))
        en_embeddings = embed(en, _scaled(progress, len(zh), len(en), len(zh) + len(en)))
    zh_features = SideFeatures(
        lengths=np.array([len("".join(s.split())) for s in zh], dtype=np.float64),
        lexical=_bag_matrix(_zh_lexical_bags(zh), LEXICAL_DIM),
        anchors=_bag_matrix(zh_anchor_bags, ANCHOR_DIM),
        embeddings=zh_embeddings,
        paragraphs=_paragraphs(zh_paragraph_ids, len(zh), "zh"),
        terms=zh_terms,
    )
    en_features = SideFeatures(
        lengths=np.array([len(s.strip()) for s in en], dtype=np.float64),
        lexical=_bag_matrix(_en_lexical_bags(en), LEXICAL_DIM),
        anchors=_bag_matrix(en_anchor_bags, ANCHOR_DIM),
        embeddings=en_embeddings,
        paragraphs=_paragraphs(en_paragraph_ids, len(en), "en"),
        terms=en_terms,
    )
    return zh_features, en_features


def _scaled(
    progress: Callable[[int, int], None] | None, offset: int, size: int, total: int
) -> Callable[[int, int], None] | None:
    """Report one side's (done, of) as sentences offset + done/of·size of both sides' total."""
    if progress is None:
        return None
    return lambda done, of: progress(offset + done * size // max(of, 1), total)


def _paragraphs(ids: Sequence[int] | None, count: int, side: str) -> np.ndarray:
    if ids is None:
        return np.zeros(count, dtype=np.int64)
    if len(ids) != count:
        from zhen.errors import AlignmentError

        raise AlignmentError(f"{side}: {len(ids)} paragraph ids for {count} sentences")
    return np.asarray(ids, dtype=np.int64)

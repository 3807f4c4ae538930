"""Per-sentence alignment evidence: lengths, dictionary bags, anchors and sentence embeddings."""

from __future__ import annotations

import math
import zlib
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import ahocorasick
import numpy as np

from zhen.aligner.lexicon import en_content_stems, load_lexicon, zh_words
from zhen.aligner.rows import RowBuilder, SparseRows
from zhen.errors import AlignmentError
from zhen.models import Term
from zhen.text.normalize import normalize_en, normalize_zh
from zhen.text.numbers import en_quantities, iter_keys, zh_quantities
from zhen.text.tokens import word_texts

# Hashed feature spaces: large enough that collisions are rare within one document's vocabulary.
LEXICAL_DIM = 1024
ANCHOR_DIM = 128

# Function characters whose CC-CEDICT glosses ("target", "really" for 的) are pure noise.
_ZH_STOPWORDS = frozenset(
    "的了是在和与及等也都而把被对为将从以之其于这那个着过就又并向同到让给使由所"
)


def _latin_tokens(sentence: str) -> set[str]:
    """Lower-cased Latin words of either side, compounds whole: "COVID-19" in 新冠（COVID-19）
    must meet "COVID-19" in the English, not "COVID" and a number counted apart."""
    return {t.lower() for t in word_texts(sentence, compounds=True, numbers=False)}


@dataclass(slots=True)
class SideFeatures:
    """Row-aligned arrays describing the sentences of one side (zh or en).

    The bags are SparseRows: a sentence fills a few dozen of their columns, and dense they
    took kilobytes per sentence.
    """

    lengths: np.ndarray  # characters: zh without spaces, en as written
    lexical: SparseRows  # (n, LEXICAL_DIM) hashed, idf-weighted English-stem bag
    anchors: SparseRows  # (n, ANCHOR_DIM) hashed numbers, dates, Latin tokens
    embeddings: np.ndarray | None  # (n, 512) unit vectors, or None when embeddings are off
    paragraphs: np.ndarray  # paragraph id per sentence (all 0 when unknown)
    # (n, k) one column per glossary term the Chinese text uses: on the zh side the term's idf
    # where the sentence names it, on the en side 1 where a rendering of it occurs.
    terms: SparseRows

    def __len__(self) -> int:
        return len(self.lengths)


def _slot(feature: str, dim: int) -> tuple[int, float]:
    """Stable (index, sign) for a feature; crc32 so runs agree (Python's hash() is salted)."""
    code = zlib.crc32(feature.encode("utf-8"))
    return code % dim, 1.0 if (code >> 16) & 1 else -1.0


def _bag_rows(bags: Iterable[Mapping[str, float]], dim: int) -> SparseRows:
    """Hash each bag into a row; bags are consumed one at a time, never all held at once."""

    def rows() -> Iterator[np.ndarray]:
        for bag in bags:
            row = np.zeros(dim, dtype=np.float32)
            for feature, weight in bag.items():
                index, sign = _slot(feature, dim)
                row[index] += sign * weight
            yield row

    return SparseRows.from_dense_rows(dim, rows())


class _Tokens:
    """Each sentence's tokens as 4-byte ids into one vocabulary (a long text's words as
    strings, one object each, took more memory than the text)."""

    def __init__(self, token_lists: Iterable[Iterable[str]]):
        self.vocabulary: list[str] = []
        ids: dict[str, int] = {}
        self.flat = array("i")
        self.offsets = array("q", [0])
        for tokens in token_lists:
            for token in tokens:
                code = ids.get(token)
                if code is None:
                    code = ids[token] = len(self.vocabulary)
                    self.vocabulary.append(token)
                self.flat.append(code)
            self.offsets.append(len(self.flat))

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __iter__(self) -> Iterator[list[str]]:
        for row in range(len(self)):
            start, stop = self.offsets[row], self.offsets[row + 1]
            yield [self.vocabulary[code] for code in self.flat[start:stop]]

    def idf(self) -> dict[str, float]:
        """Inverse document frequency of each token over the sentences."""
        frequency: Counter[str] = Counter()
        for tokens in self:
            frequency.update(set(tokens))
        total = len(self) + 1
        return {item: math.log(total / (count + 0.5)) + 1.0 for item, count in frequency.items()}


def _zh_lexical_bags(sentences: Sequence[str]) -> Iterator[Mapping[str, float]]:
    lexicon = load_lexicon()
    words = _Tokens([w for w in zh_words(s, lexicon) if w not in _ZH_STOPWORDS] for s in sentences)
    idf = words.idf()
    for sentence_words in words:
        bag: defaultdict[str, float] = defaultdict(float)
        for word in sentence_words:
            stems = lexicon[word]
            # A word votes once in total, shared among its glosses, so polysemy does not shout.
            share = idf[word] / math.sqrt(len(stems))
            for stem in stems:
                bag[stem] += share
        yield bag


def _en_lexical_bags(sentences: Sequence[str]) -> Iterator[Counter[str]]:
    stems = _Tokens(en_content_stems(s) for s in sentences)
    idf = stems.idf()
    for row in stems:
        yield Counter({stem: idf[stem] * n for stem, n in Counter(row).items()})


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
) -> tuple[Iterator[Counter[str]], Iterator[Counter[str]]]:
    # Latin tokens (CPV, RCEP, G20) count only when the Chinese text uses them too: otherwise
    # every capitalised English word would join the anchor bag as noise.
    known_latin = set().union(*map(_latin_tokens, zh))

    def zh_bags() -> Iterator[Counter[str]]:
        for sentence in zh:
            bag = Counter(f"q:{key}" for key in iter_keys(zh_quantities(sentence)))
            bag.update(f"l:{t}" for t in sorted(_latin_tokens(sentence)))
            yield bag

    def en_bags() -> Iterator[Counter[str]]:
        for sentence in en:
            bag = Counter(f"q:{key}" for key in iter_keys(en_quantities(sentence)))
            bag.update(f"l:{t}" for t in sorted(_latin_tokens(sentence) & known_latin))
            yield bag

    return zh_bags(), en_bags()


def _term_matrices(
    zh: Sequence[str], en: Sequence[str], terms: Sequence[Term]
) -> tuple[SparseRows, SparseRows]:
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
    zh_rows, en_rows = RowBuilder(len(column)), RowBuilder(len(column))
    for hits in zh_hits:
        # Hits are sorted by term index, and so are the columns.
        weights = [max(math.log((len(zh) + 1) / (frequency[index] + 0.5)), 0.0) for index in hits]
        zh_rows.add_entries([column[index] for index in hits], weights)
    for hits in en_hits:
        columns = [column[index] for index in hits if index in column]
        en_rows.add_entries(columns, [1.0] * len(columns))
    return zh_rows.build(), en_rows.build()


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
        lexical=_bag_rows(_zh_lexical_bags(zh), LEXICAL_DIM),
        anchors=_bag_rows(zh_anchor_bags, ANCHOR_DIM),
        embeddings=zh_embeddings,
        paragraphs=_paragraphs(zh_paragraph_ids, len(zh), "zh"),
        terms=zh_terms,
    )
    en_features = SideFeatures(
        lengths=np.array([len(s.strip()) for s in en], dtype=np.float64),
        lexical=_bag_rows(_en_lexical_bags(en), LEXICAL_DIM),
        anchors=_bag_rows(en_anchor_bags, ANCHOR_DIM),
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
        raise AlignmentError(f"{side}: {len(ids)} paragraph ids for {count} sentences")
    return np.asarray(ids, dtype=np.int64)

"""How likely a candidate term pair is right: a logistic model over its evidence features.

Each candidate is described by the same few features — how well its two sides cover each other,
how consistently it recurs (Dice, log-likelihood), what kind of evidence found it (quotation
marks, an acronym, a name), its shape (noun phrase or clause, title case, a plain dictionary
word) and how it fares against rival candidates of the same pairs. The weights are fitted by
logistic regression (`python benchmarks/term_eval.py --fit`, on the Xinhua seed pairs against the
curated glossary and on hand-labelled TICO-19 and WMT22 pairs); the score is the model's
probability, so the display cut-off reads as "at least this likely".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

FEATURE_NAMES = (
    "bias",
    "quality",
    "dice",
    "recurrence",
    "significant",
    "quoted",
    "acronym",
    "name",
    "title_case",
    "nominal",
    "multiword",
    "clause",
    "truncated",
    "dominated",
    "zh_rivalled",
    "en_rivalled",
    "de_inside",
    "dictionary_word",
    "en_length",
    "en_ragged",
    "en_clause",
    "zh_rarity",
    "en_rarity",
    "en_participle",
    "zh_nested",
    "en_nested",
    "name_verb",
    "titled_person",
    "coordinated",
    "en_in_name",
    "scare_quote",
    "variant",
)

# Fitted by `python benchmarks/term_eval.py --fit` (L2-regularised logistic regression on the
# 65 Xinhua seed pairs, the 70 TICO-19 pairs and the 357 WMT22 fitting lines together; the
# held-out WMT22 sample is never fitted on).
WEIGHTS = (
    -7.250,  # bias
    1.528,  # quality
    1.245,  # dice
    0.855,  # recurrence
    0.288,  # significant
    4.965,  # quoted
    -0.211,  # acronym
    2.085,  # name
    1.275,  # title_case
    0.990,  # nominal
    1.474,  # multiword
    -0.137,  # clause
    -0.747,  # truncated
    -1.015,  # dominated
    0.082,  # zh_rivalled
    -1.276,  # en_rivalled
    -1.857,  # de_inside
    -0.317,  # dictionary_word
    -1.979,  # en_length
    -1.307,  # en_ragged
    -2.105,  # en_clause
    1.560,  # zh_rarity
    2.382,  # en_rarity
    -0.829,  # en_participle
    -0.924,  # zh_nested
    -0.227,  # en_nested
    -1.452,  # name_verb
    0.977,  # titled_person
    -2.300,  # coordinated
    -1.479,  # en_in_name
    -2.821,  # scare_quote
    -0.839,  # variant
)


@dataclass(frozen=True, slots=True)
class CandidateEvidence:
    """What is known about one candidate across the pairs it occurs in."""

    quality: float  # mean coverage of the two sides, 0–1
    dice: float  # Dice of the Chinese and English over all pairs
    count: int  # pairs the candidate was extracted from
    significant: bool  # recurring with a significant log-likelihood ratio
    kind: str  # "quoted", "acronym", "name" or "phrase"
    title_case: bool
    nominal: bool  # a noun phrase, name or idiom by its tags
    multiword: bool  # several words, or a compound of four or more characters
    clause: bool  # holds a finite verb: a clause fragment rather than a term
    truncated: float  # share of its pairs where a head noun follows the Chinese span
    dominated: float  # share of its pairs where an overlapping candidate covers better
    zh_rivalled: bool  # another rendering of the same Chinese is better supported
    en_rivalled: bool  # another Chinese span with the same rendering is better supported
    de_inside: bool  # 的 inside the Chinese: a description more often than a term
    dictionary_word: bool  # a single CC-CEDICT word: general vocabulary more often than a term
    en_words: int  # words in the English span
    en_ragged: bool = False  # the English starts or ends with a function word or adverb
    en_clause: bool = False  # the English holds a finite or auxiliary verb
    zh_rarity: float = 0.0  # how specialised the Chinese's rarest word is, 0–1
    en_rarity: float = 0.0  # how specialised the English's rarest word is, 0–1
    en_participle: bool = False  # the English opens or ends with a lower-case -ed/-ing word
    zh_nested: bool = False  # the Chinese occurs only inside one longer candidate's Chinese
    en_nested: bool = False  # the English occurs only inside one longer candidate's English
    name_verb: bool = False  # a name then a verb or adverb: who did what (赵宇空告诉…), a clause
    titled_person: bool = False  # a person's name with a role word (记者董瑞丰, 刘仲华教授)
    coordinated: bool = False  # a conjunction inside: two terms joined (布朗大学和达特茅斯学院)
    en_in_name: float = 0.0  # share of its pairs where the English is a piece of a longer name
    variant: float = 0.0  # share of its pairs where it is a one-word-off window of a span


def features(evidence: CandidateEvidence) -> tuple[float, ...]:
    """The feature vector of a candidate, in FEATURE_NAMES order."""
    return (
        1.0,
        evidence.quality,
        evidence.dice,
        min(math.log2(max(evidence.count, 1)), 3.0) / 3.0,
        float(evidence.significant),
        float(evidence.kind == "quoted"),
        float(evidence.kind == "acronym"),
        float(evidence.kind == "name"),
        float(evidence.title_case),
        float(evidence.nominal),
        float(evidence.multiword),
        float(evidence.clause),
        evidence.truncated,
        evidence.dominated,
        float(evidence.zh_rivalled),
        float(evidence.en_rivalled),
        float(evidence.de_inside),
        float(evidence.dictionary_word),
        min(evidence.en_words, 10) / 10.0,
        float(evidence.en_ragged),
        float(evidence.en_clause),
        evidence.zh_rarity,
        evidence.en_rarity,
        float(evidence.en_participle),
        float(evidence.zh_nested),
        float(evidence.en_nested),
        float(evidence.name_verb),
        float(evidence.titled_person),
        float(evidence.coordinated),
        evidence.en_in_name,
        float(evidence.kind == "quoted" and evidence.dictionary_word),
        evidence.variant,
    )


def probability(vector: Sequence[float], weights: Sequence[float] = WEIGHTS) -> float:
    """The logistic model's probability that the candidate is a term pair worth keeping."""
    z = sum(w * x for w, x in zip(weights, vector, strict=True))
    if z < -30:
        return 0.0
    return 1.0 / (1.0 + math.exp(-z))


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Solve matrix · x = vector by Gaussian elimination with partial pivoting."""
    size = len(vector)
    rows = [[*matrix[i], vector[i]] for i in range(size)]
    for col in range(size):
        pivot = max(range(col, size), key=lambda r: abs(rows[r][col]))
        rows[col], rows[pivot] = rows[pivot], rows[col]
        for row in range(col + 1, size):
            factor = rows[row][col] / rows[col][col]
            for k in range(col, size + 1):
                rows[row][k] -= factor * rows[col][k]
    solution = [0.0] * size
    for row in reversed(range(size)):
        rest = sum(rows[row][k] * solution[k] for k in range(row + 1, size))
        solution[row] = (rows[row][size] - rest) / rows[row][row]
    return solution


def fit(
    vectors: Sequence[Sequence[float]],
    labels: Sequence[int],
    *,
    l2: float = 1.0,
    rounds: int = 25,
) -> tuple[float, ...]:
    """L2-regularised logistic regression by Newton's method (deterministic; the bias is not
    penalised)."""
    size = len(vectors[0])
    weights = [0.0] * size
    for _ in range(rounds):
        gradient = [l2 * weights[i] if i else 0.0 for i in range(size)]
        hessian = [[(l2 if i == j and i else 0.0) for j in range(size)] for i in range(size)]
        for vector, label in zip(vectors, labels, strict=True):
            p = probability(vector, weights)
            error, curvature = p - label, max(p * (1 - p), 1e-9)
            for i, xi in enumerate(vector):
                if xi:
                    gradient[i] += error * xi
                    row = hessian[i]
                    for j, xj in enumerate(vector):
                        row[j] += curvature * xi * xj
        step = _solve(hessian, gradient)
        weights = [w - d for w, d in zip(weights, step, strict=True)]
        if max(abs(d) for d in step) < 1e-6:
            break
    return tuple(round(w, 3) for w in weights)

"""How likely a candidate term pair is right: gradient-boosted trees over its evidence features.

Each candidate is described by the same few features — how well its two sides cover each other,
how consistently it recurs (Dice, log-likelihood), what kind of evidence found it (quotation
marks, an acronym, a name), its shape (noun phrase or clause, title case, a plain dictionary
word) and how it fares against rival candidates of the same pairs. Which combinations matter is
learnt by gradient boosting (scikit-learn, `python benchmarks/term_eval.py --fit`, on the Xinhua
seed pairs against the curated glossary and on hand-labelled TICO-19 and WMT22 pairs): a quoted
span is a term when it is a noun phrase, a capitalised window when nothing better covers it, and
a linear model cannot say "when". The fitted trees ship as data (`scoring_model.json`) and are
evaluated here with numpy, so extraction does not need scikit-learn. The score is the model's
probability, so the display cut-off reads as "at least this likely".
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from zhen.glossary.entries import CandidateKind

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

# The features grouped by the concept they measure, so that a whole concept can be left out of
# the model (benchmarks/term_ablation.py); every feature but the constant is in one family.
FEATURE_FAMILIES: dict[str, tuple[str, ...]] = {
    "association": ("quality", "dice", "recurrence", "significant"),
    "rivals": ("dominated", "zh_rivalled", "en_rivalled"),
    "boundaries": ("truncated", "variant", "zh_nested", "en_nested"),
    "quotes": ("quoted", "scare_quote"),
    "acronyms": ("acronym",),
    "names/titles": ("name", "title_case", "titled_person", "name_verb", "en_in_name"),
    "zh shape": ("nominal", "multiword", "clause", "de_inside", "coordinated"),
    "en shape": ("en_length", "en_ragged", "en_clause", "en_participle"),
    "termhood": ("dictionary_word", "zh_rarity", "en_rarity"),
}


def feature_names(without: Collection[str] = ()) -> tuple[str, ...]:
    """FEATURE_NAMES less the features of the families named in `without`."""
    if unknown := set(without) - set(FEATURE_FAMILIES):
        raise ValueError(f"no such feature family: {', '.join(sorted(unknown))}")
    dropped = {name for family in without for name in FEATURE_FAMILIES[family]}
    return tuple(name for name in FEATURE_NAMES if name not in dropped)


def feature_columns(names: Sequence[str]) -> list[int]:
    """Where each of `names` stands in a full feature vector (FEATURE_NAMES order)."""
    return [FEATURE_NAMES.index(name) for name in names]


@dataclass(frozen=True, slots=True)
class CandidateEvidence:
    """What is known about one candidate across the pairs it occurs in."""

    quality: float  # mean coverage of the two sides, 0–1
    dice: float  # Dice of the Chinese and English over all pairs
    count: int  # pairs the candidate was extracted from
    significant: bool  # recurring with a significant log-likelihood ratio
    kind: CandidateKind
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


MODEL_FILE = Path(__file__).with_name("scoring_model.json")


@dataclass(frozen=True, slots=True)
class TreeEnsemble:
    """Boosted regression trees on the log-odds scale: the score is the logistic of the prior's
    log-odds plus the learning rate times the sum of each tree's leaf value. A sample goes left
    at a node when its feature is at most the node's threshold (scikit-learn's convention)."""

    prior: float
    learning_rate: float
    # Per tree, one array per node field; a leaf's left and right child are -1.
    feature: tuple[np.ndarray, ...]
    threshold: tuple[np.ndarray, ...]
    left: tuple[np.ndarray, ...]
    right: tuple[np.ndarray, ...]
    value: tuple[np.ndarray, ...]
    # The features of the vectors it scores, in order: FEATURE_NAMES unless some were left out.
    features: tuple[str, ...] = FEATURE_NAMES

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TreeEnsemble:
        """The model as `to_dict` (and benchmarks/term_fit.py) writes it."""
        if list(data["features"]) != list(FEATURE_NAMES):
            raise ValueError("scoring model was fitted on other features; refit it (--fit)")
        trees = data["trees"]
        return cls(
            prior=float(data["prior"]),
            learning_rate=float(data["learning_rate"]),
            feature=tuple(np.asarray(t["feature"], dtype=np.int64) for t in trees),
            threshold=tuple(np.asarray(t["threshold"], dtype=np.float64) for t in trees),
            left=tuple(np.asarray(t["left"], dtype=np.int64) for t in trees),
            right=tuple(np.asarray(t["right"], dtype=np.int64) for t in trees),
            value=tuple(np.asarray(t["value"], dtype=np.float64) for t in trees),
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of the model, with the feature names it expects."""
        return {
            "features": list(self.features),
            "prior": self.prior,
            "learning_rate": self.learning_rate,
            "trees": [
                {
                    "feature": feature.tolist(),
                    "threshold": threshold.tolist(),
                    "left": left.tolist(),
                    "right": right.tolist(),
                    "value": value.tolist(),
                }
                for feature, threshold, left, right, value in zip(
                    self.feature, self.threshold, self.left, self.right, self.value, strict=True
                )
            ],
        }

    def probabilities(self, vectors: Sequence[Sequence[float]]) -> list[float]:
        """The probability of each feature vector, all evaluated at once."""
        if not len(vectors):
            return []
        # scikit-learn compares features as float32 against its thresholds: so do we.
        matrix = np.asarray(vectors, dtype=np.float32).astype(np.float64)
        rows = np.arange(len(matrix))
        raw = np.full(len(matrix), self.prior)
        for feature, threshold, left, right, value in zip(
            self.feature, self.threshold, self.left, self.right, self.value, strict=True
        ):
            node = np.zeros(len(matrix), dtype=np.int64)
            while True:
                inner = left[node] >= 0
                if not inner.any():
                    break
                goes_left = matrix[rows, np.maximum(feature[node], 0)] <= threshold[node]
                node = np.where(inner, np.where(goes_left, left[node], right[node]), node)
            raw += self.learning_rate * value[node]
        probabilities: list[float] = (1.0 / (1.0 + np.exp(-np.clip(raw, -30.0, 30.0)))).tolist()
        return probabilities


@lru_cache(maxsize=1)
def packaged_model() -> TreeEnsemble:
    """The model fitted by benchmarks/term_fit.py, shipped beside this module."""
    return TreeEnsemble.from_dict(json.loads(MODEL_FILE.read_text(encoding="utf-8")))


def probabilities(
    vectors: Sequence[Sequence[float]], model: TreeEnsemble | None = None
) -> list[float]:
    """The probability of each candidate (feature vector) being a term pair worth keeping."""
    return (model or packaged_model()).probabilities(vectors)

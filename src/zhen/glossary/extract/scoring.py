"""Stage 5 of term extraction, the score: a feature vector (zhen.glossary.extract.features) →
how likely the candidate term pair is right, by gradient-boosted trees.

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
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from zhen.glossary.extract.features import FEATURE_NAMES

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

"""The extraction scoring model: boosted trees evaluated with numpy, shipped as package data."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from zhen.glossary.entries import CandidateKind
from zhen.glossary.extract import DISPLAY_SCORE, scored_candidates
from zhen.glossary.extract.features import FEATURE_NAMES, feature_values, feature_vector
from zhen.glossary.extract.scoring import (
    MODEL_FILE,
    TreeEnsemble,
    packaged_model,
    probabilities,
)
from zhen.glossary.extract.tally import Tally
from zhen.models import TranslationUnit

QUALITY = FEATURE_NAMES.index("quality")
QUOTED = FEATURE_NAMES.index("quoted")


def _sigmoid(raw: float) -> float:
    return 1 / (1 + math.exp(-raw))


def _tree(feature, threshold, left, right, value) -> dict:
    return {
        "feature": feature,
        "threshold": threshold,
        "left": left,
        "right": right,
        "value": value,
    }


def _model(*trees: dict, prior: float = 0.0, learning_rate: float = 1.0) -> TreeEnsemble:
    return TreeEnsemble.from_dict(
        {
            "features": list(FEATURE_NAMES),
            "prior": prior,
            "learning_rate": learning_rate,
            "trees": list(trees),
        }
    )


def _vector(**values: float) -> list[float]:
    vector = [0.0] * len(FEATURE_NAMES)
    vector[0] = 1.0
    for name, value in values.items():
        vector[FEATURE_NAMES.index(name)] = value
    return vector


def test_a_sample_goes_left_when_its_feature_is_at_most_the_threshold():
    stump = _tree([QUALITY, 0, 0], [0.5, 0, 0], [1, -1, -1], [2, -1, -1], [0.0, -1.0, 2.0])
    model = _model(stump, prior=0.5, learning_rate=0.5)
    low, edge, high = model.probabilities(
        [_vector(quality=0.2), _vector(quality=0.5), _vector(quality=0.9)]
    )
    assert low == pytest.approx(_sigmoid(0.5 - 0.5))
    assert edge == low  # at the threshold: left, as scikit-learn does it
    assert high == pytest.approx(_sigmoid(0.5 + 1.0))


def test_trees_are_summed_and_deeper_nodes_are_followed():
    # Tree 1: quality ≤ 0.5 → leaf −1; else quoted ≤ 0.5 → leaf 0.5, else leaf 3.
    deep = _tree(
        [QUALITY, 0, QUOTED, 0, 0],
        [0.5, 0, 0.5, 0, 0],
        [1, -1, 3, -1, -1],
        [2, -1, 4, -1, -1],
        [0.0, -1.0, 0.0, 0.5, 3.0],
    )
    constant = _tree([0], [0.0], [-1], [-1], [0.25])
    model = _model(deep, constant)
    scores = model.probabilities(
        [_vector(quality=0.1), _vector(quality=0.9), _vector(quality=0.9, quoted=1.0)]
    )
    assert scores == pytest.approx([_sigmoid(-0.75), _sigmoid(0.75), _sigmoid(3.25)])
    assert model.probabilities([]) == []


def test_model_round_trips_and_refuses_other_features():
    model = packaged_model()
    again = TreeEnsemble.from_dict(json.loads(json.dumps(model.to_dict())))
    vectors = [_vector(quality=q / 10, quoted=q % 2) for q in range(11)]
    assert again.probabilities(vectors) == model.probabilities(vectors)
    stale = {**model.to_dict(), "features": [*FEATURE_NAMES[:-1], "retired"]}
    with pytest.raises(ValueError, match="refit"):
        TreeEnsemble.from_dict(stale)


def test_packaged_model_ships_and_scores_probabilities():
    assert MODEL_FILE.exists()
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    assert data["features"] == list(FEATURE_NAMES)
    assert len(data["trees"]) > 10
    scores = np.asarray(probabilities([_vector(quality=q / 10) for q in range(11)]))
    assert ((scores > 0) & (scores < 1)).all()


def test_a_recurring_quoted_coinage_outscores_a_stray_window():
    # The seed formulation in two pairs: quoted on both sides, so shown; a function-word
    # window of the same pairs is not.
    units = [
        TranslationUnit(
            zh="双方要赓续“同志加兄弟”的传统友谊。",
            en='The two sides should carry forward the friendship of "camaraderie plus '
            'brotherhood".',
        ),
        TranslationUnit(
            zh="“同志加兄弟”的情谊历久弥坚。",
            en='The bond of "camaraderie plus brotherhood" grows ever stronger.',
        ),
    ]
    scores = {(c.zh, c.en): c.score for c, _ in scored_candidates(units)}
    assert scores[("同志加兄弟", "camaraderie plus brotherhood")] >= DISPLAY_SCORE
    assert max(scores.values()) == scores[("同志加兄弟", "camaraderie plus brotherhood")]


def test_every_feature_has_a_value_and_every_value_its_name_in_order():
    tally = Tally(
        "新冠病毒",
        "novel coronavirus",
        CandidateKind.PHRASE,
        1,
        True,
        False,
        0,
        count=2,
        quality_sum=1.5,
        zh_pairs=2,
        en_pairs=3,
        source="t#1",
        context=("新冠病毒出现", "The novel coronavirus appeared"),
    )
    values = feature_values(tally, pairs=10)
    assert list(values) == list(FEATURE_NAMES)
    assert feature_vector(values) == tuple(values.values())
    assert values["quality"] == 0.75 and values["dice"] == 0.8
    assert feature_vector(values, ("dice", "quality")) == (0.8, 0.75)

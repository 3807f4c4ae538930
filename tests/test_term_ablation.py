"""The switches of the ablation (benchmarks/term_ablation.py): a finder left out finds nothing,
a feature family left out is no column of the vectors nor a feature of the model fitted on them."""

from __future__ import annotations

import numpy as np
import pytest

from tests.support.paths import REPO_ROOT, load_script
from zhen.glossary.extract import candidate_features
from zhen.glossary.extract.features import (
    FEATURE_FAMILIES,
    FEATURE_NAMES,
    feature_columns,
    feature_names,
)
from zhen.glossary.extract.finders import LEAVE_OUT
from zhen.io import tmx
from zhen.models import TranslationUnit

SEEDS = REPO_ROOT / "tm" / "xinhua.tmx"
# The seed TMX holds no Latin gloss in Chinese brackets: one pair with one is added.
GLOSSED = TranslationUnit(
    zh="据美国有线电视新闻网（CNN）报道，会谈将于明天举行。",
    en="The talks will be held tomorrow, CNN reported.",
    origin="glossed",
    position=1,
)


@pytest.fixture(scope="module")
def seed_units():
    return [*tmx.iter_units(SEEDS), GLOSSED]


@pytest.fixture(scope="module")
def everything(seed_units):
    return candidate_features(seed_units)


@pytest.fixture(scope="module")
def without_one(seed_units):
    """The candidates with one finder left out, each extracted once for the module."""
    cache = {}

    def extract(finder):
        if finder not in cache:
            cache[finder] = candidate_features(seed_units, without=frozenset({finder}))
        return cache[finder]

    return extract


def _keys(found):
    return {(candidate.zh, candidate.en) for candidate, _ in found}


@pytest.mark.parametrize("finder", LEAVE_OUT)
def test_a_finder_left_out_proposes_nothing_of_its_own(without_one, everything, finder):
    without = without_one(finder)
    # What only this finder proposed is gone.
    assert _keys(everything) - _keys(without)


@pytest.mark.parametrize(("finder", "kind"), [("acronyms", "acronym"), ("quotes", "quoted")])
def test_a_finder_left_out_leaves_no_candidate_of_its_kind(without_one, everything, finder, kind):
    assert kind in {candidate.kind for candidate, _ in everything}
    without = without_one(finder)
    assert without
    assert kind not in {candidate.kind for candidate, _ in without}


def test_an_unknown_finder_is_refused(seed_units):
    with pytest.raises(ValueError, match="no such finder"):
        candidate_features(seed_units[:2], without=frozenset({"guesses"}))


def test_every_feature_but_the_constant_is_in_exactly_one_family():
    grouped = [name for names in FEATURE_FAMILIES.values() for name in names]
    assert sorted(grouped) == sorted(FEATURE_NAMES[1:])


def test_a_family_left_out_drops_its_columns(everything):
    names = feature_names(["quotes"])
    assert len(names) == len(FEATURE_NAMES) - len(FEATURE_FAMILIES["quotes"])
    assert "quoted" not in names and "scare_quote" not in names
    assert feature_names() == FEATURE_NAMES
    matrix = np.asarray([vector for _, vector in everything])[:, feature_columns(names)]
    assert matrix.shape == (len(everything), len(names))
    with pytest.raises(ValueError, match="no such feature family"):
        feature_names(["luck"])


def _ablation_module():
    return load_script("benchmarks/term_ablation.py")


def test_the_model_fitted_without_a_family_has_fewer_features(seed_units):
    pytest.importorskip("sklearn")
    ablation = _ablation_module()
    from zhen import glossary

    curated = glossary.load_terms_file(REPO_ROOT / "glossary" / "xinhua.tsv")
    # The seeds stand for both the fitting and the held-out set: only the model's shape is tested.
    data = {"seeds": (seed_units, curated), ablation.HELD_OUT: (seed_units, curated)}
    sets = ablation.labelled(data)
    model, columns = ablation.fit_without(sets, ["names/titles", "quotes"])
    left_out = {*FEATURE_FAMILIES["names/titles"], *FEATURE_FAMILIES["quotes"]}
    assert model.features == feature_names(["names/titles", "quotes"])
    assert not left_out & set(model.features)
    assert model.to_dict()["features"] == list(model.features)
    assert len(columns) == len(model.features) < len(FEATURE_NAMES)
    assert all(int(f.max()) < len(columns) for f in model.feature)
    scores = model.probabilities(sets["seeds"][1][:, columns])
    assert len(scores) == len(sets["seeds"][0])

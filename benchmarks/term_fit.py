"""Fit the term-extraction scoring model on the labelled fitting sets, and choose its cut-off.

Run: python benchmarks/term_fit.py [--compare]  (or term_eval.py --fit); about 8 minutes on 2
cores. --compare only prints the trees and a logistic model cross-validated alike (15 minutes).

Needs scikit-learn (`pip install -e '.[fit]'`); extraction itself only reads the fitted trees.
The fitting sets are the Xinhua seed pairs against the curated glossary, the hand-labelled
TICO-19 sample and the WMT22 fitting sample; the held-out WMT22 sample never enters the fit.

Trees fit their own training data far better than new text, so the display cut-off is chosen on
cross-validated scores: every candidate scored by a model fitted without its own document
(grouped cross-validation over the 31 articles, seed texts and TICO-19 blocks of the fitting
sets). It prints those figures, what the model does on text it never saw, and the cut-off they
imply; then fits on all three sets and writes the trees to
src/zhen/glossary/extract/scoring_model.json (temp file, then rename). Set DISPLAY_SCORE in
zhen/glossary/entries.py to the cut-off printed.
"""

from __future__ import annotations

import json
import math
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from zhen.glossary.extract.features import FEATURE_NAMES
from zhen.glossary.extract.scoring import MODEL_FILE, TreeEnsemble
from zhen.models import Term, TranslationUnit
from zhen.text.normalize import normalize_zh

sys.path.insert(0, str(Path(__file__).resolve().parent))
import term_eval  # a sibling script, not a package

# Gradient boosting: shallow trees, a small learning rate, leaves of at least 20 candidates.
# Chosen by the grouped cross-validation (--cv) among a few settings (docs/glossary.md).
FIT_PARAMS = {
    "n_estimators": 300,
    "max_depth": 3,
    "learning_rate": 0.05,
    "min_samples_leaf": 20,
    "random_state": 0,
}
# The cut-off --fit proposes: the lowest at which the fitting sets' cross-validated shown
# proposals are at least this precise, averaged over the sets, by a margin of one standard error
# (the target).
TARGET_PRECISION = 0.6

Labelled = tuple[list[tuple[str, str]], np.ndarray, np.ndarray, list[Term], list[str]]


def _article_of(name: str) -> dict[int, str]:
    """Line number → article, from the `#` headings of a WMT22 lines file."""
    article, mapping = "", {}
    path = term_eval.DATA / f"{name}_lines.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            article = line
        elif line.split("#", 1)[0].strip():
            mapping[int(line.split()[0])] = article
    return mapping


def _group(name: str, source: str, articles: dict[int, str]) -> str:
    """The document a candidate's first pair belongs to: a WMT22 article, a seed text, or a
    block of 18 consecutive TICO-19 units."""
    origin, _, position = source.rpartition("#")
    number = int(position) if position.isdigit() else 0
    if name == "wmt22fit":
        return f"{name}:{articles.get(number, '')}"
    if name == "tico19":
        return f"{name}:{number // 18}"
    return f"{name}:{origin}"


def with_surroundings(
    units: list[TranslationUnit], surroundings: list[TranslationUnit]
) -> tuple[list[TranslationUnit], dict]:
    """A labelled sample followed by the rest of its corpus (term_eval.surrounding_pairs), and
    the candidate_features options that propose terms from the sample's pairs alone while
    every pair of the corpus counts as evidence (`zhen glossary extract --db-units --since`)."""
    if not surroundings:
        return units, {}
    sample = {(unit.origin, unit.position) for unit in units}
    # The sample comes first, so a candidate's first pair (its source, hence its document in
    # the grouped cross-validation, and its context) is a sample pair.
    return units + surroundings, {"fresh": lambda unit: (unit.origin, unit.position) in sample}


def labelled_sets(
    datasets: dict[str, tuple[list[TranslationUnit], list[Term]]],
    whole_corpus: bool = False,
    **options,
) -> dict[str, Labelled]:
    """For each set: candidate keys, feature matrix, labels (1 when gold), gold terms, groups.
    With `whole_corpus`, the evidence is the whole corpus around each sample (with_surroundings).
    The options are candidate_features' (`without`: finders to leave out)."""
    from zhen.glossary.extract import candidate_features

    articles = _article_of("wmt22_fit")
    out: dict[str, Labelled] = {}
    for name, (units, terms) in datasets.items():
        gold = term_eval.occurring(terms, units)
        keys = term_eval.gold_keys(gold)
        evidence, fresh = (
            with_surroundings(units, term_eval.surrounding_pairs(units))
            if whole_corpus
            else (units, {})
        )
        scored = candidate_features(evidence, **fresh, **options)
        candidate_keys = [(normalize_zh(c.zh), term_eval.en_key(c.en)) for c, _ in scored]
        out[name] = (
            candidate_keys,
            # A set may yield no candidate at all when finders are left out (term_ablation).
            np.asarray([vector for _, vector in scored], dtype=np.float64).reshape(
                len(scored), len(FEATURE_NAMES)
            ),
            np.asarray([int(key in keys) for key in candidate_keys]),
            gold,
            [_group(name, c.source, articles) for c, _ in scored],
        )
    return out


def fit_model(
    vectors: np.ndarray, labels: np.ndarray, features: Sequence[str] = FEATURE_NAMES
) -> TreeEnsemble:
    """Gradient-boosted trees fitted by scikit-learn, exported as a TreeEnsemble; `features`
    names the vectors' columns (all of FEATURE_NAMES unless some were left out)."""
    try:
        from sklearn.ensemble import GradientBoostingClassifier
    except ImportError:
        raise SystemExit("fitting needs scikit-learn: pip install -e '.[fit]'") from None
    classifier = GradientBoostingClassifier(**FIT_PARAMS).fit(vectors, labels)
    positive = float(classifier.init_.class_prior_[1])
    trees = [estimator.tree_ for estimator in classifier.estimators_[:, 0]]
    model = TreeEnsemble(
        prior=math.log(positive / (1 - positive)),
        learning_rate=float(classifier.learning_rate),
        feature=tuple(np.maximum(t.feature, 0).astype(np.int64) for t in trees),
        threshold=tuple(t.threshold.astype(np.float64) for t in trees),
        left=tuple(t.children_left.astype(np.int64) for t in trees),
        right=tuple(t.children_right.astype(np.int64) for t in trees),
        value=tuple(t.value[:, 0, 0].astype(np.float64) for t in trees),
        features=tuple(features),
    )
    # The export must score exactly as scikit-learn does.
    expected = classifier.predict_proba(vectors)[:, 1]
    if not np.allclose(model.probabilities(vectors), expected, atol=1e-9):
        raise SystemExit("exported trees disagree with scikit-learn's predictions")
    return model


def fit_all(labelled: dict[str, Labelled]) -> TreeEnsemble:
    """The model fitted on every candidate of the sets `labelled`."""
    vectors = np.vstack([data[1] for data in labelled.values()])
    labels = np.concatenate([data[2] for data in labelled.values()])
    return fit_model(vectors, labels)


def shown_indices(data: Labelled, scores: Sequence[float], cutoff: float) -> list[int]:
    """The candidates shown at a cut-off, as `zhen glossary extract` shows them: the
    best-scoring rendering of each Chinese term."""
    keys = data[0]
    shown, terms_seen = [], set()
    for index in sorted(range(len(keys)), key=lambda i: -scores[i]):
        if scores[index] < cutoff:
            break
        if keys[index][0] not in terms_seen:
            terms_seen.add(keys[index][0])
            shown.append(index)
    return shown


def figures(data: Labelled, scores: Sequence[float], cutoff: float) -> tuple[float, float, int]:
    """(precision, recall of the gold, proposals shown) at a cut-off (shown_indices)."""
    keys, _, labels, gold, _ = data
    shown = shown_indices(data, scores, cutoff)
    correct = sum(int(labels[i]) for i in shown)
    recall = term_eval.found_terms({keys[i] for i in shown}, gold) / max(len(gold), 1)
    return correct / max(len(shown), 1), recall, len(shown)


def choose_cutoff(sets: list[tuple[Labelled, Sequence[float]]]) -> float:
    """The lowest cut-off at which the sets' shown proposals reach TARGET_PRECISION on average
    over the sets, by a margin of one standard error of that average (binomial, per set).

    Each set counts once, however many proposals it shows, so the largest does not decide
    alone; the margin asks that unseen text meet the target with some confidence, not merely on
    average (a set showing few proposals has a wide error, and widens the margin)."""
    for step in range(5, 96):
        cutoff = step / 100
        results = [figures(data, scores, cutoff) for data, scores in sets]
        shown = [(precision, count) for precision, _, count in results if count]
        if sum(count for _, count in shown) < 10:
            continue
        average = sum(precision for precision, _ in shown) / len(shown)
        variance = sum(p * (1 - p) / count for p, count in shown) / len(shown) ** 2
        if average - math.sqrt(variance) >= TARGET_PRECISION:
            return cutoff
    return 0.95


def _line(name: str, result: tuple[float, float, int]) -> str:
    precision, recall, shown = result
    return f"{name}: precision {precision:.1%}, recall(shown) {recall:.1%}, {shown} shown"


def held_out_scores(labelled: dict[str, Labelled], fitter=None) -> list[list[float]]:
    """Per set, each candidate's score by a model fitted without its own document; `fitter`
    takes the vectors and labels it fits on and returns a scoring function."""
    fitter = fitter or fit_model
    names = list(labelled)
    vectors = np.vstack([labelled[n][1] for n in names])
    labels = np.concatenate([labelled[n][2] for n in names])
    groups = np.asarray([g for n in names for g in labelled[n][4]])
    held_out = np.zeros(len(labels))
    for group in sorted(set(groups)):
        inside = groups == group
        held_out[inside] = fitter(vectors[~inside], labels[~inside])(vectors[inside])
    scores, start = [], 0
    for name in names:
        end = start + len(labelled[name][2])
        scores.append(held_out[start:end].tolist())
        start = end
    return scores


def cross_validate(labelled: dict[str, Labelled]) -> float:
    """Print the figures of the cross-validated scores at the cut-off they imply; return it."""
    scores = held_out_scores(labelled, lambda x, y: fit_model(x, y).probabilities)
    sets = list(zip(labelled.values(), scores, strict=True))
    cutoff = choose_cutoff(sets)
    documents = len({group for data in labelled.values() for group in data[4]})
    print(f"cross-validated ({documents} documents, each scored by a model fitted "
          f"without it): DISPLAY_SCORE = {cutoff:.2f}")  # fmt: skip
    for name, (data, set_scores) in zip(labelled, sets, strict=True):
        print("  " + _line(name, figures(data, set_scores, cutoff)))
    return cutoff


def compare_logistic(labelled: dict[str, Labelled]) -> None:
    """--compare: the trees beside an L2-regularised logistic model (the scoring model before
    the trees), both cross-validated alike, at a few cut-offs."""
    from sklearn.linear_model import LogisticRegression

    def logistic(vectors: np.ndarray, labels: np.ndarray):
        # The first feature is the constant 1: the intercept is fitted, not penalised.
        model = LogisticRegression(C=1 / 0.3, max_iter=2000).fit(vectors[:, 1:], labels)
        return lambda rows: model.predict_proba(rows[:, 1:])[:, 1].tolist()

    models = {
        "logistic": held_out_scores(labelled, logistic),
        "trees": held_out_scores(labelled, lambda x, y: fit_model(x, y).probabilities),
    }
    print("| cut-off | model | " + " | ".join(labelled) + " | all |")
    print("|---" * (len(labelled) + 3) + "|")
    for cutoff in (0.35, 0.40, 0.45, 0.50):
        for name, scores in models.items():
            cells, correct, shown = [], 0.0, 0
            for data, set_scores in zip(labelled.values(), scores, strict=True):
                precision, recall, count = figures(data, set_scores, cutoff)
                cells.append(f"{precision:.0%} / {recall:.0%} / {count}")
                correct, shown = correct + precision * count, shown + count
            print(f"| {cutoff:.2f} | {name} | " + " | ".join(cells) +
                  f" | {correct / max(shown, 1):.1%} of {shown} |")  # fmt: skip


def write_model(model: TreeEnsemble, path: Path = MODEL_FILE) -> None:
    """The model as JSON beside scoring.py, written to a temp file and renamed."""
    text = json.dumps(model.to_dict(), separators=(",", ":")) + "\n"
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".scoring_model.")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text)
    os.chmod(temp, 0o644)
    os.replace(temp, path)


def fit(datasets: dict[str, tuple[list[TranslationUnit], list[Term]]], compare: bool) -> None:
    labelled = labelled_sets(datasets)
    if compare:
        compare_logistic(labelled)
        return
    cutoff = cross_validate(labelled)
    model = fit_all(labelled)
    print(f"fitted on {' + '.join(labelled)}, scoring its own training data at that cut-off:")
    for name, data in labelled.items():
        print("  " + _line(name, figures(data, model.probabilities(data[1]), cutoff)))
    write_model(model)
    print(f"wrote {MODEL_FILE}")


def main(argv: list[str]) -> int:
    fit(term_eval.fitting_sets()[0], compare="--compare" in argv)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

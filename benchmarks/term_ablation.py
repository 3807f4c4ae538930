"""What each rule of term extraction buys: leave out one finder or one feature family, refit the
scoring model, and measure the held-out WMT22 sample against its adjudicated gold.

Run: python benchmarks/term_ablation.py [--quick]   (needs scikit-learn: pip install -e '.[fit]')

One row per finder left out (zhen.glossary.extract.stream.FINDERS: its candidates are never
found, in the fitting sets nor in the held-out set) and per feature family left out
(zhen.glossary.extract.scoring.FEATURE_FAMILIES: its columns are dropped before the model is
fitted and when it scores), beside the full model refitted alike in the same run and the
packaged model. Every model is fitted as benchmarks/term_fit.py fits it, on the seeds, TICO-19
and WMT22 fitting sets; the held-out sample never enters a fit. Shown proposals are counted as
term_fit counts them (the best-scoring rendering of each Chinese term at the packaged cut-off,
DISPLAY_SCORE, kept the same for every row so that the rows differ only by what was left out).

--quick leaves the finders' rows out (no extraction but the full one): the feature families'
rows alone, in about a third of the time (142 s against 433 s, 2026-12-07).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Collection
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from zhen.glossary.extract import DISPLAY_SCORE
from zhen.glossary.extract.scoring import (
    FEATURE_FAMILIES,
    TreeEnsemble,
    feature_columns,
    feature_names,
    packaged_model,
)
from zhen.glossary.extract.stream import FINDERS
from zhen.models import Term, TranslationUnit

sys.path.insert(0, str(Path(__file__).resolve().parent))
import term_eval  # sibling scripts, not a package
import term_fit

HELD_OUT = "wmt22"


Datasets = dict[str, tuple[list[TranslationUnit], list[Term]]]


def datasets() -> Datasets:
    """The fitting sets and the held-out set: pairs and labelled terms."""
    fitting, reason = term_eval.fitting_sets()
    held_out, why = term_eval.wmt22_pairs()
    if reason or why:
        raise SystemExit(f"term_ablation: the WMT22 samples are needed: {reason or why}")
    gold, _ = term_eval.adjudicated_terms()
    return {**fitting, HELD_OUT: (held_out, gold)}


def labelled(data: Datasets, without: Collection[str] = ()) -> dict[str, term_fit.Labelled]:
    """The sets' candidates labelled, with the finders `without` left out."""
    return term_fit.labelled_sets(data, without=frozenset(without))


def fit_without(
    sets: dict[str, term_fit.Labelled], families: Collection[str] = ()
) -> tuple[TreeEnsemble, list[int]] | None:
    """A model fitted on the fitting sets with the feature families `families` left out (their
    columns dropped before the fit), and the columns of a full vector it scores; None when
    the fitting sets hold no right candidate or no wrong one."""
    names = feature_names(families)
    columns = feature_columns(names)
    fitting = [data for name, data in sets.items() if name != HELD_OUT]
    labels = np.concatenate([data[2] for data in fitting])
    if len(set(labels.tolist())) < 2:
        return None
    vectors = np.vstack([data[1] for data in fitting])[:, columns]
    return term_fit.fit_model(vectors, labels, names), columns


def held_out_figures(
    sets: dict[str, term_fit.Labelled], families: Collection[str] = ()
) -> tuple[float, float, int, float]:
    """(recall(shown), precision, shown, recall(all)) on the held-out set of a model fitted on
    the fitting sets, with the feature families `families` left out."""
    fitted = fit_without(sets, families)
    held = sets[HELD_OUT]
    if fitted is None:
        return _figures(held, [0.0] * len(held[0]))
    model, columns = fitted
    return _figures(held, model.probabilities(held[1][:, columns]))


def _figures(held: term_fit.Labelled, scores: list[float]) -> tuple[float, float, int, float]:
    precision, recall, shown = term_fit.figures(held, scores, DISPLAY_SCORE)
    keys, _, _, gold, _ = held
    recall_all = term_eval.found_terms(set(keys), gold) / max(len(gold), 1)
    return recall, precision, shown, recall_all


def _row(label: str, figures: tuple[float, float, int, float], full: tuple | None) -> str:
    recall, precision, shown, recall_all = figures
    if full is None:
        changes = ("", "")
    else:
        changes = (
            f" ({(recall - full[0]) * 100:+.1f})",
            f" ({(precision - full[1]) * 100:+.1f})",
        )
    return (
        f"| {label} | {recall:.1%}{changes[0]} | {precision:.1%}{changes[1]} | {shown} | "
        f"{recall_all:.1%} |"
    )


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    started = time.perf_counter()
    data = datasets()
    sets = labelled(data)
    held = sets[HELD_OUT]
    print(
        f"term_ablation{' --quick' if quick else ''}, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC: "
        f"held-out {HELD_OUT}, {len(held[3])} gold terms, {len(held[0])} candidates; "
        f"cut-off {DISPLAY_SCORE}; (change from the full refitted model, in points)"
    )
    print("| left out | recall(shown) | precision | shown | recall(all) |")
    print("|---|---|---|---|---|")
    packaged = _figures(held, packaged_model().probabilities(held[1]))
    print(_row("nothing (packaged model)", packaged, None), flush=True)
    full = held_out_figures(sets)
    print(_row("nothing (refitted here)", full, None), flush=True)
    for family in FEATURE_FAMILIES:
        figures = held_out_figures(sets, [family])
        print(_row(f"feature family: {family}", figures, full), flush=True)
    if not quick:
        for finder in FINDERS:
            figures = held_out_figures(labelled(data, [finder]))
            print(_row(f"finder: {finder}", figures, full), flush=True)
    print(f"({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

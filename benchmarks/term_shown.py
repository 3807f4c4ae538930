"""The shown list on text the model never saw: recall(shown), precision and the blind reviewer's
"usable as is" share, one row per labelled set.

Run: python benchmarks/term_shown.py [--cutoff=X] [--whole-corpus]   (about 8 minutes on 2
cores; needs scikit-learn, `pip install -e '.[fit]'`)

A last table, "the best any cut-off does", gives per set the highest recall(shown) at any
cut-off (in steps of 0.01) whose shown list still holds the issue's 70 % precision: the goal's
own terms, with the cut-off chosen per set after seeing its labels, so an upper bound on what a
single packaged cut-off can show. Its "in sample" rows score the fitting sets with the packaged
model, which was fitted on those very candidates: how well the features separate terms from
non-terms at best, a ceiling for this model rather than a figure for new text.

--whole-corpus draws each set's evidence from the whole corpus around its labelled sample (all
3,071 TICO-19 units, every line of the WMT22 test file; the seeds have no larger corpus) while
proposing terms from the sample's pairs alone, as `zhen glossary extract --db-units --since`
does on a translator's TM; the held-out sample is then scored by a model refitted on the three
fitting sets built the same way, not by the packaged one.

The fitting sets (seeds, tico19, wmt22fit) are scored out of fold: every candidate by a model
fitted without its own document, grouped as benchmarks/term_fit.py groups them (a WMT22 article,
a seed text, a block of TICO-19 units). The held-out WMT22 sample is scored by the packaged
model, which term_fit.py fitted on the three fitting sets. A row's shown list is what
`zhen glossary extract` shows at the cut-off (DISPLAY_SCORE unless --cutoff), and again at the
cut-off term_fit's rule chooses on these out-of-fold scores when that differs: the best-scoring
rendering of each Chinese term. recall(shown) and precision are against the labelled gold
(adjudicated for wmt22), as term_eval.py counts them; "reviewer" is the share of the shown
proposals the blind reviewer judged usable as is (`term` in benchmarks/data/*_judged.tsv) among
those judged, and "unjudged" says how many shown proposals have no verdict yet.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from zhen.glossary.extract import DISPLAY_SCORE
from zhen.glossary.extract.scoring import packaged_model
from zhen.text.normalize import normalize_zh

sys.path.insert(0, str(Path(__file__).resolve().parent))
import term_ablation  # sibling scripts, not a package
import term_eval
import term_fit


def reviewer_share(name: str, data: term_fit.Labelled, shown: list[int]) -> tuple[int, int]:
    """(judged usable as is, judged) among the shown candidates `shown` of set `name`."""
    verdicts = {
        (normalize_zh(zh), term_eval.en_key(en)): verdict
        for (zh, en), verdict in (term_eval.load_judgements(name) or {}).items()
    }
    judged = [verdicts[data[0][i]] for i in shown if data[0][i] in verdicts]
    return sum(verdict == "term" for verdict in judged), len(judged)


def row(
    name: str, scoring: str, data: term_fit.Labelled, scores: list[float], cutoff: float
) -> str:
    """One line of the table for set `name` scored by `scores` at `cutoff`."""
    keys, _, _, gold, _ = data
    precision, recall, count = term_fit.figures(data, scores, cutoff)
    usable, judged = reviewer_share(name, data, term_fit.shown_indices(data, scores, cutoff))
    recall_all = term_eval.found_terms(set(keys), gold) / max(len(gold), 1)
    reviewer = f"{usable / judged:.1%} of {judged}" if judged else "—"
    return (
        f"| {name} | {scoring} | {len(gold)} | {recall_all:.1%} | {recall:.1%} | {precision:.1%} "
        f"| {count} | {reviewer} | {count - judged} |"
    )


# The precision the issue asks of the shown list.
GOAL_PRECISION = 0.70


def best_cutoff(data: term_fit.Labelled, scores: list[float]) -> str:
    """The highest recall(shown) at any cut-off whose precision is at least GOAL_PRECISION, as
    table cells (recall, precision, shown, cut-off); dashes when none is."""
    best = None
    for step in range(1, 100):
        precision, recall, count = term_fit.figures(data, scores, step / 100)
        if count and precision >= GOAL_PRECISION and (best is None or recall > best[0]):
            best = (recall, precision, count, step / 100)
    if best is None:
        return "— | — | 0 | —"
    recall, precision, count, cutoff = best
    return f"{recall:.1%} | {precision:.1%} | {count} | {cutoff:.2f}"


def main(argv: list[str]) -> int:
    cutoff = next((float(a.split("=", 1)[1]) for a in argv if a.startswith("--cutoff=")), None)
    started = time.perf_counter()
    whole_corpus = "--whole-corpus" in argv
    sets = term_fit.labelled_sets(term_ablation.datasets(), whole_corpus=whole_corpus)
    held = sets.pop(term_ablation.HELD_OUT)
    out_of_fold = term_fit.held_out_scores(
        sets, lambda x, y: term_fit.fit_model(x, y).probabilities
    )
    chosen = term_fit.choose_cutoff(list(zip(sets.values(), out_of_fold, strict=True)))
    print(f"packaged DISPLAY_SCORE {DISPLAY_SCORE}; the out-of-fold scores choose {chosen:.2f} "
          "by term_fit's rule")  # fmt: skip
    # The packaged model was fitted on sample-level evidence; whole-corpus features need a model
    # fitted on whole-corpus evidence, as term_fit.py would fit it.
    model = term_fit.fit_all(sets) if whole_corpus else packaged_model()
    held_scoring = (
        "held out (refitted, whole corpus)" if whole_corpus else "held out (packaged model)"
    )
    held_scores = model.probabilities(held[1])
    documents = len({group for data in sets.values() for group in data[4]})
    for shown_at in sorted({DISPLAY_SCORE if cutoff is None else cutoff, chosen}, reverse=True):
        print(f"\ncut-off {shown_at:.2f}:")
        print("| data | scored | gold | recall(all) | recall(shown) | precision | shown | "
              "reviewer: usable as is | unjudged |")  # fmt: skip
        print("|---|---|---|---|---|---|---|---|---|")
        for (name, data), scores in zip(sets.items(), out_of_fold, strict=True):
            print(row(name, f"out of fold ({documents} documents)", data, scores, shown_at))
        print(row(term_ablation.HELD_OUT, held_scoring, held, held_scores, shown_at))
    print(f"\nthe best any cut-off does at precision >= {GOAL_PRECISION:.0%}:")
    print("| data | scored | recall(shown) | precision | shown | cut-off |")
    print("|---|---|---|---|---|---|")
    for (name, data), scores in zip(sets.items(), out_of_fold, strict=True):
        print(f"| {name} | out of fold | {best_cutoff(data, scores)} |")
        if not whole_corpus:
            in_sample = packaged_model().probabilities(data[1])
            print(f"| {name} | in sample (packaged model) | {best_cutoff(data, in_sample)} |")
    print(f"| {term_ablation.HELD_OUT} | {held_scoring} | {best_cutoff(held, held_scores)} |")
    print(f"({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

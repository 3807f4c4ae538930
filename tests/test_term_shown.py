"""The shown-list measure (benchmarks/term_shown.py): the shown proposals are the best rendering
of each Chinese term at the cut-off, and the reviewer's share counts only judged proposals."""

from __future__ import annotations

import importlib.util
import sys

import numpy as np

from tests.support.paths import REPO_ROOT
from zhen.models import Term


def _term_shown():
    sys.path.insert(0, str(REPO_ROOT / "benchmarks"))
    spec = importlib.util.spec_from_file_location(
        "term_shown", REPO_ROOT / "benchmarks" / "term_shown.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _labelled():
    # Rows of benchmarks/data/seeds_judged.tsv: 越共中央 is judged a term, 两党两国 not one; the
    # third rendering of 越共中央 and 测试词 have no verdict.
    keys = [
        ("越共中央", "cpv central committee"),
        ("两党两国", "two party and country"),
        ("越共中央", "cpv"),
        ("测试词", "test word"),
    ]
    gold = [Term(zh="越共中央", en="CPV Central Committee")]
    labels = np.asarray([1, 0, 0, 0])
    return keys, np.zeros((4, 1)), labels, gold, ["a", "a", "b", "b"]


def test_each_chinese_term_is_shown_once_and_only_judged_proposals_count():
    term_shown = _term_shown()
    data = _labelled()
    scores = [0.9, 0.8, 0.7, 0.2]
    shown = term_shown.term_fit.shown_indices(data, scores, 0.5)
    # 越共中央 → "CPV" rides behind its better rendering; 测试词 is under the cut-off.
    assert shown == [0, 1]
    assert term_shown.reviewer_share("seeds", data, shown) == (1, 2)
    row = term_shown.row("seeds", "out of fold", data, scores, 0.1)
    # At 0.1 测试词 is shown too, unjudged: the share is of the two judged, one of three unjudged.
    assert row == "| seeds | out of fold | 1 | 100.0% | 100.0% | 33.3% | 3 | 50.0% of 2 | 1 |"

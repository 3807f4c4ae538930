"""The side-by-side benchmark of the per-pair work (benchmarks/pair_speed.py): both trees run
in their own child processes, and a difference in what they find is reported, not hidden."""

from __future__ import annotations

from tests.support.paths import REPO_ROOT, load_script, third_party


def _pair_speed():
    return load_script("benchmarks/pair_speed.py")


def test_one_tree_against_itself_finds_the_same(capsys):
    third_party("data", "wmt22-general-zhen")  # skips, saying why, without the data
    pair_speed = _pair_speed()
    tree = str(REPO_ROOT)
    assert pair_speed.main([tree, tree, "--pairs", "30", "--rounds", "1", "--repeats", "1"]) == 0
    out = capsys.readouterr().out
    assert "| 1 |" in out and "same candidates in both trees" in out


def test_trees_that_find_different_candidates_are_told_apart(capsys):
    pair_speed = _pair_speed()
    rounds = [
        {"before": {"seconds": 2.0, "digest": "a"}, "after": {"seconds": 1.0, "digest": "b"}},
    ]
    assert not pair_speed.report(rounds, 30)
    out = capsys.readouterr().out
    assert "-50.0%" in out and "different candidates" in out

"""The scratch tables of a term-extraction run (zhen.store.scratch), on real SQLite files."""

from __future__ import annotations

import pickle

import pytest

from zhen.store import scratch


def test_records_keep_their_first_place_and_find_stronger_rivals(tmp_path):
    table = scratch.ScratchTable(tmp_path / "t.sqlite")
    table.put([("甲", "a", 1, 0.5, b"1", 0), ("乙", "a", 2, 0.5, b"2", 0)])
    table.put_contexts([(0, b"pair 0"), (1, b"pair 1")])
    assert table.get([("甲", "a"), ("丙", "c")]) == {("甲", "a"): b"1"}
    # Replaced, it keeps its place; a record of equal count and a higher mean is stronger.
    # A context is kept once, as first given, and cited by as many records as cite it.
    table.put([("甲", "a", 2, 0.75, b"1'", 1), ("甲", "b", 2, 0.5, b"3", 1)])
    table.put_contexts([(1, b"pair 1 again"), (2, b"pair 2")])
    assert list(table.ranked()) == [
        (b"1'", b"pair 1", 0, 0),
        (b"2", b"pair 0", 0, 1),
        (b"3", b"pair 1", 1, 0),
    ]
    assert list(table.records()) == [b"1'", b"2", b"3"]
    assert len(table) == 3
    table.close()


def test_many_keys_are_looked_up_a_batch_at_a_time_in_their_order(tmp_path, monkeypatch):
    monkeypatch.setattr(scratch, "_KEYS_PER_QUERY", 3)
    table = scratch.ScratchTable(tmp_path / "t.sqlite")
    table.put([(str(n), "x", 1, 0.5, str(n).encode(), 0) for n in range(0, 10, 2)])
    keys = [(str(n), "x") for n in (9, 8, 7, 4, 0, 6, 2, 5)] + [("4", "y")]
    found = table.get(keys)
    assert list(found.items()) == [
        (("8", "x"), b"8"),
        (("4", "x"), b"4"),
        (("0", "x"), b"0"),
        (("6", "x"), b"6"),
        (("2", "x"), b"2"),
    ]
    assert table.get([]) == {}
    table.close()


def test_pair_counts_are_summed_and_rare_ones_dropped(tmp_path, monkeypatch):
    counts = scratch.PairCounts(tmp_path / "c.sqlite")
    counts.add([(("中", "china"), 1), (("中", "middl"), 1), (("国", "country"), 2)])
    counts.add([(("中", "china"), 2), (("中", "middl"), 0)])
    monkeypatch.setattr(scratch, "_READER_ROWS", 1)
    # A worker gets the reader pickled: it reopens the file, read-only.
    reader = pickle.loads(pickle.dumps(counts.settle(2)))
    assert [reader.get(key) for key in [("中", "china"), ("中", "middl"), ("国", "country")]] == [
        3,
        0,
        2,
    ]
    assert reader.get(("中", "china")) == 3  # read again after the bounded cache let it go
    reader.close()


def test_pair_counts_take_in_the_counts_another_one_kept_in_a_file(tmp_path):
    batch = scratch.PairCounts(tmp_path / "batch.sqlite")
    batch.add([(("中", "china"), 2), (("国", "country"), 1)])
    batch.close()
    counts = scratch.PairCounts(tmp_path / "c.sqlite")
    counts.add([(("中", "china"), 1)])
    counts.add_file(tmp_path / "batch.sqlite")
    assert not (tmp_path / "batch.sqlite").exists()
    reader = counts.settle(2)
    assert [reader.get(key) for key in [("中", "china"), ("国", "country")]] == [3, 0]
    reader.close()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["c.sqlite"]


def test_pair_counts_keep_only_pairs_whose_dice_reaches_the_minimum(tmp_path):
    counts = scratch.PairCounts(tmp_path / "c.sqlite")
    counts.add([(("中", "china"), 3), (("中", "state"), 2), (("国", "country"), 2)])
    counts.add([(("中", "middl"), 2), (("国", "china"), 2)])
    firsts = {"中": 5, "国": 2}
    seconds = {"china": 3, "state": 3, "middl": 9, "country": 2}
    reader = counts.settle(2, (firsts, seconds), 0.5)
    kept = {
        key: reader.get(key)
        for key in [
            ("中", "china"),
            ("中", "state"),
            ("中", "middl"),
            ("国", "country"),
            ("国", "china"),
        ]
    }
    # 2·3/(5+3) = 0.75, 2·2/(5+3) = 0.5 exactly (kept), 2·2/(5+9) < 0.5, 2·2/(2+2) = 1,
    # 2·2/(2+3) = 0.8.
    assert kept == {
        ("中", "china"): 3,
        ("中", "state"): 2,
        ("中", "middl"): 0,
        ("国", "country"): 2,
        ("国", "china"): 2,
    }
    reader.close()


def test_needles_are_counted_and_marked_a_batch_at_a_time(tmp_path):
    needles = scratch.NeedleTable(tmp_path / "n.sqlite")
    needles.add([(0, "呼吸道"), (0, "综合征"), (1, "virus"), (0, "呼吸道")])
    assert list(needles.batches(0, 1)) == [{"呼吸道": 0}, {"综合征": 0}]
    needles.set_counts(0, {"综合征": 4})
    needles.set_nested(0, ["呼吸道"])
    assert list(needles.counted(0)) == [("呼吸道", 0), ("综合征", 4)]
    assert (needles.get(0, "呼吸道"), needles.get(0, "综合征")) == ((0, True), (4, False))
    needles.close()


def test_needles_are_read_many_to_a_statement(tmp_path, monkeypatch):
    monkeypatch.setattr(scratch, "_KEYS_PER_QUERY", 3)
    needles = scratch.NeedleTable(tmp_path / "n.sqlite")
    texts = [f"词{n}" for n in range(8)]
    needles.add([(0, text) for text in texts] + [(1, "词1")])
    needles.set_counts(0, {text: n for n, text in enumerate(texts)})
    needles.set_nested(0, ["词2", "词7"])
    asked = ["词7", "词1", "词7", "词0", "词2", "词3", "词4", "词5"]
    found = needles.get_many(0, asked)
    assert found == {text: (int(text[1:]), text in ("词2", "词7")) for text in asked}
    assert needles.get_many(1, ["词1"]) == {"词1": (0, False)}
    with pytest.raises(KeyError, match="词9"):
        needles.get_many(0, ["词1", "词9"])
    needles.close()

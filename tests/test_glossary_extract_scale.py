"""Term extraction at TM scale gives what it gave before it was streamed: same candidates, same
scores to the last bit, same order, whether run in one process or spread over several."""

from __future__ import annotations

import gc
import gzip
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from zhen import glossary
from zhen.glossary.extract import stream, tally
from zhen.io import tmx
from zhen.store import scratch

EXPECTED = Path(__file__).parent / "data" / "extract_expected"


def _rows(candidates: list[glossary.Candidate]) -> list[list[object]]:
    rows = []
    for c in candidates:
        context = hashlib.sha1(f"{c.zh_context}\t{c.en_context}".encode()).hexdigest()[:12]
        rows.append([c.zh, c.en, repr(c.score), str(c.kind), c.source, c.count, context])
    return rows


def _expected(name: str) -> list[list[object]]:
    with gzip.open(EXPECTED / f"{name}.jsonl.gz", "rt", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


@pytest.mark.parametrize("name", ["xinhua", "tico19_sample"])
def test_extraction_matches_the_output_before_streaming(name):
    units = list(tmx.iter_units(EXPECTED / f"{name}.tmx"))
    assert _rows(glossary.extract_candidates(units)) == _expected(name)


@pytest.mark.parametrize("workers", [1, 2])
def test_chunked_extraction_in_one_or_two_processes_matches_it_too(workers):
    units = list(tmx.iter_units(EXPECTED / "xinhua.tmx"))
    found = glossary.extract_candidates(units, chunk_pairs=10, workers=workers)
    assert _rows(found) == _expected("xinhua")


@pytest.mark.parametrize("name", ["xinhua", "tico19_sample"])
def test_tight_memory_bounds_change_no_output(name, monkeypatch):
    # The scratch tables on disk are read through small windows: a few needles per automaton,
    # a few word counts held at once, a few candidates and keys per lookup; the candidates
    # must not change.
    monkeypatch.setattr(tally, "NEEDLE_BATCH", 50)
    monkeypatch.setattr(tally, "_SETTLE_BATCH", 7)
    monkeypatch.setattr(scratch, "_READER_ROWS", 20)
    monkeypatch.setattr(scratch, "_KEYS_PER_QUERY", 5)
    units = list(tmx.iter_units(EXPECTED / f"{name}.tmx"))
    assert _rows(glossary.extract_candidates(units, chunk_pairs=10)) == _expected(name)


def test_a_run_collects_young_objects_less_often_and_gives_the_caller_its_setting_back():
    before = gc.get_threshold()
    seen = []
    with stream._fewer_collections():
        seen.append(gc.get_threshold())
        with stream._pool(True, 2) as pool:
            in_worker = pool.submit(gc.get_threshold).result()
    assert seen[0][0] == in_worker[0] == stream._YOUNG_COLLECTION_AFTER
    assert seen[0][1:] == before[1:]
    assert gc.get_threshold() == before
    with pytest.raises(KeyError), stream._fewer_collections():
        raise KeyError("a run that fails")
    assert gc.get_threshold() == before


# TICO-19 pair 1219: 南 reads na and nan, and the name is Zhong Nanshan.
_NANSHAN = (
    "中国政府高级医疗顾问钟南山认为，如果所有国家动员起来，采纳世界卫生组织关于采取措施阻止病毒"
    "传播的建议，那么“6 月份结束疫情是可以期待的”。",
    "The Chinese government's senior medical adviser Zhong Nanshan argued that \"it could be over "
    "by June\" if all countries can be mobilized to follow the WHO's advice on measures to stop "
    "the spread of the virus.",
)
_EXTRACT_ROWS = """
import json, sys
from zhen import glossary
from zhen.models import TranslationUnit
zh, en = json.loads(sys.stdin.read())
found = glossary.extract_candidates([TranslationUnit(zh=zh, en=en, origin="tico19", position=1)])
print(json.dumps([[c.zh, c.en, repr(c.score), str(c.kind), c.source, c.count] for c in found]))
"""


def _rows_with_hash_seed(seed: str) -> list[list[object]]:
    package = Path(glossary.__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(package.parent)}
    done = subprocess.run(
        [sys.executable, "-c", _EXTRACT_ROWS],
        input=json.dumps(_NANSHAN),
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    rows: list[list[object]] = json.loads(done.stdout)
    return rows


def test_extraction_does_not_depend_on_the_hash_seed():
    # Seeds 0 and 5 iterate 南's readings {na, nan} in opposite orders.
    assert _rows_with_hash_seed("0") == _rows_with_hash_seed("5")


def test_a_full_disk_under_the_scratch_files_is_one_error_naming_tmpdir() -> None:
    import errno
    import sqlite3

    from zhen.errors import ZhenError
    from zhen.glossary.extract.stream import temporary_folder

    for full in (OSError(errno.ENOSPC, "No space left on device"),
                 sqlite3.OperationalError("database or disk is full")):  # fmt: skip
        with (
            pytest.raises(ZhenError, match=r"ran out of disk space .* TMPDIR"),
            temporary_folder() as folder,
        ):
            assert folder.is_dir()
            raise full
        assert not folder.exists()
    # Any other error is not a full disk and passes as it is.
    with pytest.raises(PermissionError), temporary_folder():
        raise PermissionError(errno.EACCES, "Permission denied")


def test_calls_are_handed_out_a_bounded_number_ahead_and_their_results_come_in_order():
    handed: list[int] = []

    def calls():
        for n in range(10):
            handed.append(n)
            yield pow, (n, 2)

    results = stream.in_order(stream._InProcess(), calls(), 2)
    assert next(results) == 0
    assert handed == [0, 1, 2]  # the oldest awaited, and two beyond it
    assert list(results) == [n * n for n in range(1, 10)]

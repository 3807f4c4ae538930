"""Term extraction at TM scale gives what it gave before it was streamed: same candidates, same
scores to the last bit, same order, whether run in one process or spread over several."""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import pytest

from zhen import glossary
from zhen.io import tmx

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

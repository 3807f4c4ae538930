"""Sentence segmentation benchmark: zhen.text.segment against a naive punctuation splitter.

Consecutive lines of line-aligned corpora (WMT22 zh-en test set, Tatoeba cmn-eng) are joined
into paragraphs of five; a segmenter should split the paragraph again at every line boundary
(boundary recall) and should rarely split inside a line (most lines are one sentence; a split
inside a line is either a real sentence end or an error such as "Mr. | Lu"). Both are printed
for zhen and for the baseline, with lines per second.

    python benchmarks/segment_eval.py
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

from zhen.io.textfile import read_text
from zhen.text.segment import split_en, split_zh

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
GROUP = 5

_NAIVE_EN = re.compile(r"(?<=[.!?])\s+(?=[\"“A-Z0-9])")
_NAIVE_ZH = re.compile(r"(?<=[。！？!?])")


def naive_en(paragraph: str) -> list[str]:
    return [part for part in _NAIVE_EN.split(paragraph) if part.strip()]


def naive_zh(paragraph: str) -> list[str]:
    return [part for part in _NAIVE_ZH.split(paragraph) if part.strip()]


def boundaries(sentences: list[str]) -> set[int]:
    """Where each sentence but the first starts, counted in non-space characters.

    Counting without spaces makes the offsets independent of how a segmenter trims or
    normalises the whitespace between sentences.
    """
    offsets, position = set(), 0
    for index, sentence in enumerate(sentences):
        if index:
            offsets.add(position)
        position += sum(1 for ch in sentence if not ch.isspace())
    return offsets


def evaluate(lines: list[str], joiner: str, split: Callable[[str], list[str]]) -> tuple:
    """(boundary recall, splits inside lines per 100 lines, lines per second)."""
    found = gold_total = inside = 0
    groups = [
        [line.strip() for line in lines[first : first + GROUP]]
        for first in range(0, len(lines) - GROUP + 1, GROUP)
    ]
    start = time.perf_counter()
    predictions = [boundaries(split(joiner.join(group))) for group in groups]
    seconds = time.perf_counter() - start
    for group, predicted in zip(groups, predictions, strict=True):
        gold = boundaries(group)
        found += len(gold & predicted)
        gold_total += len(gold)
        inside += len(predicted - gold)
    line_count = len(groups) * GROUP
    return found / max(gold_total, 1), 100 * inside / max(line_count, 1), line_count / seconds


def main() -> int:
    if not DATA.exists():
        print(f"{DATA} not found: this benchmark reads ../shared/data", file=sys.stderr)
        return 2
    wmt = DATA / "wmt22-general-zhen"
    zh_lines = [ln for ln in read_text(wmt / "generaltest2022.zh-en.src.zh").split("\n") if ln]
    en_lines = [ln for ln in read_text(wmt / "generaltest2022.zh-en.ref.A.en").split("\n") if ln]
    tatoeba = [ln.split("\t") for ln in read_text(DATA / "tatoeba" / "cmn.txt").split("\n") if ln]
    corpora = [
        ("wmt22 zh", zh_lines, "", split_zh, naive_zh),
        ("wmt22 en", en_lines, " ", split_en, naive_en),
        ("tatoeba zh", [row[1] for row in tatoeba], "", split_zh, naive_zh),
        ("tatoeba en", [row[0] for row in tatoeba], " ", split_en, naive_en),
    ]
    print(
        f"{'corpus':<11} {'system':<8} {'lines':>6} {'boundary recall':>15} "
        f"{'splits inside /100 lines':>24} {'lines/s':>9}"
    )
    for name, lines, joiner, zhen_split, naive_split in corpora:
        for system, split in (("zhen", zhen_split), ("naive", naive_split)):
            recall, inside, speed = evaluate(lines, joiner, split)
            print(
                f"{name:<11} {system:<8} {len(lines):>6} {recall:>15.4f} {inside:>24.2f} "
                f"{speed:>9.0f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())

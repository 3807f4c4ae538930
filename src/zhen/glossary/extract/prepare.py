"""Stage 1 of term extraction, pair evidence: a chunk of Pairs → each pair's tokens and texts,
kept on disk for the later stages, and the chunk's word Evidence (the counts the corpus evidence
is merged from); then, once every pair is counted, the chunk's joint counts of the word pairs
a judgement may read."""

from __future__ import annotations

import pickle
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from zhen.glossary.extract.acronyms import find_expansions
from zhen.glossary.extract.evidence import Evidence
from zhen.glossary.extract.found import Pair
from zhen.glossary.extract.names import recut_names
from zhen.glossary.extract.tokens import EnToken, ZhToken, en_tokens, prepare_zh, zh_tokens
from zhen.store.scratch import PairCounts
from zhen.text.normalize import normalize_en

# The switch that leaves out the recutting of names (`without`): pinyin-spelled and ·-joined
# names made one token here, and given their English words before the finders align the spans.
NAMES = "names"
# One pair's tokens as the finders read them: (prepared Chinese, its words, the English words).
PairTokens = tuple[str, tuple[ZhToken, ...], tuple[EnToken, ...]]


def prepare_chunk(
    chunk: list[Pair], folder: str, number: int, without: frozenset[str] = frozenset()
) -> Evidence:
    """Tokenise a chunk's pairs, keep the tokens and texts in `folder`, return its word counts
    (not the joint ones: chunk_joint counts those once the corpus's word counts are known)."""
    evidence = Evidence()
    rows = []
    texts = []
    for pair in chunk:
        zh_text = prepare_zh(pair.zh)
        zh, en = zh_tokens(zh_text), en_tokens(pair.en)
        if NAMES not in without:
            zh = recut_names(zh_text, zh, pair.en)
        evidence.count_words(zh, en)
        for start, end, acronym in find_expansions(pair.en):
            evidence.add_acronym(acronym, [t for t in en if start <= t.start and t.end <= end])
        rows.append((zh_text, zh, en))
        texts.append((zh_text, normalize_en(pair.en)))
    dump(Path(folder) / f"{number}.tokens", (chunk, rows))
    dump(Path(folder) / f"{number}.texts", texts)
    return evidence


def chunk_joint(path: Path, evidence: Evidence, out: Path) -> Path:
    """How many pairs of the chunk prepare_chunk kept in `path` hold each word pair that a
    judgement against `evidence` (the whole corpus's word counts) may read, kept in a scratch
    file `out` (PairCounts) for the corpus's counts to take in; returns `out`."""
    joint: Counter[tuple[str, str]] = Counter()
    for _, zh, en in load(path)[1]:
        joint.update(evidence.joint_candidates(zh, en))
    counts = PairCounts(out)
    counts.add(joint.items())
    counts.close()
    return out


def dump(path: Path, value: object) -> None:
    """Keep a value in `path` for a later stage (or another process) to load."""
    with path.open("wb") as file:
        pickle.dump(value, file, protocol=pickle.HIGHEST_PROTOCOL)


def load(path: Path) -> Any:
    """A value prepare_chunk (or dump) kept."""
    with path.open("rb") as file:
        return pickle.load(file)


def pair_texts(paths: Iterable[Path]) -> Iterator[tuple[str, str]]:
    """(prepared Chinese, normalised English) of every pair, read back chunk by chunk."""
    for path in paths:
        yield from load(path)

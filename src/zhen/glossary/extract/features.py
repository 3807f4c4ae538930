"""Stage 4 of term extraction, features: a candidate's corpus Tally → a mapping from feature name
to value, and from it the vector a model scores, in that model's feature order (so a name and
its value cannot drift apart)."""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from functools import lru_cache

from zhen.glossary.extract.evidence import load_lexicon, log_likelihood
from zhen.glossary.extract.shape import (
    en_clause,
    en_participle,
    en_ragged,
    en_rarity,
    name_then_verb,
    titled_person,
    zh_rarity,
)
from zhen.glossary.extract.tally import Tally
from zhen.glossary.extract.tokens import ZhToken, prepare_zh, zh_tokens

_LLR_SIGNIFICANT = 3.84  # G² critical value at p = 0.05, one degree of freedom

# The full feature vector's order: what the packaged model is fitted on.
FEATURE_NAMES = (
    "bias",
    "quality",
    "dice",
    "recurrence",
    "significant",
    "quoted",
    "acronym",
    "name",
    "title_case",
    "nominal",
    "multiword",
    "clause",
    "truncated",
    "dominated",
    "zh_rivalled",
    "en_rivalled",
    "de_inside",
    "dictionary_word",
    "en_length",
    "en_ragged",
    "en_clause",
    "zh_rarity",
    "en_rarity",
    "en_participle",
    "zh_nested",
    "en_nested",
    "name_verb",
    "titled_person",
    "en_in_name",
    "scare_quote",
    "variant",
)

# The features grouped by the concept they measure, so that a whole concept can be left out of
# the model (benchmarks/term_ablation.py); every feature but the constant is in one family.
FEATURE_FAMILIES: dict[str, tuple[str, ...]] = {
    "association": ("quality", "dice", "recurrence", "significant"),
    "rivals": ("dominated", "zh_rivalled", "en_rivalled"),
    "boundaries": ("truncated", "variant", "zh_nested", "en_nested"),
    "quotes": ("quoted", "scare_quote"),
    "acronyms": ("acronym",),
    "names/titles": ("name", "title_case", "titled_person", "name_verb", "en_in_name"),
    "zh shape": ("nominal", "multiword", "clause", "de_inside"),
    "en shape": ("en_length", "en_ragged", "en_clause", "en_participle"),
    "termhood": ("dictionary_word", "zh_rarity", "en_rarity"),
}


def feature_names(without: Collection[str] = ()) -> tuple[str, ...]:
    """FEATURE_NAMES less the features of the families named in `without`."""
    if unknown := set(without) - set(FEATURE_FAMILIES):
        raise ValueError(f"no such feature family: {', '.join(sorted(unknown))}")
    dropped = {name for family in without for name in FEATURE_FAMILIES[family]}
    return tuple(name for name in FEATURE_NAMES if name not in dropped)


def feature_columns(names: Sequence[str]) -> list[int]:
    """Where each of `names` stands in a full feature vector (FEATURE_NAMES order)."""
    return [FEATURE_NAMES.index(name) for name in names]


@lru_cache(maxsize=65536)
def _term_words(zh: str) -> tuple[ZhToken, ...]:
    """A candidate's Chinese cut into words; renderings of one Chinese share the cut."""
    return zh_tokens(prepare_zh(zh))


def feature_values(tally: Tally, pairs: int) -> dict[str, float]:
    """What the scoring model weighs of a settled candidate of a corpus of `pairs` pairs:
    coverage, agreement across pairs (Dice, G²), kind, shape, rivals, nesting."""
    joint = tally.count
    zh_pairs, en_pairs = tally.zh_pairs, tally.en_pairs
    dice = 2 * joint / (zh_pairs + en_pairs) if zh_pairs + en_pairs else 0.0
    significant = (
        joint >= 2 and log_likelihood(joint, zh_pairs, en_pairs, pairs) >= _LLR_SIGNIFICANT
    )
    words = _term_words(tally.zh)
    quoted = tally.kind == "quoted"
    dictionary_word = tally.zh in load_lexicon()  # general vocabulary more often than a term
    return {
        "bias": 1.0,
        "quality": tally.quality_sum / joint,  # mean coverage of the two sides, 0–1
        "dice": dice,
        "recurrence": min(math.log2(max(joint, 1)), 3.0) / 3.0,
        "significant": float(significant),
        "quoted": float(quoted),
        "acronym": float(tally.kind == "acronym"),
        "name": float(tally.kind == "name"),
        # One capitalised word opening a sentence is no title.
        "title_case": float(
            tally.title_case and not (tally.sentence_initial and len(tally.en.split()) == 1)
        ),
        "nominal": float(tally.nominal),
        "multiword": float(tally.tokens >= 2 or len(tally.zh) >= 4),
        "clause": float(tally.clause),
        "truncated": tally.truncated / joint,
        "dominated": tally.dominated / joint,
        "zh_rivalled": float(tally.rivalled[0]),
        "en_rivalled": float(tally.rivalled[1]),
        # 的 inside the Chinese: a description more often than a term.
        "de_inside": float("的" in tally.zh[1:-1]),
        "dictionary_word": float(dictionary_word),
        "en_length": min(len(tally.en.split()), 10) / 10.0,
        "en_ragged": float(en_ragged(tally.en)),
        "en_clause": float(en_clause(tally.en)),
        "zh_rarity": zh_rarity(words),
        "en_rarity": en_rarity(tally.en),
        "en_participle": float(en_participle(tally.en)),
        "zh_nested": float(tally.nested[0]),
        "en_nested": float(tally.nested[1]),
        "name_verb": float(name_then_verb(words)),
        "titled_person": float(titled_person(words)),
        "en_in_name": tally.in_name / joint,
        "scare_quote": float(quoted and dictionary_word),
        "variant": tally.variant / joint,
    }


def feature_vector(
    values: Mapping[str, float], names: Sequence[str] = FEATURE_NAMES
) -> tuple[float, ...]:
    """The values of `names`, in that order: a model's vector (FEATURE_NAMES: the full one)."""
    return tuple(values[name] for name in names)

"""Stage 2 of term extraction, the finders: one pair's tokens against the corpus evidence (a
PairFinding) → the (zh, en) pairs each finder finds there, each a Found.

FINDERS names every finder; `without` leaves any of them out (and `names`, the recutting of
names that shapes a pair's tokens before any finder runs), to measure what each adds
(benchmarks/term_ablation.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from zhen.glossary.entries import CandidateKind
from zhen.glossary.extract.acronyms import acronyms
from zhen.glossary.extract.evidence import PINYIN, Evidence
from zhen.glossary.extract.found import Found
from zhen.glossary.extract.glosses import bracket_glosses
from zhen.glossary.extract.names import claim_name_words
from zhen.glossary.extract.phrases import PairAlignment, SpanMatch, align_pair, best_spans, spans
from zhen.glossary.extract.prepare import NAMES
from zhen.glossary.extract.quotes import quoted_pairs
from zhen.glossary.extract.tokens import EnToken, ZhToken


@dataclass(slots=True)
class PairFinding:
    """What the finders read of one pair: its word alignment against the corpus evidence, and
    its best spans (quoted and aligned, one Chinese span per English rendering, ranked against
    each other), which the quotes, phrases and variants finders share."""

    alignment: PairAlignment
    evidence: Evidence
    spans: list[SpanMatch]


Finder = Callable[[PairFinding], Iterable[Found]]


def _span_found(match: SpanMatch) -> Found:
    return Found(
        match.zh,
        match.en,
        match.kind,
        match.quality,
        match.tokens,
        match.title_case,
        match.nominal,
        match.clause,
        truncated=match.truncated,
    )


def quoted_spans(finding: PairFinding) -> Iterator[Found]:
    """Quotation marks on both sides, and text quoted in the Chinese only, aligned."""
    return (_span_found(m) for m in finding.spans if m.kind == CandidateKind.QUOTED)


def aligned_spans(finding: PairFinding) -> Iterator[Found]:
    """Aligned word spans: names and word n-grams with their best English window."""
    return (_span_found(m) for m in finding.spans if m.kind != CandidateKind.QUOTED)


def acronym_expansions(finding: PairFinding) -> Iterator[Found]:
    """An acronym with its expansion, and the Chinese aligned to the expansion."""
    for m in acronyms(finding.alignment, finding.evidence):
        yield Found(m.zh, m.en, CandidateKind.ACRONYM, m.quality, 1, True, True, False)


def latin_glosses(finding: PairFinding) -> Iterator[Found]:
    """A Latin gloss the Chinese brackets after a term: the author's own rendering."""
    alignment = finding.alignment
    for gloss in bracket_glosses(alignment.zh, alignment.en_text):
        # Only the likeliest reading is the author's gloss; the others are guesses.
        title = gloss.en[:1].isupper() and not gloss.variant
        kind, quality = (
            (CandidateKind.NAME, 1.0)
            if title
            else (CandidateKind.PHRASE, 0.5 if gloss.variant else 1.0)
        )
        yield Found(gloss.zh, gloss.en, kind, quality, 1, title, True, False, gloss.variant)


def span_variants(finding: PairFinding) -> Iterator[Found]:
    """Each span's rendering one word wider or narrower, marked as a variant: it competes."""
    for m in finding.spans:
        for text, quality in m.variants:
            kind = CandidateKind.PHRASE
            yield Found(m.zh, text, kind, quality, m.tokens, False, m.nominal, m.clause, True)


FINDERS: dict[str, Finder] = {
    "phrases": aligned_spans,
    "quotes": quoted_spans,
    "acronyms": acronym_expansions,
    "glosses": latin_glosses,
    "variants": span_variants,
}
# What `without` may name: a finder, or the recutting of names (prepare.NAMES), no finder of its
# own but left out alike.
LEAVE_OUT = (*FINDERS, NAMES)


def pair_finding(
    zh_text: str,
    en_text: str,
    zh: tuple[ZhToken, ...],
    en: tuple[EnToken, ...],
    evidence: Evidence,
    without: frozenset[str] = frozenset(),
) -> PairFinding:
    """One pair aligned against the corpus evidence, with its best spans."""
    alignment = align_pair(zh_text, en_text, zh, en, evidence)
    if NAMES not in without:
        alignment.claimed = claim_name_words(zh_text, zh, en, en_text, alignment.links)
    for position in alignment.claimed:
        alignment.weights[position] = max(alignment.weights[position], PINYIN)
    quoted = [] if "quotes" in without else list(quoted_pairs(alignment, evidence))
    phrases = [] if "phrases" in without else spans(alignment, evidence, "quotes" not in without)
    return PairFinding(alignment, evidence, best_spans([*quoted, *phrases]))


def pair_found(finding: PairFinding, without: frozenset[str] = frozenset()) -> list[Found]:
    """What the finders (all but those `without` names) find in one pair, finder by finder."""
    found: list[Found] = []
    for name, finder in FINDERS.items():
        if name not in without:
            found += finder(finding)
    return found

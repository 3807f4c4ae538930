"""Stage 3 of term extraction, the corpus tally: each pair's Found → one Tally per (zh, en)
candidate over the corpus (counts and sums over its occurrences), then corpus-wide judgements
that need every candidate: the rivals of a candidate, whether its text only occurs nested in a
longer candidate's, and how many pairs hold each of its sides."""

from __future__ import annotations

import pickle
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path

import ahocorasick

from zhen.glossary.entries import CandidateKind, term_key
from zhen.glossary.extract.evidence import Evidence
from zhen.glossary.extract.finders import pair_finding, pair_found
from zhen.glossary.extract.found import Found, Pair
from zhen.glossary.extract.prepare import PairTokens, pair_texts
from zhen.glossary.extract.shape import inside_longer_name
from zhen.glossary.extract.shown import rendering_key
from zhen.glossary.extract.tokens import prepare_zh
from zhen.store.scratch import NeedleTable, ScratchTable
from zhen.text.normalize import has_cjk, normalize_en

_POSSESSIVE_RE = re.compile(r"(?<=\w)['’]s$")
_KIND_RANK = {
    CandidateKind.ACRONYM: 0,
    CandidateKind.QUOTED: 1,
    CandidateKind.NAME: 2,
    CandidateKind.PHRASE: 3,
}


@dataclass(slots=True)
class Tally:
    """A (zh, en) pair seen in one or more sentence pairs: counts and sums over its
    occurrences, and the first occurrence's source and texts; nothing per occurrence."""

    zh: str
    en: str
    kind: CandidateKind
    tokens: int
    nominal: bool
    clause: bool
    cited: int  # the pair it cites (its place in input order): the first holding it
    count: int = 0  # pairs holding it
    quality_sum: float = 0.0  # summed in input order, as sum() over the qualities would
    title_case: bool = False
    truncated: int = 0  # occurrences where a head noun follows the Chinese
    dominated: int = 0  # occurrences where an overlapping candidate covered its pair better
    variant: int = 0  # occurrences as a window one word off a span's best (edge_variants)
    sentence_initial: bool = True  # the English opens its sentence wherever it was found
    in_name: int = 0  # occurrences where the English is a piece of a longer name
    fresh: bool = False  # found in a fresh pair
    # The cited pair's source and its Chinese and English, kept apart from the record (each
    # pair's once, however many candidates cite it): set when settled reads it out.
    source: str = ""
    context: tuple[str, str] = ("", "")
    # Set over the whole corpus (settled):
    rivalled: tuple[bool, bool] = (False, False)  # a stronger rendering / stronger Chinese exists
    nested: tuple[bool, bool] = (False, False)  # Chinese / English occurs only in a longer one
    zh_pairs: int = 0  # pairs whose Chinese holds its Chinese (at least those it was found in)
    en_pairs: int = 0  # pairs whose English holds its English (at least one)


@dataclass(slots=True)
class ChunkEntry:
    """A candidate's occurrences in one chunk, in input order (merged into a Tally)."""

    found: Found  # its first occurrence in the chunk
    qualities: list[float] = field(default_factory=list)
    pairs: list[int] = field(default_factory=list)  # chunk positions of the pairs holding it
    title_case: bool = False
    kind: CandidateKind = CandidateKind.PHRASE
    truncated: int = 0
    dominated: int = 0
    variant: int = 0


# The fields a scratch record keeps of a Tally: those merged over the chunks, not the cited
# pair's texts (kept once per pair) nor the settled.
_FIELDS = tuple(Tally.__dataclass_fields__)
_MERGED_FIELDS = _FIELDS[: _FIELDS.index("source")]
_KIND = _MERGED_FIELDS.index("kind")
_KINDS = {str(kind): kind for kind in CandidateKind}


_merged_fields = attrgetter(*_MERGED_FIELDS)


def _packed(tally: Tally) -> bytes:
    fields = list(_merged_fields(tally))
    fields[_KIND] = str(fields[_KIND])  # a plain string unpickles faster than an enum member
    return pickle.dumps(tuple(fields), pickle.HIGHEST_PROTOCOL)


def _unpacked(data: bytes) -> Tally:
    tally = Tally(*pickle.loads(data))
    tally.kind = _KINDS[tally.kind]
    return tally


def _cited(tally: Tally, context: bytes) -> Tally:
    """`tally` with its cited pair's source and texts, as _packed_context kept them."""
    source, zh, en = pickle.loads(context)
    tally.source, tally.context = source, (zh, en)
    return tally


def _packed_context(pair: Pair) -> bytes:
    return pickle.dumps((pair.source, pair.zh, pair.en), pickle.HIGHEST_PROTOCOL)


@dataclass(slots=True)
class CorpusTally:
    """Every candidate of the corpus, in a scratch table on disk (merged by key, in the order
    first found), the number of pairs, and where the pairs' texts are kept for the counting
    pass (a temporary directory the caller removes)."""

    tallies: ScratchTable
    pairs: int
    texts: list[Path]  # one file per chunk: [(prepared Chinese, normalised English)]
    folder: Path  # the run's temporary folder, for the counting pass's scratch table

    def close(self) -> None:
        self.tallies.close()


def _overlap(zh: str, en: str, other_zh: str, other_en: str) -> bool:
    """True when two candidates of one pair compete: one's Chinese holds the other's, or
    one's English does."""
    if (zh, en) == (other_zh, other_en):
        return False
    return zh in other_zh or other_zh in zh or en in other_en or other_en in en


def _dominated(zh: str, en: str, quality: float, stronger: list[Found]) -> bool:
    """True when a candidate of the pair covering it better competes with it (_overlap);
    `stronger` holds the pair's candidates that are no variants, best covered first."""
    for other in stronger:
        if other.quality <= quality:
            return False
        if _overlap(zh, en, other.zh, other.en):
            return True
    return False


def tally_chunk(
    chunk: list[Pair],
    rows: list[PairTokens],
    evidence: Evidence,
    without: frozenset[str] = frozenset(),
) -> dict[tuple[str, str], ChunkEntry]:
    """A chunk's candidates, each with its occurrences in input order."""
    entries: dict[tuple[str, str], ChunkEntry] = {}
    for position, (pair, (zh_text, zh, en)) in enumerate(zip(chunk, rows, strict=True)):
        found = pair_found(pair_finding(zh_text, pair.en, zh, en, evidence, without), without)
        # Cut before a head noun wherever the pair holds it (a word may stand there twice).
        truncated = {(item.zh, item.en) for item in found if item.truncated}
        seen_here: set[tuple[str, str]] = set()
        # The candidates that may dominate another, strongest first (see below).
        stronger = sorted((f for f in found if not f.variant), key=lambda f: -f.quality)
        for item in found:
            # A term is named without the possessive its sentence gave it ("US Navy's").
            en_span = _POSSESSIVE_RE.sub("", item.en)
            key = (term_key(item.zh), rendering_key(en_span))
            if key in seen_here:
                continue
            seen_here.add(key)
            entry = entries.get(key)
            if entry is None:
                first = item if en_span == item.en else item._replace(en=en_span)
                entry = entries[key] = ChunkEntry(first, kind=item.kind)
            if _KIND_RANK[item.kind] < _KIND_RANK[entry.kind]:
                entry.kind = item.kind
            entry.title_case = entry.title_case or item.title
            entry.qualities.append(item.quality)
            entry.variant += item.variant
            entry.truncated += (item.zh, en_span) in truncated
            # A variant never dominates the window it was derived from.
            entry.dominated += _dominated(item.zh, en_span, item.quality, stronger)
            entry.pairs.append(position)
    return entries


@dataclass(slots=True)
class ChunkColumns:
    """A chunk's candidates (tally_chunk's entries) as one list per field, in the entries'
    order: what a worker sends back, pickled as a few lists of plain values rather than two
    objects per candidate (a chunk holds tens of thousands)."""

    keys: list[tuple[str, str]]
    # The first occurrence's texts and shape:
    zh: list[str]
    en: list[str]
    tokens: list[int]
    nominal: list[bool]
    clause: list[bool]
    kinds: list[str]  # CandidateKind values
    title_case: list[bool]
    qualities: list[list[float]]
    pairs: list[list[int]]
    truncated: list[int]
    dominated: list[int]
    variant: list[int]

    @classmethod
    def of(cls, entries: dict[tuple[str, str], ChunkEntry]) -> ChunkColumns:
        found = [entry.found for entry in entries.values()]
        values = entries.values()
        return cls(
            list(entries),
            [first.zh for first in found],
            [first.en for first in found],
            [first.tokens for first in found],
            [first.nominal for first in found],
            [first.clause for first in found],
            [entry.kind.value for entry in values],
            [entry.title_case for entry in values],
            [entry.qualities for entry in values],
            [entry.pairs for entry in values],
            [entry.truncated for entry in values],
            [entry.dominated for entry in values],
            [entry.variant for entry in values],
        )


def merge_chunk(
    tallies: dict[tuple[str, str], Tally],
    chunk: list[Pair],
    found: ChunkColumns,
    offset: int = 0,
) -> None:
    """Add a chunk's candidates to the corpus tally; chunks must come in input order, the
    chunk's first pair being the `offset`-th pair of the input."""
    for (
        key,
        zh,
        en,
        tokens,
        nominal,
        clause,
        kind_value,
        title,
        qualities,
        positions,
        truncated,
        dominated,
        variant,
    ) in zip(
        found.keys,
        found.zh,
        found.en,
        found.tokens,
        found.nominal,
        found.clause,
        found.kinds,
        found.title_case,
        found.qualities,
        found.pairs,
        found.truncated,
        found.dominated,
        found.variant,
        strict=True,
    ):
        kind = _KINDS[kind_value]
        tally = tallies.get(key)
        if tally is None:
            tally = tallies[key] = Tally(
                zh, en, kind, tokens, nominal, clause, offset + positions[0]
            )
        if _KIND_RANK[kind] < _KIND_RANK[tally.kind]:
            tally.kind = kind
        tally.title_case = tally.title_case or title
        for quality in qualities:
            tally.quality_sum += quality
        tally.count += len(positions)
        tally.variant += variant
        tally.truncated += truncated
        tally.dominated += dominated
        for position in positions:
            pair = chunk[position]
            if pair.fresh and not tally.fresh:
                # A proposal from new pairs (--since) cites the first new pair holding it, the
                # pair its reviewer has just imported, not an older one.
                tally.cited, tally.fresh = offset + position, True
            # A capital there is the sentence's, not a name's ("However", "Mutation").
            tally.sentence_initial = tally.sentence_initial and pair.en.lstrip(' "“‘(').startswith(
                tally.en
            )
            tally.in_name += inside_longer_name(tally.en, pair.en)


def merge_stored(
    table: ScratchTable, chunk: list[Pair], found: ChunkColumns, offset: int = 0
) -> None:
    """merge_chunk into the tallies kept in `table`: only the chunk's candidates are read,
    merged in memory and written back (the new ones in the order merge_chunk adds them), and
    the texts of the chunk's pairs that a candidate now cites are kept."""
    tallies = {key: _unpacked(data) for key, data in table.get(found.keys).items()}
    merge_chunk(tallies, chunk, found, offset)
    table.put(
        (*key, tally.count, _strength(tally)[1], _packed(tally), tally.cited)
        for key, tally in tallies.items()
    )
    cited = sorted({tally.cited for tally in tallies.values() if tally.cited >= offset})
    table.put_contexts((index, _packed_context(chunk[index - offset])) for index in cited)


# --- corpus-wide: rivals, nesting, pairs holding each side ----------------------------------


# Needles in one automaton at most: some 600 bytes each (pyahocorasick), a bounded amount.
NEEDLE_BATCH = 200_000
_ZH, _EN = 0, 1


def _automaton(needles: Iterable[str]) -> ahocorasick.Automaton | None:
    automaton = ahocorasick.Automaton()
    for needle in needles:
        if needle:
            automaton.add_word(needle, needle)
    if not len(automaton):
        return None
    automaton.make_automaton()
    return automaton


def _found_in(automaton: ahocorasick.Automaton | None, text: str) -> set[str]:
    return set() if automaton is None else {found for _, found in automaton.iter(text)}


def _count_and_nest(needles: NeedleTable, texts: list[Path], batch: int) -> None:
    """For each needle, how many pairs' Chinese (or English) hold it, and whether it is
    nested: never in a candidate text but inside a longer one that occurs at least as often
    (呼吸道综合征 only in 严重急性呼吸道综合征), a piece of a term rather than a term of its own.
    An Aho-Corasick automaton over a batch of needles at a time, not a substring test per
    needle and text: memory stays bounded however many needles the corpus has."""
    for side in (_ZH, _EN):
        for counts in needles.batches(side, batch):
            automaton = _automaton(counts)
            # Counter.update counts in C: the pass over every pair's text is the long part.
            holding: Counter[str] = Counter()
            for pair in pair_texts(texts):
                holding.update(_found_in(automaton, pair[side]))
            for needle, pairs in holding.items():
                counts[needle] += pairs
            needles.set_counts(side, counts)
        for counts in needles.batches(side, batch):
            automaton = _automaton(counts)
            nested = set()
            for other, other_count in needles.counted(side):
                for piece in _found_in(automaton, other):
                    if piece != other and other_count >= counts[piece]:
                        nested.add(piece)
            needles.set_nested(side, nested)


def _strength(tally: Tally) -> tuple[int, float]:
    """How strongly the pairs support a candidate: pairs found in, then mean coverage."""
    return tally.count, round(tally.quality_sum / tally.count, 6)


def _kept(tally: Tally) -> bool:
    """Numbers and Latin letters alone are not terms."""
    return has_cjk(tally.zh) and any(ch.isalpha() for ch in tally.en)


def settled(corpus: CorpusTally) -> Iterator[Tally]:
    """The candidates worth scoring (found in a fresh pair, Chinese on one side and a word on
    the other), each with its corpus-wide fields set: rivals, nesting, pairs holding each side."""
    table = corpus.tallies
    # Only the texts of the candidates are counted and judged, in a table on disk as well.
    needles = NeedleTable(corpus.folder / "needles.sqlite")
    try:
        needles.add(
            (side, text)
            for tally in map(_unpacked, table.records())
            if _kept(tally)
            for side, text in ((_ZH, prepare_zh(tally.zh)), (_EN, normalize_en(tally.en)))
        )
        _count_and_nest(needles, corpus.texts, NEEDLE_BATCH)
        # The strongest rendering of each Chinese span, and the strongest Chinese for each
        # English (_strength, in the table's count and mean): a weaker rival is a mis-cut span
        # more often than a second rendering.
        batch: list[Tally] = []
        for data, context, zh_rivalled, en_rivalled in table.ranked():
            tally = _unpacked(data)
            if not (tally.fresh and _kept(tally)):
                continue
            _cited(tally, context)
            tally.rivalled = (bool(zh_rivalled), bool(en_rivalled))
            batch.append(tally)
            if len(batch) >= _SETTLE_BATCH:
                yield from _with_needles(batch, needles)
                batch = []
        yield from _with_needles(batch, needles)
    finally:
        needles.close()


# Candidates whose needles are looked up together: a bounded number held at once.
_SETTLE_BATCH = 2_000


def _with_needles(batch: list[Tally], needles: NeedleTable) -> list[Tally]:
    """The batch, each with its sides' counts and nesting set, in the same order."""
    zh_texts = [prepare_zh(tally.zh) for tally in batch]
    en_texts = [normalize_en(tally.en) for tally in batch]
    zh_found, en_found = needles.get_many(_ZH, zh_texts), needles.get_many(_EN, en_texts)
    for tally, zh_text, en_text in zip(batch, zh_texts, en_texts, strict=True):
        zh_count, zh_nested = zh_found[zh_text]
        en_count, en_nested = en_found[en_text]
        tally.nested = (zh_nested, en_nested)
        tally.zh_pairs = max(zh_count, tally.count)
        tally.en_pairs = max(en_count, 1)
    return batch

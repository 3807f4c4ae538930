"""Term pairs from one aligned sentence pair: word links, then the English span of each Chinese
candidate unit that is consistent with the links (phrase extraction as in phrase-based MT)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np

from zhen.glossary.entries import CandidateKind
from zhen.glossary.extract.coverage import SpanView
from zhen.glossary.extract.evidence import Evidence, is_content, load_lexicon, subwords
from zhen.glossary.extract.nonterms import is_dateline, joins_names, person_half_rendered
from zhen.glossary.extract.tokens import (
    ZH_EDGE_STOPWORDS,
    ZH_END_STOPWORDS,
    ZH_QUOTES,
    EnToken,
    ZhToken,
    is_conjunction,
)
from zhen.glossary.extract.window import (
    GAP_QUALITY,
    best_window,
    complete_adjective,
    drop_leading_verb,
    edge_variants,
    extend_capitals,
    extend_hyphens,
    gap_window,
    title_run,
    trim,
    window_qualities,
)
from zhen.text.normalize import has_cjk

MAX_SPAN_TOKENS = 6
MAX_SPAN_CHARS = 16
# A nested span covering the same English this nearly as well as the best one competes too.
RIVAL_MARGIN = 0.3
# Sentence-final punctuation: a quotation holding it is reported speech, not a term.
SENTENCE_END = re.compile(r"[。！？!?]")
# Words between a link and where the diagonal expects it cost this much weight per unit of
# relative distance: repeated words ("China" five times) link to the nearest plausible one.
_DISTANCE_PENALTY = 0.8
# jieba tag initials of words a term can end in: nouns (n, nr, ns, nt, nz), idioms and set
# phrases (i, l), abbreviations (j), Latin words (e of "eng"); also verbal and adjectival nouns.
_NOMINAL_TAGS = frozenset("nilje")
_BAD_EN_SPAN = re.compile(r"--|[;:()\[\]\"“”]|(?<!\b[A-Z])\.\s")
# A comma the Chinese lacks ends a clause or a list item, not a term. A full stop ends a sentence
# unless it closes a one-letter abbreviation ("U.S. President").
EN_SPAN_BREAKS = re.compile(r"--|[;:()\[\]\"“”,]|(?<!\b[A-Z])\.\s")


@dataclass(slots=True)
class SpanMatch:
    """A Chinese span, the English span it aligns to, and how well the two cover each other."""

    zh: str
    en: str
    kind: CandidateKind  # QUOTED, NAME or PHRASE
    quality: float
    tokens: int
    title_case: bool
    nominal: bool = True  # ends in a noun, name or idiom (jieba tags)
    clause: bool = False  # holds a verb: a clause fragment (携手走和平) more often than a term
    truncated: bool = False  # a noun follows in the Chinese: cut out of a longer noun phrase
    completed: bool = False  # the English took in a noun after its adjective (complete_adjective)
    # Renderings one word wider or narrower (window.edge_variants) with their coverage quality.
    variants: list[tuple[str, float]] = field(default_factory=list)


@dataclass(slots=True)
class PairAlignment:
    """Word links of one pair: for each English word, the Chinese word it translates."""

    zh_text: str
    en_text: str
    zh: tuple[ZhToken, ...]
    en: tuple[EnToken, ...]
    links: list[int | None]  # per English token: index of the linked Chinese token
    weights: list[float]
    # English tokens a pinyin-spelled name owns (zhen.glossary.extract.names): no other
    # Chinese word may claim them.
    claimed: dict[int, int] = field(default_factory=dict)
    # Per Chinese word, its evidence weight for each English word (0 for punctuation and edge
    # stopwords): worked out once for the links, read again by each span.
    rows: list[list[float]] = field(default_factory=list)


def align_pair(
    zh_text: str, en_text: str, zh: tuple[ZhToken, ...], en: tuple[EnToken, ...], evidence: Evidence
) -> PairAlignment:
    """Link each English content word to its best-supported Chinese word, near the diagonal."""
    rows = [
        [0.0] * len(en)
        if word.is_punct or word.text in ZH_EDGE_STOPWORDS
        else evidence.weights(word, en)
        for word in zh
    ]
    links: list[int | None] = []
    weights: list[float] = []
    zh_len = max(len(zh_text), 1)
    en_len = max(len(en_text), 1)
    zh_positions = [(word.start + word.end) / 2 / zh_len for word in zh]
    for j, token in enumerate(en):
        best, best_score, best_weight = None, 0.0, 0.0
        en_pos = (token.start + token.end) / 2 / en_len
        for index, row in enumerate(rows):
            weight = row[j]
            if weight <= 0:
                continue
            score = weight - _DISTANCE_PENALTY * abs(zh_positions[index] - en_pos)
            if score > best_score:
                best, best_score, best_weight = index, score, weight
        links.append(best)
        weights.append(best_weight)
    return PairAlignment(zh_text, en_text, zh, en, links, weights, rows=rows)


def _enumerated_parts(
    zh: tuple[ZhToken, ...], first: int, end: int
) -> Iterator[tuple[int, int, CandidateKind]]:
    """The items of a quoted enumeration (“越中情谊深、同志加兄弟”), each a quoted phrase too."""
    start = first
    for index in range(first, end + 1):
        if index == end or zh[index].text in ("、", "，", ","):
            if start < index and (start, index) != (first, end):
                yield start, index, CandidateKind.QUOTED
            start = index + 1


def _is_nominal(words: tuple[ZhToken, ...]) -> bool:
    """True for a noun phrase, name or idiom by jieba's tags: it ends in a noun-like word and
    does not open with a verb, adverb, preposition, conjunction or pronoun (制止疫情: a clause)."""
    first, last = words[0].flag, words[-1].flag
    ends_nominal = last[:1] in _NOMINAL_TAGS or last in ("vn", "an")
    opens_clause = len(words) > 1 and first[:1] in ("v", "d", "p", "c", "r") and first != "vn"
    return ends_nominal and not opens_clause


def _is_head_noun(token: ZhToken) -> bool:
    """A word that can head the noun phrase before it (倡议, 合作, 关系), not a postposition."""
    return (
        not token.is_punct
        and token.text not in ZH_END_STOPWORDS
        and (token.flag[:1] in ("n", "j") or token.flag == "vn")
    )


def _candidate_spans(zh: tuple[ZhToken, ...]) -> Iterator[tuple[int, int, CandidateKind]]:
    """(first, end, kind) token ranges worth proposing: quoted text, names, word n-grams."""
    for first, token in enumerate(zh):
        closing = ZH_QUOTES.get(token.text)
        if closing:
            for end in range(first + 1, min(first + 3 * MAX_SPAN_TOKENS, len(zh))):
                # Web text sometimes closes “ with a straight quote (“…颁授典礼 ＂).
                if zh[end].text == closing or (token.text == "“" and zh[end].text == '"'):
                    # Quotation marks padded with spaces (“ 摸着石头过河 ”) hold the words inside.
                    low, high = first + 1, end
                    while low < high and not zh[low].text.strip():
                        low += 1
                    while high > low and not zh[high - 1].text.strip():
                        high -= 1
                    # A quoted sentence is reported speech, not a term (“我们会通知……。”).
                    sentence = any(SENTENCE_END.search(t.text) for t in zh[low:high])
                    if high > low and not sentence:
                        yield low, high, CandidateKind.QUOTED
                        yield from _enumerated_parts(zh, low, high)
                    break
    for first, token in enumerate(zh):
        # 以…为… frames a formulation (以联合国为核心的国际体系): 以 may open a span holding 为.
        frame = token.text == "以"
        if token.is_punct or token.text[:1].isdigit():
            continue
        if token.text in ZH_EDGE_STOPWORDS and not frame:
            continue
        chars = words = 0
        enumerated = False
        for end in range(first + 1, len(zh) + 1):
            last = zh[end - 1]
            if last.text == "、" and end - 1 > first:
                enumerated = True  # an enumerated formulation (目标自信、路径自信、能力自信) …
                continue
            words += 1
            if last.is_punct or words > MAX_SPAN_TOKENS:
                break
            chars += len(last.text)
            if chars > MAX_SPAN_CHARS:
                break
            if last.text in ZH_END_STOPWORDS or chars < 2 or last.text[-1:].isdigit():
                continue
            if frame and not any(t.text == "为" for t in zh[first + 1 : end - 1]):
                continue
            if enumerated and end < len(zh) and not zh[end].is_punct:
                continue  # … ends where its last item does, not inside the next one
            kind = (
                CandidateKind.NAME if end == first + 1 and token.is_name else CandidateKind.PHRASE
            )
            yield first, end, kind


def _between_neighbours(
    alignment: PairAlignment, view: SpanView, first: int, end: int
) -> tuple[float, int, int] | None:
    """The window of a word nothing links, between its neighbours' renderings (gap_window)."""
    zh = alignment.zh

    def linked_to(index: int) -> set[int]:
        return {j for j, link in enumerate(alignment.links) if link == index}

    if not _is_nominal(zh[first:end]) or len(zh_span_text(zh, first, end)) < 2:
        return None
    left = linked_to(first - 1) if first > 0 else set()
    right = linked_to(end) if end < len(zh) else set()
    window = gap_window(alignment.en_text, alignment.en, view, left, right)
    return None if window is None else (GAP_QUALITY, *window)


def zh_span_text(zh: tuple[ZhToken, ...], first: int, end: int) -> str:
    """The Chinese words zh[first:end] joined."""
    return "".join(t.text for t in zh[first:end])


def _part_hits(
    index: int, alignment: PairAlignment, evidence: Evidence
) -> list[tuple[int, set[int]]]:
    """(length, English words translating it) for each dictionary part of a Chinese word.

    Long words count by their parts, so 传统友谊 rendered as "traditional" alone covers half,
    not all, of the Chinese. Statistical evidence (co-occurrence) counts only for the English
    words linked to this very word, since on few pairs it also links bystanders (习近平 and
    越共中央 recur together).
    """
    word, en = alignment.zh[index], alignment.en
    if word.is_punct or word.text in ZH_EDGE_STOPWORDS:
        return []

    def hits(probe: ZhToken) -> set[int]:
        links = alignment.links
        return {
            j
            for j, (weight, kind) in enumerate(evidence.judgements(probe, en))
            if weight > 0 and (kind != "cooccurrence" or links[j] == index)
        }

    parts = subwords(word.text)
    if len(parts) < 2:
        return [(len(word.text), hits(word))]
    # A word translated as a whole (苏林 ↔ "Lam") covers all its parts.
    whole = {j for j in hits(word) if evidence.whole_word(word, en[j])}
    return [(len(part), hits(ZhToken(part, word.flag, 0, len(part))) | whole) for part in parts]


def _merged_words(
    alignment: PairAlignment, evidence: Evidence
) -> dict[tuple[int, int], list[float]]:
    """Dictionary words jieba split into several tokens (国家|主席, 一带|一路): token range →
    evidence weight for each English word. A span holding the range reads it as one word."""
    zh, en = alignment.zh, alignment.en
    lexicon = load_lexicon()
    merged = {}
    for first in range(len(zh)):
        if zh[first].is_punct:
            continue
        text = zh[first].text
        for end in range(first + 2, min(first + 5, len(zh)) + 1):
            if zh[end - 1].is_punct:
                break
            text += zh[end - 1].text
            if len(text) > 8:
                break
            if text in lexicon:
                # A name jieba split (古|特雷斯) stays a person's name: its gloss's office words
                # ("Secretary-General") are not its rendering.
                flag = "nr" if zh[end - 1].is_person else "n"
                probe = ZhToken(text, flag, 0, len(text))
                merged[(first, end)] = evidence.weights(probe, en)
    return merged


def _with_merged(
    zh: tuple[ZhToken, ...],
    first: int,
    end: int,
    part_hits: list[list[tuple[int, set[int]]]],
    merged: dict[tuple[int, int], list[float]],
    inside: list[float],
) -> list[tuple[int, set[int]]]:
    """The span's dictionary parts, those inside a merged dictionary word also covered by the
    English words translating that word; `inside` is raised to the merged word's weights."""
    parts: list[tuple[int, set[int]]] = []
    for index in range(first, end):
        hits_from = [
            {j for j, weight in enumerate(weights) if weight > 0}
            for (low, high), weights in merged.items()
            if first <= low <= index < high <= end
        ]
        extra = set().union(*hits_from) if hits_from else set()
        parts.extend((size, hits | extra) for size, hits in part_hits[index])
    for (low, high), weights in merged.items():
        if first <= low and high <= end:
            for j, weight in enumerate(weights):
                inside[j] = max(inside[j], weight)
    return parts


def spans(alignment: PairAlignment, evidence: Evidence, quoted: bool = True) -> Iterator[SpanMatch]:
    """Every candidate Chinese span of the pair with its best English counterpart; with
    `quoted` false, text quoted in the Chinese is no span of its own (the quotes finder off)."""
    zh, en = alignment.zh, alignment.en
    if not en:
        return
    weights = [list(row) for row in alignment.rows]
    for j, owner in alignment.claimed.items():
        for row, _ in enumerate(zh):
            if row != owner:
                weights[row][j] = 0.0
    # Best weight of each English word from the Chinese rows before / from each row on: a span's
    # "outside" is then one maximum per word instead of a scan of every other row.
    matrix = np.array(weights, dtype=np.float64).reshape(len(zh), len(en))
    zero = np.zeros((1, len(en)))
    before = np.maximum.accumulate(np.vstack([zero, matrix]), axis=0)
    after = np.maximum.accumulate(np.vstack([zero, matrix[::-1]]), axis=0)[::-1]
    part_hits = [_part_hits(index, alignment, evidence) for index in range(len(zh))]
    merged = _merged_words(alignment, evidence)
    english_quotes = '"' in alignment.en_text or "“" in alignment.en_text
    linked = [(j, link) for j, link in enumerate(alignment.links) if link is not None]
    linked_words = {j for j, _ in linked}
    unlinked = {j for j, link in enumerate(alignment.links) if link is None}
    # The English words linked to each Chinese word's text, for each span's open words below.
    linked_by_text: dict[str, list[int]] = {}
    for j, link in linked:
        linked_by_text.setdefault(zh[link].text, []).append(j)
    for first, end, kind in _candidate_spans(zh):
        if kind == "quoted" and (english_quotes or not quoted):
            continue  # quotations on both sides are paired by zhen.glossary.extract.quotes
        inside = matrix[first:end].max(axis=0).tolist()
        outside = np.maximum(before[first], after[end]).tolist()
        parts = _with_merged(zh, first, end, part_hits, merged, inside)
        own = {j for j, link in linked if first <= link < end}
        taken = linked_words - own
        view = SpanView(inside, outside, taken, own)
        enumerates = any(mark in zh_span_text(zh, first, end) for mark in "、，,")
        breaks = _BAD_EN_SPAN if enumerates else EN_SPAN_BREAKS
        window = best_window(alignment.en_text, en, view, parts, breaks)
        if window is None and end - first <= 2 and kind != "quoted":
            window = _between_neighbours(alignment, view, first, end)
        if window is None:
            continue
        quality, low, high = window
        if kind in ("quoted", "name"):
            low, high = title_run(alignment.en_text, en, view, low, high)
        span_words = {t.text for t in zh[first:end]}
        span_text = zh_span_text(zh, first, end)
        # English linked to another occurrence of the span's words, or to a piece of them (广西 of
        # 广西壮族自治区 later in the sentence took "Guangxi Zhuang"), may still join the window.
        open_words = set(unlinked)
        for text, words in linked_by_text.items():
            if text in span_words or (len(text) >= 2 and text in span_text):
                open_words.update(words)
        low, high = extend_capitals(
            alignment.en_text,
            en,
            open_words,
            low,
            high,
            across_joiners=kind == "quoted",
            across_and=kind == "quoted" and any(is_conjunction(t) for t in zh[first:end]),
            linked=frozenset(own),
        )
        low, high = trim(en, low, high)
        completed = False
        if kind != "quoted" and not zh[first].flag.startswith("v"):
            low = drop_leading_verb(alignment.en_text, en, view, alignment.links, low, high)
        if (kind == "phrase" and quality < 1.0) or en[high].capitalized:
            low, completed_high = complete_adjective(alignment.en_text, en, view, low, high)
            completed, high = completed_high != high, completed_high
        low, high = extend_hyphens(alignment.en_text, en, low, high)
        en_text = alignment.en_text[en[low].start : en[high].end]
        if breaks.search(en_text):
            continue  # a term does not run across brackets, dashes or clause punctuation
        content = [en[j] for j in range(low, high + 1) if is_content(en[j])]
        if quality <= 0:
            continue
        zh_text = alignment.zh_text[zh[first].start : zh[end - 1].end]
        title = bool(content) and all(t.capitalized for t in content)
        if kind in ("name", "quoted") and not title:
            # Names are capitalised in English; so is a title quoted only in the Chinese
            # (“中越人文交流年” → China-Vietnam Year of People-to-People Exchanges). Otherwise
            # the window is ordinary text and competes as a phrase.
            kind = CandidateKind.PHRASE
        if kind != "quoted" and joins_names(zh[first:end]):
            continue  # 习近平和苏林, 越南和中国: a list of names, each a term of its own
        if is_dateline(zh[first:end]):
            continue  # 新华社西宁12月13日电 opens a news story; it names nothing
        if kind != "quoted" and person_half_rendered(alignment, first, end, low, high):
            continue  # 中心副主任李忠明 → "Deputy Director of the Center": one half only
        nominal = kind == "quoted" or _is_nominal(zh[first:end])
        clause = kind != "quoted" and any(
            t.flag[:1] == "v" and t.flag != "vn" for t in zh[first:end]
        )
        # 四大全球|倡议: the span stops before the head noun of its phrase.
        truncated = kind != "quoted" and end < len(zh) and _is_head_noun(zh[end])
        windows = edge_variants(alignment.en_text, en, view, low, high)
        variants = [
            (alignment.en_text[en[a].start : en[b].end], quality)
            for (a, b), quality in zip(
                windows, window_qualities(en, view, parts, windows), strict=True
            )
        ]
        yield SpanMatch(
            zh_text,
            en_text,
            kind,
            quality,
            end - first,
            title,
            nominal,
            clause,
            truncated,
            completed,
            [(text, q) for text, q in variants if q > 0 and not breaks.search(text)],
        )


def _rank(match: SpanMatch) -> tuple[bool, bool, float, int]:
    """Which of two spans rendered by the same English wins: quotation marks delimit a phrase
    better than any statistics; a span whose English was completed by a guessed noun yields to
    one that found it; then coverage, then the longer Chinese."""
    return (match.kind == "quoted", not match.completed, match.quality, len(match.zh))


def best_spans(matches: Iterable[SpanMatch]) -> list[SpanMatch]:
    """Within one pair, one Chinese span per English rendering: the best covered, then longest
    (党两国 and 两党两国 both map to "two parties and countries"; only the latter is the term)."""
    # A Latin word copied into the Chinese (三叉戟（Trident）) is never proposed, so it must not
    # take the English from the Chinese it glosses.
    matches = [m for m in matches if has_cjk(m.zh)]
    best: dict[str, SpanMatch] = {}
    for match in matches:
        kept = best.get(match.en)
        if kept is None or _rank(match) > _rank(kept):
            best[match.en] = match
    # A nested rival as well covered stays: which of 联合国秘书长 and 联合国秘书长古特雷斯 is the
    # term for "Secretary General of the United Nations" is for the statistics across pairs.
    rivals = [
        m
        for m in matches
        if (kept := best[m.en]) is not m
        and "quoted" not in (m.kind, kept.kind)
        and (m.zh in kept.zh or kept.zh in m.zh)
        and m.quality >= kept.quality - RIVAL_MARGIN
    ]
    # Pieces of a quoted title or phrase are not terms of their own ("Comprehensive Economic"
    # inside "Regional Comprehensive Economic Partnership"), unless they are names (南海 in
    # “南海行为准则”).
    # A quoted sentence (reported speech, “我们会通知……。”) is no title: its pieces stay.
    wholes = [m for m in best.values() if m.kind == "quoted" and not SENTENCE_END.search(m.zh)]
    return [
        m
        for m in [*best.values(), *rivals]
        if m.kind in ("quoted", "name")
        or not any(m.en != w.en and m.en in w.en and m.zh in w.zh for w in wholes)
    ]

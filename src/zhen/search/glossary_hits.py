"""Glossary hits for a query: exact, then whole-word/phrase containment, then prefix/typo/fuzzy."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from zhen.search.glossary_index import (
    FORBIDDEN,
    PREFERRED,
    ChineseForms,
    EnglishForms,
    GlossaryIndex,
    glossary_index,
)
from zhen.search.results import Hit, HitKind
from zhen.search.scoring import en_tokens, fix_typos, matched_spans, similarity
from zhen.store.index import EN_STOPWORDS
from zhen.text.tokens import words

EXACT, CONTAINED, FUZZY = "exact", "contained", "fuzzy"
# Ranking tiers. A query that is a whole rendering with a typo or a cut-short last word
# ("one-China polcy", "Lancang-Mekong Coop") is that term: it ranks after exact matches but
# before terms merely containing, or contained in, the query ("China").
_TIER = {EXACT: 0, CONTAINED: 2, FUZZY: 3}
_WHOLE_TERM_TIER = 1
_STATUS_RANK = {"approved": 0, "proposed": 1, "rejected": 2}
# A forbidden rendering is the weakest way to match within a tier: prefer showing a term
# through its preferred rendering or a variant.
_KIND_RANK = {PREFERRED: 0, "zh": 0, "variant": 1, FORBIDDEN: 2}
_FUZZY_POOL = 50  # whole-string fuzzy candidates taken from rapidfuzz
_PREFIX_WORDS = 200  # completions of a cut-short last word ("Lancang Mek")
_ZH_CONTAINING_CAP = 2_000  # terms holding a (very short) Chinese query


class _Matches:
    """The best match per term: tier, then the rendering (preferred first), then the score."""

    def __init__(self) -> None:
        # owner → (rank, match, score, rendering kind, rendering text)
        self.best: dict[int, tuple[tuple[int, int, float], str, float, str, str]] = {}
        self.whole_query = False  # a term is the whole query (exact, or whole and mistyped)

    def offer(
        self, owner: int, match: str, score: float, kind: str, text: str, *, whole: bool = False
    ) -> None:
        self.whole_query |= match == EXACT or (whole and match == FUZZY)
        rank = _rank(match, score, kind, whole)
        current = self.best.get(owner)
        if current is None or rank < current[0]:
            self.best[owner] = (rank, match, score, kind, text)


def _rank(match: str, score: float, kind: str, whole: bool) -> tuple[int, int, float]:
    # Within a tier the preferred rendering wins even at a lower score: the translator should
    # not read "matched the variant" when the preferred rendering holds the query as well.
    tier = _WHOLE_TERM_TIER if whole and match == FUZZY else _TIER[match]
    return tier, _KIND_RANK.get(kind, 3), -score


def _coverage(part: int, whole: int) -> float:
    return float(min(99, max(1, round(100 * part / max(whole, 1)))))


def _outermost(found: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """The (start, end, form) occurrences in the query not inside a longer one: the longest term
    found at a place is the hit, as a reader segments the text (人文交流 in 中越人文交流年)."""
    covered: set[tuple[int, int]] = set()
    furthest = -1
    # By start, longest first: a span is inside a longer one iff an earlier one reaches its end.
    for start, end in sorted(
        {(start, end) for start, end, _ in found}, key=lambda s: (s[0], -s[1])
    ):
        if furthest >= end:
            covered.add((start, end))
        furthest = max(furthest, end)
    return [(start, end, form) for start, end, form in found if (start, end) not in covered]


def _beyond_head(query: Sequence[str], term: Sequence[str]) -> bool:
    """Whether query and term share a character (zh) or word (en) besides their common ending.

    Chinese and English noun phrases end in their head (合作, cooperation): terms alike only
    in it are other kinds of the same thing (互利合作 for 澜湄合作), not matches.
    """
    shared_end = 0
    while (
        shared_end < min(len(query), len(term))
        and query[len(query) - 1 - shared_end] == term[len(term) - 1 - shared_end]
    ):
        shared_end += 1
    return bool(set(query[: len(query) - shared_end]) & set(term[: len(term) - shared_end]))


def _word_chars(tokens: tuple[str, ...] | list[str]) -> int:
    return sum(len(token) for token in tokens)


def _find_run(haystack: tuple[str, ...], needle: list[set[str]]) -> int:
    """Where a run of words, each one of a set of allowed spellings, starts in `haystack` (-1)."""
    for start in range(len(haystack) - len(needle) + 1):
        if all(haystack[start + i] in allowed for i, allowed in enumerate(needle)):
            return start
    return -1


def _similar(query_norm: str, norms: list[str], min_score: float) -> list[tuple[float, int]]:
    """(character similarity 0–1, form index) of the forms most like the whole query."""
    similar = process.extract(
        query_norm,
        norms,
        scorer=Levenshtein.normalized_similarity,
        score_cutoff=min_score / 100,
        limit=_FUZZY_POOL,
    )
    return [(ratio, form) for _, ratio, form in similar]


def _typo_neighbours(forms: EnglishForms, word: str) -> list[str]:
    """Glossary words within 1 edit (≤ 6 letters) or 2 edits of a query word."""
    if len(word) < 4:
        return []
    allowed = 1 if len(word) <= 6 else 2
    near = process.extract(
        word,
        forms.vocabulary,
        scorer=Levenshtein.distance,
        score_cutoff=allowed,
        limit=None,
    )
    return [candidate for candidate, _, _ in near]


def _english(index: GlossaryIndex, query_norm: str, *, min_score: float, matches: _Matches) -> None:
    forms = index.en
    query = en_tokens(query_norm)
    if not query:
        return
    query_chars = _word_chars(query)
    # Exact: the same words (so "Lancang Mekong Cooperation" equals "Lancang-Mekong Cooperation").
    for form in forms.by_tokens.get(tuple(query), ()):
        matches.offer(forms.owners[form], EXACT, 100.0, forms.kinds[form], forms.texts[form])
    # The query contains a rendering as whole words (a sentence holding the term); a hyphenated
    # compound is one word here: "China" is not a word of "one-China policy".
    spans = words(query_norm)
    compounds = words(query_norm, compounds=True)
    starts, ends = {w.start for w in compounds}, {w.end for w in compounds}
    inside: list[tuple[int, int, int]] = []
    for start, word in enumerate(query):
        for form in forms.by_first.get(word, ()):
            tokens = forms.tokens[form]
            end = start + len(tokens)
            if (
                tuple(query[start:end]) == tokens
                and not EN_STOPWORDS.issuperset(tokens)
                and spans[start].start in starts
                and spans[end - 1].end in ends
            ):
                inside.append((start, end, form))
    # A rendering contains the query: whole words, else completing the last word and forgiving
    # typos (those are fuzzy). Stopword-only queries ("of the") would match half the glossary.
    content = [word for word in query if word not in EN_STOPWORDS]
    if content and len(query) <= forms.longest:
        _english_containing(forms, query, min_score=min_score, matches=matches)
    # Terms inside a query that is itself a term are parts of it, not hits of their own.
    for _, _, form in [] if matches.whole_query else _outermost(inside):
        score = _coverage(_word_chars(forms.tokens[form]), query_chars)
        matches.offer(forms.owners[form], CONTAINED, score, forms.kinds[form], forms.texts[form])
    for char_similarity, form in _similar(query_norm, forms.norms, min_score):
        # Characters shortlist; words decide between phrases, so "Lancang Mekong" is not 50%
        # like "Lang Son" (one-word sides keep the character score: "hongkong", typos).
        tokens = forms.tokens[form]
        phrase = len(query) > 1 and len(tokens) > 1
        ratio = similarity(query_norm, forms.norms[form], "en") if phrase else char_similarity
        score = float(min(99, int(100 * ratio)))
        if score >= min_score and (
            not phrase or _beyond_head(fix_typos(query, list(tokens))[0], tokens)
        ):
            matches.offer(forms.owners[form], FUZZY, score, forms.kinds[form], forms.texts[form])


def _english_containing(
    forms: EnglishForms, query: list[str], *, min_score: float, matches: _Matches
) -> None:
    """Renderings holding the query's words in order: whole words, or a prefix / typo of them."""
    exact_words = [{word} for word in query]
    widened = [{word} for word in query]
    last = len(query) - 1
    if len(query[last]) >= 3:
        widened[last].update(forms.words_with_prefix(query[last], _PREFIX_WORDS))
    # Candidate renderings: those holding some spelling of every content word. Known words go
    # first, so a sentence whose known words share no rendering costs no typo searches.
    candidates: set[int] | None = None
    for position in sorted(range(len(query)), key=lambda i: query[i] not in forms.by_word):
        word = query[position]
        if word in EN_STOPWORDS:
            continue
        if word not in forms.by_word:
            widened[position].update(_typo_neighbours(forms, word))
        holding = set().union(*(forms.by_word.get(spelling, ()) for spelling in widened[position]))
        candidates = holding if candidates is None else candidates & holding
        if not candidates:
            return
    query_chars = _word_chars(query)
    for form in sorted(candidates or ()):
        tokens = forms.tokens[form]
        owner, kind, text = forms.owners[form], forms.kinds[form], forms.texts[form]
        if _find_run(tokens, exact_words) >= 0:
            score = _coverage(query_chars, _word_chars(tokens))
            matches.offer(owner, CONTAINED, score, kind, text)
            continue
        start = _find_run(tokens, widened)
        if start < 0:
            continue
        # Score what was typed against the words it stands for, a completed last word cut to the
        # typed length: "lancang mek" scores as typed-correctly, "camraderie" loses its typo.
        matched = list(tokens[start : start + len(query)])
        if matched[-1].startswith(query[-1]):
            matched[-1] = query[-1]
        similarity = Levenshtein.normalized_similarity(" ".join(query), " ".join(matched))
        score = float(min(99, int(similarity * 100)))
        if score >= min_score:
            whole = start == 0 and len(query) == len(tokens)
            matches.offer(owner, FUZZY, score, kind, text, whole=whole)


def _chinese(forms: ChineseForms, query_norm: str, *, min_score: float, matches: _Matches) -> None:
    for form in forms.by_norm.get(query_norm, ()):
        matches.offer(forms.owners[form], EXACT, 100.0, "zh", forms.norms[form])
    # Terms inside the query (a sentence pasted in): every occurrence in one automaton pass;
    # the longest at each place, and none inside a query that is itself a term.
    if forms.automaton is not None and len(query_norm) >= 2 and not matches.whole_query:
        inside = [
            (last + 1 - len(norm), last + 1, forms.by_norm[norm][0])
            for last, norm in forms.automaton.iter(query_norm)
        ]
        for _, _, first in _outermost(inside):
            norm = forms.norms[first]
            score = _coverage(len(norm), len(query_norm))
            for form in forms.by_norm[norm]:
                matches.offer(forms.owners[form], CONTAINED, score, "zh", norm)
    # Terms holding the query (a fragment typed): str.find over all terms joined.
    if "\n" not in query_norm:
        found, offset = 0, forms.joined.find(query_norm)
        while offset >= 0 and found < _ZH_CONTAINING_CAP:
            form = forms.form_at(offset)
            norm = forms.norms[form]
            if norm != query_norm:
                score = _coverage(len(query_norm), len(norm))
                matches.offer(forms.owners[form], CONTAINED, score, "zh", norm)
            found += 1
            offset = forms.joined.find(query_norm, forms.starts[form] + len(norm))
    for char_similarity, form in _similar(query_norm, forms.norms, min_score):
        if _beyond_head(query_norm, forms.norms[form]):
            score = float(min(99, int(char_similarity * 100)))
            matches.offer(forms.owners[form], FUZZY, score, "zh", forms.norms[form])


def term_hits(
    conn: sqlite3.Connection,
    side: str,
    query: str,
    query_norm: str,
    *,
    min_score: float,
    limit: int | None = None,
    index: GlossaryIndex | None = None,
    origin: str = "glossary",
) -> list[Hit]:
    """Glossary terms for a query: exact, whole term mistyped, contained (by coverage), fuzzy.

    `index` is the database's glossary unless given (a glossary file's); `origin` names it.
    """
    index = glossary_index(conn) if index is None else index
    matches = _Matches()
    if side == "zh":
        _chinese(index.zh, query_norm, min_score=min_score, matches=matches)
    else:
        _english(index, query_norm, min_score=min_score, matches=matches)

    def order(owner: int) -> tuple[Any, ...]:
        (tier, _, _), _, score, _, _ = matches.best[owner]
        term = index.terms[owner]
        # By tier, by score within it; rejected terms last among equals.
        return tier, -score, _STATUS_RANK.get(term.status, 3), term.zh

    ranked = sorted(matches.best, key=order)[:limit]
    hits = []
    for owner in ranked:  # spans only for the hits shown
        _, match, score, kind, text = matches.best[owner]
        term = index.terms[owner]
        other_rendering = kind not in (PREFERRED, "zh")
        hits.append(
            Hit(
                zh=term.zh,
                en=term.en,
                score=score,
                origin=origin,
                kind=HitKind.TERM,
                term_id=term.id,
                status=term.status,
                match=match,
                variants=term.variants,
                forbidden=term.forbidden,
                note=term.note,
                matched=text if other_rendering else None,
                matched_kind=kind if other_rendering else None,
                checked=term.checked,
                zh_spans=matched_spans(query, term.zh, "zh") if side == "zh" else [],
                en_spans=matched_spans(query, term.en, "en")
                if side == "en" and not other_rendering
                else [],
            )
        )
    return hits

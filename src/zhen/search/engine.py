"""`lookup`: glossary terms, then fuzzy TM matches by CAT match %, then concordance lines."""

from __future__ import annotations

import sqlite3

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from zhen.errors import SearchError
from zhen.search import fragments
from zhen.search.candidates import Postings, candidate_pool, concordance_rows
from zhen.search.glossaries import scoped_term_hits
from zhen.search.glossary_hits import term_hits
from zhen.search.glossary_index import glossary_index
from zhen.search.origins import origin_filter
from zhen.search.results import SIDES, Fragment, Hit, HitKind, LookupResult, Side
from zhen.search.scope import LookupScope
from zhen.search.scoring import match_percent, matched_spans, merge_spans, occurrence_spans
from zhen.store import units as stored_units
from zhen.text.normalize import has_cjk, normalize_en, normalize_zh

# rapidfuzz pre-ranks the candidate pool by plain edit distance; only this many times `limit`
# go on to the full CAT scoring (numbers, tags, typo-tolerant words) and highlighting.
_RESCORE_FACTOR = 3
# Fragment candidates aligned beyond the number that can be shown: the window score that picks
# them is only an estimate of the alignment's.
_FRAGMENT_SPARE = 5
_MAX_QUERY_CHARS = 2_000
# A whole-segment match this good (the CAT "fuzzy" band and above) ranks before any fragment.
GOOD_MATCH = 75
# (score, unit id, the fragment when only a part of the unit matched)
Ranked = tuple[float, int, Fragment | None]


def detect_side(query: str) -> Side:
    """ "zh" when the query holds Chinese characters, else "en"."""
    return Side.ZH if has_cjk(query) else Side.EN


def _other(side: str) -> str:
    return "en" if side == "zh" else "zh"


def _counterpart_spans(text: str, needles: list[str], side: str) -> list[tuple[int, int]]:
    """Where the glossary renderings of terms in the query occur on the unit's other side."""
    spans: list[tuple[int, int]] = []
    for needle in needles:
        spans.extend(occurrence_spans(needle, text, side))
    # Renderings overlap ("China-Vietnam" inside "China-Vietnam Year of …"): one span each place.
    return merge_spans(spans)


def _unit_hits(
    conn: sqlite3.Connection,
    side: Side,
    query: str,
    query_norm: str,
    read: Postings,
    *,
    limit: int,
    min_score: float,
) -> list[Hit]:
    """Whole-segment matches by match %, and fragment matches (the query inside a longer unit)
    by fragment score: good whole matches first, then the rest by score; `limit` in all."""
    column = "zh_norm" if side == "zh" else "en_norm"
    pool = candidate_pool(conn, side, query_norm, read)
    if not pool:
        return []
    texts = {
        row[0]: row[1]
        for row in stored_units.fetch_rows(conn, [i for i, _ in pool], f"id, {column}")
    }
    shortlist = process.extract(
        query_norm,
        texts,
        scorer=Levenshtein.normalized_similarity,
        limit=max(limit * _RESCORE_FACTOR, 10),
    )
    best: dict[int, Ranked] = {}
    for unit_norm, _, unit_id in shortlist:
        score = match_percent(query_norm, unit_norm, side)
        if score >= min_score:
            best[unit_id] = (float(score), unit_id, None)
    # Good whole matches rank first: fragments can only fill the places they leave.
    room = limit - sum(1 for score, _, _ in best.values() if score >= GOOD_MATCH)
    if room > 0 and fragments.eligible(query_norm, side):
        shares = dict(pool)
        longer = {
            unit_id: unit_norm
            for unit_id, unit_norm in texts.items()
            if shares[unit_id] >= fragments.MIN_SHARE and fragments.longer(unit_norm, query_norm)
        }
        for found in _fragment_hits(conn, side, query, query_norm, longer, best, room, min_score):
            best[found[1]] = found
    ranked = sorted(best.values(), key=_rank)
    return _hits(conn, ranked[:limit])


def _rank(item: Ranked) -> tuple[int, float, bool, int]:
    """Good whole matches first; then by score, whole before fragment; then the newest unit
    (the translator's latest decision)."""
    score, unit_id, fragment = item
    good_whole = fragment is None and score >= GOOD_MATCH
    return (0 if good_whole else 1), -score, fragment is not None, -unit_id


def _fragment_hits(
    conn: sqlite3.Connection,
    side: Side,
    query: str,
    query_norm: str,
    longer: dict[int, str],
    whole: dict[int, Ranked],
    room: int,
    min_score: float,
) -> list[Ranked]:
    """Units of `longer` (id → normalised text) whose best part matches the query better than
    the whole unit does (`whole`: the whole matches), enough of them to fill `room` places."""
    if not longer:
        return []
    # A cheap window score (the query against its best window, ≈ an upper bound of the
    # alignment's score) orders the units to align and says when to stop.
    windows = process.extract(
        query_norm,
        longer,
        scorer=fragments.window_score,
        score_cutoff=min_score,
        limit=room + _FRAGMENT_SPARE,
    )
    own = "id, zh" if side == "zh" else "id, en"
    texts = dict(stored_units.fetch_rows(conn, [i for _, _, i in windows], own))
    found: list[Ranked] = []
    for _, window, unit_id in windows:
        if len(found) >= room and sorted(score for score, _, _ in found)[-room] >= window:
            break  # `room` parts already score at least what any unit left could
        to_beat = whole[unit_id][0] if unit_id in whole else None
        if to_beat is not None and window <= to_beat:
            continue  # its part cannot beat its whole match
        fragment = fragments.best_fragment(query, texts[unit_id], side)
        if fragment is None or fragment.score < min_score:
            continue
        if to_beat is None or fragment.score > to_beat:
            found.append((fragment.score, unit_id, fragment))
    return found


def _hits(conn: sqlite3.Connection, ranked: list[Ranked]) -> list[Hit]:
    """The ranked (score, unit id, fragment) as hits, read in one query."""
    rows = {
        row[0]: row
        for row in stored_units.fetch_rows(conn, [i for _, i, _ in ranked], "id, zh, en, origin")
    }
    hits = []
    for score, unit_id, fragment in ranked:
        _, zh, en, origin = rows[unit_id]
        hits.append(
            Hit(
                zh=zh,
                en=en,
                score=float(score),
                origin=origin,
                kind=HitKind.UNIT,
                unit_id=unit_id,
                fragment=fragment,
            )
        )
    return hits


def prepare(conn: sqlite3.Connection) -> None:
    """Pay up front what the first lookup of a session would: the glossary index and OpenCC.

    A long-lived caller (the TUI) runs this in the background when it opens the database, so
    the first query the translator types answers as fast as the later ones.
    """
    glossary_index(conn)
    normalize_zh("體")  # OpenCC loads its conversion tables on first use


def lookup(
    conn: sqlite3.Connection,
    query: str,
    *,
    limit: int = 20,
    min_score: float = 50,
    side: str | None = None,
    scope: LookupScope | None = None,
) -> LookupResult:
    """Look a zh or en query up in the glossary and the TM (side detected unless given);
    `scope` adds glossary files and limits the TM to some origins."""
    if side is not None and side not in SIDES:
        raise SearchError(f"unknown side {side!r}: use zh or en")
    if limit < 1:
        raise SearchError(f"limit must be at least 1, not {limit}")
    if not 0 <= min_score <= 100:
        raise SearchError(f"min-score must be between 0 and 100, not {min_score}")
    if len(query) > _MAX_QUERY_CHARS:
        raise SearchError(f"query too long ({len(query)} characters; at most {_MAX_QUERY_CHARS})")
    side = Side(side) if side else detect_side(query)
    query_norm = normalize_zh(query) if side == "zh" else normalize_en(query)
    if not query_norm:
        raise SearchError("empty query")
    result = LookupResult(query=query, side=side)
    if scope is None or scope.is_default:
        result.terms = term_hits(conn, side, query, query_norm, min_score=min_score, limit=limit)
    else:
        result.terms = scoped_term_hits(
            conn, side, query, query_norm, min_score=min_score, limit=limit, scope=scope
        )
    origins = None if scope is None or scope.origins is None else origin_filter(conn, scope.origins)
    read = Postings(conn, side, origins)
    result.units = _unit_hits(conn, side, query, query_norm, read, limit=limit, min_score=min_score)

    seen = {hit.unit_id for hit in result.units if hit.unit_id is not None}
    for row in concordance_rows(conn, side, query_norm, read, exclude=seen):
        if len(result.concordance) >= limit:
            break
        result.concordance.append(
            Hit(
                zh=row["zh"],
                en=row["en"],
                score=float(match_percent(query_norm, row[f"{side}_norm"], side)),
                origin=row["origin"],
                kind=HitKind.CONCORDANCE,
                unit_id=row["id"],
            )
        )
    _highlight(result)
    return result


def _highlight(result: LookupResult) -> None:
    """Spans on the query's side from the match; on the other side, glossary renderings."""
    side, other = result.side, _other(result.side)
    in_query = [t for t in result.terms if t.match in ("exact", "contained")]
    needles: list[str] = []
    for term in in_query:
        needles.extend([term.en, *term.variants] if side == "zh" else [term.zh])
    for hit in (*result.units, *result.concordance):
        own = hit.zh if side == "zh" else hit.en
        counterpart = hit.en if side == "zh" else hit.zh
        if hit.kind == HitKind.CONCORDANCE:
            own_spans = occurrence_spans(result.query, own, side)
        elif hit.fragment is not None:
            # Only the matched part, and within it what needs no edit.
            start, end = hit.fragment.span
            inside = matched_spans(result.query, own[start:end], side)
            own_spans = [(start + s, start + e) for s, e in inside]
        else:
            own_spans = matched_spans(result.query, own, side)
        other_spans = _counterpart_spans(counterpart, needles, other)
        if side == "zh":
            hit.zh_spans, hit.en_spans = own_spans, other_spans
        else:
            hit.en_spans, hit.zh_spans = own_spans, other_spans

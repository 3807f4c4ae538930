"""Glossary hits for a query: exact, contained in the query, then fuzzy (from the terms tables)."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from zhen.normalize import normalize_en, normalize_zh
from zhen.search.model import Hit
from zhen.search.scoring import matched_spans

_STATUS_RANK = {"approved": 0, "proposed": 1, "rejected": 2}


@dataclass(slots=True)
class TermEntry:
    """A glossary term as the matcher needs it (normalised forms precomputed)."""

    id: int
    zh: str
    en: str
    status: str
    note: str | None
    zh_norm: str
    variants: list[str] = field(default_factory=list)
    forbidden: list[str] = field(default_factory=list)
    en_norms: list[str] = field(default_factory=list)  # preferred rendering and variants


# One cached glossary per database file, refreshed whenever the database has changed.
_cache: dict[str, tuple[tuple[int, int], list[TermEntry]]] = {}


def _fingerprint(conn: sqlite3.Connection) -> tuple[int, int]:
    data_version = conn.execute("PRAGMA data_version").fetchone()[0]
    return data_version, conn.total_changes


def load_terms(conn: sqlite3.Connection) -> list[TermEntry]:
    """Every glossary term with its renderings, cached until the database changes."""
    path = conn.execute("PRAGMA database_list").fetchone()[2] or f":memory:{id(conn)}"
    fingerprint = _fingerprint(conn)
    cached = _cache.get(path)
    if cached and cached[0] == fingerprint:
        return cached[1]
    entries: dict[int, TermEntry] = {}
    for row in conn.execute("SELECT id, zh, zh_norm, en, status, note FROM terms ORDER BY id"):
        term_id, zh, zh_norm, en, status, note = tuple(row)
        entries[term_id] = TermEntry(
            term_id, zh, en, status, note, zh_norm or normalize_zh(zh), en_norms=[normalize_en(en)]
        )
    for term_id, kind, en in conn.execute("SELECT term_id, kind, en FROM term_renderings"):
        entry = entries.get(term_id)
        if entry is None:
            continue
        if kind == "variant":
            entry.variants.append(en)
            entry.en_norms.append(normalize_en(en))
        else:
            entry.forbidden.append(en)
    terms = list(entries.values())
    _cache[path] = (fingerprint, terms)
    return terms


def _contains_phrase(haystack: str, needle: str, side: str) -> bool:
    if side == "zh":
        return len(needle) >= 2 and needle in haystack
    return re.search(rf"(?<![a-z0-9]){re.escape(needle)}(?![a-z0-9])", haystack) is not None


def term_hits(
    conn: sqlite3.Connection, side: str, query: str, query_norm: str, *, min_score: float
) -> list[Hit]:
    """Terms equal to the query, terms the query contains, then terms similar to it."""
    terms = load_terms(conn)
    forms: list[str] = []
    owners: list[int] = []
    for index, term in enumerate(terms):
        for form in [term.zh_norm] if side == "zh" else term.en_norms:
            if form:
                forms.append(form)
                owners.append(index)
    found: dict[int, tuple[str, float]] = {}
    for form, index in zip(forms, owners, strict=True):
        if form == query_norm:
            found[index] = ("exact", 100.0)
        elif _contains_phrase(query_norm, form, side) and found.get(index, ("", 0))[0] != "exact":
            coverage = round(100 * len(form) / len(query_norm))
            if index not in found or found[index][1] < coverage:
                found[index] = ("contained", coverage)
    similar = process.extract(
        query_norm,
        forms,
        scorer=Levenshtein.normalized_similarity,
        score_cutoff=min_score / 100,
        limit=50,
    )
    for _, similarity, position in similar:  # best first, so the first form of a term wins
        found.setdefault(owners[position], ("fuzzy", min(99, int(similarity * 100))))
    hits = []
    for index, (match, score) in found.items():
        term = terms[index]
        hits.append(
            Hit(
                zh=term.zh,
                en=term.en,
                score=float(score),
                origin="glossary",
                kind="term",
                term_id=term.id,
                status=term.status,
                match=match,
                variants=term.variants,
                forbidden=term.forbidden,
                note=term.note,
                zh_spans=matched_spans(query, term.zh, "zh") if side == "zh" else [],
                en_spans=matched_spans(query, term.en, "en") if side == "en" else [],
            )
        )
    # Exact matches first, then by score (a contained term scores the share of the query it
    # covers); rejected terms last among equals.
    hits.sort(key=lambda h: (h.match != "exact", -h.score, _STATUS_RANK.get(h.status, 3)))
    return hits

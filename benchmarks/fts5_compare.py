"""zhen's postings index beside SQLite FTS5 (trigram tokenizer) as the lookup's candidate index.

Run:  python benchmarks/fts5_compare.py [--extra 0] [--workdir DIR]

The units are the bundled `tm/xinhua.tmx` and TICO-19 (`../shared/data/tico19`), imported
with `zhen.tm.import_files`; `--extra N` adds N units built as benchmarks/lookup_bench.py
builds its own (1–3 real Tatoeba/TICO-19/WMT22 pairs joined, fixed seed) to see the trend.
Both indexes cover the same text, the stored normalised forms (`zh_norm`, `en_norm`):
  - zhen: the packed postings of zh character bigrams and en words (`zhen.store.index`),
    timed as `rebuild` of the whole index; its size is that of `zh_postings`/`en_postings`;
  - FTS5: `fts5(zh_norm, en_norm, content='units', tokenize='trigram')` in a copy of the
    database (external content: the index only, like zhen's), built with 'rebuild'; its size
    is that of its shadow tables. Both sizes come from SQLite's `dbstat`.
The fixed query set: Chinese 2-character terms (the common case: 同志, 疫苗), 4-character
terms, sentences (TM sources changed as lookup_bench's `perturb` does); English words,
phrases, sentences with typos (lookup_bench's `make_en_queries`).
Candidates, per query, what a lookup goes on to score:
  - zhen: `search.candidates.fuzzy_candidates` (the top POOL_SIZE units by weighted token
    overlap) and the first `--limit` units of `concordance_rows` (containing the query);
  - FTS5: the top POOL_SIZE units by bm25 for the OR of the query's trigrams, and the first
    `--limit` units matching the query as one phrase (a substring), newest first.
Recall is measured against what the lookup should show, found by brute force over every
unit: the `--limit` best units by `match_percent` (≥ 50, after a rapidfuzz shortlist of 200)
and the `--limit` newest units containing the query. Query time is the best of three runs of
the candidate step, in ms (p50 and max over the class's queries).
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))
from lookup_bench import SHARED, build_units, load_pairs, make_en_queries, perturb  # noqa: E402

SEED = 20240602
MIN_SCORE = 50
# Common and rare (澜湄, 赓续, 抗疫: one unit each, so a scan for them reads every unit).
ZH_TWO = ["同志", "合作", "发展", "越南", "病毒", "疫苗", "症状", "澜湄", "赓续", "抗疫"]
ZH_FOUR = [
    "战略合作",
    "公共卫生",
    "社交距离",
    "世界卫生",
    "呼吸系统",
    "传统友谊",
    "新冠病毒",
    "密切接触",
]
EN_WORDS = ["vaccine", "cooperation", "Vietnam", "mask", "symptoms", "friendship", "virus", "Xi"]
EN_PHRASES = [
    "social distancing",
    "public health",
    "shared future",
    "close contact",
    "wash your hands",
    "strategic partnership",
]
SENTENCES = 10  # per language


def build_database(work: Path, extra: int) -> Path:
    """A zhen database holding the bundled Xinhua TM, TICO-19 and `extra` built units."""
    from zhen import store, tm
    from zhen.io import tmx
    from zhen.models import TranslationUnit

    path = work / f"fts5-compare-{extra}.db"
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)
    files = [REPO / "tm" / "xinhua.tmx", SHARED / "tico19" / "all.en-zh.tmx"]
    if extra:
        built = work / f"fts5-extra-{extra}.tmx"
        units = build_units(load_pairs(), extra)
        tmx.write_tmx(built, (TranslationUnit(zh=z, en=e, origin="bench") for z, e in units))
        files.append(built)
    conn = store.open_database(path, create=True)
    tm.import_files(conn, files)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path


def _bytes(conn: sqlite3.Connection, tables: list[str]) -> int:
    """Bytes of the pages of these tables and of their indexes (dbstat)."""
    names = tables + [
        row[0]
        for row in conn.execute(
            f"SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN "
            f"({','.join('?' * len(tables))})",
            tables,
        )
    ]
    query = f"SELECT SUM(pgsize) FROM dbstat WHERE name IN ({','.join('?' * len(names))})"
    return conn.execute(query, names).fetchone()[0] or 0


def build_zhen_index(path: Path) -> dict:
    from zhen.store import index as search_index
    from zhen.store.base import transaction

    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    start = time.perf_counter()
    with transaction(conn):
        units = search_index.rebuild(conn)
    seconds = time.perf_counter() - start
    size = _bytes(conn, [search_index.ZH_TABLE, search_index.EN_TABLE])
    conn.close()
    return {"units": units, "build_s": seconds, "bytes": size}


def build_fts5_index(path: Path, copy: Path) -> dict:
    shutil.copyfile(path, copy)
    conn = sqlite3.connect(copy)
    start = time.perf_counter()
    conn.execute(
        "CREATE VIRTUAL TABLE units_fts USING fts5(zh_norm, en_norm, content='units', "
        "content_rowid='id', tokenize='trigram')"
    )
    conn.execute("INSERT INTO units_fts(units_fts) VALUES ('rebuild')")
    conn.commit()
    seconds = time.perf_counter() - start
    shadow = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'units_fts_%'"
        )
    ]
    size = _bytes(conn, shadow)
    conn.close()
    return {"build_s": seconds, "bytes": size}


# --- queries -------------------------------------------------------------------------------


def make_query_set(path: Path) -> list[tuple[str, str, str]]:
    """(class, side, query) for the fixed terms and for sentences drawn from the units."""
    conn = sqlite3.connect(path)
    units = [(row[0], row[1]) for row in conn.execute("SELECT zh, en FROM units ORDER BY id")]
    conn.close()
    rng = random.Random(SEED)
    alphabet = "".join(sorted({ch for z, _ in units for ch in z if "\u4e00" <= ch <= "\u9fff"}))
    long_zh = [z for z, _ in units if len(z) >= 12]
    kinds = ("chars", "traditional", "clause")
    zh_sentences = [
        perturb(z, kinds[i % 3], rng, alphabet)
        for i, z in enumerate(rng.sample(long_zh, min(SENTENCES, len(long_zh))))
    ]
    en_sentences = [q for q, _, _ in make_en_queries(units, SENTENCES, SEED)]
    return [
        *(("zh 2-char term", "zh", q) for q in ZH_TWO),
        *(("zh 4-char term", "zh", q) for q in ZH_FOUR),
        *(("zh sentence", "zh", q) for q in zh_sentences),
        *(("en word", "en", q) for q in EN_WORDS),
        *(("en phrase", "en", q) for q in EN_PHRASES),
        *(("en sentence", "en", q) for q in en_sentences),
    ]


def _norm(side: str, query: str) -> str:
    from zhen.text.normalize import normalize_en, normalize_zh

    return normalize_zh(query) if side == "zh" else normalize_en(query)


def expected_units(
    norms: dict[str, tuple[list[int], list[str]]], side: str, query_norm: str, limit: int
) -> set[int]:
    """What the lookup should show, by brute force: best fuzzy matches, newest containing."""
    from zhen.search import match_percent

    ids, texts = norms[side]
    shortlist = process.extract(
        query_norm, texts, scorer=Levenshtein.normalized_similarity, limit=200
    )
    scored = sorted(
        ((match_percent(query_norm, text, side), ids[index]) for text, _, index in shortlist),
        key=lambda item: (-item[0], -item[1]),
    )
    fuzzy = {unit for score, unit in scored[:limit] if score >= MIN_SCORE}
    if side == "zh":
        containing = [unit for unit, text in zip(ids, texts, strict=True) if query_norm in text]
    else:  # from a word's start: "mask" finds "masks", "xi" does not find "anxiety"
        starts = re.compile(r"(?<![a-z0-9])" + re.escape(query_norm))
        containing = [unit for unit, text in zip(ids, texts, strict=True) if starts.search(text)]
    return fuzzy | set(sorted(containing, reverse=True)[:limit])


def zhen_candidates(conn: sqlite3.Connection, side: str, query_norm: str, limit: int) -> set[int]:
    from zhen.search.candidates import Postings, concordance_rows, fuzzy_candidates

    read = Postings(conn, side)
    found = set(fuzzy_candidates(conn, side, query_norm, read))
    for count, row in enumerate(concordance_rows(conn, side, query_norm, read, exclude=set())):
        if count >= limit:
            break
        found.add(row["id"])
    return found


def _phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def fts5_candidates(
    conn: sqlite3.Connection, side: str, query_norm: str, limit: int, *, scan: bool = False
) -> set[int]:
    """FTS5's candidates; with `scan`, a query under three characters (which the trigram
    index cannot match) falls back to reading every unit, newest first."""
    from zhen.search.candidates import POOL_SIZE

    column = f"{side}_norm"
    trigrams = list(dict.fromkeys(query_norm[i : i + 3] for i in range(len(query_norm) - 2)))
    if not trigrams and scan:
        rows = conn.execute(
            f"SELECT id FROM units WHERE instr({column}, ?) ORDER BY id DESC LIMIT ?",
            (query_norm, limit),
        )
        return {row[0] for row in rows}
    if not trigrams:
        return set()  # under three characters: FTS5's trigram index matches nothing
    found = {
        row[0]
        for row in conn.execute(
            "SELECT rowid FROM units_fts WHERE units_fts MATCH ? ORDER BY rank LIMIT ?",
            (f"{column} : ({' OR '.join(map(_phrase, trigrams))})", POOL_SIZE),
        )
    }
    found.update(
        row[0]
        for row in conn.execute(
            "SELECT rowid FROM units_fts WHERE units_fts MATCH ? ORDER BY rowid DESC LIMIT ?",
            (f"{column} : {_phrase(query_norm)}", limit),
        )
    )
    return found


def _best_of_three(run) -> tuple[float, set[int]]:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        found = run()
        times.append((time.perf_counter() - start) * 1000)
    return min(times), found


def measure(path: Path, fts_path: Path, limit: int) -> list[dict]:
    """Per query: the expected units, and each index's candidates and time."""
    from zhen import store

    zhen_conn = store.open_database(path, readonly=True)
    fts_conn = sqlite3.connect(f"file:{fts_path}?mode=ro", uri=True)
    norms = {}
    for side in ("zh", "en"):
        rows = zhen_conn.execute(f"SELECT id, {side}_norm FROM units ORDER BY id").fetchall()
        norms[side] = ([row[0] for row in rows], [row[1] for row in rows])
    results = []
    for kind, side, query in make_query_set(path):
        query_norm = _norm(side, query)
        expected = expected_units(norms, side, query_norm, limit)
        zhen_ms, by_zhen = _best_of_three(
            lambda s=side, q=query_norm: zhen_candidates(zhen_conn, s, q, limit)
        )
        fts_ms, by_fts = _best_of_three(
            lambda s=side, q=query_norm: fts5_candidates(fts_conn, s, q, limit)
        )
        scan_ms, by_scan = _best_of_three(
            lambda s=side, q=query_norm: fts5_candidates(fts_conn, s, q, limit, scan=True)
        )
        results.append(
            {
                "kind": kind,
                "expected": len(expected),
                "zhen_found": len(expected & by_zhen),
                "fts_found": len(expected & by_fts),
                "scan_found": len(expected & by_scan),
                "zhen_ms": zhen_ms,
                "fts_ms": fts_ms,
                "scan_ms": scan_ms,
            }
        )
    zhen_conn.close()
    fts_conn.close()
    return results


def _print(results: list[dict], zhen: dict, fts: dict) -> None:
    print(f"\n{zhen['units']:,} units (bundled Xinhua TM + TICO-19 + --extra)\n")
    print("| index | build s | index MB |")
    print("|---|---:|---:|")
    for label, figures in (("zhen postings (zh bigrams, en words)", zhen), ("FTS5 trigram", fts)):
        print(f"| {label} | {figures['build_s']:.2f} | {figures['bytes'] / 1e6:.2f} |")
    print()
    print(
        "| queries | n | expected units | recall: zhen | FTS5 | FTS5 + scan "
        "| ms p50 / max: zhen | FTS5 | FTS5 + scan |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    kinds = list(dict.fromkeys(r["kind"] for r in results))
    for kind in [*kinds, "all"]:
        rows = [r for r in results if kind in ("all", r["kind"])]
        expected = sum(r["expected"] for r in rows)

        def recall(key: str, rows=rows, expected=expected) -> str:
            return f"{sum(r[key] for r in rows) / expected:.0%}" if expected else "–"

        times = " | ".join(
            f"{statistics.median(r[key] for r in rows):.2f} / {max(r[key] for r in rows):.2f}"
            for key in ("zhen_ms", "fts_ms", "scan_ms")
        )
        print(
            f"| {kind} | {len(rows)} | {expected} | {recall('zhen_found')} | "
            f"{recall('fts_found')} | {recall('scan_found')} | {times} |"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extra", type=int, default=0, help="built units added to the corpus")
    parser.add_argument("--limit", type=int, default=20, help="hits a lookup shows per list")
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    if not SHARED.exists():
        print(f"{SHARED} not found: the benchmark needs ../shared/data", file=sys.stderr)
        return 2
    work = args.workdir or Path(tempfile.gettempdir()) / "zhen-fts5-compare"
    work.mkdir(parents=True, exist_ok=True)
    path = build_database(work, args.extra)
    zhen = build_zhen_index(path)
    fts_path = work / f"fts5-compare-{args.extra}-fts.db"
    fts = build_fts5_index(path, fts_path)
    _print(measure(path, fts_path, args.limit), zhen, fts)
    return 0


if __name__ == "__main__":
    sys.exit(main())

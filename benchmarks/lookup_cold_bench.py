"""Lookup cold start (first lookup of a session vs a repeat) and 10k-term glossary matching.

Run:  python benchmarks/lookup_cold_bench.py [--db PATH] [--terms 10000] [--repeat 20]

Part 1 (needs --db, e.g. /tmp/zhen-tui-bench/tui-bench-1000000.db built by tui_bench.py): each
query runs in a fresh child process that first drops the database file from the OS page cache
(posix_fadvise DONTNEED, advisory) and then times its first lookup ("cold") and the same lookup
again ("warm", the peer measured in the same run). Part 2: a temp database holding the bundled
glossary plus short Tatoeba cmn-eng pairs as terms (../shared/data); times building the glossary
index once and `term_hits` per query, against a per-term Python loop doing the same containment
test (the baseline). The machine is shared, so compare the columns of one run, not runs.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TATOEBA = REPO.parent / "shared" / "data" / "tatoeba" / "cmn.txt"
COLD_QUERIES = [
    "Why should",
    "Tom wears",
    "how long have the symptoms",
    "cholester",
    "双方要继往开来",
    "这只狗几乎吃任何东西",
    "汤姆戴假发。",
]
TERM_QUERIES = [
    "camaraderie",
    "camraderie",
    "Lancang Mekong",
    "comrades and brothers",
    "Why should",
    "I don't know what to do",
    "同志加兄弟",
    "兄弟",
    "站在新的历史起点上，双方要继往开来、携手前行，赓续越中情谊深、同志加兄弟的传统友谊。",
]


def _evict(db: Path) -> None:
    for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        if path.exists():
            fd = os.open(path, os.O_RDONLY)
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)


def _child(db: Path, query: str) -> None:
    """One session: evict, open, first lookup, repeat; prints one JSON line."""
    _evict(db)
    from zhen import store
    from zhen.search import lookup

    conn = store.open_database(db, create=True)
    start = time.perf_counter()
    lookup(conn, query)
    cold = time.perf_counter() - start
    start = time.perf_counter()
    result = lookup(conn, query)
    warm = time.perf_counter() - start
    hits = len(result.terms) + len(result.units) + len(result.concordance)
    print(json.dumps({"query": query, "cold": cold, "warm": warm, "hits": hits}))


def cold_start(db: Path) -> None:
    print(f"\nFirst lookup of a session on {db.name} (page cache dropped) vs a repeat")
    print(f"{'query':<28} {'cold ms':>8} {'warm ms':>8} {'hits':>5}")
    colds, warms = [], []
    for query in COLD_QUERIES:
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(db), query],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        row = json.loads(out.splitlines()[-1])
        colds.append(row["cold"])
        warms.append(row["warm"])
        cold, warm = 1000 * row["cold"], 1000 * row["warm"]
        print(f"{query[:28]:<28} {cold:>8.0f} {warm:>8.0f} {row['hits']:>5}")
    cold, warm = 1000 * statistics.median(colds), 1000 * statistics.median(warms)
    print(f"{'median':<28} {cold:>8.0f} {warm:>8.0f}")


def _glossary_db(term_count: int) -> object:
    from zhen import store
    from zhen.glossary import import_glossary
    from zhen.resources import bundled_glossary
    from zhen.text.normalize import normalize_zh

    conn = store.open_database(Path(tempfile.mkdtemp()) / "terms.db", create=True)
    import_glossary(conn, bundled_glossary())
    rows = []
    with TATOEBA.open(encoding="utf-8-sig") as lines:
        for line in lines:
            en, zh = line.split("\t")[:2]
            if len(en) < 60:
                rows.append((zh, normalize_zh(zh), en.rstrip(".!?"), "proposed"))
            if len(rows) >= term_count:
                break
    with store.transaction(conn):
        conn.executemany(
            "INSERT OR IGNORE INTO terms (zh, zh_norm, en, status) VALUES (?, ?, ?, ?)", rows
        )
    return conn


def _loop_baseline(index, side: str, query_norm: str) -> int:
    """The per-term Python loop the index replaces: containment both ways over every form."""
    found = 0
    norms = index.zh.norms if side == "zh" else index.en.norms
    for norm in norms:
        if norm == query_norm or (len(norm) >= 2 and (norm in query_norm or query_norm in norm)):
            found += 1
    return found


def glossary_matching(term_count: int, repeat: int) -> None:
    from zhen.search.glossary_hits import term_hits
    from zhen.search.glossary_index import glossary_index
    from zhen.text.normalize import has_cjk, normalize_en, normalize_zh

    if not TATOEBA.exists():
        print(f"\n(skipping the glossary part: {TATOEBA} is absent)")
        return
    conn = _glossary_db(term_count)
    terms = conn.execute("SELECT count(*) FROM terms").fetchone()[0]
    start = time.perf_counter()
    index = glossary_index(conn)
    build = time.perf_counter() - start
    print(
        f"\nGlossary of {terms:,} terms ({len(index.en.norms):,} English renderings): "
        f"index built once in {1000 * build:.0f} ms"
    )
    print(f"{'query':<30} {'term_hits ms':>12} {'loop ms':>8} {'hits':>5}  first hit")
    for query in TERM_QUERIES:
        side = "zh" if has_cjk(query) else "en"
        query_norm = normalize_zh(query) if side == "zh" else normalize_en(query)
        start = time.perf_counter()
        for _ in range(repeat):
            hits = term_hits(conn, side, query, query_norm, min_score=50)
        ours = (time.perf_counter() - start) / repeat
        start = time.perf_counter()
        for _ in range(repeat):
            _loop_baseline(index, side, query_norm)
        loop = (time.perf_counter() - start) / repeat
        first = f"{hits[0].zh} ({hits[0].match})" if hits else "-"
        print(f"{query[:30]:<30} {1000 * ours:>12.2f} {1000 * loop:>8.2f} {len(hits):>5}  {first}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a large zhen database for the cold-start part")
    parser.add_argument("--terms", type=int, default=10_000, help="Tatoeba pairs added as terms")
    parser.add_argument("--repeat", type=int, default=20, help="timing repeats per term query")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(Path(args.child[0]), args.child[1])
        return 0
    if args.db:
        cold_start(args.db)
    glossary_matching(args.terms, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())

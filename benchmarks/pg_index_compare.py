"""PostgreSQL against SQLite, and zhen's postings against pg_trgm, on the same units and queries.

Run:  ZHEN_BENCH_POSTGRES=postgresql://USER@/postgres?host=/SOCKET/DIR \
      python benchmarks/pg_index_compare.py [--size 100000] [--queries 300] [--trgm-queries 60]

The units and queries are the lookup benchmark's (real Tatoeba, TICO-19 and WMT22 pairs, fixed
seed; zh queries with changed characters, Traditional script or a clause dropped; en queries
with 1–2 mistyped words). Measured in one run, one process, on one machine:
  - import: `zhen tm import` of one TMX into a new SQLite file and into a new PostgreSQL
    database (COPY batches, postings written as bytea), units/s;
  - lookup: `Database.lookup` on each backend: recall@5 (the unit the query was made from is
    among the first five), wall-clock p50/p95 in ms, and how many queries gave identical results
    on both backends;
  - pg_trgm: a GIN trigram index on units.zh_norm / en_norm and the candidates its similarity
    operator ranks first (`%` with `ORDER BY similarity DESC LIMIT 50`), recall@5 of those
    candidates and p50/p95: the alternative to zhen's postings tables on the server.
    (`--trgm-queries 0` leaves it out.)
The server is a throwaway cluster on the same two cores as the client, so absolute figures are
noisy; compare the columns of one run.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lookup_bench import _percentile, build_units, load_pairs, make_en_queries, make_queries


def _database_url(server: str, name: str) -> str:
    base, _, query = server.partition("?")
    return f"{base.rsplit('/', 1)[0]}/{name}" + (f"?{query}" if query else "")


def _lookups(db, queries) -> tuple[dict, list]:
    latencies, hits, answers = [], 0, []
    for query, original, kind in queries:
        start = time.perf_counter()
        result = db.lookup(query, limit=5, min_score=0, side="en" if kind == "typos" else "zh")
        latencies.append((time.perf_counter() - start) * 1000)
        texts = {hit.en if kind == "typos" else hit.zh for hit in result.units}
        hits += original in texts
        answers.append(result)
    return _figures(latencies, hits, len(queries)), answers


def _figures(latencies: list[float], hits: int, count: int) -> dict:
    return {
        "recall@5": 100 * hits / count,
        "p50": _percentile(latencies, 50),
        "p95": _percentile(latencies, 95),
    }


def _trgm(pg, queries) -> dict:
    from zhen.text.normalize import normalize_en, normalize_zh

    pg.execute("SET pg_trgm.similarity_threshold = 0.1")
    latencies, hits = [], 0
    for query, original, kind in queries:
        column, norm = ("en_norm", normalize_en) if kind == "typos" else ("zh_norm", normalize_zh)
        target = "en" if kind == "typos" else "zh"
        start = time.perf_counter()
        rows = pg.execute(
            f"SELECT {target} FROM units WHERE {column} %% %s "
            f"ORDER BY similarity({column}, %s) DESC LIMIT 50",
            (norm(query), norm(query)),
        ).fetchall()
        latencies.append((time.perf_counter() - start) * 1000)
        hits += original in {row[0] for row in rows[:5]}
    return _figures(latencies, hits, len(queries))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument(
        "--trgm-queries", type=int, default=60, help="queries for pg_trgm (each takes seconds)"
    )
    args = parser.parse_args()
    server = os.environ.get("ZHEN_BENCH_POSTGRES")
    if not server:
        print("set ZHEN_BENCH_POSTGRES to a PostgreSQL server URL", file=sys.stderr)
        return 2
    import psycopg

    from zhen import Database
    from zhen.io import tmx
    from zhen.models import TranslationUnit

    units = build_units(load_pairs(), args.size)
    queries = make_queries(units, args.queries // 2) + make_en_queries(units, args.queries // 2)
    name = f"zhen_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = _database_url(server, name)
    try:
        with tempfile.TemporaryDirectory() as work:
            source = Path(work) / "units.tmx"
            tmx.write_tmx(source, (TranslationUnit(zh=z, en=e, origin="bench") for z, e in units))
            rows = []
            answers = {}
            for label, target in (("SQLite", Path(work) / "bench.db"), ("PostgreSQL", url)):
                Database.create(target, seed=False).close()
                with Database(target) as db:
                    start = time.perf_counter()
                    report = db.import_files([source])
                    rate = report.added / (time.perf_counter() - start)
                with Database(target, readonly=True) as db:
                    db.lookup("预热")  # the glossary index and OpenCC load once
                    figures, answers[label] = _lookups(db, queries)
                rows.append((label, f"{rate:,.0f}", figures))
            same = sum(
                a == b for a, b in zip(answers["SQLite"], answers["PostgreSQL"], strict=True)
            )
            with psycopg.connect(url, autocommit=True) as pg:
                sizes = pg.execute(
                    "SELECT pg_total_relation_size('zh_postings') "
                    "+ pg_total_relation_size('en_postings')"
                ).fetchone()
                print(f"postings: {sizes[0] / 2**20:.1f} MiB")
                if not args.trgm_queries:
                    return _report(args.size, queries, rows, same)
                pg.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                start = time.perf_counter()
                pg.execute("CREATE INDEX units_zh_trgm ON units USING gin (zh_norm gin_trgm_ops)")
                pg.execute("CREATE INDEX units_en_trgm ON units USING gin (en_norm gin_trgm_ops)")
                built = time.perf_counter() - start
                half = args.trgm_queries // 2  # as many zh as en queries
                zh_queries = [q for q in queries if q[2] != "typos"][:half]
                trgm = _trgm(pg, zh_queries + [q for q in queries if q[2] == "typos"][:half])
                trgm_size = pg.execute(
                    "SELECT pg_relation_size('units_zh_trgm') + pg_relation_size('units_en_trgm')"
                ).fetchone()
                print(f"pg_trgm indexes: {trgm_size[0] / 2**20:.1f} MiB")
            rows.append((f"pg_trgm ({args.trgm_queries} q)", f"index {built:.1f} s", trgm))
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return _report(args.size, queries, rows, same)


def _report(size: int, queries: list, rows: list, same: int) -> int:
    print(f"{size:,} units, {len(queries)} queries (zh and en), one run")
    print(f"{'':20} {'import units/s':>16} {'recall@5':>9} {'p50 ms':>8} {'p95 ms':>8}")
    for label, rate, figures in rows:
        print(
            f"{label:20} {rate:>16} {figures['recall@5']:>8.1f}% "
            f"{figures['p50']:>8.1f} {figures['p95']:>8.1f}"
        )
    print(f"identical lookup results on both backends: {same}/{len(queries)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

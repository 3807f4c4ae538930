"""Origin-filter benchmark: lookups limited to one client's origins on a shared TM.

Run:  python benchmarks/origin_bench.py [--size 200000] [--queries 200] [--work DIR]

Builds a TM of real pairs (as benchmarks/lookup_bench.py does) split into three origins: a small
client (1% of the units), a mid-size one (10%) and a general memory (the rest), imported through
`zhen.Database.import_pairs`. Queries are perturbed sources of the small client's units (one
character changed, Traditional, a clause dropped). Reported per filter (none, the small client,
the general memory): lookup p50/p95 in ms and top-5 recall of the query's own unit. The machine
is shared, so compare the rows of one run, not runs.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lookup_bench import SEED, build_units, load_pairs, perturb

from zhen import Database
from zhen.models import TranslationUnit
from zhen.search.scope import LookupScope
from zhen.text.normalize import normalize_zh


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=200_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--work", type=Path, default=Path("/tmp"))
    args = parser.parse_args()
    units = build_units(load_pairs(), args.size)
    rng = random.Random(SEED)
    origins = {"client-small": [], "client-mid": [], "general": []}
    for zh, en in units:
        draw = rng.random()
        name = "client-small" if draw < 0.01 else "client-mid" if draw < 0.11 else "general"
        origins[name].append(TranslationUnit(zh=zh, en=en))
    path = args.work / f"origin-bench-{args.size}.db"
    if not path.exists():
        start = time.perf_counter()
        with Database.create(path, seed=False) as db:
            for name, pairs in origins.items():
                db.import_pairs(pairs, origin=name)
        print(f"imported {args.size:,} units in {time.perf_counter() - start:.0f} s")
    hanzi = {char for zh, _ in units[:5000] for char in zh if "\u4e00" <= char <= "\u9fff"}
    alphabet = "".join(sorted(hanzi))
    small = [u for u in origins["client-small"] if len(u.zh) >= 12]
    kinds = ("chars", "traditional", "clause")
    queries = []
    for index, unit in enumerate(rng.sample(small, min(args.queries, len(small)))):
        query = perturb(unit.zh, kinds[index % 3], rng, alphabet)
        if query and query != unit.zh:
            queries.append((query, normalize_zh(unit.zh)))
    print(f"{len(queries)} queries from client-small ({len(origins['client-small']):,} units)")
    print(f"{'filter':<14} {'p50 ms':>7} {'p95 ms':>7} {'recall@5':>9}")
    with Database(path, readonly=True) as db:
        db.lookup("预热")
        for label, scope in (
            ("none", None),
            ("client-small", LookupScope(origins=("client-small",))),
            ("general", LookupScope(origins=("general",))),
        ):
            times, found = [], 0
            for query, original in queries:
                start = time.perf_counter()
                result = db.lookup(query, limit=5, scope=scope)
                times.append((time.perf_counter() - start) * 1000)
                found += original in {normalize_zh(hit.zh) for hit in result.units}
            times.sort()
            p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
            print(
                f"{label:<14} {statistics.median(times):>7.1f} {p95:>7.1f} "
                f"{found / len(queries):>9.2f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())

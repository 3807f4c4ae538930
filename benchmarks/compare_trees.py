"""Before/after benchmark of two source trees in one run: TM import rate and lookup latency.

Run:  python benchmarks/compare_trees.py BEFORE AFTER [--size 1000000] [--import-rounds 4]
                                         [--lookup-rounds 6] [--queries 300] [--en-queries 300]
                                         [--json FILE]

BEFORE and AFTER are source trees (a checkout or its `src` folder). Every measurement runs in
a fresh child process with PYTHONPATH set to that tree's `src` alone (the child checks that
`zhen` really came from there), and the two trees take turns, the first of each round
alternating (before, after | after, before | …), so that the load other jobs put on the shared
machine falls on both columns alike. Steps:
  1. once: the lookup benchmark's units (real Tatoeba, TICO-19 and WMT22 pairs, 1–3 joined per
     unit, fixed seed) written to a TMX with the BEFORE tree's `write_tmx`, and its queries
     (300 Chinese sources perturbed by characters, Traditional or a dropped clause; 300 English
     with typos: more than lookup_bench.py's 100, whose p95 alone moved 17% between two runs
     of one tree), both cached in the work folder (default /tmp/zhen-compare-bench) and reused;
  2. import rounds: each tree imports the TMX into a fresh database. Timed call: through
     `zhen.Database.create(db, seed=False).import_files([tmx])` when the tree exports
     `zhen.Database`, else `zhen.tm.import_files(store.connect(db, seed=False), [tmx])`;
     units/s is the TMX's units over that call's wall time, and "per CPU-second" over its CPU
     time (the importer and its reader child process);
  3. lookup rounds: each tree opens the database it built (`zhen.Database(db)` or
     `store.connect`), makes one warm-up lookup, then times every query alone:
     `db.lookup(q, limit=5)` or `zhen.search.lookup(conn, q, limit=5)`, with `side="en"` for
     the English queries, as lookup_bench.py does. p50/p95 pool the rounds' latencies per
     query type; recall@5 shows both trees answer alike.
The change column is after against before; a row marked "!" is worse by more than 10%. Run the
same tree as both columns to see the noise floor. The load average is the 1-minute one, read as
each child started and ended.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lookup_bench import SHARED, _percentile, run_child

DEFAULT_WORK = Path("/tmp/zhen-compare-bench")
QUERY_KINDS = ("chars", "traditional", "clause", "typos")
TREES = ("before", "after")
WORSE_BY = 0.10  # issue 13: neither figure may get worse by more than 10%


# --- children (run with PYTHONPATH = one tree's src) ----------------------------------------


def _check_tree(src: Path) -> str:
    """The folder `zhen` was imported from, after making sure it lies under `src`."""
    import zhen

    package = Path(zhen.__file__).resolve()
    if not package.is_relative_to(src.resolve()):
        raise SystemExit(f"zhen came from {package}, not from {src}")
    return str(package.parent)


class TreeApi:
    """The calls timed, through `zhen.Database` when the tree has it, else the module API."""

    def __init__(self, db_path: Path, *, create: bool) -> None:
        import zhen

        if hasattr(zhen, "Database"):
            self.name = "zhen.Database"
            self.db = (
                zhen.Database.create(db_path, seed=False) if create else zhen.Database(db_path)
            )
            self._import_files = self.db.import_files
            self._lookup = self.db.lookup
        else:
            from zhen import search, store, tm

            self.name = "zhen.tm/zhen.search"
            self.db = store.connect(db_path, seed=False)
            self._import_files = lambda paths: tm.import_files(self.db, paths)
            self._lookup = lambda query, **options: search.lookup(self.db, query, **options)

    def import_files(self, paths: list[Path]):
        return self._import_files(paths)

    def lookup_units(self, query: str, side: str | None) -> list:
        options = {"limit": 5} if side is None else {"limit": 5, "side": side}
        return self._lookup(query, **options).units

    def close(self) -> None:
        close = getattr(self.db, "close", None)
        if close:
            close()


def _cpu_seconds() -> float:
    """CPU time of this process and its finished children (the importer's reader process)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def child_prepare(src: Path, work: Path, size: int, zh_count: int, en_count: int) -> dict:
    """Write the TMX and the queries unless cached; the TMX's units and bytes, and if cached."""
    from lookup_bench import build_units, load_pairs, make_en_queries, make_queries

    _check_tree(src)
    tmx_path = work / f"units-{size}.tmx"
    manifest_path = work / f"units-{size}.json"
    queries_path = _queries_path(work, size, zh_count, en_count)
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    tmx_cached = tmx_path.exists() and manifest.get("tmx_bytes") == tmx_path.stat().st_size
    if tmx_cached and queries_path.exists():
        return {**manifest, "cached": True}
    try:  # the layout since issue 17, else the one before it
        from zhen.io import tmx
    except ImportError:
        from zhen import tmx  # type: ignore[attr-defined,no-redef]
    from zhen.models import TranslationUnit

    units = build_units(load_pairs(), size)
    if not tmx_cached:
        manifest_path.unlink(missing_ok=True)  # written last: a torn build is never trusted
        count = tmx.write_tmx(
            tmx_path,
            (TranslationUnit(zh=z, en=e, origin="bench") for z, e in units),
            creation_date="20240601T000000Z",
        )
        manifest = {"units": count, "tmx_bytes": tmx_path.stat().st_size}
        manifest_path.write_text(json.dumps(manifest))
    queries = make_queries(units, zh_count) + make_en_queries(units, en_count)
    rows = [{"query": q, "original": o, "kind": k} for q, o, k in queries]
    queries_path.write_text(json.dumps(rows, ensure_ascii=False))
    return {**manifest, "cached": tmx_cached}


def child_import(src: Path, tmx_path: Path, db_path: Path) -> dict:
    """Import the TMX into a fresh database through the tree's API; wall and CPU seconds."""
    package = _check_tree(src)
    load_start = os.getloadavg()[0]
    api = TreeApi(db_path, create=True)
    start, cpu_start = time.perf_counter(), _cpu_seconds()
    report = api.import_files([tmx_path])
    wall, cpu = time.perf_counter() - start, _cpu_seconds() - cpu_start
    api.close()
    return {
        "api": api.name,
        "package": package,
        "wall_s": wall,
        "cpu_s": cpu,
        "read": getattr(report, "read", None),
        "added": getattr(report, "added", None),
        "load": [load_start, os.getloadavg()[0]],
    }


def child_lookup(src: Path, db_path: Path, queries_path: Path) -> dict:
    """Every query once, timed alone; latencies (wall and CPU ms) and hits per query type."""
    package = _check_tree(src)
    try:  # the layout since issue 17, else the one before it
        from zhen.text.normalize import normalize_en, normalize_zh
    except ImportError:
        from zhen.normalize import normalize_en, normalize_zh  # type: ignore[no-redef]

    queries = json.loads(queries_path.read_text())
    load_start = os.getloadavg()[0]
    api = TreeApi(db_path, create=False)
    api.lookup_units("预热", None)  # first call loads OpenCC and the glossary cache
    per_kind = {kind: {"wall": [], "cpu": [], "found": 0} for kind in QUERY_KINDS}
    for row in queries:
        english = row["kind"] == "typos"
        start, cpu_start = time.perf_counter(), time.process_time()
        units = api.lookup_units(row["query"], "en" if english else None)
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        measured = per_kind[row["kind"]]
        measured["wall"].append(wall * 1000)
        measured["cpu"].append(cpu * 1000)
        norm = normalize_en if english else normalize_zh
        measured["found"] += norm(row["original"]) in {
            norm(u.en if english else u.zh) for u in units
        }
    api.close()
    return {
        "api": api.name,
        "package": package,
        "kinds": per_kind,
        "load": [load_start, os.getloadavg()[0]],
    }


# --- driver --------------------------------------------------------------------------------


def _queries_path(work: Path, size: int, zh_count: int, en_count: int) -> Path:
    return work / f"queries-{size}-{zh_count}-{en_count}.json"


def _tree_src(path: str) -> Path:
    """A checkout or its src folder, as the folder that holds the `zhen` package."""
    for candidate in (Path(path) / "src", Path(path)):
        if (candidate / "zhen" / "__init__.py").is_file():
            return candidate.resolve()
    raise SystemExit(f"{path}: no zhen package in it or in its src folder")


def _in_tree(src: Path, *args: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(src), "PYTHONDONTWRITEBYTECODE": "1"}
    result = run_child(__file__, *args, "--src", str(src), env=env)
    if result is None:
        raise SystemExit(f"a child process failed in {src}")
    return result


def _rounds(count: int):
    """(round, tree) pairs, the first tree of each round alternating, so drift hits both."""
    for number in range(count):
        for tree in TREES if number % 2 == 0 else reversed(TREES):
            yield number + 1, tree


def _db_files(db_path: Path) -> list[Path]:
    return [db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm")]


def _log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')} load {os.getloadavg()[0]:.1f}] {message}", file=sys.stderr)


def _run_imports(srcs: dict, work: Path, tmx_path: Path, units: int, rounds: int) -> dict:
    runs: dict[str, list[dict]] = {tree: [] for tree in TREES}
    for number, tree in _rounds(rounds):
        db_path = work / f"db-{tree}.db"
        for leftover in _db_files(db_path):
            leftover.unlink(missing_ok=True)
        result = _in_tree(
            srcs[tree], "--child", "import", "--tmx", str(tmx_path), "--db", str(db_path)
        )
        if result["read"] not in (None, units):
            raise SystemExit(f"{tree} read {result['read']:,} units, the TMX has {units:,}")
        result["rate"] = units / result["wall_s"]
        result["cpu_rate"] = units / result["cpu_s"]
        result["db_mb"] = sum(p.stat().st_size for p in _db_files(db_path) if p.exists()) / 1e6
        os.sync()  # this database's writeback is not to land on the next tree's import
        runs[tree].append(result)
        _log(f"import round {number} {tree}: {result['rate']:,.0f} units/s ({result['api']})")
    return runs


def _run_lookups(srcs: dict, work: Path, queries_path: Path, rounds: int) -> dict:
    runs: dict[str, list[dict]] = {tree: [] for tree in TREES}
    for number, tree in _rounds(rounds):
        db_path = work / f"db-{tree}.db"
        result = _in_tree(
            srcs[tree],
            "--child",
            "lookup",
            "--db",
            str(db_path),
            "--queries-file",
            str(queries_path),
        )
        runs[tree].append(result)
        zh_wall = [t for k in QUERY_KINDS[:3] for t in result["kinds"][k]["wall"]]
        _log(f"lookup round {number} {tree}: zh p50 {_percentile(zh_wall, 50):.2f} ms")
    return runs


def _pooled(runs: list[dict], kinds: tuple[str, ...], clock: str) -> list[float]:
    return [t for run in runs for kind in kinds for t in run["kinds"][kind][clock]]


def _change(before: float, after: float, higher_is_better: bool) -> str:
    change = (after - before) / before
    worse = -change if higher_is_better else change
    return f"{change:+.1%}" + (" !" if worse > WORSE_BY else "")


def _summary_rows(imports: dict, lookups: dict) -> list[tuple]:
    """(label, before, after, before CPU, after CPU, higher is better, format) per measure."""
    rates = [
        statistics.fmean(r[key] for r in imports[t]) for key in ("rate", "cpu_rate") for t in TREES
    ]
    db_mb = [imports[t][-1]["db_mb"] for t in TREES]
    rows = [
        (f"import units/s (mean of {len(imports['before'])})", *rates, True, ",.0f"),
        ("DB MB", *db_mb, None, None, False, ",.1f"),
    ]
    groups = [(kind, (kind,)) for kind in QUERY_KINDS[:3]]
    groups += [("zh, all", QUERY_KINDS[:3]), ("en typos", ("typos",))]
    for label, kinds in groups:
        for pct in (50, 95):
            values = [
                _percentile(_pooled(lookups[t], kinds, clock), pct)
                for clock in ("wall", "cpu")
                for t in TREES
            ]
            rows.append((f"lookup {label} p{pct} ms", *values, False, ".2f"))
    return rows


def _recall(runs: list[dict]) -> str:
    """recall@5 per query type over the rounds, as chars/traditional/clause/typos percents."""
    shares = []
    for kind in QUERY_KINDS:
        found = sum(r["kinds"][kind]["found"] for r in runs)
        asked = sum(len(r["kinds"][kind]["wall"]) for r in runs)
        shares.append(f"{100 * found / max(1, asked):.1f}")
    return "/".join(shares)


def _print_report(args, srcs, imports, lookups, prepared, wall_s: float, loads: list) -> None:
    print(
        f"\n{prepared['units']:,} units ({prepared['tmx_bytes'] / 1e6:.1f} MB TMX); "
        f"{args.import_rounds} import and {args.lookup_rounds} lookup rounds per tree; "
        f"{args.queries} zh + {args.en_queries} en queries a lookup round"
    )
    for tree in TREES:
        print(f"  {tree}: {srcs[tree]}  (api: {imports[tree][0]['api']})")
    print()
    print("| measure | before | after | change | before (CPU) | after (CPU) | change (CPU) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for label, b, a, b_cpu, a_cpu, higher_is_better, fmt in _summary_rows(imports, lookups):
        cpu = ["", "", ""]
        if b_cpu is not None:
            cpu = [f"{b_cpu:{fmt}}", f"{a_cpu:{fmt}}", _change(b_cpu, a_cpu, higher_is_better)]
        wall = [f"{b:{fmt}}", f"{a:{fmt}}", _change(b, a, higher_is_better)]
        print(f"| {label} | " + " | ".join(wall + cpu) + " |")
    recall = [_recall(lookups[tree]) for tree in TREES]
    print(f"| recall@5 % (chars/trad./clause/en) | {recall[0]} | {recall[1]} | | | | |")
    child_loads = [[x for r in imports[t] + lookups[t] for x in r["load"]] for t in TREES]
    load_cells = [f"{statistics.fmean(x):.1f} / {max(x):.1f}" for x in child_loads]
    print(f"| load avg 1m in children (mean / max) | {load_cells[0]} | {load_cells[1]} | | | | |")
    print("\nrounds, in the order run (import units/s wall / CPU; lookup zh p50 / p95 ms):")
    for number, tree in _rounds(max(args.import_rounds, args.lookup_rounds)):
        parts = []
        if number <= args.import_rounds:
            r = imports[tree][number - 1]
            parts.append(
                f"import {r['rate']:,.0f} / {r['cpu_rate']:,.0f} (load {r['load'][1]:.1f})"
            )
        if number <= args.lookup_rounds:
            run = lookups[tree][number - 1]
            zh = _pooled([run], QUERY_KINDS[:3], "wall")
            parts.append(
                f"lookup {_percentile(zh, 50):.2f} / {_percentile(zh, 95):.2f} "
                f"(load {run['load'][1]:.1f})"
            )
        print(f"  {number} {tree:6} " + "; ".join(parts))
    print(
        f"\nwall time {wall_s / 60:.1f} min; load average at start {loads[0]}, at end {loads[1]} "
        "(1/5/15 min, 2 shared cores). '!' = worse by more than 10%."
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", nargs="?", help="the tree before the change (or its src)")
    parser.add_argument("after", nargs="?", help="the tree after the change (or its src)")
    parser.add_argument("--size", type=int, default=1_000_000, help="TM units")
    parser.add_argument("--import-rounds", type=int, default=4, help="imports per tree")
    parser.add_argument("--lookup-rounds", type=int, default=6, help="query passes per tree")
    parser.add_argument("--queries", type=int, default=300, help="zh queries a pass")
    parser.add_argument("--en-queries", type=int, default=300, help="en queries a pass")
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORK, help="cache and databases")
    parser.add_argument("--keep-dbs", action="store_true", help="keep the two databases")
    parser.add_argument("--json", type=Path, default=None, help="also write every figure here")
    # The child processes' own arguments.
    parser.add_argument("--child", choices=("prepare", "import", "lookup"), help=argparse.SUPPRESS)
    parser.add_argument("--src", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--tmx", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--queries-file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        if args.child == "prepare":
            result = child_prepare(args.src, args.workdir, args.size, args.queries, args.en_queries)
        elif args.child == "import":
            result = child_import(args.src, args.tmx, args.db)
        else:
            result = child_lookup(args.src, args.db, args.queries_file)
        print("RESULT " + json.dumps(result))
        return 0
    if not (args.before and args.after):
        parser.error("give the BEFORE and AFTER trees")
    if not SHARED.exists():
        print(f"{SHARED} not found: the benchmark needs ../shared/data", file=sys.stderr)
        return 2
    srcs = {"before": _tree_src(args.before), "after": _tree_src(args.after)}
    args.workdir.mkdir(parents=True, exist_ok=True)
    load_start = [round(x, 1) for x in os.getloadavg()]
    started = time.perf_counter()
    _log(f"preparing {args.size:,} units and queries in {args.workdir}")
    prepared = _in_tree(
        srcs["before"],
        "--child",
        "prepare",
        "--size",
        str(args.size),
        "--queries",
        str(args.queries),
        "--en-queries",
        str(args.en_queries),
        "--workdir",
        str(args.workdir),
    )
    _log(f"TMX {'reused' if prepared['cached'] else 'written'}: {prepared['units']:,} units")
    tmx_path = args.workdir / f"units-{args.size}.tmx"
    queries_path = _queries_path(args.workdir, args.size, args.queries, args.en_queries)
    imports = _run_imports(srcs, args.workdir, tmx_path, prepared["units"], args.import_rounds)
    lookups = _run_lookups(srcs, args.workdir, queries_path, args.lookup_rounds)
    wall_s = time.perf_counter() - started
    loads = [load_start, [round(x, 1) for x in os.getloadavg()]]
    _print_report(args, srcs, imports, lookups, prepared, wall_s, loads)
    if args.json:
        figures = {"srcs": {t: str(s) for t, s in srcs.items()}, "imports": imports}
        args.json.write_text(json.dumps({**figures, "lookups": lookups, "wall_s": wall_s}))
    if not args.keep_dbs:
        for tree in TREES:
            for leftover in _db_files(args.workdir / f"db-{tree}.db"):
                leftover.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

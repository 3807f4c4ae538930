"""TM import/export benchmark: TMX → SQLite import rate, database size and memory at 100k–1M units.

Run:  python benchmarks/import_bench.py [--sizes 100000,1000000]

Each size runs in its own child process (so peak RSS is per size). The units are the lookup
benchmark's (real Tatoeba, TICO-19 and WMT22 pairs, 1–3 joined per unit, fixed seed), written with
`zhen.io.tmx.write_tmx`. Measured in the same run:
  - zhen parse:  `zhen.io.tmx.iter_units` alone (streaming iterparse), units/s;
  - zhen import: `zhen.tm.import_files` into a fresh database — parse, normalise, insert with
    duplicate merging, and the lookup index (`zhen.store.index.IndexBuilder`), in one transaction;
  - index share: the part of the import spent building the lookup index;
  - zhen export: `zhen.tm.export_tmx` of the whole store;
  - peer: translate-toolkit's `tmxfile` parsing the same TMX (whole tree in memory; ≤ 100k).
The machine is shared, so timings are noisy: compare the columns of one run, not runs. "per
CPU-second" divides by the CPU time of the import (all threads, and the reader child process
that files of 32 MiB and more get) rather than the wall clock, which other processes inflate;
"load avg" is the 1-minute load when the size finished.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lookup_bench import SHARED, build_units, load_pairs, run_child

PEER_MAX = 100_000  # translate-toolkit builds the whole tree: past this it only measures swap


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def build_tmx(size: int, work: Path) -> dict:
    """Write the TMX of one size (in its own process, so its memory is not the import's)."""
    from zhen.io import tmx
    from zhen.models import TranslationUnit

    units = build_units(load_pairs(), size)
    start = time.perf_counter()
    count = tmx.write_tmx(
        work / f"import-{size}.tmx",
        (TranslationUnit(zh=z, en=e, origin="bench") for z, e in units),
    )
    return {"write_rate": count / (time.perf_counter() - start)}


def run_size(size: int, work: Path) -> dict:
    """Parse, import and export one TM size; return the measured figures."""
    from zhen import store, tm
    from zhen.io import tmx
    from zhen.store import index as search_index

    tmx_path = work / f"import-{size}.tmx"
    db_path = work / f"import-{size}.db"
    for leftover in (db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm")):
        leftover.unlink(missing_ok=True)
    start = time.perf_counter()
    parsed = sum(1 for _ in tmx.iter_units(tmx_path))
    parse_seconds = time.perf_counter() - start

    # The lookup index is built as the units arrive (IndexBuilder.add) and written at the end.
    index_seconds = 0.0
    builder = search_index.IndexBuilder
    originals = {name: getattr(builder, name) for name in ("add", "finish")}

    def timed(name):
        def run(*args, **kwargs) -> None:
            nonlocal index_seconds
            began = time.perf_counter()
            originals[name](*args, **kwargs)
            index_seconds += time.perf_counter() - began

        return run

    for name in originals:
        setattr(builder, name, timed(name))
    conn = store.open_database(db_path, create=True)
    cpu_start = time.process_time() + _children_cpu()
    report = tm.import_files(conn, [tmx_path])
    # Large files are read by a child process: its CPU time counts too.
    import_cpu = time.process_time() + _children_cpu() - cpu_start
    for name, method in originals.items():
        setattr(builder, name, method)
    rss_import = _rss_mb()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db_bytes = sum(p.stat().st_size for p in (db_path, Path(f"{db_path}-wal")) if p.exists())
    tmx_bytes = tmx_path.stat().st_size

    export_path = work / f"export-{size}.tmx"
    start = time.perf_counter()
    exported = tm.export_tmx(conn, export_path)
    export_seconds = time.perf_counter() - start
    conn.close()

    result = {
        "size": size,
        "tmx_mb": tmx_bytes / 1e6,
        "parse_rate": parsed / parse_seconds,
        "import_s": report.seconds,
        "import_rate": report.read / report.seconds,
        "import_cpu_rate": report.read / import_cpu,
        "load": os.getloadavg()[0],
        "added": report.added,
        "index_share": index_seconds / report.seconds,
        "export_rate": exported / export_seconds,
        "db_mb": db_bytes / 1e6,
        "db_ratio": db_bytes / tmx_bytes,
        "rss_import_mb": rss_import,
        "peer_rate": None,
    }
    if size <= PEER_MAX:
        from translate.storage.tmx import tmxfile

        start = time.perf_counter()
        with open(tmx_path, "rb") as handle:
            peer_units = len(tmxfile(handle).units)
        result["peer_rate"] = peer_units / (time.perf_counter() - start)
    return result


def _print_table(results: list[dict]) -> None:
    print(
        "| units | TMX MB | zhen import units/s | per CPU-second | index share "
        "| zhen parse units/s | toolkit tmxfile parse units/s | zhen export units/s | DB MB "
        "| DB/TMX | peak RSS MB | load avg |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        peer = f"{r['peer_rate']:,.0f}" if r["peer_rate"] else "(skipped > 100k)"
        print(
            f"| {r['size']:,} | {r['tmx_mb']:.1f} | {r['import_rate']:,.0f} | "
            f"{r['import_cpu_rate']:,.0f} | {r['index_share']:.0%} | {r['parse_rate']:,.0f} | "
            f"{peer} | {r['export_rate']:,.0f} | {r['db_mb']:.1f} | {r['db_ratio']:.2f} | "
            f"{r['rss_import_mb']:,.0f} | {r['load']:.1f} |"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--workdir", type=Path, default=None, help="where TMX/DB files go")
    parser.add_argument("--one-size", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--build", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not SHARED.exists():
        print(f"{SHARED} not found: the benchmark needs ../shared/data", file=sys.stderr)
        return 2
    work = args.workdir or Path(tempfile.gettempdir()) / "zhen-import-bench"
    work.mkdir(parents=True, exist_ok=True)
    if args.one_size:
        step = build_tmx if args.build else run_size
        print("RESULT " + json.dumps(step(args.one_size, work)))
        return 0
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        print(f"running {size:,} units …", file=sys.stderr, flush=True)
        result: dict = {}
        for extra in (["--build"], []):
            child_result = run_child(
                __file__, "--one-size", str(size), "--workdir", str(work), *extra
            )
            if child_result is None:
                return 1
            result.update(child_result)
        results.append(result)
    _print_table(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Lookup benchmark: import TMs of 10k/100k/1M real units, query them with perturbed sources.

Run:  python benchmarks/lookup_bench.py [--sizes 10000,100000,1000000] [--queries 300]

Each size runs in its own child process (so peak RSS is per size). Units are built from the real
pairs in ../shared/data (Tatoeba cmn-eng, TICO-19 TMX, WMT22 general zh-en) by joining 1–3 pairs
per unit with a fixed seed, written to a TMX with `zhen.io.tmx.write_tmx`, then imported through
`zhen.tm.import_files` into a fresh database. Queries are TM sources perturbed as real sources
differ: 1–2 characters changed, converted to Traditional, or a clause dropped (a third each).
A query counts as found when the unit it came from (or one with the same normalised source) is
in the top 5. Fragment queries are one sentence of a multi-sentence unit, a character changed
(zh) or a word mistyped (en); found when a top-5 fragment hit holds that sentence. Baselines in
the same run: an exhaustive `rapidfuzz.process.extract` over every unit's normalised source,
and translate-toolkit's `translate.search.match.matcher` (≤ 100k).
The machine is shared, so timings are noisy: compare the columns of one run, not runs.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lxml import etree
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

REPO = Path(__file__).resolve().parents[1]
# The third-party data: $ZHEN_TEST_DATA (as the tests read it), else `shared` beside the checkout.
SHARED = Path(os.environ.get("ZHEN_TEST_DATA") or REPO.parent / "shared") / "data"
SEED = 20240601
# Clauses end at a comma or semicolon inside a sentence; dropping a whole sentence of a joined
# unit would leave a query that another unit (that sentence alone) matches better.
_CLAUSE_RE = re.compile(r"(?<=[，,；;])")


# --- data ----------------------------------------------------------------------------------


def load_pairs() -> list[tuple[str, str]]:
    """Real zh/en sentence pairs from Tatoeba, TICO-19 and WMT22 (deduplicated, in file order)."""
    pairs: list[tuple[str, str]] = []
    with open(SHARED / "tatoeba" / "cmn.txt", encoding="utf-8-sig") as handle:
        for line in handle:
            fields = line.rstrip("\n").split("\t")
            if len(fields) >= 2:
                pairs.append((fields[1].strip(), fields[0].strip()))
    parser_options = {"resolve_entities": False, "no_network": True, "load_dtd": False}
    tico = SHARED / "tico19" / "all.en-zh.tmx"
    for _, tu in etree.iterparse(str(tico), tag="tu", **parser_options):
        sides = {}
        for tuv in tu.iter("tuv"):
            lang = tuv.get("{http://www.w3.org/XML/1998/namespace}lang", "")
            sides[lang[:2].lower()] = "".join(tuv.findtext("seg") or "").strip()
        if sides.get("zh") and sides.get("en"):
            pairs.append((sides["zh"], sides["en"]))
        tu.clear()
    wmt = SHARED / "wmt22-general-zhen"
    zh_lines = (wmt / "generaltest2022.zh-en.src.zh").read_text(encoding="utf-8").splitlines()
    en_lines = (wmt / "generaltest2022.zh-en.ref.A.en").read_text(encoding="utf-8").splitlines()
    pairs.extend((z.strip(), e.strip()) for z, e in zip(zh_lines, en_lines, strict=True))
    return list(dict.fromkeys((z, e) for z, e in pairs if z and e))


def build_units(pairs: list[tuple[str, str]], size: int, seed: int = SEED) -> list[tuple[str, str]]:
    """`size` distinct units, each 1–3 real pairs joined (zh with "", en with " ")."""
    rng = random.Random(seed)
    seen: set[tuple[str, str]] = set()
    units: list[tuple[str, str]] = []
    for pair in pairs[: min(len(pairs), size // 3)]:  # every base pair once on its own
        seen.add(pair)
        units.append(pair)
    while len(units) < size:
        chosen = [rng.choice(pairs) for _ in range(rng.choice((1, 2, 2, 3)))]
        unit = ("".join(z for z, _ in chosen), " ".join(e for _, e in chosen))
        if unit not in seen:
            seen.add(unit)
            units.append(unit)
    rng.shuffle(units)
    return units


def _change_chars(text: str, rng: random.Random, alphabet: str) -> str:
    positions = [i for i, ch in enumerate(text) if "\u4e00" <= ch <= "\u9fff"]
    chars = list(text)
    for i in rng.sample(positions, min(len(positions), rng.choice((1, 2)))):
        chars[i] = rng.choice(alphabet)
    return "".join(chars)


def _drop_clause(text: str, rng: random.Random) -> str | None:
    clauses = [c for c in _CLAUSE_RE.split(text) if c]
    droppable = [i for i, c in enumerate(clauses) if len(c) <= 0.35 * len(text)]
    if len(clauses) < 2 or not droppable:
        return None
    drop = rng.choice(droppable)
    return "".join(c for i, c in enumerate(clauses) if i != drop)


def perturb(zh: str, kind: str, rng: random.Random, alphabet: str) -> str:
    """A query as a new source differs from the TM source: char edits, Traditional, clause cut."""
    try:  # the layout since issue 17, else the one before it (compare_trees.py runs both)
        from zhen.text.normalize import to_traditional
    except ImportError:
        from zhen.normalize import to_traditional  # type: ignore[no-redef]

    if kind == "traditional":
        return to_traditional(zh)
    if kind == "clause":
        dropped = _drop_clause(zh, rng)
        if dropped:
            return dropped
    return _change_chars(zh, rng, alphabet)


def make_queries(
    units: list[tuple[str, str]], count: int, seed: int = SEED
) -> list[tuple[str, str, str]]:
    """(query, original zh, kind) for `count` units whose source has at least 12 characters."""
    rng = random.Random(seed + 1)
    alphabet = "".join(
        sorted({ch for z, _ in units[:5000] for ch in z if "\u4e00" <= ch <= "\u9fff"})
    )
    eligible = [z for z, _ in units if len(z) >= 12]
    kinds = ("chars", "traditional", "clause")
    picked = rng.sample(eligible, min(count, len(eligible)))
    return [
        (perturb(z, kinds[i % 3], rng, alphabet), z, kinds[i % 3]) for i, z in enumerate(picked)
    ]


def _typo(word: str, rng: random.Random) -> str:
    """One keyboard slip: a letter dropped, doubled or two neighbours swapped."""
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("drop", "double", "swap"))
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def make_en_queries(
    units: list[tuple[str, str]], count: int, seed: int = SEED
) -> list[tuple[str, str, str]]:
    """(query, original en, "typos"): targets of ≥ 6 words with 1–2 words mistyped."""
    rng = random.Random(seed + 2)
    eligible = [e for _, e in units if len(e.split()) >= 6]
    queries = []
    for en in rng.sample(eligible, min(2 * count, len(eligible))):
        words = en.split()
        long_words = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
        if not long_words:
            continue
        for i in rng.sample(long_words, min(len(long_words), rng.choice((1, 2)))):
            words[i] = _typo(words[i], rng)
        queries.append((" ".join(words), en, "typos"))
    return queries[:count]


_SENTENCE_RE = re.compile(r"(?<=[。！？!?])")


def make_fragment_queries(
    units: list[tuple[str, str]], count: int, side: str, seed: int = SEED
) -> list[tuple[str, str, str]]:
    """(query, original sentence, "fragment"): one sentence of a longer unit, perturbed.

    zh: a sentence of ≥ 12 characters with one character changed; en: one of ≥ 6 words with
    one word mistyped. No unit is like the query as a whole, so only a fragment match finds it.
    """
    rng = random.Random(seed + (3 if side == "zh" else 4))
    alphabet = "".join(
        sorted({ch for z, _ in units[:5000] for ch in z if "\u4e00" <= ch <= "\u9fff"})
    )
    queries: list[tuple[str, str, str]] = []
    for zh, en in rng.sample(units, len(units)):
        text = zh if side == "zh" else en
        splitter = _SENTENCE_RE if side == "zh" else re.compile(r"(?<=[.!?])\s+")
        sentences = [part.strip() for part in splitter.split(text) if part.strip()]
        # A sentence of at most two thirds of its unit: longer ones are whole-segment matches.
        if side == "zh":
            usable = [p for p in sentences if len(p) >= 12 and 1.5 * len(p) <= len(text)]
        else:
            usable = [p for p in sentences if len(p.split()) >= 6 and 1.5 * len(p) <= len(text)]
        if len(sentences) < 2 or not usable:
            continue
        sentence = rng.choice(usable)
        if side == "zh":
            positions = [i for i, ch in enumerate(sentence) if "\u4e00" <= ch <= "\u9fff"]
            if not positions:
                continue
            i = rng.choice(positions)
            query = sentence[:i] + rng.choice(alphabet) + sentence[i + 1 :]
        else:
            words = sentence.split()
            long_words = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
            if not long_words:
                continue
            i = rng.choice(long_words)
            words[i] = _typo(words[i], rng)
            query = " ".join(words)
        queries.append((query, sentence, "fragment"))
        if len(queries) == count:
            break
    return queries


# --- measurement ---------------------------------------------------------------------------


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def _timed(run, queries, found) -> dict:
    """Recall and latency percentiles, in wall-clock ms and in CPU ms of this process.

    On a shared machine the wall clock includes time waiting for a core; CPU time does not.
    """
    latencies, cpu_times, hits = [], [], 0
    for query, original, _ in queries:
        start, cpu_start = time.perf_counter(), time.process_time()
        top = run(query)
        latencies.append((time.perf_counter() - start) * 1000)
        cpu_times.append((time.process_time() - cpu_start) * 1000)
        hits += found(top, original)
    return {
        "recall": 100 * hits / len(queries),
        "p50": _percentile(latencies, 50),
        "p95": _percentile(latencies, 95),
        "cpu_p50": _percentile(cpu_times, 50),
        "cpu_p95": _percentile(cpu_times, 95),
        "queries": len(queries),
    }


def _timed_fragments(conn, queries: list[tuple[str, str, str]], side: str, limit: int) -> dict:
    """Fragment queries looked up with `limit`: found when a longer unit holding the original
    sentence is among the top 5 — as a fragment match, or as a whole match of ≥ 75 % (those
    rank first by design); "fragments" counts the queries found through a fragment match."""
    from zhen.search import lookup
    from zhen.text.normalize import normalize_en, normalize_zh

    normalize = normalize_zh if side == "zh" else normalize_en
    by_fragment = 0

    def run(query: str) -> list[tuple[str, bool]]:
        hits = lookup(conn, query, limit=limit, side=side).units[:5]
        return [(normalize(h.zh if side == "zh" else h.en), h.fragment is not None) for h in hits]

    def found(top: list[tuple[str, bool]], original: str) -> bool:
        nonlocal by_fragment
        sentence = normalize(original)
        holding = [fragment for unit, fragment in top if sentence in unit and unit != sentence]
        by_fragment += any(holding)
        return bool(holding)

    measured = _timed(run, queries, found)
    measured["by_fragment"] = 100 * by_fragment / len(queries)
    return measured


def run_size(size: int, query_count: int, baseline_queries: int, work: Path) -> dict:
    """Build, import and query one TM size; return the measured figures."""
    from zhen import store, tm
    from zhen.io import tmx
    from zhen.models import TranslationUnit
    from zhen.search import lookup
    from zhen.text.normalize import normalize_en, normalize_zh

    pairs = load_pairs()
    units = build_units(pairs, size)
    tmx_path = work / f"bench-{size}.tmx"
    db_path = work / f"bench-{size}.db"
    for leftover in (db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm")):
        leftover.unlink(missing_ok=True)
    tmx.write_tmx(
        tmx_path,
        (TranslationUnit(zh=z, en=e, origin="bench") for z, e in units),
        creation_date="20240601T000000Z",
    )
    conn = store.open_database(db_path, create=True)
    rss_before = _rss_mb()
    start, cpu_start = time.perf_counter(), time.process_time()
    tm.import_files(conn, [tmx_path])
    import_seconds = time.perf_counter() - start
    import_cpu_seconds = time.process_time() - cpu_start
    rss_import = _rss_mb()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db_bytes = sum(p.stat().st_size for p in (db_path, Path(f"{db_path}-wal")) if p.exists())
    tmx_bytes = tmx_path.stat().st_size
    imported = conn.execute("SELECT count(*) FROM units").fetchone()[0]

    queries = make_queries(units, query_count)
    lookup(conn, "预热")  # first call loads OpenCC and the glossary cache

    def zhen_run(query: str) -> list[str]:
        return [normalize_zh(h.zh) for h in lookup(conn, query, limit=5).units]

    def found_norm(top: list[str], original: str) -> bool:
        return normalize_zh(original) in top

    result = {
        "load_avg_1m": os.getloadavg()[0],
        "size": size,
        "imported": imported,
        "import_s": import_seconds,
        "import_rate": imported / import_seconds,
        "import_cpu_rate": imported / import_cpu_seconds,
        "tmx_mb": tmx_bytes / 1e6,
        "db_mb": db_bytes / 1e6,
        "db_ratio": db_bytes / tmx_bytes,
        "rss_import_mb": rss_import,
        "rss_start_mb": rss_before,
        "zhen": _timed(zhen_run, queries, found_norm),
        "kinds": {},
    }
    for kind in ("chars", "traditional", "clause"):
        subset = [q for q in queries if q[2] == kind]
        result["kinds"][kind] = _timed(zhen_run, subset, found_norm)["recall"]

    def zhen_en_run(query: str) -> list[str]:
        return [normalize_en(h.en) for h in lookup(conn, query, limit=5, side="en").units]

    en_queries = make_en_queries(units, query_count // 3)
    result["zhen_en"] = _timed(
        zhen_en_run, en_queries, lambda top, original: normalize_en(original) in top
    )

    # Fragment queries: found when a top-5 fragment hit's unit holds the original sentence.
    for side in ("zh", "en"):
        fragment_queries = make_fragment_queries(units, query_count // 3, side)
        for limit in (5, 20):
            result[f"fragment_{side}_{limit}"] = _timed_fragments(
                conn, fragment_queries, side, limit
            )

    # Exhaustive scan with the same edit-distance measure, over every normalised source.
    all_norms = [row[0] for row in conn.execute("SELECT zh_norm FROM units")]
    sample = queries[:baseline_queries]

    def exhaustive_run(query: str) -> list[str]:
        best = process.extract(
            normalize_zh(query), all_norms, scorer=Levenshtein.normalized_similarity, limit=5
        )
        return [choice for choice, _, _ in best]

    result["exhaustive"] = _timed(exhaustive_run, sample, found_norm)
    all_norms.clear()  # free it before the next baseline
    if size <= 100_000:
        result["toolkit"] = _toolkit(units, sample)
    result["rss_peak_mb"] = _rss_mb()
    result["load_avg_end_1m"] = os.getloadavg()[0]
    return result


def _toolkit(units: list[tuple[str, str]], queries: list[tuple[str, str, str]]) -> dict:
    """translate-toolkit's classic Levenshtein TM matcher over the same units (raw text)."""
    from translate.search.match import matcher
    from translate.storage.base import TranslationStore, TranslationUnit

    # matcher keeps a heap of (similarity, unit): two candidates with equal similarity make heapq
    # compare units, which define no order (TypeError). Give them one, as the toolkit's own
    # callers never hit this with their small TMs.
    TranslationUnit.__lt__ = lambda self, other: id(self) < id(other)
    tm_store = TranslationStore()
    for zh, en in units:
        unit = TranslationUnit(zh)
        unit.target = en
        tm_store.addunit(unit)
    start = time.perf_counter()
    engine = matcher(tm_store, max_candidates=5, min_similarity=50, max_length=1000)
    build = time.perf_counter() - start

    def run(query: str) -> list[str]:
        return [str(u.source) for u in engine.matches(query)]

    measured = _timed(run, queries, lambda top, original: original in top)
    measured["build_s"] = build
    return measured


# --- driver --------------------------------------------------------------------------------


def _print_table(results: list[dict]) -> None:
    print()
    print(
        "| units | import units/s (wall / CPU) | TMX MB | DB MB (×TMX) "
        "| peak RSS MB (import / all) | load avg (start / end) |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        print(
            f"| {r['size']:,} | {r['import_rate']:,.0f} / {r['import_cpu_rate']:,.0f} | "
            f"{r['tmx_mb']:.1f} | "
            f"{r['db_mb']:.1f} ({r['db_ratio']:.2f}×) | "
            f"{r['rss_import_mb']:.0f} / {r['rss_peak_mb']:.0f} | "
            f"{r['load_avg_1m']:.1f} / {r['load_avg_end_1m']:.1f} |"
        )
    print()
    print(
        "| units | engine | queries | recall@5 | p50 ms | p95 ms | CPU p50 / p95 ms "
        "| speed-up (p50) |"
    )
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        rows = [("zhen lookup", r["zhen"]), ("rapidfuzz exhaustive", r["exhaustive"])]
        if "zhen_en" in r:
            rows.insert(1, ("zhen lookup, en with typos", r["zhen_en"]))
        for side in ("zh", "en"):
            for limit in (5, 20):
                if f"fragment_{side}_{limit}" in r:
                    rows.insert(
                        -1, (f"zhen fragment {side}, limit {limit}", r[f"fragment_{side}_{limit}"])
                    )
        if "toolkit" in r:
            rows.append(("translate-toolkit matcher", r["toolkit"]))
        for name, m in rows:
            # The exhaustive baseline scans Chinese sources; it is no yardstick for English.
            english = name.endswith("typos") or "fragment" in name
            speedup = float("nan") if english or not m["p50"] else r["exhaustive"]["p50"] / m["p50"]
            print(
                f"| {r['size']:,} | {name} | {m['queries']} | {m['recall']:.1f}% | "
                f"{m['p50']:.2f} | {m['p95']:.2f} | {m['cpu_p50']:.2f} / {m['cpu_p95']:.2f} | "
                f"{'–' if speedup != speedup else f'{speedup:.1f}×'} |"
            )
    print()
    print("fragment queries found through a fragment match (zh / en, limit 5):")
    for r in results:
        if "fragment_zh_5" in r:
            zh, en = r["fragment_zh_5"]["by_fragment"], r["fragment_en_5"]["by_fragment"]
            print(f"  {r['size']:,}: {zh:.1f}% / {en:.1f}%")
    print()
    print("zhen recall@5 by perturbation (chars / traditional / clause):")
    for r in results:
        k = r["kinds"]
        print(f"  {r['size']:,}: {k['chars']:.1f}% / {k['traditional']:.1f}% / {k['clause']:.1f}%")


def run_child(script: str, *args: str, env: dict[str, str] | None = None) -> dict | None:
    """Run one measurement in a fresh process (so peak RSS is its own); its `RESULT {json}` line.

    Prints the child's output and returns None when it fails.
    """
    child = subprocess.run(
        [sys.executable, script, *args],
        capture_output=True,
        text=True,
        env=dict(os.environ) if env is None else env,
    )
    if child.returncode:
        print(child.stdout, child.stderr, file=sys.stderr)
        return None
    line = next(x for x in child.stdout.splitlines() if x.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--queries", type=int, default=300, help="zhen queries per size")
    parser.add_argument(
        "--baseline-queries", type=int, default=30, help="queries for the slow baselines"
    )
    parser.add_argument("--workdir", type=Path, default=None, help="where TMX/DB files go")
    parser.add_argument("--one-size", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not SHARED.exists():
        print(f"{SHARED} not found: the benchmark needs ../shared/data", file=sys.stderr)
        return 2
    work = args.workdir or Path(tempfile.gettempdir()) / "zhen-lookup-bench"
    work.mkdir(parents=True, exist_ok=True)
    if args.one_size:
        result = run_size(args.one_size, args.queries, args.baseline_queries, work)
        print("RESULT " + json.dumps(result))
        return 0
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        print(f"running {size:,} units …", file=sys.stderr, flush=True)
        result = run_child(
            __file__,
            "--one-size",
            str(size),
            "--queries",
            str(args.queries),
            "--baseline-queries",
            str(args.baseline_queries),
            "--workdir",
            str(work),
        )
        if result is None:
            return 1
        results.append(result)
        print(json.dumps(results[-1]), file=sys.stderr, flush=True)
    _print_table(results)
    mean_recall = statistics.fmean(r["zhen"]["recall"] for r in results)
    print(f"\nmean zhen recall@5 over sizes: {mean_recall:.1f}%  (2 shared cores: timings noisy)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

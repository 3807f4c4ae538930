"""TUI responsiveness: time from the last keystroke to the final query's results on screen.

Run:  python benchmarks/tui_bench.py [--units 1000000] [--queries 40] [--workdir DIR]

The TM is built like benchmarks/lookup_bench.py builds its own (its `load_pairs` and
`build_units` are imported: 1–3 real pairs from ../shared/data per unit, fixed seed), written
with `zhen.io.tmx.write_tmx` and imported with `zhen.tm.import_files`; the database is kept in
the work directory and reused by later runs. The app runs headless through Textual's pilot at
100×30. Each query is typed key by key with a fixed gap between keys (a fast typist), or, for
the full-sentence queries (TM sources perturbed by lookup_bench's `perturb`), pasted in
one go. The clock starts just before the last key is sent and stops when the screen has been
refreshed with that query's results (`LookupScreen.shown_generation`). Rows, same run:
`core lookup` = `zhen.search.lookup` alone on the final queries (the floor the UI adds to);
`TUI (shipped)` = no debounce: a search starts at once, one runs at a time, a keystroke
during a search interrupts it and queues the newest query (latest wins);
`TUI, fixed 150 ms debounce` = the classic design, as a peer (built here around the screen).
Every query and typed prefix is looked up once first, so no row pays for cold disk pages.
The machine is shared, so timings are noisy: compare the rows of one run, not runs.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

SEED = 20240602


def build_database(units: int, work: Path) -> Path:
    """The benchmark TM database with `units` units, built once and reused."""
    from lookup_bench import build_units, load_pairs

    from zhen import store, tm
    from zhen.io import tmx
    from zhen.models import TranslationUnit

    db_path = work / f"tui-bench-{units}.db"
    if db_path.exists():
        conn = store.open_database(db_path, create=True)
        complete = store.get_meta(conn, "tui_bench_units") == str(units)
        conn.close()
        if complete:
            return db_path
    for leftover in (db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm")):
        leftover.unlink(missing_ok=True)
    print(f"building a {units:,}-unit TM in {db_path} …", file=sys.stderr, flush=True)
    pairs = build_units(load_pairs(), units)
    tmx_path = work / f"tui-bench-{units}.tmx"
    tmx.write_tmx(
        tmx_path,
        (
            TranslationUnit(zh=zh, en=en, origin=f"bench-{i // 40:06d}", position=i % 40)
            for i, (zh, en) in enumerate(pairs)
        ),
        creation_date="20240601T000000Z",
    )
    conn = store.open_database(db_path, create=True)
    start = time.perf_counter()
    tm.import_files(conn, [tmx_path])
    print(f"imported in {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
    with store.transaction(conn):
        store.set_meta(conn, "tui_bench_units", str(units))
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    tmx_path.unlink()
    return db_path


def make_typed_queries(db_path: Path, count: int) -> list[tuple[str, bool]]:
    """(query, typed?) pairs: short zh/en phrases typed, and full perturbed sentences pasted."""
    from lookup_bench import perturb

    from zhen import store

    rng = random.Random(SEED)
    conn = store.open_database(db_path, create=True)
    total = conn.execute("SELECT max(id) FROM units").fetchone()[0]
    rows = []
    while len(rows) < count:
        row = conn.execute("SELECT zh, en FROM units WHERE id = ?", (rng.randint(1, total),))
        found = row.fetchone()
        if found and len(found["zh"]) >= 12 and len(found["en"].split()) >= 4:
            rows.append((found["zh"], found["en"]))
    conn.close()
    alphabet = "".join(sorted({ch for zh, _ in rows for ch in zh if "\u4e00" <= ch <= "\u9fff"}))
    perturbations = ("chars", "traditional", "clause")
    queries: list[tuple[str, bool]] = []
    for index, (zh, en) in enumerate(rows):
        kind = index % 4
        if kind == 0:  # a Chinese phrase, 2–6 characters out of a source
            start = rng.randrange(0, len(zh) - 6)
            queries.append((zh[start : start + rng.randint(2, 6)], True))
        elif kind == 1:  # an English phrase, 1–3 words
            words = en.split()
            start = rng.randrange(0, len(words) - 3)
            phrase = " ".join(words[start : start + rng.randint(1, 3)]).strip(".,;:!?\"'")
            queries.append((phrase or words[0], True))
        else:  # a new source sentence, pasted: a TM source with edits, Traditional or a cut
            kind_name = perturbations[(index // 4 + kind) % 3]
            queries.append((perturb(zh, kind_name, rng, alphabet), False))
    return queries


def type_character(pilot, search_box, character: str) -> asyncio.Task:
    """Type one character: a key press for ASCII, an input-method commit for anything else."""
    if character.isascii():
        return asyncio.create_task(pilot.press("space" if character == " " else character))

    async def commit() -> None:
        search_box.insert_text_at_cursor(character)

    return asyncio.create_task(commit())


def split(values: list[float]) -> str:
    """`p50/p95` of a subset, for the table."""
    return f"{percentile(values, 50):.0f}/{percentile(values, 95):.0f}" if values else "-"


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def measure_core(db_path: Path, queries: list[tuple[str, bool]]) -> list[float]:
    """Milliseconds of `zhen.search.lookup` alone for each final query."""
    from zhen import store
    from zhen.search import lookup
    from zhen.tui.lookup_screen import RESULT_LIMIT

    conn = store.open_database(db_path, create=True)
    lookup(conn, "预热")  # loads OpenCC and the glossary cache, as the app's first search does
    latencies = []
    for query, _ in queries:
        start = time.perf_counter()
        lookup(conn, query, limit=RESULT_LIMIT)
        latencies.append((time.perf_counter() - start) * 1000)
    conn.close()
    return latencies


def warm_cache(db_path: Path, queries: list[tuple[str, bool]]) -> None:
    """Look every query and every typed prefix up once, so no variant pays for cold pages.

    At 1M units the first read of a page range comes from disk; without this the variant
    measured first would be charged for the I/O of all the others.
    """
    from zhen import store
    from zhen.search import lookup

    conn = store.open_database(db_path, create=True)
    for query, typed in queries:
        for end in range(1, len(query) + 1) if typed else (len(query),):
            if query[:end].strip():
                lookup(conn, query[:end])
    conn.close()


async def measure_tui(
    db_path: Path,
    queries: list[tuple[str, bool]],
    debounce: float | None,
    key_gap: float,
) -> list[float]:
    """Milliseconds from the last keystroke (or the paste) to that query's results on screen."""
    from textual.widgets import Input

    from zhen.tui import ZhenApp

    app = ZhenApp(db_path)
    latencies = []
    async with app.run_test(size=(100, 30)) as pilot:
        while not app.database_ready:
            await asyncio.sleep(0.01)
        screen = app.screen
        search_box = screen.query_one("#query", Input)

        # The screen calls `_mark_shown` once a refresh has put a generation's results on
        # screen; wrapping it (here, not in the app) stamps that moment without polling,
        # which would steal the interpreter from the search thread being measured.
        shown = asyncio.Event()
        shown_at = [0.0]
        mark_shown = screen._mark_shown

        def stamp(generation: int) -> None:
            mark_shown(generation)
            if screen.shown_generation == generation:  # not a stale generation's refresh
                shown_at[0] = time.perf_counter()
                shown.set()

        screen._mark_shown = stamp
        if debounce is not None:
            _debounce_searches(screen, debounce)

        async def settled(query: str) -> float:
            while not (
                screen.shown_query == query and screen.shown_generation == screen.generation
            ):
                shown.clear()
                try:
                    await asyncio.wait_for(shown.wait(), timeout=60)
                except TimeoutError:
                    raise RuntimeError(f"no results shown for {query!r} within 60 s") from None
            return shown_at[0]

        search_box.value = "预热"
        await settled("预热")
        for query, typed in queries:
            search_box.value = ""
            await settled("")
            # Keys go out as tasks: `pilot.press` returns only once the whole process is idle
            # (worker threads included), which would both stretch the typing gaps and hide
            # the moment the results appear.
            presses = []
            if typed:
                for character in query[:-1]:
                    presses.append(type_character(pilot, search_box, character))
                    await asyncio.sleep(key_gap)
                start = time.perf_counter()
                presses.append(type_character(pilot, search_box, query[-1]))
            else:
                start = time.perf_counter()
                search_box.insert_text_at_cursor(query)
            latencies.append((await settled(query) - start) * 1000)
            await asyncio.gather(*presses)
    return latencies


def _debounce_searches(screen, seconds: float) -> None:
    """Make `screen` the classic fixed-debounce peer: each keystroke still makes the older
    searches stale at once, but a search starts only after `seconds` without a keystroke."""
    request = screen._request_search
    timer = [None]

    def debounced(query: str, generation: int) -> None:
        if timer[0] is not None:
            timer[0].stop()
        timer[0] = screen.set_timer(seconds, lambda: request(query, generation))

    screen._request_search = debounced


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=40)
    parser.add_argument("--key-gap", type=float, default=0.08, help="seconds between keys")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/zhen-tui-bench"))
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    db_path = build_database(args.units, args.workdir)
    queries = make_typed_queries(db_path, args.queries)
    warm_cache(db_path, queries)
    rows = [("core lookup (no UI)", measure_core(db_path, queries))]
    for label, debounce in (
        ("TUI (shipped: coalescing)", None),
        ("TUI, fixed 150 ms debounce", 0.15),
    ):
        latencies = asyncio.run(measure_tui(db_path, queries, debounce, args.key_gap))
        rows.append((label, latencies))
    typed = sum(1 for _, is_typed in queries if is_typed)
    print(
        f"\n{args.units:,} units · {len(queries)} queries ({typed} typed at "
        f"{args.key_gap * 1000:.0f} ms/key, {len(queries) - typed} pasted) · 100×30 headless\n"
    )
    print(f"| {'variant':<34} | p50 ms | p95 ms | max ms | typed p50/p95 | pasted p50/p95 |")
    print(f"| {'-' * 34} | -----: | -----: | -----: | ------------: | -------------: |")
    for label, values in rows:
        typed_values = [v for v, (_, is_typed) in zip(values, queries, strict=True) if is_typed]
        pasted_values = [
            v for v, (_, is_typed) in zip(values, queries, strict=True) if not is_typed
        ]
        print(
            f"| {label:<34} | {percentile(values, 50):6.1f} | {percentile(values, 95):6.1f} "
            f"| {max(values):6.1f} | {split(typed_values):>13} | {split(pasted_values):>14} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A translation desk on one PostgreSQL database: lookups while others import TMX and edit terms.

Run:  ZHEN_BENCH_POSTGRES=postgresql://USER@/postgres?host=/SOCKET/DIR \
      python benchmarks/team_bench.py [--size 100000] [--clients 20,50] [--seconds 20] \
      [--think 1.0] [--files 20] [--file-units 5000] [--terms 1000]

For each client count, in a new database holding `--size` units (the lookup benchmark's real
Tatoeba, TICO-19 and WMT22 pairs and its zh/en queries):
  - quiet: every client (a process with its own `zhen.Database(URL)`) looks queries up for
    `--seconds`, waiting about `--think` seconds between lookups as a translator reading the
    answer does (0: back to back); lookup p50/p95;
  - loaded: the same clients look up for as long while 2 importers each import TMX files of
    `--file-units` new units one after another (at most `--files`) and 2 terminologists each add
    terms and approve each one (at most `--terms`); lookup p50/p95 and import units/s (all
    imported units over the importers' wall time).
Then it checks what the desk relies on: no client or writer saw an error; the unit and term
counts equal what was written; and each file's own sentence, looked up by a watcher client as
soon as its import returns, is found at once (the import committed before returning).
The load average is printed beside each phase: the server shares the machine with the clients.
Writers wait for one another on the write lock; ZHEN_BUSY_TIMEOUT defaults to 300 s here.

`run_load` is the scenario itself; tests/test_postgres_concurrency.py runs it at a small size.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import queue
import random
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

IMPORTERS = 2
TERMINOLOGISTS = 2
_WATCH_TIMEOUT = 10.0  # seconds a watcher polls for a file's sentence before calling it lost


@dataclass
class ImportFile:
    """One TMX file an importer brings in, and a query only that file's units answer."""

    path: Path
    units: int
    marker: str


@dataclass
class LoadReport:
    """What one run saw: latencies, errors, throughput and visibility of new units."""

    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    imported_units: int = 0
    units_in_files: int = 0  # the units of the files imported, as written into them
    import_seconds: float = 0.0
    terms_written: int = 0
    files_imported: int = 0
    # (marker, lookups the watcher needed after the import returned; 0 when never found)
    visibility: list[tuple[str, int]] = field(default_factory=list)
    load_average: tuple[float, float, float] = (0.0, 0.0, 0.0)


def _percentile(values: Sequence[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * pct / 100))] if ordered else 0.0


def write_import_file(path: Path, tag: str, count: int) -> ImportFile:
    """A TMX file of `count` new units, every one unlike the others and the base data's."""
    from zhen.io import tmx
    from zhen.models import TranslationUnit

    pairs = [
        (f"团队{tag}第{n}号稿件说明条款", f"desk {tag} draft clause number {n}")
        for n in range(count)
    ]
    tmx.write_tmx(path, (TranslationUnit(zh=zh, en=en, origin=tag) for zh, en in pairs))
    return ImportFile(path=path, units=count, marker=pairs[-1][0])


# --- the clients (each its own connection; run as threads or as processes) -----------------


def _looker(
    url: str,
    queries: list[tuple[str, str]],
    start: int,
    think: float,
    ready: Any,
    stop: Any,
    out: Any,
) -> None:
    """Look queries up until `stop` is set, `think` seconds apart on average; report latencies
    and errors."""
    from zhen import Database

    pause = random.Random(start)

    latencies: list[float] = []
    errors: list[str] = []
    try:
        with Database(url, readonly=True) as db:
            db.lookup(queries[0][0], side=queries[0][1])  # untimed: its glossary index loads
            ready.put(start)
            n = start
            while not stop.is_set():
                query, side = queries[n % len(queries)]
                n += 1
                began = time.perf_counter()
                try:
                    db.lookup(query, limit=5, min_score=0, side=side)
                except Exception as exc:  # every failure is counted, none stops the run
                    errors.append(f"lookup {query!r}: {exc}")
                latencies.append((time.perf_counter() - began) * 1000)
                if think:
                    stop.wait(pause.uniform(0.5, 1.5) * think)
    except Exception as exc:
        errors.append(f"lookup client: {exc}")
        ready.put(start)
    out.put(("lookups", latencies, errors))


def _importer(url: str, files: list[ImportFile], until: float, announce: Any, out: Any) -> None:
    """Import each file in turn, announcing its sentence to the watcher as soon as it returns."""
    from zhen import Database

    errors: list[str] = []
    spans: list[tuple[float, float]] = []
    added = in_files = 0
    try:
        with Database(url) as db:
            for item in files:
                began = time.time()
                if until and began > until and spans:
                    break
                added += db.import_files([item.path]).added
                in_files += item.units
                spans.append((began, time.time()))
                announce.put(item.marker)
    except Exception as exc:
        errors.append(f"import: {exc}")
    announce.put(None)
    out.put(("import", added, in_files, spans, errors))


def _terminologist(url: str, tag: str, count: int, until: float, out: Any) -> None:
    """Propose up to `count` terms (until `until`, when set), approving each right after."""
    from zhen import Database
    from zhen.models import Term, TermStatus

    errors: list[str] = []
    written = 0
    try:
        with Database(url) as db:
            for n in range(count):
                if until and time.time() > until and written:
                    break
                stored = db.add_term(
                    Term(zh=f"术语{tag}{n}号", en=f"term {tag} {n}", status=TermStatus.PROPOSED)
                )
                db.set_term_status(stored.id, TermStatus.APPROVED.value)
                written += 1
    except Exception as exc:
        errors.append(f"terms {tag}: {exc}")
    out.put(("terms", written, errors))


def _watcher(url: str, announce: Any, writers: int, out: Any) -> None:
    """For each announced sentence, poll lookups until a unit holding it is found."""
    from zhen import Database

    seen: list[tuple[str, int]] = []
    errors: list[str] = []
    finished = 0
    try:
        with Database(url, readonly=True) as db:
            while finished < writers:
                marker = announce.get()
                if marker is None:
                    finished += 1
                    continue
                polls, deadline = 0, time.monotonic() + _WATCH_TIMEOUT
                while time.monotonic() < deadline:
                    polls += 1
                    if any(hit.zh == marker for hit in db.lookup(marker, limit=5).units):
                        break
                else:
                    polls = 0
                seen.append((marker, polls))
    except Exception as exc:
        errors.append(f"watcher: {exc}")
    out.put(("watch", seen, errors))


# --- one run ------------------------------------------------------------------------------


def run_load(
    url: str,
    queries: list[tuple[str, str]],
    *,
    clients: int,
    import_files: Sequence[Sequence[ImportFile]] = (),
    terms_each: int = 0,
    seconds: float = 0.0,
    think: float = 0.0,
    processes: bool = False,
) -> LoadReport:
    """`clients` lookup clients on `url`, alongside the writers given (none: for `seconds`).

    `import_files` holds each importer's files; `terms_each` is the count of terms each of
    the TERMINOLOGISTS adds and approves (0: none). With writers, the lookups run until the
    last writer is done, and a writer starts no new file or term past `seconds` (0: it does
    them all). A client waits about `think` seconds between lookups (0: none, every
    client as fast as it can). Threads by default; `processes` runs each client as a process.
    """
    context = multiprocessing.get_context("fork")
    out: Any = context.Queue() if processes else queue.Queue()
    announce: Any = context.Queue() if processes else queue.Queue()
    ready: Any = context.Queue() if processes else queue.Queue()
    stop: Any = context.Event() if processes else threading.Event()
    spawn: Callable[..., Any] = context.Process if processes else threading.Thread

    def start(target: Callable[..., None], *args: Any) -> Any:
        worker = spawn(target=target, args=args, daemon=True)
        worker.start()
        return worker

    # A forked child flushes what the parent's stdout still buffers: flush it first.
    sys.stdout.flush()
    sys.stderr.flush()
    lookers = [start(_looker, url, queries, n * 7, think, ready, stop, out) for n in range(clients)]
    for _ in range(clients):  # the clock starts once every client is connected and warm
        ready.get(timeout=300)
    until = time.time() + seconds if seconds else 0.0
    writers = [start(_importer, url, list(files), until, announce, out) for files in import_files]
    if terms_each:
        writers += [
            start(_terminologist, url, "甲乙"[n], terms_each, until, out)
            for n in range(TERMINOLOGISTS)
        ]
    watcher = start(_watcher, url, announce, len(import_files), out) if import_files else None
    if writers:
        for worker in writers:
            worker.join()
        if watcher is not None:
            watcher.join()
    else:
        time.sleep(seconds)
    report = LoadReport(load_average=os.getloadavg())
    stop.set()
    spans: list[tuple[float, float]] = []
    expected = clients + len(writers) + (watcher is not None)
    for _ in range(expected):
        kind, *values = out.get(timeout=120)
        report.errors.extend(values[-1])
        if kind == "lookups":
            report.latencies_ms.extend(values[0])
        elif kind == "import":
            report.imported_units += values[0]
            report.units_in_files += values[1]
            spans.extend(values[2])
            report.files_imported += len(values[2])
        elif kind == "terms":
            report.terms_written += values[0]
        else:
            report.visibility.extend(values[0])
    for worker in lookers:
        worker.join()
    if spans:
        report.import_seconds = max(end for _, end in spans) - min(begin for begin, _ in spans)
    return report


# --- the benchmark ----------------------------------------------------------------------


def _database_url(server: str, name: str) -> str:
    base, _, rest = server.partition("?")
    return f"{base.rsplit('/', 1)[0]}/{name}" + (f"?{rest}" if rest else "")


def _counts(url: str) -> tuple[int, int, int]:
    """(units, terms, approved terms) as the database holds them now."""
    from zhen import Database

    with Database(url, readonly=True) as db:
        terms = db.terms()
        approved = sum(term.status == "approved" for term in terms)
        return db.stats().units, len(terms), approved


def _line(label: str, report: LoadReport) -> str:
    load = "/".join(f"{value:.1f}" for value in report.load_average)
    rate = (
        f"{report.imported_units / report.import_seconds:>10,.0f}"
        if report.import_seconds
        else f"{'':>10}"
    )
    return (
        f"{label:24} {len(report.latencies_ms):>8} {_percentile(report.latencies_ms, 50):>7.1f} "
        f"{_percentile(report.latencies_ms, 95):>7.1f} {rate} {load:>15}"
    )


def _bench_one(server: str, source: Path, work: Path, queries: list, clients: int, args) -> bool:
    """Both phases at one client count in a new database; False when a check failed."""
    import psycopg

    from zhen import Database

    name = f"zhen_team_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = _database_url(server, name)
    try:
        Database.create(url, seed=False).close()
        with Database(url) as db:
            base = db.import_files([source]).added
        quiet = run_load(
            url, queries, clients=clients, seconds=args.seconds, think=args.think, processes=True
        )
        files = [
            [
                write_import_file(
                    work / f"{clients}-{who}-{n}.tmx", f"{clients}{who}{n}", args.file_units
                )
                for n in range(args.files)
            ]
            for who in "甲乙"[:IMPORTERS]
        ]
        loaded = run_load(
            url,
            queries,
            clients=clients,
            import_files=files,
            terms_each=args.terms,
            seconds=args.seconds,
            think=args.think,
            processes=True,
        )
        units, terms, approved = _counts(url)
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(_line(f"{clients} clients, quiet", quiet))
    print(_line(f"{clients} clients, +2 imp +2 term", loaded))
    written = loaded.units_in_files
    late = [marker for marker, polls in loaded.visibility if polls != 1]
    checks = {
        "errors": quiet.errors + loaded.errors,
        "units": [] if units == base + written else [f"{units} units, wrote {base + written}"],
        "terms": []
        if terms == approved == loaded.terms_written
        else [f"{terms} terms ({approved} approved), wrote {loaded.terms_written}"],
        "visibility": late
        + ([] if len(loaded.visibility) == loaded.files_imported else ["files unannounced"]),
    }
    print(
        f"    written under load: {loaded.files_imported} files, {written:,} units; "
        f"{loaded.terms_written} terms added and approved"
    )
    for what, problems in checks.items():
        print(f"    {what}: {'ok' if not problems else '; '.join(problems[:3])}")
    return not any(checks.values())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000, help="units in the database")
    parser.add_argument("--clients", default="20,50", help="lookup clients, comma-separated")
    parser.add_argument("--seconds", type=float, default=20.0, help="the quiet phase's length")
    parser.add_argument("--files", type=int, default=20, help="TMX files per importer, at most")
    parser.add_argument("--file-units", type=int, default=5_000, help="units per TMX file")
    parser.add_argument("--terms", type=int, default=1000, help="terms per terminologist, at most")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument(
        "--think", type=float, default=1.0, help="seconds a client waits between lookups"
    )
    args = parser.parse_args()
    server = os.environ.get("ZHEN_BENCH_POSTGRES")
    if not server:
        print("set ZHEN_BENCH_POSTGRES to a PostgreSQL server URL", file=sys.stderr)
        return 2
    from lookup_bench import build_units, load_pairs, make_en_queries, make_queries

    from zhen.io import tmx
    from zhen.models import TranslationUnit
    from zhen.text.normalize import normalize_zh

    normalize_zh("體")  # OpenCC's tables load once here, before the clients fork

    # Writers queue behind one another's imports on the write lock: on a loaded machine one
    # 10k-unit import outlasts the default 10 s wait a desk would raise the same way.
    os.environ.setdefault("ZHEN_BUSY_TIMEOUT", "300")
    units = build_units(load_pairs(), args.size)
    made = make_queries(units, args.queries // 2) + make_en_queries(units, args.queries // 2)
    queries = [(query, "en" if kind == "typos" else "zh") for query, _, kind in made]
    ok = True
    with tempfile.TemporaryDirectory() as work_dir:
        work = Path(work_dir)
        source = work / "base.tmx"
        tmx.write_tmx(source, (TranslationUnit(zh=z, en=e, origin="base") for z, e in units))
        print(
            f"{args.size:,} units; {args.seconds:g} s per phase; {IMPORTERS} importers of "
            f"{args.file_units:,}-unit files and {TERMINOLOGISTS} terminologists adding and "
            f"approving terms, one after another"
        )
        heads = f"{'lookups':>8} {'p50 ms':>7} {'p95 ms':>7} {'import u/s':>10} {'load avg':>15}"
        print(f"{'':24} {heads}")
        for clients in (int(n) for n in args.clients.split(",")):
            ok &= _bench_one(server, source, work, queries, clients, args)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

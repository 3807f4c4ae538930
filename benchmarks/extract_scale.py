"""Term extraction at TM scale: pairs/s and peak memory of `zhen glossary extract --db-units`.

Usage: python benchmarks/extract_scale.py [--sizes 3071,100000] [--workers 2] [--min-score X]
                                          [--without FINDERS] [--mix all|long] [--stages]

Each size is a fresh database (`zhen db init --empty`) holding that many units, imported from a
TSV, then `python -m zhen glossary extract --db-units --db DB` is run and timed (stdout thrown
away). The pairs: TICO-19 (3,071, ../shared/data/tico19), then Tatoeba cmn-eng (29,155), then
the WMT22 general test (1,875), 34,101 real pairs in all. A size beyond that cycles through them
again, each further round's copies marked with the round ("（2）" / " (2)") so that the TM keeps
them as distinct units: such a TM repeats its vocabulary, so it flatters memory (the word
evidence and the candidates stop growing after the first round) and says nothing new about
quality. "peak RSS" is the largest sum of the resident sets of the extracting process and its
workers, sampled every 0.2 s from /proc. "CPU s" is the processor time the command and its
workers used; on a machine shared with other work, "idle pairs/s" = units / (CPU s / workers)
estimates what the same workers would do with the cores to themselves. The size 3071 is
TICO-19 alone, unmarked. `--mix long` leaves Tatoeba's short sentences out: 4,946 real pairs
as long as a news or health TM's (TICO-19, then WMT22), cycled the same way, for the time per
pair of such text (its vocabulary repeats all the sooner: a time, not a memory, figure).
`--without` leaves finders out (zhen.glossary.extract.finders.FINDERS), which the command has no
option for: the same command is then run through this script, which passes them on.
`--stages` runs it through this script too, printing when each stage starts (reading,
pairing words, aligning, counting) and when scoring ends, with the processor seconds the
command and its workers had used by then (the workers' as last seen, at the last chunk; read
from /proc: Linux only).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("ZHEN_TEST_DATA") or REPO.parent / "shared") / "data"
PYTHON = sys.executable


def real_pairs(mix: str = "all") -> Iterator[tuple[str, str]]:
    """TICO-19, then Tatoeba (unless `mix` is "long"), then WMT22: (zh, en), one line each."""
    sys.path.insert(0, str(REPO / "src"))
    from zhen.io import tmx

    for unit in tmx.iter_units(DATA / "tico19" / "all.en-zh.tmx"):
        yield unit.zh, unit.en
    if mix != "long":
        with (DATA / "tatoeba" / "cmn.txt").open(encoding="utf-8-sig") as lines:
            for line in lines:
                cells = line.rstrip("\n").split("\t")
                if len(cells) >= 2:
                    yield cells[1], cells[0]
    wmt = DATA / "wmt22-general-zhen"
    zh_lines = (wmt / "generaltest2022.zh-en.src.zh").read_text(encoding="utf-8").splitlines()
    en_lines = (wmt / "generaltest2022.zh-en.ref.A.en").read_text(encoding="utf-8").splitlines()
    yield from zip(zh_lines, en_lines, strict=True)


def pairs(size: int, mix: str = "all") -> Iterator[tuple[str, str]]:
    """`size` distinct pairs: the real ones, then rounds of marked copies."""
    real = [(" ".join(zh.split()), " ".join(en.split())) for zh, en in real_pairs(mix)]
    real = [(zh, en) for zh, en in real if zh and en]
    for index in range(size):
        round_, position = divmod(index, len(real))
        zh, en = real[position]
        yield (zh, en) if round_ == 0 else (f"{zh}（{round_ + 1}）", f"{en} ({round_ + 1})")


def _tree_rss(root: int) -> int:
    """Bytes resident in `root` and every process descended from it."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry))
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        stack += children.get(pid, [])
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            continue
    return total


def run(
    size: int,
    workers: int,
    min_score: str | None,
    without: str,
    mix: str = "all",
    stages: bool = False,
) -> tuple[float, float, int]:
    """(seconds, CPU seconds, peak bytes) of one extraction over a fresh TM of `size` units."""
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    with tempfile.TemporaryDirectory() as folder:
        tsv, db = Path(folder) / "pairs.tsv", Path(folder) / "tm.db"
        with tsv.open("w", encoding="utf-8") as out:
            out.write("zh\ten\n")
            for zh, en in pairs(size, mix):
                out.write(f"{zh}\t{en}\n")
        for command in (["db", "init", "--empty", db], ["tm", "import", tsv, "--db", db]):
            subprocess.run(
                [PYTHON, "-m", "zhen", *map(str, command)], env=env, check=True, capture_output=True
            )
        zhen = (
            [PYTHON, __file__, "--run-with", without, str(stages), "--"]
            if without or stages
            else [PYTHON, "-m", "zhen"]
        )
        extract = [*zhen, "glossary", "extract", "--db-units", "--db", str(db)]
        extract += ["--workers", str(workers)]
        if min_score is not None:
            extract += ["--min-score", min_score]
        started = time.perf_counter()
        cpu_before = _children_cpu()
        process = subprocess.Popen(
            extract, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        peak = 0
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, _tree_rss(process.pid))
                done.wait(0.2)

        sampler = threading.Thread(target=sample)
        sampler.start()
        _, stderr = process.communicate()
        seconds = time.perf_counter() - started
        cpu = _children_cpu() - cpu_before
        done.set()
        sampler.join()
        if process.returncode != 0:
            raise SystemExit(f"extract failed on {size} units: {stderr.decode()[-2000:]}")
        lines = stderr.decode().strip().splitlines()
        for line in lines:
            if line.startswith(_STAGE_MARK):
                print(f"  {size:,} units: {line.removeprefix(_STAGE_MARK)}", file=sys.stderr)
        print(f"  {size:,} units: {lines[-1]}", file=sys.stderr)
        return seconds, cpu, peak


def _children_cpu() -> float:
    """Processor seconds used by the finished children of this process and theirs."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


_STAGE_MARK = "stage timer: "


def _processor_seconds() -> tuple[float, float]:
    """Processor seconds so far of this process and of its worker processes alive: a few
    files read, as it is asked at every chunk of the run it measures."""
    import multiprocessing

    def used(pid: int | None) -> float:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0  # a worker that has just ended
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    workers = sum(used(child.pid) for child in multiprocessing.active_children())
    return used(os.getpid()), workers


def run_with(without: str, stages: bool, argv: list[str]) -> int:
    """`python -m zhen ARGV` with the finders named in `without` left out of extraction and,
    with `stages`, a line on stderr as each stage starts and at the end: the seconds since the
    start and the processor seconds of the command and of its workers (as last seen alive)."""
    sys.path.insert(0, str(REPO / "src"))
    from zhen import glossary
    from zhen.cli import main

    best_candidates = glossary.best_candidates
    started = time.perf_counter()
    seen: set[str] = set()
    workers = [0.0]  # the workers' processor seconds at the last report, before they ended

    def mark(what: str) -> None:
        own, alive = _processor_seconds()
        workers[0] = max(workers[0], alive)
        print(
            f"{_STAGE_MARK}{what} at {time.perf_counter() - started:,.0f} s; processor s: "
            f"command {own:,.0f}, workers {workers[0]:,.0f}",
            file=sys.stderr,
        )

    def timed(*args: Any, **options: Any) -> Any:
        shown = options.get("progress")

        def progress(stage: str, done: int, total: int | None) -> None:
            if stages and stage not in seen:
                seen.add(stage)
                mark(stage)
            elif stages:
                workers[0] = max(workers[0], _processor_seconds()[1])
            if shown is not None:
                shown(stage, done, total)

        if without:
            options["without"] = frozenset(without.split(","))
        found = best_candidates(*args, **{**options, "progress": progress})
        if stages:
            mark("scored")
        return found

    glossary.best_candidates = timed
    return main(argv)


def main() -> None:
    if sys.argv[1:2] == ["--run-with"]:
        raise SystemExit(run_with(sys.argv[2], sys.argv[3] == "True", sys.argv[5:]))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="3071,100000")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--min-score", default=None)
    parser.add_argument("--without", default="", help="finders to leave out, comma-separated")
    parser.add_argument("--mix", choices=("all", "long"), default="all")
    parser.add_argument(
        "--stages", action="store_true", help="print when each stage starts, with processor s"
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    left_out = f", without {args.without}" if args.without else ""
    print(
        f"workers {args.workers}{left_out}, mix {args.mix}, {os.cpu_count()} cores, "
        f"load {os.getloadavg()[0]:.1f}"
    )
    print("| units | seconds | pairs/s | CPU s | idle pairs/s | peak RSS (MB) |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for size in sizes:
        seconds, cpu, peak = run(
            size, args.workers, args.min_score, args.without, args.mix, args.stages
        )
        idle = size / (cpu / args.workers)
        print(
            f"| {size:,} | {seconds:,.0f} | {size / seconds:,.1f} | {cpu:,.0f} | {idle:,.1f} "
            f"| {peak / 1e6:,.0f} |"
        )
        sys.stdout.flush()
    print(f"load after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()

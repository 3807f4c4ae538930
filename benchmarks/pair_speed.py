"""Before/after benchmark of term extraction's per-pair work, two source trees side by side.

Run:  python benchmarks/pair_speed.py BEFORE AFTER [--pairs 1000] [--rounds 3] [--repeats 3]

BEFORE and AFTER are source trees (a checkout or its `src` folder; `git worktree add
/tmp/before REV` makes one of any commit). The work timed is the alignment and finders of the
first N WMT22 pairs (`stream.tally_chunk` over chunks of 500, against the evidence of those
pairs), the per-pair part of `zhen glossary extract` that workers run. Each round starts both
trees at once, one child process each (PYTHONPATH set to that tree's `src` alone; the child
checks that `zhen` came from there), so that the other load on the shared 2-core machine falls
on both alike: one tree's time run to run moved by up to 20% here, more than most changes to
the per-pair work. Each child repeats the tally `--repeats` times with its word-judgement
cache emptied and keeps the fastest (processor seconds); the change column is AFTER against
BEFORE in the same round, and the median change over the rounds is the figure to quote. Both
trees must find the same candidates with the same counts and sums: a digest of every chunk's
tally is compared, and a difference is reported (the fast paths of the per-pair work promise
identical results, tests/test_glossary_extract_fastpaths.py). Run one tree as both to see the
noise floor.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# The third-party data: $ZHEN_TEST_DATA as the tests read it, else `shared` beside the checkout.
DATA = Path(os.environ.get("ZHEN_TEST_DATA") or REPO.parent / "shared") / "data"
WMT22 = DATA / "wmt22-general-zhen"


def _source(tree: str) -> Path:
    path = Path(tree).resolve()
    return path if (path / "zhen").is_dir() else path / "src"


def _digest(results: list[dict]) -> str:
    """A digest of the chunk tallies that does not depend on the classes holding them."""
    text = repr(
        [
            sorted(
                (
                    key,
                    tuple(str(value) for value in entry.found),
                    entry.qualities,
                    entry.pairs,
                    entry.title_case,
                    str(entry.kind),
                    entry.truncated,
                    entry.dominated,
                    entry.variant,
                )
                for key, entry in chunk.items()
            )
            for chunk in results
        ]
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def child(source: Path, pairs: int, repeats: int) -> dict:
    """In the child process: time the tally of the first `pairs` WMT22 pairs in this tree."""
    import zhen
    from zhen.glossary.extract import stream
    from zhen.glossary.extract.prepare import load
    from zhen.glossary.extract.tally import tally_chunk
    from zhen.models import TranslationUnit

    if not Path(zhen.__file__).resolve().is_relative_to(source):
        raise SystemExit(f"zhen came from {zhen.__file__}, not {source}")
    zh = (WMT22 / "generaltest2022.zh-en.src.zh").read_text(encoding="utf-8").splitlines()
    en = (WMT22 / "generaltest2022.zh-en.ref.A.en").read_text(encoding="utf-8").splitlines()
    units = [
        TranslationUnit(zh=a, en=b, origin="wmt22", position=n)
        for n, (a, b) in enumerate(zip(zh[:pairs], en[:pairs], strict=True))
    ]
    with tempfile.TemporaryDirectory(prefix="zhen-pair-speed-") as folder:
        run = stream._Run(stream._InProcess(), Path(folder), False, 2, lambda *_: None, frozenset())
        evidence, _, number = run.read(stream.pair_chunks(units, None, 500))
        chunks = [load(Path(folder) / f"{n}.tokens") for n in range(number)]
        times = []
        for _ in range(repeats):
            evidence.forget_judgements()
            started = time.process_time()
            results = [tally_chunk(chunk, rows, evidence) for chunk, rows in chunks]
            times.append(time.process_time() - started)
    return {"seconds": min(times), "digest": _digest(results)}


def _start(source: Path, args: argparse.Namespace) -> subprocess.Popen[str]:
    command = [sys.executable, __file__, "--child", str(source), "--pairs", str(args.pairs)]
    command += ["--repeats", str(args.repeats)]
    env = {**os.environ, "PYTHONPATH": str(source)}
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)


def compare(before: Path, after: Path, args: argparse.Namespace) -> list[dict]:
    """Each round's two children, started together; their figures."""
    rounds = []
    for number in range(args.rounds):
        # Who starts first alternates, so that neither tree always gets the head start.
        order = [("before", before), ("after", after)]
        if number % 2:
            order.reverse()
        running = [(side, source, _start(source, args)) for side, source in order]
        figures = {}
        for side, source, process in running:
            out, _ = process.communicate()
            if process.returncode != 0:
                raise SystemExit(f"{source}: the child failed ({process.returncode})")
            figures[side] = json.loads(out)
        rounds.append(figures)
    return rounds


def report(rounds: list[dict], pairs: int) -> bool:
    """Print the rounds and the median change; True when both trees found the same."""
    print(f"{pairs} WMT22 pairs, alignment and finders, processor seconds (fastest of repeats)")
    print("| round | before s | after s | change |")
    print("| ---: | ---: | ---: | ---: |")
    changes = []
    for number, row in enumerate(rounds, 1):
        before, after = row["before"]["seconds"], row["after"]["seconds"]
        changes.append(after / before - 1)
        print(f"| {number} | {before:.2f} | {after:.2f} | {changes[-1]:+.1%} |")
    print(f"median change: {statistics.median(changes):+.1%} (after against before)")
    digests = {row[side]["digest"] for row in rounds for side in ("before", "after")}
    if len(digests) > 1:
        print(f"the two trees found different candidates: digests {sorted(digests)}")
        return False
    print(f"same candidates in both trees (digest {digests.pop()})")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("trees", nargs="*", help="BEFORE and AFTER source trees")
    parser.add_argument("--pairs", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(Path(args.child), args.pairs, args.repeats)))
        return 0
    if len(args.trees) != 2:
        parser.error("give two source trees: BEFORE AFTER")
    before, after = (_source(tree) for tree in args.trees)
    return 0 if report(compare(before, after, args), args.pairs) else 1


if __name__ == "__main__":
    sys.exit(main())

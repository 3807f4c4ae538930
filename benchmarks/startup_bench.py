"""Start-up time of the `zhen` command beside `python -c pass`, for one or two source trees.

Run:  python benchmarks/startup_bench.py [TREE ...] [--rounds 9]

Each TREE (a checkout or its `src`; default: this checkout) is timed on three commands, each in
a fresh process with PYTHONPATH set to that tree's `src` alone: `zhen --help`, and
`zhen lookup 同志加兄弟` on the user's default database (made once per tree by `zhen build`
then `zhen lookup`, in a private XDG_DATA_HOME under the work folder). The peer is the floor
every Python command pays, `python -c pass`, timed in the same rounds. Trees and commands take
turns within each round, so the load of other jobs on a shared machine falls on all alike.
Wall time and the child's CPU time (user + sys) are reported as medians; on a busy machine
the CPU column is the steadier one. The 1-minute load average is shown at the start and end.
`python -X importtime -m zhen --help` shows what a figure is made of.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[1]
QUERY = "同志加兄弟"


def source_dir(tree: Path) -> Path:
    return tree if (tree / "zhen").is_dir() else tree / "src"


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall, cpu) seconds of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trees", nargs="*", type=Path, default=[CHECKOUT])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "zhen-startup")
    args = parser.parse_args()

    commands: dict[str, tuple[list[str], dict[str, str]]] = {
        "python -c pass": ([sys.executable, "-c", "pass"], dict(os.environ))
    }
    for number, tree in enumerate(args.trees):
        env = dict(os.environ, PYTHONPATH=str(source_dir(tree.resolve())))
        env["XDG_DATA_HOME"] = str(args.work / f"tree{number}")
        env.pop("ZHEN_DB", None)
        zhen = [sys.executable, "-m", "zhen"]
        # The default database, built and opened once, so the timed lookups only read it.
        subprocess.run([*zhen, "build"], env=env, check=True, capture_output=True)
        subprocess.run([*zhen, "lookup", QUERY], env=env, check=True, capture_output=True)
        label = tree.name if len(args.trees) > 1 else "zhen"
        commands[f"{label}: --help"] = ([*zhen, "--help"], env)
        commands[f"{label}: lookup {QUERY}"] = ([*zhen, "lookup", QUERY], env)

    load_start = os.getloadavg()[0]
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    names = list(commands)
    for round_number in range(args.rounds):
        # Rotate the order each round so no command always runs first.
        shift = round_number % len(names)
        for name in names[shift:] + names[:shift]:
            samples[name].append(timed(*commands[name]))
    load_end = os.getloadavg()[0]

    print(f"{args.rounds} rounds; load average {load_start:.2f} → {load_end:.2f}")
    print(f"{'command':<34} {'wall p50':>9} {'cpu p50':>9}")
    for name in names:
        wall = statistics.median(s[0] for s in samples[name])
        cpu = statistics.median(s[1] for s in samples[name])
        print(f"{name:<34} {wall:>8.3f}s {cpu:>8.3f}s")


if __name__ == "__main__":
    main()

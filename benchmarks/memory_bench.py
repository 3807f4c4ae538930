"""Peak memory of `zhen align` and `zhen check` per MB of single-line input (`/usr/bin/time -v`).

Usage: python benchmarks/memory_bench.py [--sizes 0.1,1] [--kinds punct,bare]
           [--commands align,check] [--base /work/wt-base] [--cap BYTES] [--timeout S]

Inputs: the WMT22 general test lines (../shared/data/wmt22-general-zhen), each side joined into
ONE line (no paragraph breaks, as a text pasted from a PDF or a page without markup) and repeated
until it holds SIZE MB of UTF-8 ("punct"); "bare" removes every punctuation mark as well, so the
whole file is one "sentence"; "short" is the shortest sentences there are ("好。" and "Good."
over and over: 10 MB holds over a million). Input MB in the table is the zh file plus the en
file; "MB/MB" is the peak over it, "growth/MB" the peak above the start-up peak (the same
command on a one-sentence text: interpreter, dictionary, encoder weights) over it. Each run is
`python -m zhen align ZH EN -o out.tsv` or `python -m zhen check ZH EN --glossary
glossary/xinhua.tsv` with PYTHONPATH pointing at the tree's src/; `--base` runs another tree
(e.g. the unchanged base) beside this one, and `--cap` runs everything under
`prlimit --as=BYTES` (the outcome column then shows how each run ended).
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WMT = REPO.parent / "shared" / "data" / "wmt22-general-zhen"
PYTHON = sys.executable
_PEAK = re.compile(r"Maximum resident set size \(kbytes\): (\d+)")
_WALL = re.compile(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)")


def single_line(lines: list[str], size: int, joiner: str, bare: bool) -> str:
    """The lines joined into one line, repeated until it holds `size` bytes of UTF-8."""
    if bare:
        lines = ["".join(ch for ch in line if not unicodedata.category(ch).startswith("P"))
                 for line in lines]  # fmt: skip
    pieces: list[str] = []
    total = 0
    for line in itertools.cycle(lines):
        pieces.append(line)
        total += len(line.encode("utf-8")) + len(joiner)
        if total >= size:
            break
    text = joiner.join(pieces).encode("utf-8")[:size]
    return text.decode("utf-8", errors="ignore") + "\n"


def write_inputs(folder: Path, megabytes: float, kind: str) -> tuple[Path, Path, float]:
    """Write zh.txt and en.txt of `megabytes` each; return their paths and their total MB."""
    size = int(megabytes * 1_000_000)
    if kind == "short":
        zh_lines, en_lines = ["好。"], ["Good."]
    else:
        zh_lines = (WMT / "generaltest2022.zh-en.src.zh").read_text(encoding="utf-8").splitlines()
        en_lines = (WMT / "generaltest2022.zh-en.ref.A.en").read_text(encoding="utf-8").splitlines()
    zh = folder / "zh.txt"
    en = folder / "en.txt"
    zh.write_text(single_line(zh_lines, size, "", kind == "bare"), encoding="utf-8")
    en.write_text(single_line(en_lines, size, " ", kind == "bare"), encoding="utf-8")
    return zh, en, (zh.stat().st_size + en.stat().st_size) / 1_000_000


def run(tree: Path, command: str, zh: Path, en: Path, cap: int | None, timeout: float) -> dict:
    """Run one zhen command under /usr/bin/time -v; return peak RSS, wall time and outcome."""
    out = zh.parent / "out.tsv"
    out.unlink(missing_ok=True)
    args = [PYTHON, "-m", "zhen", command, str(zh), str(en)]
    if command == "align":
        args += ["-o", str(out)]
    else:
        args += ["--glossary", str(REPO / "glossary" / "xinhua.tsv")]
    prefix = ["/usr/bin/time", "-v"]
    if cap is not None:
        prefix += ["prlimit", f"--as={cap}"]
    env = {**os.environ, "PYTHONPATH": str(tree / "src")}
    try:
        done = subprocess.run(
            prefix + args, capture_output=True, text=True, env=env, timeout=timeout,
            stdin=subprocess.DEVNULL,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return {"peak": None, "wall": f">{timeout:.0f}s", "outcome": "timed out"}
    peak = _PEAK.search(done.stderr)
    wall = _WALL.search(done.stderr)
    return {
        "peak": int(peak.group(1)) / 1024 if peak else None,
        "wall": wall.group(1) if wall else "?",
        "outcome": _outcome(done.returncode, done.stderr),
    }


def _startup_peaks(
    folder: Path, trees: list[tuple[str, Path]], commands: list[str]
) -> dict[tuple[str, str], float]:
    """Peak RSS of each tree and command on one short sentence pair."""
    zh, en = folder / "zh.txt", folder / "en.txt"
    zh.write_text("我们今天去北京。\n", encoding="utf-8")
    en.write_text("We go to Beijing today.\n", encoding="utf-8")
    peaks = {}
    for label, tree in trees:
        for command in commands:
            peaks[label, command] = run(tree, command, zh, en, None, 300)["peak"] or 0.0
            print(f"{label:5} {command:7} start-up peak {peaks[label, command]:.0f} MB")
    return peaks


def _outcome(code: int, stderr: str) -> str:
    text = stderr.split("\tCommand being timed:")[0]
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("Command ")]
    if "Traceback" in text:
        last = lines[-1]
        return f"traceback: {last[:60]}"
    errors = [line for line in lines if line.startswith("zhen: error:")]
    if errors:
        return f"exit {code}: {errors[0][:70]}"
    if code < 0 or "Command terminated by signal" in stderr:
        return f"killed (exit {code})"
    return f"exit {code}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="0.1,1", help="MB per side, comma list")
    parser.add_argument("--kinds", default="punct,bare", help="punct, bare (no marks), short")
    parser.add_argument("--commands", default="align,check")
    parser.add_argument("--base", type=Path, help="another tree to run beside this one")
    parser.add_argument("--cap", type=int, help="address-space cap in bytes (prlimit --as)")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds per run")
    args = parser.parse_args()
    trees = [("this", REPO)] + ([("base", args.base)] if args.base else [])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        startup = _startup_peaks(folder, trees, args.commands.split(","))
        print(
            f"{'tree':5} {'command':7} {'input':6} {'MB in':>6} {'peak MB':>8} {'MB/MB':>7} "
            f"{'growth/MB':>9} {'wall':>8}  outcome"
        )
        print("-" * 110)
        for megabytes, kind in itertools.product(
            [float(s) for s in args.sizes.split(",")], args.kinds.split(",")
        ):
            zh, en, total = write_inputs(folder, megabytes, kind)
            for command, (label, tree) in itertools.product(args.commands.split(","), trees):
                result = run(tree, command, zh, en, args.cap, args.timeout)
                peak = result["peak"]
                if peak is None:
                    figures = f"{'?':>8} {'?':>7} {'?':>9}"
                else:
                    growth = (peak - startup[label, command]) / total
                    figures = f"{peak:8.0f} {peak / total:7.0f} {growth:9.0f}"
                print(
                    f"{label:5} {command:7} {kind:6} {total:6.2f} {figures} "
                    f"{result['wall']:>8}  {result['outcome']}",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Hostile cases run as real `zhen` processes: no traceback reaches the real stderr, no raw
control byte the real stdout; and single-line inputs align and check under a memory cap."""

from __future__ import annotations

import os
import random
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from hostile import generators as gen
from hostile.conftest import BUSY_TIMEOUT
from hostile.databases import garble_pages, poison_database, write_lock
from hostile.harness import Outcome

# What only a real process shows: its real stdout and stderr, its exit, a memory cap.
pytestmark = pytest.mark.subprocess

SOURCE_ROOT = Path(__file__).resolve().parents[2] / "src"


def _environment(home: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in ("ZHEN_DB", "ZHEN_DEBUG")}
    env["PYTHONPATH"] = os.pathsep.join([str(SOURCE_ROOT), env.get("PYTHONPATH", "")]).rstrip(
        os.pathsep
    )
    for name in ("DATA", "STATE", "CACHE", "CONFIG"):
        env[f"XDG_{name}_HOME"] = str(home / name.lower())
    env.update(ZHEN_BUSY_TIMEOUT=BUSY_TIMEOUT, LC_ALL="C.UTF-8", OPENBLAS_NUM_THREADS="1")
    return env


def run_process(ws, argv, *, ok=(0,), expect=None, reads=False, memory_cap: int | None = None):
    """Run `python -m zhen` and hold the real process's output to the workspace contract."""

    def limit_memory() -> None:
        if memory_cap:
            resource.setrlimit(resource.RLIMIT_AS, (memory_cap, memory_cap))

    before = ws.snapshot()
    result = subprocess.run(
        [sys.executable, "-m", "zhen", *map(str, argv)],
        capture_output=True,
        env=_environment(ws.root.parent / "env"),
        cwd=ws.root,
        timeout=600,
        preexec_fn=limit_memory if memory_cap else None,
    )
    outcome = Outcome(
        [str(arg) for arg in argv],
        result.returncode,
        result.stdout.decode("utf-8", "replace"),
        result.stderr.decode("utf-8", "replace"),
        workspace=ws.root,
    )
    if result.returncode < 0:
        ws.problem(f"{outcome.command}: KILLED by signal {-result.returncode}")
    ws.judge(outcome, before, ws.snapshot(), ok=ok, expect=expect, reads=reads, message=None)
    return outcome


def test_entity_attack_as_a_process(ws, listener, canaries) -> None:
    path = ws.write("attack.tmx", gen.attacked("tmx", "xxe-passwd", *canaries, listener.url))
    run_process(ws, ["tm", "import", path, "--db", ws.db], expect="error")
    ws.verify()


def test_undefined_entity_in_tbx_as_a_process(ws, listener, canaries) -> None:
    text = gen.attacked("tbx2", "external-dtd-undefined-entity", *canaries, listener.url)
    run_process(
        ws, ["glossary", "import", ws.write("attack.tbx", text), "--db", ws.db], expect="error"
    )
    ws.verify()


def test_garbled_database_as_a_process(ws) -> None:
    garble_pages(ws.db, "pages")
    run_process(ws, ["tm", "stats", "--db", ws.db], expect="error")
    ws.verify()


def test_missing_database_as_a_process(ws) -> None:
    run_process(ws, ["lookup", "人民", "--db", ws.root / "nowhere" / "client.db"], expect="error")
    ws.verify()


def test_output_directory_as_a_process(ws) -> None:
    (ws.outputs / "folder.tmx").mkdir()
    run_process(
        ws, ["tm", "export", ws.outputs / "folder.tmx", "--db", ws.db], expect="error", reads=True
    )
    ws.verify()


def test_locked_database_as_a_process(ws) -> None:
    with write_lock(ws.db):
        run_process(ws, ["glossary", "add", "新词", "new word", "--db", ws.db], expect="error")
    ws.verify()


def test_stored_escape_reaches_no_real_terminal(ws) -> None:
    poison_database(ws.db, gen.SINGLE_PAYLOADS["osc52-clipboard"] + gen.SINGLE_PAYLOADS["c1-csi"])
    run_process(ws, ["lookup", "人民", "--db", ws.db], reads=True)
    run_process(ws, ["glossary", "list", "--db", ws.db], reads=True)
    ws.verify()


# --------------------------------------------------------------------------- bounded memory

MEMORY_CAP = 1536 << 20  # address space, not RSS: the interpreter and its libraries count too
_ZH_CHARACTERS = "人民国家经济合作发展会议政府建设领导人民代表大会中国共产党中央委员会"


def _single_line_texts(ws, size: int) -> tuple[Path, Path]:
    """A Chinese text of `size` bytes with no punctuation, and an English one of the same size."""
    rng = random.Random(11)
    zh = "".join(rng.choice(_ZH_CHARACTERS) for _ in range(size // 3))
    words = ("the", "people", "of", "china", "development", "cooperation", "and", "congress")
    en = " ".join(rng.choice(words) for _ in range(size // 7))
    return ws.write("long.zh.txt", zh + "\n"), ws.write("long.en.txt", en + "\n")


@pytest.mark.slow
@pytest.mark.parametrize("command", ["align", "check"])
def test_single_line_input_under_a_memory_cap(ws, command) -> None:
    """300 KB without punctuation: aligned/checked or refused in one line within 1.5 GB of
    address space, never a numpy ArrayMemoryError (issue 14: ~4 GB per MB of input)."""
    zh, en = _single_line_texts(ws, 300_000)
    if command == "align":
        argv, ok, reads = ["align", zh, en, "-o", ws.outputs / "long.tmx"], (0,), False
    else:
        argv, ok, reads = ["check", zh, en, "--db", ws.db], (0, 1), True
    run_process(ws, argv, ok=ok, reads=reads, memory_cap=MEMORY_CAP)
    ws.verify()

"""The `zhen` entry point: help, version, and the one-line error contract."""

from __future__ import annotations

from pathlib import Path

from zhen import __version__
from zhen.fileutil import atomic_output


def test_version(run_zhen) -> None:
    result = run_zhen("--version")
    assert result.returncode == 0
    assert __version__ in result.stdout


def test_no_command_prints_help_and_exits_2(run_zhen) -> None:
    result = run_zhen()
    assert result.returncode == 2
    assert "usage: zhen" in result.stderr


def test_every_subcommand_has_help(run_zhen) -> None:
    help_text = run_zhen("--help").stdout
    for command in ("align", "build", "tm", "lookup", "glossary", "check", "tui"):
        assert command in help_text, command


def test_input_error_is_one_line_without_traceback(run_zhen, tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    result = run_zhen("align", missing, "-o", tmp_path / "out.tmx")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("zhen: error:")
    assert not (tmp_path / "out.tmx").exists()


def test_atomic_output_leaves_target_untouched_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("original", encoding="utf-8")
    try:
        with atomic_output(target, "w", encoding="utf-8") as handle:
            handle.write("half-written")
            raise RuntimeError("disk full")
    except RuntimeError:
        pass
    assert target.read_text(encoding="utf-8") == "original"
    assert list(tmp_path.iterdir()) == [target]


def test_atomic_output_replaces_target(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    with atomic_output(target, "w", encoding="utf-8") as handle:
        handle.write("new")
    assert target.read_text(encoding="utf-8") == "new"


def test_atomic_output_gives_ordinary_permissions(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.txt"
    with atomic_output(fresh, "w", encoding="utf-8") as handle:
        handle.write("x")
    assert fresh.stat().st_mode & 0o044, (
        "a new file must be readable by others like open() makes it"
    )
    kept = tmp_path / "kept.txt"
    kept.write_text("old", encoding="utf-8")
    kept.chmod(0o640)
    with atomic_output(kept, "w", encoding="utf-8") as handle:
        handle.write("new")
    assert kept.stat().st_mode & 0o777 == 0o640

"""The `zhen` command: parses arguments, calls the core, turns every failure into one line."""

from __future__ import annotations

import argparse
import importlib
import itertools
import os
import sqlite3
import sys
import tempfile
import traceback
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NoReturn

from zhen.cli import console
from zhen.cli.common import finish_created
from zhen.cli.signals import Stopped, stopping_cleanly
from zhen.errors import ZhenError
from zhen.text.safetext import json_text, visible
from zhen.version import __version__

# EX_SOFTWARE of sysexits.h: scripts can tell a bug in zhen from a problem with their input.
BUG_EXIT_CODE = 70

# Whether this run's errors are JSON lines (`--json` given); set by `main` before parsing, so
# that a usage error of argparse is one too.
_json_errors = False

# One module per command group, each with a `register(subparsers)`; listed in `zhen --help` order.
COMMAND_MODULES = ("align", "check", "completion", "db", "glossary", "init", "lookup", "tm", "tui")


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser; each module in `zhen.cli` registers its own subcommands."""
    parser = _Parser(
        prog="zhen",
        description="Chinese→English terminology and translation memory: "
        "align, glossary, lookup, export, check.",
    )
    parser.add_argument("--version", action="version", version=f"zhen {__version__}")
    console.add_color_option(parser, top_level=True)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"zhen.cli.{name}").register(subparsers)
    for command in _subcommand_parsers(parser):
        # Also after the subcommand (`zhen lookup X --color never`), where options usually go.
        console.add_color_option(command, top_level=False)
    return parser


class _Parser(argparse.ArgumentParser):
    """argparse's parser, whose usage errors are a JSON line when the run asked for JSON."""

    def error(self, message: str) -> NoReturn:
        if not _json_errors:
            super().error(message)
        print(json_text({"error": f"{self.prog}: {message}"}), file=sys.stderr)
        sys.exit(2)


def _asks_for_json(argv: Sequence[str]) -> bool:
    """Whether the command line holds `--json` (or check's `--format json`) as an option."""
    words = list(argv)
    options = words[: words.index("--")] if "--" in words else words
    pairs = itertools.pairwise(options)
    return "--json" in options or "--format=json" in options or ("--format", "json") in pairs


def _subcommand_parsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    """Every parser below `parser`: the commands, their subcommands, and so on."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for command in dict.fromkeys(action.choices.values()):  # aliases share one
                yield command
                yield from _subcommand_parsers(command)


def main(argv: Sequence[str] | None = None) -> int:
    """Run zhen; return the exit code (0 ok, 1 check found problems, 2 usage or input error).

    Nothing a user does or meets (bad input, a full disk, a locked database) shows a traceback:
    it is one `zhen: error:` line and exit 2. Anything else is a bug in zhen: one line saying so
    and where the traceback was saved (exit 70), or the traceback itself with ZHEN_DEBUG=1.
    """
    global _json_errors
    _json_errors = _asks_for_json(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    # What the parsed options say wins over the guess (a query may be the word "--json").
    _json_errors = bool(getattr(args, "json", False) or getattr(args, "format", None) == "json")
    console.set_color_mode(args.color)
    if not getattr(args, "handler", None):
        parser.print_help(sys.stderr)
        return 2
    if getattr(args, "own_signals", False):
        code = _run(args)
    else:
        with stopping_cleanly():
            code = _run(args)
    # The user's own database, if this run made it: announced on success, removed on failure.
    finish_created(succeeded=code in (0, 1))
    return code


def _run(args: argparse.Namespace) -> int:
    """The command's exit code, every failure turned into one line on stderr."""
    try:
        code = int(args.handler(args) or 0)
        # A reader that went away shows up here, not as noise when the interpreter exits.
        sys.stdout.flush()
        return code
    except ZhenError as exc:
        return _fail(str(exc), exc.exit_code)
    except KeyboardInterrupt:
        return _fail("interrupted", 130, prefix="zhen: ")
    except Stopped as stopped:
        return _fail(f"stopped by {stopped.name}", 128 + stopped.signum, prefix="zhen: ")
    except BrokenPipeError:
        # The reader (e.g. `head`) went away; nothing more to say.
        _discard_stdout()
        return 0
    except OSError as exc:
        return _fail(_os_error_message(exc))
    except sqlite3.Error as exc:
        return _fail(f"database error: {exc}")
    except MemoryError:
        return _fail("out of memory: input too large")
    except UnicodeError as exc:
        return _fail(f"cannot decode or encode text: {exc}")
    except Exception as exc:
        if _is_xml_error(exc):
            return _fail(f"XML error: {exc}")
        return _report_bug(exc)


def _report_bug(exc: Exception) -> int:
    """One line naming the bug and the file holding its traceback; the traceback if ZHEN_DEBUG."""
    if os.environ.get("ZHEN_DEBUG", "") not in ("", "0"):
        traceback.print_exception(exc, file=sys.stderr)
        return BUG_EXIT_CODE
    details = "".join(traceback.format_exception(exc))
    saved = _save_traceback(
        f"zhen {__version__}, Python {sys.version.split()[0]}, argv {sys.argv!r}\n\n{details}"
    )
    summary = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
    where = f"the traceback is in {saved}" if saved else "the traceback follows"
    _fail(
        f"internal error (a bug in zhen): {summary}; {where}; "
        "please report it (ZHEN_DEBUG=1 prints it here)",
        prefix="zhen: ",
    )
    if not saved:
        print(details, end="", file=sys.stderr)
    return BUG_EXIT_CODE


def _save_traceback(text: str) -> str | None:
    """Write text to a new private file in the user's cache (or temp) folder; its path or None."""
    from platformdirs import user_cache_path

    for folder in (
        user_cache_path("zhen", appauthor=False) / "crashes",
        Path(tempfile.gettempdir()),
    ):
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            # mkstemp creates the file readable by its owner only: a traceback may quote input.
            handle, name = tempfile.mkstemp(prefix="zhen-crash-", suffix=".txt", dir=folder)
            with os.fdopen(handle, "w", encoding="utf-8", errors="backslashreplace") as out:
                out.write(text)
        except OSError:
            continue
        return name
    return None


def _fail(message: str, exit_code: int = 2, *, prefix: str = "zhen: error: ") -> int:
    """Print the one line of a failure, `{"error": …}` under --json; return `exit_code`."""
    if _json_errors:
        print(json_text({"error": message}), file=sys.stderr)
    else:
        print(f"{prefix}{visible(message)}", file=sys.stderr)
    return exit_code


def _os_error_message(exc: OSError) -> str:
    reason = exc.strerror or str(exc)
    if exc.filename is None:
        return reason
    if exc.filename2 is not None:
        return f"{exc.filename} -> {exc.filename2}: {reason}"
    return f"{exc.filename}: {reason}"


def _is_xml_error(exc: Exception) -> bool:
    # lxml is imported only by the commands that read XML; an error of it implies it is loaded.
    etree = sys.modules.get("lxml.etree")
    return etree is not None and isinstance(exc, etree.Error)


def _discard_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass  # stdout is not a file descriptor (a test's capture): nothing to flush at exit


if __name__ == "__main__":
    sys.exit(main())

"""The `zhen` command: parses arguments, calls the core, turns ZhenError into exit code 2."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

from zhen import __version__, commands
from zhen.errors import ZhenError
from zhen.safetext import visible


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser; each module in `zhen.commands` registers its own subcommands."""
    parser = argparse.ArgumentParser(
        prog="zhen",
        description="Chinese→English terminology and translation memory: "
        "align, glossary, lookup, export, check.",
    )
    parser.add_argument("--version", action="version", version=f"zhen {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"zhen.commands.{module_info.name}")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run zhen; return the exit code (0 ok, 1 check found problems, 2 usage or input error)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.handler(args) or 0)
    except ZhenError as exc:
        print(visible(f"zhen: error: {exc}"), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("zhen: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader (e.g. `head`) went away; nothing more to say.
        return 0


if __name__ == "__main__":
    sys.exit(main())

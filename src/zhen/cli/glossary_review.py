"""`zhen glossary review`: one key per proposal on a terminal, one line each from a pipe."""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from typing import Any

from zhen.cli.common import open_db
from zhen.cli.glossary_display import print_entry
from zhen.errors import GlossaryError
from zhen.models import StoredTerm
from zhen.text.safetext import visible


def _ask(prompt: str) -> str | None:
    """One answer from stdin (prompt on stderr so piped output stays clean); None at EOF."""
    print(prompt, end="", file=sys.stderr, flush=True)
    line = sys.stdin.readline()
    return None if not line else line.rstrip("\n")


class _Answers:
    """A reviewer's answers: on a terminal one key press each, without Enter (the terminal is
    in cbreak mode for the whole session, so keys typed ahead are not held back as a line);
    from a pipe, one line each."""

    def __init__(self) -> None:
        self._descriptor: int | None = None
        self._saved: list[Any] | None = None
        try:
            import termios  # noqa: F401  (POSIX only: elsewhere answers are lines)

            descriptor = sys.stdin.fileno()
            if os.isatty(descriptor):
                self._descriptor = descriptor
        except (ImportError, AttributeError, OSError, ValueError):  # no terminal to read keys
            pass

    def __enter__(self) -> _Answers:
        if self._descriptor is not None:
            import termios

            self._saved = termios.tcgetattr(self._descriptor)
            self._single_keys()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._lines()

    def _single_keys(self) -> None:
        import tty

        if self._descriptor is not None:
            # cbreak, not raw: ctrl+c still interrupts.
            tty.setcbreak(self._descriptor)

    def _lines(self) -> None:
        import termios

        if self._descriptor is not None and self._saved is not None:
            termios.tcsetattr(self._descriptor, termios.TCSADRAIN, self._saved)

    def key(self, prompt: str) -> str | None:
        """One key (a line from a pipe); None at the end of the input."""
        if self._descriptor is None:
            return _ask(prompt)
        print(prompt, end="", file=sys.stderr, flush=True)
        key = os.read(self._descriptor, 16).decode("utf-8", "replace")
        eof = not key or key == "\x04"
        print("" if eof else visible(key.strip()), file=sys.stderr, flush=True)
        return None if eof else key

    def line(self, prompt: str) -> str | None:
        """A line typed and ended with Enter (the English of an edit)."""
        self._lines()
        try:
            return _ask(prompt)
        finally:
            self._single_keys()

    def decision(self) -> str:
        """A decision, asked again until it is one; `quit` at the end of the input."""
        # Imported here: the review goes through the store, which loads numpy; --help must not.
        from zhen.glossary.review import parse_decision

        while True:
            answer = self.key("accept, reject, edit, skip, undo, delete, quit? [a/r/e/s/u/d/q] ")
            if answer is None:
                return "quit"
            if not answer.strip():
                continue
            try:
                return parse_decision(answer)
            except GlossaryError as exc:
                print(f"  {exc}", file=sys.stderr)


def run_review(args: argparse.Namespace) -> int:
    """`zhen glossary review`: one key per proposal (a/r/e/s/d), `u` takes the last one back."""
    # Imported here: the review goes through the store, which loads numpy; --help must not.
    from zhen.glossary.review import ReviewTally

    tally = ReviewTally()
    with open_db(args) as db, _Answers() as answers:
        proposals = db.terms("proposed")
        if not proposals:
            print("no proposed terms to review")
            return 0
        # (position, the entry before the decision, the decision) of each decision taken.
        taken: list[tuple[int, StoredTerm, str]] = []
        position = 0
        while position < len(proposals):
            term = proposals[position]
            print(f"[{position + 1}/{len(proposals)}]")
            print_entry(term)
            decision = answers.decision()
            if decision == "quit":
                break
            if decision == "undo":
                if not taken:
                    print("  nothing to undo", file=sys.stderr)
                    continue
                position, before, undone = taken.pop()
                proposals[position] = db.undo_review(before, undone, tally=tally)
                print(visible(f"  ↶ {undone} of {before.zh} undone"))
                continue
            revision = None
            if decision == "edit":
                new_en = answers.line(visible(f"English for {term.zh} [{term.en}]: ")) or term.en
                revision = dataclasses.replace(term, en=new_en)
            db.review(term.id, decision, revision=revision, tally=tally)
            taken.append((position, term, decision))
            print(f"  → {decision}")
            position += 1
    print(tally.summary())
    return 0

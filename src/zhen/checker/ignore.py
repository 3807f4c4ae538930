"""Ignore lists: flags a reviewer accepted as false positives, keyed to survive re-segmentation.

A flag is keyed by what raised it, not by where it is: its kind, its source sentence normalised
(width, Simplified script, case, spaces), the term, expected and found values it names, and the
offending part of the target (each target span with a few characters either side). So the key
survives other sentences being split, merged or edited, and a flagged sentence's target edited
away from the offending part; it stops matching when the source sentence changes or the
offending part of its target does. The file format and the rule are in docs/check.md.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from zhen.checker.render import issue_label
from zhen.checker.report import KINDS, CheckReport, Issue
from zhen.errors import CheckError
from zhen.io.output import atomic_output
from zhen.text.normalize import normalize_zh
from zhen.text.safetext import json_text

FORMAT_NAME = "zhen-ignore"
VERSION = 1
# Bounds on a file that may come from someone else: its size and the length of one line.
MAX_BYTES = 16 * 1024 * 1024
MAX_LINE_CHARS = 200_000
# Characters of the target kept either side of an offending span: enough to tell two double
# spaces in one sentence apart, few enough that an edit elsewhere in the sentence is not a change.
EVIDENCE_CONTEXT = 8
_KEY_FIELDS = ("kind", "source", "term", "expected", "found", "evidence")
_NOTE_FIELDS = ("location", "message")  # written for the reader of the file; never matched


@dataclass(frozen=True, slots=True)
class IgnoreEntry:
    """One accepted flag: the fields it is matched on, and a location and message for a reader."""

    kind: str
    source: str
    term: str | None
    expected: str | None
    found: str | None
    evidence: str
    location: str = ""
    message: str = ""

    @property
    def key(self) -> tuple[str | None, ...]:
        """What two flags must share to be the same flag (the notes are left out)."""
        return (self.kind, self.source, self.term, self.expected, self.found, self.evidence)

    def to_json(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _KEY_FIELDS + _NOTE_FIELDS}


def entry_for(issue: Issue) -> IgnoreEntry:
    """The ignore-list entry that matches `issue` (and its reruns; see the module docstring)."""
    return IgnoreEntry(
        kind=str(issue.kind),
        source=normalize_zh(issue.source),
        term=issue.term,
        expected=issue.expected,
        found=issue.found,
        evidence=_evidence(issue),
        location=issue_label(issue),
        message=issue.message,
    )


def _evidence(issue: Issue) -> str:
    """The target's offending spans with a little context, in order ("" when none is marked)."""
    target = issue.target or ""
    pieces = [
        target[max(0, start - EVIDENCE_CONTEXT) : end + EVIDENCE_CONTEXT]
        for start, end in sorted(issue.spans.get("target", []))
    ]
    return "\u2026".join(pieces)


class IgnoreList:
    """The entries of an ignore file, in file order, matched by key."""

    def __init__(self, entries: Iterable[IgnoreEntry] = ()) -> None:
        self.entries: list[IgnoreEntry] = []
        self._keys: set[tuple[str | None, ...]] = set()
        for entry in entries:
            self.add_entry(entry)

    def __len__(self) -> int:
        return len(self.entries)

    def add_entry(self, entry: IgnoreEntry) -> bool:
        """Add `entry` unless one with its key is there; True when added."""
        if entry.key in self._keys:
            return False
        self._keys.add(entry.key)
        self.entries.append(entry)
        return True

    def add(self, issue: Issue) -> bool:
        """Accept `issue` as a false positive; True when it was not accepted already."""
        return self.add_entry(entry_for(issue))

    def ignores(self, issue: Issue) -> bool:
        """True when `issue` matches an entry."""
        return entry_for(issue).key in self._keys

    def apply(self, report: CheckReport) -> CheckReport:
        """The report without the ignored issues, `ignored` counting them (added to any before)."""
        kept = [issue for issue in report.issues if not self.ignores(issue)]
        dropped = len(report.issues) - len(kept)
        return replace(report, issues=kept, ignored=report.ignored + dropped)

    def with_issues(self, issues: Iterable[Issue]) -> IgnoreList:
        """A copy holding these entries and then one for each of `issues` not already held."""
        merged = IgnoreList(self.entries)
        for issue in issues:
            merged.add(issue)
        return merged

    def text(self) -> str:
        """The file's text: the header line, then one JSON object a line."""
        header = json_text({"format": FORMAT_NAME, "version": VERSION})
        return "".join(f"{line}\n" for line in [header, *map(json_text, self._json_entries())])

    def _json_entries(self) -> Iterable[dict[str, Any]]:
        return (entry.to_json() for entry in self.entries)

    def write(self, path: Path | str, *, inputs: Iterable[Path | str | None] = ()) -> None:
        """Write the file whole or not at all (OutputError when it cannot be written)."""
        with atomic_output(path, "w", encoding="utf-8", inputs=inputs) as out:
            out.write(self.text())


def read_ignore_file(path: Path | str) -> IgnoreList:
    """Read an ignore file; CheckError (one line, with the line number) for anything wrong."""
    shown = str(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise CheckError(f"{shown}: cannot read the ignore file: {exc.strerror or exc}") from None
    except ValueError as exc:  # a NUL byte in the name
        raise CheckError(f"{shown!r}: {exc}") from None
    if len(data) > MAX_BYTES:
        raise CheckError(f"{shown}: not an ignore file: larger than {MAX_BYTES // 2**20} MiB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad_line = data.count(b"\n", 0, exc.start) + 1
        raise CheckError(f"{shown}:{bad_line}: not an ignore file: not UTF-8 text") from None
    lines = text.split("\n")
    _check_header(shown, lines[0])
    ignore_list = IgnoreList()
    for number, line in enumerate(lines[1:], start=2):
        if line.strip():
            ignore_list.add_entry(_parse_entry(shown, number, line))
    return ignore_list


def _check_header(shown: str, line: str) -> None:
    header = _json_object(shown, 1, line, f'expected the header {{"format": "{FORMAT_NAME}", …}}')
    if header.get("format") != FORMAT_NAME:
        raise CheckError(f'{shown}:1: not an ignore file: no "format": "{FORMAT_NAME}" header')
    version = header.get("version")
    if version != VERSION:
        raise CheckError(
            f"{shown}:1: ignore file version {json_text(version)[:20]} is not supported "
            f"(this zhen reads version {VERSION})"
        )


def _parse_entry(shown: str, number: int, line: str) -> IgnoreEntry:
    fields = _json_object(shown, number, line, "expected one JSON object a line")
    kind = fields.get("kind")
    if kind not in KINDS:
        raise CheckError(f"{shown}:{number}: unknown issue kind {json_text(kind)[:40]}")
    values: dict[str, Any] = {"kind": kind}
    for name in ("source", "evidence", *_NOTE_FIELDS):
        value = fields.get(name, "")
        if not isinstance(value, str):
            raise CheckError(f"{shown}:{number}: {name!r} must be a string")
        values[name] = value
    for name in ("term", "expected", "found"):
        value = fields.get(name)
        if value is not None and not isinstance(value, str):
            raise CheckError(f"{shown}:{number}: {name!r} must be a string or null")
        values[name] = value
    # A hand-edited source sentence matches once normalised as the checker normalises it.
    values["source"] = normalize_zh(values["source"])
    return IgnoreEntry(**values)


def _json_object(shown: str, number: int, line: str, expected: str) -> dict[str, Any]:
    if len(line) > MAX_LINE_CHARS:
        raise CheckError(
            f"{shown}:{number}: not an ignore file: a line over {MAX_LINE_CHARS} chars"
        )
    try:
        value = json.loads(line)
    except (ValueError, RecursionError):
        raise CheckError(f"{shown}:{number}: not an ignore file: {expected}") from None
    if not isinstance(value, dict):
        raise CheckError(f"{shown}:{number}: not an ignore file: {expected}")
    return value

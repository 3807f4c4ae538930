"""`zhen glossary extract`: propose terms from aligned pairs, with progress on a terminal."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

from zhen import glossary
from zhen.cli import console
from zhen.cli.common import open_db
from zhen.cli.glossary_display import print_json
from zhen.errors import InputError
from zhen.models import TranslationUnit
from zhen.text.safetext import visible

if TYPE_CHECKING:
    from zhen.database import Database
    from zhen.glossary.extract.shown import ShownTerm
    from zhen.glossary.extract.stream import Progress


def _since_stamp(value: str) -> str:
    """The ISO timestamp of midnight UTC on DATE, as imports record their time."""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise InputError(f"--since {value!r}: give a date as YYYY-MM-DD") from None
    return f"{day.isoformat()}T00:00:00Z"


def _extraction_units(args: argparse.Namespace, db: Database) -> Iterator[TranslationUnit]:
    yield from glossary.iter_units_from_files(args.files)
    if args.db_units:
        yield from db.iter_units()


def _show_extraction(bar: console.ProgressBar) -> Progress:
    """A progress callback drawing `bar`: the stage, its pairs done and its pairs per second."""
    started: dict[str, float] = {}

    def show(stage: str, done: int, total: int | None) -> None:
        elapsed = time.perf_counter() - started.setdefault(stage, time.perf_counter())
        rate = f"  {done / elapsed:,.0f} pairs/s" if elapsed > 0 else ""
        bar.update(done, total or done, f"{stage}: {done:,} pairs{rate}")

    return show


def _remove_abandoned_scratch() -> None:
    """Remove the scratch folders runs killed outright left behind (up to gigabytes each), and
    say so: the one cleanup such a run could not do for itself."""
    from zhen.glossary.extract.stream import remove_abandoned_folders

    removed = remove_abandoned_folders()
    if removed:
        size = sum(bytes_ for _, bytes_ in removed) / 1e6
        names = ", ".join(path.name for path, _ in removed)
        print(
            visible(
                f"zhen: removed {len(removed)} scratch folder(s) of extraction runs that were "
                f"killed ({size:,.1f} MB in {tempfile.gettempdir()}: {names})"
            ),
            file=sys.stderr,
        )


def run_extract(args: argparse.Namespace) -> int:
    """`zhen glossary extract`."""
    if not args.files and not args.db_units:
        raise InputError("give files of aligned pairs, or --db-units for the pairs in the database")
    if args.since is not None and not args.db_units:
        raise InputError("--since needs --db-units: it picks the pairs imported into the database")
    if args.workers < 1:
        raise InputError("--workers: give 1 or more")
    stamp = None if args.since is None else _since_stamp(args.since)
    _remove_abandoned_scratch()
    min_score = glossary.DISPLAY_SCORE if args.min_score is None else args.min_score
    # Every candidate is held only when every candidate is printed.
    floor = min_score
    if args.json and args.all:
        floor = args.min_score if args.min_score is not None else float("-inf")
    with open_db(args, readonly=not args.save) as db:
        fresh = None
        if stamp is not None:
            new_ids = db.unit_ids_imported_since(stamp)
            fresh = lambda unit: unit.id in new_ids  # noqa: E731 (a predicate, named once)
        with console.progress_bar("extracting", min_total=1000) as bar:
            candidates, found = glossary.best_candidates(
                _extraction_units(args, db),
                db.terms(),
                min(floor, min_score),
                workers=args.workers,
                fresh=fresh,
                progress=_show_extraction(bar),
            )
        saved = db.save_candidates(candidates, min_score=min_score) if args.save else 0
    shown = glossary.shown_terms(candidates, min_score)
    if args.json:
        if args.all:
            print_json([c.to_json() for c in candidates if c.score >= floor])
        else:
            print_json([_shown_json(term) for term in shown])
        return 0
    for term in shown:
        candidate = term.best
        mark = f"known, {candidate.known_status}" if candidate.known else "new"
        also = "; ".join(f"{other.en} {other.score:.2f}" for other in term.others)
        line = (
            f"{candidate.score:5.2f}  {candidate.kind:<12} {candidate.zh}  →  {candidate.en}"
            f"  [{mark}; {candidate.count}×; {candidate.source}]"
            + (f"  (also: {also})" if also else "")
        )
        print(visible(line))
    new = sum(1 for term in shown if not term.best.known)
    print(
        f"{len(shown)} terms shown (score ≥ {min_score}) of {found} candidates "
        f"found: {new} new, {len(shown) - new} already in the glossary"
        + (f"; {saved} saved as proposed" if args.save else ""),
        file=sys.stderr,
    )
    return 0


def _shown_json(term: ShownTerm) -> dict:
    """A shown proposal: its best rendering, with the other renderings shown beside it."""
    return {**term.best.to_json(), "also": [other.to_json() for other in term.others]}

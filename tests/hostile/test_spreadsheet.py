"""Spreadsheet-safe exports: no CSV, TSV or OmegaT cell starts a formula, and zhen's own importers
restore the original text, so an export → import round trip is exact (OWASP CSV injection)."""

from __future__ import annotations

import csv
import io
import json

import pytest

from hostile import generators as gen
from hostile.conftest import create_empty_database
from hostile.harness import stored_texts

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# One entry with a formula in every field, one with texts that only look like escaped formulas.
FORMULA_TERM, LOOKALIKE_TERM = "公式注入", "引号文本"


def _add_hostile_terms(ws) -> None:
    f = gen.FORMULAS
    ws.run(
        [
            "glossary",
            "add",
            f"--variant={f['variant']}",
            f"--forbid={f['forbidden']}",
            f"--note={f['note']}",
            f"--domain={f['domain']}",
            f"--source={f['source']}",
            "--db",
            ws.db,
            "--",
            FORMULA_TERM,
            f["en"],
        ],
        expect="success",
    )
    first, second, third = gen.QUOTED_LOOKALIKES
    ws.run(
        [
            "glossary",
            "add",
            f"--note={second}",
            f"--variant={third}",
            "--db",
            ws.db,
            "--",
            LOOKALIKE_TERM,
            first,
        ],
        expect="success",
    )


def _cells(path, fmt: str) -> list[list[str]]:
    text = path.read_text(encoding="utf-8-sig")
    if fmt == "csv":
        return list(csv.reader(io.StringIO(text)))
    return [line.split("\t") for line in text.split("\n") if line]


def _entry(ws, db, zh: str) -> dict:
    outcome = ws.run(["glossary", "show", zh, "--json", "--db", db], reads=True, expect="success")
    entries = json.loads(outcome.stdout or "[]")
    return entries[0] if entries else {}


# Fields each format carries across a round trip.
CARRIED = {
    "csv": ("en", "variants", "forbidden", "note", "domain", "sources"),
    "tsv": ("en", "variants", "forbidden", "note", "domain", "sources"),
    "omegat": ("en", "variants", "forbidden", "note"),
}
SUFFIX = {"csv": ".csv", "tsv": ".tsv", "omegat": ".txt"}


@pytest.mark.parametrize("fmt", sorted(CARRIED))
def test_glossary_export_neutralises_formulas(ws, fmt) -> None:
    _add_hostile_terms(ws)
    out = ws.outputs / f"glossary{SUFFIX[fmt]}"
    ws.run(
        ["glossary", "export", out, "--format", fmt, "--db", ws.db], reads=True, expect="success"
    )
    for number, row in enumerate(_cells(out, fmt), 1):
        for cell in row:
            if cell.startswith(FORMULA_STARTS):
                ws.problem(f"{out.name}:{number}: FORMULA CELL {cell!r}")
    ws.verify()


@pytest.mark.parametrize("fmt", sorted(CARRIED))
def test_glossary_round_trip_restores_formula_text(ws, fmt) -> None:
    _add_hostile_terms(ws)
    out = ws.outputs / f"glossary{SUFFIX[fmt]}"
    ws.run(
        ["glossary", "export", out, "--format", fmt, "--db", ws.db], reads=True, expect="success"
    )
    fresh = ws.db_dir / "fresh.db"
    create_empty_database(fresh)
    ws.run(["glossary", "import", out, "--format", fmt, "--db", fresh], expect="success")
    for zh in (FORMULA_TERM, LOOKALIKE_TERM):
        before, after = _entry(ws, ws.db, zh), _entry(ws, fresh, zh)
        for field in CARRIED[fmt]:
            if before.get(field) != after.get(field):
                ws.problem(f"{zh} {field}: ROUND TRIP {before.get(field)!r} → {after.get(field)!r}")
    ws.verify()


FORMULA_SENTENCE = '=HYPERLINK("http://evil.example/","The meeting will last a week.")'


def test_aligned_tsv_is_spreadsheet_safe_and_reimports_exactly(ws) -> None:
    """`align -o x.tsv` is an export too: cells neutralised, and `tm import` restores them."""
    english = ws.write(
        "formula.en.txt", gen.EN_TEXT.replace("The meeting will last a week.", FORMULA_SENTENCE)
    )
    out = ws.outputs / "aligned.tsv"
    ws.run(["align", ws.zh_txt, english, "-o", out], expect="success")
    for number, row in enumerate(_cells(out, "tsv"), 1):
        for cell in row:
            if cell.startswith(FORMULA_STARTS):
                ws.problem(f"{out.name}:{number}: FORMULA CELL {cell!r}")
    fresh = ws.db_dir / "fresh.db"
    create_empty_database(fresh)
    ws.run(["tm", "import", out, "--db", fresh], expect="success")
    stored = {value for _, column, value in stored_texts(fresh) if column == "en"}
    if not any(FORMULA_SENTENCE in value for value in stored):
        ws.problem(
            f"ROUND TRIP: {FORMULA_SENTENCE!r} not stored as written; stored: {sorted(stored)}"
        )
    ws.verify()

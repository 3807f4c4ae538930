"""`zhen glossary extract` reads every format `zhen tm import` reads, lists the shown proposals
as JSON (every candidate only with --all), and proposes from new pairs only with --since."""

from __future__ import annotations

import io
import json
import re
import sqlite3
import time
from pathlib import Path

import pytest

from zhen import glossary
from zhen.cli import console
from zhen.cli.glossary_extract import _show_extraction
from zhen.io import tmx
from zhen.models import TranslationUnit

EXPECTED = Path(__file__).parent / "data" / "extract_expected"


def _pairs(count: int = 20, skip: int = 0) -> list[tuple[str, str]]:
    units = list(tmx.iter_units(EXPECTED / "xinhua.tmx"))[skip : skip + count]
    # One line each: a TSV or PO cell holds no line break.
    return [(" ".join(u.zh.split()), " ".join(u.en.split())) for u in units]


def _po_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _write(path: Path, pairs: list[tuple[str, str]]) -> Path:
    if path.suffix == ".tmx":
        tmx.write_tmx(path, [TranslationUnit(zh=zh, en=en) for zh, en in pairs])
    elif path.suffix == ".tsv":
        path.write_text("".join(f"{zh}\t{en}\n" for zh, en in pairs), encoding="utf-8")
    else:
        header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        body = "".join(f'msgid "{_po_text(zh)}"\nmsgstr "{_po_text(en)}"\n\n' for zh, en in pairs)
        path.write_text(header + body, encoding="utf-8")
    return path


def _json(result) -> list[dict]:
    assert result.code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def every_candidate(tmp_path_factory) -> list[dict]:
    """The candidates of the pairs read from a TMX, as the library returns them."""
    path = _write(tmp_path_factory.mktemp("tmx") / "pairs.tmx", _pairs())
    return [c.to_json() for c in glossary.extract_candidates(glossary.units_from_files([path]))]


@pytest.mark.parametrize("suffix", [".tsv", ".po"])
def test_extract_reads_what_tm_import_reads(suffix, tmp_path, run_zhen, seeded_db, every_candidate):
    path = _write(tmp_path / f"pairs{suffix}", _pairs())
    found = _json(run_zhen("glossary", "extract", path, "--json", "--all", "--db", seeded_db))
    strip = ("known", "known_status")
    assert [{k: v for k, v in c.items() if k not in strip} for c in found] == [
        {k: v for k, v in c.items() if k not in strip} for c in every_candidate
    ]


def test_json_lists_the_shown_proposals_and_all_every_candidate(
    tmp_path, run_zhen, seeded_db, every_candidate
):
    path = _write(tmp_path / "pairs.tmx", _pairs())
    text = run_zhen("glossary", "extract", path, "--db", seeded_db)
    shown = _json(run_zhen("glossary", "extract", path, "--json", "--db", seeded_db))
    every = _json(run_zhen("glossary", "extract", path, "--json", "--all", "--db", seeded_db))
    assert len(shown) == len(text.stdout.splitlines()) == int(text.stderr.split()[0]) > 0
    assert len(every) == len(every_candidate) > len(shown)
    # The same proposals as the text view, in its order.
    listed = [line.split("  [")[0].split("  →  ") for line in text.stdout.splitlines()]
    assert [(c["zh"], c["en"]) for c in shown] == [(h.split()[-1], en) for h, en in listed]
    # Each Chinese term once, its other renderings beside it.
    assert len({c["zh"] for c in shown}) == len(shown)
    assert all("also" in c for c in shown)
    floor = _json(
        run_zhen("glossary", "extract", path, "--json", "--min-score", "0.9", "--db", seeded_db)
    )
    assert floor and all(c["score"] >= 0.9 for c in floor) and len(floor) < len(shown)


def test_a_file_extract_cannot_read_is_one_error_line(tmp_path, run_zhen, seeded_db):
    path = tmp_path / "pairs.tsv"
    path.write_bytes(b"\x00\xff\xfe garbage\n")
    result = run_zhen("glossary", "extract", path, "--db", seeded_db)
    assert result.code == 2 and result.stderr.startswith("zhen: error:")
    assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1
    missing = run_zhen("glossary", "extract", tmp_path / "none.tsv", "--db", seeded_db)
    assert missing.code == 2 and missing.stderr.startswith("zhen: error:")


def test_since_proposes_from_new_pairs_with_evidence_from_the_whole_tm(tmp_path, run_zhen, db_path):
    assert run_zhen("db", "init", "--empty", db_path).code == 0
    # Named so that the database reads the older pairs first (by origin).
    old = _write(tmp_path / "earlier.tsv", _pairs(40))
    new = _write(tmp_path / "later.tsv", _pairs(25, skip=40))
    assert run_zhen("tm", "import", old, "--db", db_path).code == 0
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE imports SET imported_at = '2020-05-01T10:00:00Z'")
    conn.close()
    assert run_zhen("tm", "import", new, "--db", db_path).code == 0
    every = _json(run_zhen("glossary", "extract", "--db-units", "--json", "--all", "--db", db_path))
    recent = _json(
        run_zhen(
            "glossary",
            "extract",
            "--db-units",
            "--since",
            "2021-01-01",
            "--json",
            "--all",
            "--db",
            db_path,
        )
    )
    new_texts = {zh for zh, _ in _pairs(25, skip=40)}
    assert 0 < len(recent) < len(every)
    # Only what the new pairs hold, scored as the whole TM scores it.
    by_pair = {(c["zh"], c["en"]): c for c in every}
    assert all(any(c["zh"] in text for text in new_texts) for c in recent)
    cited = ("source", "zh_context", "en_context")
    assert all(
        {k: v for k, v in by_pair[(c["zh"], c["en"])].items() if k not in cited}
        == {k: v for k, v in c.items() if k not in cited}
        for c in recent
    )
    # Each cites a new pair, even where an older pair holds it first.
    assert all(c["zh_context"] in new_texts for c in recent)
    assert any(by_pair[(c["zh"], c["en"])]["zh_context"] not in new_texts for c in recent)
    only_old = [c for c in every if not any(c["zh"] in text for text in new_texts)]
    assert only_old
    assert not {(c["zh"], c["en"]) for c in only_old} & {(c["zh"], c["en"]) for c in recent}
    bad = run_zhen("glossary", "extract", "--db-units", "--since", "May", "--db", db_path)
    assert bad.code == 2 and "YYYY-MM-DD" in bad.stderr


def test_progress_reports_each_stage_in_pairs():
    units = [TranslationUnit(zh=zh, en=en) for zh, en in _pairs(30)]
    seen: list[tuple[str, int, int | None]] = []
    glossary.extract_candidates(units, chunk_pairs=10, progress=lambda *update: seen.append(update))
    assert [s for s in seen if s[0] == "reading"][-1] == ("reading", 30, None)
    assert [s for s in seen if s[0] == "aligning"] == [
        ("aligning", 0, 30),
        ("aligning", 10, 30),
        ("aligning", 20, 30),
        ("aligning", 30, 30),
    ]


def test_the_progress_bar_shows_pairs_per_second_on_a_terminal():
    stream = io.StringIO()
    console.force_terminal(True)
    try:
        bar = console.ProgressBar("extracting", stream=stream)
        show = _show_extraction(bar)
        show("aligning", 0, 3000)
        time.sleep(0.05)
        show("aligning", 1000, 3000)
        bar.close()
    finally:
        console.force_terminal(None)
    assert "aligning: 1,000 pairs" in stream.getvalue()
    assert re.search(r"[\d,]+ pairs/s", stream.getvalue())

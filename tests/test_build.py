"""`zhen build`: the bundled TMX from tm/sources, byte-identical on every run, with a summary."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lxml import etree

from tests.support import REPO_ROOT, SOURCES, Result, run_cli

GLOSSARY = REPO_ROOT / "glossary" / "xinhua.tsv"
DTD_PATH = REPO_ROOT / "tests" / "data" / "tmx14.dtd"


def _checkout(tmp_path: Path) -> Path:
    """A folder laid out like a checkout: tm/sources and the curated glossary."""
    root = tmp_path / "checkout"
    shutil.copytree(SOURCES, root / "tm" / "sources")
    if GLOSSARY.exists():
        (root / "glossary").mkdir()
        shutil.copy(GLOSSARY, root / "glossary" / "xinhua.tsv")
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Result]:
    """One `zhen build` in a fresh checkout-like folder, shared by the tests that read it."""
    root = _checkout(tmp_path_factory.mktemp("build"))
    return root, _build(root)


def _build(root: Path, *args: str) -> Result:
    env = {"XDG_DATA_HOME": str(root / "xdg-data"), "ZHEN_DB": None}
    return run_cli(["build", *args], env=env, cwd=root)


def test_build_twice_is_byte_identical(built, tmp_path):
    first_root, first = built
    assert first.code == 0, first.stderr
    second_root = _checkout(tmp_path)
    second = _build(second_root)
    assert second.code == 0, second.stderr
    tmx = Path("tm") / "xinhua.tmx"
    assert (second_root / tmx).read_bytes() == (first_root / tmx).read_bytes()
    assert first.stdout == second.stdout
    tbx = Path("glossary") / "xinhua.tbx"
    if (first_root / tbx).exists():
        assert (second_root / tbx).read_bytes() == (first_root / tbx).read_bytes()


def test_build_summary_table_and_valid_tmx(built):
    root, result = built
    assert result.code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[:4] == ["document", "zh", "en", "pairs"]
    rows = {line.split()[0]: line for line in lines[1:]}
    assert set(rows) == {path.name for path in SOURCES.glob("*.txt")}
    assert "skipped: no English half" in rows["001_67d530ad41f9bba2.txt"]
    pairs_004 = int(rows["004_eb715c92c15eb68e.txt"].split()[3])
    assert pairs_004 >= 10
    tree = etree.parse(
        str(root / "tm" / "xinhua.tmx"),
        etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False),
    )
    dtd = etree.DTD(str(DTD_PATH))
    assert dtd.validate(tree), dtd.error_log.filter_from_errors()
    units = tree.findall("body/tu")
    pairs = sum(int(line.split()[3]) for line in lines[1:])
    repeats = sum(int(line.split()[4]) for line in lines[1:] if "skipped" not in line)
    assert len(units) == pairs - repeats
    assert f"wrote {len(units)} distinct pairs" in result.stderr
    texts = [tuple(seg.text for seg in tu.iter("seg")) for tu in units]
    assert len(set(texts)) == len(texts)
    # Dates come from the publication lines, not the clock.
    dates = {tu.get("creationdate") for tu in units}
    assert dates == {"20250416T003000Z", "20260127T011021Z"}
    assert tree.find("header").get("creationdate") == "20260127T011021Z"


def test_build_exports_the_glossary_as_tbx(built):
    if not GLOSSARY.exists():
        pytest.skip("glossary/xinhua.tsv is not in this checkout")
    root, result = built
    assert result.code == 0, result.stderr
    tbx = root / "glossary" / "xinhua.tbx"
    assert b"martif" in tbx.read_bytes()[:2000]
    assert "approved terms of glossary/xinhua.tsv" in result.stderr


def test_committed_tmx_is_what_build_makes(built):
    committed = REPO_ROOT / "tm" / "xinhua.tmx"
    if not committed.exists():
        pytest.skip("tm/xinhua.tmx has not been built in this checkout")
    root, result = built
    assert result.code == 0, result.stderr
    assert (root / "tm" / "xinhua.tmx").read_bytes() == committed.read_bytes(), (
        "tm/xinhua.tmx is stale: run `zhen build` at the top of the checkout"
    )


def test_committed_tbx_is_what_build_makes(built):
    """The bundled TBX holds every entry, proposed ones marked, whatever export's default."""
    committed = REPO_ROOT / "glossary" / "xinhua.tbx"
    if not committed.exists() or not GLOSSARY.exists():
        pytest.skip("glossary/xinhua.tbx has not been built in this checkout")
    root, result = built
    assert result.code == 0, result.stderr
    assert (root / "glossary" / "xinhua.tbx").read_bytes() == committed.read_bytes(), (
        "glossary/xinhua.tbx is stale: run `zhen build` at the top of the checkout"
    )


def test_build_without_sources_is_a_clear_error(run_zhen, tmp_path):
    result = run_zhen("build", cwd=tmp_path)
    assert result.code == 2
    assert "tm/sources" in result.stderr
    assert "--sources" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "tm" / "xinhua.tmx").exists()

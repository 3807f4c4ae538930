"""OmegaT interop: a real CAT tool pre-translates a Chinese file from our exported TMX."""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.support import REPO_ROOT
from zhen import store, tm

OMEGAT_JAR = Path("/usr/share/omegat/OmegaT.jar")  # Debian/Ubuntu package `omegat`
XINHUA_TMX = REPO_ROOT / "tm" / "xinhua.tmx"
NOT_IN_TM = "这是一句不在翻译记忆里的句子。"

PROJECT_FILE = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<omegat>
    <project version="1.0">
        <source_dir>__DEFAULT__</source_dir>
        <target_dir>__DEFAULT__</target_dir>
        <tm_dir>__DEFAULT__</tm_dir>
        <glossary_dir>__DEFAULT__</glossary_dir>
        <glossary_file>__DEFAULT__</glossary_file>
        <dictionary_dir>__DEFAULT__</dictionary_dir>
        <source_lang>zh-CN</source_lang>
        <target_lang>en-US</target_lang>
        <sentence_seg>true</sentence_seg>
        <support_default_translations>true</support_default_translations>
        <remove_tags>false</remove_tags>
    </project>
</omegat>
"""

# OmegaT is a Java program, run as its own process on the TMX zhen exports.
pytestmark = [
    pytest.mark.skipif(
        not (OMEGAT_JAR.exists() and shutil.which("java")),
        reason="OmegaT is not installed (apt-get install omegat; .ci/run installs it)",
    ),
    pytest.mark.subprocess,
    pytest.mark.slow,
]


def single_sentence_units(conn: sqlite3.Connection, count: int) -> list[tuple[str, str]]:
    """Units whose Chinese is one sentence, so OmegaT's segmentation yields exactly that text."""
    picked = []
    for zh, en in conn.execute("SELECT zh, en FROM units ORDER BY id"):
        if not re.search(r"[。！？；!?;]\S", zh) and len(zh) > 8:
            picked.append((zh, en))
        if len(picked) == count:
            break
    return picked


def test_omegat_pretranslates_from_our_tmx_in_tm_auto(tmp_path: Path) -> None:
    conn = store.open_database(tmp_path / "zhen.db", create=True)
    tm.import_files(conn, [XINHUA_TMX])
    units = single_sentence_units(conn, 3)
    assert len(units) == 3

    project = tmp_path / "project"
    for folder in ("source", "target", "tm/auto", "glossary", "dictionary", "omegat"):
        (project / folder).mkdir(parents=True)
    (project / "omegat.project").write_text(PROJECT_FILE, encoding="utf-8")
    tm.export_tmx(conn, project / "tm" / "auto" / "zhen.io.tmx")
    paragraphs = [units[0][0], units[1][0], NOT_IN_TM, units[2][0]]
    (project / "source" / "news.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")

    done = subprocess.run(
        [
            "java",
            "-Djava.awt.headless=true",
            "-jar",
            str(OMEGAT_JAR),
            str(project),
            "--mode=console-translate",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "Reading TMX file" in done.stdout + done.stderr  # OmegaT did load our TMX

    target = (project / "target" / "news.txt").read_text(encoding="utf-8")
    lines = [line for line in target.splitlines() if line.strip()]
    assert lines == [units[0][1], units[1][1], NOT_IN_TM, units[2][1]]

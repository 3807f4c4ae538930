"""The test helpers' own contract: third-party data found through ZHEN_TEST_DATA, or a skip that
says how to provide it; the CLI run in-process leaves no state behind."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tests.support import REPO_ROOT, TEST_DATA_VARIABLE, run_cli, third_party, third_party_root


def test_data_folder_defaults_to_shared_beside_the_checkout(monkeypatch) -> None:
    monkeypatch.delenv(TEST_DATA_VARIABLE, raising=False)
    assert third_party_root() == REPO_ROOT.parent / "shared"


def test_data_folder_is_the_variable_when_set(monkeypatch, tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    monkeypatch.setenv(TEST_DATA_VARIABLE, str(tmp_path))
    assert third_party("data") == tmp_path / "data"


def test_missing_data_skips_naming_the_variable(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv(TEST_DATA_VARIABLE, str(tmp_path))
    with pytest.raises(pytest.skip.Exception, match=TEST_DATA_VARIABLE):
        third_party("data", "tico19", "all.en-zh.tmx")


def test_run_cli_restores_streams_environment_and_folder(monkeypatch, tmp_path: Path) -> None:
    outer = str(tmp_path / "outer.db")
    monkeypatch.setenv("ZHEN_DB", outer)
    streams, folder = (sys.stdin, sys.stdout, sys.stderr), Path.cwd()
    env = {"ZHEN_DB": str(tmp_path / "missing.db"), "XDG_DATA_HOME": str(tmp_path / "data")}
    result = run_cli(["glossary", "show", "x"], env=env, cwd=tmp_path)
    assert result.code == 2 and result.stderr.startswith("zhen: error:"), result.stderr
    assert "missing.db" in result.stderr
    assert (sys.stdin, sys.stdout, sys.stderr) == streams and Path.cwd() == folder
    assert os.environ["ZHEN_DB"] == outer
    assert not (tmp_path / "outer.db").exists() and not (tmp_path / "data").exists()

"""Where the tests find the checkout's bundled sources and the third-party data they read."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SOURCES = REPO_ROOT / "tm" / "sources"
# The third-party data (WMT22, TICO-19, Tatoeba, MAC-Dev) is not in the repository: no licence
# to copy it. Tests that read it look here, and skip, naming this variable, when it is absent.
TEST_DATA_VARIABLE = "ZHEN_TEST_DATA"


def third_party_root() -> Path:
    """$ZHEN_TEST_DATA, else the `shared` folder beside the checkout."""
    configured = os.environ.get(TEST_DATA_VARIABLE)
    return Path(configured).expanduser() if configured else REPO_ROOT.parent / "shared"


def third_party(*parts: str) -> Path:
    """A path under the third-party data folder; skips the test, saying why, when it is absent."""
    root = third_party_root()
    path = root.joinpath(*parts)
    if not path.exists():
        pytest.skip(
            f"{path} not found: set {TEST_DATA_VARIABLE} to the folder holding the third-party "
            f"test data (default ../shared beside the checkout)"
        )
    return path

"""Where the tests find the checkout's bundled sources and the third-party data they read."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

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


def load_script(relative: str) -> ModuleType:
    """A script of the checkout (a benchmark, say) loaded as the module of its file's name, its
    folder on sys.path for the modules beside it that it imports."""
    path = REPO_ROOT / relative
    if str(path.parent) not in sys.path:
        sys.path.insert(0, str(path.parent))
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module  # dataclasses and pickling look their module up there
    spec.loader.exec_module(module)
    return module

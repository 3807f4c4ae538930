"""Helpers shared by the tests: where the data is, and the `zhen` CLI run in this process."""

from tests.support.cli import Result, run_cli
from tests.support.paths import (
    REPO_ROOT,
    SOURCES,
    TEST_DATA_VARIABLE,
    third_party,
    third_party_root,
)

__all__ = [
    "REPO_ROOT",
    "SOURCES",
    "TEST_DATA_VARIABLE",
    "Result",
    "run_cli",
    "third_party",
    "third_party_root",
]

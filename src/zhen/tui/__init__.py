"""The Textual front end: `zhen tui` opens `ZhenApp` over the same core as the CLI."""

from __future__ import annotations

from zhen.tui.app import ZhenApp, run

__all__ = ["ZhenApp", "run"]

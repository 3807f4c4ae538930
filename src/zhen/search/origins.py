"""Limiting a lookup to TM origins: the units any of whose sources is one of them, as a mask."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

import numpy as np

from zhen.store import units as stored_units


class OriginFilter:
    """The unit ids of some origins (a unit matches when any of its sources is one of them)."""

    def __init__(self, conn: sqlite3.Connection, origins: Sequence[str]) -> None:
        self.origins = tuple(origins)
        ids = np.fromiter(stored_units.ids_of_origins(conn, self.origins), dtype=np.int64)
        # A mask over the id range: one lookup per posting, whatever the size of the origins.
        self._mask = np.zeros(int(ids.max()) + 1 if len(ids) else 1, dtype=bool)
        self._mask[ids] = True

    def keep(self, ids: np.ndarray) -> np.ndarray:
        """The ids (a sorted posting list stays sorted) of units of the origins."""
        if not len(ids):
            return ids
        inside = ids < len(self._mask)
        return ids[inside & self._mask[np.where(inside, ids, 0)]]

    def allows(self, unit_id: int) -> bool:
        """True when the unit has a source of one of the origins."""
        return 0 <= unit_id < len(self._mask) and bool(self._mask[unit_id])

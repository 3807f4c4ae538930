"""Limiting a lookup to TM origins: the units any of whose sources is one of them, as a mask."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

from zhen.store import database_file
from zhen.store import units as stored_units

# Reading a large origin's ids costs ~0.5 µs a unit (100 ms for 180k): a session (the TUI, a
# batch) keeps the masks it made until the database's sources change. A few, as each holds
# one byte per unit id.
_CACHED = 4
_cache: dict[tuple[str, tuple[str, ...]], tuple[tuple[Any, Any], OriginFilter]] = {}
_cache_lock = threading.Lock()


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


def origin_filter(conn: sqlite3.Connection, origins: Sequence[str]) -> OriginFilter:
    """The filter of these origins, reused while no import or delete has changed the sources."""
    key = (database_file(conn) or f":memory:{id(conn)}", tuple(origins))
    marker = stored_units.origins_marker(conn)
    with _cache_lock:
        cached = _cache.get(key)
    if cached is not None and cached[0] == marker:
        return cached[1]
    made = OriginFilter(conn, origins)
    with _cache_lock:
        _cache.pop(key, None)
        _cache[key] = (marker, made)
        while len(_cache) > _CACHED:
            del _cache[next(iter(_cache))]
    return made

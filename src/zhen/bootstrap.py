"""Seeds a new database with the bundled Xinhua TM and glossary, so lookup works at once."""

from __future__ import annotations

import sqlite3

from zhen import resources
from zhen.store import set_meta, transaction


def seed_database(conn: sqlite3.Connection) -> None:
    """Import the bundled TMX and glossary into a freshly created database, all or nothing."""
    from zhen.glossary import import_glossary
    from zhen.tm import import_files

    with transaction(conn):
        tmx_path = resources.bundled_tmx()
        if tmx_path.exists():
            import_files(conn, [tmx_path])
        glossary_path = resources.bundled_glossary()
        if glossary_path.exists():
            import_glossary(conn, glossary_path)
        set_meta(conn, "seeded_from", "bundled xinhua.tmx + xinhua.tsv")

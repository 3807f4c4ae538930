"""Seeds a new database with the bundled Xinhua TM and glossary, so lookup works at once."""

from __future__ import annotations

import sqlite3

from zhen import resources
from zhen.store.base import set_meta, transaction


def seed_database(conn: sqlite3.Connection) -> None:
    """Import the bundled TMX and glossary into a freshly created database, all or nothing.

    `zhen.store.create_database` runs this on a database under a temporary name and moves it
    into place only on success, so an exception here leaves no database behind.
    """
    tmx_path = resources.bundled_tmx()
    glossary_path = resources.bundled_glossary()
    seeded: list[str] = []
    with transaction(conn):
        if tmx_path.exists():
            from zhen.tm import import_files

            import_files(conn, [tmx_path])
            seeded.append(tmx_path.name)
        if glossary_path.exists():
            from zhen.glossary import import_glossary

            import_glossary(conn, glossary_path)
            seeded.append(glossary_path.name)
        set_meta(conn, "seeded_from", " + ".join(seeded) or "nothing (no bundled data found)")

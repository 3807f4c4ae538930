"""`zhen.Database`: a TM, its glossary and its lookup index, one object for CLI, TUI and API."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zhen import bootstrap, glossary, search, store, tm
from zhen.errors import StoreError
from zhen.glossary.review import ReviewTally, apply_decision, undo_decision
from zhen.models import StoredTerm, Term, TranslationUnit
from zhen.project import Project, choose_database
from zhen.search.scope import LookupScope
from zhen.store import terms as stored_terms
from zhen.store import units as stored_units
from zhen.tm.units import database_bytes


@dataclass(frozen=True, slots=True)
class DatabaseInfo:
    """What `zhen db info` shows: where the database is, its schema, what it holds, its size."""

    path: str
    schema_version: int
    units: int
    terms: dict[str, int]
    origins: list[tuple[str, int]]
    size_bytes: int
    seeded_from: str | None
    readonly: bool

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "path": self.path,
            "schema_version": self.schema_version,
            "units": self.units,
            "terms": self.terms,
            "origins": [{"origin": name, "units": count} for name, count in self.origins],
            "size_bytes": self.size_bytes,
            "seeded_from": self.seeded_from,
            "readonly": self.readonly,
        }


class Database:
    """A zhen database file: translation units with their sources, glossary terms, lookup index.

    `Database(path)` opens an existing database (`ZhenError` if there is none);
    `Database.create(path)` makes a new one. Every failure is a `ZhenError` with one line to
    show; SQLite's own errors (locked, damaged, read-only) are turned into such lines here.
    """

    def __init__(
        self,
        path: Path | str,
        *,
        readonly: bool = False,
        on_upgrade: Callable[[str], None] | None = None,
    ) -> None:
        """Open the database at `path`; `on_upgrade` hears one line if it had to be upgraded
        from an older zhen's schema first (which happens whenever the file can be written)."""
        # A server's URL is shown without its password; a file is its path.
        self.path: Path | str = store.redact(str(path)) if store.is_url(path) else Path(path)
        # What was opened, a server's password included: another connection to the same
        # database (the TUI's readers) opens this, never the redacted `path`.
        self._target: Path | str = str(path) if store.is_url(path) else Path(path)
        self.readonly = readonly

        def upgraded(old: int, new: int) -> None:
            if on_upgrade is not None:
                on_upgrade(f"upgraded {self.path} from schema version {old} to {new}")

        if store.is_url(path):
            from zhen.store import postgres

            # Never upgraded on opening: a server's schema moves only by `zhen db upgrade URL`.
            self._conn: sqlite3.Connection | None = postgres.open_database(
                str(path), readonly=readonly
            )
        else:
            self._conn = store.open_database(self.path, readonly=readonly, on_upgrade=upgraded)

    # --- opening and creating ---------------------------------------------------------------

    @classmethod
    def create(cls, path: Path | str, *, seed: bool = True) -> Database:
        """Make a new database at `path` (never over an existing file) and open it.

        With `seed` it holds the bundled Xinhua TM and glossary; without, it is empty (a
        client's own TM). All or nothing: a failure leaves no file behind.
        """
        populate = bootstrap.seed_database if seed else None
        if store.is_url(path):
            from zhen.store import postgres

            postgres.create_database(str(path), populate)
        else:
            store.create_database(path, populate)
        return cls(path)

    @classmethod
    def default(
        cls,
        *,
        readonly: bool = False,
        announce: Callable[[str], None] | None = None,
        on_upgrade: Callable[[str], None] | None = None,
    ) -> Database:
        """The user's own database in their data folder, created and seeded on first use.

        `announce` hears one line when it is created (the CLI prints it on stderr), and
        `on_upgrade` one when an older zhen's database is upgraded.
        """
        path = store.default_db_path()
        if not path.exists():
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"{path.parent}: cannot create folder: {exc.strerror}") from exc
            try:
                created = cls.create(path, seed=True)
            except StoreError:
                if not path.exists():  # another zhen may have created it meanwhile
                    raise
            else:
                if announce is not None:
                    info = created.info()
                    announce(
                        f"created your zhen database at {path} with the bundled Xinhua data "
                        f"({info.units:,} units, {sum(info.terms.values()):,} terms)"
                    )
                if not readonly:
                    return created
                created.close()
        return cls(path, readonly=readonly, on_upgrade=on_upgrade)

    @classmethod
    def locate(
        cls,
        path: Path | str | None = None,
        *,
        project: Project | None = None,
        readonly: bool = False,
        announce: Callable[[str], None] | None = None,
        on_upgrade: Callable[[str], None] | None = None,
    ) -> Database:
        """The database a command means: `path`, else `$ZHEN_DB`, else the database `project`
        (a zhen.toml, `zhen.project.current()`) names, else the user's default one.

        Only the default one is ever created by this; a named path must exist.
        """
        named = choose_database(path, project).target
        if named is not None:
            target = named if store.is_url(named) else Path(named).expanduser()
            return cls(target, readonly=readonly, on_upgrade=on_upgrade)
        return cls.default(readonly=readonly, announce=announce, on_upgrade=on_upgrade)

    def reopen(self, *, readonly: bool = True) -> Database:
        """Another connection to this same database (read-only unless asked otherwise)."""
        return Database(self._target, readonly=readonly)

    @property
    def connection(self) -> sqlite3.Connection:
        """The open SQLite connection (for zhen's own layers; callers should prefer methods)."""
        if self._conn is None:
            raise StoreError(f"{self.path}: the database is closed")
        return self._conn

    def close(self) -> None:
        """Close the connection (further calls raise ZhenError)."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Database({str(self.path)!r}{', readonly=True' if self.readonly else ''})"

    @contextmanager
    def _errors(self) -> Iterator[sqlite3.Connection]:
        with store.errors(self.path, files=False):
            yield self.connection

    # --- translation memory -----------------------------------------------------------------

    def import_files(
        self, paths: Iterable[Path | str], *, progress: tm.ProgressCallback | None = None
    ) -> tm.ImportReport:
        """Import TMX/TSV/XLIFF/PO files in one transaction; returns the counts per file."""
        with self._errors() as conn:
            return tm.import_files(conn, paths, progress=progress)

    def import_pairs(self, pairs: Iterable[TranslationUnit], *, origin: str) -> tm.ImportReport:
        """Import sentence pairs (from `zhen.aligner`, say) as the document `origin`."""
        with self._errors() as conn:
            return tm.import_units(conn, pairs, origin=origin)

    def export_tmx(
        self,
        path: Path | str,
        *,
        langs: tuple[str, str] | None = ("zh-CN", "en-US"),
        origin: str | None = None,
    ) -> int:
        """Write the TM (or one origin) as TMX 1.4b; returns the number of units written."""
        with self._errors() as conn:
            return tm.export_tmx(conn, path, langs=langs, origin=origin)

    def stats(self) -> tm.TmStats:
        """Units, terms, language codes, origins and size."""
        with self._errors() as conn:
            return tm.stats(conn)

    def delete_origin(self, origin: str) -> tm.DeleteReport:
        """Remove an origin: units only it supplied go, units another source has stay."""
        with self._errors() as conn:
            return tm.delete_origin(conn, origin)

    def delete_unit(self, unit_id: int) -> bool:
        """Delete one unit; False when there is none with this id."""
        with self._errors() as conn:
            return tm.delete_unit(conn, unit_id)

    def unit(self, unit_id: int) -> TranslationUnit | None:
        """The unit with this id, or None."""
        with self._errors() as conn:
            return tm.get_unit(conn, unit_id)

    def unit_sources(self, unit_id: int) -> list[tm.UnitSource]:
        """Every source that supplied a unit."""
        with self._errors() as conn:
            return tm.unit_sources(conn, unit_id)

    def neighbours(self, unit_id: int, radius: int = 1) -> list[TranslationUnit]:
        """The unit and its neighbours in its document."""
        with self._errors() as conn:
            return tm.neighbours(conn, unit_id, radius)

    def units(self) -> list[TranslationUnit]:
        """Every unit's pair in document order (what term extraction reads)."""
        with self._errors() as conn:
            return stored_units.pairs_for_extraction(conn)

    def iter_units(self) -> Iterator[TranslationUnit]:
        """`units`, read as they are needed (a whole TM need not fit in memory)."""
        with self._errors() as conn:
            yield from stored_units.iter_pairs_for_extraction(conn)

    def unit_ids_imported_since(self, stamp: str) -> set[int]:
        """Ids of the units first brought by an import at or after `stamp` (ISO 8601, UTC)."""
        with self._errors() as conn:
            return stored_units.unit_ids_imported_since(conn, stamp)

    # --- lookup -----------------------------------------------------------------------------

    def lookup(
        self,
        query: str,
        *,
        limit: int = 20,
        min_score: float = 50,
        side: str | None = None,
        scope: LookupScope | None = None,
    ) -> search.LookupResult:
        """Glossary terms, fuzzy TM matches and concordance lines for a zh or en query;
        `scope` adds glossary files (in priority order) and limits the TM to some origins."""
        with self._errors() as conn:
            return search.lookup(
                conn, query, limit=limit, min_score=min_score, side=side, scope=scope
            )

    def unknown_origins(self, origins: Iterable[str]) -> list[str]:
        """The origins of these that no unit has a source of (a typo, or not imported yet)."""
        with self._errors() as conn:
            return [name for name in origins if not stored_units.origin_exists(conn, name)]

    # --- glossary ---------------------------------------------------------------------------

    def terms(self, status: str | None = None) -> list[StoredTerm]:
        """Every glossary entry, or those with one status."""
        with self._errors() as conn:
            return glossary.list_terms(conn, status)

    def approved_terms(self) -> list[StoredTerm]:
        """The entries drafts are checked against and the aligner anchors on."""
        return self.terms("approved")

    def term(self, zh: str) -> list[StoredTerm]:
        """The entries of a Chinese term (Simplified or Traditional)."""
        with self._errors() as conn:
            return glossary.get_term(conn, zh)

    def term_by_id(self, term_id: int) -> StoredTerm:
        """The entry with this id (ZhenError when there is none)."""
        with self._errors() as conn:
            return glossary.get_term_by_id(conn, term_id)

    def add_term(self, term: Term) -> StoredTerm:
        """Add a new entry; ZhenError when the same zh → en entry exists."""
        with self._errors() as conn:
            return glossary.add_term(conn, term)

    def update_term(self, term: StoredTerm) -> StoredTerm:
        """Save an edited entry (found by its id)."""
        with self._errors() as conn:
            return glossary.update_term(conn, term)

    def set_term_status(self, term_id: int, status: str) -> None:
        """Approve, propose or reject an entry."""
        with self._errors() as conn:
            glossary.set_status(conn, term_id, status)

    def remove_term(self, term_id: int) -> None:
        """Delete an entry."""
        with self._errors() as conn:
            glossary.remove_term(conn, term_id)

    def undo_review(
        self, before: StoredTerm, decision: str, *, tally: ReviewTally | None = None
    ) -> StoredTerm:
        """Take back a `review` decision: the entry is stored as it was `before` it (a deleted
        one comes back under a new id) and `tally` forgets the decision."""
        with self._errors() as conn:
            return undo_decision(conn, before, decision, tally=tally)

    def review(
        self,
        term_id: int,
        decision: str,
        *,
        revision: Term | None = None,
        tally: ReviewTally | None = None,
    ) -> StoredTerm | None:
        """Carry out a reviewer's decision (accept, reject, edit, skip, delete) on a proposed
        entry, counted in `tally`; the entry as stored after it, None once deleted. An edit
        stores `revision` approved, noting the rendering it replaces (`glossary.review`)."""
        with self._errors() as conn:
            return apply_decision(conn, term_id, decision, revision=revision, tally=tally)

    def import_glossary(
        self, path: Path | str, *, fmt: str | None = None
    ) -> glossary.GlossaryImportReport:
        """Import a TBX/OmegaT/CSV/TSV glossary, all or nothing, merged into the entries."""
        with self._errors() as conn:
            return glossary.import_glossary(conn, path, fmt=fmt)

    def export_glossary(
        self, path: Path | str, *, fmt: str | None = None, status: str = "approved"
    ) -> glossary.GlossaryExportReport:
        """Write the glossary's entries of a status (`all` for every one) to a file; the report
        says how many were written and how many of each other status were left out."""
        with self._errors() as conn:
            return glossary.export_glossary(conn, path, fmt=fmt, status=status)

    def save_candidates(self, candidates: Iterable[Any], *, min_score: float) -> int:
        """Store extracted term candidates as proposed entries; returns how many were new."""
        with self._errors() as conn:
            return glossary.save_candidates(conn, candidates, min_score=min_score)

    # --- the file itself --------------------------------------------------------------------

    def counts(self) -> tuple[int, int]:
        """How many TM units and glossary entries: two cheap counts (the TUI's header polls)."""
        with self._errors() as conn:
            return stored_units.count_units(conn), stored_terms.count(conn)

    def info(self) -> DatabaseInfo:
        """Path, schema version, counts, origins and size."""
        with self._errors() as conn:
            return DatabaseInfo(
                path=str(self.path),
                schema_version=store.schema_version(conn),
                units=stored_units.count_units(conn),
                terms=stored_terms.status_counts(conn),
                origins=stored_units.origin_counts(conn),
                size_bytes=database_bytes(conn),
                seeded_from=store.get_meta(conn, "seeded_from"),
                readonly=self.readonly,
            )

    def check_integrity(self) -> list[str]:
        """SQLite's integrity and foreign-key checks: an empty list when the file is sound."""
        with self._errors() as conn:
            return store.integrity_problems(conn)

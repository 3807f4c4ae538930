"""`zhen.toml`: a project's database, glossaries, TM origins and check settings, found like
pyproject.toml in the working folder or a parent (docs/projects.md)."""

from __future__ import annotations

import os
import tempfile
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from zhen import store
from zhen.errors import CheckError, ProjectError
from zhen.models import Term
from zhen.search.scope import DatabaseGlossary, LookupScope
from zhen.text.normalize import normalize_zh

PROJECT_FILE = "zhen.toml"
# A settings file is a few hundred bytes; anything this large is not one.
_MAX_BYTES = 1 << 20
_SEVERITIES = ("info", "warning", "error")


class DatabaseSource(StrEnum):
    """What decided which database a command opens, highest precedence first."""

    OPTION = "option"
    ENVIRONMENT = "environment"
    PROJECT = "project"
    DEFAULT = "default"


@dataclass(frozen=True, slots=True)
class CheckSettings:
    """The `[check]` table: what `zhen check` does unless its options say otherwise."""

    skip: tuple[str, ...] = ()
    ignore: Path | None = None
    glossaries: tuple[Path, ...] | None = None  # None: the project's own glossaries
    fail_on: str | None = None


@dataclass(frozen=True, slots=True)
class Project:
    """One zhen.toml, read and checked; paths in it are made absolute against its folder."""

    path: Path
    database: Path | str | None = None
    glossaries: tuple[Path, ...] = ()
    database_glossary: DatabaseGlossary = DatabaseGlossary.AFTER
    origins: tuple[str, ...] | None = None  # None: every origin
    check: CheckSettings = field(default_factory=CheckSettings)

    def check_glossaries(self) -> tuple[Path, ...]:
        """The glossary files `zhen check` requires terms from, highest priority first."""
        return self.glossaries if self.check.glossaries is None else self.check.glossaries


@dataclass(frozen=True, slots=True)
class DatabaseChoice:
    """The database a command opens (None: the user's own) and what chose it."""

    target: Path | str | None
    source: DatabaseSource


def find(start: Path | None = None) -> Path | None:
    """The zhen.toml in `start` (the working folder) or its nearest parent that has one.

    The search stops at the filesystem root or, when it starts inside $HOME, before $HOME's
    parent, so a file in /home never applies to every user.
    """
    here = Path.cwd() if start is None else start.absolute()
    home = os.environ.get("HOME")
    homes = {Path(home).absolute(), Path(home).resolve()} if home else set()
    stops = {folder.parent for folder in homes if here.is_relative_to(folder)}
    for folder in (here, *here.parents):
        if folder in stops:
            break
        candidate = folder / PROJECT_FILE
        try:
            if candidate.is_file():
                return candidate
        except OSError:
            continue  # a folder we may not look into holds no project of ours
    return None


def current(start: Path | None = None) -> Project | None:
    """The project in force for the working folder (or `start`), or None."""
    path = find(start)
    return None if path is None else load(path)


def load(path: Path) -> Project:
    """Read a zhen.toml as the hostile input it may be: ProjectError, one line, on any fault."""
    try:
        with path.open("rb") as handle:
            data = handle.read(_MAX_BYTES + 1)
    except OSError as exc:
        raise ProjectError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    if len(data) > _MAX_BYTES:
        raise ProjectError(f"{path}: larger than {_MAX_BYTES:,} bytes: not a zhen settings file")
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise ProjectError(f"{path}: not UTF-8 (byte {exc.start})") from exc
    return parse(path, text)


def parse(path: Path, text: str) -> Project:
    """The project a zhen.toml's text describes (`path` places its relative paths)."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProjectError(f"{path}: not valid TOML: {exc}") from exc
    except RecursionError:  # arrays nested thousands deep: tomllib recurses per level
        raise ProjectError(f"{path}: not valid TOML: nested too deeply") from None
    return _Reader(path).project(raw)


class _Reader:
    """Turns the parsed TOML into a `Project`, naming the file and key in every complaint."""

    _TOP = ("database", "glossaries", "database_glossary", "origins", "check")
    _CHECK = ("skip", "ignore", "glossaries", "fail_on")

    def __init__(self, path: Path) -> None:
        self.path = path
        self.folder = path.parent

    def fail(self, message: str) -> ProjectError:
        return ProjectError(f"{self.path}: {message}")

    def project(self, raw: dict[str, Any]) -> Project:
        self.known(raw, self._TOP, "")
        check = raw.get("check", {})
        if not isinstance(check, dict):
            raise self.fail("check must be a table ([check])")
        self.known(check, self._CHECK, "check.")
        database = self.text(raw, "database")
        origins = self.texts(raw, "origins")
        if origins is not None and not origins:
            raise self.fail("origins is empty: leave it out to search every origin")
        check_glossaries = self.texts(check, "glossaries", "check.")
        ignore = self.text(check, "ignore", "check.")
        return Project(
            path=self.path,
            database=None if database is None else self.database(database),
            glossaries=tuple(self.file(name) for name in self.texts(raw, "glossaries") or ()),
            database_glossary=DatabaseGlossary(
                self.choice(raw, "database_glossary", tuple(DatabaseGlossary), None)
                or DatabaseGlossary.AFTER
            ),
            origins=None if origins is None else tuple(dict.fromkeys(origins)),
            check=CheckSettings(
                skip=tuple(self.texts(check, "skip", "check.") or ()),
                ignore=None if ignore is None else self.file(ignore),
                glossaries=None
                if check_glossaries is None
                else tuple(self.file(name) for name in check_glossaries),
                fail_on=self.choice(check, "fail_on", _SEVERITIES, None, "check."),
            ),
        )

    def known(self, table: dict[str, Any], keys: Sequence[str], prefix: str) -> None:
        for key in table:
            if key not in keys:
                expected = ", ".join(prefix + known for known in keys)
                raise self.fail(f"unknown key {prefix + key!r} (expected: {expected})")

    def text(self, table: dict[str, Any], key: str, prefix: str = "") -> str | None:
        if key not in table:
            return None
        value = table[key]
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{prefix}{key} must be a non-empty string")
        if not value.isprintable():
            raise self.fail(f"{prefix}{key} holds a control character")
        return value

    def texts(self, table: dict[str, Any], key: str, prefix: str = "") -> list[str] | None:
        if key not in table:
            return None
        values = table[key]
        if not isinstance(values, list):
            raise self.fail(f'{prefix}{key} must be a list of strings, e.g. {key} = ["…"]')
        return [self.text({key: value}, key, prefix) or "" for value in values]

    def choice(
        self,
        table: dict[str, Any],
        key: str,
        allowed: Sequence[str],
        default: str | None,
        prefix: str = "",
    ) -> str | None:
        value = self.text(table, key, prefix)
        if value is None:
            return default
        if value not in allowed:
            raise self.fail(f"{prefix}{key} must be one of {', '.join(allowed)}, not {value!r}")
        return value

    def file(self, name: str) -> Path:
        try:
            return self.folder / Path(name).expanduser()
        except RuntimeError:  # `~someone/…` for a user this machine does not know
            raise self.fail(f"{name!r}: no such user's home folder") from None

    def database(self, name: str) -> Path | str:
        return name if store.is_url(name) else self.file(name)


def lookup_scope(
    project: Project | None, *, glossaries: Sequence[Path] = (), origins: Sequence[str] = ()
) -> LookupScope:
    """What a lookup searches: glossary files or origins given on the command line replace
    the project's; without either, the database's glossary and every origin."""
    return LookupScope(
        glossary_files=tuple(glossaries) or (project.glossaries if project else ()),
        database_glossary=project.database_glossary if project else DatabaseGlossary.AFTER,
        origins=tuple(dict.fromkeys(origins)) or (project.origins if project else None),
    )


def project_skip(project: Project | None) -> frozenset[str]:
    """The issue kinds the project's [check] skip names; ProjectError naming the file for an
    unknown one."""
    if project is None or not project.check.skip:
        return frozenset()
    # Imported here: every command reads the project file, only `check` needs the checker.
    from zhen.checker.report import issue_kinds

    try:
        return issue_kinds(project.check.skip)
    except CheckError as exc:
        raise ProjectError(f"{project.path}: check.skip: {exc}") from exc


def project_terms(project: Project, database_terms: Callable[[], Sequence[Term]]) -> list[Term]:
    """The approved terms `zhen check` requires in a project: those of its check glossaries in
    priority order, the database's (read by `database_terms`) where database_glossary puts
    them; an entry whose Chinese a higher-priority glossary already has is left out."""
    # Imported here: every command reads the project file, only `check` loads glossaries.
    from zhen.glossary.exchange import load_terms_file

    lists: list[Sequence[Term]] = [
        [term for term in load_terms_file(path) if term.status == "approved"]
        for path in project.check_glossaries()
    ]
    if project.database_glossary == DatabaseGlossary.BEFORE:
        lists.insert(0, database_terms())
    elif project.database_glossary == DatabaseGlossary.AFTER:
        lists.append(database_terms())
    return by_priority(lists)


def by_priority(glossaries: Sequence[Sequence[Term]]) -> list[Term]:
    """The entries of several glossaries, highest priority first; a glossary's entries for a
    Chinese term an earlier glossary has are left out (the client's rendering wins)."""
    taken: set[str] = set()
    merged: list[Term] = []
    for terms in glossaries:
        defined = set()
        for term in terms:
            key = normalize_zh(term.zh)
            if key not in taken:
                defined.add(key)
                merged.append(term)
        taken |= defined
    return merged


def choose_database(option: Path | str | None, project: Project | None) -> DatabaseChoice:
    """The one rule for which database a command opens: `--db`, else $ZHEN_DB, else the
    project file's `database`, else the user's own database."""
    if option is not None:
        return DatabaseChoice(option, DatabaseSource.OPTION)
    named = os.environ.get("ZHEN_DB") or None
    if named is not None:
        target = named if store.is_url(named) else Path(named).expanduser()
        return DatabaseChoice(target, DatabaseSource.ENVIRONMENT)
    if project is not None and project.database is not None:
        return DatabaseChoice(project.database, DatabaseSource.PROJECT)
    return DatabaseChoice(None, DatabaseSource.DEFAULT)


_TEMPLATE = """\
# zhen.toml: the zhen settings of this project (see docs/projects.md).
# Every zhen command run in this folder, or a folder below it, reads this file.
# Relative paths are relative to this file. Command-line options come first, then $ZHEN_DB,
# then this file, then zhen's defaults.

# The database: a file (`zhen db init zhen.db --empty` makes an empty one) or a
# postgresql:// URL (keep passwords out of this file: use ~/.pgpass or $PGPASSWORD).
# Without it, your own database in your data folder is used.
{database}

# Glossary files (TBX, TSV, CSV, OmegaT) that lookup, the TUI and check use, highest
# priority first.
{glossaries}

# Where the database's own glossary ranks among those files: "after" (the default),
# "before", or "none" (the files only).
# database_glossary = "after"

# The TM origins that lookups and the TUI search (default: every origin); a unit matches
# when any of its sources is one of them. `zhen db info` lists the origins.
{origins}

[check]
# Issue kinds `zhen check` leaves out (see docs/check.md).
# skip = ["lowercase-start"]
# An ignore file of accepted flags (zhen check --write-ignore makes one).
# ignore = "check-ignore.txt"
# The glossaries whose approved terms a draft must use (default: those above).
# glossaries = ["glossary/client.tbx"]
# The lowest severity that makes the exit status 1: info, warning (the default) or error.
# fail_on = "warning"
"""


def toml_string(value: str) -> str:
    """`value` as a TOML basic string: quotes, backslashes and control characters escaped."""
    escaped = []
    for char in value:
        if char in '"\\':
            escaped.append("\\" + char)
        elif not char.isprintable():
            escaped.append(f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else f"\\U{ord(char):08x}")
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'


def template(
    *,
    database: str | None = None,
    glossaries: Sequence[str] = (),
    origins: Sequence[str] = (),
) -> str:
    """The commented zhen.toml `zhen init` writes, with the values given filled in."""

    def setting(key: str, value: str | None, example: str) -> str:
        return f"{key} = {value}" if value is not None else f"# {key} = {example}"

    def array(values: Sequence[str]) -> str | None:
        return "[" + ", ".join(map(toml_string, values)) + "]" if values else None

    return _TEMPLATE.format(
        database=setting(
            "database", None if database is None else toml_string(database), '"zhen.db"'
        ),
        glossaries=setting("glossaries", array(glossaries), '["glossary/client.tbx"]'),
        origins=setting("origins", array(origins), '["client-2025.tmx"]'),
    )


def write_new(folder: Path, text: str) -> Path:
    """Write `text` as `folder`/zhen.toml, never over an existing file: through a temp file
    linked into place, so the file is whole or absent."""
    target = folder / PROJECT_FILE
    if target.exists() or target.is_symlink():
        raise ProjectError(f"{target} already exists: edit it, or remove it first")
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{PROJECT_FILE}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise ProjectError(f"{target}: cannot write in {folder}: {exc.strerror}") from exc
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp_name, 0o666 & ~umask)  # mkstemp's 0600 is for secrets; this is not one
        # link() fails when the name exists (another run was quicker): never replace a file.
        os.link(temp_name, target)
    except FileExistsError as exc:
        raise ProjectError(f"{target} already exists: edit it, or remove it first") from exc
    except OSError as exc:
        raise ProjectError(f"{target}: cannot write: {exc.strerror or exc}") from exc
    finally:
        Path(temp_name).unlink(missing_ok=True)
    return target

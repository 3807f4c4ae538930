"""Opening, creating and upgrading a PostgreSQL database named by a `postgresql://` URL."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from zhen.errors import ReadOnlyReplicaError, StoreError

URL_SCHEMES = ("postgresql://", "postgres://")
_QUERY_PASSWORD = re.compile(r"(?<![^&])(password)=[^&]*", re.IGNORECASE)
Populate = Callable[[Any], None]


def is_url(target: object) -> bool:
    """True for a PostgreSQL URL (as opposed to a database file's path)."""
    return isinstance(target, str) and target.lower().startswith(URL_SCHEMES)


def redact(url: str) -> str:
    """The URL as given, with any password replaced by `***`: what messages may show."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "postgresql://…"
    netloc = parts.netloc
    userinfo, at, host = netloc.rpartition("@")
    if at and ":" in userinfo:
        netloc = f"{userinfo.split(':', 1)[0]}:***@{host}"
    query = _QUERY_PASSWORD.sub(r"\1=***", parts.query)
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError:
        raise StoreError(
            "a postgresql:// database needs psycopg: pip install 'zhen[postgres]'"
        ) from None
    return psycopg


def _connect(url: str, *, readonly: bool) -> Any:
    """A psycopg connection in autocommit (zhen begins its own transactions), or a StoreError."""
    psycopg = _psycopg()
    from zhen.store.sqlite import busy_timeout

    name = redact(url)
    try:
        pg = psycopg.connect(url, autocommit=True, connect_timeout=max(1, int(busy_timeout())))
    except psycopg.Error as exc:
        raise StoreError(_connect_failure(exc, url, name)) from None
    except ValueError as exc:  # a malformed URL (psycopg reads it before connecting)
        raise StoreError(f"{name}: not a usable PostgreSQL URL ({_scrub(str(exc), url)})") from None
    if readonly:
        pg.execute("SET default_transaction_read_only = on")
    elif pg.execute("SELECT pg_is_in_recovery()").fetchone()[0]:
        # A hot standby takes no writes: say so now rather than at the first refused statement.
        pg.close()
        raise ReadOnlyReplicaError(
            f"{name}: a read-only replica of the database (a hot standby); lookups, checks and "
            "exports work here, changes go to the primary server; nothing was changed"
        )
    return pg


def _connect_failure(exc: Exception, url: str, name: str) -> str:
    text = _scrub(" ".join(str(exc).split()), url)
    lowered = text.lower()
    if "password authentication failed" in lowered or "no password supplied" in lowered:
        return f"{name}: the server refused the user name or password"
    if "does not exist" in lowered and "database" in lowered:
        return (
            f"{name}: no such database on the server; create it (createdb), "
            f"then run `zhen db init {name}`"
        )
    if "role" in lowered and "does not exist" in lowered:
        return f"{name}: no such user on the server"
    if (
        "no such file or directory" in lowered
        or "connection refused" in lowered
        or "could not translate host name" in lowered
        or "timeout" in lowered
    ):
        return f"{name}: cannot reach the PostgreSQL server (is it running?)"
    return f"{name}: cannot connect: {text}"


def _scrub(text: str, url: str) -> str:
    """A message with the URL's password (if it were ever echoed) cut out."""
    try:
        password = urlsplit(url).password
    except ValueError:
        password = None
    return text.replace(password, "***") if password else text


def open_database(url: str, *, readonly: bool = False) -> Any:
    """Open a zhen database on a server; it must have been made by `zhen db init URL` and be
    at this zhen's schema version (`zhen db upgrade URL` brings an older one there)."""
    from zhen.store.index import ensure_current
    from zhen.store.postgres.connection import PgConnection, schema_version, stored_role_names
    from zhen.store.postgres.schema import SCHEMA_VERSION
    from zhen.store.sqlite import busy_timeout

    name = redact(url)
    pg = _connect(url, readonly=readonly)
    try:
        version = schema_version(pg, name)
        if version == 0:
            raise StoreError(f"{name}: holds no zhen database yet; run `zhen db init {name}`")
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{name}: database schema version {version} is newer than this zhen "
                f"({SCHEMA_VERSION}); upgrade zhen to use it"
            )
        if version < SCHEMA_VERSION:
            raise StoreError(
                f"{name}: database schema version {version} predates this zhen "
                f"({SCHEMA_VERSION}); run `zhen db upgrade {name}`"
            )
        conn = PgConnection(pg, name)
        conn.lock_timeout = busy_timeout()
        if not readonly:
            with conn.errors():
                conn.roles = stored_role_names(pg) or conn.roles
            ensure_current(conn)  # type: ignore[arg-type]
    except BaseException:
        pg.close()
        raise
    return conn


def create_database(url: str, populate: Populate | None = None) -> None:
    """Make zhen's tables in an existing, empty PostgreSQL database and fill them with
    `populate`, all in one transaction: a failure leaves the database as it was."""
    from zhen.store.postgres.connection import PgConnection, schema_version
    from zhen.store.postgres.schema import BASELINE_VERSION, baseline_script

    name = redact(url)
    pg = _connect(url, readonly=False)
    try:
        if schema_version(pg, name):
            raise StoreError(f"{name}: already holds a zhen database; zhen never replaces one")
        conn = PgConnection(pg, name)
        conn.execute("BEGIN IMMEDIATE")
        try:
            with conn.errors():
                pg.execute(baseline_script())
                pg.execute("INSERT INTO zhen_schema (version) VALUES (%s)", (BASELINE_VERSION,))
            _apply_migrations(conn, BASELINE_VERSION)
            _set_up_roles(conn)
            if populate is not None:
                populate(conn)
        except BaseException:
            conn.rollback()
            raise
        conn.commit()
    finally:
        pg.close()


def upgrade_database(url: str) -> tuple[int, int]:
    """Apply every pending migration in one transaction; returns (version before, after)."""
    from zhen.store.postgres.connection import PgConnection, schema_version
    from zhen.store.postgres.schema import SCHEMA_VERSION

    name = redact(url)
    pg = _connect(url, readonly=False)
    try:
        before = schema_version(pg, name)
        if before == 0:
            raise StoreError(f"{name}: holds no zhen database yet; run `zhen db init {name}`")
        if before > SCHEMA_VERSION:
            raise StoreError(
                f"{name}: database schema version {before} is newer than this zhen "
                f"({SCHEMA_VERSION}); upgrade zhen to use it"
            )
        conn = PgConnection(pg, name)
        conn.execute("BEGIN IMMEDIATE")
        try:
            _apply_migrations(conn, schema_version(pg, name))
            _set_up_roles(conn)  # a new table's grants, and roles for a database made before them
        except BaseException:
            conn.rollback()
            raise
        conn.commit()
        return before, schema_version(pg, name)
    finally:
        pg.close()


def _apply_migrations(conn: Any, version: int) -> None:
    from zhen.store.postgres.schema import BASELINE_VERSION, MIGRATIONS

    for number in range(version - BASELINE_VERSION, len(MIGRATIONS)):
        with conn.errors():
            conn._pg.execute(MIGRATIONS[number])
            conn._pg.execute(
                "UPDATE zhen_schema SET version = %s", (BASELINE_VERSION + number + 1,)
            )


def _set_up_roles(conn: Any) -> None:
    """Create the three group roles where missing (they are cluster-wide: another zhen database
    may have made them already) and grant them their rights on this database."""
    import os

    from psycopg import sql

    from zhen.store.postgres.connection import stored_role_names
    from zhen.store.postgres.schema import (
        ROLE_PREFIX_VARIABLE,
        role_memberships,
        role_names,
        role_statements,
    )

    pg = conn._pg
    with conn.errors():
        names = stored_role_names(pg) or role_names(os.environ.get(ROLE_PREFIX_VARIABLE, ""))
        existing = {
            row[0]
            for row in pg.execute(
                "SELECT rolname FROM pg_roles WHERE rolname = ANY(%s)", (list(names.values()),)
            )
        }
        for name in names.values():
            if name not in existing:
                pg.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(name)))
        # Granted once: granting again needs ADMIN on the role, which a lead reusing roles
        # another database made may not have.
        for role, member in role_memberships(names):
            if not pg.execute("SELECT pg_has_role(%s, %s, 'member')", (member, role)).fetchone()[0]:
                pg.execute(
                    sql.SQL("GRANT {} TO {}").format(sql.Identifier(role), sql.Identifier(member))
                )
        schema = pg.execute("SELECT current_schema()").fetchone()[0]
        for statement in role_statements(names, schema):
            pg.execute(statement)


def grant_role(url: str, user: str, role: str) -> str:
    """Make the login role `user` a member of zhen's `role` (reader, translator or
    terminologist, with or without its `zhen_` name); returns the group role's name."""
    from psycopg import sql

    from zhen.store.postgres.connection import PgConnection, stored_role_names
    from zhen.store.postgres.schema import ROLE_KINDS

    psycopg = _psycopg()
    name = redact(url)
    pg = _connect(url, readonly=False)
    try:
        conn = PgConnection(pg, name)
        with conn.errors():
            names = stored_role_names(pg)
        if names is None:
            raise StoreError(f"{name}: holds no zhen roles yet; run `zhen db init {name}`")
        kind = next((k for k, full in names.items() if role in (k, full, f"zhen_{k}")), None)
        if kind is None:
            raise StoreError(f"no zhen role {role!r}: one of {', '.join(ROLE_KINDS)}")
        with conn.errors():
            known = pg.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (user,)).fetchone()
            if known is None:
                raise StoreError(
                    f"{name}: no such user {user!r} on the server; create it first "
                    f"(CREATE ROLE … LOGIN PASSWORD …)"
                )
            try:
                pg.execute(
                    sql.SQL("GRANT {} TO {}").format(
                        sql.Identifier(names[kind]), sql.Identifier(user)
                    )
                )
            except psycopg.errors.InsufficientPrivilege:
                raise StoreError(
                    f"{name}: granting {names[kind]} needs a user who administers it (the "
                    "lead who ran `zhen db init`, or one with CREATEROLE)"
                ) from None
        return names[kind]
    finally:
        pg.close()

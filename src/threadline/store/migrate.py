"""Bring a store's schema to the newest revision, programmatically, on every open."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError

from threadline.errors import StoreError
from threadline.store.engine import WRITE_OPTIONS, reason

MIGRATIONS = Path(__file__).resolve().with_name("migrations")

VERSION_TABLE = "threadline_alembic_version"
"""Not Alembic's default name, so that a PostgreSQL database shared with another application
that also uses Alembic keeps the two histories apart."""


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic configuration without an ini file; ``env.py`` reuses ``connection`` if given."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("path_separator", "os")
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def current_revisions(connection: Connection) -> set[str]:
    context = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
    return set(context.get_current_heads())


def upgrade(engine: Engine) -> None:
    """Migrate to head. A store already at head is only read, never locked for writing."""
    scripts = ScriptDirectory.from_config(alembic_config())
    heads = set(scripts.get_heads())
    try:
        with engine.connect() as conn:
            current = current_revisions(conn)
        if current == heads:
            return
        unknown = current - {script.revision for script in scripts.walk_revisions()}
        if unknown:
            raise StoreError(
                f"the store has schema revision {', '.join(sorted(unknown))}, which this "
                "version of Threadline does not know: it was written by a newer Threadline"
            )
        with engine.connect() as conn:
            conn = conn.execution_options(**WRITE_OPTIONS)
            with conn.begin():
                command.upgrade(alembic_config(conn), "head")
    except CommandError as exc:
        raise StoreError(f"migrating the store failed: {exc}") from exc
    except DBAPIError as exc:
        raise StoreError(f"migrating the store failed: {reason(exc)}") from exc

"""Alembic environment of the Threadline store.

:func:`threadline.store.open_store` runs the migrations itself and hands its open connection
over in ``config.attributes["connection"]``, inside a transaction it commits; no alembic.ini is
needed. The ``alembic`` command line also works, with ``-x url=...`` or ``THREADLINE_DB``.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from threadline.store.migrate import VERSION_TABLE
from threadline.store.schema import metadata

PG_MIGRATION_LOCK = 0x7468_7264_6D69_67
"""Advisory lock key: two processes opening a fresh PostgreSQL store migrate one at a time."""


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        version_table=VERSION_TABLE,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_MIGRATION_LOCK})")
        context.run_migrations()


def run_from_command_line() -> None:
    from threadline.settings import Settings
    from threadline.store import engine as engines

    url = context.get_x_argument(as_dictionary=True).get("url") or Settings().db
    engine = engines.create(engines.parse_url(url))
    try:
        with engine.connect() as connection:
            connection = connection.execution_options(**engines.WRITE_OPTIONS)
            run(connection)
            connection.commit()
    finally:
        engine.dispose()


given = context.config.attributes.get("connection")
if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported: the SQL is dialect-specific")
if isinstance(given, Connection):
    run(given)
else:
    run_from_command_line()

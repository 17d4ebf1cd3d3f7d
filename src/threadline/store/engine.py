"""From a store URL to a working SQLAlchemy engine, with errors an analyst can act on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from threadline.errors import StoreError

SUPPORTED = "sqlite:///path/to/file.db or postgresql://user@host:5432/database"

BEGIN_OPTION = "threadline_begin"
"""Execution option naming how a SQLite transaction begins (``DEFERRED`` or ``IMMEDIATE``)."""

WRITE_OPTIONS: dict[str, Any] = {BEGIN_OPTION: "IMMEDIATE"}
"""For a write transaction on SQLite: take the write lock at BEGIN, so that what the batch
reads (which ids exist) still holds when it writes, even with another ingest running."""

SQLITE_BUSY_TIMEOUT_S = 60.0
"""How long a SQLite writer waits for another one to finish its batch before failing."""

PG_CONNECT_TIMEOUT_S = 10


def redacted(url: URL) -> str:
    return url.render_as_string(hide_password=True)


def parse_url(url: str) -> URL:
    """Check a store URL and name the driver explicitly: pysqlite or psycopg 3."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(f"not a database URL: {url!r}; expected {SUPPORTED}") from exc
    backend, _, driver = parsed.drivername.partition("+")
    if backend in ("postgresql", "postgres") and driver in ("", "psycopg"):
        return parsed.set(drivername="postgresql+psycopg")
    if backend == "sqlite" and driver in ("", "pysqlite"):
        _check_sqlite_path(parsed.database)
        return parsed.set(drivername="sqlite+pysqlite")
    raise StoreError(
        f"unsupported store URL scheme {parsed.drivername!r} in {redacted(parsed)}; "
        f"expected {SUPPORTED}"
    )


def _check_sqlite_path(database: str | None) -> None:
    if not database or database == ":memory:" or database.startswith("file:"):
        raise StoreError(
            "the SQLite store must be a file, e.g. sqlite:///threadline.db "
            "(in-memory databases are not supported)"
        )
    folder = Path(database).parent
    if not folder.is_dir():
        raise StoreError(
            f"cannot create the SQLite store {database}: folder {folder} does not exist"
        )


def _json_dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


def create(url: URL) -> Engine:
    """An engine for a URL from :func:`parse_url`, connected once to prove it works."""
    common: dict[str, Any] = {"json_serializer": _json_dumps, "json_deserializer": orjson.loads}
    try:
        if url.get_backend_name() == "sqlite":
            engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S}, **common)
            _configure_sqlite(engine)
        else:
            engine = create_engine(
                url,
                pool_pre_ping=True,
                connect_args={"connect_timeout": PG_CONNECT_TIMEOUT_S},
                **common,
            )
    except (NoSuchModuleError, ImportError) as exc:
        raise StoreError(
            f"no driver for {url.drivername}: install threadline[postgres] (psycopg 3)"
        ) from exc
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except DBAPIError as exc:
        engine.dispose()
        raise connect_error(url, exc) from exc
    return engine


def reason(exc: Exception) -> str:
    """The first line of what the database said, without SQLAlchemy's wrapping."""
    cause = exc.orig if isinstance(exc, DBAPIError) and exc.orig else exc
    lines = str(cause).strip().splitlines()
    return lines[0] if lines else type(cause).__name__


def connect_error(url: URL, exc: DBAPIError) -> StoreError:
    if url.get_backend_name() == "sqlite":
        return StoreError(f"cannot open the SQLite store {url.database}: {reason(exc)}")
    where = f"{url.host}:{url.port or 5432}" if url.host else "the local socket"
    return StoreError(
        f"cannot connect to PostgreSQL at {where} (database {url.database!r}): {reason(exc)}. "
        "The server may be down or not accepting connections there."
    )


def describe(engine: Engine) -> str:
    """Backend name and server version, e.g. ``sqlite 3.40.1``."""
    version = engine.dialect.server_version_info or ()
    return f"{engine.dialect.name} {'.'.join(str(v) for v in version)}".strip()


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # The driver's own transaction handling would BEGIN lazily and only before DML, so the
        # duplicate check of a batch could run outside its transaction: take control of BEGIN.
        dbapi_conn.isolation_level = None
        for pragma in (
            # before WAL, which writes the header of a new file: bigger pages mean fewer page
            # writes per batch (15-30% faster ingest); no effect on an existing file
            "page_size=16384",
            "journal_mode=WAL",  # readers never block the writer, nor the writer readers
            "synchronous=NORMAL",  # durable at each checkpoint; WAL keeps the file consistent
            "foreign_keys=ON",
            "temp_store=MEMORY",
            "cache_size=-65536",  # 64 MiB: the indexes of a big batch stay in memory
            # checkpoint every ~64 MiB of WAL rather than 4 MiB: a page the FTS index rewrites
            # in batch after batch is then copied into the database once, not each time
            "wal_autocheckpoint=4000",
        ):
            dbapi_conn.execute(f"PRAGMA {pragma}")

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get(BEGIN_OPTION)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if mode == "IMMEDIATE" else "BEGIN")

"""How each backend writes a batch fast: plain SQL at the driver level, not per-row ORM work.

Both writers run inside the caller's transaction and only insert; the caller decides what is
new. Each takes a write lock first, so that the ids it found absent stay absent until commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from sqlalchemy import Connection

from threadline.store.rows import AD_COLUMNS, Row

IN_CHUNK = 500
"""Values per ``IN (...)`` list: far below SQLite's variable limit (999 before 3.32)."""

PG_WRITE_LOCK = 0x7468_7264_7772_6974
"""Advisory lock serialising batch writes on PostgreSQL, as ``BEGIN IMMEDIATE`` does on
SQLite. Batches are short, so two analysts ingesting at once wait a little, never fail."""


class Writer(Protocol):
    def lock(self, conn: Connection) -> None: ...
    def existing(self, conn: Connection, table: str, column: str, values: list[str]) -> set[str]:
        """Which of ``values`` the table already holds in ``column``."""
        ...

    def insert_ads(self, conn: Connection, rows: list[Row]) -> None:
        """Insert ad rows (in ``AD_COLUMNS`` order), skipping any id already held."""
        ...

    def insert(self, conn: Connection, table: str, columns: Sequence[str], rows: list[Row]) -> None:
        """Insert rows that cannot conflict (identifiers and flags of new adverts)."""
        ...

    def insert_new(
        self, conn: Connection, table: str, columns: Sequence[str], rows: list[Row]
    ) -> None:
        """Insert rows, skipping those that conflict with a unique key."""
        ...


def _insert_sql(table: str, columns: Sequence[str], mark: str, suffix: str = "") -> str:
    marks = ", ".join([mark] * len(columns))
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks}){suffix}"


# ON CONFLICT everywhere ads or quarantine are inserted: a writer that does not take the lock
# (another tool, an older version) can then never make a batch fail on a duplicate.
_SKIP = " ON CONFLICT DO NOTHING"
_AD_LIST = ", ".join(AD_COLUMNS)


class SqliteWriter:
    """``executemany`` through the sqlite3 driver; the full-text index once per batch.

    FTS5 (3.40) writes its pending terms out as a new index segment at every statement
    boundary, so indexing adverts one statement each (which is what ``executemany`` does with
    a row trigger) makes a tiny segment per advert and constant merging: measured three times
    slower than indexing a batch in one statement. So the adverts go into ``ads`` without a
    trigger (migration 0003) and the batch's new rows are indexed with one
    ``INSERT INTO ads_fts ... SELECT``, in the same transaction: no row is ever stored without
    its index entry, and none is copied through a staging table.
    """

    def __init__(self) -> None:
        self._insert = _insert_sql("ads", AD_COLUMNS, "?", _SKIP)
        self._index = (
            "INSERT INTO ads_fts(rowid, title, body) SELECT seq, title, body FROM ads WHERE seq > ?"
        )

    def lock(self, conn: Connection) -> None:
        """Nothing to do: the transaction began with ``BEGIN IMMEDIATE``."""

    def existing(self, conn: Connection, table: str, column: str, values: list[str]) -> set[str]:
        found: set[str] = set()
        for i in range(0, len(values), IN_CHUNK):
            chunk = tuple(values[i : i + IN_CHUNK])
            marks = ", ".join("?" * len(chunk))
            sql = f"SELECT {column} FROM {table} WHERE {column} IN ({marks})"
            found.update(row[0] for row in conn.exec_driver_sql(sql, chunk))
        return found

    def insert_ads(self, conn: Connection, rows: list[Row]) -> None:
        if not rows:
            return
        # the write lock is held (BEGIN IMMEDIATE), so every row above the current top is ours
        top = conn.exec_driver_sql("SELECT coalesce(max(seq), 0) FROM ads").scalar_one()
        conn.exec_driver_sql(self._insert, rows)
        conn.exec_driver_sql(self._index, (top,))

    def insert(self, conn: Connection, table: str, columns: Sequence[str], rows: list[Row]) -> None:
        if rows:
            conn.exec_driver_sql(_insert_sql(table, columns, "?"), rows)

    def insert_new(
        self, conn: Connection, table: str, columns: Sequence[str], rows: list[Row]
    ) -> None:
        if rows:
            conn.exec_driver_sql(_insert_sql(table, columns, "?", _SKIP), rows)


class PostgresWriter:
    """``COPY`` through psycopg 3: several times faster than INSERT for thousands of rows.

    COPY cannot skip conflicts, so adverts are copied into a temporary table first and moved
    with ``INSERT ... SELECT ... ON CONFLICT DO NOTHING``. Identifiers and flags belong to
    adverts inserted in this very transaction, so they cannot conflict and are copied directly.
    """

    def lock(self, conn: Connection) -> None:
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_WRITE_LOCK})")

    def existing(self, conn: Connection, table: str, column: str, values: list[str]) -> set[str]:
        if not values:
            return set()
        sql = f"SELECT {column} FROM {table} WHERE {column} = ANY(%s)"
        return {row[0] for row in conn.exec_driver_sql(sql, (values,))}

    def insert_ads(self, conn: Connection, rows: list[Row]) -> None:
        if not rows:
            return
        # made and dropped with each transaction: no state left on a pooled connection
        conn.exec_driver_sql(
            f"CREATE TEMP TABLE ads_stage ON COMMIT DROP AS SELECT {_AD_LIST} FROM ads WITH NO DATA"
        )
        self._copy(conn, "ads_stage", AD_COLUMNS, rows)
        conn.exec_driver_sql(
            f"INSERT INTO ads ({_AD_LIST}) SELECT {_AD_LIST} FROM ads_stage" + _SKIP
        )

    def insert(self, conn: Connection, table: str, columns: Sequence[str], rows: list[Row]) -> None:
        if rows:
            self._copy(conn, table, columns, rows)

    def insert_new(
        self, conn: Connection, table: str, columns: Sequence[str], rows: list[Row]
    ) -> None:
        if rows:
            conn.exec_driver_sql(_insert_sql(table, columns, "%s", _SKIP), rows)

    def _copy(self, conn: Connection, table: str, columns: Sequence[str], rows: list[Row]) -> None:
        driver: Any = conn.connection.driver_connection  # the psycopg connection, same transaction
        with (
            driver.cursor() as cursor,
            cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)


def writer_for(dialect: str) -> Writer:
    return SqliteWriter() if dialect == "sqlite" else PostgresWriter()

"""Storage behind a narrow interface: SQLite by default, PostgreSQL for teams.

    store = open_store("sqlite:///cases.db")        # or postgresql://user@host/db
    store.write_batch(docs, quarantined)
    store.search("passport taken")

Faces and runners see only :class:`Store`; :func:`open_store` is the one way in, and it
migrates the schema to the newest revision first.
"""

from __future__ import annotations

from threadline.settings import Settings
from threadline.store.base import SearchHit, Store, StoreStats, WriteResult
from threadline.store.engine import create, parse_url, redacted
from threadline.store.migrate import upgrade
from threadline.store.search import MARK_END, MARK_START
from threadline.store.sql import SqlStore

__all__ = [
    "MARK_END",
    "MARK_START",
    "SearchHit",
    "SqlStore",
    "Store",
    "StoreStats",
    "WriteResult",
    "open_store",
]


def open_store(url: str | None = None) -> SqlStore:
    """Open (creating and migrating if needed) the store at ``url``, or at ``THREADLINE_DB``.

    Raises :class:`~threadline.errors.StoreError` with a message an analyst can act on: an
    unknown scheme, a server that does not answer, a folder that does not exist.
    """
    parsed = parse_url(url if url is not None else Settings().db)
    engine = create(parsed)
    try:
        upgrade(engine)
    except BaseException:
        engine.dispose()
        raise
    return SqlStore(engine, redacted(parsed))

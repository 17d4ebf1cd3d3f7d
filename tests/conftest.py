"""Shared fixtures.

The store suite runs on SQLite (a file under tmp_path) and on the PostgreSQL server at
127.0.0.1:5432: one fresh database per test session, an empty schema per test. Set
``THREADLINE_TEST_PG=off`` to skip the PostgreSQL runs; otherwise a server that does not answer
fails them, with instructions, rather than skipping quietly.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from threadline.model import Ad, Doc, Flag, Identifier, Span
from threadline.store import SqlStore, open_store

PG_ADMIN_URL = os.environ.get("THREADLINE_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
"""A database to connect to while creating and dropping the session's test database."""


def pg_enabled() -> bool:
    return os.environ.get("THREADLINE_TEST_PG", "").strip().lower() != "off"


def _admin() -> Any:
    import psycopg

    try:
        return psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        reason = str(exc).strip().splitlines()[0]
    url = make_url(PG_ADMIN_URL)
    pytest.fail(  # outside the except block, so the report is this message alone
        f"PostgreSQL is not reachable at {url.host}:{url.port or 5432} (server down?): "
        f"{reason}\n"
        "Start it with `pg_ctlcluster --skip-systemctl-redirect 15 main start` (what .ci/run "
        "does), or set THREADLINE_TEST_PG=off to skip the PostgreSQL tests.",
        pytrace=False,
    )


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """URL of a database created for this test session (and dropped after it)."""
    if not pg_enabled():
        pytest.skip("PostgreSQL tests skipped: THREADLINE_TEST_PG=off")
    name = f"threadline_test_{os.getpid()}"
    with _admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    with _admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_url(pg_database: str) -> str:
    """The session's PostgreSQL database, emptied: each test starts from no schema at all."""
    import psycopg

    with psycopg.connect(pg_database, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")
    return pg_database


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Any) -> str:
    """A URL for an empty store, once per backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.fixture
def store(store_url: str) -> Iterator[SqlStore]:
    opened = open_store(store_url)
    yield opened
    opened.close()


def build_ad(
    title: str = "Hostess wanted",
    body: str = "Good pay, travel arranged, we keep your passport safe.",
    *,
    source: str = "test",
    posted_at: datetime | None = None,
    **fields: Any,
) -> Ad:
    """An advert whose id and content hash derive simply from its text (ingest does more)."""
    digest = hashlib.sha256(f"{source}\x00{title}\x00{body}".encode()).hexdigest()
    return Ad(
        id=fields.pop("id", digest[:16]),
        source=source,
        title=title,
        body=body,
        content_hash=digest,
        posted_at=posted_at,
        **fields,
    )


def build_doc(ad: Ad, *, phones: tuple[str, ...] = (), flags: tuple[str, ...] = ()) -> Doc:
    """A document with one identifier per phone and one flag per rule id, spans into the text."""
    text = ad.text
    identifiers = tuple(
        Identifier(
            ad_id=ad.id,
            kind="phone",
            value=phone,
            raw=phone,
            span=Span(0, min(len(text), 5)),
            confidence=0.9,
            stage="extract.phone@1",
            attrs={"country": "US"},
        )
        for phone in phones
    )
    hits = tuple(
        Flag(
            ad_id=ad.id,
            rule_id=rule,
            category="control",
            weight=1.5,
            span=Span(0, min(len(text), 4)),
            evidence=text[:4],
            citation="UNODC, Human Trafficking Indicators",
            stage="indicators@1",
        )
        for rule in flags
    )
    return Doc(ad=ad, identifiers=identifiers, flags=hits)


@pytest.fixture
def make_ad() -> Callable[..., Ad]:
    return build_ad


@pytest.fixture
def make_doc() -> Callable[..., Doc]:
    return build_doc

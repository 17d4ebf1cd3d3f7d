"""The store's tables as SQLAlchemy Core metadata, shared by SQLite and PostgreSQL.

This is the *current* shape, used to build queries. The migrations under ``migrations/``
create it; ``tests/store`` checks that the two agree. Full-text search is not described here:
it is dialect-specific (an FTS5 table on SQLite, a generated ``tsv`` column on PostgreSQL) and
lives only in the migrations and in :mod:`threadline.store.search`.

``ads`` has a surrogate integer key ``seq`` besides its text ``id``: on SQLite ``seq`` is the
rowid, and the FTS5 index points at rowids. An implicit rowid may be renumbered by ``VACUUM``,
which would silently detach the index from its adverts; an ``INTEGER PRIMARY KEY`` never is.
``id`` stays the key every other table and every face uses (unique, not null).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Dialect,
    Double,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
)
from sqlalchemy.types import TypeDecorator, TypeEngine

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# An INTEGER PRIMARY KEY on SQLite (the rowid alias), a BIGINT identity elsewhere.
SeqType = BigInteger().with_variant(Integer(), "sqlite")


def as_utc(value: datetime) -> datetime:
    """The same instant in UTC. A naive datetime is taken to be UTC already."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    if value.tzinfo is UTC:
        return value
    return value.astimezone(UTC)


def sqlite_time(value: datetime | None) -> str | None:
    """ISO-8601 UTC text with a fixed width, so that text order is time order in SQLite."""
    if value is None:
        return None
    return as_utc(value).isoformat(timespec="microseconds")


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware instant: TIMESTAMPTZ on PostgreSQL, ISO-8601 UTC text on SQLite.

    Values always come back as aware datetimes in UTC, whatever the session time zone.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(Text())
        return dialect.type_descriptor(DateTime(timezone=True))

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        return sqlite_time(value) if dialect.name == "sqlite" else as_utc(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):
            return as_utc(datetime.fromisoformat(value))
        if isinstance(value, datetime):
            return as_utc(value)
        raise TypeError(f"unexpected stored time {value!r}")


ads = Table(
    "ads",
    metadata,
    Column("seq", SeqType, primary_key=True, autoincrement=True),
    Column("id", Text, nullable=False, unique=True),
    Column("content_hash", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("source_id", Text),
    Column("url", Text),
    Column("captured_at", UTCDateTime),
    Column("posted_at", UTCDateTime),
    Column("title", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("language", Text),
    Column("place", Text),
    Column("images", JSON, nullable=False),
    Column("raw", JSON, nullable=False),
    Column("locator", Text),
    Column("ingested_at", UTCDateTime, nullable=False),
    Index(None, "posted_at"),
    Index(None, "source"),
)

identifiers = Table(
    "identifiers",
    metadata,
    Column("seq", SeqType, primary_key=True, autoincrement=True),
    Column("ad_id", Text, ForeignKey("ads.id", ondelete="CASCADE"), nullable=False),
    Column("kind", Text, nullable=False),
    Column("value", Text, nullable=False),
    Column("raw", Text, nullable=False),
    Column("span_start", Integer, nullable=False),
    Column("span_end", Integer, nullable=False),
    Column("confidence", Double, nullable=False),
    Column("stage", Text, nullable=False),
    Column("attrs", JSON, nullable=False),
    # (kind, value) answers "which adverts share this phone?", the pivot of every investigation
    Index(None, "kind", "value"),
    Index(None, "ad_id"),
)

flags = Table(
    "flags",
    metadata,
    Column("seq", SeqType, primary_key=True, autoincrement=True),
    Column("ad_id", Text, ForeignKey("ads.id", ondelete="CASCADE"), nullable=False),
    Column("rule_id", Text, nullable=False),
    Column("category", Text, nullable=False),
    Column("weight", Double, nullable=False),
    Column("span_start", Integer, nullable=False),
    Column("span_end", Integer, nullable=False),
    Column("evidence", Text, nullable=False),
    Column("citation", Text, nullable=False),
    Column("stage", Text, nullable=False),
    Index(None, "ad_id"),
    Index(None, "rule_id"),
    Index(None, "category"),
)

assessments = Table(
    "assessments",
    metadata,
    Column("seq", SeqType, primary_key=True, autoincrement=True),
    Column("ad_id", Text, ForeignKey("ads.id", ondelete="CASCADE"), nullable=False),
    Column("domain", Text, nullable=False),
    Column("score", Double, nullable=False),
    Column("threshold", Double, nullable=False),
    Column("job_fraud", Double),
    Column("stage", Text, nullable=False),
    Column("basis", Text, nullable=False),
    Column("contributions", JSON, nullable=False),
    Index(None, "ad_id"),
    Index(None, "score"),
)

quarantine = Table(
    "quarantine",
    metadata,
    Column("seq", SeqType, primary_key=True, autoincrement=True),
    Column("key", Text, nullable=False, unique=True),
    Column("stage", Text, nullable=False),
    Column("code", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("locator", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("record", Text, nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("at", UTCDateTime, nullable=False),
)


link_signatures = Table(
    "link_signatures",
    metadata,
    Column("ad_id", Text, ForeignKey("ads.id", ondelete="CASCADE"), primary_key=True),
    Column("stage", Text, nullable=False),
    Column("settings", Text, nullable=False),
    Column("minhash", LargeBinary, nullable=False),
    Column("data", JSON, nullable=False),
    Column("digest", Text, nullable=False),
    Column("linked", Boolean, nullable=False),
    Index(None, "linked"),
)

link_keys = Table(
    "link_keys",
    metadata,
    Column("key", Text, nullable=False),
    Column("ad_id", Text, ForeignKey("ads.id", ondelete="CASCADE"), nullable=False),
    PrimaryKeyConstraint("key", "ad_id"),
    Index(None, "ad_id"),
)

link_verdicts = Table(
    "link_verdicts",
    metadata,
    Column("key", Text, primary_key=True),
    Column("adverts", Integer, nullable=False),
    Column("groups", Integer, nullable=False),
    Column("concurrent", Integer, nullable=False),
    Column("hub", Boolean, nullable=False),
)

links = Table(
    "links",
    metadata,
    Column("a", Text, nullable=False),
    Column("b", Text, nullable=False),
    Column("weight", Double, nullable=False),
    Column("evidence", JSON, nullable=False),
    Column("stage", Text, nullable=False),
    PrimaryKeyConstraint("a", "b"),
    Index(None, "b"),
)

operations = Table(
    "operations",
    metadata,
    Column("id", Text, primary_key=True),
    Column("rank", Integer, nullable=False),
    Column("score", Double, nullable=False),
    Column("risk", Double, nullable=False),
    Column("size", Integer, nullable=False),
    Column("first_posted", UTCDateTime),
    Column("last_posted", UTCDateTime),
    Column("features", JSON, nullable=False),
    Column("explanation", JSON, nullable=False),
    Column("stage", Text, nullable=False),
    Column("linked_at", UTCDateTime, nullable=False),
    Index(None, "rank"),
)

operation_members = Table(
    "operation_members",
    metadata,
    Column("ad_id", Text, primary_key=True),
    Column("operation_id", Text, nullable=False),
    Index(None, "operation_id"),
)

judgements = Table(
    "judgements",
    metadata,
    Column("seq", SeqType, primary_key=True, autoincrement=True),
    Column("target", Text, nullable=False),
    Column("subject", Text, nullable=False),
    Column("verdict", Text, nullable=False),
    Column("members", JSON, nullable=False),
    Column("analyst", Text, nullable=False),
    Column("note", Text, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Index(None, "subject"),
)

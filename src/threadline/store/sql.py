"""The SQL store: one SQLAlchemy Core implementation of :class:`~threadline.store.base.Store`
for SQLite (the default, one file) and PostgreSQL (for teams)."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, or_, select
from sqlalchemy.exc import DBAPIError

from threadline.errors import StoreError
from threadline.model import Ad, Assessment, Doc, Flag, Identifier, Quarantined
from threadline.store import search as fts
from threadline.store.base import SearchHit, StoreStats, WriteResult
from threadline.store.engine import WRITE_OPTIONS, describe, reason
from threadline.store.links import LinkTables
from threadline.store.rows import (
    ASSESSMENT_COLUMNS,
    FLAG_COLUMNS,
    IDENTIFIER_COLUMNS,
    QUARANTINE_COLUMNS,
    Encoder,
    ad_from_row,
    assessment_from_row,
    flag_from_row,
    identifier_from_row,
    quarantined_from_row,
)
from threadline.store.schema import (
    ads,
    assessments,
    flags,
    identifiers,
    judgements,
    operation_members,
    operations,
    quarantine,
)
from threadline.store.writers import writer_for


def _stage_name(producer: str) -> str:
    """``extract.phone`` from ``extract.phone@1``."""
    return producer.partition("@")[0]


def _flagged(conn: Connection) -> dict[str, int]:
    """Adverts whose score reaches its threshold, per domain."""
    stmt = (
        select(assessments.c.domain, func.count())
        .where(assessments.c.score >= assessments.c.threshold)
        .group_by(assessments.c.domain)
        .order_by(assessments.c.domain)
    )
    return {str(domain): int(n) for domain, n in conn.execute(stmt)}


SIGN_STAGE = "link.sign"
"""The stage whose output (one signature per advert) goes to the linking tables: the name of
``threadline.link.stage.sign_advert``, repeated because the store never imports stages."""


def _count(conn: Connection, table: Any) -> int:
    return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


UNKNOWN_LANGUAGE = "und"
"""ISO 639 "undetermined", the key under which stats count adverts without a language."""


class SqlStore(LinkTables):
    """Adverts, identifiers, flags and quarantine in SQLite or PostgreSQL.

    Open one with :func:`threadline.store.open_store`, which also migrates the schema. Safe to
    share between threads: each call takes its own connection from the engine's pool.
    """

    def __init__(self, engine: Engine, url: str) -> None:
        self.engine = engine
        self.url = url
        """The store's URL, password hidden."""
        self.dialect = engine.dialect.name
        self._encode = Encoder(self.dialect)
        self._writer = writer_for(self.dialect)
        # COPY goes to psycopg directly, so its errors arrive unwrapped by SQLAlchemy
        self._driver_error: type[Exception] = engine.dialect.loaded_dbapi.Error

    def __enter__(self) -> SqlStore:
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _exc: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _connect(self, action: str, *, write: bool = False) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn:
                if write:
                    conn = conn.execution_options(**WRITE_OPTIONS)
                with conn.begin():
                    yield conn
        except (DBAPIError, self._driver_error) as exc:
            raise StoreError(f"{action} failed: {reason(exc)}") from exc

    # --- writing ---------------------------------------------------------------------------

    def write_batch(self, docs: Sequence[Doc], quarantined: Sequence[Quarantined]) -> WriteResult:
        """Write new adverts (with identifiers and flags) and quarantine entries, in one
        transaction; anything already held, or repeated in the batch, counts as duplicate."""
        batch: dict[str, Doc] = {}
        for doc in docs:
            if doc.ad is None:
                raise ValueError("write_batch was given a Doc without an advert")
            batch.setdefault(doc.ad.id, doc)
        entries: dict[str, Quarantined] = {}
        for q in quarantined:
            entries.setdefault(q.key, q)
        if not batch and not entries:
            return WriteResult(0, 0, 0)
        now = datetime.now(UTC)
        with self._connect("writing a batch (nothing of it was stored)", write=True) as conn:
            self._writer.lock(conn)
            for ad_id in self._writer.existing(conn, "ads", "id", list(batch)):
                del batch[ad_id]
            for key in self._writer.existing(conn, "quarantine", "key", list(entries)):
                del entries[key]
            new = list(batch.values())
            self._insert_ads(conn, [d.ad for d in new if d.ad is not None], now)
            self._insert_identifiers(conn, [i for d in new for i in d.identifiers])
            self._insert_flags(conn, [f for d in new for f in d.flags])
            self._insert_assessments(conn, [d.assessment for d in new if d.assessment])
            self._insert_quarantine(conn, list(entries.items()), now)
        return WriteResult(
            written=len(batch), duplicate=len(docs) - len(batch), quarantined=len(entries)
        )

    # One method per table, so that a test can make the batch fail at any point
    def _insert_ads(self, conn: Connection, new: list[Ad], now: datetime) -> None:
        self._writer.insert_ads(conn, self._encode.ads(new, now))

    def _insert_identifiers(self, conn: Connection, new: list[Identifier]) -> None:
        rows = self._encode.identifiers(new)
        self._writer.insert(conn, "identifiers", IDENTIFIER_COLUMNS, rows)

    def _insert_flags(self, conn: Connection, new: list[Flag]) -> None:
        self._writer.insert(conn, "flags", FLAG_COLUMNS, self._encode.flags(new))

    def _insert_assessments(self, conn: Connection, new: list[Assessment]) -> None:
        rows = self._encode.assessments(new)
        self._writer.insert(conn, "assessments", ASSESSMENT_COLUMNS, rows)

    def _insert_quarantine(
        self, conn: Connection, new: list[tuple[str, Quarantined]], now: datetime
    ) -> None:
        rows = self._encode.quarantine(new, now)
        self._writer.insert_new(conn, "quarantine", QUARANTINE_COLUMNS, rows)

    def write_derived(
        self, docs: Sequence[Doc], quarantined: Sequence[Quarantined], stages: Collection[str]
    ) -> int:
        """Replace the named stages' identifiers, flags and assessments of these adverts, in
        one transaction (see :meth:`Store.write_derived`)."""
        ad_ids = [d.ad.id for d in docs if d.ad is not None]
        entries = {q.key: q for q in quarantined}
        names = sorted(stages)
        now = datetime.now(UTC)
        found = [i for d in docs for i in d.identifiers if _stage_name(i.stage) in stages]
        signing = [stage for stage in stages if stage == SIGN_STAGE]
        signed = [d.signature for d in docs if d.signature is not None]
        hits = [f for d in docs for f in d.flags if _stage_name(f.stage) in stages]
        scores = [
            d.assessment
            for d in docs
            if d.assessment is not None and _stage_name(d.assessment.stage) in stages
        ]
        with self._connect("writing derived values (nothing of it was stored)", write=True) as conn:
            self._writer.lock(conn)
            for i in range(0, len(ad_ids), 500):
                chunk = ad_ids[i : i + 500]
                for table in (identifiers, flags, assessments):
                    produced_by = or_(*(table.c.stage.like(f"{n}@%") for n in names))
                    conn.execute(delete(table).where(table.c.ad_id.in_(chunk), produced_by))
            for key in self._writer.existing(conn, "quarantine", "key", list(entries)):
                del entries[key]
            self._insert_identifiers(conn, found)
            self._insert_flags(conn, hits)
            self._insert_assessments(conn, scores)
            if signing:
                self._write_signatures(conn, ad_ids, signed, SIGN_STAGE)
            self._insert_quarantine(conn, list(entries.items()), now)
        return len(found) + len(hits) + len(scores) + len(signed)

    # --- reading ---------------------------------------------------------------------------

    def iter_ads(self, *, batch_size: int = 5000, unscanned: bool = False) -> Iterator[list[Ad]]:
        # keyset pagination on seq: each page is one short read, so a long scan holds no
        # transaction open and sees adverts ingested meanwhile
        last = 0
        while True:
            stmt = select(ads).where(ads.c.seq > last).order_by(ads.c.seq).limit(batch_size)
            if unscanned:
                stmt = stmt.where(self._unsigned())
            with self._connect("reading adverts") as conn:
                rows = conn.execute(stmt).mappings().all()
            if not rows:
                return
            last = int(rows[-1]["seq"])
            yield [ad_from_row(r) for r in rows]

    def seq_ranges(self, batch_size: int, *, unscanned: bool = False) -> list[tuple[int, int]]:
        """``(first, last)`` storage positions of consecutive batches of adverts (each
        ``batch_size`` adverts), for workers that read their batch themselves."""
        stmt = select(ads.c.seq).order_by(ads.c.seq)
        if unscanned:
            stmt = stmt.where(self._unsigned())
        with self._connect("planning batches") as conn:
            seqs = [int(x) for x in conn.execute(stmt).scalars()]
        return [
            (seqs[i], seqs[min(i + batch_size, len(seqs)) - 1])
            for i in range(0, len(seqs), batch_size)
        ]

    def ads_between(self, first: int, last: int, *, unscanned: bool = False) -> list[Ad]:
        """The adverts stored at positions ``first`` to ``last``, in storage order."""
        stmt = select(ads).where(ads.c.seq >= first, ads.c.seq <= last).order_by(ads.c.seq)
        if unscanned:
            stmt = stmt.where(self._unsigned())
        with self._connect("reading adverts") as conn:
            return [ad_from_row(r) for r in conn.execute(stmt).mappings()]

    def identifiers_of(self, ad_id: str) -> list[Identifier]:
        stmt = (
            select(identifiers)
            .where(identifiers.c.ad_id == ad_id)
            .order_by(identifiers.c.span_start, identifiers.c.kind)
        )
        with self._connect("reading identifiers") as conn:
            rows = conn.execute(stmt).mappings().all()
        return [identifier_from_row(r) for r in rows]

    def flags_of(self, ad_id: str) -> list[Flag]:
        stmt = (
            select(flags)
            .where(flags.c.ad_id == ad_id)
            .order_by(flags.c.span_start, flags.c.span_end, flags.c.rule_id)
        )
        with self._connect("reading flags") as conn:
            rows = conn.execute(stmt).mappings().all()
        return [flag_from_row(r) for r in rows]

    def assessment_of(self, ad_id: str) -> Assessment | None:
        stmt = select(assessments).where(assessments.c.ad_id == ad_id)
        with self._connect("reading an assessment") as conn:
            row = conn.execute(stmt.order_by(assessments.c.seq.desc())).mappings().first()
        return None if row is None else assessment_from_row(row)

    def list_assessments(
        self, *, limit: int = 20, offset: int = 0, min_score: float = 0.0, domain: str | None = None
    ) -> list[Assessment]:
        stmt = (
            select(assessments)
            .where(assessments.c.score >= min_score)
            .order_by(assessments.c.score.desc(), assessments.c.ad_id)
        )
        if domain is not None:
            stmt = stmt.where(assessments.c.domain == domain)
        with self._connect("listing assessments") as conn:
            rows = conn.execute(stmt.limit(limit).offset(offset)).mappings().all()
        return [assessment_from_row(r) for r in rows]

    def get_ad(self, ad_id: str) -> Ad | None:
        with self._connect("reading an advert") as conn:
            row = conn.execute(select(ads).where(ads.c.id == ad_id)).mappings().first()
        return None if row is None else ad_from_row(row)

    def list_ads(self, *, limit: int = 20, offset: int = 0, source: str | None = None) -> list[Ad]:
        stmt = select(ads).order_by(ads.c.posted_at.desc().nulls_last(), ads.c.id)
        if source is not None:
            stmt = stmt.where(ads.c.source == source)
        with self._connect("listing adverts") as conn:
            rows = conn.execute(stmt.limit(limit).offset(offset)).mappings().all()
        return [ad_from_row(r) for r in rows]

    def search(self, query: str, *, limit: int = 20, offset: int = 0) -> list[SearchHit]:
        words = fts.terms(query)
        if not words or limit <= 0:
            return []
        build = fts.sqlite_search if self.dialect == "sqlite" else fts.postgres_search
        with self._connect("searching") as conn:
            rows = conn.execute(build(words, limit, max(offset, 0))).mappings().all()
        return [SearchHit(ad_from_row(r), r["snippet"] or "", float(r["rank"])) for r in rows]

    def count_ads(self) -> int:
        with self._connect("counting adverts") as conn:
            return int(conn.execute(select(func.count()).select_from(ads)).scalar_one())

    def list_quarantine(self, *, limit: int = 50, offset: int = 0) -> list[Quarantined]:
        """Quarantine entries, the most recent first."""
        stmt = select(quarantine).order_by(quarantine.c.seq.desc()).limit(limit).offset(offset)
        with self._connect("listing the quarantine") as conn:
            rows = conn.execute(stmt).mappings().all()
        return [quarantined_from_row(r) for r in rows]

    def stats(self) -> StoreStats:
        with self._connect("reading statistics") as conn:

            def counts(column: Any) -> dict[str, int]:
                stmt = select(column, func.count()).group_by(column).order_by(column)
                return {
                    (UNKNOWN_LANGUAGE if key is None else str(key)): int(n)
                    for key, n in conn.execute(stmt)
                }

            total, first, last = conn.execute(
                select(func.count(), func.min(ads.c.posted_at), func.max(ads.c.posted_at))
            ).one()
            return StoreStats(
                adverts=int(total),
                sources=counts(ads.c.source),
                languages=counts(ads.c.language),
                quarantined=counts(quarantine.c.code),
                first_posted=first,
                last_posted=last,
                identifiers=counts(identifiers.c.kind),
                flags=int(conn.execute(select(func.count()).select_from(flags)).scalar_one()),
                flag_categories=counts(flags.c.category),
                assessed=counts(assessments.c.domain),
                flagged=_flagged(conn),
                operations=_count(conn, operations),
                linked_adverts=_count(conn, operation_members),
                judgements=_count(conn, judgements),
                backend=describe(self.engine),
            )

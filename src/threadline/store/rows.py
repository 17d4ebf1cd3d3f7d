"""Model objects to database rows and back.

Writes bypass SQLAlchemy's per-row type processing (it would cost more than the database
itself at the ingest rate Threadline aims for), so these functions produce exactly what
:mod:`threadline.store.schema`'s types would: ISO-8601 UTC text for times on SQLite, aware UTC
datetimes on PostgreSQL, JSON as text. Reads go through SQLAlchemy and its types.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import RowMapping

from threadline.model import Ad, Assessment, Contribution, Flag, Identifier, Quarantined, Span
from threadline.store.schema import as_utc, sqlite_time

AD_COLUMNS = (
    "id",
    "content_hash",
    "source",
    "source_id",
    "url",
    "captured_at",
    "posted_at",
    "title",
    "body",
    "language",
    "place",
    "images",
    "raw",
    "locator",
    "ingested_at",
)
IDENTIFIER_COLUMNS = (
    "ad_id",
    "kind",
    "value",
    "raw",
    "span_start",
    "span_end",
    "confidence",
    "stage",
    "attrs",
)
FLAG_COLUMNS = (
    "ad_id",
    "rule_id",
    "category",
    "weight",
    "span_start",
    "span_end",
    "evidence",
    "citation",
    "stage",
)
QUARANTINE_COLUMNS = ("key", "stage", "code", "reason", "locator", "source", "record", "size", "at")
ASSESSMENT_COLUMNS = (
    "ad_id",
    "domain",
    "score",
    "threshold",
    "job_fraud",
    "stage",
    "basis",
    "contributions",
)

Row = tuple[Any, ...]


def _json_default(value: Any) -> Any:
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def to_json(value: Any) -> str:
    return orjson.dumps(value, default=_json_default).decode()


_REF = "$ad"
"""Marks a raw field stored by reference to the advert's own title or body column."""


def encode_raw(ad: Ad) -> str:
    """The raw record as JSON, with fields that hold exactly the advert's title or body stored
    as a reference to that column: the text is then written once, not twice (a fifth of the
    bytes of a typical advert row, and of the time to write it). Lossless: see decode_raw."""
    raw = ad.raw
    if not raw:
        return "{}"
    slim: dict[str, Any] = {}
    for key, value in raw.items():
        if isinstance(value, str) and value:
            if value == ad.body:
                value = {_REF: "body"}
            elif value == ad.title:
                value = {_REF: "title"}
        elif isinstance(value, Mapping) and _REF in value:
            value = {_REF: None, "value": value}  # a source's own "$ad" object, kept as is
        slim[key] = value
    return to_json(slim)


def decode_raw(raw: Mapping[str, Any], title: str, body: str) -> dict[str, Any]:
    """Invert :func:`encode_raw`."""
    columns = {"title": title, "body": body}
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if isinstance(value, Mapping) and _REF in value:
            value = columns[value[_REF]] if value[_REF] in columns else value["value"]
        out[key] = value
    return out


def _pg_time(value: datetime | None) -> datetime | None:
    return None if value is None else as_utc(value)


def _keep(value: str | None) -> str | None:
    return value


def _no_nul(value: str | None) -> str | None:
    # PostgreSQL text cannot hold U+0000 at all; one stray NUL must not fail a whole batch
    if value and "\x00" in value:
        return value.replace("\x00", "\ufffd")
    return value


class Encoder:
    """Row tuples for one dialect, in the column orders above."""

    def __init__(self, dialect: str) -> None:
        sqlite = dialect == "sqlite"
        self.time: Callable[[datetime | None], Any] = sqlite_time if sqlite else _pg_time
        self.text: Callable[[str | None], str | None] = _keep if sqlite else _no_nul

    def ads(self, ads: Iterable[Ad], ingested_at: datetime) -> list[Row]:
        time, text = self.time, self.text
        now = time(ingested_at)
        return [
            (
                ad.id,
                ad.content_hash,
                text(ad.source),
                text(ad.source_id),
                text(ad.url),
                time(ad.captured_at),
                time(ad.posted_at),
                text(ad.title),
                text(ad.body),
                text(ad.language),
                text(ad.place),
                to_json(ad.images) if ad.images else "[]",
                encode_raw(ad),
                text(ad.locator),
                now,
            )
            for ad in ads
        ]

    def identifiers(self, identifiers: Iterable[Identifier]) -> list[Row]:
        text = self.text
        return [
            (
                i.ad_id,
                i.kind,
                text(i.value),
                text(i.raw),
                i.span.start,
                i.span.end,
                i.confidence,
                i.stage,
                to_json(i.attrs) if i.attrs else "{}",
            )
            for i in identifiers
        ]

    def flags(self, flags: Iterable[Flag]) -> list[Row]:
        text = self.text
        return [
            (
                f.ad_id,
                f.rule_id,
                f.category,
                f.weight,
                f.span.start,
                f.span.end,
                text(f.evidence),
                text(f.citation),
                f.stage,
            )
            for f in flags
        ]

    def assessments(self, assessments: Iterable[Assessment]) -> list[Row]:
        text = self.text
        return [
            (
                a.ad_id,
                a.domain,
                a.score,
                a.threshold,
                a.job_fraud,
                a.stage,
                text(a.basis),
                to_json([_contribution_json(c, text) for c in a.contributions]),
            )
            for a in assessments
        ]

    def quarantine(self, entries: Iterable[tuple[str, Quarantined]], at: datetime) -> list[Row]:
        text = self.text
        now = self.time(at)
        return [
            (
                key,
                text(q.stage),
                text(q.code),
                text(q.reason),
                text(q.locator),
                text(q.source),
                text(q.record),
                q.size,
                now,
            )
            for key, q in entries
        ]


def ad_from_row(row: RowMapping) -> Ad:
    """An :class:`Ad` from a row of ``ads`` read through SQLAlchemy (types applied)."""
    return Ad(
        id=row["id"],
        source=row["source"],
        title=row["title"],
        body=row["body"],
        content_hash=row["content_hash"],
        source_id=row["source_id"],
        url=row["url"],
        captured_at=row["captured_at"],
        posted_at=row["posted_at"],
        language=row["language"],
        place=row["place"],
        images=tuple(row["images"]),
        raw=decode_raw(row["raw"], row["title"], row["body"]),
        locator=row["locator"],
    )


def identifier_from_row(row: RowMapping) -> Identifier:
    return Identifier(
        ad_id=row["ad_id"],
        kind=row["kind"],
        value=row["value"],
        raw=row["raw"],
        span=Span(int(row["span_start"]), int(row["span_end"])),
        confidence=float(row["confidence"]),
        stage=row["stage"],
        attrs=dict(row["attrs"] or {}),
    )


def _contribution_json(c: Contribution, text: Callable[[str | None], str | None]) -> dict[str, Any]:
    return {
        "source": c.source,
        "category": c.category,
        "weight": c.weight,
        "effect": c.effect,
        "span": None if c.span is None else [c.span.start, c.span.end],
        "evidence": text(c.evidence),
        "citation": text(c.citation),
    }


def flag_from_row(row: RowMapping) -> Flag:
    return Flag(
        ad_id=row["ad_id"],
        rule_id=row["rule_id"],
        category=row["category"],
        weight=float(row["weight"]),
        span=Span(int(row["span_start"]), int(row["span_end"])),
        evidence=row["evidence"],
        citation=row["citation"],
        stage=row["stage"],
    )


def assessment_from_row(row: RowMapping) -> Assessment:
    contributions = tuple(
        Contribution(
            source=c["source"],
            category=c["category"],
            weight=float(c["weight"]),
            effect=float(c["effect"]),
            span=None if c["span"] is None else Span(int(c["span"][0]), int(c["span"][1])),
            evidence=c["evidence"],
            citation=c["citation"],
        )
        for c in row["contributions"]
    )
    return Assessment(
        ad_id=row["ad_id"],
        domain=row["domain"],
        score=float(row["score"]),
        threshold=float(row["threshold"]),
        contributions=contributions,
        stage=row["stage"],
        job_fraud=None if row["job_fraud"] is None else float(row["job_fraud"]),
        basis=row["basis"],
    )


def quarantined_from_row(row: RowMapping) -> Quarantined:
    return Quarantined(
        stage=row["stage"],
        code=row["code"],
        reason=row["reason"],
        locator=row["locator"],
        record=row["record"],
        source=row["source"],
        size=row["size"],
    )

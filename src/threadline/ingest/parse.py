"""Stages that turn a raw record into an :class:`~threadline.model.Ad`.

``ingest.html`` pulls the main text, title, date and address out of a saved page;
``ingest.parse`` applies the column mapping, validates, and computes the stable id.
Both are pure: the same record gives the same advert on any machine.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

import trafilatura

from threadline.errors import RecordError
from threadline.ingest.mapping import DEFAULT_ALIASES, FieldMapping
from threadline.model import Ad, Doc, JSONValue, RawRecord

_TEXT_FIELDS = (
    "source_id",
    "source",
    "url",
    "captured_at",
    "posted_at",
    "title",
    "body",
    "language",
    "place",
)
_DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%m/%d/%Y",
    "%d.%m.%Y",
    "%Y/%m/%d",
)


def content_hash(ad_fields: Mapping[str, str | None]) -> str:
    """SHA-256 of what makes an advert itself: source, its own id, address, date and text.

    White space is folded so a re-export with other line endings is still the same advert;
    the capture time is left out so capturing the same advert twice adds nothing.
    """
    key = "\x1f".join(
        " ".join((ad_fields.get(name) or "").split())
        for name in ("source", "source_id", "url", "posted_at", "title", "body")
    )
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def advert_id(digest: str, posted: datetime | None) -> str:
    """``ad-YYYYMMDD-`` + 20 hex digits of the content hash (``ad-undated-...`` without a date).

    Content-derived, so stable everywhere; the posting day in front tells an analyst when the
    advert ran, and makes new adverts land together at the end of the id index instead of on
    random pages of it (a third faster to write once a store holds a million adverts).
    """
    day = posted.strftime("%Y%m%d") if posted else "undated"
    return f"ad-{day}-{digest[:20]}"


def parse_datetime(value: str) -> datetime | None:
    """ISO 8601 and a few common layouts; naive times are taken as UTC. None if unreadable."""
    value = value.strip()
    if not value:
        return None
    parsed = _parse_naive_or_aware(value)
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _parse_naive_or_aware(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        pass
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt)
        except ValueError:
            continue
    return None


def _as_text(value: JSONValue) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float, bool)):
        return str(value)
    raise RecordError(f"bad-field: expected text, got {type(value).__name__}")


def _images(value: JSONValue) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        return tuple(p.strip() for p in re.split(r"[|;\s]+", value) if p.strip())
    if isinstance(value, list):
        return tuple(str(v) for v in value if v)
    raise RecordError(f"bad-field: images must be a list or text, got {type(value).__name__}")


@dataclass(frozen=True, slots=True)
class ParseStage:
    """``ingest.parse``: raw record -> advert, with the mapping and the size limit."""

    mapping: FieldMapping = field(default_factory=FieldMapping)
    max_field_chars: int = 1_000_000
    name: str = "ingest.parse"
    version: int = 1
    requires: frozenset[str] = frozenset({"raw"})
    assigns: frozenset[str] = frozenset({"ad"})

    def __call__(self, doc: Doc) -> Doc:
        raw = doc.raw
        if raw is None:
            raise RecordError("no-record: nothing to parse")
        # not dataclasses.replace: this runs a million times per ingest and replace is slow
        return replace(doc, ad=self.parse(raw))

    def _field(self, rec: RawRecord, names: tuple[str, ...]) -> JSONValue:
        if not names:
            return None
        if len(names) == 1:
            return rec.fields.get(names[0])
        parts = [_as_text(rec.fields.get(n)).strip() for n in names]
        return "\n\n".join(p for p in parts if p)

    def parse(self, rec: RawRecord) -> Ad:
        text: dict[str, str | None] = {}
        sources = self.mapping.resolve(tuple(rec.fields))
        for name in _TEXT_FIELDS:
            value = _as_text(self._field(rec, sources[name]))
            if len(value) > self.max_field_chars:
                raise RecordError(
                    f"too-large: field {name!r} has {len(value):,} characters; the limit is "
                    f"{self.max_field_chars:,} (THREADLINE_MAX_FIELD_CHARS)"
                )
            text[name] = value.strip() or None
        title, body = text["title"] or "", text["body"] or ""
        if not title and not body:
            raise RecordError("missing-text: the record has no title and no body text")
        text["source"] = text["source"] or rec.source
        posted = parse_datetime(text["posted_at"] or "")
        # The id must not depend on how a date was spelled, so hash the parsed form
        text["posted_at"] = posted.isoformat() if posted else text["posted_at"]
        digest = content_hash(text)
        return Ad(
            id=advert_id(digest, posted),
            source=text["source"] or rec.source,
            title=title,
            body=body,
            content_hash=digest,
            source_id=text["source_id"],
            url=text["url"],
            captured_at=parse_datetime(text["captured_at"] or ""),
            posted_at=posted,
            language=(text["language"] or "").lower() or None,
            place=text["place"],
            images=_images(self._field(rec, sources["images"])),
            raw=rec.fields,
            locator=rec.locator,
        )


def _has_text_field(raw: RawRecord) -> bool:
    names = {k.strip().lower() for k in raw.fields}
    return any(alias in names for alias in DEFAULT_ALIASES["body"])


@dataclass(frozen=True, slots=True)
class HtmlStage:
    """``ingest.html``: a saved page -> title, main text, date and address as record fields.

    The main text comes from trafilatura, which drops menus, footers and scripts; the page
    itself stays in the raw record.
    """

    name: str = "ingest.html"
    version: int = 1
    requires: frozenset[str] = frozenset({"raw"})
    assigns: frozenset[str] = frozenset({"raw"})

    def __call__(self, doc: Doc) -> Doc:
        raw = doc.raw
        # A crawl record may carry its page beside a text field; the text field then wins
        if raw is None or "html" not in raw.fields or _has_text_field(raw):
            return doc
        html = _as_text(raw.fields["html"])
        extracted = trafilatura.bare_extraction(
            html, with_metadata=True, include_comments=False, favor_recall=True
        )
        if extracted is None:
            raise RecordError("missing-text: no main text could be found in the page")
        meta = extracted.as_dict() if hasattr(extracted, "as_dict") else dict(extracted)
        fields: dict[str, JSONValue] = {
            "title": meta.get("title") or "",
            "body": meta.get("text") or "",
            "url": meta.get("url") or "",
            "posted_at": meta.get("date") or "",
            "language": meta.get("language") or "",
            "source_id": raw.fields.get("file"),
            "html": html,
        }
        return replace(doc, raw=replace(raw, fields=fields))

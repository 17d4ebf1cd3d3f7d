"""Column mappings: which field of a foreign record fills which field of an :class:`Ad`.

Sources name their columns as they please (``ad_text``, ``description``, ``headline``...).
A mapping says, for each advert field, which source fields to read; the body may join several
(``body=description+requirements``). Without a mapping, common names are recognised.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from threadline.errors import ConfigError

AD_FIELDS = (
    "source_id",
    "source",
    "url",
    "captured_at",
    "posted_at",
    "title",
    "body",
    "language",
    "place",
    "images",
)

DEFAULT_ALIASES: Mapping[str, tuple[str, ...]] = {
    "source_id": ("source_id", "id", "ad_id", "ad_ref", "post_id", "job_id", "listing_id", "uuid"),
    "source": ("source", "site", "website", "domain", "platform"),
    "url": ("url", "link", "permalink", "href", "ad_url"),
    "captured_at": ("captured_at", "crawled_at", "scraped_at", "fetched_at", "retrieved"),
    "posted_at": ("posted_at", "date_posted", "posted", "date", "created_at", "published"),
    "title": ("title", "headline", "subject", "job_title", "name"),
    "body": ("body", "text", "ad_text", "description", "content", "message", "post", "desc"),
    "language": ("language", "lang", "locale"),
    "place": ("place", "location", "city", "region", "area"),
    "images": ("images", "image_urls", "photos", "image", "img"),
}


@dataclass(frozen=True, slots=True)
class FieldMapping:
    """Advert field -> source fields. Where the named columns are absent, the default aliases
    apply."""

    explicit: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    _resolved: dict[tuple[str, ...], dict[str, tuple[str, ...]]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def resolve(self, keys: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
        """Every advert field's source fields for records with these keys, cached per key
        set: a file's records share their keys, and this runs once per record."""
        found = self._resolved.get(keys)
        if found is None:
            found = {f: self.sources_for(f, keys) for f in AD_FIELDS}
            if len(self._resolved) < 1024:
                self._resolved[keys] = found
        return found

    def sources_for(self, ad_field: str, available: Iterable[str]) -> tuple[str, ...]:
        """The source fields that fill ``ad_field`` in a record with these field names."""
        names = {name.strip().lower(): name for name in available}
        # One ingest may mix inputs: a mapping applies where its columns exist, and the
        # common names are recognised elsewhere
        chosen = self.explicit.get(ad_field, ())
        if any(c.strip().lower() in names for c in chosen):
            return chosen
        for alias in DEFAULT_ALIASES[ad_field]:
            if alias in names:
                return (names[alias],)
        return ()

    @classmethod
    def parse(cls, specs: Iterable[str]) -> FieldMapping:
        """Parse ``--map body=description+requirements`` style options."""
        explicit: dict[str, tuple[str, ...]] = {}
        for spec in specs:
            target, sep, sources = spec.partition("=")
            target = target.strip()
            if not sep or not sources.strip():
                raise ConfigError(f"mapping {spec!r} must look like FIELD=COLUMN[+COLUMN...]")
            if target not in AD_FIELDS:
                raise ConfigError(
                    f"mapping {spec!r}: unknown advert field {target!r}; "
                    f"known fields are {', '.join(AD_FIELDS)}"
                )
            explicit[target] = tuple(s.strip() for s in sources.split("+") if s.strip())
        return cls(explicit)

    def check_columns(self, columns: Iterable[str]) -> list[str]:
        """Names in the explicit mapping that the input does not have (to warn early)."""
        have = set(columns)
        return sorted({c for cols in self.explicit.values() for c in cols} - have)

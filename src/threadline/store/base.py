"""The narrow interface every store implements. Faces and runners see only this."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from threadline.model import Ad, Assessment, Doc, Flag, Identifier, Quarantined


@dataclass(frozen=True, slots=True)
class WriteResult:
    """Outcome of writing one batch: new adverts, adverts already held, quarantine entries."""

    written: int
    duplicate: int
    quarantined: int


@dataclass(frozen=True, slots=True)
class SearchHit:
    """An advert found by full-text search, with a short excerpt around the match."""

    ad: Ad
    snippet: str
    rank: float


@dataclass(frozen=True, slots=True)
class StoreStats:
    """What the store holds, for ``threadline stats``."""

    adverts: int
    sources: dict[str, int] = field(default_factory=dict)
    languages: dict[str, int] = field(default_factory=dict)
    quarantined: dict[str, int] = field(default_factory=dict)
    first_posted: datetime | None = None
    last_posted: datetime | None = None
    identifiers: dict[str, int] = field(default_factory=dict)
    flags: int = 0
    flag_categories: dict[str, int] = field(default_factory=dict)
    assessed: dict[str, int] = field(default_factory=dict)
    """Adverts with a risk score, per domain (job, sexual_services, other)."""
    flagged: dict[str, int] = field(default_factory=dict)
    """Adverts whose risk score reaches the threshold, per domain."""
    operations: int = 0
    """Operations written by the latest linking run(s)."""
    linked_adverts: int = 0
    """Adverts in an operation."""
    judgements: int = 0
    backend: str = ""


class Store(Protocol):
    """Storage behind a narrow interface: SQLite by default, PostgreSQL for teams."""

    url: str

    def write_batch(self, docs: Sequence[Doc], quarantined: Sequence[Quarantined]) -> WriteResult:
        """Write adverts (with their identifiers and flags) and quarantine entries in ONE
        transaction. Adverts already held (same id) and quarantine entries already held
        (same key) are counted as duplicates and left untouched, so re-running is idempotent.
        """
        ...

    def write_derived(
        self, docs: Sequence[Doc], quarantined: Sequence[Quarantined], stages: Collection[str]
    ) -> int:
        """Replace what the named stages (any version) derived for these adverts with what
        ``docs`` now carry, and add quarantine entries, in ONE transaction. Re-running a scan
        therefore never duplicates an identifier or a flag. Returns the values written."""
        ...

    def iter_ads(self, *, batch_size: int = 5000, unscanned: bool = False) -> Iterator[list[Ad]]:
        """Every advert (or only those never scanned), in batches, in storage order."""
        ...

    def identifiers_of(self, ad_id: str) -> list[Identifier]:
        """The identifiers found in one advert, in text order."""
        ...

    def flags_of(self, ad_id: str) -> list[Flag]:
        """The indicator flags of one advert, in text order."""
        ...

    def assessment_of(self, ad_id: str) -> Assessment | None:
        """The advert's latest risk assessment, if it was scored."""
        ...

    def list_assessments(
        self, *, limit: int = 20, offset: int = 0, min_score: float = 0.0, domain: str | None = None
    ) -> list[Assessment]:
        """Assessments, highest score first (the triage order)."""
        ...

    def get_ad(self, ad_id: str) -> Ad | None: ...

    def list_ads(self, *, limit: int = 20, offset: int = 0, source: str | None = None) -> list[Ad]:
        """Adverts, newest posted first (then by id), optionally from one source."""
        ...

    def search(self, query: str, *, limit: int = 20, offset: int = 0) -> list[SearchHit]:
        """Full-text search over title and body (FTS5 on SQLite, tsvector on PostgreSQL).

        ``query`` is plain words as an analyst types them; it is never passed through as
        query syntax, so quotes and operators in it cannot cause errors.
        """
        ...

    def count_ads(self) -> int: ...

    def count_unsigned(self) -> int:
        """Adverts never scanned (no linking signature yet)."""
        ...

    def list_quarantine(self, *, limit: int = 50, offset: int = 0) -> list[Quarantined]: ...

    def stats(self) -> StoreStats: ...

    def close(self) -> None: ...

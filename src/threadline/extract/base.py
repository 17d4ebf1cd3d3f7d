"""What every extractor shares: a pure finder over text, wrapped as a versioned stage.

A finder is a function ``text -> list[Found]``; it never sees the store or global state, so
the same finder runs in the CLI filter, the local runner and on Dask workers. The stage adds
the advert id and its own ``name@version`` to every value, which is the provenance an analyst
sees when asking "why?".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from threadline.model import Ad, Doc, Identifier, Span


@dataclass(frozen=True, slots=True)
class Found:
    """One identifier found in a text, before it is tied to an advert."""

    kind: str
    value: str
    """Normalised value (E.164 phone, lower-case e-mail, checksummed wallet...)."""
    raw: str
    """Exactly ``text[span.start:span.end]``."""
    span: Span
    confidence: float
    attrs: Mapping[str, str] = field(default_factory=dict)


Finder = Callable[[Ad], list[Found]]
"""Finds identifiers in an advert; gets the whole advert so it can use its place or language
(a phone's default region), but reads only ``ad.text`` spans."""


@dataclass(frozen=True, slots=True)
class ExtractStage:
    """``extract.<kind>@<version>``: adds what ``finder`` finds to ``doc.identifiers``."""

    name: str
    version: int
    finder: Finder
    requires: frozenset[str] = frozenset({"ad"})
    assigns: frozenset[str] = frozenset({"identifiers"})

    @property
    def producer(self) -> str:
        return f"{self.name}@{self.version}"

    def __call__(self, doc: Doc) -> Doc:
        ad = doc.ad
        if ad is None:
            return doc
        found = self.finder(ad)
        if not found:  # most stages find nothing in most adverts: no new Doc
            return doc
        ad_id, producer = ad.id, self.producer
        made = tuple(
            [
                Identifier(ad_id, f.kind, f.value, f.raw, f.span, f.confidence, producer, f.attrs)
                for f in found
            ]
        )
        return Doc(doc.raw, ad, doc.identifiers + made, doc.flags, doc.assessment)

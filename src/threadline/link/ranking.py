"""Operation features and the triage ranking, with the reasons for every rank.

An operation's features are counts an analyst can check against its members: adverts, phones,
workers shown, cities and countries, moves between cities in posting order, posting velocity,
share of adverts flagged, payment channels, pictures per phone. The triage score adds one
term per feature (weights, caps and citations are data, in ``data/ranking.yaml``) and maps
the sum into [0, 1) as ``1 - exp(-sum / scale)``: every feature adds, none alone decides, and the
explanation lists the terms in the order of their size.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from importlib import resources

import yaml
from pydantic import BaseModel, ConfigDict, Field

from threadline.model import LinkSignature, MemberFacts, Operation, Profile

EXPLAIN_TOP = 4
"""Reasons shown per operation (all features are kept in ``Profile.features``)."""
PAYMENT_KINDS = ("wallet", "payment")


class FeatureRule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    weight: float = Field(ge=0)
    cap: float = Field(gt=0)
    why: str
    reason: str
    citation: tuple[str, ...] = Field(min_length=1)


class RankingBook(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int
    scale: float = Field(gt=0)
    features: dict[str, FeatureRule]


@functools.cache
def shipped_ranking() -> RankingBook:
    text = resources.files("threadline.link").joinpath("data/ranking.yaml").read_text("utf-8")
    return RankingBook.model_validate(yaml.safe_load(text))


@dataclass(frozen=True, slots=True)
class Features:
    """An operation's features, with the counts its explanation quotes."""

    values: dict[str, float]
    counts: dict[str, int]
    first: datetime | None
    last: datetime | None
    risk: float


def _when(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def features(
    members: Sequence[str],
    signatures: Mapping[str, LinkSignature],
    facts: Mapping[str, MemberFacts],
) -> Features:
    """Count what an operation's member adverts show."""
    n = len(members)
    keys: dict[str, set[str]] = {}
    timeline: list[tuple[datetime, str]] = []
    countries: set[str] = set()
    images = flagged = 0
    risk = 0.0
    for ad_id in members:
        sig = signatures.get(ad_id)
        fact = facts.get(ad_id, MemberFacts())
        if sig is not None:
            for key in sig.keys:
                kind, _, value = key.partition("=")
                keys.setdefault(kind, set()).add(value)
            keys.setdefault("name", set()).update(sig.names)
            when = _when(sig.posted_at)
            city = fact.cities[0] if fact.cities else sig.place
            if when is not None and city:
                timeline.append((when, city))
        countries.update(fact.countries)
        images += fact.images
        flagged += fact.flagged
        risk = max(risk, fact.risk)
    timeline.sort()
    moves = sum(1 for (_, x), (_, y) in itertools.pairwise(timeline) if x != y)
    times = [t for t, _ in timeline] or [
        t for t in (_when(signatures[m].posted_at) for m in members if m in signatures) if t
    ]
    first, last = (min(times), max(times)) if times else (None, None)
    days = max(1.0, (last - first).total_seconds() / 86400) if first and last else 1.0
    phones = len(keys.get("phone", ()))
    workers = len(keys.get("name", ()))
    payments = sum(len(keys.get(kind, ())) for kind in PAYMENT_KINDS)
    values = {
        "flagged_share": flagged / n if n else 0.0,
        "peak_risk": risk,
        "countries_beyond_first": max(0, len(countries) - 1),
        "city_moves": moves,
        "phones_beyond_first": max(0, phones - 1),
        "workers_beyond_first": max(0, workers - 1),
        "payment_channels": payments,
        "size_log2": math.log2(n) if n else 0.0,
        "adverts_per_day": n / days if n > 1 else 0.0,
        "images_per_phone": images / phones if phones else 0.0,
    }
    counts = {
        "n": n,
        "flagged": flagged,
        "countries": len(countries),
        "phones": phones,
        "workers": workers,
    }
    return Features(values, counts, first, last, risk)


def triage(found: Features, book: RankingBook | None = None) -> tuple[float, tuple[str, ...]]:
    """The triage score and its reasons, strongest first."""
    book = book or shipped_ranking()
    terms: list[tuple[float, str]] = []
    for name, rule in book.features.items():
        x = float(found.values.get(name, 0.0))
        term = rule.weight * min(x, rule.cap)
        if term > 0:
            terms.append((term, rule.why.format(x=x, **found.counts)))
    terms.sort(key=lambda t: -t[0])
    score = 1.0 - math.exp(-sum(t for t, _ in terms) / book.scale)
    return round(score, 6), tuple(why for _, why in terms[:EXPLAIN_TOP])


def rank(
    operations: Sequence[Operation],
    signatures: Mapping[str, LinkSignature],
    facts: Mapping[str, MemberFacts],
) -> list[Profile]:
    """Profiles of the operations in triage order: rank 1 is read first."""
    book = shipped_ranking()
    scored = []
    for op in operations:
        found = features(op.members, signatures, facts)
        score, why = triage(found, book)
        scored.append((score, op, found, why))
    scored.sort(key=lambda s: (-s[0], s[1].id))
    return [
        Profile(
            id=op.id,
            rank=i,
            score=score,
            size=len(op.members),
            features={k: round(float(v), 4) for k, v in found.values.items()},
            explanation=why,
            first_posted=found.first,
            last_posted=found.last,
            risk=round(found.risk, 4),
        )
        for i, (score, op, found, why) in enumerate(scored, 1)
    ]

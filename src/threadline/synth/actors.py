"""The posters behind the adverts: trafficking operations, independent workers, employers.

An actor is created once with everything that stays constant about it (its phones, wallets,
handles, personas, template versions, itinerary) and then asked for adverts in time order. Only
actors live in memory, never adverts; at a million adverts they are a few hundred thousand small
objects.

Time is integer seconds since 2026-01-01T00:00:00Z. An actor's k-th advert falls near
``start + (k + 1/2) * step``, so its adverts are spread over its active period and come out in
increasing time without storing them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from threadline.extract.wallet_checks import eip55
from threadline.synth.lexicon import Lexicon, Version
from threadline.synth.phones import Phone
from threadline.synth.places import City, Country
from threadline.synth.sites import Site

DAY = 86_400
SPAN_DAYS = 181
"""Adverts are posted between 2026-01-01 and 2026-06-30."""
SPAN = SPAN_DAYS * DAY


@dataclass(frozen=True, slots=True)
class Stop:
    country: Country
    city: City


@dataclass(frozen=True, slots=True)
class Persona:
    """A worker as an advert presents her: the name and age shown and her photos."""

    name: str
    age: int
    images: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Handle:
    platform: str
    name: str

    @property
    def value(self) -> str:
        return f"{self.platform}:{self.name.lower()}"


@dataclass(frozen=True, slots=True)
class Wallet:
    chain: str
    """``btc``, ``eth`` or ``tron``."""
    address: str

    @property
    def value(self) -> str:
        """Normalised as the extractors do: Ethereum in its EIP-55 checksummed form, though
        the adverts write it in lower case (valid, with no case checksum)."""
        if self.chain == "eth":
            return f"eth:{eip55(self.address[2:])}"
        return f"{self.chain}:{self.address}"


@dataclass(frozen=True, slots=True)
class Payment:
    service: str
    """``cashapp`` (tag starts with $), ``venmo`` (@) or ``paypal``."""
    tag: str

    @property
    def value(self) -> str:
        return f"{self.service}:{self.tag.lower()}"


@dataclass(frozen=True, slots=True)
class Website:
    host: str
    path: str


@dataclass(slots=True, kw_only=True)
class Actor:
    id: str
    lex: Lexicon
    stops: tuple[Stop, ...]
    leg: int
    """Seconds spent at each stop of the itinerary."""
    start: int
    step: float
    n_ads: int
    done: int = 0
    sites: dict[str, tuple[Site, ...]]
    """Where the actor posts, by advert kind."""
    obfuscation: float
    """Share of adverts in which contact details are written to dodge filters."""
    phone_styles: tuple[str, ...]
    plain_styles: tuple[str, ...]
    line_sep: str
    joiner: tuple[str, str]

    def time_of(self, k: int, rng: random.Random) -> int:
        return self.start + int((k + 0.5 + rng.uniform(-0.4, 0.4)) * self.step)

    def stop_at(self, t: int) -> Stop:
        return self.stops[min(len(self.stops) - 1, max(0, (t - self.start) // self.leg))]

    @property
    def home(self) -> Country:
        return self.stops[0].country

    def phone_at(self, t: int, rng: random.Random) -> Phone:
        raise NotImplementedError

    @property
    def contact_email(self) -> str | None:
        return None

    @property
    def contact_website(self) -> Website | None:
        return None


@dataclass(slots=True, kw_only=True)
class Operation(Actor):
    """A trafficking operation: third-person adverts, shared and rotating contact details."""

    focus: str
    """``labour`` or ``sexual`` exploitation."""
    phones: tuple[Phone, ...]
    phone_period: int
    phone_overlap: int
    handles: tuple[Handle, ...]
    wallets: tuple[Wallet, ...]
    payment: Payment
    email: str | None
    website: Website | None
    personas: tuple[Persona, ...]
    adult_versions: tuple[Version, ...]
    lure_versions: tuple[Version, ...]
    lure_share: float
    job: str
    dests: tuple[int, int]
    """Indexes into the destination list (the same order in every language)."""
    recruiter: str
    price_level: float
    salary_level: float
    fee_level: float
    title_upper: bool
    title_emoji: str
    lure_images: tuple[str, ...]

    @property
    def contact_email(self) -> str | None:
        return self.email

    @property
    def contact_website(self) -> Website | None:
        return self.website

    def phone_at(self, t: int, rng: random.Random) -> Phone:
        """The phone in use at ``t``: a new one every few weeks, old and new overlapping."""
        offset = max(0, t - self.start)
        i = min(len(self.phones) - 1, offset // self.phone_period)
        into = offset - i * self.phone_period
        if i > 0 and into < self.phone_overlap and rng.random() < 0.5:
            i -= 1
        return self.phones[i]


@dataclass(slots=True, kw_only=True)
class Independent(Actor):
    """An adult worker advertising herself: first person, nothing shared with anyone."""

    persona: Persona
    phone: Phone
    handle: Handle | None
    email: str | None
    website: Website | None
    versions: tuple[Version, ...]
    price_level: float

    def phone_at(self, t: int, rng: random.Random) -> Phone:
        return self.phone

    @property
    def contact_email(self) -> str | None:
        return self.email

    @property
    def contact_website(self) -> Website | None:
        return self.website


@dataclass(slots=True, kw_only=True)
class Employer(Actor):
    """A legitimate company; it re-posts identical job adverts, which is not a crime."""

    company: str
    sector: str
    website: Website
    email: str
    phone: Phone
    reposts: int
    """How many times each job advert is posted, word for word."""
    seed: int
    """Seed of the per-posting RNG that makes every re-post render identically."""
    logo: str | None
    roles: tuple[tuple[str, str, float], ...] = field(default=())
    posting_cache: tuple[int, object] | None = None
    """The posting being re-posted (index, posting): re-posts come in runs."""

    def phone_at(self, t: int, rng: random.Random) -> Phone:
        return self.phone

    @property
    def contact_email(self) -> str | None:
        return self.email

    @property
    def contact_website(self) -> Website | None:
        return self.website

"""The one data model of Threadline.

Every value the system derives (an identifier, a flag, a link, an operation) carries its
provenance: the advert it came from, the character span in that advert's text, and the
versioned name of the stage that produced it (``extract.phone@2``). An analyst can always ask
"why?" and get the exact text back.

The classes are frozen, slotted dataclasses rather than validating models: a million adverts
pass through them per run, and validation belongs at the edges (ingest), not on every copy.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

JSONValue = Any
"""A value that came from JSON (dict, list, str, int, float, bool or None)."""


@dataclass(frozen=True, slots=True)
class Span:
    """Half-open character range ``[start, end)`` in an advert's :attr:`Ad.text`."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"invalid span [{self.start}, {self.end})")

    def of(self, text: str) -> str:
        return text[self.start : self.end]


@dataclass(frozen=True, slots=True)
class Ad:
    """One advert or post as captured, with the raw record it was read from.

    ``id`` is stable: the same captured content always gets the same id, on any machine and
    in any runner, so that re-ingesting a file adds nothing and the Dask and local runners
    agree. ``source_id`` is the id the source itself gave the record, if any.
    """

    id: str
    source: str
    title: str
    body: str
    content_hash: str
    source_id: str | None = None
    url: str | None = None
    captured_at: datetime | None = None
    posted_at: datetime | None = None
    language: str | None = None
    place: str | None = None
    images: tuple[str, ...] = ()
    raw: Mapping[str, JSONValue] = field(default_factory=dict, compare=False)
    locator: str | None = None
    """Where the record was read: ``file.jsonl:42`` or ``pages/ad-17.html``."""

    @property
    def text(self) -> str:
        """The text every span points into: title, a blank line, then body."""
        if not self.title:
            return self.body
        if not self.body:
            return self.title
        return f"{self.title}\n\n{self.body}"


@dataclass(frozen=True, slots=True)
class Identifier:
    """An identifier found in an advert: phone, email, handle, url, wallet, payment tag..."""

    ad_id: str
    kind: str
    value: str
    """Normalised value (E.164 phone, lower-case e-mail, checksummed address...)."""
    raw: str
    """The text exactly as written in the advert."""
    span: Span
    confidence: float
    stage: str
    """Versioned name of the producing stage, e.g. ``extract.phone@1``."""
    attrs: Mapping[str, str] = field(default_factory=dict, compare=False)
    """Kind-specific details: a phone's country, a wallet's chain, a handle's platform."""


@dataclass(frozen=True, slots=True)
class Flag:
    """A trafficking indicator (or counter-indicator, with negative weight) hit in an advert."""

    ad_id: str
    rule_id: str
    category: str
    weight: float
    span: Span
    evidence: str
    citation: str
    stage: str


@dataclass(frozen=True, slots=True)
class Contribution:
    """One reason behind a risk score: a rule hit, a counter-indicator or a model feature."""

    source: str
    """Rule id (``sex.movement.new_in_town``) or model feature (``model.jobs:no_company_logo``)."""
    category: str
    weight: float
    """The weight the rule or feature carries (negative for counter-indicators)."""
    effect: float
    """How much this reason moved the score (its share of the final score; negative lowers it)."""
    span: Span | None
    """Where in :attr:`Ad.text` the advert states it; None for model features of the whole."""
    evidence: str
    citation: str


@dataclass(frozen=True, slots=True)
class Assessment:
    """What Threadline infers about an advert, kept apart from what the advert states.

    Flags record statements (the advert *says* "new in town", at this span); an assessment is
    Threadline's inference from them: a risk score in [0, 1], whether it reaches the threshold,
    and every contribution to it. The EU Law Enforcement Directive (2016/680, art. 7) asks that
    facts and personal assessments be told apart; this split is how Threadline does it.
    """

    ad_id: str
    domain: str
    """What kind of advert this reads as: ``job``, ``sexual_services`` or ``other``."""
    score: float
    threshold: float
    contributions: tuple[Contribution, ...]
    stage: str
    job_fraud: float | None = None
    """Calibrated probability from the job-fraud model, for job adverts only."""
    basis: str = ""
    """Versions of the rule book and model the score rests on (``rules-1a2b; jobs-1-3c4d``)."""

    @property
    def flagged(self) -> bool:
        return self.score >= self.threshold


@dataclass(frozen=True, slots=True)
class Evidence:
    """One reason two adverts are linked: a shared phone, a template similarity..."""

    kind: str
    detail: str
    score: float


@dataclass(frozen=True, slots=True)
class Link:
    """A scored, explained link between two adverts (``a < b`` by id)."""

    a: str
    b: str
    weight: float
    evidence: tuple[Evidence, ...]
    stage: str

    def __post_init__(self) -> None:
        if self.a >= self.b:
            raise ValueError("a link's ends must be ordered: a < b")


@dataclass(frozen=True, slots=True)
class Operation:
    """A cluster of linked adverts: the operation presumed to be behind them."""

    id: str
    members: tuple[str, ...]
    links: tuple[Link, ...]
    score: float
    stage: str
    explanation: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Profile:
    """An operation as the triage list shows it: its rank, its features and why it ranks so.

    The ranking is a proposal for which operation to read first, never a finding: every
    feature is a count an analyst can check against the members.
    """

    id: str
    rank: int
    score: float
    """Triage score in [0, 1]; higher is read first."""
    size: int
    features: Mapping[str, float]
    explanation: tuple[str, ...]
    """The reasons behind the score, strongest first, in words."""
    first_posted: datetime | None = None
    last_posted: datetime | None = None
    risk: float = 0.0
    """Highest indicator risk score among the members."""


@dataclass(frozen=True, slots=True)
class MemberFacts:
    """What ranking an operation needs to know of one member advert beyond its signature."""

    risk: float = 0.0
    """The advert's indicator risk score (0 if it was not scored)."""
    flagged: bool = False
    images: int = 0
    countries: tuple[str, ...] = ()
    """ISO 3166 codes of the places the advert names."""
    cities: tuple[str, ...] = ()


JUDGEMENT_TARGETS = frozenset({"link", "operation", "identifier"})
VERDICTS = frozenset({"confirm", "reject"})


@dataclass(frozen=True, slots=True)
class Judgement:
    """An analyst's decision on a link, an operation or an identifier: the tool proposes, a
    human decides, and every later linking run obeys.

    - ``link`` ``a|b``: *confirm* joins the two adverts whatever the evidence; *reject* removes
      the link between them.
    - ``operation``: *confirm* holds the members as judged together; *reject* removes every
      link among them (confirmed links excepted). ``members`` keeps them as they were judged,
      so the judgement survives a re-linking that renames or reshapes the operation.
    - ``identifier`` ``kind=value``: *reject* says it is shared without common control (an
      agency switchboard, a help line): it no longer counts as evidence; *confirm* records
      that it was checked (it counts as usual).
    """

    target: str
    subject: str
    verdict: str
    analyst: str
    note: str = ""
    members: tuple[str, ...] = ()
    at: datetime | None = None

    def __post_init__(self) -> None:
        if self.target not in JUDGEMENT_TARGETS:
            raise ValueError(f"a judgement is about one of {sorted(JUDGEMENT_TARGETS)}")
        if self.verdict not in VERDICTS:
            raise ValueError(f"a verdict is one of {sorted(VERDICTS)}")


@dataclass(frozen=True, slots=True)
class RawRecord:
    """A record as a reader produced it, before it is parsed into an :class:`Ad`."""

    source: str
    locator: str
    fields: Mapping[str, JSONValue]


@dataclass(frozen=True, slots=True)
class Quarantined:
    """A record (or a whole input) set aside with the reason, never silently dropped."""

    stage: str
    code: str
    """Short machine-readable reason, for counts: ``malformed-json``, ``missing-text``..."""
    reason: str
    """The reason in words, precise enough to fix the record by."""
    locator: str
    record: str
    """The offending record as text (truncated for huge inputs; see ``size``)."""
    source: str = ""
    size: int = 0
    """Size in characters of the whole record, which may exceed ``len(record)``."""

    @property
    def key(self) -> str:
        """Stable key, so that re-running an ingest never repeats a quarantine entry."""
        h = hashlib.sha256()
        for part in (self.stage, self.code, self.locator, self.reason, self.record):
            h.update(part.encode("utf-8", "surrogatepass"))
            h.update(b"\x00")
        return h.hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class LinkSignature:
    """What linking needs of one advert, computed once when the advert is scanned.

    Linking a million adverts must not hold a million adverts: it works on these compact
    records, which the store keeps beside the advert, so that new adverts link into existing
    operations without re-reading the old ones. Every field is plain data (bytes, str, int,
    float, tuples of them) so the record serialises as it is.
    """

    ad_id: str
    settings: str
    """How the MinHash was made (algorithm, seed, permutations): others cannot be compared."""
    minhash: bytes
    """MinHash of the advert's template (slots masked) as little-endian uint32 values, packed
    (``numpy.asarray(values, "<u4").tobytes()``): 512 bytes for 128 permutations, where a
    tuple of Python ints would take ten times that and a million adverts would not fit.
    Empty when the template is too short to compare."""
    shingles: int
    keys: tuple[str, ...]
    """Blocking keys: ``kind=value`` for linking identifiers (and other exact keys)."""
    posted_at: str = ""
    """ISO time the advert was posted (else captured), for timelines and spread; may be empty."""
    place: str = ""
    source: str = ""
    language: str = ""
    """ISO 639-1 code of the advert's language (declared, else detected); may be empty."""
    pictures: tuple[str, ...] = ()
    """PDQ hashes (64 hex digits) of the advert's pictures found as local files and good
    enough to compare; their blocking keys are among ``keys`` (``pdq=...``)."""
    style: bytes = b""
    """The writing-style vector, each value in [-1, 1] stored as a signed byte (x 127)."""
    names: tuple[str, ...] = ()
    """Names the advert shows (folded), for an operation's count of people presented; never
    a linking key (a first name alone collides across posters)."""


@dataclass(frozen=True, slots=True)
class Doc:
    """What flows through the pipeline: one record and everything stages assigned to it.

    A stage declares which of these fields it requires and which it assigns; the runner
    checks the order before anything runs.
    """

    raw: RawRecord | None = None
    ad: Ad | None = None
    identifiers: tuple[Identifier, ...] = ()
    flags: tuple[Flag, ...] = ()
    assessment: Assessment | None = None
    signature: LinkSignature | None = None


DOC_FIELDS = frozenset({"raw", "ad", "identifiers", "flags", "assessment", "signature"})

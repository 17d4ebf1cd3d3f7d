"""The per-language word lists and advert templates, loaded from ``synth/data/<lang>.yaml``.

Wording is data so that a native speaker can improve a language without reading the generator.
Templates are parsed once into segments (literal text, then a slot name) so rendering an advert is
a join over pre-split pieces rather than a regex pass.

A template line may offer alternative phrasings and a probability of being present. Each poster
fixes its own *version* of a template (one phrasing per line, which optional lines it keeps) and
re-posts that version with only the slots changing: that is what makes one operation's adverts
near-duplicates of each other while two operations using the same template still differ.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

SECTIONS = ("adult_third", "adult_first", "labour_lure", "sexual_lure", "legit_job")
"""Template sections; adult adverts are written in the third person by operations and in the
first person by independent workers."""

IDENTIFIER_SLOTS = frozenset({"phone", "handle", "email", "wallet", "payment", "website"})
"""Slots a poster may not have; a line that needs a missing one is left out of its version."""

SLOTS = IDENTIFIER_SLOTS | frozenset(
    {
        "name",
        "age",
        "name2",
        "age2",
        "city",
        "price",
        "date",
        "contact",
        "job",
        "dest",
        "dest2",
        "salary",
        "fee",
        "recruiter",
        "company",
        "role",
        "contract",
        "benefits",
    }
)

INDICATORS = frozenset(
    {
        "movement",
        "third_party",
        "youth",
        "restricted",
        "hotel_only",
        "prepayment",
        "pay_too_good",
        "fees_charged",
        "travel_paid",
        "passport_early",
        "urgent_no_interview",
        "messenger_only",
        "vague_employer",
        "abroad_young_women",
        "destination_switch",
        "independent_first_person",
        "own_website",
        "verifiable_employer",
    }
)

_SECTION_INDICATORS: dict[str, tuple[str, ...]] = {
    "adult_third": ("third_party",),
    "adult_first": ("independent_first_person",),
}

Segment = tuple[str, str | None]
"""Literal text followed by the name of the slot to fill after it (None at the end)."""

Affixes = tuple[str, str]
"""Text before and after the one value a phrase carries: ``("call ", " anytime")``."""

_SLOT_RE = re.compile(r"\{(\w+)\}")


def parse_segments(text: str, where: str) -> tuple[Segment, ...]:
    pieces = _SLOT_RE.split(text)
    segments: list[Segment] = []
    for i in range(0, len(pieces), 2):
        slot = pieces[i + 1] if i + 1 < len(pieces) else None
        if slot is not None and slot not in SLOTS:
            raise ValueError(f"{where}: unknown slot {{{slot}}}")
        segments.append((pieces[i], slot))
    return tuple(segments)


def segment_slots(segments: tuple[Segment, ...]) -> frozenset[str]:
    return frozenset(slot for _, slot in segments if slot is not None)


@dataclass(frozen=True, slots=True)
class Line:
    alternatives: tuple[tuple[Segment, ...], ...]
    indicators: tuple[str, ...]
    p: float
    needs: tuple[frozenset[str], ...] = ()
    """Identifier slots each alternative needs (precomputed: versions are made per posting)."""

    def __post_init__(self) -> None:
        needs = tuple(segment_slots(a) & IDENTIFIER_SLOTS for a in self.alternatives)
        object.__setattr__(self, "needs", needs)


@dataclass(frozen=True, slots=True)
class Template:
    id: str
    section: str
    title: tuple[Segment, ...]
    lines: tuple[Line, ...]
    jobs: tuple[str, ...] = ()
    """The jobs a lure template is written for; empty if it suits any job."""


@dataclass(frozen=True, slots=True)
class Version:
    """One poster's fixed wording of a template."""

    template_id: str
    title: tuple[Segment, ...]
    body: tuple[tuple[Segment, ...], ...]
    indicators: tuple[str, ...]
    """Sorted labels planted by the kept lines and by the template's voice."""
    job: str | None


def make_version(template: Template, rng: random.Random, available: frozenset[str]) -> Version:
    """Fix a poster's wording; ``available`` are the identifier slots the poster can fill."""
    body: list[tuple[Segment, ...]] = []
    indicators = set(_SECTION_INDICATORS.get(template.section, ()))
    for line in template.lines:
        if line.p < 1.0 and rng.random() >= line.p:
            continue
        choice = rng.randrange(len(line.alternatives)) if len(line.alternatives) > 1 else 0
        if not line.needs[choice] <= available:
            continue
        segments = line.alternatives[choice]
        body.append(segments)
        indicators.update(line.indicators)
    job = template.jobs[rng.randrange(len(template.jobs))] if template.jobs else None
    return Version(template.id, template.title, tuple(body), tuple(sorted(indicators)), job)


@dataclass(frozen=True, slots=True)
class Lexicon:
    language: str
    digits: tuple[str, ...]
    split_words: tuple[str, ...]
    at_words: tuple[str, ...]
    dot_words: tuple[str, ...]
    months: tuple[str, ...]
    date_formats: tuple[str, ...]
    age_formats: tuple[str, ...]
    thousands: str
    units: Mapping[str, tuple[str, ...]]
    women: tuple[str, ...]
    recruiters: tuple[str, ...]
    studio_words: tuple[str, ...]
    contact: Mapping[str, tuple[Affixes, ...]]
    """Phrases around one contact detail, by kind: phone, handle, email, hotline, joiners."""
    wallet_labels: Mapping[str, tuple[str, ...]]
    payment_labels: Mapping[str, tuple[str, ...]]
    disclaimers: Mapping[str, str]
    hotline_text: Mapping[str, tuple[Affixes, ...]]
    labour_jobs: tuple[str, ...]
    sexual_jobs: tuple[str, ...]
    destinations: tuple[str, ...]
    legit_roles: tuple[tuple[str, str, float], ...]
    """(role, sector, pay multiplier)."""
    contracts: tuple[str, ...]
    benefits: tuple[str, ...]
    mailboxes: tuple[str, ...]
    company_patterns: tuple[str, ...]
    company_names: tuple[str, ...]
    company_sectors: Mapping[str, tuple[str, ...]]
    company_suffix: Mapping[str, tuple[str, ...]]
    templates: Mapping[str, tuple[Template, ...]]


def _strs(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{where}: expected a non-empty list of strings")
    return tuple(value)


def _map(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"{where}: expected a mapping")
    return {str(k): v for k, v in value.items()}


def _str_lists(value: Any, where: str) -> dict[str, tuple[str, ...]]:
    return {k: _strs(v, f"{where}.{k}") for k, v in _map(value, where).items()}


def _affixes(phrase: str) -> Affixes:
    """Split a phrase around its single placeholder; a joiner (no placeholder) is all prefix."""
    match = _SLOT_RE.search(phrase)
    if match is None:
        return phrase, ""
    return phrase[: match.start()], phrase[match.end() :]


def _line(raw: Any, where: str) -> Line:
    if isinstance(raw, str):
        return Line((parse_segments(raw, where),), (), 1.0)
    spec = _map(raw, where)
    texts = spec["t"]
    alternatives = (texts,) if isinstance(texts, str) else _strs(texts, where)
    indicators = _strs(spec["ind"], where) if "ind" in spec else ()
    unknown = set(indicators) - INDICATORS
    if unknown:
        raise ValueError(f"{where}: unknown indicators {sorted(unknown)}")
    p = float(spec.get("p", 1.0))
    return Line(tuple(parse_segments(t, where) for t in alternatives), indicators, p)


def _templates(value: Any, language: str) -> dict[str, tuple[Template, ...]]:
    sections = _map(value, f"{language}.templates")
    out: dict[str, tuple[Template, ...]] = {}
    for section in SECTIONS:
        entries = sections.get(section)
        if not isinstance(entries, list) or not entries:
            raise ValueError(f"{language}: no templates for {section}")
        parsed: list[Template] = []
        for entry in entries:
            spec = _map(entry, f"{language}.{section}")
            tid = str(spec["id"])
            lines = tuple(_line(raw, f"{tid} line {i}") for i, raw in enumerate(spec["body"]))
            jobs = _strs(spec["jobs"], f"{tid}.jobs") if "jobs" in spec else ()
            title = parse_segments(str(spec["title"]), tid)
            parsed.append(Template(tid, section, title, lines, jobs))
        out[section] = tuple(parsed)
    return out


def _company_names(spec: dict[str, Any], language: str) -> tuple[str, ...]:
    if "names" in spec:
        return _strs(spec["names"], f"{language}.company.names")
    # English names are compounds ("North" + "gate"): far more of them from two short lists.
    first = _strs(spec["first"], f"{language}.company.first")
    second = _strs(spec["second"], f"{language}.company.second")
    return tuple(a + b for a in first for b in second)


def _parse(data: dict[str, Any], language: str) -> Lexicon:
    roles = tuple((str(r["role"]), str(r["sector"]), float(r["pay"])) for r in data["legit_roles"])
    company = _map(data["company"], f"{language}.company")
    contact = _str_lists(data["contact"], f"{language}.contact")
    hotline = _str_lists(data["hotline_text"], f"{language}.hotline_text")
    return Lexicon(
        language=language,
        digits=_strs(data["digits"], "digits"),
        split_words=_strs(data["split_words"], "split_words"),
        at_words=_strs(data["at_words"], "at_words"),
        dot_words=_strs(data["dot_words"], "dot_words"),
        months=_strs(data["months"], "months"),
        date_formats=_strs(data["date_formats"], "date_formats"),
        age_formats=_strs(data["age_formats"], "age_formats"),
        thousands=str(data["thousands"]),
        units=_str_lists(data["units"], "units"),
        women=_strs(data["women"], "women"),
        recruiters=_strs(data["recruiters"], "recruiters"),
        studio_words=_strs(data["studio_words"], "studio_words"),
        contact={k: tuple(_affixes(t) for t in v) for k, v in contact.items()},
        wallet_labels=_str_lists(data["wallet_labels"], "wallet_labels"),
        payment_labels=_str_lists(data["payment_labels"], "payment_labels"),
        disclaimers={k: str(v) for k, v in _map(data["disclaimers"], "disclaimers").items()},
        hotline_text={k: tuple(_affixes(t) for t in v) for k, v in hotline.items()},
        labour_jobs=_strs(data["labour_jobs"], "labour_jobs"),
        sexual_jobs=_strs(data["sexual_jobs"], "sexual_jobs"),
        destinations=_strs(data["destinations"], "destinations"),
        legit_roles=roles,
        contracts=_strs(data["contracts"], "contracts"),
        benefits=_strs(data["benefits"], "benefits"),
        mailboxes=_strs(data["mailboxes"], "mailboxes"),
        company_patterns=_strs(company["patterns"], "company.patterns"),
        company_names=_company_names(company, language),
        company_sectors=_str_lists(company["sectors"], "company.sectors"),
        company_suffix=_str_lists(company["suffix"], "company.suffix"),
        templates=_templates(data["templates"], language),
    )


@cache
def load_lexicon(language: str) -> Lexicon:
    text = (
        resources.files("threadline.synth").joinpath("data", f"{language}.yaml").read_text("utf-8")
    )
    data = yaml.safe_load(text)
    if not isinstance(data, dict) or data.get("language") != language:
        raise ValueError(f"synth/data/{language}.yaml: missing or wrong 'language'")
    return _parse(data, language)

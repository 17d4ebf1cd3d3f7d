"""The indicator categories rules may use, with the kind and domain each belongs to.

A category is what an analyst reads ("fees charged to the worker"); rules are the many ways
adverts state it. The names are shared with the synthetic corpus's labels, so the benchmark
scores rules against planted truth category by category.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["indicator", "counter", "context"]
Domain = Literal["sexual_services", "job", "any"]
LANGUAGES = ("en", "es", "fr", "pt")
"""Every lexical rule states its phrases in each of these languages."""


@dataclass(frozen=True, slots=True)
class Category:
    name: str
    kind: Kind
    domain: Domain
    title: str


CATEGORIES: dict[str, Category] = {
    c.name: c
    for c in (
        # sexual exploitation adverts (Polaris, UNODC, Ibanez & Suthers 2014, Tong et al. 2017)
        Category("third_party", "indicator", "sexual_services", "third-party control"),
        Category("movement", "indicator", "sexual_services", "movement between places"),
        Category("youth", "indicator", "sexual_services", "youth indicator"),
        Category("restricted", "indicator", "sexual_services", "restricted or coerced conditions"),
        Category("hotel_only", "indicator", "sexual_services", "hotel or incall only"),
        Category("prepayment", "indicator", "sexual_services", "payment demanded in advance"),
        # labour recruitment fraud and lures (ILO 2009/2012, IOM, INTERPOL, Europol)
        Category("pay_too_good", "indicator", "job", "pay too good for the skill asked"),
        Category("fees_charged", "indicator", "job", "fees charged to the worker"),
        Category("travel_paid", "indicator", "job", "travel or housing paid or arranged"),
        Category("passport_early", "indicator", "job", "identity documents asked early"),
        Category("urgent_no_interview", "indicator", "job", "urgency, no interview"),
        Category("messenger_only", "indicator", "job", "contact only by messenger"),
        Category("vague_employer", "indicator", "job", "vague or missing employer"),
        Category("abroad_young_women", "indicator", "job", "jobs abroad for young women"),
        Category("destination_switch", "indicator", "job", "destination vague or switched"),
        # counter-indicators lower the score
        Category("independent_first_person", "counter", "sexual_services", "independent worker"),
        Category("own_website", "counter", "any", "own website"),
        Category("verifiable_employer", "counter", "job", "verifiable employer"),
        # context tells what kind of advert it is; it carries no weight
        Category("job_offer", "context", "any", "job offer"),
        Category("adult_services", "context", "any", "adult services"),
    )
}

INDICATOR_CATEGORIES = tuple(n for n, c in CATEGORIES.items() if c.kind == "indicator")
COUNTER_CATEGORIES = tuple(n for n, c in CATEGORIES.items() if c.kind == "counter")

"""Create the whole cast for a corpus of ``n_ads`` adverts from one seeded RNG.

Advert budgets are split by kind first, then filled with actors whose sizes come from
heavy-tailed distributions: most operations post a handful of adverts, a few post hundreds.
Every identifier an actor owns is registered so that no two actors ever share one by accident;
the only shared contacts in the corpus are the deliberate hotlines.
"""

from __future__ import annotations

import itertools
import random
import re
import unicodedata
from dataclasses import dataclass

from threadline.synth import wallets
from threadline.synth.actors import (
    DAY,
    SPAN_DAYS,
    Actor,
    Employer,
    Handle,
    Independent,
    Operation,
    Payment,
    Persona,
    Stop,
    Wallet,
    Website,
)
from threadline.synth.draw import between, pick, some, weighted
from threadline.synth.lexicon import Lexicon, Template, Version, load_lexicon, make_version
from threadline.synth.phones import Line, PhoneFactory
from threadline.synth.places import (
    BY_CODE,
    LANGUAGE_WEIGHTS,
    LANGUAGES,
    TRAVEL_GROUPS,
    City,
    Country,
    countries_for,
    phone_region,
)
from threadline.synth.sites import HOTLINE_PLAN, SITES, SITES_BY_KIND, Hotline, Site
from threadline.synth.styles import PHONE_OBFUSCATED, PHONE_PLAIN

SHARES = {"employer": 0.28, "labour": 0.12, "sexual": 0.28, "independent": 0.32}
"""Share of adverts by poster category; sexual-exploitation operations post both recruitment
lures and adult listings, so kinds and categories do not map one to one."""

DESTINATION_COUNTRIES = ("ES", "PT", "NL", "DE", "GB", "CA", "US", "PL", "IT", "AE", "JP", "CH")
DESTINATION_CURRENCIES = ("EUR",) * 4 + ("GBP", "CAD", "USD", "EUR", "EUR", "USD", "USD", "CHF")
"""Aligned with the first entries of every lexicon's ``destinations`` list."""

_WEBMAIL = {
    "en": ("postbox.example", "mailhub.example", "inbox.test"),
    "es": ("correo.example", "buzon.test", "mailhub.example"),
    "fr": ("courriel.example", "boite.test", "mailhub.example"),
    "pt": ("caixa.example", "correio.test", "mailhub.example"),
}
_OP_WORDS = (
    "luna",
    "stella",
    "aurora",
    "velvet",
    "diamond",
    "golden",
    "royal",
    "venus",
    "star",
    "ivy",
    "coral",
    "amber",
    "jade",
    "pearl",
    "ruby",
    "sky",
)
_OP_TAILS = (
    "models",
    "agency",
    "booking",
    "vip",
    "team",
    "club",
    "casting",
    "ladies",
    "studio",
    "select",
)
_JOB_WORDS = (
    "euro",
    "global",
    "work",
    "jobs",
    "staff",
    "abroad",
    "hire",
    "crew",
    "labor",
    "career",
    "visa",
    "talent",
)
_JOB_TAILS = ("agency", "recruit", "team", "official", "help", "now", "group", "link")
_INDEP_TAILS = ("massage", "relax", "wellness", "touch", "calm", "bodywork", "spa", "zen")
_EMOJI = ("", "", "✨ ", "🌸 ", "⭐ ", "💎 ", "🌺 ")
_SLUG_RE = re.compile(r"[^a-z0-9]+")
_LANGUAGE_CUMULATIVE = tuple(itertools.accumulate(LANGUAGE_WEIGHTS))
_COUNTRIES_BY_LANGUAGE = {
    lang: (
        countries_for(lang),
        tuple(itertools.accumulate(c.weight for c in countries_for(lang))),
    )
    for lang in LANGUAGES
}


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _SLUG_RE.sub("-", ascii_text.lower()).strip("-")


def image_ref(rng: random.Random) -> str:
    return f"img/{rng.getrandbits(64):016x}.jpg"


@dataclass(slots=True)
class Population:
    actors: list[Actor]
    hotlines: dict[tuple[str, str], Hotline]
    """By (kind, country code)."""
    n_operations: int
    n_independents: int
    n_employers: int


class _Registry:
    """Remembers every handle, e-mail, host and tag handed out, so none is handed out twice."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def claim(self, candidate: str, sep: str = "") -> str:
        name = candidate
        while name in self.used:
            name = f"{candidate}{sep}{between(self.rng, 2, 999)}"
        self.used.add(name)
        return name

    def claim_email(self, local: str, domain: str) -> str:
        address = f"{local}@{domain}"
        while address in self.used:
            address = f"{local}{between(self.rng, 2, 999)}@{domain}"
        self.used.add(address)
        return address


def _pareto_size(rng: random.Random, cap: int) -> int:
    # Pareto(alpha=1.4, min 3): mean about 10, a long tail of large operations.
    return min(cap, int(3 / (1.0 - rng.random()) ** (1 / 1.4)))


def _sizes(rng: random.Random, budget: int, draw: int, min_size: int, cap: int) -> list[int]:
    sizes: list[int] = []
    while budget > 0:
        size = min(budget, _pareto_size(rng, cap) if draw == 0 else _geometric(rng, draw, cap))
        if size < min_size and sizes:
            # A remainder too small for an actor of this kind tops up the previous one.
            sizes[-1] += size
        else:
            sizes.append(size)
        budget -= size
    return sizes


def _geometric(rng: random.Random, mean: int, cap: int) -> int:
    return 1 + min(cap - 1, int(rng.expovariate(1 / mean)))


def _budgets(n_ads: int) -> dict[str, int]:
    budgets = {k: int(n_ads * share) for k, share in SHARES.items()}
    budgets["independent"] += n_ads - sum(budgets.values())
    return budgets


class _Builder:
    def __init__(self, rng: random.Random, n_ads: int) -> None:
        self.rng = rng
        self.n_ads = n_ads
        self.phones = PhoneFactory(rng)
        self.registry = _Registry(rng)
        self.lexicons = {lang: load_lexicon(lang) for lang in LANGUAGES}

    # --- shared pieces -------------------------------------------------------------------

    def language(self) -> Lexicon:
        return self.lexicons[weighted(self.rng, LANGUAGES, _LANGUAGE_CUMULATIVE)]

    def country(self, lex: Lexicon) -> Country:
        options, cumulative = _COUNTRIES_BY_LANGUAGE[lex.language]
        return weighted(self.rng, options, cumulative)

    def city(self, country: Country) -> City:
        # Bigger cities (listed first) draw more posters.
        i = int(len(country.cities) * self.rng.random() ** 1.7)
        return country.cities[i]

    def timeline(self, n: int, gap_low: float, gap_high: float) -> tuple[int, float, int]:
        """Return (start, step, duration) in seconds for ``n`` adverts."""
        rng = self.rng
        days = min(SPAN_DAYS - 1.0, max(2.0, n * rng.uniform(gap_low, gap_high)))
        start = rng.uniform(0, SPAN_DAYS - days)
        return int(start * DAY), days * DAY / n, int(days * DAY)

    def itinerary(self, home: Country, first: City, duration: int, leg: int) -> tuple[Stop, ...]:
        rng = self.rng
        group = [BY_CODE[c] for c in TRAVEL_GROUPS[home.code]]
        stops = [Stop(home, first)]
        for _ in range(duration // leg + 1):
            country = home if rng.random() < 0.6 or len(group) == 1 else pick(rng, group[1:])
            city = self.city(country)
            while city == stops[-1].city and len(country.cities) > 1:
                city = pick(rng, country.cities)
            stops.append(Stop(country, city))
        return tuple(stops)

    def sites(self, kinds: tuple[str, ...]) -> dict[str, tuple[Site, ...]]:
        out: dict[str, tuple[Site, ...]] = {}
        for kind in kinds:
            keys = SITES_BY_KIND[kind]
            chosen = some(self.rng, keys, between(self.rng, 1, 2))
            out[kind] = tuple(SITES[k] for k in chosen)
        return out

    def styles(self, habitual: bool) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(obfuscated, plain) phone styles; a habitual dodger sticks to two or three tricks."""
        rng = self.rng
        obfuscated: tuple[str, ...] = PHONE_OBFUSCATED
        if habitual:
            obfuscated = tuple(some(rng, PHONE_OBFUSCATED, between(rng, 2, 3)))
        return obfuscated, tuple(some(rng, PHONE_PLAIN, between(rng, 1, 2)))

    def layout(self, lex: Lexicon) -> tuple[str, tuple[str, str]]:
        line_sep = "\n" if self.rng.random() < 0.7 else " "
        return line_sep, pick(self.rng, lex.contact["joiners"])

    def persona(self, lex: Lexicon, age_low: int, skew: float) -> Persona:
        rng = self.rng
        # Stated ages stay within 19-35; operations skew young, which is itself an indicator.
        age = age_low + int(rng.betavariate(1.2, skew) * (36 - age_low))
        images = tuple(image_ref(rng) for _ in range(between(rng, 2, 6)))
        return Persona(pick(rng, lex.women), min(35, age), images)

    def handle(self, platform: str, words: tuple[str, ...], tails: tuple[str, ...]) -> Handle:
        rng = self.rng
        sep = "_" if platform == "telegram" else pick(rng, ("_", "."))
        base = f"{pick(rng, words)}{sep}{pick(rng, tails)}"
        if rng.random() < 0.4:
            base += str(between(rng, 1, 99))
        return Handle(platform, self.registry.claim(base, sep))

    def email(self, lex: Lexicon, local: str) -> str:
        domain = pick(self.rng, _WEBMAIL[lex.language])
        return self.registry.claim_email(local.lower(), domain)

    def wallets(self) -> tuple[Wallet, ...]:
        rng = self.rng
        out = []
        for _ in range(pick(rng, (1, 1, 2, 3))):
            roll = rng.random()
            if roll < 0.45:
                out.append(Wallet("btc", wallets.random_btc(rng)))
            elif roll < 0.85:
                out.append(Wallet("tron", wallets.random_tron(rng)))
            else:
                out.append(Wallet("eth", wallets.random_eth(rng)))
        return tuple(out)

    def payment(self, country: Country, words: tuple[str, ...], tails: tuple[str, ...]) -> Payment:
        rng = self.rng
        base = pick(rng, words).capitalize() + pick(rng, tails).capitalize()
        base = self.registry.claim(base + str(between(rng, 1, 99)))
        if country.code in ("US", "CA") and rng.random() < 0.7:
            if rng.random() < 0.6:
                return Payment("cashapp", "$" + base)
            return Payment("venmo", "@" + base)
        return Payment("paypal", base.lower())

    def versions(
        self, lex: Lexicon, section: str, n: int, available: frozenset[str]
    ) -> tuple[Version, ...]:
        rng = self.rng
        count = 1 + (n > 8) + (n > 40)
        pool: tuple[Template, ...] = lex.templates[section]
        chosen = some(rng, pool, min(count, len(pool)))
        return tuple(make_version(t, rng, available) for t in chosen)

    # --- actors --------------------------------------------------------------------------

    def operation(self, oid: str, focus: str, n: int) -> Operation:
        rng = self.rng
        lex = self.language()
        home = self.country(lex)
        first = self.city(home)
        start, step, duration = self.timeline(n, 0.8, 4.5)
        leg = int(rng.uniform(5, 21) * DAY) if focus == "sexual" else int(rng.uniform(10, 40) * DAY)
        period = int(rng.uniform(12, 30) * DAY)
        region = phone_region(home)
        phones = tuple(
            self.phones.new(region, first, Line.MOBILE) for _ in range(duration // period + 1)
        )
        words: tuple[str, ...]
        tails: tuple[str, ...]
        platforms: tuple[str, ...]
        if focus == "labour":
            words, tails, platforms = _JOB_WORDS, _JOB_TAILS, ("telegram", "telegram", "instagram")
            kinds: tuple[str, ...] = ("labour_lure",)
            lure_share = 1.0
        else:
            words, tails = _OP_WORDS, _OP_TAILS
            platforms = ("telegram", "instagram", "snapchat")
            roll = rng.random()
            if roll < 0.5:
                kinds, lure_share = ("adult_services",), 0.0
            elif roll < 0.75:
                kinds, lure_share = ("sexual_lure",), 1.0
            else:
                kinds, lure_share = ("adult_services", "sexual_lure"), rng.uniform(0.2, 0.5)
        handles = tuple(
            self.handle(pick(rng, platforms), words, tails) for _ in range(pick(rng, (1, 1, 2)))
        )
        email = (
            self.email(lex, f"{pick(rng, words)}.{pick(rng, tails)}")
            if rng.random() < 0.4
            else None
        )
        website = None
        if focus == "sexual" and rng.random() < 0.15:
            host = self.registry.claim(f"{pick(rng, words)}-{pick(rng, tails)}", "-") + ".test"
            website = Website(host, pick(rng, ("", "gallery", "booking", "contact")))
        available = frozenset({"phone", "handle", "wallet", "payment"}) | (
            {"email"} if email else set()
        )
        lure_section = "labour_lure" if focus == "labour" else "sexual_lure"
        adult_versions = (
            self.versions(lex, "adult_third", n, available) if "adult_services" in kinds else ()
        )
        lure_versions = (
            self.versions(lex, lure_section, n, available) if lure_section in kinds else ()
        )
        dest_a = rng.randrange(len(DESTINATION_COUNTRIES))
        while DESTINATION_COUNTRIES[dest_a] == home.code[:2]:
            dest_a = rng.randrange(len(DESTINATION_COUNTRIES))
        dest_b = dest_a
        while dest_b == dest_a or DESTINATION_COUNTRIES[dest_b] == home.code[:2]:
            dest_b = rng.randrange(len(DESTINATION_COUNTRIES))
        jobs = lex.labour_jobs if focus == "labour" else lex.sexual_jobs
        obfuscated, plain = self.styles(True)
        line_sep, joiner = self.layout(lex)
        n_personas = max(2, min(14, 2 + n // 12))
        return Operation(
            id=oid,
            lex=lex,
            stops=self.itinerary(home, first, duration, leg),
            leg=leg,
            start=start,
            step=step,
            n_ads=n,
            sites=self.sites(kinds),
            obfuscation=rng.uniform(0.3, 0.5),
            phone_styles=obfuscated,
            plain_styles=plain,
            line_sep=line_sep,
            joiner=joiner,
            focus=focus,
            phones=phones,
            phone_period=period,
            phone_overlap=int(rng.uniform(1, 6) * DAY),
            handles=handles,
            wallets=self.wallets(),
            payment=self.payment(home, words, tails),
            email=email,
            website=website,
            personas=tuple(self.persona(lex, 19, 3.5) for _ in range(n_personas)),
            adult_versions=adult_versions,
            lure_versions=lure_versions,
            lure_share=lure_share,
            job=pick(rng, jobs),
            dests=(dest_a, dest_b),
            recruiter=pick(rng, lex.recruiters),
            price_level=rng.random(),
            salary_level=rng.random(),
            fee_level=rng.random(),
            title_upper=rng.random() < 0.2,
            title_emoji=pick(rng, _EMOJI),
            lure_images=tuple(image_ref(rng) for _ in range(between(rng, 0, 3))),
        )

    def independent(self, iid: str, n: int) -> Independent:
        rng = self.rng
        lex = self.language()
        home = self.country(lex)
        first = self.city(home)
        start, step, duration = self.timeline(n, 4.0, 20.0)
        if rng.random() < 0.2:
            leg = int(rng.uniform(14, 40) * DAY)
            stops = [Stop(home, first)]
            for i in range(duration // leg + 1):
                stops.append(Stop(home, first if i % 2 else self.city(home)))
            itinerary = tuple(stops)
        else:
            leg, itinerary = duration + DAY, (Stop(home, first),)
        persona = self.persona(lex, 21, 2.0)
        slug = slugify(persona.name)
        tail = pick(rng, _INDEP_TAILS)
        handle = None
        if rng.random() < 0.4:
            platform = pick(rng, ("instagram", "telegram", "snapchat"))
            sep = "_" if platform == "telegram" else pick(rng, ("_", "."))
            handle = Handle(platform, self.registry.claim(f"{slug}{sep}{tail}", sep))
        email = self.email(lex, f"{slug}.{tail}") if rng.random() < 0.25 else None
        website = None
        if rng.random() < 0.3:
            city_slug = slugify(first.local)
            host = self.registry.claim(f"{slug}-{tail}-{city_slug}", "-")
            website = Website(
                host + pick(rng, (".example", ".test")), pick(rng, ("", "contact", "rates"))
            )
        available = frozenset(
            {"phone"}
            | ({"handle"} if handle else set())
            | ({"email"} if email else set())
            | ({"website"} if website else set())
        )
        obfuscated, plain = self.styles(False)
        line_sep, joiner = self.layout(lex)
        return Independent(
            id=iid,
            lex=lex,
            stops=itinerary,
            leg=leg,
            start=start,
            step=step,
            n_ads=n,
            sites=self.sites(("adult_services",)),
            obfuscation=0.06,
            phone_styles=obfuscated,
            plain_styles=plain,
            line_sep=line_sep,
            joiner=joiner,
            persona=persona,
            phone=self.phones.new(phone_region(home), first, Line.MOBILE),
            handle=handle,
            email=email,
            website=website,
            versions=self.versions(lex, "adult_first", n, available),
            price_level=rng.random(),
        )

    def employer(self, cid: str, n: int) -> Employer:
        rng = self.rng
        lex = self.language()
        home = self.country(lex)
        city = self.city(home)
        start, step, duration = self.timeline(n, 3.0, 10.0)
        sector = pick(rng, sorted({s for _, s, _ in lex.legit_roles}))
        suffixes = lex.company_suffix.get(home.code) or lex.company_suffix["default"]
        name = (
            pick(rng, lex.company_patterns)
            .replace("{name}", pick(rng, lex.company_names))
            .replace("{sector}", pick(rng, lex.company_sectors[sector]))
            .replace("{suffix}", pick(rng, suffixes))
        )
        core = name
        for suffix in suffixes:
            core = core.replace(" " + suffix, "")
        tld = ".example" if rng.random() < 0.8 else ".test"
        host = self.registry.claim(slugify(core), "-") + tld
        line_sep, joiner = self.layout(lex)
        return Employer(
            id=cid,
            lex=lex,
            stops=(Stop(home, city),),
            leg=duration + DAY,
            start=start,
            step=step,
            n_ads=n,
            sites=self.sites(("legit_job",)),
            obfuscation=0.0,
            phone_styles=(),
            plain_styles=tuple(some(rng, ("national", "international"), 1)),
            line_sep=line_sep,
            joiner=joiner,
            company=name,
            sector=sector,
            website=Website(host, pick(rng, ("", "jobs", lex.mailboxes[0]))),
            email=f"{pick(rng, lex.mailboxes)}@{host}",
            phone=self.phones.new(phone_region(home), city, Line.FIXED),
            reposts=between(rng, 1, 5),
            seed=rng.getrandbits(48),
            logo=image_ref(rng) if rng.random() < 0.6 else None,
            roles=tuple(r for r in lex.legit_roles if r[1] == sector),
        )

    def hotlines(self) -> dict[tuple[str, str], Hotline]:
        count = min(len(HOTLINE_PLAN), 4 + self.n_ads // 100_000)
        out: dict[tuple[str, str], Hotline] = {}
        for i, (kind, code) in enumerate(HOTLINE_PLAN[:count]):
            country = BY_CODE[code]
            phone = self.phones.new(phone_region(country), country.cities[0], Line.TOLL_FREE)
            out[(kind, code)] = Hotline(f"hl-{i + 1:02d}", kind, code, phone)
        return out


def _ids(prefix: str, count: int) -> list[str]:
    width = max(4, len(str(count)))
    return [f"{prefix}-{i:0{width}d}" for i in range(1, count + 1)]


def build_population(rng: random.Random, n_ads: int) -> Population:
    builder = _Builder(rng, n_ads)
    budgets = _budgets(n_ads)
    cap = max(30, min(900, n_ads // 150))
    op_sizes = [("labour", s) for s in _sizes(rng, budgets["labour"], 0, 2, cap)]
    op_sizes += [("sexual", s) for s in _sizes(rng, budgets["sexual"], 0, 2, cap)]
    # Shuffled so that an operation's id says nothing about its focus or size.
    rng.shuffle(op_sizes)
    indep_sizes = _sizes(rng, budgets["independent"], 4, 1, 25)
    employer_sizes = _sizes(rng, budgets["employer"], 6, 1, 30)

    hotlines = builder.hotlines()
    actors: list[Actor] = []
    for oid, (focus, n) in zip(_ids("op", len(op_sizes)), op_sizes, strict=True):
        actors.append(builder.operation(oid, focus, n))
    for cid, n in zip(_ids("co", len(employer_sizes)), employer_sizes, strict=True):
        actors.append(builder.employer(cid, n))
    for iid, n in zip(_ids("indep", len(indep_sizes)), indep_sizes, strict=True):
        actors.append(builder.independent(iid, n))
    assert sum(a.n_ads for a in actors) == n_ads
    return Population(actors, hotlines, len(op_sizes), len(indep_sizes), len(employer_sizes))

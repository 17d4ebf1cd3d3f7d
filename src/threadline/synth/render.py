"""Write one advert for an actor at a moment: its text, metadata and ground truth.

Slots are filled lazily and cached per advert, so ``{name}`` in a title and a body agree and an
identifier used twice is planted once. Every identifier is recorded at the moment its text is
produced, from the very string inserted into the advert: that is what guarantees each truth
``raw`` occurs verbatim in ``title + "\\n\\n" + body``.

Employers render each job posting from an RNG seeded by (employer, posting), so every re-post of
a posting is word-for-word the same; only the closing date, the site's boilerplate and the
metadata vary between re-posts.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from threadline.synth.actors import DAY, Actor, Employer, Independent, Operation, Persona, Stop
from threadline.synth.draw import between, pick, some
from threadline.synth.lexicon import Lexicon, Segment, Version, make_version
from threadline.synth.places import place_name
from threadline.synth.population import DESTINATION_CURRENCIES, slugify
from threadline.synth.prices import (
    HOURLY,
    LURE_FEE,
    LURE_MONTHLY,
    WAGES,
    jitter,
    level_amount,
    price_text,
)
from threadline.synth.sites import Hotline, Site
from threadline.synth.styles import (
    OBFUSCATED_STYLES,
    email_text,
    handle_text,
    payment_text,
    phone_text,
    url_text,
)

EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
CHANGING_SLOTS = frozenset({"name", "name2", "age", "age2", "city", "price", "date"})
"""Slots that are not identifiers and may change between re-posts of one template version:
the truth's ``slots`` counts how many of them a version has (what linking must see past)."""

Record = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Posting:
    role: str
    contract: str
    benefits: str
    wage: tuple[int, str]
    """(amount, Lexicon.units key)."""
    version: Version


class _Draft:
    """One advert being written: the slot values so far and the identifiers planted."""

    __slots__ = (
        "actor",
        "bare_contact",
        "cache",
        "currency",
        "hotlines",
        "identifiers",
        "job",
        "kind",
        "lex",
        "obfuscating",
        "pair",
        "posting",
        "rng",
        "seen",
        "shared",
        "stop",
        "t",
    )

    def __init__(
        self,
        rng: random.Random,
        actor: Actor,
        stop: Stop,
        t: int,
        kind: str,
        hotlines: dict[tuple[str, str], Hotline],
        version: Version,
        posting: Posting | None = None,
    ) -> None:
        self.rng = rng
        self.job = version.job
        self.actor = actor
        self.lex: Lexicon = actor.lex
        self.stop = stop
        self.t = t
        self.kind = kind
        self.hotlines = hotlines
        self.posting = posting
        self.currency = stop.country.currency
        self.cache: dict[str, str] = {}
        self.identifiers: list[dict[str, str]] = []
        self.seen: set[tuple[str, str]] = set()
        self.shared: str | None = None
        self.pair: tuple[Persona, Persona] | None = None
        self.bare_contact = False
        # Obfuscation is decided per advert: a poster dodging filters does it throughout.
        self.obfuscating = rng.random() < actor.obfuscation

    def text(self, segments: tuple[Segment, ...], upper: bool = False) -> str:
        out: list[str] = []
        for literal, slot in segments:
            out.append(literal.upper() if upper else literal)
            if slot is None:
                continue
            if slot == "contact":
                # A contact block opening its line may carry its own verb ("call or text ...");
                # after a label such as "Booking:" it is written bare.
                self.bare_contact = not literal.strip()
            value = self.slot(slot)
            out.append(value.upper() if upper and slot in _UPPER_SAFE else value)
        return "".join(out)

    def slot(self, name: str) -> str:
        value = self.cache.get(name)
        if value is None:
            value = _FILLERS[name](self)
            self.cache[name] = value
        return value

    def plant(self, kind: str, value: str, raw: str, style: str = "plain") -> None:
        if (kind, raw) not in self.seen:
            self.seen.add((kind, raw))
            self.identifiers.append({"kind": kind, "value": value, "raw": raw, "style": style})

    def obfuscate(self, always: bool = False) -> bool:
        return self.obfuscating and (always or self.rng.random() < 0.6)

    def persona(self, i: int) -> Persona:
        actor = self.actor
        if isinstance(actor, Independent):
            return actor.persona
        assert isinstance(actor, Operation)
        if self.pair is None:
            a, b = some(self.rng, actor.personas, 2)
            self.pair = (a, b)
        return self.pair[i]

    def hotline_raw(self, hotline: Hotline) -> str:
        phone = hotline.phone
        raw, style = (phone.national, "national")
        if self.rng.random() < 0.3:
            raw, style = (phone.international, "international")
        self.plant("phone", phone.e164, raw, style)
        self.shared = hotline.id
        return raw


def _age_of(d: _Draft, i: int) -> str:
    n = d.persona(i).age
    raw = pick(d.rng, d.lex.age_formats).replace("{n}", str(n))
    d.plant("age", str(n), raw)
    return raw


def _price(d: _Draft) -> str:
    actor = d.actor
    assert isinstance(actor, Operation | Independent)
    low, high, step = HOURLY[d.currency]
    amount = level_amount(actor.price_level, low, high, step)
    if isinstance(actor, Operation):
        amount = jitter(d.rng, amount, step, low, high)
    unit = "hour"
    if d.rng.random() < 0.2:
        unit, amount = "half", max(step, round(amount * 0.6 / step) * step)
    raw, value = price_text(d.rng, d.lex, amount, d.currency, unit)
    d.plant("price", value, raw)
    return raw


def _date(d: _Draft) -> str:
    when = EPOCH + timedelta(seconds=d.t + between(d.rng, 2, 14) * DAY)
    return (
        pick(d.rng, d.lex.date_formats)
        .replace("{day}", str(when.day))
        .replace("{month}", d.lex.months[when.month - 1])
        .replace("{mm}", f"{when.month:02d}")
    )


def _phone(d: _Draft) -> str:
    phone = d.actor.phone_at(d.t, d.rng)
    if d.obfuscate(always=True):
        style = pick(d.rng, d.actor.phone_styles)
    else:
        style = pick(d.rng, d.actor.plain_styles)
    raw, used = phone_text(d.rng, d.lex, phone, style)
    d.plant("phone", phone.e164, raw, used)
    return raw


def _handle(d: _Draft) -> str:
    actor = d.actor
    if isinstance(actor, Operation):
        handle = pick(d.rng, actor.handles)
    else:
        assert isinstance(actor, Independent)
        assert actor.handle is not None
        handle = actor.handle
    raw, style = handle_text(d.rng, handle.platform, handle.name, d.obfuscate())
    d.plant("handle", handle.value, raw, style)
    return raw


def _email(d: _Draft) -> str:
    address = d.actor.contact_email
    assert address is not None
    raw, style = email_text(d.rng, d.lex, address, d.obfuscate())
    d.plant("email", address, raw, style)
    return raw


def _wallet(d: _Draft) -> str:
    actor = d.actor
    assert isinstance(actor, Operation)
    wallet = pick(d.rng, actor.wallets)
    label = pick(d.rng, d.lex.wallet_labels[wallet.chain])
    d.plant("wallet", wallet.value, wallet.address)
    return f"{label}{pick(d.rng, (' ', ': '))}{wallet.address}"


def _payment(d: _Draft) -> str:
    actor = d.actor
    assert isinstance(actor, Operation)
    raw = payment_text(d.rng, d.lex, actor.payment.service, actor.payment.tag)
    d.plant("payment", actor.payment.value, raw)
    return raw


def _website(d: _Draft) -> str:
    site = d.actor.contact_website
    assert site is not None
    raw, value = url_text(d.rng, site.host, site.path)
    d.plant("url", value, raw)
    return raw


def _contact(d: _Draft) -> str:
    """The contact block of an adult listing or a lure: phone first, then extras."""
    rng, lex, actor = d.rng, d.lex, d.actor
    pre, post = pick(rng, lex.contact["phone"]) if d.bare_contact else ("", "")
    parts = [pre + d.slot("phone") + post]
    has_handle = isinstance(actor, Operation) or (
        isinstance(actor, Independent) and actor.handle is not None
    )
    if has_handle and rng.random() < 0.5:
        pre, post = pick(rng, lex.contact["handle"])
        parts.append(pre + d.slot("handle") + post)
    if actor.contact_email is not None and rng.random() < 0.3:
        pre, post = pick(rng, lex.contact["email"])
        parts.append(pre + d.slot("email") + post)
    hotline = d.hotlines.get(("booking", d.stop.country.code))
    if hotline is not None and d.kind == "adult_services" and rng.random() < 0.15:
        pre, post = pick(rng, lex.contact["hotline"])
        parts.append(pre + d.hotline_raw(hotline) + post)
    return actor.joiner[0].join(parts)


def _operation(d: _Draft) -> Operation:
    assert isinstance(d.actor, Operation)
    return d.actor


def _lure_amount(d: _Draft, table: dict[str, tuple[int, int, int]], level: float, unit: str) -> str:
    op = _operation(d)
    currency = DESTINATION_CURRENCIES[op.dests[0]]
    low, high, step = table[currency]
    raw, value = price_text(d.rng, d.lex, level_amount(level, low, high, step), currency, unit)
    d.plant("price", value, raw)
    return raw


def _salary(d: _Draft) -> str:
    if d.posting is not None:
        amount, unit = d.posting.wage
        raw, value = price_text(d.rng, d.lex, amount, d.currency, unit)
        d.plant("price", value, raw)
        return raw
    return _lure_amount(d, LURE_MONTHLY, _operation(d).salary_level, "month")


def _posting(d: _Draft) -> Posting:
    assert d.posting is not None
    return d.posting


def _employer(d: _Draft) -> Employer:
    assert isinstance(d.actor, Employer)
    return d.actor


_UPPER_SAFE = frozenset({"name", "name2", "city", "job", "dest", "dest2"})
"""Slots an all-capitals title may capitalise: none of them is an identifier with a raw."""

_FILLERS: dict[str, Callable[[_Draft], str]] = {
    "name": lambda d: d.persona(0).name,
    "name2": lambda d: d.persona(1).name,
    "age": lambda d: _age_of(d, 0),
    "age2": lambda d: _age_of(d, 1),
    "city": lambda d: d.stop.city.local,
    "price": _price,
    "date": _date,
    "contact": _contact,
    "phone": _phone,
    "handle": _handle,
    "email": _email,
    "wallet": _wallet,
    "payment": _payment,
    "website": _website,
    "job": lambda d: d.job or _operation(d).job,
    "dest": lambda d: d.lex.destinations[_operation(d).dests[0]],
    "dest2": lambda d: d.lex.destinations[_operation(d).dests[1]],
    "recruiter": lambda d: _operation(d).recruiter,
    "salary": _salary,
    "fee": lambda d: _lure_amount(d, LURE_FEE, _operation(d).fee_level, "once"),
    "company": lambda d: _employer(d).company,
    "role": lambda d: _posting(d).role,
    "contract": lambda d: _posting(d).contract,
    "benefits": lambda d: _posting(d).benefits,
}


def changing_slots(version: Version) -> int:
    """How many distinct :data:`CHANGING_SLOTS` the version's title and body lines fill."""
    used = {slot for _, slot in version.title if slot in CHANGING_SLOTS}
    for line in version.body:
        used.update(slot for _, slot in line if slot in CHANGING_SLOTS)
    return len(used)


class AdWriter:
    """Turns (actor, time, sequence number) into an advert record and its truth record."""

    def __init__(self, rng: random.Random, hotlines: dict[tuple[str, str], Hotline]) -> None:
        self.rng = rng
        self.hotlines = hotlines
        self._day_text: dict[int, str] = {}
        self._slugs: dict[str, str] = {}

    def write(self, actor: Actor, t: int, seq: int) -> tuple[Record, Record]:
        rng = self.rng
        stop = actor.stop_at(t)
        upper, emoji = False, ""
        if isinstance(actor, Operation):
            kind, version = self._operation_version(actor)
            draft = _Draft(rng, actor, stop, t, kind, self.hotlines, version)
            upper, emoji = actor.title_upper, actor.title_emoji
        elif isinstance(actor, Independent):
            kind = "adult_services"
            version = actor.versions[
                0 if rng.random() < 0.7 else rng.randrange(len(actor.versions))
            ]
            draft = _Draft(rng, actor, stop, t, kind, self.hotlines, version)
        else:
            assert isinstance(actor, Employer)
            kind = "legit_job"
            prng, posting = self._posting(actor, stop)
            version = posting.version
            draft = _Draft(prng, actor, stop, t, kind, self.hotlines, version, posting)
        site = pick(rng, actor.sites[kind])

        title = emoji + draft.text(version.title, upper)
        lines = [draft.text(line) for line in version.body]
        body = actor.line_sep.join(lines)
        extra = self._extras(draft, site)
        if extra:
            body = body + "\n" + "\n".join(extra)

        images = self._images(actor, draft, kind)
        n = 100_000 + seq * 13 + rng.randrange(13)
        captured = t + between(rng, 300, 3 * DAY)
        advert: Record = {
            "id": f"syn-{seq:07d}",
            "source": site.source,
            "url": self._url(site, stop, draft, title, n),
            "captured_at": self._iso(captured),
            "posted_at": self._iso(t),
            "title": title,
            "body": body,
            "place": place_name(stop.city, stop.country),
            "language": actor.lex.language,
            "images": images,
        }
        truth: Record = {
            "id": advert["id"],
            "kind": kind,
            "poster": actor.id,
            "operation": actor.id if isinstance(actor, Operation) else None,
            "template": version.template_id,
            "identifiers": draft.identifiers,
            "indicators": list(version.indicators),
            "shared_contact": draft.shared,
            "slots": changing_slots(version),
            "obfuscated": any(i["style"] in OBFUSCATED_STYLES for i in draft.identifiers),
        }
        return advert, truth

    def _operation_version(self, op: Operation) -> tuple[str, Version]:
        rng = self.rng
        if op.lure_versions and (not op.adult_versions or rng.random() < op.lure_share):
            versions = op.lure_versions
            kind = "labour_lure" if op.focus == "labour" else "sexual_lure"
        else:
            versions, kind = op.adult_versions, "adult_services"
        # The first template is the operation's main one; the others are occasional variants.
        if len(versions) == 1 or rng.random() < 0.6:
            return kind, versions[0]
        return kind, versions[rng.randrange(1, len(versions))]

    def _posting(self, employer: Employer, stop: Stop) -> tuple[random.Random, Posting]:
        index = employer.done // employer.reposts
        key = (employer.seed << 21) | (index << 1)
        cached = employer.posting_cache
        if cached is not None and cached[0] == index:
            assert isinstance(cached[1], Posting)
            return random.Random(key | 1), cached[1]
        prng = random.Random(key)
        lex = employer.lex
        role, _, pay = prng.choice(employer.roles)
        unit, low, high, step = WAGES[stop.country.code]
        base = level_amount(prng.random(), low, high, step)
        amount = max(step, round(base * pay / step) * step)
        template = prng.choice(lex.templates["legit_job"])
        version = make_version(template, prng, frozenset({"phone", "email", "website"}))
        posting = Posting(
            role=role,
            contract=prng.choice(lex.contracts),
            benefits=prng.choice(lex.benefits),
            wage=(amount, unit),
            version=version,
        )
        employer.posting_cache = (index, posting)
        # Rendering gets its own RNG so a cached posting renders exactly like a fresh one.
        return random.Random(key | 1), posting

    def _extras(self, draft: _Draft, site: Site) -> list[str]:
        """Lines a site or a help desk adds under many unrelated posters' adverts."""
        extra: list[str] = []
        lex = draft.lex
        hotline = self.hotlines.get(("jobline", draft.stop.country.code))
        if (
            hotline is not None
            and site.is_job_board
            and draft.kind != "adult_services"
            and draft.shared is None
            and draft.rng.random() < 0.3
        ):
            pre, post = pick(draft.rng, lex.hotline_text["jobline"])
            extra.append(pre + draft.hotline_raw(hotline) + post)
        if self.rng.random() < 0.3:
            extra.append(lex.disclaimers[site.key])
        return extra

    def _images(self, actor: Actor, draft: _Draft, kind: str) -> list[str]:
        rng = self.rng
        if isinstance(actor, Employer):
            return [actor.logo] if actor.logo else []
        if isinstance(actor, Independent):
            pool = actor.persona.images
            return some(rng, pool, between(rng, 0, min(4, len(pool))))
        assert isinstance(actor, Operation)
        if kind != "adult_services":
            return some(rng, actor.lure_images, between(rng, 0, len(actor.lure_images)))
        first = draft.persona(0).images
        images = some(rng, first, between(rng, 1, min(4, len(first))))
        if "name2" in draft.cache:
            images = images[:2] + some(rng, draft.persona(1).images, 2)
        return images

    def _url(self, site: Site, stop: Stop, draft: _Draft, title: str, n: int) -> str:
        city = self._slug(stop.city.local)
        if "name" in draft.cache:
            slug = self._slug(draft.cache["name"])
        else:
            # Like real sites: the first words of the title, never anything about the truth.
            slug = slugify(" ".join(title.split()[:5])) or "ad"
        path = (
            site.path.replace("{lang}", draft.lex.language)
            .replace("{city}", city)
            .replace("{slug}", slug)
            .replace("{n}", str(n))
        )
        return f"https://{site.host}/{path}"

    def _slug(self, text: str) -> str:
        slug = self._slugs.get(text)
        if slug is None:
            slug = self._slugs[text] = slugify(text)
        return slug

    def _iso(self, t: int) -> str:
        day, rest = divmod(t, DAY)
        date = self._day_text.get(day)
        if date is None:
            date = self._day_text[day] = (EPOCH + timedelta(days=day)).strftime("%Y-%m-%d")
        hours, rest = divmod(rest, 3600)
        return f"{date}T{hours:02d}:{rest // 60:02d}:{rest % 60:02d}Z"

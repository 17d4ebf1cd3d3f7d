"""Payment tags: where an advert asks for money to be sent.

- Cash App ``$cashtags`` ("$anna247", "Cash App: $anna247"), never prices ("$250", "$ 40/hr");
- Venmo (``venmo @anna``, ``venmo.com/u/anna``), PayPal (``paypal.me/anna``, ``PayPal: anna``);
- Zelle, which pays to an e-mail address or a phone number (``Zelle to 555-201-3344``; Zelle is
  a US service, so a number without a country code is read as a US number);
- gift cards asked as payment ("pay with a Steam gift card", "tarjeta regalo de Amazon"), and
  the prepaid vouchers used the same way (Paysafecard, Neosurf, Transcash).

Values: ``cashapp:$tag``, ``venmo:@tag``, ``paypal:tag``, ``zelle:<e-mail or E.164 phone>``,
``giftcard:<brand>``, lower case. A tag links adverts to whoever collects the money, so a
label ("PayPal") followed by an ordinary word ("PayPal accepted") is not a tag: without a
marker (``$``, ``@``) or a separator (``:``), only a username-like tag (with a digit, ``_`` or
``.``) counts. A gift card named in a warning ("never pay with Amazon gift cards") is not a
request and is skipped.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass

import phonenumbers

from threadline.extract import email
from threadline.extract.base import ExtractStage, Found
from threadline.model import Ad, Span


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


@dataclass(frozen=True, slots=True)
class _Service:
    name: str
    marker: str
    """The sign a tag is written with ("$", "@"), kept in the value; empty for PayPal."""
    tag: re.Pattern[str]


_ASCII_I = re.IGNORECASE | re.ASCII
_SERVICES = {
    "cashapp": _Service("cashapp", "$", re.compile(r"[a-z][a-z0-9_]{0,19}", _ASCII_I)),
    "venmo": _Service("venmo", "@", re.compile(r"[a-z0-9][a-z0-9_\-]{3,29}", _ASCII_I)),
    "paypal": _Service("paypal", "", re.compile(r"[a-z0-9][a-z0-9._\-]{2,39}", _ASCII_I)),
}

# Label (lower case) -> service. "cash app" and "pay pal" are written apart often enough.
_LABELS = {
    "cashapp": "cashapp",
    "cash app": "cashapp",
    "venmo": "venmo",
    "paypal": "paypal",
    "pay pal": "paypal",
}

# Profile links, lower case, with the service and the path before the tag.
_LINKS = (
    ("cash.app/", "cashapp"),
    ("cash.me/", "cashapp"),
    ("venmo.com/u/", "venmo"),
    ("venmo.com/", "venmo"),
    ("paypal.me/", "paypal"),
    ("paypal.com/paypalme/", "paypal"),
)
_LINK_RESERVED = frozenset({"u", "account", "signin", "login", "legal", "about", "help", "code"})

_SEPARATOR = re.compile(r"[ \t]{0,3}(?:(?P<sep>[:=\-–—]|\bto\b|\bat\b)[ \t]{0,3})?")

# Words that follow a payment label in prose, never a tag: "PayPal accepted", "Venmo only".
_NOT_TAGS = _words(
    """
    only ok yes no accepted accept welcome preferred required available or and also friends
    family payment payments pay account deposit deposits upfront advance first fee fees me to at
    the is are for with here please via app send transfer direct business personal goods
    services gift email mail address link below above info details number
    """
)

# "$" followed by letters that are currencies or coins, not cashtags: "$USD 200", "$BTC".
_NOT_CASHTAGS = _words(
    """
    usd cad aud nzd hkd sgd mxn ars clp cop brl twd btc eth usdt usdc sol xrp ltc doge bnb trx
    """
)

_ZELLE_LEAD = re.compile(
    r"(?:[ \t]|[:=\-–—#]|\bto\b|\bat\b|\bvia\b|\bpara\b|\bnumber\b|\bphone\b|\bemail\b|\bmy\b)*",
    re.IGNORECASE,
)
_PHONE = re.compile(r"\+?\(?\d[\d \t().\-]{5,20}\d")

_GIFT_TRIGGERS = ("gift", "regalo", "cadeau", "presente", "paysafe", "neosurf", "transcash")
"""A cheap test before the gift card pattern: it can only match where one of these is."""
_BRANDS: dict[str, str] = {
    "amazon": "amazon",
    "steam": "steam",
    "google play": "googleplay",
    "googleplay": "googleplay",
    "google": "googleplay",
    "itunes": "itunes",
    "apple": "apple",
    "ebay": "ebay",
    "walmart": "walmart",
    "target": "target",
    "visa": "visa",
    "mastercard": "mastercard",
    "vanilla": "vanilla",
    "sephora": "sephora",
    "razer gold": "razergold",
    "razer": "razergold",
    "xbox": "xbox",
    "playstation": "playstation",
    "psn": "playstation",
    "netflix": "netflix",
    "spotify": "spotify",
    "nike": "nike",
    "starbucks": "starbucks",
    "best buy": "bestbuy",
    "paysafecard": "paysafecard",
    "paysafe": "paysafecard",
    "neosurf": "neosurf",
    "transcash": "transcash",
}
_BRAND = r"(?:google\s*play|razer\s+gold|best\s+buy|amazon|steam|google|itunes|apple|ebay|walmart|target|visa|mastercard|vanilla|sephora|razer|xbox|playstation|psn|netflix|spotify|nike|starbucks|paysafecard|neosurf|transcash)"  # noqa: E501
_BRAND_JOIN = r"\s*(?:/|,|&|\+|\bor\b|\band\b|\bou\b|\bo\b|\by\b|\be\b|\bet\b)\s*"
_BRAND_LIST = rf"{_BRAND}(?:{_BRAND_JOIN}{_BRAND})*"
_CARD = (
    r"(?:e-?gift[\s-]*cards?|gift[\s-]*cards?|gift[\s-]*vouchers?|tarjetas?[\s-]+(?:de\s+)?regalo"
    r"|cartes?[\s-]+cadeaux?|cart(?:ão|ões|ao|oes)[\s-]+(?:de\s+)?presente|vales?[\s-]+presentes?)"
)
# "Steam/Google Play gift card", "tarjeta regalo de Amazon", "carte cadeau Amazon".
_GIFT = re.compile(
    rf"(?P<before>{_BRAND_LIST})\s+(?:{_CARD})"
    rf"|(?:{_CARD})\s+(?:(?:de|from|for|of|da|do|d')\s*)?(?P<after>{_BRAND_LIST})"
    r"|\b(?P<voucher>paysafecard|paysafe\s+card|neosurf|transcash)\b",
)
_ONE_BRAND = re.compile(_BRAND)
_NEGATION = re.compile(
    r"\b(?:never|don'?t|do not|no|not|nunca|jamais|jamás|não|nao|ni|nem)\b|\bn'|\bne\b"
)
_SENTENCE_END = re.compile(r"[.!?\n]")


def _lower_same_length(text: str) -> str:
    low = text.lower()
    if len(low) != len(text):
        # A few characters grow when lower-cased ("İ"); spans must stay exact, so fold only
        # ASCII letters, which are all that labels and tags are made of here.
        low = text.translate({ord(c): ord(c.lower()) for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"})
    return low


def _found(text: str, start: int, end: int, value: str, confidence: float, service: str) -> Found:
    return Found(
        kind="payment",
        value=value,
        raw=text[start:end],
        span=Span(start, end),
        confidence=confidence,
        attrs={"service": service},
    )


def _username_like(tag: str) -> bool:
    return any(c.isdigit() or c in "_." for c in tag)


def _labelled(text: str, low: str) -> list[Found]:
    """Tags after a label: "Cash App: $anna247", "Venmo @anna", "PayPal abroadlink11"."""
    found: list[Found] = []
    for label, service in _LABELS.items():
        i = low.find(label)
        while i >= 0:
            with contextlib.suppress(ValueError, IndexError):  # one odd candidate, not all
                hit = _tag_after_label(text, low, i, label, _SERVICES[service])
                if hit is not None:
                    found.append(hit)
            i = low.find(label, i + 1)
    return found


def _tag_after_label(text: str, low: str, start: int, label: str, svc: _Service) -> Found | None:
    end = start + len(label)
    if start > 0 and (low[start - 1].isalnum() or low[start - 1] in "./@$"):
        return None
    if end < len(low) and (low[end].isalnum() or low[end] == "."):
        return None  # "paypal.me/..." is a link; "venmoing" is a word
    sep = _SEPARATOR.match(low, end)
    if sep is None:  # pragma: no cover - the pattern matches the empty string
        return None
    pos = sep.end()
    # "$" marks a cashtag, "@" a Venmo (or PayPal) name: "Venmo $1000" is an amount.
    marked = pos < len(low) and low[pos] == (svc.marker or "@")
    if marked:
        pos += 1
        while pos < len(low) and low[pos] == " " and svc.name == "cashapp":
            pos += 1  # "Cash App: $ anna247"
    if svc.name == "paypal" and not marked:
        address = _email_at(text, pos)
        if address is not None:
            value, address_end = address
            return _found(text, start, address_end, f"paypal:{value}", 0.85, "paypal")
    m = svc.tag.match(low, pos)
    if m is None:
        return None
    tag = _trim_tag(m.group())
    if not tag or (m.end() < len(low) and low[m.end()] == "@"):
        return None  # a tag does not continue into an e-mail address
    if not marked:
        has_sep = sep.group("sep") is not None
        if tag in _NOT_TAGS or not (_username_like(tag) or (has_sep and len(tag) >= 4)):
            return None
    if not any(c.isalpha() for c in tag) or (svc.name == "cashapp" and tag in _NOT_CASHTAGS):
        return None  # all digits is an amount or a phone number
    tag_end = m.start() + len(tag)
    confidence = 0.9 if marked else 0.8
    return _found(text, start, tag_end, f"{svc.name}:{svc.marker}{tag}", confidence, svc.name)


def _trim_tag(tag: str) -> str:
    return tag.rstrip(".-_") if tag.endswith((".", "-")) else tag


def _email_at(text: str, pos: int) -> tuple[str, int] | None:
    """The e-mail address that starts at ``pos``: its value and end."""
    if "@" not in text[pos : pos + 80] and "(" not in text[pos : pos + 80]:
        return None
    for f in email.find_in_text(text[pos : pos + 120]):
        if f.span.start == 0:
            return f.value, pos + f.span.end
        break
    return None


def _linked(text: str, low: str) -> list[Found]:
    """Tags in payment links: ``paypal.me/anna``, ``cash.app/$anna``, ``venmo.com/u/anna``."""
    found: list[Found] = []
    claimed: set[int] = set()
    for prefix, service in _LINKS:
        i = low.find(prefix)
        while i >= 0:
            if i not in claimed:
                hit = _link_at(text, low, i, prefix, _SERVICES[service])
                if hit is not None:
                    found.append(hit)
                    claimed.add(i)
            i = low.find(prefix, i + 1)
    return found


def _link_at(text: str, low: str, i: int, prefix: str, svc: _Service) -> Found | None:
    start = i
    for leads in (("www.", "account."), ("https://", "http://")):
        for lead in leads:
            if low.startswith(lead, start - len(lead)):
                start -= len(lead)
                break
    if start > 0 and (low[start - 1].isalnum() or low[start - 1] in "-.@/"):
        return None
    pos = i + len(prefix)
    if pos < len(low) and low[pos] in "$@":
        pos += 1
    m = svc.tag.match(low, pos)
    if m is None:
        return None
    tag = _trim_tag(m.group())
    if not tag or tag in _LINK_RESERVED:
        return None
    end = m.start() + len(tag)
    return _found(text, start, end, f"{svc.name}:{svc.marker}{tag}", 0.95, svc.name)


def _cashtags(text: str, low: str, taken: list[tuple[int, int]]) -> list[Found]:
    """Bare ``$cashtags``: a "$" then a letter, unlike every price."""
    found: list[Found] = []
    i = text.find("$")
    while i >= 0:
        nxt = i + 1
        if nxt < len(text) and text[nxt].isascii() and text[nxt].isalpha():
            hit = _cashtag_at(text, low, i, taken)
            if hit is not None:
                found.append(hit)
        i = text.find("$", nxt)
    return found


def _cashtag_at(text: str, low: str, i: int, taken: list[tuple[int, int]]) -> Found | None:
    if any(s <= i < e for s, e in taken):
        return None
    if i > 0 and (text[i - 1].isalnum() or text[i - 1] in "$_/{"):
        return None  # "US$", "R$", "$$", a link or a template
    m = _SERVICES["cashapp"].tag.match(low, i + 1)
    if m is None:
        return None
    tag = m.group()
    end = m.end()
    if end < len(text) and (text[end].isalnum() or text[end] in "@{"):
        return None  # longer than a cashtag may be, or something else
    if tag in _NOT_CASHTAGS or len(tag) < 2:
        return None
    # A bare "$word" is a cashtag only if it looks like one: "$anna247", "$Anna_B", "$AnnaVip";
    # "$HOT", "$EUR" are tickers and currencies.
    written = text[i + 1 : end]
    camel = any(c.isupper() for c in written[1:]) and not written.isupper()
    if not (_username_like(tag) or camel):
        return None
    return _found(text, i, end, f"cashapp:${tag}", 0.6, "cashapp")


def _zelle(text: str, low: str) -> list[Found]:
    """Zelle to an e-mail address or a phone number: ``zelle:<address or E.164>``."""
    found: list[Found] = []
    i = low.find("zelle")
    while i >= 0:
        with contextlib.suppress(ValueError, IndexError):  # one odd candidate, not all
            hit = _zelle_at(text, low, i)
            if hit is not None:
                found.append(hit)
        i = low.find("zelle", i + 1)
    return found


def _zelle_at(text: str, low: str, i: int) -> Found | None:
    end = i + len("zelle")
    if (i > 0 and low[i - 1].isalnum()) or (end < len(low) and low[end].isalnum()):
        return None
    lead = _ZELLE_LEAD.match(low, end)
    pos = lead.end() if lead is not None else end
    address = _email_at(text, pos)
    if address is not None:
        value, address_end = address
        return _found(text, i, address_end, f"zelle:{value}", 0.85, "zelle")
    m = _PHONE.match(text, pos)
    if m is None:
        return None
    try:
        number = phonenumbers.parse(m.group(), "US")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return _found(text, i, m.end(), f"zelle:{e164}", 0.85, "zelle")


def _gift_cards(text: str, low: str) -> list[Found]:
    """Gift cards (and prepaid vouchers) named as a way to pay: ``giftcard:<brand>``."""
    if not any(t in low for t in _GIFT_TRIGGERS):
        return []  # every gift card phrase and voucher name holds one of these
    found: list[Found] = []
    for m in _GIFT.finditer(low):
        if _negated(low, m.start()):
            continue  # "never pay with Amazon gift cards": a warning, not a request
        group = next(g for g in ("before", "after", "voucher") if m.group(g))
        brands = [b.group() for b in _ONE_BRAND.finditer(m.group(group))]
        if group == "voucher":
            brands = [m.group(group)]
        seen: set[str] = set()
        for brand in brands:
            slug = _BRANDS.get(re.sub(r"\s+", " ", brand))
            if slug is None or slug in seen:
                continue
            seen.add(slug)
            found.append(_found(text, m.start(), m.end(), f"giftcard:{slug}", 0.8, "giftcard"))
    return found


def _negated(low: str, start: int) -> bool:
    """True if the sentence before ``start`` says no ("never", "nunca", "jamais", "no")."""
    floor = max(0, start - 80)
    head = low[floor:start]
    ends = list(_SENTENCE_END.finditer(head))
    if ends:
        head = head[ends[-1].end() :]
    return _NEGATION.search(head) is not None


def find_in_text(text: str) -> list[Found]:
    """Every payment tag in ``text`` (the finder without the advert around it)."""
    low = _lower_same_length(text)
    # Every label and link holds "cash", "venmo" or "pay": three searches rule most adverts out.
    has_cash, has_venmo, has_pay = "cash" in low, "venmo" in low, "pay" in low
    found: list[Found] = []
    if has_cash or has_venmo or has_pay:
        if "/" in low:
            found += _linked(text, low)
        found += _labelled(text, low)
    if "zelle" in low:
        found += _zelle(text, low)
    if "$" in text:
        found += _cashtags(text, low, [(f.span.start, f.span.end) for f in found])
    found += _gift_cards(text, low)
    if len(found) > 1:
        found.sort(key=lambda f: (f.span.start, f.span.end, f.value))
    return found


def find(ad: Ad) -> list[Found]:
    """Payment tags in the advert's text: ``service:tag`` in lower case."""
    return find_in_text(ad.text)


STAGE = ExtractStage("extract.payment", 1, find)

"""How identifiers are written into an advert: plainly, or dodging filters.

Posters who fear moderation write contact details so that a regex misses them: digits spelled out
in their language, letters for digits, emoji keycaps, fullwidth digits, separators everywhere,
"name at domain dot com", spaces inside handles. Each function returns the text exactly as it is
written (the truth ``raw``) and the style used, so a benchmark can report recall per style. The
normalised value never depends on the style.
"""

from __future__ import annotations

import random

from threadline.synth.draw import between, pick
from threadline.synth.lexicon import Lexicon
from threadline.synth.phones import Phone

PHONE_PLAIN = ("national", "international", "e164", "digits")
PHONE_OBFUSCATED = (
    "separators",
    "spelled",
    "letters",
    "keycap",
    "fullwidth",
    "split_words",
    "wa_link",
)
EMAIL_OBFUSCATED = ("email_words", "email_brackets")
HANDLE_OBFUSCATED = ("handle_spaced",)
OBFUSCATED_STYLES = frozenset(PHONE_OBFUSCATED + EMAIL_OBFUSCATED + HANDLE_OBFUSCATED)

_SEPARATORS = (".", "-", "/", " ", " . ", " - ", " / ", "..")
_KEYCAP = "\ufe0f\u20e3"
_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _groups(phone: Phone) -> list[str]:
    """Digit groups as the national format writes them: ``06 12 34 56 78`` -> 5 groups."""
    groups: list[str] = []
    current = ""
    for c in phone.national:
        if c.isdigit():
            current += c
        elif current:
            groups.append(current)
            current = ""
    if current:
        groups.append(current)
    return groups


def _regroup(rng: random.Random, digits: str) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(digits):
        size = between(rng, 2, 4)
        out.append(digits[i : i + size])
        i += size
    return out


def phone_text(rng: random.Random, lex: Lexicon, phone: Phone, style: str) -> tuple[str, str]:
    """Write ``phone`` in ``style``; returns ``(raw, style)`` (a style that cannot apply to
    this number, like letters for a number without 0 or 1, falls back to separators)."""
    if style == "national":
        return phone.national, style
    if style == "international":
        return phone.international, style
    if style == "e164":
        return phone.e164, style
    digits = phone.national_digits
    if style == "digits":
        return digits, style
    if style == "wa_link":
        prefix = "https://wa.me/" if rng.random() < 0.3 else "wa.me/"
        return prefix + phone.e164[1:], style
    if style == "spelled":
        words = lex.digits
        groups = _groups(phone)
        spelled = [rng.random() < 0.7 for _ in groups]
        if not any(spelled):
            spelled[rng.randrange(len(groups))] = True
        parts = [
            " ".join(words[int(d)] for d in g) if s else g
            for g, s in zip(groups, spelled, strict=True)
        ]
        return " ".join(parts), style
    if style == "letters" and ("0" in phone.national or "1" in phone.national):
        out = []
        for c in phone.national:
            if c == "0":
                out.append(pick(rng, "OOo"))
            elif c == "1":
                out.append(pick(rng, "lI"))
            else:
                out.append(c)
        return "".join(out), style
    if style == "keycap":
        sep = pick(rng, ("", " "))
        return " ".join(sep.join(d + _KEYCAP for d in g) for g in _groups(phone)), style
    if style == "fullwidth":
        return phone.national.translate(_FULLWIDTH), style
    if style == "split_words":
        word = pick(rng, lex.split_words)
        third = len(digits) // 3
        chunks = (digits[:third], digits[third : 2 * third], digits[2 * third :])
        return f" {word} ".join(chunks), style
    groups = _regroup(rng, digits)
    seps = [pick(rng, _SEPARATORS) for _ in range(len(groups) - 1)]
    if len(seps) >= 2 and len(set(seps)) == 1:
        # "Mixed separators" is the point of the style: never let them all come out alike.
        seps[-1] = next(s for s in _SEPARATORS if s != seps[0])
    text = groups[0] + "".join(s + g for s, g in zip(seps, groups[1:], strict=True))
    return text, "separators"


def email_text(rng: random.Random, lex: Lexicon, address: str, obfuscate: bool) -> tuple[str, str]:
    local, _, domain = address.partition("@")
    if not obfuscate:
        if rng.random() < 0.15:
            return local.capitalize() + "@" + domain, "plain"
        return address, "plain"
    labels = domain.split(".")
    if rng.random() < 0.5:
        # The language's own words: "anna arroba correo punto example", "anna at mail . test".
        at, dot = pick(rng, lex.at_words), pick(rng, lex.dot_words)
        if at.startswith(("(", "[")) and rng.random() < 0.5:
            return local + at + dot.join(labels), "email_brackets"
        joined = "." if dot == "." else f" {dot} "
        return f"{local} {at} " + joined.join(labels), "email_words"
    at, dot = pick(rng, (("[at]", "[dot]"), ("(at)", "(dot)"), ("{at}", "{dot}")))
    if rng.random() < 0.5:
        return f"{local} {at} " + f" {dot} ".join(labels), "email_brackets"
    return local + at + dot.join(labels), "email_brackets"


_HANDLE_LABELS: dict[str, tuple[str, ...]] = {
    "telegram": ("Telegram", "Telegram:", "TG", "TG:"),
    "instagram": ("IG", "IG:", "Insta", "Instagram:"),
    "snapchat": ("Snap", "Snap:", "Snapchat"),
}
_HANDLE_LINKS: dict[str, str] = {
    "telegram": "t.me/",
    "instagram": "instagram.com/",
    "snapchat": "snapchat.com/add/",
}


def handle_text(rng: random.Random, platform: str, name: str, obfuscate: bool) -> tuple[str, str]:
    """Write ``@name`` on ``platform``; the raw includes the platform label or link, which is
    what tells a reader (and an extractor) which platform the handle lives on."""
    label = pick(rng, _HANDLE_LABELS[platform])
    if obfuscate:
        spaced = name
        for sep in ("_", ".", "-"):
            spaced = spaced.replace(sep, f" {sep} ")
        if spaced == name:
            cut = between(rng, 1, len(name) - 1)
            spaced = name[:cut] + " " + name[cut:]
        return f"{label} @ {spaced}", "handle_spaced"
    if rng.random() < 0.3:
        return _HANDLE_LINKS[platform] + name, "link"
    return f"{label} @{name}", "plain"


def payment_text(rng: random.Random, lex: Lexicon, service: str, tag: str) -> str:
    label = pick(rng, lex.payment_labels[service])
    if service == "paypal" and rng.random() < 0.5:
        return "paypal.me/" + tag
    return f"{label} {tag}"


def url_text(rng: random.Random, host: str, path: str) -> tuple[str, str]:
    """Return ``(raw, value)``: the value is https, lower-case host, path kept, no slash."""
    written_host = host if rng.random() < 0.8 else host.capitalize()
    www = "www." if rng.random() < 0.5 else ""
    scheme = "https://" if rng.random() < 0.4 else ""
    tail = "/" + path if path else ""
    raw = f"{scheme}{www}{written_host}{tail}"
    return raw, f"https://{www}{host.lower()}{tail}"

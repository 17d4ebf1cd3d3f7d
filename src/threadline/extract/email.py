"""E-mail addresses, written plainly or dodging filters.

Posters who fear moderation write ``anna at mail dot com``, ``anna [at] mail [dot] com``,
``anna arroba correo punto es`` or ``anna @ mail . com``. The finder reads all of these, returns
the whole written form as the span, and the address lower-cased as the value.

Ordinary prose also contains "at" and "dot" ("apply online at acme.com", "meet at the hotel"),
and handles look like addresses once spaces are allowed ("Snap @ anna . vip"). So the finder
works from the ``@`` (or its stand-in) outwards and only keeps a candidate whose domain ends in
a real top-level domain, and whose local part is plausible for the way it was written: the
looser the writing, the stricter the check.

The list of top-level domains (IANA's, plus the names reserved for examples and tests) lives
here because the URL finder shares it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

from threadline.extract.base import ExtractStage, Found
from threadline.model import Ad, Span


def _load_tlds() -> frozenset[str]:
    text = resources.files("threadline.extract").joinpath("data/tlds.txt").read_text("utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


KNOWN_TLDS = _load_tlds()
"""Lower-case top-level domains: IANA's root zone plus example, test, invalid, localhost, onion."""


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def is_known_tld(label: str) -> bool:
    """True if ``label`` (any case) is a top-level domain."""
    return label.lower() in KNOWN_TLDS


_WEBMAIL_DOMAINS = frozenset(
    {
        "gmail",
        "googlemail",
        "yahoo",
        "ymail",
        "hotmail",
        "outlook",
        "live",
        "msn",
        "icloud",
        "me",
        "aol",
        "proton",
        "protonmail",
        "pm",
        "tutanota",
        "gmx",
        "web",
        "mail",
        "yandex",
        "orange",
        "wanadoo",
        "free",
        "laposte",
        "sfr",
        "libero",
        "uol",
        "bol",
        "terra",
        "sapo",
        "zoho",
        "qq",
        "163",
    }
)
"""Provider names that make ``anna at gmail.com`` an address even without an odd local part."""

# Words that, written before "at", are far likelier prose than the local part of an address:
# "apply online at acme.com", "find us at acme.com", "book at hotel.com".
_PROSE_WORDS = _words(
    """
    a an the i me you he him she her it we us they them my your our their this that there here
    is are was be am at to in on of or and by for from with who which what where when also
    apply available book booking bookings call contact email find hello hi join look meet
    message online only open order reach register see sign stay staying visit work working
    write located based live living now today anytime more
    """
)

# Platform names written before a spaced "@" are handles, not addresses: "Snap @ anna . vip".
_PLATFORM_WORDS = _words(
    """
    telegram telegrama tg snap snapchat sc ig insta instagram kik line wechat signal whatsapp
    wa viber twitter x tiktok onlyfans facebook fb threema session skype discord
    venmo cashapp paypal zelle
    """
)

_LOCAL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-")
_MAX_LOCAL = 64

# The "@" and its stand-ins. A bare word ("at", "chez") only counts with a space before it and
# whitespace after; the bracketed forms may touch the local part ("anna[at]mail[dot]com").
# Two cheap scans (a character class, a space-led literal) beat one alternation: the scan
# over every advert is most of this finder's cost.
_AT_SYMBOL = re.compile(r"[@\[({<]")
_AT_BRACKET = re.compile(r"[\[({<]\s*(?:at|@|arroba|arobase)\s*[\])}>]", re.IGNORECASE)
_AT_WORD = re.compile(
    r" (at|AT|At|arroba|ARROBA|Arroba|arobase|AROBASE|Arobase|chez|CHEZ|Chez)(?=\s)"
)


def _anchors(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, kind)`` of every "@" or stand-in, in text order."""
    out: list[tuple[int, int, str]] = []
    for m in _AT_SYMBOL.finditer(text):
        if m.group() == "@":
            out.append((m.start(), m.end(), "plain"))
        else:
            bracket = _AT_BRACKET.match(text, m.start())
            if bracket is not None:
                out.append((bracket.start(), bracket.end(), "bracket"))
    words = [(m.start(1), m.end(1), "word") for m in _AT_WORD.finditer(text)]
    if words:
        out.extend(words)
        out.sort()
    return out


_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_FIRST_LABEL = re.compile(_LABEL, re.IGNORECASE | re.ASCII)
# One "dot, then label" step of a domain. A spaced real dot needs space on both sides, so that
# a sentence break ("mail.com. Com gosto") never joins the next word to the domain.
_DOT_LABEL = re.compile(
    rf"""
    (?: (?P<plain>\.)
      | (?P<spaced>\s+\.\s+)
      | \s*(?P<bracket>[\[({{<]\s*(?:dot|punto|ponto|point|\.)\s*[\])}}>])\s*
      | \s+(?P<word>dot|punto|ponto|point)\s+
    )
    (?P<label>{_LABEL})
    """,
    re.IGNORECASE | re.VERBOSE | re.ASCII,
)
_MAX_LABELS = 8


@dataclass(frozen=True, slots=True)
class _Domain:
    labels: tuple[str, ...]
    end: int
    obfuscated: bool
    """Some dot was written as a word or in brackets."""
    spaced: bool


def _local_start(text: str, end: int) -> int:
    """Start of the local part that ends at ``end`` (``end`` itself if there is none)."""
    start = end
    floor = max(0, end - _MAX_LOCAL)
    while start > floor and text[start - 1] in _LOCAL_CHARS:
        start -= 1
    # Addresses do not start with punctuation: "...anna@" or ".anna@" begin at "anna".
    while start < end and not text[start].isalnum():
        start += 1
    return start


_DOT_BEFORE = re.compile(
    r"(?:\s+(?:dot|punto|ponto|point)\s+|\s*[\[({<]\s*(?:dot|punto|ponto|point)\s*[\])}>]\s*)\Z",
    re.IGNORECASE,
)


def _obfuscated_local(text: str, start: int, local: str, taken: int) -> tuple[int, str]:
    """Extend a local part over dots written as words: "jade dot b at ..." -> ``jade.b``."""
    for _ in range(3):
        window = max(taken, start - 20)
        dot = _DOT_BEFORE.search(text, window, start)
        if dot is None:
            break
        label_end = dot.start()
        label_start = _local_start(text, label_end)
        if label_start == label_end or label_start < taken:
            break
        if label_start > 0 and (text[label_start - 1].isalnum() or text[label_start - 1] in "@/"):
            break
        start, local = label_start, f"{text[label_start:label_end]}.{local}"
    return start, local


def _domain(text: str, pos: int, obfuscated_at: bool) -> _Domain | None:
    """The longest domain starting at ``pos`` that ends in a known top-level domain."""
    first = _FIRST_LABEL.match(text, pos)
    if first is None:
        return None
    labels = [first.group()]
    ends = [first.end()]
    kinds: list[str] = []
    at = first.end()
    while len(labels) < _MAX_LABELS:
        step = _DOT_LABEL.match(text, at)
        if step is None:
            break
        labels.append(step.group("label"))
        ends.append(step.end())
        kinds.append(next(k for k in ("plain", "spaced", "bracket", "word") if step.group(k)))
        at = step.end()
    found = _longest_with_tld(labels, ends, kinds)
    if found is None and obfuscated_at:
        # "anna(at)mailDOTcom", "anna[at]boitepointtest": the dot word glued to the labels.
        found = _longest_with_tld(*_unglue(labels, ends, kinds))
    return found


def _longest_with_tld(labels: list[str], ends: list[int], kinds: list[str]) -> _Domain | None:
    # Back off to the last label that is a top-level domain; a capitalised label after an
    # all-lower-case domain is the next sentence ("rh@acme.com.Thanks"), not more domain.
    for n in range(len(labels) - 1, 0, -1):
        tld = labels[n]
        if not (tld.isalpha() or tld.lower().startswith("xn--")) or not is_known_tld(tld):
            continue
        head = labels[:n]
        if tld != tld.lower() and tld != tld.upper() and all(x == x.lower() for x in head):
            continue
        used = kinds[:n]
        return _Domain(
            labels=tuple(labels[: n + 1]),
            end=ends[n],
            obfuscated=any(k in ("bracket", "word") for k in used),
            spaced=any(k == "spaced" for k in used),
        )
    return None


_GLUED_DOT = re.compile(r"(?<=[a-z0-9])(?:dot|punto|ponto|point)(?=[a-z0-9])", re.IGNORECASE)


def _unglue(
    labels: list[str], ends: list[int], kinds: list[str]
) -> tuple[list[str], list[int], list[str]]:
    """Split labels at dot words written without spaces: ``mailDOTcom`` -> ``mail``, ``com``."""
    out_labels: list[str] = []
    out_ends: list[int] = []
    out_kinds: list[str] = []
    for i, (label, end) in enumerate(zip(labels, ends, strict=True)):
        if i > 0:
            out_kinds.append(kinds[i - 1])
        base = end - len(label)
        at = 0
        for glue in _GLUED_DOT.finditer(label):
            out_labels.append(label[at : glue.start()])
            out_ends.append(base + glue.start())
            out_kinds.append("word")
            at = glue.end()
        out_labels.append(label[at:])
        out_ends.append(end)
    return out_labels, out_ends, out_kinds


def _username_like(local: str) -> bool:
    """A local part no dictionary word could be: ``work.now``, ``anna22``, ``rh-team``."""
    return any(c.isdigit() or c in "._-+" for c in local)


def _plausible(local: str, at_kind: str, at_word: str, domain: _Domain) -> bool:
    """``at_kind`` is how the "@" was written: plain, spaced, bracket or word."""
    lower = local.lower()
    if ".." in local or local.endswith((".", "-", "+")):
        return False
    unambiguous = at_kind == "bracket" or at_word.lower() in ("arroba", "arobase")
    if unambiguous or (at_kind == "plain" and not domain.spaced):
        return True  # "[at]", "arroba" and a real "@" say "address" whatever the local part
    if lower in _PLATFORM_WORDS:
        return False  # "Snap @ anna . vip", "Telegram at anna dot vip": a handle, spaced out
    if at_kind != "word":
        return True
    if len(local) < 2 or not any(c.isalpha() for c in local):
        return False  # "I'm at home dot dot dot", "version 2.0 at acme.com"
    # "at" and "chez" are everyday words: believe them only before an address-like local part,
    # or when the dots are obfuscated too, or the domain is a well-known mail provider.
    if lower in _PROSE_WORDS:
        return False
    if domain.obfuscated:
        return True
    return _username_like(local) or domain.labels[0].lower() in _WEBMAIL_DOMAINS


def _confidence(at_kind: str, domain: _Domain) -> float:
    if at_kind == "plain" and not (domain.obfuscated or domain.spaced):
        return 0.97
    if at_kind == "word":
        return 0.8
    return 0.9


def find_in_text(text: str) -> list[Found]:
    """Every e-mail address in ``text`` (the finder without the advert around it)."""
    found: list[Found] = []
    taken = 0  # end of the last address: addresses never overlap
    for start, end, kind in _anchors(text):
        if start < taken:
            continue
        try:
            hit = _address_around(text, start, end, kind, taken)
        except (ValueError, IndexError):  # a malformed candidate must not lose the others
            hit = None
        if hit is not None:
            found.append(hit)
            taken = hit.span.end
    return found


def _address_around(text: str, before: int, after: int, kind: str, taken: int) -> Found | None:
    """The address whose "@" (or stand-in) is ``text[before:after]``, if there is one."""
    at_word = text[before:after]
    if kind == "plain":
        spaced_before = before > 0 and text[before - 1].isspace()
        spaced_after = after < len(text) and text[after].isspace()
        if spaced_before != spaced_after:
            return None  # "Follow @anna.vip" is a handle; only "anna @ mail.com" is spaced
        if spaced_before:
            kind = "spaced"
    floor = max(taken, before - 3)
    while before > floor and text[before - 1].isspace():
        before -= 1
    limit = min(len(text), after + 3)
    while after < limit and text[after].isspace():
        after += 1
    start = _local_start(text, before)
    if start == before or start < taken:
        return None
    if start > 0 and (text[start - 1].isalnum() or text[start - 1] in "@/'’"):
        return None  # inside a longer token: "josé@...", a URL path, "a@b@c", "I'm at"
    domain = _domain(text, after, kind in ("bracket", "word"))
    if domain is None:
        return None
    local = text[start:before]
    if kind != "plain":
        start, local = _obfuscated_local(text, start, local, taken)
    if not _plausible(local, kind, at_word, domain):
        return None
    end = domain.end
    attrs = {"domain": ".".join(domain.labels).lower()}
    if kind != "plain" or domain.obfuscated or domain.spaced:
        attrs["obfuscated"] = "yes"
    return Found(
        kind="email",
        value=f"{local}@{attrs['domain']}".lower(),
        raw=text[start:end],
        span=Span(start, end),
        confidence=_confidence(kind, domain),
        attrs=attrs,
    )


def find(ad: Ad) -> list[Found]:
    """E-mail addresses in the advert's text, plain or obfuscated, lower-cased."""
    return find_in_text(ad.text)


STAGE = ExtractStage("extract.email", 1, find)

"""Web addresses: ``https://...`` links, ``www.`` hosts and bare domains (``acme.com/jobs``).

A URL ties adverts to the site that recruits through them, so the value is normalised to
compare equal however it was written: scheme added when missing (``https``), host in lower case,
default port and trailing slash dropped, path, query and fragment kept as written. Punctuation
that ends the sentence (``.``, ``,``, ``)``, ``!``) is not part of the URL.

Messenger, social and payment links that name an account (``t.me/anna``, ``wa.me/336...``,
``paypal.me/anna``) are left to the handle, phone and payment finders, which report the account
behind them: the same link counted as a URL too would double one piece of evidence when adverts
are linked. A bare service host (``instagram.com``) is still a URL, marked with
``attrs["service"]``. Known link shorteners get ``attrs["shortener"]``.

The host must end in a real top-level domain and must not be the domain (or the local part) of
an e-mail address, written plainly or obfuscated ("anna (at) mail.com"). A bare domain with
nothing to vouch for it (no scheme, no ``www.``, no path) is also what a missing space after a
full stop looks like ("call me.new in town"), so it must end in a common generic TLD or a
country code that is not a short word of the advert languages.
"""

from __future__ import annotations

import re

from threadline.extract import email
from threadline.extract.base import ExtractStage, Found
from threadline.model import Ad, Span


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


SHORTENERS = frozenset(
    {
        "bit.ly",
        "bitly.com",
        "tinyurl.com",
        "t.co",
        "goo.gl",
        "ow.ly",
        "is.gd",
        "v.gd",
        "cutt.ly",
        "rebrand.ly",
        "s.id",
        "shorturl.at",
        "tiny.cc",
        "buff.ly",
        "rb.gy",
        "t.ly",
        "bl.ink",
        "short.io",
        "lnkd.in",
        "trib.al",
        "qrco.de",
        "linktr.ee",
        "shorturl.asia",
        "u.to",
        "clck.ru",
        "surl.li",
        "tiny.one",
        "urlz.fr",
        "x.gd",
        "bit.do",
        "soo.gd",
        "rotf.lol",
    }
)
"""Hosts that only redirect: the target is hidden, which is why posters use them."""

SERVICES: dict[str, str] = {
    "t.me": "telegram",
    "telegram.me": "telegram",
    "telegram.dog": "telegram",
    "wa.me": "whatsapp",
    "api.whatsapp.com": "whatsapp",
    "chat.whatsapp.com": "whatsapp",
    "instagram.com": "instagram",
    "instagr.am": "instagram",
    "snapchat.com": "snapchat",
    "onlyfans.com": "onlyfans",
    "twitter.com": "twitter",
    "x.com": "twitter",
    "tiktok.com": "tiktok",
    "facebook.com": "facebook",
    "m.facebook.com": "facebook",
    "fb.com": "facebook",
    "line.me": "line",
    "kik.me": "kik",
    "signal.me": "signal",
    "signal.group": "signal",
    "paypal.me": "paypal",
    "paypal.com": "paypal",
    "venmo.com": "venmo",
    "account.venmo.com": "venmo",
    "cash.app": "cashapp",
    "cash.me": "cashapp",
}
"""Messenger, social and payment hosts: their links name an account, which the handle, phone
and payment finders read (see the module docstring)."""

# A bare domain with nothing around it ("acme.com", not "www.", "https://" or "/jobs") is the
# form a missing space fakes best: "call me.new in town", "relaxing.love it", "is.it ok".
# Hundreds of top-level domains are everyday words, so a bare domain must end in a generic
# TLD that sites really use, or a country code that is not also a short word of the advert
# languages or a file extension ("cv.zip" is a file).
_BARE_GENERIC_TLDS = _words(
    """
    com net org info biz edu gov int mil io co ai app dev xyz online site website shop store top
    tv cc eu asia pro mobi jobs example test onion
    """
)
_BARE_NOT_COUNTRY = _words(
    """
    is it in at be to no so do am as by my me us la se te tu je na ne ma mi si il al ao id
    sh md rs py ps
    """
)

_LABEL = r"[^\W_](?:[\w-]{0,61}[^\W_])?"
# Host characters are Unicode letters and digits (internationalised domains), so \w stands in
# for them; underscores are then excluded by the label pattern's ends and by validation. An IP
# address reads as a host of digit labels, which validation accepts only after "http(s)://".
_URL = re.compile(
    rf"""
    (?:(?P<scheme>https?)://(?P<auth>[^\s/@]{{1,64}}@)?)?
    (?P<host>(?:{_LABEL}\.)+{_LABEL})
    (?P<port>:\d{{2,5}})?
    (?P<rest>[/?#][^\s<>"'`{{}}|\\^]*)?
    """,
    re.IGNORECASE | re.VERBOSE,
)
# A bare host must not continue a word, an e-mail address or another URL's path.
_BEFORE_FORBIDDEN = frozenset("@.-/_\\")
_TRAILING = ".,;:!?'\"»”’…>*"
_PAIRS = {")": "(", "]": "[", "}": "{"}

# A host's dot is followed by a letter or digit; a sentence's full stop is not.
_HOST_DOT = re.compile(r"\.(?=[^\W_])")


def _trim(candidate: str) -> str:
    """Drop the punctuation that ends the sentence rather than the URL."""
    while candidate:
        last = candidate[-1]
        if last in _TRAILING:
            candidate = candidate[:-1]
        elif last in _PAIRS and candidate.count(last) > candidate.count(_PAIRS[last]):
            candidate = candidate[:-1]  # "(see acme.com/jobs)"; keep wiki_(word) paths whole
        else:
            break
    return candidate


def _valid_host(host: str, explicit: bool, with_path: bool) -> bool:
    """``explicit``: written with a scheme or ``www.``, which vouches for an odd TLD;
    ``with_path``: followed by a path, port or query, which a missing space never fakes."""
    labels = host.split(".")
    if any(not label or len(label) > 63 or "_" in label for label in labels):
        return False
    if all(label.isdigit() for label in labels):
        return explicit and all(int(label) <= 255 for label in labels)
    tld = labels[-1]
    if tld.isascii():
        if not email.is_known_tld(tld):
            return False
    elif not explicit:
        return False  # an internationalised TLD only with a scheme or "www."
    if explicit:
        return True
    lower = tld.lower()
    bare_ok = lower in _BARE_GENERIC_TLDS or (len(lower) == 2 and lower not in _BARE_NOT_COUNTRY)
    if not with_path and not bare_ok:
        return False
    # "Lisboa.Portugal", "fim.Depois": a capital after the dot is a missing space, not a host.
    return tld == lower or host == host.upper()


def _normalise(scheme: str | None, host: str, port: str | None, rest: str) -> str:
    scheme = (scheme or "https").lower()
    host = host.lower()
    if (scheme, port) in (("https", ":443"), ("http", ":80")):
        port = None
    path = rest
    # "acme.com/", "acme.com/jobs/": the slash adds nothing; "acme.com/?q=1" keeps its query.
    while path.endswith("/") and not path.endswith("//"):
        path = path[:-1]
    return f"{scheme}://{host}{port or ''}{path}"


# How the text around a bare domain reads when it may be part of an obfuscated e-mail address:
# the domain ("anna (at) mail.com", "anna chez mail.fr") or the local part ("anna.vip [at] ...").
_AT_BEFORE = ("@", "at)", "at]", "at}", "at>", " at", "arroba", "arroba)", "arobase", "chez")
_AT_AFTER = ("(at", "[at", "{at", "<at", "at ", "arroba", "(arroba", "arobase", "chez")


def _in_email(text: str, start: int, end: int) -> bool:
    """True if ``text[start:end]`` is part of an e-mail address written around it."""
    after = text[end : end + 10].lstrip().lower()
    if after.startswith("@"):
        return True
    if not (
        after.startswith(_AT_AFTER)
        or text[max(0, start - 10) : start].rstrip().lower().endswith(_AT_BEFORE)
    ):
        return False
    return any(f.span.start < end and start < f.span.end for f in email.find_in_text(text))


def find_in_text(text: str) -> list[Found]:
    """Every URL in ``text`` (the finder without the advert around it)."""
    if "." not in text:
        return []
    found: list[Found] = []
    taken = 0
    for at, is_scheme in _anchors(text):
        if at < taken:
            continue
        start = _scheme_start(text, at) if is_scheme else _host_start(text, at)
        if start is None or start < taken:
            continue
        m = _URL.match(text, start)
        if m is None:
            continue
        try:
            hit = _url_from(text, m)
        except (ValueError, IndexError):  # one odd candidate must not lose the others
            hit = None
        if hit is not None:
            found.append(hit)
            taken = hit.span.end
    return found


def _anchors(text: str) -> list[tuple[int, bool]]:
    """Positions of every "://" (True) and every dot that may be a host's (False)."""
    anchors = [(m.start(), False) for m in _HOST_DOT.finditer(text)]
    i = text.find("://")
    if i >= 0:
        while i >= 0:
            anchors.append((i, True))
            i = text.find("://", i + 3)
        anchors.sort()
    return anchors


def _scheme_start(text: str, anchor: int) -> int | None:
    """Start of the "http" or "https" that ends at the "://" at ``anchor``."""
    before = text[max(0, anchor - 5) : anchor].lower()
    if before.endswith("https"):
        return anchor - 5
    if before.endswith("http"):
        return anchor - 4
    return None


def _host_start(text: str, dot: int) -> int | None:
    """Start of the host whose first "." is at ``dot``."""
    i = dot
    floor = max(0, dot - 63)
    while i > floor and (text[i - 1].isalnum() or text[i - 1] == "-"):
        i -= 1
    if i == dot or (i > 0 and (text[i - 1] in _BEFORE_FORBIDDEN or text[i - 1].isalnum())):
        return None  # nothing before the dot, or the dot is inside an address, path or word
    if text.startswith("://", i - 3):
        return None  # a host the "://" anchor reads
    if text[dot + 1].isdigit() and text[i:dot].isdigit():
        return None  # "3.100", "37.5": a number (an IP address only counts after "http://")
    return i


def _url_from(text: str, m: re.Match[str]) -> Found | None:
    start = m.start()
    scheme = m.group("scheme")
    if m.group("auth"):
        return None  # "https://user:pass@host": credentials, not an address to link on
    host = m.group("host")
    rest = _trim(m.group("rest") or "")
    port = m.group("port")
    explicit = scheme is not None or host.lower().startswith("www.")
    if not _valid_host(host, explicit, bool(rest or port)):
        return None
    end = m.start("host") + len(host) + (len(port) if port else 0) + len(rest)
    if scheme is None and _in_email(text, start, end):
        return None
    domain = host.lower()
    attrs = {"domain": domain}
    bare = domain.removeprefix("www.")
    if bare in SHORTENERS:
        attrs["shortener"] = "yes"
    service = SERVICES.get(bare)
    if service is not None:
        if rest.strip("/"):
            return None  # an account link: its own finder reports it
        attrs["service"] = service
    confidence = 0.95 if explicit else (0.85 if rest else 0.7)
    return Found(
        kind="url",
        value=_normalise(scheme, host, port, rest),
        raw=text[start:end],
        span=Span(start, end),
        confidence=confidence,
        attrs=attrs,
    )


def find(ad: Ad) -> list[Found]:
    """URLs and web domains in the advert's text, normalised to ``https://host/path``."""
    return find_in_text(ad.text)


STAGE = ExtractStage("extract.url", 1, find)

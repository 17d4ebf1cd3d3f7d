"""Messenger and social-media handles, with the platform they live on.

A handle only links adverts if its platform is known ("anna_vip" on Telegram is not "anna_vip" on
Instagram), so the finder reads handles where the text names the platform: a label before the
name ("Telegram @anna_vip", "Snap: anna.b22", "WeChat ID: annalee") or a profile link
(``t.me/anna_vip``, ``instagram.com/anna_vip``, ``snapchat.com/add/anna.b22``). Posters who
dodge filters space the name out ("TG @ anna _ vip"); the value drops the spaces.

The finder starts from what every labelled handle has, an "@", a ":" or an "ID", and looks
back for the label: far cheaper than searching every word for a platform name. A label with
none of them ("my snap is anna22") is not read. Without an "@", a name must look like a user
name (a digit, "_" or ".") or follow an "ID" word: "Telegram: available" is prose.

WhatsApp has no usernames worth the name: its links (``wa.me/33612345678``) and labels carry
phone numbers, which the phone finder reads. A bare ``@name`` with no platform cue is reported
with platform ``unknown`` and a low confidence when it cannot be an everyday word
("@anna_vip", not "@downtown"): it is still worth linking on.

The value is ``platform:name`` in lower case; the span covers the label or link and the name.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass

from threadline.extract.base import ExtractStage, Found
from threadline.model import Ad, Span


@dataclass(frozen=True, slots=True)
class _Rules:
    """What a platform accepts as a user name."""

    chars: frozenset[str]
    min_len: int
    max_len: int
    letter_first: bool


_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"
_RULES: dict[str, _Rules] = {
    "telegram": _Rules(frozenset(_ALNUM + "_"), 4, 32, True),
    "signal": _Rules(frozenset(_ALNUM + "_."), 3, 40, True),
    "snapchat": _Rules(frozenset(_ALNUM + "_.-"), 3, 30, True),
    "instagram": _Rules(frozenset(_ALNUM + "_."), 2, 30, False),
    "kik": _Rules(frozenset(_ALNUM + "_."), 2, 30, False),
    "line": _Rules(frozenset(_ALNUM + "_.-"), 2, 30, False),
    "wechat": _Rules(frozenset(_ALNUM + "_-"), 3, 30, True),
    "onlyfans": _Rules(frozenset(_ALNUM + "_.-"), 3, 30, False),
    "twitter": _Rules(frozenset(_ALNUM + "_"), 2, 15, False),
    "tiktok": _Rules(frozenset(_ALNUM + "_."), 2, 24, False),
    "facebook": _Rules(frozenset(_ALNUM + "."), 5, 50, False),
    "whatsapp": _Rules(frozenset(_ALNUM + "_."), 3, 30, True),
    "unknown": _Rules(frozenset(_ALNUM + "_."), 3, 30, True),
}

_LABELS: dict[str, str] = {
    "telegram": "telegram",
    "telegrama": "telegram",
    "telegramm": "telegram",
    "télégram": "telegram",
    "télégramme": "telegram",
    "tg": "telegram",
    "signal": "signal",
    "snapchat": "snapchat",
    "snap": "snapchat",
    "sc": "snapchat",
    "instagram": "instagram",
    "insta": "instagram",
    "ig": "instagram",
    "kik": "kik",
    "line": "line",
    "wechat": "wechat",
    "weixin": "wechat",
    "onlyfans": "onlyfans",
    "twitter": "twitter",
    "x": "twitter",
    "tiktok": "tiktok",
    "facebook": "facebook",
    "fb": "facebook",
    "whatsapp": "whatsapp",
}
"""Label words (lower case) and the platform each names."""

_ID_WORDS = frozenset({"id", "username", "user", "name", "handle", "nick", "nickname"})
_FILLERS = frozenset({"me", "on", "is", "as", "at", "como", "comme", "sur", "em"})
"""Words between a label and its "@": "kik me @anna", "Insta como @anna", "Snap me: anna22"."""
_LABEL_ENDINGS = tuple(_LABELS) + tuple(_ID_WORDS) + tuple(_FILLERS)
_LABEL_SEPARATORS = ":=-–—(："
_STRIPPED = " \t\n\u00a0" + _LABEL_SEPARATORS
_CHAIN_SEPARATORS = "/&+|,"
_MAX_GAP = 3
"""Spaces allowed between a label, its separator and the name."""

_NAME = re.compile(r"[a-z0-9_.\-]+", re.IGNORECASE | re.ASCII)
_SPACED_JOINER = re.compile(r"\s[_.\-]\s")
_NAME_SPACED = re.compile(
    r"[a-z0-9]+(?:(?:\s+[_.\-]\s+|[_.\-])[a-z0-9]+)*", re.IGNORECASE | re.ASCII
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that follow a label in prose, never a user name: "Telegram: only messages".
_NOT_NAMES = _words(
    """
    me only or and also ok available here now please dm message messages msg chat call text
    preferred account profile channel group link on the my is are for to with id username
    user name handle nick app web official contact
    """
)

_LINK_HOSTS: dict[str, str] = {
    "t.me/": "telegram",
    "telegram.me/": "telegram",
    "telegram.dog/": "telegram",
    "instagram.com/": "instagram",
    "instagr.am/": "instagram",
    "snapchat.com/": "snapchat",
    "onlyfans.com/": "onlyfans",
    "twitter.com/": "twitter",
    "x.com/": "twitter",
    "tiktok.com/": "tiktok",
    "facebook.com/": "facebook",
    "fb.com/": "facebook",
    "line.me/": "line",
    "kik.me/": "kik",
}
_HOST_TAILS = (".me/", ".com/", ".am/", ".dog/")
_SUBDOMAINS = ("www.", "m.", "mobile.", "web.", "vm.", "story.")
_SEGMENT = re.compile(r"[^\s/?#<>\"'()\[\]{}|\\]+")
_FB_PROFILE_ID = re.compile(r"profile\.php\?id=(\d{5,20})")

# First path segments that are site pages, not profiles.
_RESERVED: dict[str, frozenset[str]] = {
    "telegram": _words(
        "joinchat addstickers addemoji share proxy socks c iv addtheme setlanguage login "
        "confirmphone boost invoice contact"
    ),
    "instagram": _words(
        "p reel reels tv explore stories accounts direct about legal developer web "
        "challenge privacy emails"
    ),
    "onlyfans": _words("my action api files terms privacy help about login"),
    "twitter": _words(
        "i home search intent share hashtag explore settings messages notifications login "
        "signup tos privacy compose"
    ),
    "facebook": _words(
        "groups pages events sharer sharer.php share marketplace watch photo photo.php "
        "story.php permalink.php login help policies people dialog plugins hashtag "
        "gaming reel reels stories messages friends"
    ),
}

_PAYMENT_WORDS = frozenset({"venmo", "cashapp", "app", "zelle", "paypal", "cash"})


@dataclass(frozen=True, slots=True)
class _Name:
    value: str
    end: int


def _read_name(text: str, pos: int, spaced: bool, platform: str) -> _Name | None:
    """The user name starting at ``pos``, cut to what ``platform`` allows, spaces removed."""
    rules = _RULES[platform]
    m = (_NAME_SPACED if spaced else _NAME).match(text, pos)
    if m is None:
        return None
    chars: list[str] = []
    ends: list[int] = []
    for i, c in enumerate(m.group().lower(), m.start()):
        if c.isspace():
            continue
        if c not in rules.chars:
            break
        chars.append(c)
        ends.append(i + 1)
    # A name never ends in punctuation: "Snap @anna.b." ends a sentence.
    while chars and chars[-1] in ".-":
        chars.pop()
        ends.pop()
    if not chars:
        return None
    name = "".join(chars)
    if not rules.min_len <= len(name) <= rules.max_len:
        return None
    if rules.letter_first and not name[0].isalpha():
        return None
    if not any(c.isalpha() for c in name):
        return None  # all digits is a phone number, which the phone finder reads
    return _Name(name, ends[-1])


def _continues(text: str, end: int) -> bool:
    """True if a name read after a label goes on as something else: "Snap: anna@mail.com" is an
    e-mail address, "Telegram: t.me/anna" a link (which the link reader takes)."""
    return end < len(text) and text[end] in "@/"


def _split_word_follows(text: str, start: int, end: int) -> bool:
    """True if a spaced-out name may go on past ``end``: in "IG @ luna rose" the handle may be
    "luna" or "lunarose", and a wrong handle is worse than none."""
    if _SPACED_JOINER.search(text, start, end):
        return False  # "@ anna _ vip": the joiners show where the name is
    return end + 1 < len(text) and text[end] == " " and text[end + 1].isalnum()


def _username_like(name: str) -> bool:
    return any(c.isdigit() or c in "_." for c in name)


@dataclass(frozen=True, slots=True)
class _Label:
    start: int
    platforms: tuple[str, ...]
    word: str
    """The label as written ("LINE", "Insta")."""
    has_id: bool


def _skip_spaces_back(text: str, j: int) -> int:
    floor = max(0, j - _MAX_GAP)
    while j > floor and text[j - 1].isspace():
        j -= 1
    return j


def _word_before(text: str, j: int) -> int:
    """Start of the run of letters that ends at ``j``."""
    i = j
    floor = max(0, j - 12)
    while i > floor and text[i - 1].isalpha():
        i -= 1
    return i


def _label_before(text: str, j: int, allow_separator: bool) -> _Label | None:
    """The platform label that ends (give or take spaces and a separator) at ``j``."""
    # Most anchors ("Tel:", "10:30", "e-mail@") have no label: reject them with one C call.
    if not text[max(0, j - 20) : j].rstrip(_STRIPPED).lower().endswith(_LABEL_ENDINGS):
        return None
    j = _skip_spaces_back(text, j)
    if allow_separator and j > 0 and text[j - 1] in _LABEL_SEPARATORS:
        j = _skip_spaces_back(text, j - 1)
    i = _word_before(text, j)
    if text[i:j].lower() in _FILLERS:
        j = _skip_spaces_back(text, i)
        i = _word_before(text, j)
    has_id = text[i:j].lower() in _ID_WORDS
    if has_id:
        j = _skip_spaces_back(text, i)
        i = _word_before(text, j)
    platform = _LABELS.get(text[i:j].lower())
    if platform is None or (i > 0 and (text[i - 1].isalnum() or text[i - 1] in "_@.")):
        return None
    word = text[i:j]
    platforms = [platform]
    # "Telegram/Signal: @anna" names one account on each.
    while True:
        k = _skip_spaces_back(text, i)
        if k == 0 or text[k - 1] not in _CHAIN_SEPARATORS:
            break
        k = _skip_spaces_back(text, k - 1)
        h = _word_before(text, k)
        chained = text[h:k].lower()
        other = _LABELS.get(chained)
        if other is None or chained == "x" or (h > 0 and text[h - 1].isalnum()):
            break
        platforms.append(other)
        i = h
    return _Label(i, tuple(platforms), word, has_id)


def _labelled(text: str) -> list[Found]:
    """Handles after a platform label: "Telegram @anna", "Snap: anna.b22", "TG @ anna _ b",
    "Line ID annalee"."""
    found: list[Found] = []
    for anchor in ("@", ":", "：", " ID ", " id "):
        i = text.find(anchor)
        while i >= 0:
            at = i + 3 if anchor[0] == " " else i  # an "ID" anchor: the space after it
            with contextlib.suppress(ValueError, IndexError):  # one odd candidate, not all
                found.extend(_label_at(text, at))
            i = text.find(anchor, i + 1)
    return found


def _label_at(text: str, anchor: int) -> list[Found]:
    """Handles whose "@" or label separator is at ``anchor``."""
    has_at = text[anchor] == "@"
    if has_at:
        if anchor > 0 and (text[anchor - 1].isalnum() or text[anchor - 1] in "_.-/"):
            return []  # an e-mail address or a link path
        label = _label_before(text, anchor, allow_separator=True)
        spaced = anchor + 1 < len(text) and text[anchor + 1].isspace()
        pos = anchor + 1
        limit = min(len(text), pos + _MAX_GAP)
        while pos < limit and text[pos].isspace():
            pos += 1
    else:
        label = _label_before(text, anchor, allow_separator=False)
        spaced = False
        pos = anchor + 1
        limit = min(len(text), pos + _MAX_GAP)
        while pos < limit and text[pos].isspace():
            pos += 1
        if pos < len(text) and text[pos] in "@:：":
            return []  # "Telegram: @anna", "Line ID: anna": read from the "@" or the ":"
        if text[anchor] == " " and (label is None or not label.has_id):
            return []
    if label is None:
        unknown = _unlabelled(text, anchor, pos, spaced) if has_at else None
        return [unknown] if unknown is not None else []
    if label.word.lower() == "line" and not (label.has_id or label.word == "LINE"):
        return []  # "line" is an everyday word; "Line ID" and "LINE" are the app
    if label.word.lower() == "x" and (label.word != "X" or not has_at):
        return []  # only "X @anna" / "X: @anna" is the platform
    out: list[Found] = []
    for platform in dict.fromkeys(p for p in label.platforms if p != "whatsapp" or has_at):
        name = _read_name(text, pos, spaced, platform)
        if name is None or _continues(text, name.end):
            continue
        if spaced and _split_word_follows(text, pos, name.end):
            continue
        if not has_at and (
            name.value in _NOT_NAMES or not (label.has_id or _username_like(name.value))
        ):
            continue
        confidence = 0.9 if has_at or label.has_id else 0.75
        out.append(_found(text, label.start, name.end, platform, name.value, confidence))
    return out


def _found(text: str, start: int, end: int, platform: str, name: str, confidence: float) -> Found:
    return Found(
        kind="handle",
        value=f"{platform}:{name}",
        raw=text[start:end],
        span=Span(start, end),
        confidence=confidence,
        attrs={"platform": platform},
    )


def _unlabelled(text: str, anchor: int, pos: int, spaced: bool) -> Found | None:
    """``@name`` with no platform label before it: platform ``unknown``, low confidence."""
    j = _skip_spaces_back(text, anchor)
    if j > 0 and text[j - 1] in _LABEL_SEPARATORS:
        j = _skip_spaces_back(text, j - 1)
    if text[_word_before(text, j) : j].lower() in _PAYMENT_WORDS:
        return None  # "Venmo @anna" is a payment tag
    name = _read_name(text, pos, spaced, "unknown")
    if name is None or name.value in _NOT_NAMES or _continues(text, name.end):
        return None
    if spaced and not _SPACED_JOINER.search(text, pos, name.end):
        return None  # "@ 5pm", "@ the hotel"; but "@ anna _ vip" is a spaced-out handle
    # Without a platform, "@" is often just "at" ("incall @downtown", "@midnight"): only a name
    # no everyday word could be ("@anna_vip", "@luna22") is taken for a handle.
    if not _username_like(name.value):
        return None
    end = name.end
    if end + 1 < len(text) and text[end] == "." and text[end + 1].isalpha():
        return None  # "@mail.example": the domain of an address written apart
    return _found(text, anchor, end, "unknown", name.value, 0.4)


def _lower_same_length(text: str) -> str:
    low = text.lower()
    if len(low) != len(text):
        # A few characters grow when lower-cased ("İ"); spans must stay exact, so fold only
        # ASCII letters, which are all that hosts and names are made of here.
        low = text.translate(_ASCII_LOWER)
    return low


_ASCII_LOWER = {ord(c): ord(c.lower()) for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}


def _linked(text: str) -> list[Found]:
    """Handles in profile links: ``t.me/anna``, ``https://www.instagram.com/anna/``."""
    if "/" not in text:
        return []
    low = _lower_same_length(text)
    found: list[Found] = []
    for tail in _HOST_TAILS:
        i = low.find(tail)
        while i >= 0:
            label_start = _word_before(low, i)
            host = low[label_start:i] + tail
            platform = _LINK_HOSTS.get(host)
            if platform is not None:
                try:
                    hit = _link_at(text, low, label_start, host, platform)
                except (ValueError, IndexError):  # one odd candidate must not lose the rest
                    hit = None
                if hit is not None:
                    found.append(hit)
            i = low.find(tail, i + 1)
    return found


def _link_start(low: str, host_start: int) -> int | None:
    """Where the link whose host starts at ``host_start`` begins (scheme and www included)."""
    start = host_start
    for sub in _SUBDOMAINS:
        if low.startswith(sub, start - len(sub)):
            start -= len(sub)
            break
    for scheme in ("https://", "http://"):
        if low.startswith(scheme, start - len(scheme)):
            return start - len(scheme)
    if start > 0 and (low[start - 1].isalnum() or low[start - 1] in "-._@/"):
        return None  # "box.com/anna" is not x.com, "mail@t.me/..." is not a link
    return start


_LINE_PATH = re.compile(r"(?:r/)?ti/p/[~@]")


def _link_at(text: str, low: str, i: int, host: str, platform: str) -> Found | None:
    start = _link_start(low, i)
    if start is None:
        return None
    pos = i + len(host)
    seg = _SEGMENT.match(low, pos)
    if seg is None:
        return None
    first = seg.group()
    reserved = _RESERVED.get(platform, frozenset())
    if platform == "telegram" and first == "s":
        seg = _SEGMENT.match(low, seg.end() + 1)  # t.me/s/name: the channel preview
    elif platform == "instagram" and first == "stories":
        seg = _SEGMENT.match(low, seg.end() + 1)
    elif platform == "snapchat":
        if first == "add":
            seg = _SEGMENT.match(low, seg.end() + 1)
        elif not first.startswith("@"):
            return None
    elif platform == "tiktok" and not first.startswith("@"):
        return None
    elif platform == "line":
        # line.me/ti/p/~name (or line.me/R/ti/p/~name) is a personal LINE ID.
        m = _LINE_PATH.match(low, pos)
        if m is None:
            return None
        seg = _SEGMENT.match(low, m.end())
    elif platform == "facebook" and first.startswith("profile.php"):
        fb = _FB_PROFILE_ID.match(low, pos)
        if fb is None:
            return None
        return _found(text, start, fb.end(), platform, fb.group(1), 0.95)
    elif first in reserved or first.startswith("+"):
        return None  # a site page or a Telegram invite, not a profile
    if seg is None:
        return None
    name_pos = seg.start() + (1 if low[seg.start()] == "@" else 0)
    name = _read_name(text, name_pos, False, platform)
    if name is None or name.value in reserved:
        return None
    return _found(text, start, name.end, platform, name.value, 0.95)


def find_in_text(text: str) -> list[Found]:
    """Every handle in ``text`` (the finder without the advert around it)."""
    found = _labelled(text) + _linked(text)
    if len(found) > 1:
        found.sort(key=lambda f: (f.span.start, f.span.end, f.value))
        found = _dedupe(found)
    return found


def _dedupe(found: list[Found]) -> list[Found]:
    """One finding per value and span end: "Insta: instagram.com/anna" is read twice."""
    out: list[Found] = []
    seen: set[tuple[str, int]] = set()
    for f in found:
        key = (f.value, f.span.end)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def find(ad: Ad) -> list[Found]:
    """Handles in the advert's text, as ``platform:name`` in lower case."""
    return find_in_text(ad.text)


STAGE = ExtractStage("extract.handle", 1, find)

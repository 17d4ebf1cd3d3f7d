"""URL extraction: links, www. hosts and bare domains, normalised; e-mail domains, file names and
missing spaces are not URLs."""

from __future__ import annotations

import re

import pytest
from extract_helpers import ad as _ad
from hypothesis import given, settings
from hypothesis import strategies as st

from threadline.extract import handle
from threadline.extract.base import Found
from threadline.extract.url import STAGE, find, find_in_text
from threadline.model import Ad, Doc

VALUE = re.compile(r"https?://[^\s/?#A-Z]+(?::\d+)?(?:[/?#]\S*)?")


def _values(text: str) -> list[str]:
    return sorted({f.value for f in find(_ad(text))})


def _one(text: str) -> Found:
    found = find_in_text(text)
    assert len(found) == 1, (text, found)
    return found[0]


# --- Forms and normalisation -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "raw"),
    [
        (
            "Visit https://www.Example.COM/Jobs/ today.",
            "https://www.example.com/Jobs",
            "https://www.Example.COM/Jobs/",
        ),
        ("see www.harbourcroft.example/jobs", "https://www.harbourcroft.example/jobs", None),
        ("Site: WWW.ACME.COM", "https://www.acme.com", "WWW.ACME.COM"),
        (
            "apply at westside-consulting.example/jobs.",
            "https://westside-consulting.example/jobs",
            None,
        ),
        ("Rousseau-industrie.example.", "https://rousseau-industrie.example", None),
        ("go to http://acme.com:80/ now", "http://acme.com", "http://acme.com:80/"),
        ("https://acme.com:8443/x?y=1#top!", "https://acme.com:8443/x?y=1#top", None),
        ("(see acme.com/jobs)", "https://acme.com/jobs", "acme.com/jobs"),
        ("en.wikipedia.org/wiki/Foo_(bar), ok", "https://en.wikipedia.org/wiki/Foo_(bar)", None),
        ('"https://acme.com/a"', "https://acme.com/a", "https://acme.com/a"),
        ("acme.com/jobs...", "https://acme.com/jobs", "acme.com/jobs"),
        ("ver empresa.es hoy", "https://empresa.es", "empresa.es"),
        ("café.fr/menu", "https://café.fr/menu", None),
        ("http://例え.jp/パス", "http://例え.jp/パス", None),
        ("https://192.168.0.1/admin", "https://192.168.0.1/admin", None),
    ],
)
def test_urls_are_found_and_normalised(text: str, value: str, raw: str | None) -> None:
    found = _one(text)
    assert found.value == value
    assert text[found.span.start : found.span.end] == found.raw
    if raw is not None:
        assert found.raw == raw
    assert found.attrs["domain"] == found.value.split("://")[1].split("/")[0].split(":")[0]


def test_shorteners_are_marked() -> None:
    found = _one("bit.ly/3abcDE, thanks")
    assert found.attrs == {"domain": "bit.ly", "shortener": "yes"}
    assert "shortener" not in _one("acme.com/jobs").attrs


def test_account_links_are_left_to_their_own_finders() -> None:
    text = "t.me/anna_vip or instagram.com/anna.vip or wa.me/33612345678 or paypal.me/anna"
    assert find(_ad(text)) == []
    bare = find(_ad("see instagram.com for photos"))
    assert [(f.value, f.attrs.get("service")) for f in bare] == [
        ("https://instagram.com", "instagram")
    ]
    handles = {f.value for f in handle.find(_ad(text))}
    assert handles == {"telegram:anna_vip", "instagram:anna.vip"}


def test_explicit_links_are_more_certain_than_bare_domains() -> None:
    assert _one("https://acme.com").confidence > _one("acme.com/jobs").confidence
    assert _one("acme.com/jobs").confidence > _one("acme.com").confidence


# --- Not URLs --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # E-mail addresses, plain or obfuscated: neither side is a website.
        "email jobs@acme.com today",
        "anna (at) mail.com",
        "velvet.vip chez mailhub.example",
        "anna.vip [at] mail [dot] com",
        "diamond.booking arobase boite point test",
        "luna.club51 (at) mailhub.example",
        # A missing space after a full stop, onto a word that is also a TLD.
        "call me.new in town",
        "relaxing.love it",
        "is.it ok",
        "bienvenue.je suis là",
        "Lisboa.Portugal fim.Depois",
        # Abbreviations, numbers, versions and file names.
        "S.A. S.L.U. C.V. p.a. e.g. i.e. a.m.",
        "37.5 hours, 3.100€, 1.050 €",
        "v1.2.3 and node.js",
        "download cv.zip and run.sh",
        # Handles and credentials.
        "Snap: jade.vip and IG @amber.agency",
        "https://user:pw@host.com/x",
        "10.0.0.1",
        "",
        "...",
    ],
)
def test_no_url(text: str) -> None:
    assert _values(text) == []


# --- The stage -------------------------------------------------------------------------------


def test_stage_adds_identifiers_with_provenance() -> None:
    assert (STAGE.name, STAGE.version) == ("extract.url", 1)
    ad = Ad(
        id="ad-3", source="test", title="Jobs", body="Apply: acme.example/jobs.", content_hash="h"
    )
    (ident,) = STAGE(Doc(ad=ad)).identifiers
    assert (ident.kind, ident.value, ident.stage) == (
        "url",
        "https://acme.example/jobs",
        "extract.url@1",
    )
    assert ad.text[ident.span.start : ident.span.end] == ident.raw == "acme.example/jobs"


# --- Properties ------------------------------------------------------------------------------

_HOSTS = st.from_regex(r"[a-z][a-z0-9-]{0,10}[a-z0-9]\.(com|org|net|fr|example)", fullmatch=True)
_PATHS = st.from_regex(r"(/[A-Za-z0-9_-]{1,8}){0,3}", fullmatch=True)
_PREFIXES = st.sampled_from(["", "www.", "https://", "http://www.", "https://www."])
_ENDINGS = st.sampled_from(["", ".", ",", ")", "!", "/", "?"])


@given(prefix=_PREFIXES, host=_HOSTS, path=_PATHS, ending=_ENDINGS, capital=st.booleans())
@settings(max_examples=150, deadline=None)
def test_any_url_is_found_without_its_trailing_punctuation(
    prefix: str, host: str, path: str, ending: str, capital: bool
) -> None:
    if not prefix and not path and ending in ("/", "?"):
        ending = ""  # "acme.com/" is a URL with a path; tested above
    written_host = host.capitalize() if capital else host
    text = f"(info: {prefix}{written_host}{path}{ending} more"
    found = _one(text)
    scheme = "http" if prefix.startswith("http://") else "https"
    www = "www." if "www." in prefix else ""
    assert found.value == f"{scheme}://{www}{host}{path}"
    assert found.raw.rstrip("/?") == f"{prefix}{written_host}{path}".rstrip("/?")


@given(st.text(max_size=300))
@settings(max_examples=300, deadline=None)
def test_never_raises_and_spans_are_exact(text: str) -> None:
    for f in find(_ad(text)):
        assert text[f.span.start : f.span.end] == f.raw
        assert VALUE.fullmatch(f.value), f.value
        assert not f.value.endswith("/")


@given(
    st.lists(
        st.sampled_from(
            ["a", "com", ".", "/", "://", "http", "www", "@", "(", ")", " ", "-", "1", "İ", "é"]
        ),
        max_size=40,
    )
)
@settings(max_examples=300, deadline=None)
def test_never_raises_on_url_like_noise(parts: list[str]) -> None:
    text = "".join(parts)
    for f in find(_ad(text)):
        assert text[f.span.start : f.span.end] == f.raw
        assert VALUE.fullmatch(f.value), f.value

"""E-mail extraction: plain and obfuscated addresses, and the prose that only looks like one."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

import pytest
from extract_helpers import Row
from extract_helpers import ad as _ad
from hypothesis import given, settings
from hypothesis import strategies as st

from threadline.extract.base import Found
from threadline.extract.email import STAGE, find, find_in_text, is_known_tld
from threadline.model import Ad, Doc

VALUE = re.compile(r"[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+")


def _values(text: str) -> list[str]:
    return sorted({f.value for f in find(_ad(text))})


def _one(text: str) -> Found:
    found = find_in_text(text)
    assert len(found) == 1, (text, found)
    return found[0]


# --- Plain addresses -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Contact ANNA.VIP@GMAIL.COM now", ["anna.vip@gmail.com"]),
        ("email: jobs@acme.co.uk, or call", ["jobs@acme.co.uk"]),
        ("mailto:Info@Example.COM", ["info@example.com"]),
        ("Rrhh@grupo-mora-agricola.test.", ["rrhh@grupo-mora-agricola.test"]),
        ("two: a.b@x.com; c_d+tag@y.org", ["a.b@x.com", "c_d+tag@y.org"]),
        # The sentence goes on after the address: neither its full stop nor the next word
        # (even a word that is a TLD, "Com") belongs to the domain.
        ("write to rh@empresa.com. Com gosto", ["rh@empresa.com"]),
        ("write to rh@empresa.com.Thanks", ["rh@empresa.com"]),
        ("(anna@mail.fr)", ["anna@mail.fr"]),
    ],
)
def test_plain_addresses(text: str, expected: list[str]) -> None:
    assert _values(text) == expected


# --- Obfuscated addresses --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("name at domain dot com", "name@domain.com"),
        ("ANNA AT GMAIL DOT COM", "anna@gmail.com"),
        ("anna (at) gmail (dot) com", "anna@gmail.com"),
        ("anna[at]gmail[dot]com", "anna@gmail.com"),
        ("anna {at} gmail {dot} com", "anna@gmail.com"),
        ("ivy.ladies178{at}mailhub{dot}example", "ivy.ladies178@mailhub.example"),
        ("anna arroba correo punto es", "anna@correo.es"),
        ("anna (arroba) correo (punto) es", "anna@correo.es"),
        ("anna arobase free point fr", "anna@free.fr"),
        ("anna arroba sapo ponto pt", "anna@sapo.pt"),
        ("velvet.vip chez mailhub.example", "velvet.vip@mailhub.example"),
        ("luna.club51 (at) mailhub.example", "luna.club51@mailhub.example"),
        ("anna @ gmail . com", "anna@gmail.com"),
        ("anna @ gmail.com", "anna@gmail.com"),
        ("anna at gmail.com", "anna@gmail.com"),
        ("anna22 at acme.com", "anna22@acme.com"),
        ("hire.now(at)mailhub(dot)co(dot)uk", "hire.now@mailhub.co.uk"),
        # The dot word glued to the labels.
        ("hire.now(at)mailhubDOTexample", "hire.now@mailhub.example"),
        ("lucie.relax[at]courrielpointexample", "lucie.relax@courriel.example"),
        # Dots spelled out in the local part too.
        ("Meet at the cafe. Email: jade dot b at inbox dot example", "jade.b@inbox.example"),
    ],
)
def test_obfuscated_addresses(text: str, expected: str) -> None:
    assert _values(text) == [expected]


def test_the_span_covers_the_whole_obfuscated_form() -> None:
    text = "Escribe a diamond.booking arroba boite punto test hoy"
    found = _one(text)
    assert found.raw == "diamond.booking arroba boite punto test"
    assert text[found.span.start : found.span.end] == found.raw
    assert found.attrs == {"domain": "boite.test", "obfuscated": "yes"}


def test_plain_addresses_are_more_certain_than_obfuscated_ones() -> None:
    plain = _one("anna@gmail.com")
    bracket = _one("anna[at]gmail[dot]com")
    words = _one("anna at gmail dot com")
    assert plain.confidence > bracket.confidence > words.confidence
    assert "obfuscated" not in plain.attrs


# --- Prose, handles and near misses ----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "meet at the hotel dot the i's",
        "Apply online at acme-corp.com today",
        "find us at booking.com",
        "Book at booking.com for the best rates",
        "I'm at home dot dot dot waiting.",
        "Price on request @ reception.",
        "prices @ 200 dot 00 per hour",
        "version 2.0 at acme.com",
        "see me at noon",
        "x at 5 dot 30",
        # Handles with spaces look like addresses: the platform name gives them away.
        "Snapchat @ star . ladies34",
        "Snap @ jade . vip",
        "IG @luna.vip",
        "Follow @luna.vip",
        "Telegram @ anna . vip",
        # Not a domain.
        "anna@gmail",
        "anna@mail.notatld",
        "anna..b@gmail.com",
        "anna.@gmail.com",
        "a@b@c.com",
        "",
        "@",
        "at at at dot dot",
    ],
)
def test_no_address(text: str) -> None:
    assert _values(text) == []


def test_addresses_never_overlap() -> None:
    found = find_in_text("anna@mail.com anna@mail.com bob (at) mail (dot) com")
    assert [f.value for f in found] == ["anna@mail.com", "anna@mail.com", "bob@mail.com"]
    ends = [(f.span.start, f.span.end) for f in found]
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(ends))


def test_tld_list_knows_real_and_reserved_names() -> None:
    for tld in ("com", "FR", "example", "test", "xn--p1ai", "agency"):
        assert is_known_tld(tld)
    for tld in ("con", "notatld", "js", ""):
        assert not is_known_tld(tld)


# --- The stage -------------------------------------------------------------------------------


def test_stage_adds_identifiers_with_provenance() -> None:
    assert (STAGE.name, STAGE.version) == ("extract.email", 1)
    ad = Ad(
        id="ad-7",
        source="test",
        title="Hostess wanted",
        body="Send CV to jobs (at) acme (dot) com",
        content_hash="h",
    )
    doc = STAGE(Doc(ad=ad))
    (ident,) = doc.identifiers
    assert (ident.kind, ident.value, ident.stage) == ("email", "jobs@acme.com", "extract.email@1")
    assert ad.text[ident.span.start : ident.span.end] == ident.raw == "jobs (at) acme (dot) com"


# --- Properties ------------------------------------------------------------------------------

_LOCALS = st.from_regex(r"[a-z][a-z0-9]{0,8}(\.[a-z0-9]{1,6})?", fullmatch=True)
_LABELS = st.from_regex(r"[a-z][a-z0-9-]{0,8}[a-z0-9]", fullmatch=True)
_TLDS = st.sampled_from(["com", "org", "net", "fr", "es", "pt", "example", "test"])
_STYLES = st.sampled_from(
    [
        ("@", "."),
        (" [at] ", " [dot] "),
        ("(at)", "(dot)"),
        (" {at} ", " {dot} "),
        (" arroba ", " punto "),
        (" arobase ", " point "),
        (" (at) ", " dot "),
    ]
)


@given(local=_LOCALS, label=_LABELS, tld=_TLDS, style=_STYLES, upper=st.booleans())
@settings(max_examples=150, deadline=None)
def test_any_address_in_any_style_is_found(
    local: str, label: str, tld: str, style: tuple[str, str], upper: bool
) -> None:
    at, dot = style
    written = f"{local}{at}{label}{dot}{tld}"
    if upper:
        written = written.upper()
    text = f"Contact: {written} — thanks"
    found = _one(text)
    assert found.value == f"{local}@{label}.{tld}"
    assert found.raw == written


@given(st.text(max_size=300))
@settings(max_examples=300, deadline=None)
def test_never_raises_and_spans_are_exact(text: str) -> None:
    for f in find(_ad(text)):
        assert text[f.span.start : f.span.end] == f.raw
        assert VALUE.fullmatch(f.value), f.value
        assert 0.0 <= f.confidence <= 1.0


@given(
    st.lists(
        st.sampled_from(
            ["a", "at", " ", "@", ".", "dot", "(", ")", "[", "]", "x1", "com", "İ", "é", "\n"]
        ),
        max_size=40,
    )
)
@settings(max_examples=300, deadline=None)
def test_never_raises_on_address_like_noise(parts: list[str]) -> None:
    text = "".join(parts)
    for f in find(_ad(text)):
        assert text[f.span.start : f.span.end] == f.raw
        assert VALUE.fullmatch(f.value), f.value


# --- The synthetic corpus (a seed the benchmark does not use) --------------------------------


@pytest.fixture(scope="module")
def corpus(corpus_of: Callable[[str], list[Row]]) -> list[Row]:
    return corpus_of("email")


def test_synthetic_corpus_precision_and_recall(corpus: list[Row]) -> None:
    tp = fp = fn = 0
    obfuscated_seen = obfuscated_found = 0
    for text, want, labels in corpus:
        got = {f.value for f in find(_ad(text))}
        tp, fp, fn = tp + len(got & want), fp + len(got - want), fn + len(want - got)
        for label in labels:
            if label["style"] != "plain":
                obfuscated_seen += 1
                obfuscated_found += label["value"] in got
    assert tp > 200
    assert tp / (tp + fp) >= 0.97
    assert tp / (tp + fn) >= 0.97
    assert obfuscated_found >= 0.95 * obfuscated_seen

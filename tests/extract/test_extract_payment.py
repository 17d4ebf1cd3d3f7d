"""Payment tag extraction: cashtags (never prices), Venmo, PayPal, Zelle and gift cards asked
as payment (never the warnings against them)."""

from __future__ import annotations

import re

import pytest
from extract_helpers import ad as _ad
from hypothesis import given, settings
from hypothesis import strategies as st

from threadline.extract.base import Found
from threadline.extract.payment import STAGE, find, find_in_text
from threadline.model import Ad, Doc

VALUE = re.compile(
    r"cashapp:\$[a-z0-9_]+|venmo:@[a-z0-9_\-]+|paypal:[a-z0-9._\-@]+"
    r"|zelle:(?:\+\d{6,15}|[a-z0-9._%+\-]+@[a-z0-9.\-]+)|giftcard:[a-z]+"
)


def _values(text: str) -> list[str]:
    return sorted({f.value for f in find(_ad(text))})


def _one(text: str) -> Found:
    found = find_in_text(text)
    assert len(found) == 1, (text, found)
    return found[0]


# --- Tags ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$anna247 only", "cashapp:$anna247"),
        ("cash app: $anna247", "cashapp:$anna247"),
        ("Cash App $ anna247", "cashapp:$anna247"),
        ("CashApp: $ParisVip24", "cashapp:$parisvip24"),
        ("CashApp anna247", "cashapp:$anna247"),
        ("tips to $AnnaVip", "cashapp:$annavip"),
        ("cash.app/$anna_b2", "cashapp:$anna_b2"),
        ("venmo @anna-lee22", "venmo:@anna-lee22"),
        ("Venmo: @VenusSelect24.", "venmo:@venusselect24"),
        ("venmo.com/u/anna_lee22", "venmo:@anna_lee22"),
        ("https://account.venmo.com/u/bob_smith9", "venmo:@bob_smith9"),
        ("paypal.me/laborhelp45,", "paypal:laborhelp45"),
        ("http://www.paypal.me/xyz9", "paypal:xyz9"),
        ("PayPal: careerlink18", "paypal:careerlink18"),
        ("PayPal : rubyagency35450", "paypal:rubyagency35450"),
        ("PayPal abroadlink11", "paypal:abroadlink11"),
        ("PayPal: annaluv", "paypal:annaluv"),
        ("PayPal: @anna_b", "paypal:anna_b"),
        ("PayPal: Anna.B@Gmail.com", "paypal:anna.b@gmail.com"),
        ("Zelle to anna@gmail.com", "zelle:anna@gmail.com"),
        ("Zelle: (312) 555-0147", "zelle:+13125550147"),
        ("zelle 312-867-5309 please", "zelle:+13128675309"),
        ("Zelle to anna (at) gmail (dot) com", "zelle:anna@gmail.com"),
    ],
)
def test_tags(text: str, expected: str) -> None:
    assert _values(text) == [expected]


def test_the_span_holds_the_label_and_the_attrs_the_service() -> None:
    text = "Deposit first. Venmo: @VenusSelect24."
    found = _one(text)
    assert found.raw == "Venmo: @VenusSelect24"
    assert text[found.span.start : found.span.end] == found.raw
    assert found.attrs == {"service": "venmo"}


@pytest.mark.parametrize(
    "text",
    [
        # Prices, not cashtags.
        "$250 per hour, $ 40/hr, $5k, US$300, R$ 250, $1,200",
        "pay in $BTC or $USD, $HOT deals, $Anna",
        # A label and an ordinary word.
        "CashApp accepted",
        "Cash App or cash only",
        "Venmo only",
        "PayPal accepted",
        "PayPal friends and family",
        "PayPal: available",
        "Zelle payments accepted",
        "Zelle: 12",
        "Venmo $1000 deposit, PayPal 25000, Venmo: 2000",
        # Templates and links that are not tags.
        "${name} and $$$",
        "paypal.me/",
        "venmo.com/u/",
        "",
    ],
)
def test_no_tag(text: str) -> None:
    assert _values(text) == []


# --- Gift cards ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pay with Amazon gift card", ["giftcard:amazon"]),
        ("Send an amazon giftcard", ["giftcard:amazon"]),
        (
            "Steam/Google Play/iTunes gift cards only",
            ["giftcard:googleplay", "giftcard:itunes", "giftcard:steam"],
        ),
        ("Pay me with a Steam or Apple gift card.", ["giftcard:apple", "giftcard:steam"]),
        ("tarjeta regalo de Amazon", ["giftcard:amazon"]),
        ("Acepto tarjetas de regalo Google Play", ["giftcard:googleplay"]),
        ("carte cadeau Amazon acceptée", ["giftcard:amazon"]),
        ("Reserva com cartão-presente da Amazon.", ["giftcard:amazon"]),
        ("paysafecard accepted", ["giftcard:paysafecard"]),
    ],
)
def test_gift_cards(text: str, expected: list[str]) -> None:
    assert _values(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # Warnings, not requests.
        "Never pay with Amazon gift cards. Report scams.",
        "No aceptamos tarjetas regalo de Amazon",
        "Ne payez jamais avec une carte cadeau Amazon",
        "Nunca pague com cartão presente da Amazon",
        "no paysafecard",
        # No brand: nothing to link on.
        "gift cards accepted",
        "I love Amazon and gifts",
    ],
)
def test_no_gift_card(text: str) -> None:
    assert _values(text) == []


# --- The stage -------------------------------------------------------------------------------


def test_stage_adds_identifiers_with_provenance() -> None:
    assert (STAGE.name, STAGE.version) == ("extract.payment", 1)
    ad = Ad(id="ad-4", source="test", title="Deposit", body="paypal.me/anna22", content_hash="h")
    (ident,) = STAGE(Doc(ad=ad)).identifiers
    assert (ident.kind, ident.value, ident.stage) == (
        "payment",
        "paypal:anna22",
        "extract.payment@1",
    )


# --- Properties ------------------------------------------------------------------------------

_TAGS = st.from_regex(r"[A-Za-z][A-Za-z]{2,8}[0-9]{1,3}", fullmatch=True)
_FORMS = st.sampled_from(
    [
        ("CashApp: ${}", "cashapp:${}"),
        ("Cash App ${}", "cashapp:${}"),
        ("${}", "cashapp:${}"),
        ("Venmo @{}", "venmo:@{}"),
        ("venmo.com/u/{}", "venmo:@{}"),
        ("PayPal: {}", "paypal:{}"),
        ("PayPal {}", "paypal:{}"),
        ("paypal.me/{}", "paypal:{}"),
    ]
)


@given(tag=_TAGS, form=_FORMS, ending=st.sampled_from(["", ".", ",", " !", "\n"]))
@settings(max_examples=150, deadline=None)
def test_any_tag_in_any_form_is_found(tag: str, form: tuple[str, str], ending: str) -> None:
    written = form[0].format(tag)
    found = _one(f"Deposit $50 first: {written}{ending}")
    assert found.value == form[1].format(tag).lower()
    assert found.raw == written


@given(st.text(max_size=300))
@settings(max_examples=300, deadline=None)
def test_never_raises_and_spans_are_exact(text: str) -> None:
    for f in find(_ad(text)):
        assert text[f.span.start : f.span.end] == f.raw
        assert VALUE.fullmatch(f.value), f.value


_NOISE = ("$", "cash app", "venmo", "PayPal", "zelle", ":", " ", "@", "anna", "12", "gift card")
_NOISE_MORE = ("Amazon", "/", ".me/", "never", "(", "İ", "\n", "555-0147")


@given(st.lists(st.sampled_from(_NOISE + _NOISE_MORE), max_size=30))
@settings(max_examples=300, deadline=None)
def test_never_raises_on_payment_like_noise(parts: list[str]) -> None:
    text = "".join(parts)
    for f in find(_ad(text)):
        assert text[f.span.start : f.span.end] == f.raw
        assert VALUE.fullmatch(f.value), f.value

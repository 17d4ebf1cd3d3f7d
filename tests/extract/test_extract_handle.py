"""Handle extraction: labelled and linked handles on each platform, spaced-out names, and the
"@" that only means "at"."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from extract_helpers import Row
from extract_helpers import ad as _ad
from hypothesis import given, settings
from hypothesis import strategies as st

from threadline.extract.base import Found
from threadline.extract.handle import STAGE, find, find_in_text
from threadline.model import Ad, Doc

PLATFORMS = {
    "telegram",
    "signal",
    "snapchat",
    "instagram",
    "kik",
    "line",
    "wechat",
    "onlyfans",
    "twitter",
    "tiktok",
    "facebook",
    "whatsapp",
    "unknown",
}
VALUE = re.compile(r"([a-z]+):([a-z0-9_.\-]+)")


def _values(text: str) -> list[str]:
    return sorted({f.value for f in find(_ad(text))})


def _one(text: str) -> Found:
    found = find_in_text(text)
    assert len(found) == 1, (text, found)
    return found[0]


# --- Labels ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ou écris sur Telegram @ivy_club17", "telegram:ivy_club17"),
        ("TG @jobs_help_9", "telegram:jobs_help_9"),
        ("Telegrama: @maria_vip", "telegram:maria_vip"),
        ("Télégram : @lea_paris", "telegram:lea_paris"),
        ("Telegram: anna_vip22", "telegram:anna_vip22"),
        ("Insta @global_link_104.", "instagram:global_link_104"),
        ("IG: @amber.agency80, or call", "instagram:amber.agency80"),
        ("Búscame en Insta como @valeria.spa", "instagram:valeria.spa"),
        ("Snapchat @star_club_393", "snapchat:star_club_393"),
        ("Snap: anna.b22.", "snapchat:anna.b22"),
        ("Snap me: anna22", "snapchat:anna22"),
        ("SC: rosie.b99", "snapchat:rosie.b99"),
        ("Kik: anna_22", "kik:anna_22"),
        ("kik me @annakik", "kik:annakik"),
        ("Line ID: annalee", "line:annalee"),
        ("LINE: anna_22", "line:anna_22"),
        ("WeChat ID: annalee88", "wechat:annalee88"),
        ("WeChat ID annalee", "wechat:annalee"),
        ("Signal: @anna.01", "signal:anna.01"),
        ("X @anna_vip", "twitter:anna_vip"),
        ("Twitter: @AnnaVip", "twitter:annavip"),
        ("TikTok @anna.v", "tiktok:anna.v"),
        ("OnlyFans: @annavip", "onlyfans:annavip"),
        ("FB: @anna.lee.123", "facebook:anna.lee.123"),
        ("WhatsApp @anna_wa", "whatsapp:anna_wa"),
    ],
)
def test_labelled_handles(text: str, expected: str) -> None:
    assert _values(text) == [expected]


def test_several_handles_in_one_text() -> None:
    text = "Kik me: sweetgirl_99 or Line ID sweetgirl99 · t.me/sweet_99"
    assert _values(text) == ["kik:sweetgirl_99", "line:sweetgirl99", "telegram:sweet_99"]


def test_label_and_name_make_the_span_and_the_platform_the_attrs() -> None:
    text = "Contact: ou écris sur Telegram @ivy_club17 !"
    found = _one(text)
    assert found.raw == "Telegram @ivy_club17"
    assert text[found.span.start : found.span.end] == found.raw
    assert found.attrs == {"platform": "telegram"}
    assert found.kind == "handle"


def test_one_name_under_several_labels_is_a_handle_on_each() -> None:
    assert _values("Telegram/Signal: @anna_vip") == ["signal:anna_vip", "telegram:anna_vip"]


# --- Spaced-out names ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("TG @ velvet _ team", "telegram:velvet_team"),
        ("TG: @ hire _ agency _ 380", "telegram:hire_agency_380"),
        ("Telegram: @ diamond _ select53", "telegram:diamond_select53"),
        ("Snapchat @ star . ladies34", "snapchat:star.ladies34"),
        ("Snapchat @ aurora . ladies . 481", "snapchat:aurora.ladies.481"),
        ("@ anna _ vip", "unknown:anna_vip"),
    ],
)
def test_spaces_inside_names_are_removed(text: str, expected: str) -> None:
    found = _one(text)
    assert found.value == expected
    assert " " not in found.value


def test_a_spaced_name_that_may_go_on_is_not_guessed() -> None:
    # "luna" or "lunarose"? A wrong handle links the wrong adverts: report neither.
    assert _values("IG @ luna rose") == []
    assert _values("IG @ luna, call me") == ["instagram:luna"]


# --- Links -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("t.me/anna_vip", "telegram:anna_vip"),
        ("https://telegram.me/s/bobby_ch", "telegram:bobby_ch"),
        ("snapchat.com/add/anna.b22", "snapchat:anna.b22"),
        ("snapchat.com/@anna.c22", "snapchat:anna.c22"),
        ("https://www.instagram.com/anna.vip/", "instagram:anna.vip"),
        ("instagram.com/stories/anna_s/123", "instagram:anna_s"),
        ("line.me/ti/p/~annalee", "line:annalee"),
        ("onlyfans.com/annavip", "onlyfans:annavip"),
        ("x.com/anna_vip", "twitter:anna_vip"),
        ("twitter.com/Anna_V", "twitter:anna_v"),
        ("tiktok.com/@anna.v", "tiktok:anna.v"),
        ("facebook.com/anna.lee.123", "facebook:anna.lee.123"),
        ("m.facebook.com/profile.php?id=1000123456", "facebook:1000123456"),
        ("kik.me/annakik", "kik:annakik"),
    ],
)
def test_profile_links(text: str, expected: str) -> None:
    found = _one(f"see {text}, thanks")
    assert found.value == expected
    assert found.raw.rstrip("/") in text


@pytest.mark.parametrize(
    "text",
    [
        "wa.me/33612345678",  # WhatsApp links carry phones, which the phone finder reads
        "https://wa.me/5511972308736",
        "t.me/joinchat/AAAAAEkk",
        "t.me/+AbCdEfGh",
        "instagram.com/p/Cxyz123",
        "instagram.com/explore",
        "facebook.com/groups/12345",
        "twitter.com/i/status/123",
        "tiktok.com/video/123",
        "box.com/anna_files",  # not x.com
        "snapchat.com/discover",
    ],
)
def test_links_that_are_not_profiles(text: str) -> None:
    assert _values(text) == []


# --- "@" without a platform ------------------------------------------------------------------


def test_bare_handles_are_reported_as_unknown_with_low_confidence() -> None:
    found = _one("DM @anna_vip for info")
    assert (found.value, found.raw) == ("unknown:anna_vip", "@anna_vip")
    assert found.confidence < 0.5


@pytest.mark.parametrize(
    "text",
    [
        "meet @ 5pm",
        "incall @downtown, @midnight",
        "@home",
        "Price on request @ reception",
        "@ the hotel",
        "email anna@gmail.com",
        "anna @ gmail.com",
        "Venmo: @VenusSelect24",  # a payment tag
        "Cash App @anna_22",
        "Telegram: available 24/7",
        "Telegram: +33 6 12 34 56 78",
        "WhatsApp: +44 7700 900123",
        "Telegram channel",
        "Snap: anna@gmail.com",
        "line: annalee",
        "Waiting in line @anna",
        "signal @ the corner",
        "IG only",
        "my ID card please",
        "Passport ID 12345678",
        "big @sale",
        "",
    ],
)
def test_no_handle(text: str) -> None:
    assert _values(text) == []


# --- The stage -------------------------------------------------------------------------------


def test_stage_adds_identifiers_with_provenance() -> None:
    assert (STAGE.name, STAGE.version) == ("extract.handle", 1)
    ad = Ad(id="ad-2", source="test", title="New", body="Snap @ star . ladies34", content_hash="h")
    (ident,) = STAGE(Doc(ad=ad)).identifiers
    assert (ident.kind, ident.value, ident.stage) == (
        "handle",
        "snapchat:star.ladies34",
        "extract.handle@1",
    )
    assert ad.text[ident.span.start : ident.span.end] == ident.raw


# --- Properties ------------------------------------------------------------------------------

_LABELS = st.sampled_from(
    [
        ("Telegram", "telegram"),
        ("TG:", "telegram"),
        ("Insta", "instagram"),
        ("IG:", "instagram"),
        ("Snapchat", "snapchat"),
        ("Snap:", "snapchat"),
        ("Kik:", "kik"),
    ]
)
_NAMES = st.from_regex(r"[a-z][a-z0-9]{2,8}_[a-z0-9]{1,8}", fullmatch=True)


@given(label=_LABELS, name=_NAMES, spaced=st.booleans(), upper=st.booleans())
@settings(max_examples=150, deadline=None)
def test_any_labelled_handle_is_found(
    label: tuple[str, str], name: str, spaced: bool, upper: bool
) -> None:
    written_name = name.upper() if upper else name
    written = (
        f"{label[0]} @ {written_name.replace('_', ' _ ')}"
        if spaced
        else (f"{label[0]} @{written_name}")
    )
    found = _one(f"Bookings: {written}. Thanks")
    assert found.value == f"{label[1]}:{name}"
    assert found.raw == written


@given(st.text(max_size=300))
@settings(max_examples=300, deadline=None)
def test_never_raises_and_spans_are_exact(text: str) -> None:
    for f in find(_ad(text)):
        assert text[f.span.start : f.span.end] == f.raw
        m = VALUE.fullmatch(f.value)
        assert m is not None, f.value
        assert m.group(1) in PLATFORMS
        assert f.attrs["platform"] == m.group(1)


@given(
    st.lists(
        st.sampled_from(
            ["TG", "Snap", "IG", " ", "@", ":", "_", ".", "anna", "22", "t.me/", "/", "İ", "\n"]
        ),
        max_size=30,
    )
)
@settings(max_examples=300, deadline=None)
def test_never_raises_on_handle_like_noise(parts: list[str]) -> None:
    text = "".join(parts)
    for f in find(_ad(text)):
        assert text[f.span.start : f.span.end] == f.raw
        assert VALUE.fullmatch(f.value), f.value


def test_synthetic_corpus_recall_per_style(corpus_of: Callable[[str], list[Row]]) -> None:
    corpus = corpus_of("handle")  # precision and recall overall: test_extract_synthetic.py
    seen: dict[str, int] = {}
    hit: dict[str, int] = {}
    for text, _, labels in corpus:
        got = {f.value for f in find(_ad(text))}
        for label in labels:
            seen[label["style"]] = seen.get(label["style"], 0) + 1
            hit[label["style"]] = hit.get(label["style"], 0) + (label["value"] in got)
    assert set(seen) >= {"plain", "link", "handle_spaced"}
    for style, n in seen.items():
        assert hit[style] >= 0.9 * n, style

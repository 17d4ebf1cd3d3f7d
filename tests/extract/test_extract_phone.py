"""Phone extraction: every way a poster writes a number, and the digits that only look like one.

Positive examples use phonenumbers' own example numbers where possible (FR 06 12 34 56 78,
GB 07400 123456...), so no test prints a number that might belong to someone.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from threadline.extract.base import Found
from threadline.extract.phone import (
    FICTITIOUS_NUMBERS,
    STAGE,
    candidate_regions,
    find,
    find_phones,
    is_fictitious,
    region_for_place,
)
from threadline.model import Ad, Doc
from threadline.synth import generate

E164 = re.compile(r"\+[1-9][0-9]{6,14}")


def _ad(text: str, place: str | None = None, language: str | None = None) -> Ad:
    return Ad(
        id="ad-1", source="test", title="", body=text, content_hash="h", place=place,
        language=language,
    )  # fmt: skip


def _values(text: str, place: str | None = None, language: str | None = None) -> list[str]:
    return [f.value for f in find(_ad(text, place, language))]


def _one(text: str, place: str | None = None, language: str | None = None) -> Found:
    found = find(_ad(text, place, language))
    assert len(found) == 1, (text, found)
    return found[0]


# --- Plain writings --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "place", "value"),
    [
        ("Appelle-moi au 06 12 34 56 78", "Paris, France", "+33612345678"),
        ("tel. 0612345678", "Lyon, France", "+33612345678"),
        ("+33 6 12 34 56 78", "Paris, France", "+33612345678"),
        ("+33612345678", None, "+33612345678"),
        ("0033 6 12 34 56 78", "New York, NY, United States", "+33612345678"),
        ("Call 07400 123456", "London, United Kingdom", "+447400123456"),
        ("+44 7400 123456", None, "+447400123456"),
        ("WhatsApp 612 34 56 78", "Madrid, Spain", "+34612345678"),
        ("Envie para 912 345 678", "Lisbon, Portugal", "+351912345678"),
        ("liga (11) 96123-4567", "Sao Paulo, Brazil", "+5511961234567"),
        ("llámame al 222 123 4567", "Puebla, Mexico", "+522221234567"),
        ("0450 00 12 34", "Brussels, Belgium", "+32450001234"),
        ("078 123 45 67", "Geneva, Switzerland", "+41781234567"),
        ("085 012 3456", "Dublin, Ireland", "+353850123456"),
        ("321 1234567", "Bogota, Colombia", "+573211234567"),
        ("(506) 234-5678", "Toronto, ON, Canada", "+15062345678"),
        ("(+33) 6 12 34 56 78", None, "+33612345678"),
        ("+33 (0)6 12 34 56 78", None, "+33612345678"),
        ("＋３３ ６ １２ ３４ ５６ ７８", None, "+33612345678"),
    ],
)
def test_plain_numbers(text: str, place: str | None, value: str) -> None:
    found = _one(text, place)
    assert found.value == value
    assert found.raw == text[found.span.start : found.span.end]
    assert found.attrs["country"] == phonenumbers.region_code_for_number(phonenumbers.parse(value))
    assert "via" not in found.attrs


def test_span_covers_the_number_with_its_plus_and_bracket() -> None:
    assert _one("Tel: +33 6 12 34 56 78.").raw == "+33 6 12 34 56 78"
    assert _one("liga (11) 96123-4567 já", "Brasil").raw == "(11) 96123-4567"


# --- Obfuscated writings ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "place", "value"),
    [
        ("zéro six un deux trois quatre cinq six sept huit", "Paris, France", "+33612345678"),
        ("zero seven four zero zero 123456", "London, United Kingdom", "+447400123456"),
        ("seis uno dos tres cuatro cinco seis siete ocho", "Madrid, Spain", "+34612345678"),
        ("nove um dois 345 seis sete oito", "Porto, Portugal", "+351912345678"),
        ("O6 I2 34 56 78", "Paris, France", "+33612345678"),
        ("o74oo I23456", "Leeds, United Kingdom", "+447400123456"),
        ("0️⃣6️⃣ 1️⃣2️⃣ 3️⃣4️⃣ 5️⃣6️⃣ 7️⃣8️⃣", "Lyon, France", "+33612345678"),
        ("０６ １２ ３４ ５６ ７８", "Nice, France", "+33612345678"),
        ("06.12-34 / 56..78", "Paris, France", "+33612345678"),
        ("061 puis 234 puis 5678", "Paris, France", "+33612345678"),
        ("074 followed by 001 followed by 23456", "Leeds, United Kingdom", "+447400123456"),
        ("612 y después 345 y después 678", "Madrid, Spain", "+34612345678"),
        ("912 depois 345 depois 678", "Lisbon, Portugal", "+351912345678"),
        ("(ll) 96I23-4567", "Sao Paulo, Brazil", "+5511961234567"),
    ],
)
def test_obfuscated_numbers(text: str, place: str, value: str) -> None:
    found = _one(text, place)
    assert found.value == value
    assert found.raw == text[found.span.start : found.span.end]
    assert found.confidence <= 0.9  # rewritten characters (not separators) cost confidence


def test_span_of_an_obfuscated_number_points_at_the_original_characters() -> None:
    text = "Booking: zéro six un deux trois quatre cinq six sept huit, thanks"
    found = _one(text, "Paris, France")
    assert found.raw == "zéro six un deux trois quatre cinq six sept huit"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("WhatsApp: wa.me/33612345678", "+33612345678"),
        ("https://wa.me/447400123456?text=hi", "+447400123456"),
        ("https://api.whatsapp.com/send?phone=5511961234567&text=oi", "+5511961234567"),
        ("api.whatsapp.com/send/?text=hola&phone=34612345678", "+34612345678"),
    ],
)
def test_whatsapp_links(text: str, value: str) -> None:
    found = _one(text, "Paris, France")
    assert found.value == value
    assert found.attrs["via"] == "wa.me"
    assert found.raw == text[found.span.start : found.span.end]
    assert "wa" in found.raw or "whatsapp" in found.raw


# --- Several numbers, and the same number twice -----------------------------------------------


def test_the_same_number_twice_gives_two_spans_one_value() -> None:
    found = find(_ad("06 12 34 56 78 (calls) or SMS 0612345678", "Paris, France"))
    assert [f.value for f in found] == ["+33612345678", "+33612345678"]
    assert found[0].span != found[1].span


def test_two_numbers_in_one_run_are_split() -> None:
    assert _values("06 12 34 56 78 / 01 23 45 67 89", "Paris, France") == [
        "+33612345678",
        "+33123456789",
    ]


def test_a_postcode_or_a_price_glued_to_a_number_is_left_out() -> None:
    assert _values("Paris 75011 0612345678", "Paris, France") == ["+33612345678"]
    assert _values("30min £70. 07400123456", "London, United Kingdom") == ["+447400123456"]
    assert _values("un 06 12 34 56 78", "Paris, France") == ["+33612345678"]


# --- Regions ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("place", "region"),
    [
        ("New York, NY, United States", "US"),
        ("Toronto, ON, Canada", "CA"),
        ("Denver, CO", "US"),
        ("Bogota, CO", "CO"),
        ("Bogotá, Colombia", "CO"),
        ("Lyon, FR", "FR"),
        ("Paris", "FR"),
        ("Ciudad de México", "MX"),
        ("São Paulo, Brasil", "BR"),
        ("Genève (Suisse)", "CH"),
        ("Bruxelles - Belgique", "BE"),
        ("Miami, Estados Unidos", "US"),
        ("Porto, Portugal", "PT"),
        ("Reino Unido", "GB"),
        ("near Dublin Ireland", "IE"),
        ("Mars", None),
        ("", None),
        (None, None),
    ],
)
def test_region_for_place(place: str | None, region: str | None) -> None:
    assert region_for_place(place) == region


def test_candidate_regions_start_at_home_then_neighbours_then_language() -> None:
    assert candidate_regions("Lyon, France", "fr")[:3] == ("FR", "BE", "CH")
    assert candidate_regions(None, None) == ("US", "CA", "MX")
    assert candidate_regions(None, None, "GB")[0] == "GB"
    assert candidate_regions("Dublin, Ireland", "en")[:2] == ("IE", "GB")


def test_default_region_is_a_parameter() -> None:
    assert [f.value for f in find_phones(_ad("07400 123456"), "GB")] == ["+447400123456"]
    assert _values("(506) 234-5678") == ["+15062345678"]  # default US


def test_a_number_from_across_the_border() -> None:
    # a Belgian mobile in a French advert: not valid as French, valid next door
    assert _values("0450 00 12 34", "Paris, France") == ["+32450001234"]
    # a GB mobile in an Irish advert
    assert _values("07400 123456", "Dublin, Ireland") == ["+447400123456"]


def test_the_written_format_decides_between_two_countries() -> None:
    # digits valid in France (fixed line) and in Belgium (mobile): the grouping tells
    assert _values("0487 62 44 87", "Paris, France") == ["+32487624487"]
    assert _values("04 87 62 44 87", "Paris, France") == ["+33487624487"]


# --- Not phones ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # fictitious numbers (NANPA 555-01XX, Ofcom drama, ARCEP fiction)
        "(212) 555-0150",
        "+1 201 555 0123",
        "07700 900123",
        "+44 20 7946 0123",
        "0113 496 0000",
        "0161 496 0999",
        "01 99 00 12 34",
        "+33 6 39 98 12 34",
        # emergency and service short numbers
        "call 112 or 911, 999 in the UK, 15 or 17 in France, 116 000",
        # prices
        "3.100€ per month",
        "$250 per hour",
        "150 EUR/hour",
        "2.500.000 COP al mes",
        "$ 1.500.000",
        "R$ 4.500,00 por mês",
        "1 250 000 €",
        "salary 3100 EUR/month, fee 1050 EUR",
        # dates, times, ages, years
        "from 12/03/2026 to 15/03/2026",
        "2026-03-12",
        "12.03.2026 14:30",
        "open 10h30-22h00",
        "22 ans, age 24, 19 years old",
        "since 2019, 2020 2021 2022",
        # postcodes
        "75011 Paris",
        "SW1A 1AA London",
        "Beverly Hills 90210-1234",
        # references and order numbers
        "Ref 4481203",
        "order #19283746",
        "Réf. 0612345678",
        "Réf. n° 0612345678",
        "N° de commande : 0612345678",
        "ticket: 612 345 678",
        # card-like and IBAN-like digit strings
        "4111 1111 1111 1111",
        "4111111111111111",
        "IBAN FR76 3000 6000 0112 3456 7890 189",
        "ES91 2100 0418 4502 0005 1332",
        # wallet addresses
        "BTC bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh",
        "ETH 0x71C7656EC7ab88b098defB751B7401B5f6d8976F",
        "TRON TNPeeaaFB7K9cmo4uQpcU32zGK8G1NYqeL",
        # digits inside links and addresses, handles
        "https://classifieds.example/ad/0612345678",
        "site.example/fr/paris/0612345678",
        "0612345678@mail.example",
        "@anna_0612345678",
        # ordinary words that spell digits only out of context
        "one night only, I am Olivia",
        "Ela tem nove gatos e um cão",
        # a national number without the trunk prefix its country requires
        "612345678",
    ],
)
def test_not_phones(text: str) -> None:
    assert _values(text, "Paris, France") == [], text


@pytest.mark.parametrize("pattern", [p for p, _ in FICTITIOUS_NUMBERS])
def test_every_fictitious_range_is_recognised(pattern: str) -> None:
    assert is_fictitious(pattern.replace("X", "0"))
    assert is_fictitious(pattern.replace("X", "9"))
    assert not is_fictitious(pattern.replace("X", "0") + "0")


def test_a_real_number_next_to_fictitious_ranges_is_kept() -> None:
    assert not is_fictitious("+12125550200")
    assert not is_fictitious("+447700901000")
    assert _values("(212) 555-0200", "New York, NY, United States") == ["+12125550200"]


# --- The stage -------------------------------------------------------------------------------


def test_stage_adds_identifiers_with_provenance() -> None:
    doc = STAGE(Doc(ad=_ad("Call 06 12 34 56 78", "Paris, France")))
    (identifier,) = doc.identifiers
    assert identifier.kind == "phone"
    assert identifier.value == "+33612345678"
    assert identifier.stage == "extract.phone@1"
    assert identifier.attrs == {"country": "FR"}
    assert STAGE(Doc()) == Doc()


# --- Properties ------------------------------------------------------------------------------

_PIECES = st.sampled_from(
    [
        "06", "12", "34", "56", "78", "+33", "0033", " ", ".", "-", "/", "(", ")", "six", "un",
        "zéro", "O", "I", "l", "puis", "then", "6️⃣", "０", "wa.me/", "€", "Ref ", "#", "@",
        "https://x.example/", "\n", "nove", "e", "Olivia",
    ]
)  # fmt: skip
_TEXTS = st.one_of(st.text(max_size=300), st.lists(_PIECES, max_size=60).map("".join))
_PLACES = st.one_of(
    st.none(), st.text(max_size=30), st.sampled_from(["Paris, France", "Denver, CO", "Lisboa"])
)


def _check(found: list[Found], text: str) -> None:
    for f in found:
        assert f.kind == "phone"
        assert f.raw == text[f.span.start : f.span.end]
        assert E164.fullmatch(f.value), f.value
        assert 0.0 <= f.confidence <= 1.0
        assert re.fullmatch(r"[A-Z]{2}", f.attrs["country"])
        assert set(f.attrs) <= {"country", "via"}
        assert not is_fictitious(f.value)
    assert [f.span.start for f in found] == sorted(f.span.start for f in found)


@settings(max_examples=300, deadline=None)
@given(_TEXTS, _PLACES, st.one_of(st.none(), st.text(max_size=5)))
def test_never_raises_and_values_are_normalised(
    text: str, place: str | None, language: str | None
) -> None:
    _check(find(_ad(text, place, language)), text)


_EXAMPLES = [
    (region, phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE))
    for region in ("FR", "GB", "ES", "PT", "BR", "MX", "BE", "CH", "IE", "CO", "DE", "IT")
]
_FILLER = st.lists(st.sampled_from(["call", "me", "bonjour", "hola", "now", "merci", "!"]))


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(_EXAMPLES),
    st.sampled_from(
        [phonenumbers.PhoneNumberFormat.NATIONAL, phonenumbers.PhoneNumberFormat.INTERNATIONAL]
    ),
    _FILLER,
    _FILLER,
)
def test_an_example_number_is_found_in_any_words(
    example: tuple[str, phonenumbers.PhoneNumber], style: int, before: list[str], after: list[str]
) -> None:
    region, number = example
    written = phonenumbers.format_number(number, style)
    text = " ".join([*before, written, *after])
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    found = find_phones(_ad(text), region)
    assert [f.value for f in found] == [e164]
    assert found[0].raw.endswith(written[-4:])


# --- The synthetic corpus (a seed the benchmark does not use) --------------------------------

Row = tuple[Ad, set[str], list[dict[str, str]]]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Row]:
    out: Path = tmp_path_factory.mktemp("synth-phone")
    generate(2000, 31, out)
    rows: list[Row] = []
    with (out / "adverts.jsonl").open() as ads, (out / "truth.jsonl").open() as truth:
        for line, truth_line in zip(ads, truth, strict=True):
            advert, labels = json.loads(line), json.loads(truth_line)
            ad = Ad(
                id=advert["id"], source="synth", title=advert["title"], body=advert["body"],
                content_hash="h", place=advert.get("place"), language=advert.get("language"),
            )  # fmt: skip
            mine = [x for x in labels["identifiers"] if x["kind"] == "phone"]
            rows.append((ad, {x["value"] for x in mine}, mine))
    return rows


def test_synthetic_corpus_precision_and_recall(corpus: list[Row]) -> None:
    tp = fp = fn = 0
    seen: dict[str, int] = {}
    hit: dict[str, int] = {}
    for ad, want, labels in corpus:
        got = {f.value for f in find(ad)}
        tp, fp, fn = tp + len(got & want), fp + len(got - want), fn + len(want - got)
        for label in labels:
            seen[label["style"]] = seen.get(label["style"], 0) + 1
            hit[label["style"]] = hit.get(label["style"], 0) + (label["value"] in got)
    assert tp > 1000
    assert tp / (tp + fp) >= 0.98
    assert tp / (tp + fn) >= 0.98
    for style, n in seen.items():
        assert hit[style] >= 0.9 * n, (style, hit[style], n)


@pytest.mark.parametrize(
    "text",
    ["1 " * 10_000, "six " * 5_000, "06 12 34 56 78 / " * 2_000, "O" * 20_000 + "1", "+" * 9_999],
)
def test_huge_inputs_stay_fast(text: str) -> None:
    started = time.perf_counter()
    _check(find(_ad(text, "Paris, France")), text)
    assert time.perf_counter() - started < 2.0


def test_a_number_after_a_link_is_kept_but_not_the_link_digits() -> None:
    assert _values("site.example/ad/1 06 12 34 56 78", "Paris, France") == ["+33612345678"]
    assert _values("mail 0612345678@mail.example 0612345678", "Paris, France") == ["+33612345678"]


# --- More writings around a number -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "place", "values"),
    [
        # a currency ending the price before the number, or opening the price glued to it
        ("1h 150 € 6️⃣ 1️⃣ 2️⃣ 3️⃣ 4️⃣ 5️⃣ 6️⃣ 7️⃣ 8️⃣", "Madrid, Spain", ["+34612345678"]),
        ("1h R$ 300 1️⃣ 1️⃣ 9️⃣ 6️⃣ 1️⃣ 2️⃣ 3️⃣ 4️⃣ 5️⃣ 6️⃣ 7️⃣", "Rio, Brasil", ["+5511961234567"]),
        ("$250 0612345678", "Paris, France", ["+33612345678"]),
        # two numbers joined by "o" (Spanish "or"), the same number twice in two writings
        ("llama al 612 345 678 o 687 654 321", "Madrid, Spain", ["+34612345678", "+34687654321"]),
        ("+33 6 12 34 56 78 ou 06 12 34 56 78", "Lyon, France", ["+33612345678"] * 2),
        # labels glued to the number, a tel: link, a US toll-free line
        ("Tel/WhatsApp:0612345678", "Paris, France", ["+33612345678"]),
        ("tel:+33612345678", "Paris, France", ["+33612345678"]),
        ("1-800-273-8255", "Miami, FL", ["+18002738255"]),
        # a label before a run covers all of its numbers
        ("Ref. 612 345 678", "Madrid, Spain", []),
    ],
)
def test_numbers_among_other_digits(text: str, place: str, values: list[str]) -> None:
    assert _values(text, place) == values


def test_a_mobile_reading_beats_a_fixed_line_when_the_writing_does_not_tell() -> None:
    # 0470123456 is a fixed line in France and a mobile in Belgium: adverts give mobiles
    assert _values("0470123456", "Paris, France") == ["+32470123456"]
    # but the French grouping names France
    assert _values("04 70 12 34 56", "Paris, France") == ["+33470123456"]


def test_confidence_says_how_the_number_was_read() -> None:
    text = "+33 6 12 34 56 78\n06 12 34 56 78\n0450 00 12 34\nzéro six un deux 34 56 78"
    found = find(_ad(text, "Paris, France", "fr"))
    assert [f.confidence for f in found] == [0.95, 0.9, 0.8, 0.85]


@pytest.mark.parametrize(
    ("text", "place", "value"),
    [
        ("30 min 70€ 912 345 678", "Lisbon, Portugal", "+351912345678"),
        ("1h 160.- CHF 078 123 45 67", "Geneva, Switzerland", "+41781234567"),
        ("1h 160,- CHF 078 puis 123 puis 4567", "Geneva, Switzerland", "+41781234567"),
    ],
)
def test_a_price_closed_by_its_currency_does_not_hide_the_next_number(
    text: str, place: str, value: str
) -> None:
    assert _values(text, place) == [value]

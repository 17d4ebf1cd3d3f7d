"""Price extraction: amounts, currencies and units in four languages, and what is not a price."""

from __future__ import annotations

import re

import pytest
from extract_helpers import ad as _ad
from hypothesis import given, settings
from hypothesis import strategies as st

from threadline.extract.price import STAGE, UNIT_NAMES, find, find_prices, normalise_amount
from threadline.model import Ad, Doc

VALUE = re.compile(
    r"\d+(?:\.\d{1,2})? [A-Z]{3}(?:/(?:hour|night|day|week|month|year|session|\d+min))?"
)


def _values(text: str, place: str | None = None) -> list[str]:
    return sorted(f.value for f in find(_ad(text, place)))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Thousands separators of each language; a decimal mark only before 1-2 digits.
        ("Salário 3.100€/mês mais quarto", ["3100 EUR/month"]),
        ("4 400 €/mois, nourri et logé", ["4400 EUR/month"]),
        ("4\u202f400\u00a0€ par mois", ["4400 EUR/month"]),
        ("custa 1.050 €.", ["1050 EUR"]),
        ("Training fee 1,100 EUR to pay", ["1100 EUR"]),
        ("R$ 2.500,00 por mês", ["2500 BRL/month"]),
        ("€12.50 per hour", ["12.50 EUR/hour"]),
        ("only 9,5 € la séance", ["9.5 EUR/session"]),
        ("$1,234,567 a year", ["1234567 USD/year"]),
        # Units, written after the amount...
        ("130 euros/h. SMS only", ["130 EUR/hour"]),
        ("$160 per hour", ["160 USD/hour"]),
        ("£200 an hour", ["200 GBP/hour"]),
        ("150 € la hora", ["150 EUR/hour"]),
        ("150€ por hora", ["150 EUR/hour"]),
        ("150 euros de l'heure", ["150 EUR/hour"]),
        ("CA$26 brut de l'heure", ["26 CAD/hour"]),
        ("R$ 300 a hora", ["300 BRL/hour"]),
        ("130 € 1 hora.", ["130 EUR/hour"]),
        ("$170 per 30 min", ["170 USD/30min"]),
        ("£90 half hour", ["90 GBP/30min"]),
        ("100 € la demi-heure", ["100 EUR/30min"]),
        ("80 euros media hora", ["80 EUR/30min"]),
        ("300 € la nuit", ["300 EUR/night"]),
        ("€400 per night", ["400 EUR/night"]),
        ("100€ por día", ["100 EUR/day"]),
        ("50 USD daily", ["50 USD/day"]),
        ("500 EUR per week", ["500 EUR/week"]),
        ("350 € semanal", ["350 EUR/week"]),
        ("€3,400 a month", ["3400 EUR/month"]),
        ("2.800 euros mensuales", ["2800 EUR/month"]),
        ("1.800 € al mes", ["1800 EUR/month"]),
        ("4 100 € mensuels", ["4100 EUR/month"]),
        ("1.200€ mensais", ["1200 EUR/month"]),
        ("$3.700 por mês líquido", ["3700 USD/month"]),
        ("£28,000 p.a.", ["28000 GBP/year"]),
        ("£28,000 a year", ["28000 GBP/year"]),
        ("22.000 € brutos al año", ["22000 EUR/year"]),
        ("30 000 € par an", ["30000 EUR/year"]),
        ("$200 per session", ["200 USD/session"]),
        # ...or before it.
        ("1h 150 €", ["150 EUR/hour"]),
        ("30 min 100€", ["100 EUR/30min"]),
        ("1h 150€ 30 min 100€", ["100 EUR/30min", "150 EUR/hour"]),
        ("2h 280 € | 1h 150 €", ["150 EUR/hour", "280 EUR/120min"]),
        # Currencies: symbols, codes and names.
        ("€150", ["150 EUR"]),
        ("150 EUR", ["150 EUR"]),
        ("150 euros", ["150 EUR"]),
        ("£120", ["120 GBP"]),
        ("200 GBP", ["200 GBP"]),
        ("500 libras", ["500 GBP"]),
        ("200 dólares", ["200 USD"]),
        ("US$ 20", ["20 USD"]),
        ("USD 100", ["100 USD"]),
        ("R$300", ["300 BRL"]),
        ("300 reais", ["300 BRL"]),
        ("MX$1,500", ["1500 MXN"]),
        ("$2.600 MXN 1 hora", ["2600 MXN/hour"]),
        ("CHF 200", ["200 CHF"]),
        ("150.- CHF", ["150 CHF"]),
        ("Fr. 150.-", ["150 CHF"]),
        ("3k€/mois", ["3000 EUR/month"]),
        ("€2.5k per month", ["2500 EUR/month"]),
    ],
)
def test_prices(text: str, expected: list[str]) -> None:
    assert _values(text) == expected


@pytest.mark.parametrize(
    ("text", "place", "expected"),
    [
        # A bare "$" is the advert's own country's dollar...
        ("$160 per hour", "San Diego, CA, United States", ["160 USD/hour"]),
        ("$26/h", "Gatineau, QC, Canada", ["26 CAD/hour"]),
        ("30 min $1.500", "Guadalajara, Mexico", ["1500 MXN/30min"]),
        ("Recibirás $1.950.000 mensuales", "Medellin, Colombia", ["1950000 COP/month"]),
        # ...unless the advert sends people to another country...
        (
            "Camareras en Dubái. Buen sueldo $5.900 mensuales",
            "Barranquilla, Colombia",
            ["5900 USD/month"],
        ),
        ("Caregivers in Canada. $4,400/month", "Leeds, United Kingdom", ["4400 CAD/month"]),
        ("Factory work Japan. Salary $5300/month", "Toronto, ON, Canada", ["5300 USD/month"]),
        # ...or names its dollar explicitly elsewhere.
        (
            "CA$5700 por mês. Taxa de visto $1.050",
            "Rio de Janeiro, Brazil",
            ["1050 CAD", "5700 CAD/month"],
        ),
        (
            "earn 5,500 USD/month. Registration $1600",
            "Vancouver, BC, Canada",
            ["1600 USD", "5500 USD/month"],
        ),
        # "pesos" are the advert's country's pesos.
        ("$400.000 pesos 1 hora", "Cali, Colombia", ["400000 COP/hour"]),
        ("2.500 pesos la hora", "Monterrey, Mexico", ["2500 MXN/hour"]),
        ("2.500 pesos la hora", None, ["2500 MXN/hour"]),
        ("$150", None, ["150 USD"]),
    ],
)
def test_dollars_and_pesos_read_from_the_advert(
    text: str, place: str | None, expected: list[str]
) -> None:
    assert _values(text, place) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Available 24/7",
        "Pauline, 22 ans",
        "50% off this week",
        "le 12/03/2024 à 14h30",
        "+33 7 81 48 24 85",
        "call 0789824066 or 06 12 34 56 78",
        "Room 12, 3rd floor",
        "20 hours a week",
        "15 000 habitants",
        "1h",
        "cashapp $Anna99",
        "$ $ $",
        "€0",
        "Mo-Fr. 9-17h",
    ],
)
def test_not_prices(text: str) -> None:
    assert _values(text) == []


def test_phone_digits_never_merge_into_an_amount() -> None:
    # "78 100" would read as 78100 if the phone's last group joined the price.
    values = _values("Tel 06 12 34 56 78 100€")
    assert "78100 EUR" not in values


def test_a_currency_mark_serves_one_price() -> None:
    # "€" closes "130 €"; it must not also open "€ 1" for the duration that follows.
    assert _values("130 € 1 hora. 390.000 COP 1 hora.") == ["130 EUR/hour", "390000 COP/hour"]


def test_span_covers_currency_and_unit() -> None:
    text = "Tarifas: 1h 150 € y 30 min 100€; salário R$ 2.500,00 por mês."
    found = find_prices(text)
    assert [f.raw for f in found] == ["1h 150 €", "30 min 100€", "R$ 2.500,00 por mês"]
    for f in found:
        assert f.raw == text[f.span.start : f.span.end]
        assert f.kind == "price"
    assert found[2].attrs == {"currency": "BRL", "amount": "2500", "unit": "month"}
    assert "unit" in found[0].attrs
    assert find_prices("custa 1.050 €")[0].attrs == {"currency": "EUR", "amount": "1050"}


@pytest.mark.parametrize(
    ("written", "amount"),
    [
        ("3.100", "3100"),
        ("3,100", "3100"),
        ("3 100", "3100"),
        ("2.500,00", "2500"),
        ("2,500.00", "2500"),
        ("12.50", "12.50"),
        ("9,5", "9.5"),
        ("1.234.567", "1234567"),
        ("0150", "150"),
        ("0", None),
        ("0,00", None),
    ],
)
def test_normalise_amount(written: str, amount: str | None) -> None:
    assert normalise_amount(written) == amount


def test_every_unit_word_has_a_unit() -> None:
    assert set(UNIT_NAMES.values()) == {"hour", "night", "day", "week", "month", "year", "session"}
    for word in UNIT_NAMES:
        assert word == word.lower()


def test_stage_adds_identifiers() -> None:
    ad = Ad(id="ad-9", source="t", title="Spa - €3,400/month", body="", content_hash="h")
    doc = STAGE(Doc(ad=ad))
    assert [(i.value, i.stage) for i in doc.identifiers] == [("3400 EUR/month", "extract.price@1")]


@settings(max_examples=300, deadline=None)
@given(st.text(), st.sampled_from([None, "Cali, Colombia", "Paris, France", "", ",,,"]))
def test_never_raises_and_values_are_normalised(text: str, place: str | None) -> None:
    for f in find(_ad(text, place)):
        assert f.raw == text[f.span.start : f.span.end]
        assert VALUE.fullmatch(f.value), f.value


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "1",
                "150",
                ".",
                ",",
                " ",
                "000",
                "€",
                "$",
                "R$",
                "EUR",
                "euros",
                "/h",
                " per ",
                "hour",
                "mês",
                "1h ",
                "30 min",
                "k",
                ".-",
                "\n",
                "pesos",
            ]
        ),
        max_size=16,
    )
)
def test_near_miss_token_soup(tokens: list[str]) -> None:
    text = "".join(tokens)
    for f in find_prices(text, "Cali, Colombia"):
        assert f.raw == text[f.span.start : f.span.end]
        assert VALUE.fullmatch(f.value), f.value

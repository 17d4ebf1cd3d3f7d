"""Age extraction: stated ages in four languages, and the numbers that only look like one."""

from __future__ import annotations

import pytest
from extract_helpers import ad as _ad
from hypothesis import given, settings
from hypothesis import strategies as st

from threadline.extract.age import STAGE, find, find_ages
from threadline.model import Ad, Doc


def _values(text: str) -> list[str]:
    return sorted(f.value for f in find(_ad(text)))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # An age unit after the number.
        ("✨ Pauline, 22 ans - nouvelle à Paris", ["22"]),
        ("Laura (24ans) et Alice (19).", ["19", "24"]),
        ("Chloe (22yo) is available today", ["22"]),
        ("I am 24 years old and new here", ["24"]),
        ("24 y/o, sweet and discreet", ["24"]),
        ("petite 19yrs", ["19"]),
        ("real 21 yrs old girl", ["21"]),
        ("Hola, tengo 23 años", ["23"]),
        ("Claudia 27 años recién cumplidos en Guadalajara", ["27"]),
        ("Fernanda (26 anos) e Mariana (20)", ["20", "26"]),
        ("una chica de 22 años muy simpática", ["22"]),
        ("Je m'appelle Nina, j'ai 22 ans", ["22"]),
        # A cue before the number.
        ("age 24", ["24"]),
        ("Age: 31", ["31"]),
        ("edad: 25, altura 1,65", ["25"]),
        ("idade 20 | Porto", ["20"]),
        ("My name is Olivia, I'm 23 and I live in Leeds", ["23"]),
        # A name before the number, the way adverts introduce people.
        ("Sophie, 24, new in town", ["24"]),
        ("Soy Paula, 22, simpática y tranquila", ["22"]),
        ("Sou a Patrícia, 21, simpática", ["21"]),
        ("Lucía, 22 - masaje relajante", ["22"]),
        ("Carla (22) está disponible hoy", ["22"]),
        ("ALICE, 28 - NOVIDADE EM BRAGA", ["28"]),
        ("🌺 NEW IN TOWN ✨ Olivia 21\nPleasant company", ["21"]),
        ("NOVEDAD ✨ Laura 23 en Barcelona", ["23"]),
        ("NOVEDAD ✨ ELENA 25 EN GUADALAJARA", ["25"]),
        # Stated ages under 18 are the point: they must come out.
        ("new girl 16 years old", ["16"]),
        ("Mia, 15, first time", ["15"]),
        ("tengo 14 años", ["14"]),
    ],
)
def test_stated_ages(text: str, expected: list[str]) -> None:
    assert _values(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Available 24/7, call me",
        "Disponible 24h/24 et 7j/7",
        "Disponibles 24 horas",
        "20 hours a week, 35 heures par semaine",
        "130 euros/h, 30 min 80€",
        "+33 7 81 48 24 85",
        "WhatsApp 0789824066",
        "call 06 12 34 56 78",
        "Room 24, second floor",
        "Calle Mayor, 24, Madrid",
        "Lyon, 24 janvier",
        "January 24, 2026",
        "le 12/03 à 14:30",
        # Limits, ranges and durations are not the person's age.
        "Todas las personas confirman ser mayores de 18 años.",
        "Only over 18 please",
        "18+ only",
        "from 18 to 25 years old",
        "entre 18 y 30 años",
        "18-25 ans",
        "10 años de experiencia",
        "depuis 10 ans dans le métier",
        "5 yrs experience in spa",
        "il y a 20 ans",
        "I'm 5 minutes from the station",
        "I'm 10 min away",
        # Out of range: a number, not an age anyone states for the person offered.
        "age 99",
        "85 years old grandmother",
        "I'm 9",
        "Step 12, page 40",
    ],
)
def test_not_ages(text: str) -> None:
    assert _values(text) == []


def test_span_and_attrs() -> None:
    text = "Hi!\nI'm Eva, 22, friendly and 24 years old... no, 22."
    found = find_ages(text)
    assert [f.value for f in found] == ["22", "24"]
    for f in found:
        assert f.raw == text[f.span.start : f.span.end]
        assert f.kind == "age"
        assert f.attrs == {"unit": "years"}
        assert 0.0 < f.confidence <= 1.0
    assert found[1].raw == "24 years old"


def test_stage_adds_identifiers() -> None:
    ad = Ad(id="ad-9", source="t", title="Sophie, 24", body="new", content_hash="h")
    doc = STAGE(Doc(ad=ad))
    assert [(i.kind, i.value, i.stage) for i in doc.identifiers] == [("age", "24", "extract.age@1")]


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_never_raises_and_spans_are_exact(text: str) -> None:
    for f in find(_ad(text)):
        assert f.raw == text[f.span.start : f.span.end]
        assert f.value.isdigit()
        assert 12 <= int(f.value) <= 80


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["Sophie", ",", " ", "24", "ans", "años", "yo", "(", ")", "\n", "-", "age", "I'm", "€"]
        ),
        max_size=20,
    )
)
def test_near_miss_token_soup(tokens: list[str]) -> None:
    text = "".join(tokens)
    for f in find(_ad(text)):
        assert f.raw == text[f.span.start : f.span.end]
        assert f.value == "24"

"""Writing-style vectors: re-posts alike, other templates and languages apart, batches exact."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from threadline.link.style import (
    CHAR_DIMS,
    CLASSES,
    DIMS,
    LANGUAGES,
    SURFACE,
    raw_features,
    style_similarity,
    style_vector,
    style_vectors,
)

ESCORT = (
    "{name}, {age} - new in {city}\n\nSweet and friendly {name} has just arrived in {city}. "
    "Relaxing massage and pleasant company in a clean, discreet apartment. Incall only. "
    "{price} per hour. Call or text {phone}"
)
ESCORT_ES = (
    "{name}, {age} - nueva en {city}\n\nLa dulce y simpática {name} acaba de llegar a {city}. "
    "Masaje relajante y compañía agradable en un piso limpio y discreto. Solo en mi piso. "
    "{price} la hora. Llama o escribe al {phone}"
)
WAREHOUSE = (
    "Warehouse supervisor - Northgate Logistics\n\nNorthgate Logistics is hiring a warehouse "
    "supervisor in {city}. Permanent contract, interviews at our office. Salary {price} per "
    "month. Apply online or call {phone}."
)
WAREHOUSE_ES = (
    "Supervisor de almacén - Logística Norte\n\nLogística Norte busca un supervisor de almacén "
    "en {city}. Contrato indefinido, entrevistas en nuestra oficina. Sueldo {price} al mes. "
    "Envía tu candidatura en línea o llama al {phone}."
)
FIRST_PERSON = (
    "Hi!! I'm {name} 💋✨\n\nI am a student in {city} and I do massages part time 😘 I only "
    "see a few clients a week, mostly in the evening!! {price} for one hour... I answer my "
    "messages myself: {phone} 💕"
)
SLOTS = [
    {"name": "Anna", "age": 23, "city": "Lyon", "price": "150 EUR", "phone": "06 12 34 56 78"},
    {"name": "Bianca", "age": 31, "city": "Marseille", "price": "200 EUR", "phone": "0798765432"},
    {
        "name": "Chloé",
        "age": 26,
        "city": "Toulouse",
        "price": "120 €",
        "phone": "+33 6 55 44 33 22",
    },
]
INDEX = {
    name: CHAR_DIMS + i
    for i, name in enumerate(
        [*LANGUAGES, *CLASSES, *SURFACE],
    )
}


def vec(template: str, k: int = 0) -> tuple[float, ...]:
    return style_vector(template.format(**SLOTS[k]))


def test_vector_is_compact_plain_floats() -> None:
    v = vec(ESCORT)
    assert len(v) == DIMS
    assert all(type(x) is float for x in v)
    assert all(round(x, 4) == x for x in v)
    assert any(x != 0.0 for x in v)


def test_same_text_is_identical() -> None:
    assert style_similarity(vec(ESCORT), vec(ESCORT)) == pytest.approx(1.0)
    assert style_vector(ESCORT.format(**SLOTS[1])) == vec(ESCORT, 1)


def test_changed_slots_stay_much_closer_than_other_templates() -> None:
    reposts = [style_similarity(vec(ESCORT, 0), vec(ESCORT, k)) for k in (1, 2)]
    others = [
        style_similarity(vec(ESCORT, k), vec(other, k))
        for k in range(3)
        for other in (WAREHOUSE, FIRST_PERSON)
    ]
    assert min(reposts) > 0.7
    assert min(reposts) > max(others) + 0.25


def test_languages_are_told_apart() -> None:
    en, es = raw_features([ESCORT.format(**SLOTS[0]), ESCORT_ES.format(**SLOTS[0])])
    assert en[INDEX["en"]] > max(en[INDEX[lang]] for lang in ("es", "fr", "pt"))
    assert es[INDEX["es"]] > max(es[INDEX[lang]] for lang in ("en", "fr", "pt"))
    # Another template in the same language is closer than the same kind of advert in another.
    for k in range(3):
        assert style_similarity(vec(ESCORT, k), vec(WAREHOUSE, k)) > style_similarity(
            vec(ESCORT, k), vec(WAREHOUSE_ES, k)
        )
        assert style_similarity(vec(ESCORT_ES, k), vec(WAREHOUSE_ES, k)) > style_similarity(
            vec(ESCORT_ES, k), vec(WAREHOUSE, k)
        )


def test_habits_show_in_the_features() -> None:
    first, third = raw_features([FIRST_PERSON.format(**SLOTS[0]), ESCORT.format(**SLOTS[0])])
    assert first[INDEX["pron1s"]] > third[INDEX["pron1s"]] == 0.0
    assert first[INDEX["emoji"]] > third[INDEX["emoji"]] == 0.0
    assert first[INDEX["bang"]] > third[INDEX["bang"]] == 0.0
    assert first[INDEX["double_punct"]] > 0.0
    shouted = raw_features(["CALL NOW!! NEW GIRL IN TOWN"])[0]
    assert shouted[INDEX["upper"]] == pytest.approx(1.0)
    assert math.isclose(sum(first[:CHAR_DIMS]), 1.0)


def test_masks_nothing_but_accepts_masked_text() -> None:
    written = ESCORT.format(**SLOTS[0])
    masked = ESCORT.format(
        name="⟨name⟩", age="⟨age⟩", city="⟨place⟩", price="⟨price⟩", phone="⟨phone⟩"
    )
    assert style_vector(written) != style_vector(masked)
    other_masked = WAREHOUSE.format(city="⟨place⟩", price="⟨price⟩", phone="⟨phone⟩")
    assert style_similarity(style_vector(masked), style_vector(masked)) == pytest.approx(1.0)
    assert style_similarity(style_vector(masked), style_vector(other_masked)) < 0.9


def test_empty_and_tiny_texts() -> None:
    assert style_vector("") == (0.0,) * DIMS
    assert style_similarity(style_vector(""), vec(ESCORT)) == 0.0
    for text in ("a", "ab", "!", "💋", "\x00", " "):
        assert len(style_vector(text)) == DIMS
    with pytest.raises(ValueError, match="lengths"):
        style_similarity((1.0, 2.0), (1.0,))


TEXTS = st.lists(
    st.sampled_from([*"aé Zz0!?.'’\n\x00💋😘中", "vous ", "The ", "NÃO ", "l'"]), max_size=30
).map("".join)


@settings(max_examples=60, deadline=None)
@given(st.lists(TEXTS, max_size=6))
def test_batches_equal_one_by_one(texts: list[str]) -> None:
    """Texts are processed together, tagged by owner: nothing may leak across borders."""
    assert style_vectors(texts) == [style_vector(t) for t in texts]

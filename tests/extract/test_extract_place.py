"""Place extraction: cities and countries in four languages, and words that only look like one."""

from __future__ import annotations

import gzip

import pytest
from extract_helpers import ad as _ad
from hypothesis import given, settings
from hypothesis import strategies as st

from threadline.extract import place
from threadline.extract.place import (
    AMBIGUOUS,
    DATA_DIR,
    NEVER,
    STAGE,
    country_of,
    find,
    find_places,
    fold,
    gazetteer,
    name_key,
)
from threadline.model import Ad, Doc


def _values(text: str, where: str | None = None) -> list[str]:
    return sorted({f.value for f in find(_ad(text, where))})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nouvelle à Lyon pour quelques jours", ["Lyon, FR"]),
        ("New in London this week", ["London, GB"]),
        ("Newcastle upon Tyne, city centre", ["Newcastle upon Tyne, GB"]),
        ("Visiting New York from January 13", ["New York City, US"]),
        ("Massagem relaxante em Rio de Janeiro", ["Rio de Janeiro, BR"]),
        ("Cuidadores em São Paulo e Sao Paulo", ["São Paulo, BR"]),
        # Exonyms and accents: the text's own spelling finds the city.
        ("Trabajo en Londres", ["London, GB"]),
        ("Vagas em Lisboa", ["Lisbon, PT"]),
        ("Masseuse à Genève", ["Geneva, CH"]),
        ("Vacante en Ciudad de México", ["Mexico City, MX"]),
        ("Disponible en Bogota y Medellín", ["Bogotá, CO", "Medellín, CO"]),
        ("Masaje en Sevilla", ["Sevilla, ES"]),
        ("MASSAGE À BRUXELLES", ["Brussels, BE"]),
        # Countries in four languages, their aliases, and capitals-only aliases.
        ("travail en Allemagne", ["DE"]),
        ("trabajo en Estados Unidos", ["US"]),
        ("obras nos Países Baixos ou na Holanda", ["NL"]),
        ("aux Pays-Bas", ["NL"]),
        ("trabalhar no Japão", ["JP"]),
        ("TRABAJO EN JAPÓN", ["JP"]),
        ("sites in the UK", ["GB"]),
        ("work in the USA", ["US"]),
        ("club privé en Espagne, puis en Suisse", ["CH", "ES"]),
        ("Hôtesses à Dubaï", ["Dubai, AE"]),
        ("travail en Côte d'Ivoire", ["CI"]),
    ],
)
def test_places(text: str, expected: list[str]) -> None:
    assert _values(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # Lower-case words are never places.
        "such a nice girl, very mobile",
        "lisboa",
        "paris",
        "london calling",
        # Capitalised common words need a cue.
        "Nice girl, 22, sweet",
        "Reading is my hobby",
        "Mobile massage, I come to you",
        "Como estás? Santos y demonios",
        "Usa el sentido común",
        "Hola, soy Carla",
        "Solo visitas a hotel. Se habla inglés",
        "Un seul numéro",
        "Gana 4.100 €/mes",
        "Bath and massage",
        # Names of people and companies that are also towns.
        "Soy Carolina, 22, simpática",
        "Our agency presents Crystal (19) and Mia (24)",
        "Victoria is available today",
        "A Cunha Comércio Lda. procura",
        "Northwood Produce plc has a vacancy",
        "Junte-se à Rocha & Filhos",
        "Únete a Medina Residencias S.A.",
        # Inside addresses and handles.
        "write to rh@Lyon.example",
        "www.Paris.com",
        "@London_girl",
        "#Madrid",
    ],
)
def test_not_places(text: str) -> None:
    assert _values(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Massage à Nice ce soir", ["Nice, FR"]),
        ("Nice, France", ["FR", "Nice, FR"]),
        ("New in Reading", ["Reading, GB"]),
        ("Atendo em Santos", ["Santos, BR"]),
        ("Nouvelle à Laval", ["Laval, CA"]),
    ],
)
def test_ambiguous_names_with_a_cue(text: str, expected: list[str]) -> None:
    assert _values(text) == expected


@pytest.mark.parametrize(
    ("text", "where", "expected"),
    [
        # The advert's own country settles names shared by several places...
        ("Valencia", "Madrid, Spain", ["Valencia, ES"]),
        ("Valencia", "Caracas, Venezuela", ["Valencia, VE"]),
        ("Cartagena", "Bogota, Colombia", ["Cartagena, CO"]),
        ("Cartagena", "Murcia, Spain", ["Cartagena, ES"]),
        ("Granada", "Seville, Spain", ["Granada, ES"]),
        # A country under its English name beats a city; a city beats a country's exonym.
        ("trabajo en Armenia", None, ["AM"]),
        ("trabajo en Armenia", "Bogota, Colombia", ["Armenia, CO"]),
        ("trabajo en Granada", None, ["Granada, ES"]),
        ("Nouvelle à Laval", "Rennes, France", ["Laval, FR"]),
        # ...but not against a far bigger namesake.
        ("London", "Austin, TX, United States", ["London, GB"]),
        # Without it, the most populous city of the name.
        ("Birmingham", None, ["Birmingham, GB"]),
        # The advert's own city is a place even when its name is also a word.
        ("LAVAL : Lola disponible", "Laval, QC, Canada", ["Laval, CA"]),
        ("Nice: new girl", "Nice, France", ["Nice, FR"]),
    ],
)
def test_disambiguation_by_the_place_field(
    text: str, where: str | None, expected: list[str]
) -> None:
    assert _values(text, where) == expected


def test_the_place_field_alone_is_not_emitted() -> None:
    assert _values("Relaxing massage by appointment", "Lyon, France") == []


@pytest.mark.parametrize(
    ("field", "country"),
    [
        ("Lyon, France", "FR"),
        ("Toronto, ON, Canada", "CA"),
        ("New York, NY, United States", "US"),
        ("Sao Paulo, Brazil", "BR"),
        ("Lisboa", "PT"),
        ("", None),
        (None, None),
        ("Xyzzyville, Nowhere", None),
    ],
)
def test_country_of_a_place_field(field: str | None, country: str | None) -> None:
    assert country_of(field) == country


def test_attrs_spans_and_confidence() -> None:
    text = "Hôtesses à Dubaï, puis en Espagne.\nTravail aux États-Unis"
    found = find_places(text)
    assert [f.raw for f in found] == ["Dubaï", "Espagne", "États-Unis"]
    for f in found:
        assert f.raw == text[f.span.start : f.span.end]
        assert f.kind == "place"
        assert 0.0 < f.confidence <= 1.0
        assert f.attrs["geonameid"].isdigit()
    dubai = found[0].attrs
    assert dubai["country"] == "AE"
    assert abs(float(dubai["lat"]) - 25.07) < 0.5
    assert abs(float(dubai["lon"]) - 55.3) < 0.5
    assert found[1].attrs["country"] == "ES"
    assert "lat" not in found[1].attrs


def test_longest_name_wins() -> None:
    assert [f.raw for f in find_places("Cuidadores en Rio de Janeiro y Porto Alegre")] == [
        "Rio de Janeiro",
        "Porto Alegre",
    ]


def test_fold_and_keys() -> None:
    assert fold("Genève") == "geneve"
    assert fold("SÃO") == "sao"
    assert name_key("Saint-Étienne") == "saint etienne"
    assert name_key("Côte d’Ivoire") == "cote d ivoire"


def test_gazetteer_data() -> None:
    gaz = gazetteer()
    assert len(gaz.names) > 50_000
    assert "new york" in gaz.prefixes
    assert "new" in gaz.prefixes
    assert any(p.is_country and p.country == "FR" for p in gaz.names["francia"])
    assert {"usa", "uk", "uae"} <= gaz.capitals_only
    with gzip.open(DATA_DIR / "cities.tsv.gz", "rt", encoding="utf-8") as rows:
        header = [next(rows), next(rows)]
    assert "CC BY" in header[0]
    # The word lists are folded keys, and no word is both "never" and "with a cue".
    assert all(word == name_key(word) for word in AMBIGUOUS | NEVER)
    assert not AMBIGUOUS & NEVER


def test_stage_adds_identifiers() -> None:
    ad = Ad(id="ad-9", source="t", title="Nouvelle à Lyon", body="", content_hash="h")
    doc = STAGE(Doc(ad=ad))
    assert [(i.value, i.stage) for i in doc.identifiers] == [("Lyon, FR", "extract.place@1")]


@settings(max_examples=300, deadline=None)
@given(st.text(), st.sampled_from([None, "Lyon, France", "", ",", "Nowhere"]))
def test_never_raises_and_spans_are_exact(text: str, where: str | None) -> None:
    for f in find(_ad(text, where)):
        assert f.raw == text[f.span.start : f.span.end]
        assert f.value == f.attrs["country"] or f.value.endswith(", " + f.attrs["country"])


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "New",
                "York",
                " ",
                "-",
                "Rio",
                "de",
                "Janeiro",
                "Nice",
                "à",
                ",",
                "France",
                "Lyon",
                "@",
                ".",
                "Carolina",
                "(",
                "22",
                ")",
                "\n",
                "É",
                "UK",
                "Usa",
            ]
        ),
        max_size=14,
    )
)
def test_near_miss_token_soup(tokens: list[str]) -> None:
    text = "".join(tokens)
    for f in place.find_places(text, "Lyon, France"):
        assert f.raw == text[f.span.start : f.span.end]

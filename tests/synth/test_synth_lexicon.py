"""The wording data: enough templates per kind and language, known slots, safe words."""

from __future__ import annotations

import random
import re

import pytest

from threadline.synth.lexicon import SECTIONS, load_lexicon, make_version
from threadline.synth.phones import Line, PhoneFactory, valid_e164
from threadline.synth.places import COUNTRIES, phone_region
from threadline.synth.styles import PHONE_OBFUSCATED, PHONE_PLAIN, phone_text

LANGUAGES = ("en", "es", "fr", "pt")


@pytest.mark.parametrize("language", LANGUAGES)
def test_at_least_six_templates_per_kind(language: str) -> None:
    lex = load_lexicon(language)
    for section in SECTIONS:
        templates = lex.templates[section]
        assert len(templates) >= 6, (language, section)
        assert len({t.id for t in templates}) == len(templates)
        assert all(t.id.startswith(f"{language}-") for t in templates)


@pytest.mark.parametrize("language", LANGUAGES)
def test_lists_line_up_across_languages(language: str) -> None:
    lex, en = load_lexicon(language), load_lexicon("en")
    # Destinations are indexed by position to find their currency: same order everywhere.
    assert len(lex.destinations) == len(en.destinations)
    assert len(lex.digits) == 10
    assert len(lex.months) == 12
    assert set(lex.disclaimers) == set(en.disclaimers)


@pytest.mark.parametrize("language", LANGUAGES)
def test_versions_keep_only_fillable_lines(language: str) -> None:
    lex = load_lexicon(language)
    rng = random.Random(1)
    for section in SECTIONS:
        for template in lex.templates[section]:
            version = make_version(template, rng, frozenset({"phone"}))
            slots = {slot for line in version.body for _, slot in line if slot}
            assert not slots & {"website", "email", "handle", "wallet", "payment"}


def test_every_phone_style_writes_something_for_every_country() -> None:
    rng = random.Random(2)
    factory = PhoneFactory(rng)
    lex = load_lexicon("fr")
    for country in COUNTRIES:
        for line in Line:
            phone = factory.new(phone_region(country), country.cities[0], line)
            assert valid_e164(phone.e164)
            for style in PHONE_PLAIN + PHONE_OBFUSCATED:
                raw, used = phone_text(rng, lex, phone, style)
                assert raw
                assert used in PHONE_PLAIN + PHONE_OBFUSCATED
                if used in ("national", "separators", "digits"):
                    digits = re.sub(r"\D", "", raw)
                    assert digits == phone.national_digits

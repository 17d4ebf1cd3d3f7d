"""The shipped rule book: every rule cited, in every language, and true to its examples."""

from __future__ import annotations

import functools
from collections import defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from threadline.extract import all_stages
from threadline.indicators import indicator_stages
from threadline.indicators.categories import CATEGORIES, LANGUAGES
from threadline.indicators.rules import DomainName, Rule, shipped_rulebook
from threadline.model import Ad, Doc, Identifier

BOOK = shipped_rulebook()


@functools.cache
def identifiers_of(text: str, language: str) -> tuple[Identifier, ...]:
    doc = Doc(
        ad=Ad(
            id="example", source="rules", title="", body=text, content_hash="x", language=language
        )
    )
    for stage in all_stages():
        doc = stage(doc)
    return doc.identifiers


def fired(rule: Rule, text: str, language: str) -> bool:
    # examples are snippets too short to state their context: the rule's own domain is given
    # (context rules are what decides the domain, so theirs is read from the text)
    domain: DomainName | None = None
    if rule.kind != "context":
        domain = "other" if rule.domain == "any" else rule.domain
    _, flags = BOOK.flags(
        "example", text, identifiers_of(text, language), stage="t@1", domain=domain
    )
    return any(f.rule_id == rule.id for f in flags)


@pytest.mark.parametrize("rule", BOOK.rules, ids=lambda r: r.id)
def test_rule_matches_its_examples_and_not_its_counter_examples(rule: Rule) -> None:
    for example in rule.spec.examples.match:
        assert fired(rule, example.text, example.lang), f"missed: {example.text!r}"
    for example in rule.spec.examples.no_match:
        assert not fired(rule, example.text, example.lang), f"false hit: {example.text!r}"


def test_every_rule_cites_a_public_source() -> None:
    for rule in BOOK.rules:
        assert rule.citation.strip(), rule.id
        for key in (
            [rule.spec.citation] if isinstance(rule.spec.citation, str) else rule.spec.citation
        ):
            source = BOOK.sources[key]
            assert source.title, key
            assert source.url or source.publisher or source.authors, key


def test_every_category_has_rules_in_every_language() -> None:
    languages: dict[str, set[str]] = defaultdict(set)
    for rule in BOOK.rules:
        languages[rule.category] |= set(rule.spec.phrases) | set(rule.spec.patterns)
        if rule.spec.signal:
            languages[rule.category] |= set(LANGUAGES)  # a signal reads identifiers, not words
    for category in CATEGORIES:
        missing = set(LANGUAGES) - languages[category]
        assert not missing, f"{category}: no rule in {sorted(missing)}"


def test_every_lexical_rule_speaks_all_four_languages() -> None:
    for rule in BOOK.rules:
        stated = set(rule.spec.phrases) | set(rule.spec.patterns)
        if stated and "any" not in stated:
            assert set(LANGUAGES) <= stated, f"{rule.id}: only {sorted(stated)}"


def test_the_rule_book_has_a_version() -> None:
    assert BOOK.version.startswith("rules-")
    assert len(BOOK.rules) >= 40


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400))
def test_shipped_rules_and_score_never_raise_and_point_at_their_evidence(text: str) -> None:
    ad = Ad(id="h", source="t", title="Hiring hostesses", body=text, content_hash="x")
    doc = Doc(ad=ad)
    for stage in [*all_stages(), *indicator_stages()]:
        doc = stage(doc)
    for flag in doc.flags:
        assert flag.evidence == ad.text[flag.span.start : flag.span.end]
    assert doc.assessment is not None
    assert 0.0 <= doc.assessment.score <= 1.0

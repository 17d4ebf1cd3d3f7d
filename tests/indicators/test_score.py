"""Risk scores: the noisy-OR, counter-indicators, the model term and the explanation."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from threadline.errors import ConfigError
from threadline.indicators.score import (
    ScoringConfig,
    assess,
    domain_of,
    load_scoring,
    shift_prior,
)
from threadline.model import Ad, Flag, Span

CONFIG = ScoringConfig(threshold=0.5, model_weight=0.6)


def flag(category: str, weight: float, rule: str | None = None, start: int = 0) -> Flag:
    return Flag(
        "ad1", rule or f"r.{category}.{weight}", category, weight, Span(start, start + 3),
        "abc", "ILO (2012)", "indicators.rules@1",
    )  # fmt: skip


@dataclass(frozen=True)
class FakeScore:
    probability: float
    reasons: tuple[tuple[str, float], ...] = (("no company logo", 1.2),)


@dataclass
class FakeModel:
    probability: float
    version: str = "jobs-test"
    seen: frozenset[str] = frozenset()
    neutral_probability: float = 0.5

    def score(self, ad: Ad, categories: frozenset[str]) -> FakeScore:
        self.seen = categories
        return FakeScore(self.probability)


JOB = flag("job_offer", 0.0, "context.job")
ADULT = flag("adult_services", 0.0, "context.adult")


@pytest.fixture
def ad(make_ad: Callable[..., Ad]) -> Ad:
    return make_ad(id="ad1")


def test_no_flags_no_risk(ad: Ad) -> None:
    a = assess(ad, [], stage="s@1", config=CONFIG)
    assert a.score == 0
    assert not a.flagged
    assert a.domain == "other"
    assert a.contributions == ()


def test_categories_combine_as_noisy_or_and_synonyms_do_not_stack(ad: Ad) -> None:
    flags = [ADULT, flag("movement", 0.25), flag("movement", 0.2), flag("third_party", 0.4)]
    a = assess(ad, flags, stage="s@1", config=CONFIG)
    assert a.score == pytest.approx(1 - 0.75 * 0.6)
    assert a.domain == "sexual_services"
    effects = {c.source: c.effect for c in a.contributions}
    assert effects["r.movement.0.2"] == 0.0  # listed, but its category already counts
    assert sum(effects.values()) == pytest.approx(a.score)
    share = math.log(1 / 0.6) / (math.log(1 / 0.6) + math.log(1 / 0.75))
    assert effects["r.third_party.0.4"] == pytest.approx(a.score * share)
    assert a.contributions[0].source == "r.third_party.0.4"  # strongest first


def test_counter_indicators_lower_the_score_and_explain_it(ad: Ad) -> None:
    flags = [ADULT, flag("movement", 0.25), flag("independent_first_person", -0.5)]
    a = assess(ad, flags, stage="s@1", config=CONFIG)
    assert a.score == pytest.approx(0.25 * 0.5)
    counter = next(c for c in a.contributions if c.category == "independent_first_person")
    assert counter.effect == pytest.approx(-0.125)
    assert sum(c.effect for c in a.contributions) == pytest.approx(a.score)


def test_the_job_model_counts_only_for_job_adverts(ad: Ad) -> None:
    model = FakeModel(0.9)
    a = assess(ad, [JOB, flag("fees_charged", 0.45)], stage="s@1", config=CONFIG, model=model)
    assert a.job_fraud == 0.9
    assert a.domain == "job"
    assert a.score == pytest.approx(1 - 0.55 * (1 - 0.6 * 0.9))
    assert model.seen == {"job_offer", "fees_charged"}
    term = next(c for c in a.contributions if c.category == "job_fraud_model")
    assert term.span is None
    assert "P(fraud) = 0.90" in term.evidence
    assert "no company logo" in term.evidence
    assert a.basis == "jobs-test"
    adult = assess(ad, [ADULT], stage="s@1", config=CONFIG, model=FakeModel(0.9))
    assert adult.job_fraud is None
    assert adult.score == 0


def test_score_stays_in_bounds(ad: Ad) -> None:
    flags = [JOB, *(flag(c, 1.0) for c in ("fees_charged", "passport_early"))]
    a = assess(ad, flags, stage="s@1", config=CONFIG, model=FakeModel(1.0))
    assert 0.0 <= a.score <= 1.0
    assert a.flagged


def test_domain_comes_from_the_context_flags() -> None:
    assert domain_of([JOB, flag("fees_charged", 0.4)]) == "job"
    assert domain_of([ADULT]) == "sexual_services"
    assert domain_of([flag("movement", 0.2)]) == "other"


def test_scoring_settings_are_checked(tmp_path: Path) -> None:
    shipped = load_scoring()
    assert 0 < shipped.threshold < 1
    bad = tmp_path / "scoring.yaml"
    bad.write_text("threshold: 2\nmodel_weight: 0.5\nmodel_base_rate: 0.1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="threshold must be between 0 and 1"):
        load_scoring(bad)
    bad.write_text("threshold: [\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="cannot read"):
        load_scoring(bad)


def test_model_probabilities_are_restated_at_the_deployment_base_rate(ad: Ad) -> None:
    assert shift_prior(0.5, 0.5, 0.05) == pytest.approx(0.05)
    assert shift_prior(0.3, 0.3, 0.3) == pytest.approx(0.3)
    high = shift_prior(0.99, 0.5, 0.05)
    assert 0.8 < high < 0.99  # strong evidence survives a low prior, weakened
    config = ScoringConfig(threshold=0.5, model_weight=0.6, model_base_rate=0.05)
    nothing = assess(ad, [JOB], stage="s@1", config=config, model=FakeModel(0.5))
    assert nothing.job_fraud == pytest.approx(0.05)
    assert nothing.score == pytest.approx(0.6 * 0.05)


def test_base_rate_must_be_a_probability(tmp_path: Path) -> None:
    bad = tmp_path / "scoring.yaml"
    bad.write_text("threshold: 0.5\nmodel_weight: 0.5\nmodel_base_rate: 0\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="model_base_rate"):
        load_scoring(bad)

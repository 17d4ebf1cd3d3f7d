"""Risk scores: rule hits, counter-indicators and the job-fraud model, combined and explained.

The combination is deliberately simple, so that an analyst can redo it by hand:

1. per indicator category, the strongest hit counts (ten ways of saying "just arrived" are one
   indicator, not ten);
2. the categories, and for job adverts the model's probability times ``model_weight``, combine
   as a noisy-OR: ``risk = 1 - prod(1 - w)``; each independent reason can raise the score
   alone, none can push it past 1;
3. counter-indicators (strongest per category) combine the same way into ``k``, and the score
   is ``risk * (1 - k)``.

Each contribution's ``effect`` is its share of the result: the raising terms share ``risk`` in
proportion to ``-log(1 - w)`` (their share of the noisy-OR's log-odds of "nothing"), and the
counter-indicators share the reduction ``risk * k`` the same way; the effects add up to the
score.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import yaml

from threadline.errors import ConfigError
from threadline.model import Ad, Assessment, Contribution, Flag, Span

SCORING_FILE = Path(__file__).with_name("scoring.yaml")
MODEL_CATEGORY = "job_fraud_model"
MODEL_CITATION = (
    "Vidros, Kolias, Kambourakis & Akoglu (2017). Automatic Detection of Online Recruitment "
    "Frauds: Characteristics, Methods, and a Public Dataset. Future Internet 9(1):6 (EMSCAD)"
)


@dataclass(frozen=True, slots=True)
class ScoringConfig:
    threshold: float
    model_weight: float
    model_base_rate: float = 0.5
    """Share of scams among the job adverts scored: the model's probabilities are moved from
    the base rate it was calibrated at to this one (a prior shift of the log-odds)."""


class JobModel(Protocol):
    """What scoring needs of the job-fraud model (see :mod:`threadline.indicators.jobs_model`)."""

    @property
    def version(self) -> str: ...
    @property
    def neutral_probability(self) -> float: ...
    def score(self, ad: Ad, categories: frozenset[str]) -> JobScore: ...


class JobScore(Protocol):
    @property
    def probability(self) -> float: ...
    @property
    def reasons(self) -> tuple[tuple[str, float], ...]: ...


def load_scoring(path: Path = SCORING_FILE) -> ScoringConfig:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        config = ScoringConfig(
            float(data["threshold"]), float(data["model_weight"]), float(data["model_base_rate"])
        )
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError) as err:
        raise ConfigError(f"{path}: cannot read the scoring settings: {err}") from err
    for name in ("threshold", "model_weight"):
        if not 0.0 <= getattr(config, name) <= 1.0:
            raise ConfigError(f"{path}: {name} must be between 0 and 1")
    if not 0.0 < config.model_base_rate < 1.0:
        raise ConfigError(f"{path}: model_base_rate must be strictly between 0 and 1")
    return config


@functools.cache
def shipped_scoring() -> ScoringConfig:
    return load_scoring()


def domain_of(flags: Sequence[Flag]) -> str:
    """``job``, ``sexual_services`` or ``other``: the rules stage keeps only the context flags
    of the domain it read (see :func:`threadline.indicators.rules.read_domain`)."""
    categories = {f.category for f in flags if f.weight == 0}
    if "job_offer" in categories:
        return "job"
    if "adult_services" in categories:
        return "sexual_services"
    return "other"


def _strongest(flags: Sequence[Flag]) -> dict[str, Flag]:
    best: dict[str, Flag] = {}
    for flag in flags:
        held = best.get(flag.category)
        if held is None or abs(flag.weight) > abs(held.weight):
            best[flag.category] = flag
    return best


def _logit(p: float) -> float:
    p = min(max(p, 1e-9), 1.0 - 1e-9)
    return math.log(p / (1.0 - p))


def shift_prior(probability: float, calibrated_at: float, base_rate: float) -> float:
    """``probability`` from a model calibrated at one base rate, restated at another: Bayes'
    rule changes only the prior odds, so the log-odds move by the difference of the priors'."""
    shifted = _logit(probability) + _logit(base_rate) - _logit(calibrated_at)
    return 1.0 / (1.0 + math.exp(-shifted)) if shifted > -700 else 0.0


def _log_share(weight: float) -> float:
    return -math.log1p(-min(abs(weight), 0.999999))


# A reason before its effect is known: the weight it enters the noisy-OR with, then the
# fields of its Contribution (source, category, weight, span, evidence, citation).
Term = tuple[float, str, str, float, Span | None, str, str]


def _term(flag: Flag) -> Term:
    return (
        abs(flag.weight), flag.rule_id, flag.category, flag.weight, flag.span, flag.evidence,
        flag.citation,
    )  # fmt: skip


def assess(
    ad: Ad,
    flags: Sequence[Flag],
    *,
    stage: str,
    config: ScoringConfig,
    model: JobModel | None = None,
    basis: str = "",
) -> Assessment:
    """The advert's risk score with every contribution to it."""
    domain = domain_of(flags)
    raising = [_term(f) for f in _strongest([f for f in flags if f.weight > 0]).values()]
    lowering = [_term(f) for f in _strongest([f for f in flags if f.weight < 0]).values()]
    job_fraud: float | None = None
    if domain == "job" and model is not None:
        result = model.score(ad, frozenset(f.category for f in flags))
        job_fraud = shift_prior(
            result.probability, model.neutral_probability, config.model_base_rate
        )
        basis = f"{basis}; {model.version}" if basis else model.version
        reasons = ", ".join(f"{name} ({effect:+.2f})" for name, effect in result.reasons)
        evidence = f"P(fraud) = {job_fraud:.2f}"
        if reasons:
            evidence += f"; strongest features: {reasons}"
        source = f"model.{model.version}"
        raising.append(
            (config.model_weight * job_fraud, source, MODEL_CATEGORY, config.model_weight, None,
             evidence, MODEL_CITATION)
        )  # fmt: skip
    risk = 1.0 - math.prod(1.0 - t[0] for t in raising)
    k = 1.0 - math.prod(1.0 - t[0] for t in lowering)
    score = risk * (1.0 - k)
    contributions = _shared(raising, risk) + _shared(lowering, -risk * k)
    # every other rule that hit is listed too, with no effect of its own: its category counts
    # once, through the strongest hit
    listed = {c.source for c in contributions}
    for flag in flags:
        if flag.weight != 0 and flag.rule_id not in listed:
            listed.add(flag.rule_id)
            contributions.append(_contribution(flag, 0.0))
    return Assessment(
        ad_id=ad.id,
        domain=domain,
        score=round(min(max(score, 0.0), 1.0), 6),
        threshold=config.threshold,
        contributions=tuple(contributions),
        stage=stage,
        job_fraud=None if job_fraud is None else round(job_fraud, 6),
        basis=basis,
    )


def _shared(terms: list[Term], total: float) -> list[Contribution]:
    """``total`` shared among ``terms`` in proportion to their log-odds weight."""
    logs = [_log_share(t[0]) for t in terms]
    whole = sum(logs)
    out = []
    for (_, source, category, weight, span, evidence, citation), share in zip(
        terms, logs, strict=True
    ):
        effect = round(total * share / whole, 6) if whole > 0 else 0.0
        out.append(Contribution(source, category, weight, effect, span, evidence, citation))
    out.sort(key=lambda c: -abs(c.effect))
    return out


def _contribution(flag: Flag, effect: float) -> Contribution:
    return Contribution(
        flag.rule_id, flag.category, flag.weight, effect, flag.span, flag.evidence, flag.citation
    )

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
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import yaml

from threadline.errors import ConfigError
from threadline.model import Ad, Assessment, Contribution, Flag

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


class JobModel(Protocol):
    """What scoring needs of the job-fraud model (see :mod:`threadline.indicators.jobs_model`)."""

    @property
    def version(self) -> str: ...
    def score(self, ad: Ad, categories: frozenset[str]) -> JobScore: ...


class JobScore(Protocol):
    @property
    def probability(self) -> float: ...
    @property
    def reasons(self) -> tuple[tuple[str, float], ...]: ...


def load_scoring(path: Path = SCORING_FILE) -> ScoringConfig:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        config = ScoringConfig(float(data["threshold"]), float(data["model_weight"]))
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError) as err:
        raise ConfigError(f"{path}: cannot read the scoring settings: {err}") from err
    for name in ("threshold", "model_weight"):
        if not 0.0 <= getattr(config, name) <= 1.0:
            raise ConfigError(f"{path}: {name} must be between 0 and 1")
    return config


@functools.cache
def shipped_scoring() -> ScoringConfig:
    return load_scoring()


def domain_of(flags: Sequence[Flag]) -> str:
    """``job``, ``sexual_services`` or ``other``, read from the context flags (see
    :func:`threadline.indicators.rules.read_domain`; a tie goes to ``job``)."""
    counts = Counter(f.category for f in flags if f.weight == 0)
    job, adult = counts["job_offer"], counts["adult_services"]
    if job == 0 and adult == 0:
        return "other"
    return "job" if job >= adult else "sexual_services"


def _strongest(flags: Sequence[Flag]) -> dict[str, Flag]:
    best: dict[str, Flag] = {}
    for flag in flags:
        held = best.get(flag.category)
        if held is None or abs(flag.weight) > abs(held.weight):
            best[flag.category] = flag
    return best


def _log_share(weight: float) -> float:
    return -math.log1p(-min(abs(weight), 0.999999))


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
    raising = _strongest([f for f in flags if f.weight > 0])
    lowering = _strongest([f for f in flags if f.weight < 0])
    terms: list[tuple[float, Contribution]] = [
        (f.weight, _contribution(f, 0.0)) for f in raising.values()
    ]
    job_fraud: float | None = None
    if domain == "job" and model is not None:
        result = model.score(ad, frozenset(f.category for f in flags))
        job_fraud = min(max(result.probability, 0.0), 1.0)
        basis = f"{basis}; {model.version}" if basis else model.version
        weight = config.model_weight * job_fraud
        reasons = ", ".join(f"{name} ({effect:+.2f})" for name, effect in result.reasons)
        evidence = f"P(fraud) = {job_fraud:.2f}" + (
            f"; strongest features: {reasons}" if reasons else ""
        )
        terms.append(
            (
                weight,
                Contribution(
                    f"model.{model.version}",
                    MODEL_CATEGORY,
                    config.model_weight,
                    0.0,
                    None,
                    evidence,
                    MODEL_CITATION,
                ),
            )
        )
    nothing = math.prod(1.0 - w for w, _ in terms)
    risk = 1.0 - nothing
    k = 1.0 - math.prod(1.0 - abs(f.weight) for f in lowering.values())
    score = risk * (1.0 - k)
    contributions = _shared(terms, risk) + _shared(
        [(f.weight, _contribution(f, 0.0)) for f in lowering.values()], -risk * k
    )
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


def _shared(terms: list[tuple[float, Contribution]], total: float) -> list[Contribution]:
    """``total`` shared among ``terms`` in proportion to their log-odds weight."""
    logs = [_log_share(w) for w, _ in terms]
    whole = sum(logs)
    out = []
    for (_, c), share in zip(terms, logs, strict=True):
        effect = total * share / whole if whole > 0 else 0.0
        out.append(
            Contribution(
                c.source, c.category, c.weight, round(effect, 6), c.span, c.evidence, c.citation
            )
        )
    out.sort(key=lambda c: -abs(c.effect))
    return out


def _contribution(flag: Flag, effect: float) -> Contribution:
    return Contribution(
        flag.rule_id, flag.category, flag.weight, effect, flag.span, flag.evidence, flag.citation
    )

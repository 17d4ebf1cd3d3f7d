"""The indicator stages: rule flags, then the explained risk score.

Both are pure functions of a :class:`Doc`; the rule book, the scoring settings and the model
are read-only data loaded once per process (on a Dask worker too), never the store.
"""

from __future__ import annotations

import functools
from dataclasses import replace

from threadline.indicators.jobs_model import load_job_model
from threadline.indicators.rules import shipped_rulebook
from threadline.indicators.score import JobModel, assess, shipped_scoring
from threadline.model import Doc
from threadline.pipeline import FunctionStage, stage

RULES_NAME, RULES_VERSION = "indicators.rules", 1
SCORE_NAME, SCORE_VERSION = "indicators.score", 1


@functools.cache
def shipped_job_model() -> JobModel:
    """The shipped job-fraud model (its weights are data in the package)."""
    return load_job_model()


@stage(RULES_NAME, RULES_VERSION, requires=("ad", "identifiers"), assigns=("flags",))
def flag_rules(doc: Doc) -> Doc:
    """Flags of every rule that the advert's text or identifiers meet."""
    ad = doc.ad
    if ad is None:
        return doc
    _, flags = shipped_rulebook().flags(
        ad.id, ad.text, doc.identifiers, stage=f"{RULES_NAME}@{RULES_VERSION}"
    )
    if not flags:
        return doc
    return replace(doc, flags=doc.flags + tuple(flags))


@stage(SCORE_NAME, SCORE_VERSION, requires=("ad", "flags"), assigns=("assessment",))
def score_risk(doc: Doc) -> Doc:
    """The advert's risk score and its explanation, from its flags and the job-fraud model."""
    ad = doc.ad
    if ad is None:
        return doc
    assessment = assess(
        ad,
        doc.flags,
        stage=f"{SCORE_NAME}@{SCORE_VERSION}",
        config=shipped_scoring(),
        model=shipped_job_model(),
        basis=shipped_rulebook().version,
    )
    return replace(doc, assessment=assessment)


def indicator_stages() -> list[FunctionStage]:
    """The indicator stages in running order (after extraction)."""
    return [flag_rules, score_risk]

"""Trafficking indicators: cited rules as data, a learned job-fraud model, explained scores.

- :mod:`~threadline.indicators.rules` loads and compiles the rule files (``rules/*.yaml``);
- :mod:`~threadline.indicators.score` combines flags and the model into an
  :class:`~threadline.model.Assessment`;
- :mod:`~threadline.indicators.stages` wraps both as pipeline stages.
"""

from threadline.indicators.categories import CATEGORIES
from threadline.indicators.rules import Rulebook, load_rulebook, shipped_rulebook
from threadline.indicators.score import assess, load_scoring
from threadline.indicators.stages import flag_rules, indicator_stages, score_risk

__all__ = [
    "CATEGORIES",
    "Rulebook",
    "assess",
    "flag_rules",
    "indicator_stages",
    "load_rulebook",
    "load_scoring",
    "score_risk",
    "shipped_rulebook",
]

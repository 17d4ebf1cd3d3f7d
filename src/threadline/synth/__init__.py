"""Deterministic synthetic advert corpus with ground truth: the demo and benchmark backbone.

``generate(n_ads, seed, out_dir)`` writes ``adverts.jsonl``, ``truth.jsonl`` and
``manifest.json`` (and ``adverts.csv`` under foreign column names with ``csv=True``). See
:mod:`threadline.synth.generate` for the planted patterns and ``synth/data/*.yaml`` for the
wording.
"""

from threadline.synth.generate import SynthSummary, generate

__all__ = ["SynthSummary", "generate"]

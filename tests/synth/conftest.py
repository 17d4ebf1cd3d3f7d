"""One small corpus shared by the synth tests (generating it takes well under a second)."""

from __future__ import annotations

import pytest
from synth_corpus import N_ADS, SEED, Corpus, read_jsonl

from threadline.synth import generate


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    out = tmp_path_factory.mktemp("synth")
    summary = generate(N_ADS, SEED, out, csv=True)
    return Corpus(summary, read_jsonl(out / "adverts.jsonl"), read_jsonl(out / "truth.jsonl"))

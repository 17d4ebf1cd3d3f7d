"""Helpers shared by the synth tests (a uniquely named module: tests have no packages)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from threadline.synth import SynthSummary

N_ADS = 2000
SEED = 11


@dataclass(frozen=True)
class Corpus:
    summary: SynthSummary
    adverts: list[dict[str, Any]]
    truth: list[dict[str, Any]]

    def text(self, i: int) -> str:
        """The text truth spans point into: title, a blank line, body."""
        advert = self.adverts[i]
        return f"{advert['title']}\n\n{advert['body']}"


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open("rb") as f:
        return [orjson.loads(line) for line in f]

"""Shared fixtures of the extractor tests: one small synthetic corpus with its ground truth,
generated once per session with a seed the benchmark does not use."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from extract_helpers import Row

from threadline.synth import generate


@pytest.fixture(scope="session")
def _labelled(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, list[dict[str, str]]]]:
    out: Path = tmp_path_factory.mktemp("synth-extract")
    generate(1500, 29, out)
    labelled = []
    with (out / "adverts.jsonl").open() as ads, (out / "truth.jsonl").open() as truth:
        for line, truth_line in zip(ads, truth, strict=True):
            advert, labels = json.loads(line), json.loads(truth_line)
            text = "\n\n".join(p for p in (advert["title"], advert["body"]) if p)
            labelled.append((text, labels["identifiers"]))
    return labelled


@pytest.fixture(scope="session")
def corpus_of(
    _labelled: list[tuple[str, list[dict[str, str]]]],
) -> Callable[[str], list[Row]]:
    """``corpus_of("email")``: every advert with its true e-mails."""

    def rows(kind: str) -> list[Row]:
        out: list[Row] = []
        for text, identifiers in _labelled:
            mine = [x for x in identifiers if x["kind"] == kind]
            out.append((text, {x["value"] for x in mine}, mine))
        return out

    return rows


Score = Callable[[Callable[[str], set[str]], list[Row]], tuple[int, float, float]]


@pytest.fixture(scope="session")
def score() -> Score:
    """``score(values_of, rows)``: true hits, precision and recall, comparing per advert the
    set of values found in its text with the true set."""

    def measure(values_of: Callable[[str], set[str]], rows: list[Row]) -> tuple[int, float, float]:
        tp = fp = fn = 0
        for text, want, _ in rows:
            got = values_of(text)
            tp, fp, fn = tp + len(got & want), fp + len(got - want), fn + len(want - got)
        return tp, tp / max(tp + fp, 1), tp / max(tp + fn, 1)

    return measure

"""Extractors against the synthetic corpus's truth (a seed the benchmark does not use).

Kinds with checks of their own on the corpus (e-mail obfuscation styles, phones by country)
keep them in their own files; these share one measure.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from extract_helpers import ad

from threadline.extract import handle, payment, url
from threadline.extract.base import Found
from threadline.model import Ad


@pytest.mark.parametrize(
    ("kind", "find", "min_hits"),
    [("handle", handle.find, 200), ("url", url.find, 200), ("payment", payment.find, 20)],
    ids=["handle", "url", "payment"],
)
def test_synthetic_corpus_precision_and_recall(
    kind: str,
    find: Callable[[Ad], list[Found]],
    min_hits: int,
    corpus_of: Callable[[str], list[tuple[str, set[str], list[dict[str, str]]]]],
    score: Callable[..., tuple[int, float, float]],
) -> None:
    hits, precision, recall = score(lambda text: {f.value for f in find(ad(text))}, corpus_of(kind))
    assert hits > min_hits
    assert precision >= 0.9
    assert recall >= 0.9

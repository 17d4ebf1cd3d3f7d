"""The hand-labelled indicator snippets: well formed, balanced, and every label known."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from threadline.indicators.categories import CATEGORIES, LANGUAGES

PATH = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "indicator_snippets.jsonl"
RECORDS = [json.loads(line) for line in PATH.read_text("utf-8").splitlines() if line.strip()]
LABELS = {n for n, c in CATEGORIES.items() if c.kind != "context"}


def test_ids_fields_and_values() -> None:
    assert len(RECORDS) >= 300
    assert len({r["id"] for r in RECORDS}) == len(RECORDS)
    for r in RECORDS:
        assert {"id", "lang", "domain", "labels", "text"} <= set(r), r["id"]
        assert r["lang"] in LANGUAGES, r["id"]
        assert r["domain"] in {"sexual_services", "job", "other"}, r["id"]
        assert set(r["labels"]) <= LABELS, r["id"]
        assert r["text"].strip(), r["id"]
        if r["domain"] == "other":  # news and warnings quote indicators; they state none
            assert r["labels"] == [], r["id"]


def test_every_category_in_every_language() -> None:
    seen = Counter((label, r["lang"]) for r in RECORDS for label in r["labels"])
    for label in LABELS:
        for lang in LANGUAGES:
            assert seen[(label, lang)] >= 3, (label, lang)


def test_enough_snippets_without_indicators() -> None:
    clean = [
        r
        for r in RECORDS
        if not set(r["labels"]) & {n for n, c in CATEGORIES.items() if c.kind == "indicator"}
    ]
    assert len(clean) >= 60

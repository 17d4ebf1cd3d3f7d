"""The truth's ``slots`` and ``obfuscated`` fields, which the linking benchmark breaks down by."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from threadline.synth import generate
from threadline.synth.render import CHANGING_SLOTS
from threadline.synth.styles import OBFUSCATED_STYLES


@pytest.fixture(scope="module")
def truth(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, object]]:
    out = tmp_path_factory.mktemp("truth-fields")
    generate(600, 5, out)
    lines = (out / "truth.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def test_slots_count_the_changing_slots_of_the_template_version(
    truth: list[dict[str, object]],
) -> None:
    assert {"name", "name2", "age", "age2", "city", "price", "date"} == CHANGING_SLOTS
    counts: dict[object, set[int]] = {r["kind"]: set() for r in truth}
    for record in truth:
        slots = record["slots"]
        assert isinstance(slots, int)
        assert 0 <= slots <= len(CHANGING_SLOTS)
        counts[record["kind"]].add(slots)
    # adult adverts fill names, ages, cities and prices; lures at most a date
    assert min(counts["adult_services"]) >= 3
    assert max(counts["labour_lure"] | counts["sexual_lure"]) <= 1


def test_obfuscated_says_whether_a_contact_was_written_to_dodge_filters(
    truth: list[dict[str, object]],
) -> None:
    flagged = 0
    for record in truth:
        identifiers = record["identifiers"]
        assert isinstance(identifiers, list)
        styles = {i["style"] for i in identifiers}
        assert record["obfuscated"] == bool(styles & OBFUSCATED_STYLES)
        flagged += bool(record["obfuscated"])
    assert 0 < flagged < len(truth)


def test_the_fields_draw_no_random_numbers(tmp_path: Path) -> None:
    # the adverts depend only on (count, seed): the truth fields must not shift the stream
    generate(200, 3, tmp_path / "a")
    generate(200, 3, tmp_path / "b")
    first = (tmp_path / "a" / "adverts.jsonl").read_bytes()
    assert first == (tmp_path / "b" / "adverts.jsonl").read_bytes()
    assert b'"slots"' not in first

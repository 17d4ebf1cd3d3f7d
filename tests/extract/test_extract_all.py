"""All extractors together: every stage is registered, versioned, and keeps its promises on
arbitrary text; the CLI filter prints one JSON object per advert."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from threadline.cli import app
from threadline.extract import KINDS, all_stages, find_all
from threadline.model import Ad, Doc

PIECES = st.one_of(
    st.text(max_size=8),
    st.sampled_from(list("0123456789@.$:/+-() ")),
    st.sampled_from(["6️⃣", "８", "zero", " at ", " dot ", "wa.me/", "0x", "bc1q", "€", "$"]),
)
TRICKY = st.lists(PIECES, max_size=60).map("".join)


def _ad(text: str, place: str | None = None) -> Ad:
    return Ad(id="ad-x", source="t", title="", body=text, content_hash="x", place=place)


def test_every_kind_has_a_versioned_stage() -> None:
    stages = all_stages()
    assert [s.name for s in stages] == [f"extract.{k}" for k in KINDS]
    assert all(s.version >= 1 for s in stages)
    assert all(s.requires == frozenset({"ad"}) for s in stages)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TRICKY, st.sampled_from([None, "Lyon, France", "Lisboa, Portugal", "Texas", "🙂"]))
def test_find_all_never_raises_and_spans_point_at_their_text(text: str, place: str | None) -> None:
    ad = _ad(text, place)
    for found in find_all(ad):
        assert ad.text[found.span.start : found.span.end] == found.raw
        assert found.kind in KINDS
        assert 0.0 <= found.confidence <= 1.0
        assert found.value


def test_stages_give_identifiers_with_provenance() -> None:
    ad = _ad(
        "Work in Lisbon, 2.500 EUR per month. WhatsApp +351 912 345 678, mail a.b@mail.example"
    )
    doc = Doc(ad=ad)
    for stage in all_stages():
        doc = stage(doc)
    kinds = {i.kind for i in doc.identifiers}
    assert {"phone", "email", "price", "place", "language"} <= kinds
    phone = next(i for i in doc.identifiers if i.kind == "phone")
    assert (phone.value, phone.stage, phone.ad_id) == ("+351912345678", "extract.phone@1", "ad-x")


def test_extract_filter_prints_one_json_object_per_advert(tmp_path: Path) -> None:
    src = tmp_path / "ads.txt"
    src.write_text(
        "Call zero zero three three six one two three four five six seven eight, Paris\n"
        "\n"
        "no contact here at all\n"
        "USDT TRC20: TUD7qWm6QBwxVR4kQVwnkgcoReCg5qFwiU thanks\n",
        "utf-8",
    )
    result = CliRunner().invoke(app, ["extract", str(src), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [obj["id"] for obj in lines] == ["1", "3", "4"]
    phones = [i for i in lines[0]["identifiers"] if i["kind"] == "phone"]
    assert phones[0]["value"] == "+33612345678"
    wallet = next(i for i in lines[2]["identifiers"] if i["kind"] == "wallet")
    assert wallet["chain"] == "tron"
    text = src.read_text("utf-8").splitlines()[3]
    start, end = wallet["span"]
    assert text[start:end] == wallet["raw"]


def test_extract_filter_exits_non_zero_when_an_input_cannot_be_read(tmp_path: Path) -> None:
    good = tmp_path / "ads.txt"
    good.write_text("Mail anna.b@mail.example today\n", "utf-8")
    result = CliRunner().invoke(app, ["extract", str(tmp_path / "nope.jsonl"), str(good)])
    assert result.exit_code == 1
    assert "does not exist" in result.output
    assert "anna.b@mail.example" in result.output

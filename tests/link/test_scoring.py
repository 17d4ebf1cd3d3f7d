"""Scored links, operations, and ``threadline link FILE`` on a synthetic corpus with truth."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from pathlib import Path

import pytest
from typer.testing import CliRunner

from threadline.cli import app
from threadline.link.scoring import (
    HUB_WEIGHT,
    LINK_THRESHOLD,
    KeyVerdict,
    Sharing,
    operations,
    score_signatures,
)
from threadline.link.signatures import SETTINGS, pack
from threadline.model import Evidence, Link, LinkSignature
from threadline.synth import generate


def record(ad_id: str, keys: tuple[str, ...] = (), minhash: bytes = b"") -> LinkSignature:
    return LinkSignature(ad_id, SETTINGS, minhash, 10 if minhash else 0, keys)


def test_a_shared_identifier_is_evidence_unless_judged_a_shared_line() -> None:
    a, b = record("a", ("phone=+15550101",)), record("b", ("phone=+15550101",))
    rare = score_signatures(b, a, Sharing.of([a, b]))
    assert (rare.a, rare.b) == ("a", "b")
    assert rare.weight == pytest.approx(0.9)
    assert rare.evidence == (Evidence("phone", "shared phone +15550101", 0.9),)
    # an operation's key keeps its weight however many adverts carry it
    others = [record(f"o{n}", ("phone=+15550101",)) for n in range(98)]
    common = score_signatures(a, b, Sharing.of([a, b, *others]))
    assert common.weight == pytest.approx(0.9)
    assert "in 100 adverts" in common.evidence[0].detail
    # a key judged a shared line weighs little and says why
    hub = Sharing({"phone=+15550101": 100}, {"phone=+15550101": KeyVerdict(100, 40, 2, True)})
    line = score_signatures(a, b, hub)
    assert line.weight == pytest.approx(HUB_WEIGHT)
    assert "shared line" in line.evidence[0].detail
    # a key never judged (counts only) weighs less the more it is shared
    counted = score_signatures(a, b, Sharing({"phone=+15550101": 100}))
    assert counted.weight == pytest.approx(0.18)


def test_a_template_alone_never_makes_a_strong_link() -> None:
    hashes = pack(range(128))
    a, b = record("a", minhash=hashes), record("b", minhash=hashes)
    alone = score_signatures(a, b, Sharing.of([a, b]))
    assert alone.evidence[0].kind == "template"
    assert alone.weight < LINK_THRESHOLD
    a = record("a", ("handle=telegram:x",), hashes)
    b = record("b", ("handle=telegram:x",), hashes)
    both = score_signatures(a, b, Sharing.of([a, b]))
    assert both.weight >= LINK_THRESHOLD
    assert {e.kind for e in both.evidence} == {"handle", "template"}


def test_operations_are_connected_components_with_stable_ids() -> None:
    links = [
        Link("a", "b", 0.9, (), "t@1"),
        Link("b", "c", 0.9, (), "t@1"),
        Link("x", "y", 0.8, (), "t@1"),
    ]
    ops = operations(links)
    assert [op.members for op in ops] == [("a", "b", "c"), ("x", "y")]
    assert ops[0].score == pytest.approx(0.9)
    assert [op.id for op in operations(list(reversed(links)))] == [op.id for op in ops]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("link")
    generate(1500, 23, out)
    return out


def test_link_filter_names_every_advert_and_links_shared_identifiers(corpus: Path) -> None:
    # quality against the truth (precision, recall by slots) belongs to the linking benchmark;
    # here: the filter's contract
    result = CliRunner().invoke(app, ["link", str(corpus / "adverts.jsonl")])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    truth = {}
    with (corpus / "truth.jsonl").open(encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            truth[record["id"]] = record
    assert [r["id"] for r in rows] == list(truth)  # every advert, in input order
    operation = {r["id"]: r["operation"] for r in rows}
    assert any(operation.values())
    assert not all(operation.values())
    by_phone: dict[str, list[str]] = defaultdict(list)
    for ad_id, record in truth.items():
        for ident in record["identifiers"]:
            if ident["kind"] == "phone":
                by_phone[ident["value"]].append(ad_id)
    pairs = [ids for ids in by_phone.values() if len(ids) == 2]
    assert pairs
    for a, b in pairs:  # a phone two adverts share (and nobody else) links them
        assert operation[a]
        assert operation[a] == operation[b]


def test_link_text_format_explains_the_links(corpus: Path, tmp_path: Path) -> None:
    sample = tmp_path / "sample.jsonl"
    sample.write_text(
        "".join((corpus / "adverts.jsonl").read_text("utf-8").splitlines(keepends=True)[:200]),
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["link", str(sample), "--format", "text"])
    assert result.exit_code == 0, result.output
    assert "shared " in result.output


def test_link_reports_an_unreadable_input_and_exits_non_zero(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["link", str(tmp_path / "missing.jsonl")])
    assert result.exit_code == 1
    assert "no-such-file" in result.output

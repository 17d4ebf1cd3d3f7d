"""Pictures become linking keys through near PDQ hashes; business service lines never join."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from threadline.extract import all_stages
from threadline.ingest import ParseStage
from threadline.link.blocking import identifier_keys, is_service_line
from threadline.link.pictures import with_picture_keys
from threadline.link.scoring import LINK_THRESHOLD, link_docs, link_signatures
from threadline.link.signatures import picture_keys
from threadline.model import Doc, Identifier, LinkSignature, RawRecord, Span
from threadline.pipeline import process_batch
from threadline.synth import generate


def flip(pdq: str, bits: int) -> str:
    """``pdq`` with its lowest ``bits`` bits inverted."""
    return f"{int(pdq, 16) ^ ((1 << bits) - 1):064x}"


BASE = "a5" * 32


def sig(ad_id: str, *pictures: str, when: str = "2026-01-01T00:00:00+00:00") -> LinkSignature:
    keys = tuple(picture_keys(pictures))
    return LinkSignature(ad_id, "s", b"", 0, keys, posted_at=when, pictures=pictures)


def test_near_copies_share_one_picture_key_and_far_ones_do_not() -> None:
    near, far = flip(BASE, 20), flip(BASE, 200)
    out = {s.ad_id: s for s in with_picture_keys([sig("a", BASE), sig("b", near), sig("c", far)])}
    key = [k for k in out["a"].keys if k.startswith("picture=")]
    assert key
    assert key == [k for k in out["b"].keys if k.startswith("picture=")]
    assert not [k for k in out["c"].keys if k.startswith("picture=")]


def test_a_shared_picture_links_two_adverts_with_its_evidence() -> None:
    linked = link_signatures([sig("a", BASE), sig("b", flip(BASE, 10))])
    [link] = linked.links
    assert link.weight >= LINK_THRESHOLD
    assert [e.kind for e in link.evidence] == ["picture"]


def phone(value: str) -> Identifier:
    return Identifier("x", "phone", value, value, Span(0, 1), 1.0, "extract.phone@1")


def test_service_lines_are_kept_apart_as_weak_evidence() -> None:
    assert is_service_line("+33800935423")  # French toll-free
    assert not is_service_line("+33612345678")  # French mobile
    keys = identifier_keys([phone("+33800935423"), phone("+33612345678")])
    assert keys == ["line=+33800935423", "phone=+33612345678"]
    a = LinkSignature("a", "s", b"", 0, ("line=+33800935423",), posted_at="2026-01-01")
    b = LinkSignature("b", "s", b"", 0, ("line=+33800935423",), posted_at="2026-01-02")
    assert link_signatures([a, b]).operations == []  # a service line never joins


@pytest.fixture(scope="module")
def pictured(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pictured")
    generate(300, 4, folder, images=True)
    return folder


def test_synthetic_reposts_link_through_their_pictures(pictured: Path) -> None:
    parse = ParseStage()
    lines = (pictured / "adverts.jsonl").read_text(encoding="utf-8").splitlines()
    docs = [
        Doc(ad=parse.parse(RawRecord("synth", f"f:{n}", json.loads(line))))
        for n, line in enumerate(lines)
    ]
    docs = process_batch(docs, all_stages()).docs
    without = link_docs(docs)
    found = link_docs(docs, image_root=pictured)
    kinds = {e.kind for link in found.links for e in link.evidence}
    assert "picture" in kinds
    assert not {e.kind for link in without.links for e in link.evidence} & {"picture"}
    assert sum(len(op.members) for op in found.operations) >= sum(
        len(op.members) for op in without.operations
    )

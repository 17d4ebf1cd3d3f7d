"""The compact per-advert record (LinkSignature) and linking from records alone."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from threadline.extract import all_stages
from threadline.link import (
    Sharing,
    link_docs,
    link_signatures,
    operations,
    score_signatures,
    sign_doc,
    similarity,
)
from threadline.link.signatures import SETTINGS
from threadline.model import Ad, Doc, Link, LinkSignature

TEXT = (
    "{name}, 23 - new in Lyon\n\nSweet and friendly {name} has just arrived in Lyon. "
    "Relaxing massage and pleasant company in a clean, discreet apartment. Incall only. "
    "150 EUR per hour. Call or text {phone}"
)


def doc(ad_id: str, name: str, phone: str, when: datetime | None = None) -> Doc:
    title, _, body = TEXT.format(name=name, phone=phone).partition("\n\n")
    d = Doc(
        ad=Ad(
            id=ad_id,
            source="site-a",
            title=title,
            body=body,
            content_hash=ad_id,
            posted_at=when,
            place="Lyon, FR",
        )
    )
    for stage in all_stages():
        d = stage(d)
    return d


def test_sign_doc_makes_a_plain_record_with_keys_time_place_and_source() -> None:
    sig = sign_doc(doc("ad-1", "Anna", "+33 6 12 34 56 78", datetime(2026, 2, 1, tzinfo=UTC)))
    assert sig is not None
    assert sig.ad_id == "ad-1"
    assert sig.settings == SETTINGS
    assert len(sig.minhash) == 128 * 4
    assert sig.shingles > 10
    assert "phone=+33612345678" in sig.keys
    assert any(k.startswith("wording=") for k in sig.keys)
    assert sig.posted_at == "2026-02-01T00:00:00+00:00"
    assert (sig.place, sig.source, sig.language) == ("Lyon, FR", "site-a", "en")
    assert LinkSignature(**{f: getattr(sig, f) for f in sig.__dataclass_fields__}) == sig
    assert sign_doc(Doc()) is None


def test_records_made_with_other_settings_do_not_compare() -> None:
    sig = sign_doc(doc("ad-1", "Anna", "+33 6 12 34 56 78"))
    assert sig is not None
    assert similarity(sig, sig) == 1.0
    other = replace(sig, settings="minhash-other;seed=1")
    with pytest.raises(ValueError, match="different settings"):
        similarity(sig, other)


def test_link_signatures_links_from_records_only_and_applies_adjust() -> None:
    docs = [
        doc("ad-1", "Anna", "+33 6 12 34 56 78"),
        doc("ad-2", "Anna", "+33 6 12 34 56 78"),
        doc("ad-3", "Maria", "+33 7 81 22 43 90"),
    ]
    sigs = [s for s in map(sign_doc, docs) if s is not None]
    linked = link_signatures(sigs)
    assert [op.members for op in linked.operations] == [("ad-1", "ad-2")]
    assert link_docs(docs).operation_of() == linked.operation_of()
    pair = linked.links[0]
    assert {e.kind for e in pair.evidence} >= {"phone"}
    # analyst judgements: a rejected link is dropped, a confirmed one added
    confirmed = Link("ad-2", "ad-3", 1.0, (), "judgement@1")
    judged = link_signatures(sigs, adjust=lambda links: [confirmed])
    assert [op.members for op in judged.operations] == [("ad-2", "ad-3")]


def test_score_signatures_scores_one_pair_for_incremental_linking() -> None:
    old = sign_doc(doc("ad-9", "Anna", "+33 6 12 34 56 78"))
    new = sign_doc(doc("ad-1", "Anna", "+33 6 12 34 56 78"))
    assert old is not None
    assert new is not None
    link = score_signatures(old, new, Sharing.of([old, new]))
    assert (link.a, link.b) == ("ad-1", "ad-9")
    assert link.weight >= 0.75
    assert all(e.score > 0 for e in link.evidence)


def test_operation_ids_derive_from_members_and_do_not_depend_on_order() -> None:
    links = [Link("b", "c", 0.9, (), "t@1"), Link("a", "b", 0.9, (), "t@1")]
    first = operations(links)
    again = operations(list(reversed(links)))
    assert first == again
    assert first[0].members == ("a", "b", "c")
    assert operations([Link("a", "z", 0.9, (), "t@1")])[0].id == first[0].id

"""Linking over the store, on both backends: full and incremental runs agree, judgements
survive re-linking, and what a run needs is asked for clearly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sklearn.metrics import adjusted_rand_score  # type: ignore[import-untyped]

from threadline.extract import all_stages
from threadline.indicators import indicator_stages
from threadline.ingest import ingest
from threadline.link.judgements import link_subject
from threadline.link.stage import link_stages
from threadline.linking import NotScanned, judge, link_store
from threadline.model import Judgement
from threadline.scan import scan
from threadline.store import SqlStore, open_store
from threadline.synth import generate


@pytest.fixture(scope="module")
def halves(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A synthetic corpus cut in two: what arrived first, and what arrived later."""
    folder = tmp_path_factory.mktemp("halves")
    generate(1200, 31, folder)
    lines = (folder / "adverts.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    first, later = folder / "first.jsonl", folder / "later.jsonl"
    first.write_text("".join(lines[:900]), encoding="utf-8")
    later.write_text("".join(lines[900:]), encoding="utf-8")
    return first, later


def add(store: SqlStore, path: Path, *, new_only: bool = False) -> int:
    """Ingest and scan; the number of adverts the scan read."""
    ingest([path], store, source="synth")
    return scan(store, [*all_stages(), *indicator_stages(), *link_stages()], new_only=new_only).read


def partition(store: SqlStore) -> dict[str, str]:
    ids = [ad.id for batch in store.iter_ads() for ad in batch]
    found = store.operations_of(ids)
    return {ad_id: found.get(ad_id, f"alone:{ad_id}") for ad_id in ids}


@pytest.fixture
def linked(store: SqlStore, halves: tuple[Path, Path]) -> SqlStore:
    add(store, halves[0])
    assert link_store(store).mode == "full"
    return store


def test_linking_needs_a_scan_first(store: SqlStore, halves: tuple[Path, Path]) -> None:
    ingest([halves[0]], store, source="synth")
    with pytest.raises(NotScanned, match="900 stored adverts have not been scanned"):
        link_store(store)


def test_a_full_run_writes_ranked_operations_with_evidence(linked: SqlStore) -> None:
    profiles = linked.list_operations(limit=1000)
    assert profiles
    assert [p.rank for p in profiles] == list(range(1, len(profiles) + 1))
    assert [p.score for p in profiles] == sorted((p.score for p in profiles), reverse=True)
    top = profiles[0]
    assert top.explanation
    assert 0 < top.score < 1
    members = linked.operation_members(top.id)
    assert len(members) == top.size >= 2
    links = linked.links_among(members)
    assert links
    assert all(link.evidence for link in links)
    stats = linked.stats()
    assert stats.operations == linked.count_operations() == len(profiles)
    assert stats.linked_adverts == sum(p.size for p in profiles)
    # each member is held by at least one strong link inside the operation
    held = {x for link in links if link.weight >= 0.75 for x in (link.a, link.b)}
    assert set(members) <= held


def test_nothing_new_then_incremental_equals_full(
    linked: SqlStore, halves: tuple[Path, Path], tmp_path: Path
) -> None:
    assert link_store(linked).mode == "nothing new"
    assert add(linked, halves[1], new_only=True) == 300  # the new adverts only
    assert linked.count_signatures(unlinked=True) == 300
    assert scan(linked, [*all_stages(), *link_stages()]).read == 1200  # a full re-scan...
    assert linked.count_signatures(unlinked=True) == 300  # ...leaves unchanged adverts weighed
    report = link_store(linked)
    assert report.mode == "incremental"
    assert report.adverts == 300
    incremental = partition(linked)
    assert link_store(linked, full=True).mode == "full"
    full = partition(linked)
    ids = sorted(full)
    assert adjusted_rand_score([incremental[i] for i in ids], [full[i] for i in ids]) == 1.0


def test_judgements_apply_at_once_and_survive_a_full_run(linked: SqlStore) -> None:
    top = linked.list_operations(limit=1)[0]
    members = linked.operation_members(top.id)
    strongest = linked.links_among(members)[0]

    judge(linked, Judgement("link", link_subject(strongest.a, strongest.b), "reject", "ana"))
    assert all((k.a, k.b) != (strongest.a, strongest.b) for k in linked.links_among(members))

    outsider = next(
        ad.id
        for batch in linked.iter_ads()
        for ad in batch
        if ad.id not in linked.operations_of([ad.id])
    )
    judge(linked, Judgement("link", link_subject(members[0], outsider), "confirm", "ana"))
    ops = linked.operations_of([members[0], outsider])
    assert ops[members[0]] == ops[outsider]
    evidence = [
        e
        for link in linked.links_among([members[0], outsider])
        for e in link.evidence
        if e.kind == "analyst"
    ]
    assert evidence
    assert "confirmed by ana" in evidence[0].detail

    before = partition(linked)
    link_store(linked, full=True)
    assert partition(linked) == before  # judgements are applied to every later run
    assert [j.verdict for j in linked.list_judgements()] == ["reject", "confirm"]


def test_rejecting_an_identifier_stops_it_counting(linked: SqlStore) -> None:
    sigs = [s for batch in linked.iter_signatures() for s in batch]
    counts: dict[str, int] = {}
    for s in sigs:
        for key in s.keys:
            if key.startswith("phone="):
                counts[key] = counts.get(key, 0) + 1
    phone = max(counts, key=lambda k: counts[k])
    judge(linked, Judgement("identifier", phone, "reject", "ana", note="agency switchboard"))
    value = phone.partition("=")[2]
    holders = [s.ad_id for s in sigs if phone in s.keys]
    for link in linked.links_among(holders):
        assert all(value not in e.detail for e in link.evidence)


def test_rejecting_an_operation_parts_its_members(linked: SqlStore) -> None:
    top = linked.list_operations(limit=1)[0]
    members = linked.operation_members(top.id)
    judge(linked, Judgement("operation", top.id, "reject", "ana", members=tuple(members)))
    assert linked.links_among(members) == []
    assert linked.get_operation(top.id) is None
    together = linked.operations_of(members)
    assert len(together) < len(members) or len(set(together.values())) > 1


def test_stored_signatures_round_trip(linked: SqlStore, store_url: str) -> None:
    sig = next(iter(linked.iter_signatures(batch_size=1)))[0]
    again = open_store(store_url)
    try:
        assert again.signatures_of([sig.ad_id]) == [sig]
    finally:
        again.close()
    assert json.dumps(sorted(sig.keys))  # plain data


def test_signatures_of_another_version_are_refused_with_what_to_do(linked: SqlStore) -> None:
    from dataclasses import replace

    from threadline.linking import MixedSignatures

    first = next(iter(linked.iter_signatures(batch_size=1)))[0]
    with linked.engine.begin() as conn:
        linked._write_signatures(conn, [first.ad_id], [replace(first, settings="old")], "t")
    with pytest.raises(MixedSignatures, match="run `threadline scan`"):
        link_store(linked, full=True)

"""Scanning the store: stages run over stored adverts, and a re-scan replaces, never adds."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from threadline.extract.base import ExtractStage, Found
from threadline.model import Ad, Doc, Span
from threadline.pipeline import Stage
from threadline.scan import scan
from threadline.store import SqlStore

_DIGITS = re.compile(r"\d{6,}")


def _numbers(ad: Ad) -> list[Found]:
    if "explode" in ad.text:
        raise RuntimeError("extractor bug")
    return [
        Found("phone", "+" + m.group(), m.group(), Span(m.start(), m.end()), 0.9)
        for m in _DIGITS.finditer(ad.text)
    ]


NUMBERS_V1 = ExtractStage("extract.test_numbers", 1, _numbers)
NUMBERS_V2 = ExtractStage("extract.test_numbers", 2, _numbers)


def test_scan_writes_identifiers_with_provenance_and_rescans_replace(
    store: SqlStore, make_ad: Callable[..., Ad]
) -> None:
    ads = [
        make_ad(title="Cook", body="Call 61234567 or 61234567 today", id="a1"),
        make_ad(title="Driver", body="No number here", id="a2"),
        make_ad(title="Cleaner", body="Ring 79876543; explode", id="a3"),
    ]
    store.write_batch([Doc(ad=a) for a in ads], [])

    first = scan(store, [NUMBERS_V1], batch_size=2)
    assert (first.read, first.written) == (3, 2)
    assert first.quarantined == {"stage-error": 1}
    found = store.identifiers_of("a1")
    assert [(i.value, i.span.start, i.stage) for i in found] == [
        ("+61234567", 11, "extract.test_numbers@1"),
        ("+61234567", 23, "extract.test_numbers@1"),
    ]
    ad = store.get_ad("a1")
    assert ad is not None
    assert all(ad.text[i.span.start : i.span.end] == i.raw for i in found)

    again = scan(store, [NUMBERS_V1], batch_size=2)
    assert again.written == 2
    assert store.stats().identifiers == {"phone": 2}
    assert sum(store.stats().quarantined.values()) == 1  # the same failure, kept once

    newer = scan(store, [NUMBERS_V2], batch_size=2)
    assert newer.written == 2
    assert store.stats().identifiers == {"phone": 2}  # the old version's values replaced
    assert {i.stage for i in store.identifiers_of("a1")} == {"extract.test_numbers@2"}


def test_a_scan_in_worker_processes_writes_what_one_process_writes(tmp_path: Path) -> None:
    from threadline.extract import all_stages
    from threadline.indicators import indicator_stages
    from threadline.ingest import ingest
    from threadline.link.stage import link_stages
    from threadline.store import open_store
    from threadline.synth import generate

    generate(400, 3, tmp_path / "corpus")
    stages: list[Stage] = [*all_stages(), *indicator_stages(), *link_stages()]
    found = []
    for workers in (1, 2):
        with open_store(f"sqlite:///{tmp_path / f'w{workers}.db'}") as store:
            ingest([tmp_path / "corpus" / "adverts.jsonl"], store, source="synth")
            report = scan(store, stages, batch_size=150, workers=workers)
            assert report.read == 400
            ids = sorted(ad.id for page in store.iter_ads() for ad in page)
            found.append(
                [
                    (
                        [(i.kind, i.value, i.span) for i in store.identifiers_of(ad_id)],
                        [f.rule_id for f in store.flags_of(ad_id)],
                        store.signatures_of([ad_id]),
                    )
                    for ad_id in ids
                ]
            )
    assert found[0] == found[1]
    assert any(identifiers for identifiers, _, _ in found[0])

"""Scanning the store: stages run over stored adverts, and a re-scan replaces, never adds."""

from __future__ import annotations

import re
from collections.abc import Callable

from threadline.extract.base import ExtractStage, Found
from threadline.model import Ad, Doc, Span
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

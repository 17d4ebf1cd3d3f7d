"""The raw record survives storage exactly, although fields equal to the advert's title or
body are stored by reference to those columns."""

from __future__ import annotations

from collections.abc import Callable

from threadline.model import Ad, Doc
from threadline.store import SqlStore


def test_raw_fields_stored_by_reference_come_back_exactly(
    store: SqlStore, make_ad: Callable[..., Ad]
) -> None:
    raw = {
        "headline": "Hostess wanted",
        "ad_text": "Good pay, travel arranged.",
        "copy_of_text": "Good pay, travel arranged.",
        "padded": "  Hostess wanted  ",
        "own_marker": {"$ad": "body"},
        "nested": {"$ad": None, "value": 3},
        "empty": "",
        "n": 7,
    }
    ad = make_ad(title="Hostess wanted", body="Good pay, travel arranged.", raw=raw)
    store.write_batch([Doc(ad=ad)], [])
    back = store.get_ad(ad.id)
    assert back is not None
    assert back.raw == raw
    assert list(back.raw) == list(raw)  # key order kept

"""Scan: run analysis stages over the adverts already in the store.

The same stages run here as in the filter commands and on Dask; this module only feeds them
the stored adverts and hands each batch back to the store, which replaces what earlier runs of
the same stages derived, so a scan can be repeated (after a rule or extractor update) without
ever duplicating a value.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from threadline.model import Doc
from threadline.pipeline import Batch, RunReport, SinkResult, Stage, run
from threadline.store.base import Store


def scan(
    store: Store,
    stages: Sequence[Stage],
    *,
    batch_size: int = 5000,
    progress: bool = False,
    new_only: bool = False,
    workers: int = 1,
) -> RunReport:
    """Run ``stages`` over every stored advert (``new_only``: those never scanned);
    ``report.written`` counts derived values."""
    names = {s.name for s in stages}

    def docs() -> Iterator[Doc]:
        for page in store.iter_ads(batch_size=batch_size, unscanned=new_only):
            for ad in page:
                yield Doc(ad=ad)

    def write(batch: Batch) -> SinkResult:
        return SinkResult(store.write_derived(batch.docs, batch.quarantined, names), 0)

    return run(
        docs(),
        stages,
        sink=write,
        batch_size=batch_size,
        progress=progress,
        total=store.count_unsigned() if new_only else store.count_ads(),
        description="scanning",
        available=("raw", "ad"),
        workers=workers,
    )

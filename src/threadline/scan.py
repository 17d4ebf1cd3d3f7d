"""Scan: run analysis stages over the adverts already in the store.

The same stages run here as in the filter commands and on Dask; this module only feeds them
the stored adverts and hands each batch back to the store, which replaces what earlier runs of
the same stages derived, so a scan can be repeated (after a rule or extractor update) without
ever duplicating a value. With several workers, each worker process reads a batch, runs the
stages and writes the result itself (see :func:`_scan_in_processes`).
"""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any

from threadline.model import Doc
from threadline.pipeline import (
    GC_YOUNG_THRESHOLD,
    Batch,
    RunReport,
    SinkResult,
    Stage,
    check_order,
    process_batch,
    progress_bar,
    run,
)
from threadline.store import open_store
from threadline.store.base import Store
from threadline.store.sql import SqlStore


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

    if workers > 1 and isinstance(store, SqlStore):
        return _scan_in_processes(store, stages, batch_size, progress, new_only, workers)
    return run(
        docs(),
        stages,
        sink=write,
        batch_size=batch_size,
        progress=progress,
        total=store.count_unsigned() if new_only else store.count_ads(),
        description="scanning",
        available=("raw", "ad"),
    )


# One store and one stage list per worker process, opened once by the pool's initializer.
_worker: dict[str, Any] = {}


def _worker_start(url: str, stages: Sequence[Stage]) -> None:
    _worker["store"] = open_store(url)
    _worker["stages"] = list(stages)
    gc.set_threshold(GC_YOUNG_THRESHOLD, *gc.get_threshold()[1:])


def _scan_batch(first: int, last: int, new_only: bool) -> tuple[Batch, int]:
    """One batch in a worker: read it, run the stages, write what they derived."""
    store: SqlStore = _worker["store"]
    stages: list[Stage] = _worker["stages"]
    batch = process_batch(
        [Doc(ad=ad) for ad in store.ads_between(first, last, unscanned=new_only)], stages
    )
    written = store.write_derived(batch.docs, batch.quarantined, {s.name for s in stages})
    return Batch(quarantined=batch.quarantined, read=batch.read), written


def _scan_in_processes(
    store: SqlStore,
    stages: Sequence[Stage],
    batch_size: int,
    progress: bool,
    new_only: bool,
    workers: int,
) -> RunReport:
    """The scan with each worker process reading, scanning and writing whole batches: the
    stages and the encoding of rows run in parallel, and only the database's own writing is
    one at a time (SQLite's write lock, PostgreSQL's advisory lock). Nothing crosses between
    processes but batch positions and counts."""
    check_order(stages, ("raw", "ad"))
    ranges = store.seq_ranges(batch_size, unscanned=new_only)
    total = store.count_unsigned() if new_only else store.count_ads()
    report = RunReport()
    context = multiprocessing.get_context("forkserver")
    with (
        ProcessPoolExecutor(
            workers,
            mp_context=context,
            initializer=_worker_start,
            initargs=(store.engine.url.render_as_string(hide_password=False), list(stages)),
        ) as pool,
        progress_bar("scanning", total, enabled=progress) as advance,
    ):
        futures = [pool.submit(_scan_batch, first, last, new_only) for first, last in ranges]
        try:
            for future in as_completed(futures):
                batch, written = future.result()
                report.add(batch, SinkResult(written, 0))
                advance(batch.read)
        except BaseException:
            # a failed batch (its transaction rolled back) stops the scan now, not after
            # every queued batch has run; re-running scans what was not written
            pool.shutdown(cancel_futures=True)
            raise
    return report

"""Ingest: read adverts from files and folders, parse them, and write them to the store.

Every input becomes records or quarantine entries; the pipeline runner parses them in batches
and the store writes each batch in one transaction, so an interrupted ingest leaves no
half-written batch and running it again completes the job (already stored adverts are
recognised by their content-derived id and counted as duplicates).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from threadline.ingest.mapping import FieldMapping
from threadline.ingest.parse import HtmlStage, ParseStage, content_hash, parse_datetime
from threadline.ingest.readers import Item, count_records, read_path
from threadline.pipeline import Batch, RunReport, Sink, SinkResult, Stage, run
from threadline.settings import Settings
from threadline.store.base import Store

__all__ = [
    "FieldMapping",
    "HtmlStage",
    "ParseStage",
    "content_hash",
    "ingest",
    "ingest_stages",
    "parse_datetime",
    "read_inputs",
]


def ingest_stages(
    mapping: FieldMapping | None = None, settings: Settings | None = None
) -> list[Stage]:
    """The stages that turn raw records into adverts: page extraction, then parsing."""
    settings = settings or Settings()
    return [
        HtmlStage(),
        ParseStage(mapping or FieldMapping(), max_field_chars=settings.max_field_chars),
    ]


def read_inputs(paths: Sequence[Path], source: str | None = None) -> Iterator[Item]:
    """All records of all inputs, in order."""
    return itertools.chain.from_iterable(read_path(p, source) for p in paths)


def store_sink(store: Store) -> Sink:
    def write(batch: Batch) -> SinkResult:
        result = store.write_batch(batch.docs, batch.quarantined)
        return SinkResult(written=result.written, duplicate=result.duplicate)

    return write


def ingest(
    paths: Iterable[Path | str],
    store: Store,
    *,
    source: str | None = None,
    mapping: FieldMapping | None = None,
    settings: Settings | None = None,
    progress: bool = False,
) -> RunReport:
    """Ingest files and folders into ``store``; returns counts and quarantine reasons."""
    settings = settings or Settings()
    path_list = [Path(p) for p in paths]
    counts = [count_records(p) for p in path_list]
    total = None if any(c is None for c in counts) else sum(c or 0 for c in counts)
    return run(
        read_inputs(path_list, source),
        ingest_stages(mapping, settings),
        sink=store_sink(store),
        batch_size=settings.batch_size,
        progress=progress,
        total=total,
        description="ingesting",
    )

"""Stages and the one loop that runs them.

A stage is a pure function of one :class:`~threadline.model.Doc` with a versioned name and
declared inputs (``requires``) and outputs (``assigns``). Stages never touch the store or any
global state, so the very same stage objects run in this process or on Dask workers.

Only :func:`run` loops: it batches, shows a progress bar, and applies the error policy. A
record that fails a stage is quarantined with the stage, the error and the record; it is never
dropped and never aborts the batch.
"""

from __future__ import annotations

import copyreg
import gc
import importlib
import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Protocol, runtime_checkable

import orjson
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from threadline.errors import PipelineError, RecordError
from threadline.model import DOC_FIELDS, Doc, Quarantined


def _mapping_proxy(values: dict[str, object]) -> MappingProxyType[str, object]:
    return MappingProxyType(values)


def _reduce_mapping_proxy(
    proxy: MappingProxyType[str, object],
) -> tuple[Callable[[dict[str, object]], MappingProxyType[str, object]], tuple[dict[str, object]]]:
    return _mapping_proxy, (dict(proxy),)


# Derived values keep their ``attrs`` read-only as MappingProxyType, which pickle does not
# know; batches cross process boundaries (worker processes, Dask), so teach it the copy.
copyreg.pickle(MappingProxyType, _reduce_mapping_proxy)

RECORD_EXCERPT_CHARS = 100_000
"""How much of a failing record the quarantine keeps verbatim; the locator finds the rest."""


@runtime_checkable
class Stage(Protocol):
    """A pure, versioned transformation of one document."""

    @property
    def name(self) -> str: ...
    @property
    def version(self) -> int: ...
    @property
    def requires(self) -> frozenset[str]: ...
    @property
    def assigns(self) -> frozenset[str]: ...
    def __call__(self, doc: Doc) -> Doc: ...


@runtime_checkable
class BatchStage(Stage, Protocol):
    """A stage that can also do a whole batch at once, for the same result (a vectorised
    MinHash, a model scoring a matrix). The one-document call stays the reference: if the
    batch call fails, the runner falls back to it document by document, so one bad record
    is still quarantined alone."""

    def batch(self, docs: Sequence[Doc]) -> list[Doc]: ...


def _apply_batch(s: BatchStage, slots: list[Doc | Quarantined]) -> bool:
    """Apply ``s`` to the documents of ``slots`` in one call; False (nothing changed) if it
    failed, for the caller to go document by document."""
    where = [n for n, item in enumerate(slots) if isinstance(item, Doc)]
    try:
        done = s.batch([slots[n] for n in where])  # type: ignore[misc]
    except Exception:  # the per-document path finds and quarantines the culprit
        return False
    if len(done) != len(where):
        raise PipelineError(f"stage {stage_id(s)} returned {len(done)} of {len(where)} documents")
    for n, doc in zip(where, done, strict=True):
        slots[n] = doc
    return True


def stage_id(stage: Stage) -> str:
    """``name@version``: what every derived value records as its producer."""
    return f"{stage.name}@{stage.version}"


@dataclass(frozen=True, slots=True)
class FunctionStage:
    """A stage made from a module-level function (module-level so Dask can pickle it)."""

    name: str
    version: int
    requires: frozenset[str]
    assigns: frozenset[str]
    func: Callable[[Doc], Doc]

    def __call__(self, doc: Doc) -> Doc:
        return self.func(doc)

    def __reduce__(self) -> tuple[Callable[[str, str], FunctionStage], tuple[str, str]]:
        # ``@stage`` puts this object where the function was, so the function cannot be
        # pickled by name; the stage is sent to worker processes as that name instead
        return _stage_by_name, (self.func.__module__, self.func.__qualname__)


def _stage_by_name(module: str, name: str) -> FunctionStage:
    found = getattr(importlib.import_module(module), name)
    if not isinstance(found, FunctionStage):
        raise PipelineError(f"{module}.{name} is not a stage")
    return found


def stage(
    name: str, version: int, *, requires: Iterable[str], assigns: Iterable[str]
) -> Callable[[Callable[[Doc], Doc]], FunctionStage]:
    """Decorator that turns ``def f(doc: Doc) -> Doc`` into a :class:`FunctionStage`."""

    def wrap(func: Callable[[Doc], Doc]) -> FunctionStage:
        return FunctionStage(name, version, frozenset(requires), frozenset(assigns), func)

    return wrap


def check_order(stages: Sequence[Stage], available: Iterable[str] = ("raw",)) -> None:
    """Raise :class:`PipelineError` if a stage requires a field nothing before it assigns."""
    have = set(available)
    for s in stages:
        unknown = (s.requires | s.assigns) - DOC_FIELDS
        if unknown:
            raise PipelineError(f"stage {stage_id(s)} names unknown fields {sorted(unknown)}")
        missing = s.requires - have
        if missing:
            raise PipelineError(
                f"stage {stage_id(s)} requires {sorted(missing)}, which no earlier stage assigns"
            )
        have |= s.assigns


def _record_text(doc: Doc) -> tuple[str, int]:
    if doc.raw is not None:
        payload: object = dict(doc.raw.fields)
    elif doc.ad is not None:
        payload = dict(doc.ad.raw) or {"id": doc.ad.id, "title": doc.ad.title, "body": doc.ad.body}
    else:
        payload = {}
    text = orjson.dumps(payload, default=str).decode()
    return text[:RECORD_EXCERPT_CHARS], len(text)


def _locator(doc: Doc) -> tuple[str, str]:
    if doc.raw is not None:
        return doc.raw.locator, doc.raw.source
    if doc.ad is not None:
        return doc.ad.locator or doc.ad.id, doc.ad.source
    return "", ""


def apply_stages(doc: Doc, stages: Sequence[Stage]) -> Doc | Quarantined:
    """Run one document through the stages; a failure becomes a quarantine entry."""
    for s in stages:
        try:
            doc = s(doc)
        except RecordError as exc:
            code, reason = _split_code(str(exc))
            return _quarantine(doc, s, code, reason)
        except Exception as exc:  # a stage bug must not lose the record or stop the batch
            return _quarantine(doc, s, "stage-error", f"{type(exc).__name__}: {exc}")
    return doc


def _split_code(message: str) -> tuple[str, str]:
    """RecordError messages start with a short code (``missing-text: ...``)."""
    code, sep, reason = message.partition(": ")
    if not sep or " " in code:
        return "rejected", message
    return code, reason


def _quarantine(doc: Doc, s: Stage, code: str, reason: str) -> Quarantined:
    record, size = _record_text(doc)
    locator, source = _locator(doc)
    return Quarantined(
        stage=stage_id(s),
        code=code,
        reason=reason,
        locator=locator,
        record=record,
        source=source,
        size=size,
    )


@dataclass(slots=True)
class Batch:
    """The outcome of one batch: the documents that passed and the records set aside."""

    docs: list[Doc] = field(default_factory=list)
    quarantined: list[Quarantined] = field(default_factory=list)
    read: int = 0


def process_batch(items: Iterable[Doc | Quarantined], stages: Sequence[Stage]) -> Batch:
    """Apply the stages to a batch. Pure: the Dask runner maps this over partitions.

    Stage by stage over the whole batch, not document by document: each stage's tables (a
    rule automaton, a gazetteer, a model's vocabulary) then stay in the processor's cache
    while it runs, which measured a third faster for the indicator stages. Each document
    still passes the stages in order, and one that fails is quarantined and goes no further.
    """
    slots: list[Doc | Quarantined] = list(items)
    for s in stages:
        if isinstance(s, BatchStage) and _apply_batch(s, slots):
            continue
        for n, item in enumerate(slots):
            if isinstance(item, Doc):
                slots[n] = apply_stages(item, (s,))
    batch = Batch(read=len(slots))
    for item in slots:
        if isinstance(item, Quarantined):
            batch.quarantined.append(item)
        else:
            batch.docs.append(item)
    return batch


@dataclass(frozen=True, slots=True)
class SinkResult:
    """What a sink reports for one batch."""

    written: int
    duplicate: int


Sink = Callable[[Batch], SinkResult]


@dataclass(slots=True)
class RunReport:
    """Counts for a whole run: read, written, duplicate, and quarantined by reason code."""

    read: int = 0
    written: int = 0
    duplicate: int = 0
    quarantined: Counter[str] = field(default_factory=Counter)
    examples: dict[str, Quarantined] = field(default_factory=dict)

    @property
    def quarantined_total(self) -> int:
        return sum(self.quarantined.values())

    def add(self, batch: Batch, result: SinkResult) -> None:
        self.read += batch.read
        self.written += result.written
        self.duplicate += result.duplicate
        for q in batch.quarantined:
            self.quarantined[q.code] += 1
            self.examples.setdefault(q.code, q)


def _batched(items: Iterable[Doc | Quarantined], size: int) -> Iterator[list[Doc | Quarantined]]:
    it = iter(items)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def _bar_columns() -> tuple[ProgressColumn, ...]:
    return (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )


def _no_sink(batch: Batch) -> SinkResult:
    return SinkResult(written=len(batch.docs), duplicate=0)


def run(
    items: Iterable[Doc | Quarantined],
    stages: Sequence[Stage],
    *,
    sink: Sink | None = None,
    batch_size: int = 5000,
    progress: bool = True,
    total: int | None = None,
    description: str = "processing",
    available: Iterable[str] = ("raw",),
) -> RunReport:
    """Run ``items`` through ``stages`` in batches, handing each batch to ``sink``.

    The sink is expected to write a batch in one transaction, so an interrupted run leaves
    no half-written batch and running it again completes the job.
    """
    check_order(stages, available)
    write = sink or _no_sink
    report = RunReport()
    columns = _bar_columns()
    with (
        _few_collections(),
        Progress(*columns, disable=not progress, transient=False) as bar,
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="threadline-sink") as writer,
    ):
        task = bar.add_task(description, total=total)
        pending: Future[tuple[Batch, SinkResult]] | None = None
        for chunk in _batched(items, batch_size):
            batch = process_batch(chunk, stages)
            # Stages run while the previous batch is written: the database driver releases
            # the GIL, so on two cores parsing and writing overlap. Batches stay in order,
            # one transaction each, and a failed write stops the run at the next batch.
            if pending is not None:
                report.add(*pending.result())
                bar.update(task, advance=report.read - int(bar.tasks[0].completed))
            pending = writer.submit(_write, write, batch)
        if pending is not None:
            report.add(*pending.result())
            bar.update(task, completed=report.read)
    return report


GC_YOUNG_THRESHOLD = 20_000
"""Allocations between collections of the youngest generation during a run (CPython: 700)."""


@contextmanager
def _few_collections() -> Iterator[None]:
    """Run with fewer garbage collections. A run allocates millions of short-lived objects
    (identifiers, flags, spans) while holding large long-lived ones (a batch of documents, the
    rule automaton, the model's vocabulary), and at CPython's default thresholds the collector
    re-scans the long-lived ones over and over: measured at a tenth of a scan's time. What
    exists before the run is frozen out of collection, and young collections are rarer; the
    objects themselves are still freed by reference counting as soon as they are dropped."""
    old = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(GC_YOUNG_THRESHOLD, old[1], old[2])
    try:
        yield
    finally:
        gc.set_threshold(*old)
        gc.unfreeze()


def _write(sink: Sink, batch: Batch) -> tuple[Batch, SinkResult]:
    return batch, sink(batch)


@contextmanager
def progress_bar(
    description: str, total: int | None, *, enabled: bool
) -> Iterator[Callable[[int], None]]:
    """A progress bar like :func:`run`'s, for runners that batch work elsewhere (worker
    processes); yields ``advance(n)``."""
    columns = _bar_columns()
    with Progress(*columns, disable=not enabled, transient=False) as bar:
        task = bar.add_task(description, total=total)
        yield lambda n: bar.advance(task, n)

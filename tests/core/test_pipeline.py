"""The runner's contract: order checks, batching, and the quarantine error policy."""

from __future__ import annotations

from dataclasses import replace

import pytest

from threadline.errors import PipelineError, RecordError
from threadline.model import Ad, Doc, Quarantined, RawRecord
from threadline.pipeline import Batch, SinkResult, process_batch, run, stage


@stage("test.to_ad", 1, requires={"raw"}, assigns={"ad"})
def to_ad(doc: Doc) -> Doc:
    assert doc.raw is not None
    text = str(doc.raw.fields["text"])
    if text == "boom":
        raise ValueError("a bug in the stage")
    if text == "reject":
        raise RecordError("missing-text: nothing to read")
    ad = Ad(id=f"ad-{text}", source="t", title="", body=text, content_hash=text)
    return replace(doc, ad=ad)


def _doc(text: str, n: int) -> Doc:
    return Doc(raw=RawRecord(source="t", locator=f"f.jsonl:{n}", fields={"text": text}))


def test_stage_has_versioned_name_and_declared_fields() -> None:
    assert (to_ad.name, to_ad.version) == ("test.to_ad", 1)
    assert to_ad.requires == frozenset({"raw"})
    assert to_ad.assigns == frozenset({"ad"})


def test_run_refuses_a_stage_whose_input_nothing_assigns() -> None:
    needs_flags = stage("test.needs", 1, requires={"flags"}, assigns=set())(lambda d: d)
    with pytest.raises(PipelineError, match="requires \\['flags'\\]"):
        run([], [needs_flags], progress=False)


def test_run_refuses_unknown_fields() -> None:
    odd = stage("test.odd", 1, requires={"raw"}, assigns={"colour"})(lambda d: d)
    with pytest.raises(PipelineError, match="unknown fields"):
        run([], [odd], progress=False)


def test_failures_are_quarantined_with_stage_reason_and_record_and_the_batch_goes_on() -> None:
    items = [_doc("a", 1), _doc("boom", 2), _doc("b", 3), _doc("reject", 4), _doc("c", 5)]
    batch = process_batch(items, [to_ad])
    assert [d.ad.id for d in batch.docs if d.ad] == ["ad-a", "ad-b", "ad-c"]
    by_loc = {q.locator: q for q in batch.quarantined}
    bug = by_loc["f.jsonl:2"]
    assert (bug.stage, bug.code) == ("test.to_ad@1", "stage-error")
    assert "ValueError: a bug in the stage" in bug.reason
    assert '"boom"' in bug.record
    rejected = by_loc["f.jsonl:4"]
    assert (rejected.code, rejected.reason) == ("missing-text", "nothing to read")


def test_reader_quarantine_entries_pass_through_and_are_counted() -> None:
    pre = Quarantined("ingest.read@1", "empty-file", "x is empty", "x", "")
    seen: list[Batch] = []

    def sink(batch: Batch) -> SinkResult:
        seen.append(batch)
        return SinkResult(written=len(batch.docs), duplicate=0)

    items: list[Doc | Quarantined] = [pre, _doc("a", 1), _doc("boom", 2), _doc("b", 3)]
    report = run(items, [to_ad], sink=sink, batch_size=2, progress=False)
    assert [b.read for b in seen] == [2, 2]
    assert (report.read, report.written) == (4, 2)
    assert report.quarantined == {"empty-file": 1, "stage-error": 1}
    assert report.examples["empty-file"] is pre


def test_quarantine_key_is_stable_and_distinguishes_records() -> None:
    a = Quarantined("s@1", "bad-row", "r", "f:1", "{}")
    assert a.key == Quarantined("s@1", "bad-row", "r", "f:1", "{}").key
    assert a.key != Quarantined("s@1", "bad-row", "r", "f:2", "{}").key


def test_a_run_collects_garbage_less_often_and_restores_the_settings() -> None:
    import gc

    before = gc.get_threshold()
    seen: list[tuple[int, int, int]] = []

    def sink(batch: Batch) -> SinkResult:
        seen.append(gc.get_threshold())
        return SinkResult(len(batch.docs), 0)

    run([_doc("a", 1)], [to_ad], sink=sink, progress=False)
    assert seen[0][0] > before[0]
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
    with pytest.raises(ZeroDivisionError):
        run([_doc("a", 1)], [to_ad], sink=lambda b: SinkResult(1 // 0, 0), progress=False)
    assert gc.get_threshold() == before


class Shout:
    """A batch stage: upper-cases bodies, and fails on 'kaboom' (so its batch call fails)."""

    name, version = "test.shout", 1
    requires, assigns = frozenset({"ad"}), frozenset({"ad"})
    calls: list[int]

    def __init__(self) -> None:
        self.calls = []

    def __call__(self, doc: Doc) -> Doc:
        assert doc.ad is not None
        if doc.ad.body == "kaboom":
            raise ValueError("a bug in the batch stage")
        return replace(doc, ad=replace(doc.ad, body=doc.ad.body.upper()))

    def batch(self, docs: list[Doc]) -> list[Doc]:
        self.calls.append(len(docs))
        return [self(d) for d in docs]


def test_a_batch_stage_runs_once_per_batch_and_falls_back_to_one_by_one() -> None:
    shout = Shout()
    ok = process_batch([_doc("a", 1), _doc("reject", 2), _doc("b", 3)], [to_ad, shout])
    assert [d.ad.body for d in ok.docs if d.ad] == ["A", "B"]
    assert shout.calls == [2]  # the quarantined record is not passed on
    bad = process_batch([_doc("a", 1), _doc("kaboom", 2), _doc("b", 3)], [to_ad, shout])
    assert [d.ad.body for d in bad.docs if d.ad] == ["A", "B"]
    assert [(q.locator, q.stage) for q in bad.quarantined] == [("f.jsonl:2", "test.shout@1")]


def test_signing_a_batch_gives_the_same_signatures_as_one_by_one() -> None:
    from threadline.extract import all_stages
    from threadline.link.stage import sign_advert

    texts = ["Anna 23, new in Lyon, call +33 6 12 34 56 78", "Sofia, 25, Paris", "", "x"]
    docs = [
        Doc(ad=Ad(id=f"ad-{n}", source="t", title="", body=t, content_hash=str(n)))
        for n, t in enumerate(texts)
    ]
    docs = process_batch(docs, all_stages()).docs
    assert [sign_advert(d).signature for d in docs] == [
        d.signature for d in sign_advert.batch(docs)
    ]

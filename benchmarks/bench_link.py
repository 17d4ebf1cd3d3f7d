"""Linking quality and speed on the synthetic corpus (issue 5; first cut of the linker).

Run alone: ``python -m benchmarks.bench_link [--ads N] [--no-record]``.

Truth: every advert's ``poster`` (an operation, an honest company or an independent worker),
so that two adverts of one company linked together count as right. Reported: pairwise
precision and recall over all pairs of adverts put in one operation, the adjusted Rand index
over all adverts (singletons included), the same split by advert kind, and the hub trap: of the
adverts that print a shared booking or agency line, how many were put with another poster.
Speed: signing, blocking, scoring and grouping the adverts after extraction, one core.
"""

from __future__ import annotations

import argparse
import itertools
import json
import time
from collections import defaultdict
from collections.abc import Iterable

from sklearn.metrics import adjusted_rand_score  # type: ignore[import-untyped]

from benchmarks.bench_extract import SEED, one_core, synth_corpus
from benchmarks.common import append_results, markdown_table
from threadline.extract import all_stages
from threadline.ingest import ParseStage
from threadline.link.scoring import link_docs
from threadline.model import Doc, RawRecord
from threadline.pipeline import process_batch

Pair = tuple[str, str]


def pairs(groups: Iterable[list[str]]) -> set[Pair]:
    return {p for g in groups for p in itertools.combinations(sorted(g), 2)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--ads", type=int, default=20_000, help="synthetic adverts")
    parser.add_argument("--no-record", action="store_true", help="do not append to docs")
    args = parser.parse_args(argv)

    folder = synth_corpus(args.ads)
    truth = {}
    with (folder / "truth.jsonl").open(encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            truth[record["id"]] = record
    parse = ParseStage()
    docs = []
    with (folder / "adverts.jsonl").open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            docs.append(
                Doc(ad=parse.parse(RawRecord("synth", f"adverts.jsonl:{n}", json.loads(line))))
            )
    with one_core():
        extracted = process_batch(docs, all_stages()).docs
        start = time.perf_counter()
        linked = link_docs(extracted)
        seconds = time.perf_counter() - start

    source = {d.ad.id: d.ad.source_id or "" for d in extracted if d.ad}
    operation_of = {source[k]: v for k, v in linked.operation_of().items()}
    ids = list(truth)
    predicted: dict[str, list[str]] = defaultdict(list)
    for ad in ids:
        predicted[operation_of.get(ad, f"alone:{ad}")].append(ad)

    rows = []
    for label, kinds in (
        ("all adverts", None),
        ("adult services", {"adult_services"}),
        ("job adverts (honest and lures)", {"legit_job", "labour_lure", "sexual_lure"}),
    ):
        chosen = [a for a in ids if kinds is None or truth[a]["kind"] in kinds]
        keep = set(chosen)
        true_groups: dict[str, list[str]] = defaultdict(list)
        for a in chosen:
            true_groups[truth[a]["poster"]].append(a)
        found = pairs([a for a in g if a in keep] for g in predicted.values())
        expected = pairs(true_groups.values())
        hit = len(found & expected)
        precision = hit / len(found) if found else 0.0
        recall = hit / len(expected) if expected else 0.0
        ari = adjusted_rand_score(
            [truth[a]["poster"] for a in chosen],
            [operation_of.get(a, f"alone:{a}") for a in chosen],
        )
        rows.append(
            [
                label,
                f"{len(chosen):,}",
                f"{len(expected):,}",
                f"{precision:.3f}",
                f"{recall:.3f}",
                f"{ari:.3f}",
            ]
        )

    hub_ads = [a for a in ids if truth[a]["shared_contact"]]
    glued = 0
    for a in hub_ads:
        group = predicted[operation_of.get(a, f"alone:{a}")]
        glued += any(truth[b]["poster"] != truth[a]["poster"] for b in group)
    rate = len(ids) / seconds
    header = ["adverts", "count", "true pairs", "precision", "recall", "ARI"]
    print(markdown_table(header, rows), end="\n\n")
    extra = [
        ["adverts printing a shared booking/agency line", f"{len(hub_ads):,}"],
        ["... of them put with another poster", f"{glued:,}"],
        ["operations found", f"{len(linked.operations):,}"],
        ["hub keys set aside", f"{len(linked.hubs):,}"],
        ["linking speed after extraction (adverts/s)", f"{rate:,.0f}"],
    ]
    print(markdown_table(["what", "value"], extra))
    if args.no_record:
        return
    notes = (
        f"{len(ids):,} synthetic adverts (seed {SEED}); truth = poster (operation, company or "
        "independent); first cut of the linker: identifiers and templates only (no persona "
        "names, images or style)"
    )
    append_results("Linking quality (pairwise, by poster)", header, rows, notes)
    append_results("Linking: hub trap and speed", ["what", "value"], extra, notes)


if __name__ == "__main__":
    main()

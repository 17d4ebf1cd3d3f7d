"""Linking quality and speed on synthetic corpora with ground truth (issue 5).

Run alone: ``python -m benchmarks.bench_link [--corpus N:SEED ...] [--no-record]``.

Truth: every advert's ``poster`` (an operation, an honest company or an independent worker),
so that two adverts of one company linked together count as right. Reported per corpus size:

- pairwise precision and recall over all pairs of adverts put in one operation, and the
  adjusted Rand index over all adverts (singletons included), for all adverts and by kind;
- the same by **template slots** (how many non-identifier slots change between re-posts of the
  template version: names, ages, cities, prices, dates; truth field ``slots``), counting the
  pairs whose two adverts both have that many;
- the same for **operation adverts by obfuscation** (truth field ``obfuscated``: contact
  details written to dodge filters): "obfuscated" counts the pairs with at least one such
  advert, "plain" the pairs with none;
- the **hub trap**: of the adverts that print a shared booking or agency line, how many were
  put with another poster, and how many posters the largest operation found mixes;
- **speed** after extraction on one core: signing (:func:`sign_doc`) and linking
  (:func:`link_signatures`) separately, and both together.

Corpora are generated once under ``bench-data/synth-<N>-<SEED>``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sklearn.metrics import adjusted_rand_score  # type: ignore[import-untyped]

from benchmarks.bench_extract import one_core
from benchmarks.common import DATA, ROOT, append_results, markdown_table
from threadline.extract import all_stages
from threadline.ingest import ParseStage
from threadline.link.scoring import Linked, link_signatures
from threadline.link.signatures import sign_docs
from threadline.model import Doc, LinkSignature, RawRecord
from threadline.pipeline import process_batch

Pair = tuple[str, str]
Truth = dict[str, dict[str, Any]]
CORPORA = ((1_500, 23), (5_000, 11), (20_000, 11))
MAX_SLOTS_ROW = 6


def pairs(groups: Iterable[Iterable[str]]) -> set[Pair]:
    return {p for g in groups for p in itertools.combinations(sorted(g), 2)}


def corpus(n: int, seed: int, *, images: bool = False) -> Path:
    """``bench-data/synth-<n>-<seed>`` (``-images``: with picture files), made on first use."""
    out = DATA / (f"synth-{n}-{seed}" + ("-images" if images else ""))
    if not (out / "truth.jsonl").exists():
        cmd = [sys.executable, "-m", "threadline.cli", "synth", "--ads", str(n)]
        cmd += ["--seed", str(seed), "--out", str(out)] + (["--images"] if images else [])
        subprocess.run(cmd, check=True, cwd=ROOT)
    return out


def load_truth(folder: Path) -> Truth:
    truth: Truth = {}
    with (folder / "truth.jsonl").open(encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            truth[record["id"]] = record
    return truth


def extracted_docs(folder: Path) -> list[Doc]:
    """The corpus's adverts parsed and through every extraction stage (source ids kept)."""
    parse = ParseStage()
    docs = []
    with (folder / "adverts.jsonl").open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            docs.append(
                Doc(ad=parse.parse(RawRecord("synth", f"adverts.jsonl:{n}", json.loads(line))))
            )
    return process_batch(docs, all_stages()).docs


@dataclass(frozen=True, slots=True)
class Score:
    count: int
    true_pairs: int
    precision: float
    recall: float
    ari: float

    def row(self, label: str) -> list[str]:
        return [
            label,
            f"{self.count:,}",
            f"{self.true_pairs:,}",
            f"{self.precision:.3f}" if self.precision == self.precision else "-",
            f"{self.recall:.3f}" if self.recall == self.recall else "-",
            f"{self.ari:.3f}",
        ]


HEADER = ["adverts", "count", "true pairs", "precision", "recall", "ARI"]


def score(
    truth: Truth,
    group_of: Mapping[str, str],
    chosen: Sequence[str],
    pair_filter: Callable[[str, str], bool] | None = None,
) -> Score:
    """Pairwise precision and recall over the pairs among ``chosen`` (kept by
    ``pair_filter``, if given) and the ARI over ``chosen``; ``group_of`` maps an advert to
    its predicted group (absent: alone). Precision is NaN when no pair was predicted."""
    predicted: dict[str, list[str]] = defaultdict(list)
    actual: dict[str, list[str]] = defaultdict(list)
    for a in chosen:
        predicted[group_of.get(a, "alone:" + a)].append(a)
        actual[truth[a]["poster"]].append(a)
    found = pairs(g for g in predicted.values() if len(g) > 1)
    expected = pairs(g for g in actual.values() if len(g) > 1)
    if pair_filter is not None:
        found = {p for p in found if pair_filter(*p)}
        expected = {p for p in expected if pair_filter(*p)}
    hit = len(found & expected)
    nan = float("nan")
    ari = adjusted_rand_score(
        [truth[a]["poster"] for a in chosen], [group_of.get(a, "alone:" + a) for a in chosen]
    )
    return Score(
        len(chosen),
        len(expected),
        hit / len(found) if found else nan,
        hit / len(expected) if expected else nan,
        float(ari),
    )


def quality_rows(truth: Truth, group_of: Mapping[str, str]) -> dict[str, list[list[str]]]:
    """The tables: by kind, by template slots, by obfuscation, and the hub trap."""
    ids = list(truth)
    by_kind = []
    for label, kinds in (
        ("all adverts", None),
        ("adult services", {"adult_services"}),
        ("job adverts (honest and lures)", {"legit_job", "labour_lure", "sexual_lure"}),
        ("operation adverts", "operation"),
    ):
        if kinds == "operation":
            chosen = [a for a in ids if truth[a]["operation"]]
        else:
            chosen = [a for a in ids if kinds is None or truth[a]["kind"] in kinds]
        by_kind.append(score(truth, group_of, chosen).row(label))
    by_slots = []
    for n in range(MAX_SLOTS_ROW + 1):
        chosen = [a for a in ids if truth[a]["slots"] == n]
        if chosen:
            by_slots.append(score(truth, group_of, chosen).row(f"{n} slots, all posters"))
        chosen = [a for a in chosen if truth[a]["operation"]]
        if chosen:
            by_slots.append(score(truth, group_of, chosen).row(f"{n} slots, operations"))
    ops = [a for a in ids if truth[a]["operation"]]

    def obfuscated(a: str, b: str) -> bool:
        return bool(truth[a]["obfuscated"] or truth[b]["obfuscated"])

    by_obfuscation = [
        score(truth, group_of, ops, obfuscated).row("operation pairs, either obfuscated"),
        score(truth, group_of, ops, lambda a, b: not obfuscated(a, b)).row(
            "operation pairs, both plain"
        ),
    ]
    members: dict[str, list[str]] = defaultdict(list)
    for a in ids:
        if a in group_of:
            members[group_of[a]].append(a)
    hub_ads = [a for a in ids if truth[a]["shared_contact"]]
    glued = sum(
        any(truth[b]["poster"] != truth[a]["poster"] for b in members.get(group_of.get(a, ""), []))
        for a in hub_ads
    )
    posters = [len({truth[a]["poster"] for a in g}) for g in members.values()]
    mixed = sum(n > 1 for n in posters)
    hub = [
        ["adverts printing a shared booking/agency line", f"{len(hub_ads):,}"],
        ["... of them put with another poster", f"{glued:,}"],
        ["operations found (2+ adverts)", f"{len(members):,}"],
        ["... mixing two or more posters", f"{mixed:,}"],
        ["most posters in one operation found", f"{max(posters, default=0):,}"],
    ]
    return {"kind": by_kind, "slots": by_slots, "obfuscation": by_obfuscation, "hub": hub}


def run_corpus(n: int, seed: int) -> tuple[dict[str, list[list[str]]], Linked, list[float]]:
    folder = corpus(n, seed)
    truth = load_truth(folder)
    with one_core():
        docs = extracted_docs(folder)
        start = time.perf_counter()
        signatures: list[LinkSignature] = [s for s in sign_docs(docs) if s is not None]
        signed = time.perf_counter()
        linked = link_signatures(signatures)
        done = time.perf_counter()
    source = {d.ad.id: d.ad.source_id or "" for d in docs if d.ad}
    group_of = {source[k]: v for k, v in linked.operation_of().items()}
    tables = quality_rows(truth, group_of)
    count = len(signatures)
    speeds = [count / (signed - start), count / (done - signed), count / (done - start)]
    tables["hub"].append(["hub keys set aside", f"{len(linked.hubs):,}"])
    return tables, linked, speeds


def pictures_rows(n: int, seed: int) -> list[list[str]]:
    """Quality on a corpus written with picture files, linked without and with them."""
    folder = corpus(n, seed, images=True)
    truth = load_truth(folder)
    docs = extracted_docs(folder)
    source = {d.ad.id: d.ad.source_id or "" for d in docs if d.ad}
    rows = []
    for label, root in (("without pictures", None), ("with pictures (PDQ)", folder)):
        start = time.perf_counter()
        signatures = [s for s in sign_docs(docs, image_root=root) if s is not None]
        linked = link_signatures(signatures)
        seconds = time.perf_counter() - start
        group_of = {source[k]: v for k, v in linked.operation_of().items()}
        kind = quality_rows(truth, group_of)["kind"]
        rows.append([f"{n:,} (seed {seed}), {label}", *kind[0][3:6], f"{n / seconds:,.0f}"])
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument(
        "--corpus",
        action="append",
        help="N:SEED synthetic adverts (repeatable); default 1500:23, 5000:11, 20000:11",
    )
    parser.add_argument(
        "--pictures",
        action="append",
        default=[],
        help="N:SEED corpus written with picture files, linked without and with them",
    )
    parser.add_argument("--no-record", action="store_true", help="do not append to docs")
    args = parser.parse_args(argv)
    if args.pictures:
        header = ["corpus", "precision", "recall", "ARI", "adverts/s (sign + link)"]
        rows = [r for c in args.pictures for r in pictures_rows(*map(int, c.split(":")))]
        print(markdown_table(header, rows))
        if not args.no_record:
            note = (
                "corpora written by `threadline synth --images` (abstract pictures, each re-post "
                "a re-encoded copy, a quarter of them cropped); speed includes hashing pictures"
            )
            append_results("Linking with pictures", header, rows, note)
        if not args.corpus:
            return
    corpora = [tuple(map(int, c.split(":"))) for c in args.corpus] if args.corpus else CORPORA

    sizes_header = [
        "corpus",
        "precision",
        "recall",
        "ARI",
        "op. precision",
        "op. recall",
        "hub-line adverts glued",
        "mixed operations",
    ]
    sizes: list[list[str]] = []
    speed_rows: list[list[str]] = []
    for n, seed in corpora:
        tables, _linked, speeds = run_corpus(n, seed)
        print(f"\n### {n:,} adverts, seed {seed}\n")
        for name in ("kind", "slots", "obfuscation"):
            print(markdown_table(HEADER, tables[name]), end="\n\n")
        print(markdown_table(["what", "value"], tables["hub"]))
        kind = tables["kind"]
        hub = {r[0]: r[1] for r in tables["hub"]}
        sizes.append(
            [
                f"{n:,} (seed {seed})",
                *kind[0][3:6],
                *kind[3][3:5],
                hub["... of them put with another poster"],
                hub["... mixing two or more posters"],
            ]
        )
        speed_rows.append([f"{n:,}", *(f"{s:,.0f}" for s in speeds)])
        print(markdown_table(["adverts", "sign/s", "link/s", "both/s"], speed_rows[-1:]))
        if not args.no_record:
            note = (
                f"{n:,} synthetic adverts (seed {seed}); truth = poster (operation, company or "
                "independent); slots: pairs whose two adverts both have that many changing "
                "slots"
            )
            append_results(
                f"Linking quality by kind and template slots ({n:,} adverts)",
                HEADER,
                tables["kind"] + tables["slots"],
                note,
            )
            append_results(
                f"Linking quality by obfuscation, hub trap ({n:,} adverts)",
                HEADER,
                tables["obfuscation"] + [[r[0], r[1], "", "", "", ""] for r in tables["hub"]],
                note,
            )
    print()
    print(markdown_table(sizes_header, sizes))
    print()
    print(markdown_table(["adverts", "sign/s", "link/s", "both/s"], speed_rows))
    if not args.no_record:
        note = "all sizes; speed on one core after extraction (signing, linking, both)"
        append_results("Linking across corpus sizes", sizes_header, sizes, note)
        append_results(
            "Linking speed after extraction", ["adverts", "sign/s", "link/s", "both/s"], speed_rows
        )


if __name__ == "__main__":
    main()

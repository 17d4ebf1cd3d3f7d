"""Image hashes (PDQ) and writing style for linking: quality and speed (issue 5).

Run alone: ``python -m benchmarks.bench_images [--pictures N] [--copies K] [--no-record]``,
or ``--calibrate`` to print the style vector's feature centres and spreads.

Images. ``N`` abstract pictures (:mod:`threadline.synth.images`), each with ``K`` re-posted
copies made exactly as the synthetic generator makes them (a quarter cropped by up to 6%, all
resized to 96-160 pixels, re-toned by up to 8%, JPEG quality 55-90), written as files and
hashed with :func:`threadline.link.images.hash_file`. Reported:

- PDQ distance percentiles between copies of one picture (all pairs, and by whether neither,
  one or both copies were cropped) and between different pictures (first copies, all pairs);
- at :data:`PDQ_MATCH`: the share of same-picture pairs matched (recall) and of
  different-picture pairs matched (false matches);
- blocking by chunks (``pdq_keys``) for several chunk counts: the share of matched
  same-picture pairs that share a key (blocking recall), the chance key hits per pair of
  different pictures, and what that makes at a million usable hashes;
- hashing speed (images/s, one core) for the small copies and for 1024x768 JPEG photos.

Speeds are CPU time of this process (``time.process_time``), pinned to one core: the machines
this runs on are shared, and wall-clock time there measures the neighbours too.

Style. A synthetic corpus; mean :func:`style_similarity` for pairs of adverts of the same
template (re-posts, slots changed), of the same poster with another template, of other posters
in the same language and in another language, with the AUC of "same poster, other template"
against "other poster, same language"; speed (adverts/s, and µs per 500 characters) in batches
(:func:`style_vectors`) and one by one (:func:`style_vector`).
"""

from __future__ import annotations

import argparse
import itertools
import random
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import orjson
from PIL import Image

from benchmarks.bench_extract import one_core
from benchmarks.common import append_results, markdown_table
from threadline.link.images import (
    MIN_QUALITY,
    PDQ_CHUNKS,
    PDQ_MATCH,
    ImageHash,
    Skipped,
    chunk_bounds,
    hash_file,
    pdq_keys,
)
from threadline.link.style import (
    CHAR_DIMS,
    CLASSES,
    LANGUAGES,
    SURFACE,
    raw_features,
    style_similarity,
    style_vector,
    style_vectors,
)
from threadline.synth import generate
from threadline.synth.images import CopyPlan, base_picture, copy_plan, render_copy

CHUNK_COUNTS = (8, 10, 12, 14, 16, 32)
AT_SCALE = 1_000_000
PERCENTILES = (1, 5, 25, 50, 75, 95, 99)


@dataclass(frozen=True, slots=True)
class Copy:
    picture: int
    plan: CopyPlan
    path: Path


def make_copies(folder: Path, n_pictures: int, copies: int, seed: int) -> list[Copy]:
    rng = random.Random(seed)
    out = []
    for p in range(n_pictures):
        ref = f"img/{rng.getrandbits(64):016x}.jpg"
        picture = base_picture(ref)
        for k in range(copies):
            advert = f"bench-{p}-{k}"
            plan = copy_plan(ref, advert)
            path = folder / f"{p}-{k}.jpg"
            path.write_bytes(render_copy(picture, plan))
            out.append(Copy(p, plan, path))
    return out


def as_words(pdq: str) -> npt.NDArray[np.uint64]:
    return np.frombuffer(bytes.fromhex(pdq), ">u8").astype(np.uint64)


def percentiles(values: Sequence[int]) -> list[str]:
    if not values:
        return ["-"] * len(PERCENTILES)
    return [f"{v:.0f}" for v in np.percentile(values, PERCENTILES)]


def share(part: int, whole: int) -> str:
    return f"{part / whole:.3f}" if whole else "-"


def bench_images(n_pictures: int, copies: int, seed: int) -> dict[str, list[list[str]]]:
    with tempfile.TemporaryDirectory(prefix="bench-images-") as tmp:
        folder = Path(tmp)
        made = make_copies(folder, n_pictures, copies, seed)
        with one_core():
            start = time.process_time()
            results = [hash_file(c.path) for c in made]
            small_rate = len(made) / (time.process_time() - start)
            photo_rate = _photo_rate(folder)
    skipped = [r for r in results if isinstance(r, Skipped)]
    if skipped:
        raise RuntimeError(f"{len(skipped)} copies not hashed, e.g. {skipped[0]}")
    hashes = [r for r in results if isinstance(r, ImageHash)]
    usable = [h.usable for h in hashes]
    words = np.stack([as_words(h.pdq) for h in hashes])

    def dist(i: int, j: int) -> int:
        return int(np.bitwise_count(words[i] ^ words[j]).sum())

    # Same picture: every pair of its copies, grouped by how many of the two were cropped.
    by_picture: dict[int, list[int]] = defaultdict(list)
    for i, c in enumerate(made):
        by_picture[c.picture].append(i)
    same: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for members in by_picture.values():
        for i, j in itertools.combinations(members, 2):
            cropped = (made[i].plan.cropped > 0) + (made[j].plan.cropped > 0)
            group = ("neither cropped", "one cropped", "both cropped")[cropped]
            same[group].append((i, j, dist(i, j)))
    same_all = [t for group in same.values() for t in group]

    # Different pictures: the first copies of every two pictures.
    firsts = [members[0] for members in by_picture.values()]
    first_words = words[firsts]
    different: list[int] = []
    for a in range(len(firsts) - 1):
        d = np.bitwise_count(first_words[a + 1 :] ^ first_words[a]).sum(axis=1)
        different.extend(d.tolist())
    n_diff = len(different)
    false_matches = sum(1 for d in different if d <= PDQ_MATCH)

    distance_rows = []
    groups = [("same picture, all pairs", same_all)]
    groups += [(g, same[g]) for g in ("neither cropped", "one cropped", "both cropped")]
    for label, triples in groups:
        ds = [d for _, _, d in triples]
        matched = sum(1 for d in ds if d <= PDQ_MATCH)
        distance_rows.append([label, f"{len(ds):,}", *percentiles(ds), share(matched, len(ds))])
    distance_rows.append(
        ["different pictures", f"{n_diff:,}", *percentiles(different), share(false_matches, n_diff)]
    )

    # Blocking: keys shared by matched copies; chance key hits between different pictures.
    usable_pairs = [(i, j, d) for i, j, d in same_all if usable[i] and usable[j]]
    matched_pairs = [(i, j) for i, j, d in usable_pairs if d <= PDQ_MATCH]
    picture_of = [c.picture for c in made]
    n_usable = sum(usable)
    usable_diff_pairs = n_usable * (n_usable - 1) // 2 - sum(
        (k * (k - 1)) // 2
        for k in Counter(p for p, u in zip(picture_of, usable, strict=True) if u).values()
    )
    blocking_rows = []
    for chunks in CHUNK_COUNTS:
        keys = [set(pdq_keys(h.pdq, chunks)) if h.usable else set() for h in hashes]
        found = sum(1 for i, j in matched_pairs if keys[i] & keys[j])
        found_any = sum(1 for i, j, _ in usable_pairs if keys[i] & keys[j])
        hits = _chance_hits(keys, picture_of)
        rate = hits / usable_diff_pairs if usable_diff_pairs else 0.0
        bits = [stop - start for start, stop in chunk_bounds(chunks)]
        expected = sum(2.0**-b for b in bits)
        at_scale = rate * AT_SCALE * (AT_SCALE - 1) / 2
        blocking_rows.append(
            [
                f"{chunks} x {256 // chunks}{'+' if 256 % chunks else ''} bits"
                + (" (chosen)" if chunks == PDQ_CHUNKS else ""),
                share(found, len(matched_pairs)),
                share(found_any, len(usable_pairs)),
                f"{rate:.2e}",
                f"{expected:.2e}",
                f"{at_scale:,.0f}",
                f"{at_scale / AT_SCALE:,.1f}",
            ]
        )

    low = sum(1 for u in usable if not u)
    summary_rows = [
        ["pictures x copies", f"{n_pictures:,} x {copies}"],
        ["copies cropped", share(sum(1 for c in made if c.plan.cropped > 0), len(made))],
        [f"copies of PDQ quality < {MIN_QUALITY} (kept, not linked)", share(low, len(made))],
        [
            f"same-picture pairs matched at <= {PDQ_MATCH} (both usable)",
            share(sum(1 for *_, d in usable_pairs if d <= PDQ_MATCH), len(usable_pairs)),
        ],
        [
            f"... and sharing a blocking key ({PDQ_CHUNKS} chunks)",
            share(
                sum(
                    1
                    for i, j, d in usable_pairs
                    if d <= PDQ_MATCH
                    and set(pdq_keys(hashes[i].pdq)) & set(pdq_keys(hashes[j].pdq))
                ),
                len(usable_pairs),
            ),
        ],
        ["different-picture pairs matched (false matches)", f"{false_matches:,} of {n_diff:,}"],
        ["hashing speed, 96-160 px JPEG copies (images/s, one core)", f"{small_rate:,.0f}"],
        ["hashing speed, 1024x768 JPEG photos (images/s, one core)", f"{photo_rate:,.0f}"],
    ]
    return {"distances": distance_rows, "blocking": blocking_rows, "summary": summary_rows}


def _chance_hits(keys: list[set[str]], picture_of: list[int]) -> int:
    """Key-sharing events between hashes of different pictures (a pair sharing two chunks
    counts twice: an upper bound on the distinct chance candidates)."""
    members: dict[str, list[int]] = defaultdict(list)
    for i, ks in enumerate(keys):
        for k in ks:
            members[k].append(i)
    hits = 0
    for group in members.values():
        if len(group) < 2:
            continue
        n = len(group)
        same = Counter(picture_of[i] for i in group)
        hits += n * (n - 1) // 2 - sum(k * (k - 1) // 2 for k in same.values())
    return hits


def _photo_rate(folder: Path, n: int = 40) -> float:
    """Images per second for 1024x768 JPEG files (typical advert photos)."""
    paths = []
    for i in range(n):
        picture = base_picture(f"photo-{i}").resize((1024, 768), Image.Resampling.BICUBIC)
        path = folder / f"photo-{i}.jpg"
        picture.save(path, "JPEG", quality=85)
        paths.append(path)
    start = time.process_time()
    for path in paths:
        hash_file(path)
    return n / (time.process_time() - start)


def load_corpus(folder: Path) -> tuple[list[str], list[dict[str, Any]], list[str]]:
    adverts = [orjson.loads(line) for line in (folder / "adverts.jsonl").open("rb")]
    truth = [orjson.loads(line) for line in (folder / "truth.jsonl").open("rb")]
    texts = [f"{a['title']}\n\n{a['body']}" if a["body"] else a["title"] for a in adverts]
    return texts, truth, [a["language"] for a in adverts]


PairGroups = dict[str, list[tuple[int, int]]]


def style_pairs(truth: list[dict[str, Any]], languages: list[str], seed: int) -> PairGroups:
    rng = random.Random(seed)
    by_template: dict[str, list[int]] = defaultdict(list)
    by_poster: dict[str, list[int]] = defaultdict(list)
    for i, t in enumerate(truth):
        by_template[t["template"]].append(i)
        by_poster[t["poster"]].append(i)
    groups: PairGroups = defaultdict(list)
    for members in by_poster.values():
        for a, b in itertools.combinations(members[:10], 2):
            if truth[a]["template"] == truth[b]["template"]:
                groups["same poster, same template (re-posts)"].append((a, b))
            else:
                groups["same poster, other template"].append((a, b))
    n = len(truth)
    while min(len(groups["other poster, same language"]), len(groups["other language"])) < 3000:
        a, b = rng.randrange(n), rng.randrange(n)
        if truth[a]["poster"] == truth[b]["poster"]:
            continue
        if languages[a] == languages[b]:
            groups["other poster, same language"].append((a, b))
        else:
            groups["other language"].append((a, b))
    return {k: v[:3000] for k, v in groups.items()}


def auc(positive: Sequence[float], negative: Sequence[float]) -> float:
    pos = np.asarray(positive)
    neg = np.sort(np.asarray(negative))
    below = np.searchsorted(neg, pos, side="left")
    equal = np.searchsorted(neg, pos, side="right") - below
    return float((below + 0.5 * equal).sum() / (pos.size * neg.size))


def bench_style(n_ads: int, seed: int) -> dict[str, list[list[str]]]:
    with tempfile.TemporaryDirectory(prefix="bench-style-") as tmp:
        generate(n_ads, seed, Path(tmp))
        texts, truth, languages = load_corpus(Path(tmp))
    vectors = style_vectors(texts)
    groups = style_pairs(truth, languages, seed)
    sims = {k: [style_similarity(vectors[a], vectors[b]) for a, b in v] for k, v in groups.items()}
    negative = sims["other poster, same language"]
    quality_rows = []
    for label in (
        "same poster, same template (re-posts)",
        "same poster, other template",
        "other poster, same language",
        "other language",
    ):
        values = sims.get(label, [])
        quality_rows.append(
            [
                label,
                f"{len(values):,}",
                f"{np.mean(values):.2f}" if values else "-",
                *(f"{v:.2f}" for v in np.percentile(values, (10, 50, 90))),
                f"{auc(values, negative):.3f}" if label.startswith("same poster") else "",
            ]
        )

    # Speed on 500-character texts (adverts joined until long enough, then cut).
    long_texts = []
    for i in range(min(2000, len(texts) - 10)):
        text, j = texts[i], i + 1
        while len(text) < 500:
            text, j = text + "\n" + texts[j], j + 1
        long_texts.append(text[:500])
    with one_core():
        batch = _best(lambda: style_vectors(long_texts), 5) / len(long_texts)
        few = long_texts[:300]
        single = _best(lambda: [style_vector(t) for t in few], 3) / len(few)
        whole = _best(lambda: style_vectors(texts), 3) / len(texts)
    mean_chars = sum(map(len, texts)) / len(texts)
    speed_rows = [
        ["batches of 2,000, 500 characters", f"{batch * 1e6:.1f}", f"{1 / batch:,.0f}"],
        ["one by one, 500 characters", f"{single * 1e6:.1f}", f"{1 / single:,.0f}"],
        [
            f"the corpus's own adverts (mean {mean_chars:.0f} characters), one batch",
            f"{whole * 1e6:.1f}",
            f"{1 / whole:,.0f}",
        ],
    ]
    return {"quality": quality_rows, "speed": speed_rows}


def _best(run: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        run()
        best = min(best, time.process_time() - start)
    return best


def calibrate(n_ads: int = 10_000, seed: int = 3) -> None:
    """Print the mean and standard deviation of every raw style feature on a corpus."""
    with tempfile.TemporaryDirectory(prefix="bench-style-") as tmp:
        generate(n_ads, seed, Path(tmp))
        texts, _, _ = load_corpus(Path(tmp))
    raw = raw_features(texts)
    names = [f"char{i}" for i in range(CHAR_DIMS)] + list(LANGUAGES) + list(CLASSES)
    names += list(SURFACE)
    print(f"# {n_ads:,} synthetic adverts, seed {seed}")
    rows = (8, 8, 8, 8, len(LANGUAGES), len(CLASSES), len(SURFACE))
    print("# fmt: off")
    for label, values in (("_CENTRE_VALUES", raw.mean(axis=0)), ("_SPREAD_VALUES", raw.std(0))):
        print(f"{label} = (")
        start = 0
        for size in rows:
            print("    " + ", ".join(f"{v:.4g}" for v in values[start : start + size]) + ",")
            start += size
        print(")")
    print("# fmt: on")
    for name, m, s in zip(names, raw.mean(axis=0), raw.std(axis=0), strict=True):
        print(f"# {name:14s} mean {m:.4g} sd {s:.4g}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("--pictures", type=int, default=1500)
    parser.add_argument("--copies", type=int, default=4)
    parser.add_argument("--ads", type=int, default=5000, help="adverts of the style corpus")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--no-record", action="store_true", help="print, do not append")
    parser.add_argument("--calibrate", action="store_true", help="print style calibration")
    args = parser.parse_args()
    if args.calibrate:
        calibrate()
        return

    images = bench_images(args.pictures, args.copies, args.seed)
    style = bench_style(args.ads, args.seed)
    dist_header = ["pairs", "count", *(f"p{p}" for p in PERCENTILES), f"<= {PDQ_MATCH}"]
    block_header = [
        "chunks",
        "matched pairs sharing a key",
        "all same-picture pairs sharing a key",
        "chance key hits per pair",
        "chance if bits were random",
        f"chance candidates at {AT_SCALE:,}",
        "per picture",
    ]
    style_header = ["pairs", "count", "mean", "p10", "p50", "p90", "AUC vs other poster"]
    speed_header = ["style vectors", "µs per advert", "adverts/s"]
    tables = [
        ("PDQ distances (of 256 bits)", dist_header, images["distances"]),
        ("PDQ blocking chunks", block_header, images["blocking"]),
        ("PDQ summary", ["what", "value"], images["summary"]),
        ("Style similarity", style_header, style["quality"]),
        ("Style speed", speed_header, style["speed"]),
    ]
    for title, header, rows in tables:
        print(f"\n## {title}\n")
        print(markdown_table(header, rows))
    if not args.no_record:
        note = (
            f"{args.pictures:,} synthetic abstract pictures x {args.copies} re-posted copies "
            f"(seed {args.seed}); style on {args.ads:,} synthetic adverts (seed {args.seed})"
        )
        append_results("Image hashes: PDQ distances", dist_header, images["distances"], note)
        append_results("Image hashes: blocking chunks", block_header, images["blocking"], note)
        append_results("Image hashes: summary and speed", ["what", "value"], images["summary"])
        append_results("Writing style: similarity by pair", style_header, style["quality"], note)
        append_results("Writing style: speed", speed_header, style["speed"])


if __name__ == "__main__":
    main()

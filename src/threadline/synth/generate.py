"""Generate a synthetic advert corpus with its ground truth: the public entry point.

The cast is built up front (actors only), then adverts are produced in posting-time order by
merging every actor's timeline through a heap and streamed straight to disk: memory grows with
the number of actors, never with the number of adverts. Everything random comes from one
``random.Random(seed)``, so the same ``(n_ads, seed)`` always yields byte-identical files.
"""

from __future__ import annotations

import csv as csv_module
import heapq
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from threadline.synth.actors import Operation
from threadline.synth.images import ImagePainter
from threadline.synth.population import build_population
from threadline.synth.render import AdWriter

GENERATOR = "synth@1"
KINDS = ("legit_job", "labour_lure", "sexual_lure", "adult_services")
CSV_COLUMNS = ("ad_ref", "headline", "ad_text", "city", "date_posted", "link", "site")
"""Deliberately foreign column names: ingesting the CSV needs a column mapping."""
PROGRESS_EVERY = 1000

DESCRIPTION = (
    "Synthetic adverts in English, Spanish, French and Portuguese from three kinds of poster. "
    "Trafficking operations (op-*) re-post a few template versions in the third person with "
    "0-4 changing slots (names, ages, cities, prices, dates), present several workers under "
    "one number, rotate through a pool of valid phones (a new one every 2-5 weeks, "
    "overlapping), share messenger handles, crypto wallets (BTC, ETH, USDT on Tron) and "
    "payment tags across their adverts, and move city to city along an itinerary; their "
    "sizes are heavy-tailed. Labour-exploitation lures carry ILO forced-labour indicators "
    "(pay too good, travel and housing paid, fees charged, passport requested early, urgent "
    "with no interview, messenger-only contact, vague employer, destination switched); "
    "sexual-exploitation lures offer hostess, model, dancer or waitress jobs abroad to young "
    "women. Independent adult workers (indep-*) write in the first person, share nothing "
    "and sometimes link their own website. Legitimate employers (co-*) post verifiable job "
    "adverts and re-post them word for word. Traps for naive linking: toll-free hotlines "
    "(job-board helpdesks, booking lines) printed by many unrelated posters, site "
    "boilerplate disclaimers, identical legitimate re-posts, and operations reusing the "
    "same template library. A third to half of operation adverts write contact details to "
    "dodge filters: spelled-out digits, mixed separators, letters for digits, emoji keycaps, "
    "fullwidth digits, digits split by words, wa.me links, 'at'/'dot' e-mails, spaced "
    "handles. Nothing is sexually explicit; stated ages are 19-35."
)

IMAGES_DESCRIPTION = (
    "Abstract procedural pictures (colour gradients, random geometric shapes, noise; nothing "
    "figurative), one per original picture reference, drawn from a generator seeded by the "
    "reference. Each advert carries its own perturbed copies: a quarter of them cropped by up "
    "to 6% of the width and of the height, all resized to 96-160 pixels on the long side, "
    "brightness and contrast changed by up to 8%, JPEG quality 55-90. Truth field "
    "image_sources names the original reference of each file, so copies of one picture share "
    "it."
)

IDENTIFIER_FORMATS = {
    "phone": "E.164",
    "email": "lower case",
    "handle": "platform:name, lower case",
    "url": "https:// + lower-case host + path as written, no trailing slash",
    "wallet": "chain:address (btc, eth in EIP-55 form though written lower case, tron)",
    "payment": "cashapp:$tag | venmo:@tag | paypal:tag, lower case",
    "age": "years as digits",
    "price": "'<amount> <ISO 4217>/<hour|30min|month|year>' or '<amount> <ISO 4217>' for a fee",
}


@dataclass(frozen=True, slots=True)
class SynthSummary:
    n_ads: int
    seed: int
    out_dir: Path
    files: tuple[Path, ...]
    counts_by_kind: dict[str, int] = field(hash=False)
    n_operations: int


def generate(
    n_ads: int,
    seed: int,
    out_dir: Path,
    *,
    csv: bool = False,
    images: bool = False,
    progress: Callable[[int], None] | None = None,
) -> SynthSummary:
    """Write ``adverts.jsonl``, ``truth.jsonl``, ``manifest.json`` (and ``adverts.csv``).

    With ``images``, every picture an advert names is written as a file of its own,
    ``img/<advert id>-<k>.jpg`` under ``out_dir``: a perturbed copy (crop, resize, tone, JPEG
    quality) of the abstract picture the original reference stands for
    (:mod:`threadline.synth.images`), and the advert names those files instead. Re-posts of
    one picture then differ in bytes but stay near in PDQ. Truth records gain
    ``image_sources``, the original reference of each file. The pictures come from random
    generators of their own, so the text of the corpus is the same with or without them.

    ``progress(k)`` is called with the number of adverts written since its previous call,
    every :data:`PROGRESS_EVERY` adverts and once at the end.
    """
    if n_ads < 0:
        raise ValueError("n_ads must be >= 0")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    population = build_population(rng, n_ads)
    writer = AdWriter(rng, population.hotlines)
    actors = population.actors
    heap = [(actor.time_of(0, rng), i) for i, actor in enumerate(actors) if actor.n_ads]
    heapq.heapify(heap)

    counts = dict.fromkeys(KINDS, 0)
    adverts_path = out_dir / "adverts.jsonl"
    truth_path = out_dir / "truth.jsonl"
    csv_path = out_dir / "adverts.csv"
    painter = ImagePainter(out_dir) if images else None
    files = [adverts_path, truth_path]
    pending = 0
    with (
        adverts_path.open("wb", buffering=1 << 20) as adverts_file,
        truth_path.open("wb", buffering=1 << 20) as truth_file,
    ):
        csv_file = csv_path.open("w", encoding="utf-8", newline="") if csv else None
        table = csv_module.writer(csv_file, quoting=csv_module.QUOTE_MINIMAL) if csv_file else None
        if table is not None:
            table.writerow(CSV_COLUMNS)
        try:
            for seq in range(1, n_ads + 1):
                t, i = heap[0]
                actor = actors[i]
                advert, truth = writer.write(actor, t, seq)
                if painter is not None:
                    sources = list(advert["images"])
                    advert["images"] = painter.paint(advert["id"], sources)
                    truth["image_sources"] = sources
                actor.done += 1
                if actor.done < actor.n_ads:
                    heapq.heapreplace(heap, (actor.time_of(actor.done, rng), i))
                else:
                    heapq.heappop(heap)
                adverts_file.write(orjson.dumps(advert, option=orjson.OPT_APPEND_NEWLINE))
                truth_file.write(orjson.dumps(truth, option=orjson.OPT_APPEND_NEWLINE))
                if table is not None:
                    table.writerow(
                        (
                            advert["id"],
                            advert["title"],
                            advert["body"],
                            advert["place"],
                            advert["posted_at"],
                            advert["url"],
                            advert["source"],
                        )
                    )
                counts[truth["kind"]] += 1
                pending += 1
                if progress is not None and pending == PROGRESS_EVERY:
                    progress(pending)
                    pending = 0
        finally:
            if csv_file is not None:
                csv_file.close()
    if csv:
        files.append(csv_path)
    if progress is not None and pending:
        progress(pending)

    manifest_path = out_dir / "manifest.json"
    manifest = {
        "generator": GENERATOR,
        "seed": seed,
        "n_ads": n_ads,
        "counts_by_kind": counts,
        "operations": population.n_operations,
        "independents": population.n_independents,
        "employers": population.n_employers,
        "hotlines": sorted(h.id for h in population.hotlines.values()),
        "period": {"from": "2026-01-01", "to": "2026-06-30"},
        "languages": ["en", "es", "fr", "pt"],
        "files": [p.name for p in (*files, manifest_path)],
        "identifier_values": IDENTIFIER_FORMATS,
        "description": DESCRIPTION,
    }
    if painter is not None:
        manifest["images"] = {
            "files": painter.written,
            "names": "img/<advert id>-<k>.jpg",
            "description": IMAGES_DESCRIPTION,
        }
    manifest_path.write_bytes(
        orjson.dumps(manifest, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
    )
    files.insert(2, manifest_path)
    n_operations = sum(1 for a in actors if isinstance(a, Operation))
    return SynthSummary(n_ads, seed, out_dir, tuple(files), counts, n_operations)

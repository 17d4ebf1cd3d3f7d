"""The generator's contract: files, determinism, streaming progress, CSV under foreign names."""

from __future__ import annotations

import csv
import re
from datetime import datetime
from pathlib import Path

import orjson
import pytest
from synth_corpus import N_ADS, SEED, Corpus, read_jsonl

from threadline.synth import SynthSummary, generate

FILES = ("adverts.jsonl", "truth.jsonl", "manifest.json", "adverts.csv")


def _bytes(directory: Path) -> dict[str, bytes]:
    return {name: (directory / name).read_bytes() for name in FILES}


def test_same_seed_gives_byte_identical_files(tmp_path: Path) -> None:
    generate(N_ADS, SEED, tmp_path / "a", csv=True)
    generate(N_ADS, SEED, tmp_path / "b", csv=True)
    assert _bytes(tmp_path / "a") == _bytes(tmp_path / "b")


def test_different_seeds_give_different_corpora(tmp_path: Path) -> None:
    generate(500, 1, tmp_path / "a")
    generate(500, 2, tmp_path / "b")
    for name in ("adverts.jsonl", "truth.jsonl"):
        assert (tmp_path / "a" / name).read_bytes() != (tmp_path / "b" / name).read_bytes()


def test_summary_and_manifest(corpus: Corpus) -> None:
    summary = corpus.summary
    assert isinstance(summary, SynthSummary)
    assert (summary.n_ads, summary.seed) == (N_ADS, SEED)
    assert [p.name for p in summary.files] == list(FILES)
    assert all(p.parent == summary.out_dir and p.exists() for p in summary.files)
    assert sum(summary.counts_by_kind.values()) == N_ADS
    manifest = orjson.loads((summary.out_dir / "manifest.json").read_bytes())
    assert manifest["generator"] == "synth@1"
    assert (manifest["seed"], manifest["n_ads"]) == (SEED, N_ADS)
    assert manifest["counts_by_kind"] == summary.counts_by_kind
    assert manifest["operations"] == summary.n_operations > 0
    assert manifest["independents"] > 0
    assert manifest["employers"] > 0
    assert len(manifest["description"]) > 200


def test_records_are_well_formed(corpus: Corpus) -> None:
    assert len(corpus.adverts) == len(corpus.truth) == N_ADS
    ids = [a["id"] for a in corpus.adverts]
    assert ids == [f"syn-{i:07d}" for i in range(1, N_ADS + 1)]
    assert ids == [t["id"] for t in corpus.truth]
    image = re.compile(r"img/[0-9a-f]{16}\.jpg")
    for advert in corpus.adverts:
        assert advert["source"].startswith("synth/")
        assert re.fullmatch(r"https://[a-z0-9.-]+\.(example|test)/\S+", advert["url"])
        posted = datetime.fromisoformat(advert["posted_at"].replace("Z", "+00:00"))
        captured = datetime.fromisoformat(advert["captured_at"].replace("Z", "+00:00"))
        assert advert["posted_at"].endswith("Z")
        assert posted < captured
        assert posted.year == 2026
        assert 1 <= posted.month <= 6
        assert advert["title"]
        assert advert["body"]
        assert advert["place"]
        assert advert["language"] in {"en", "es", "fr", "pt"}
        assert len(advert["images"]) <= 4
        assert all(image.fullmatch(ref) for ref in advert["images"])


def test_each_actor_posts_in_time_order_and_file_is_chronological(corpus: Corpus) -> None:
    posted = [a["posted_at"] for a in corpus.adverts]
    assert posted == sorted(posted)


def test_progress_reports_every_advert(tmp_path: Path) -> None:
    calls: list[int] = []
    generate(2500, 3, tmp_path, progress=calls.append)
    assert sum(calls) == 2500
    assert calls[:2] == [1000, 1000]


def test_tiny_and_empty_corpora(tmp_path: Path) -> None:
    for n in (0, 1, 7, 40):
        summary = generate(n, 5, tmp_path / str(n))
        assert len(read_jsonl(tmp_path / str(n) / "truth.jsonl")) == n
        assert sum(summary.counts_by_kind.values()) == n


def test_negative_size_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="n_ads"):
        generate(-1, 1, tmp_path)


def test_csv_uses_foreign_columns_and_same_rows(corpus: Corpus) -> None:
    path = corpus.summary.out_dir / "adverts.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0].keys()) == [
        "ad_ref",
        "headline",
        "ad_text",
        "city",
        "date_posted",
        "link",
        "site",
    ]
    assert len(rows) == N_ADS
    for row, advert in zip(rows, corpus.adverts, strict=True):
        assert row["ad_ref"] == advert["id"]
        assert row["headline"] == advert["title"]
        assert row["ad_text"] == advert["body"]
        assert row["city"] == advert["place"]
        assert row["link"] == advert["url"]

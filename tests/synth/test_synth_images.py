"""Synthetic pictures: deterministic, abstract, perturbed per advert; opt-in, text unchanged."""

from __future__ import annotations

import io
import itertools
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import orjson
import pytest
from PIL import Image
from synth_corpus import read_jsonl

from threadline.link.images import PDQ_MATCH, ImageHash, image_hashes, pdq_distance
from threadline.model import Ad
from threadline.synth import generate
from threadline.synth.images import (
    COPY_SIDE,
    CROP_MAX,
    ImagePainter,
    base_picture,
    copy_plan,
    perturbed_copy,
)

N_ADS = 400
SEED = 5


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = {}
    for name, images in (("off", False), ("on", True)):
        folder = tmp_path_factory.mktemp(f"synth-images-{name}")
        generate(N_ADS, SEED, folder, csv=True, images=images)
        out[name] = folder
    return out


def test_pictures_are_deterministic_and_distinct() -> None:
    a, b = base_picture("img/00000000000000aa.jpg"), base_picture("img/00000000000000aa.jpg")
    assert a.tobytes() == b.tobytes()
    assert a.mode == "RGB"
    assert base_picture("img/00000000000000ab.jpg").tobytes() != a.tobytes()
    pixels = np.asarray(a, np.float32)
    assert pixels.std() > 10  # structure, not a flat field


def test_copies_are_deterministic_per_advert() -> None:
    ref = "img/00000000000000aa.jpg"
    picture = base_picture(ref)
    first = perturbed_copy(picture, ref, "syn-0000001")
    assert first == perturbed_copy(base_picture(ref), ref, "syn-0000001")
    assert first != perturbed_copy(picture, ref, "syn-0000002")
    plans = [copy_plan(ref, f"syn-{i:07d}") for i in range(200)]
    assert all(COPY_SIDE[0] <= p.side <= COPY_SIDE[1] for p in plans)
    assert all(0.0 <= p.cropped <= CROP_MAX + 1e-9 for p in plans)
    assert 0.1 < sum(p.cropped > 0 for p in plans) / len(plans) < 0.4
    with Image.open(io.BytesIO(first)) as copy:
        assert copy.format == "JPEG"
        assert max(copy.size) == copy_plan(ref, "syn-0000001").side


def test_painter_reuses_pictures_and_names_files(tmp_path: Path) -> None:
    painter = ImagePainter(tmp_path, cache_size=2)
    names = painter.paint("syn-0000009", ["img/a.jpg", "img/b.jpg"])
    assert names == ["img/syn-0000009-0.jpg", "img/syn-0000009-1.jpg"]
    assert all((tmp_path / n).is_file() for n in names)
    assert painter.paint("syn-0000010", []) == []
    assert painter.written == 2


def _without(record: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k != key}


def test_images_off_changes_nothing_but_the_picture_names(corpora: dict[str, Path]) -> None:
    """The pictures draw from random generators of their own: with them on, every advert,
    truth record and CSV row is the same text; only picture names (and the new truth field
    and manifest entry) differ. So the default output is what it was before pictures."""
    off, on = corpora["off"], corpora["on"]
    assert not (off / "img").exists()
    assert (off / "adverts.csv").read_bytes() == (on / "adverts.csv").read_bytes()
    adverts_off, adverts_on = read_jsonl(off / "adverts.jsonl"), read_jsonl(on / "adverts.jsonl")
    truth_off, truth_on = read_jsonl(off / "truth.jsonl"), read_jsonl(on / "truth.jsonl")
    for a, b, t, u in zip(adverts_off, adverts_on, truth_off, truth_on, strict=True):
        assert _without(a, "images") == _without(b, "images")
        assert u["image_sources"] == a["images"]
        assert _without(u, "image_sources") == t
        assert b["images"] == [f"img/{a['id']}-{k}.jpg" for k in range(len(a["images"]))]
    manifest_off = orjson.loads((off / "manifest.json").read_bytes())
    manifest_on = orjson.loads((on / "manifest.json").read_bytes())
    assert "images" not in manifest_off
    assert manifest_on.pop("images")["files"] == sum(len(a["images"]) for a in adverts_on)
    assert manifest_on == manifest_off


def test_generated_pictures_hash_and_reposts_stay_near(corpora: dict[str, Path]) -> None:
    root = corpora["on"]
    adverts, truth = read_jsonl(root / "adverts.jsonl"), read_jsonl(root / "truth.jsonl")
    by_source: dict[str, list[ImageHash]] = defaultdict(list)
    files: list[bytes] = []
    for advert, record in zip(adverts, truth, strict=True):
        ad = Ad(advert["id"], advert["source"], "", "", "", images=tuple(advert["images"]))
        results = image_hashes(ad, root)
        assert all(isinstance(r, ImageHash) for r in results)
        for result, source in zip(results, record["image_sources"], strict=True):
            assert isinstance(result, ImageHash)
            by_source[source].append(result)
        files += [(root / name).read_bytes() for name in advert["images"]]
    assert len(set(files)) == len(files)  # every copy differs in bytes
    near = total = 0
    for hashes in by_source.values():
        for a, b in itertools.combinations(hashes[:6], 2):
            if a.usable and b.usable:
                total += 1
                near += pdq_distance(a.pdq, b.pdq) <= PDQ_MATCH
    assert total >= 100
    assert near / total > 0.5  # crops of a few percent defeat PDQ: see docs
    sources = list(by_source)
    far = [
        pdq_distance(by_source[a][0].pdq, by_source[b][0].pdq)
        for a, b in itertools.pairwise(sources[:60])
    ]
    assert min(far) > PDQ_MATCH

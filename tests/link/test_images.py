"""PDQ hashes of advert pictures: copies near, strangers far, keys shared, bad files reported."""

from __future__ import annotations

import itertools
import os
import random
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from threadline.link.images import (
    MIN_QUALITY,
    PDQ_CHUNKS,
    PDQ_MATCH,
    ImageHash,
    Skipped,
    chunk_bounds,
    hash_file,
    hash_refs,
    image_hashes,
    image_keys,
    pdq_distance,
    pdq_keys,
)
from threadline.model import Ad
from threadline.synth.images import CopyPlan, base_picture, copy_plan, render_copy

REFS = [f"img/{i:016x}.jpg" for i in range(12)]
PLAIN = CopyPlan(crop=(0.0, 0.0, 0.0, 0.0), side=160, brightness=1.0, contrast=1.0, quality=90)
"""A re-encode at full quality: the gentlest copy."""
REPOST = CopyPlan(crop=(0.0, 0.0, 0.0, 0.0), side=112, brightness=1.06, contrast=0.95, quality=60)
"""A re-post as sites make them: smaller, re-toned, re-encoded at low quality."""


def ad(*images: str) -> Ad:
    return Ad(id="ad-1", source="t", title="t", body="b", content_hash="h", images=images)


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def hashed(result: ImageHash | Skipped) -> ImageHash:
    assert isinstance(result, ImageHash), str(result)
    return result


@pytest.fixture(scope="module")
def copies(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[ImageHash]]:
    """For each ref: hashes of the gentle copy, the re-post and four generator-made copies."""
    root = tmp_path_factory.mktemp("pictures")
    out: dict[str, list[ImageHash]] = {}
    for p, ref in enumerate(REFS):
        picture = base_picture(ref)
        plans = [PLAIN, REPOST] + [copy_plan(ref, f"ad-{k}") for k in range(4)]
        paths = [
            write(root / f"{p}-{k}.jpg", render_copy(picture, plan)) for k, plan in enumerate(plans)
        ]
        out[ref] = [hashed(hash_file(path)) for path in paths]
    return out


def test_hashes_real_files(tmp_path: Path) -> None:
    write(tmp_path / "img" / "a.jpg", render_copy(base_picture("a"), REPOST))
    Image.new("RGBA", (120, 90), (10, 200, 30, 128)).save(tmp_path / "img" / "b.png")
    results = image_hashes(ad("img/a.jpg", "./img/b.png", "img/a.jpg"), tmp_path)
    assert [r.ref for r in results] == ["img/a.jpg", "./img/b.png"]  # duplicates hashed once
    first, second = (hashed(r) for r in results)
    assert len(first.pdq) == 64
    assert int(first.pdq, 16) >= 0
    assert first.pdq == first.pdq.lower()
    assert 0 <= first.quality <= 100
    assert max(first.width, first.height) == REPOST.side
    assert (second.width, second.height) == (120, 90)


def test_copies_of_one_picture_match(copies: dict[str, list[ImageHash]]) -> None:
    for hashes in copies.values():
        plain, repost = hashes[0], hashes[1]
        assert pdq_distance(plain.pdq, repost.pdq) <= PDQ_MATCH


def test_generator_copies_are_mostly_near(copies: dict[str, list[ImageHash]]) -> None:
    """A quarter of the generator's copies are cropped, and PDQ does not survive crops of a
    few percent well; uncropped copies of a picture with structure nearly always match."""
    near = total = 0
    for ref, hashes in copies.items():
        uncropped = [h for k, h in enumerate(hashes[2:]) if copy_plan(ref, f"ad-{k}").cropped == 0]
        for a, b in itertools.combinations([hashes[1], *uncropped], 2):
            if a.usable and b.usable:
                total += 1
                near += pdq_distance(a.pdq, b.pdq) <= PDQ_MATCH
    assert total >= 20
    assert near / total >= 0.8


def test_different_pictures_are_far(copies: dict[str, list[ImageHash]]) -> None:
    firsts = [hashes[1].pdq for hashes in copies.values()]
    distances = [pdq_distance(a, b) for a, b in itertools.combinations(firsts, 2)]
    assert min(distances) > 2 * PDQ_MATCH
    assert 100 < sum(distances) / len(distances) < 156  # unrelated hashes sit near 128


def test_near_copies_share_a_blocking_key(copies: dict[str, list[ImageHash]]) -> None:
    """Keys are exact chunks: a guarantee below :data:`PDQ_CHUNKS` flipped bits, most
    matched copies beyond it, and no pair of different pictures here."""
    matched = shared = 0
    for hashes in copies.values():
        for a, b in itertools.combinations(hashes, 2):
            distance = pdq_distance(a.pdq, b.pdq)
            share = bool(set(pdq_keys(a.pdq)) & set(pdq_keys(b.pdq)))
            if distance < PDQ_CHUNKS:
                assert share
            if distance <= PDQ_MATCH:
                matched += 1
                shared += share
    assert matched >= 60
    assert shared / matched >= 0.85
    strangers = [hashes[1].pdq for hashes in copies.values()]
    for x, y in itertools.combinations(strangers, 2):
        assert not set(pdq_keys(x)) & set(pdq_keys(y))


@given(st.integers(0, 2**256 - 1), st.sets(st.integers(0, 255), max_size=PDQ_CHUNKS - 1))
def test_keys_are_shared_below_the_chunk_count(value: int, flips: set[int]) -> None:
    """Pigeonhole: fewer flipped bits than chunks leave at least one chunk intact."""
    a = f"{value:064x}"
    b = f"{value ^ sum(1 << i for i in flips):064x}"
    assert pdq_distance(a, b) == len(flips)
    assert pdq_distance(b, a) == len(flips)
    assert set(pdq_keys(a)) & set(pdq_keys(b))


def test_chunks_cover_every_bit_once() -> None:
    for chunks in (1, 8, 12, 16, 32, 256):
        bounds = chunk_bounds(chunks)
        assert len(bounds) == chunks == len(pdq_keys("0" * 64, chunks))
        assert bounds[0][0] == 0
        assert bounds[-1][1] == 256
        assert all(a[1] == b[0] for a, b in itertools.pairwise(bounds))
    with pytest.raises(ValueError, match="chunks"):
        chunk_bounds(0)
    with pytest.raises(ValueError, match="64 hexadecimal"):
        pdq_keys("abc")
    with pytest.raises(ValueError, match="64 hexadecimal"):
        pdq_distance("0" * 64, "0" * 63)


def test_low_quality_hashes_are_kept_but_not_linked(tmp_path: Path) -> None:
    Image.new("RGB", (128, 128), (120, 120, 120)).save(tmp_path / "flat.png")
    write(tmp_path / "good.jpg", render_copy(base_picture(REFS[0]), PLAIN))
    flat, good = (hashed(r) for r in hash_refs(["flat.png", "good.jpg"], tmp_path))
    assert flat.quality < MIN_QUALITY
    assert not flat.usable
    assert image_keys([flat]) == []
    assert good.usable
    assert image_keys([flat, good]) == sorted(pdq_keys(good.pdq))


def test_traversal_outside_the_root_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "root"
    inside = write(root / "img" / "ok.jpg", render_copy(base_picture("x"), PLAIN))
    outside = write(tmp_path / "secret.jpg", render_copy(base_picture("y"), PLAIN))
    os.symlink(outside, root / "img" / "link.jpg")
    refs = [
        "../secret.jpg",
        "img/../../secret.jpg",
        str(outside),
        f"file://{outside}",
        "img/link.jpg",
        str(inside),
        f"file://{inside}",
    ]
    results = hash_refs(refs, root)
    assert [r.code for r in results[:5] if isinstance(r, Skipped)] == ["outside-root"] * 5
    assert all(isinstance(r, ImageHash) for r in results[5:])


def test_urls_and_missing_files_are_reported_not_raised(tmp_path: Path) -> None:
    refs = [
        "https://cdn.example/a.jpg",
        "HTTP://cdn.example/b.jpg",
        "//cdn.example/c.jpg",
        "data:image/png;base64,iVBORw0KGgo=",
        "file://elsewhere.example/d.jpg",
        "img/missing.jpg",
        "",
        "img/\x00.jpg",
        "img",
    ]
    (tmp_path / "img").mkdir()
    codes = [r.code for r in image_hashes(ad(*refs), tmp_path) if isinstance(r, Skipped)]
    assert codes == [
        "url",
        "url",
        "url",
        "url",
        "url",
        "missing",
        "empty",
        "bad-ref",
        "not-a-file",
    ]
    skipped = hash_refs(["https://cdn.example/a.jpg"], tmp_path)[0]
    assert isinstance(skipped, Skipped)
    assert "never downloaded" in str(skipped)


def test_files_that_are_not_pictures_are_reported(tmp_path: Path) -> None:
    write(tmp_path / "notes.jpg", b"not a picture at all\n" * 10)
    write(tmp_path / "empty.png", b"")
    jpeg = render_copy(base_picture("z"), PLAIN)
    write(tmp_path / "cut.jpg", jpeg[: len(jpeg) // 3])
    write(tmp_path / "ok.jpg", jpeg)
    results = hash_refs(["notes.jpg", "empty.png", "cut.jpg", "ok.jpg"], tmp_path)
    assert [r.code for r in results[:2] if isinstance(r, Skipped)] == ["not-an-image"] * 2
    assert isinstance(results[2], Skipped)
    assert results[2].code == "unreadable"
    assert isinstance(results[3], ImageHash)


def test_decompression_bombs_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "big.jpg", render_copy(base_picture("b"), PLAIN))
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 5_000)  # 160 x 120 = 19,200 pixels
    result = hash_refs(["big.jpg"], tmp_path)[0]
    assert isinstance(result, Skipped)
    assert result.code == "too-large"


def test_large_pictures_are_reduced_before_hashing(tmp_path: Path) -> None:
    big = base_picture(REFS[3]).resize((1200, 900), Image.Resampling.BICUBIC)
    big.save(tmp_path / "big.png")
    reduced = hashed(hash_file(tmp_path / "big.png"))
    full = hashed(hash_file(tmp_path / "big.png", max_side=None))
    assert (reduced.width, reduced.height) == (full.width, full.height) == (1200, 900)
    assert pdq_distance(reduced.pdq, full.pdq) <= PDQ_MATCH // 2


def test_hashing_is_deterministic(tmp_path: Path) -> None:
    rng = random.Random(5)
    data = render_copy(base_picture(REFS[rng.randrange(len(REFS))]), REPOST)
    a = hashed(hash_file(write(tmp_path / "a.jpg", data)))
    b = hashed(hash_file(write(tmp_path / "b.jpg", data)))
    assert (a.pdq, a.quality) == (b.pdq, b.quality)

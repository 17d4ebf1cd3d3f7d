"""Synthetic advert pictures: abstract procedural images, and the perturbed copies re-posts make.

Nothing here is figurative: a picture is a colour gradient, a handful of random geometric shapes
(rectangles, ellipses, triangles, bars), a slight blur and a little noise, drawn from random
generators seeded by the image reference alone, so the same ref always gives the same picture.

Re-posting a picture rarely reproduces its bytes: sites re-encode and resize, posters crop.
:func:`copy_plan` decides, from a generator seeded by ``(ref, advert id)``, how the copy in one
advert differs: a quarter of copies (:data:`CROP_SHARE`) are cropped by up to 6% of the width
and of the height, split at random between the two sides; every copy is resized to 96-160
pixels on the long side, its brightness and contrast changed by up to 8%, and saved as JPEG
at quality 55-90. Copies in different adverts thus differ in bytes; uncropped ones stay near in
PDQ (95% within the match threshold), cropped ones often do not: PDQ is sensitive to crops,
and the benchmark (``python -m benchmarks.bench_images``) shows by how much.

:class:`ImagePainter` writes the copies of a corpus (``img/<advert id>-<k>.jpg``) and keeps the
most recently used base pictures in memory, since the workers of an operation re-use theirs.
"""

from __future__ import annotations

import hashlib
import io
import math
import random
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter

BASE_LONG_SIDE = 192
"""Long side of a base picture, in pixels; copies are cut from it and shrunk."""
ASPECTS = ((1, 1), (3, 4), (4, 3), (2, 3), (4, 5))
"""Width-to-height ratios of the base pictures (portrait-heavy, like advert photos)."""
CROP_SHARE = 0.25
"""Share of copies that are cropped at all (the others are resized and re-encoded only)."""
CROP_MAX = 0.06
COPY_SIDE = (96, 160)
JPEG_QUALITY = (55, 90)
TONE_MAX = 0.08
"""Largest relative change of brightness and of contrast in a copy."""
CACHE_SIZE = 512
"""Base pictures kept in memory by an :class:`ImagePainter` (at most 110 KB each)."""


def _seed(*parts: str) -> int:
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big")


def _colour(rng: random.Random) -> tuple[int, int, int]:
    return (rng.randrange(256), rng.randrange(256), rng.randrange(256))


def base_picture(ref: str) -> Image.Image:
    """The abstract RGB picture that ``ref`` stands for (same ref, same pixels)."""
    seed = _seed("picture", ref)
    rng = random.Random(seed)
    aw, ah = ASPECTS[rng.randrange(len(ASPECTS))]
    if aw >= ah:
        width, height = BASE_LONG_SIDE, BASE_LONG_SIDE * ah // aw
    else:
        width, height = BASE_LONG_SIDE * aw // ah, BASE_LONG_SIDE

    # A linear gradient between two colours at a random angle.
    angle = rng.uniform(0.0, 2.0 * math.pi)
    across = np.linspace(0.0, math.cos(angle), width, dtype=np.float32)
    down = np.linspace(0.0, math.sin(angle), height, dtype=np.float32)
    t = down[:, None] + across[None, :]
    t -= t.min()
    t /= max(float(t.max()), 1e-6)
    c0 = np.array(_colour(rng), np.float32)
    c1 = np.array(_colour(rng), np.float32)
    pixels = c0 + t[..., None] * (c1 - c0)
    picture = Image.fromarray(pixels.astype(np.uint8), "RGB")

    # Random geometric shapes, some half transparent.
    layer = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    for _ in range(rng.randint(4, 12)):
        kind = rng.randrange(4)
        alpha = rng.choice((255, 255, 200, 140))
        fill = (*_colour(rng), alpha)
        x0, x1 = sorted(rng.uniform(-0.2, 1.2) * width for _ in range(2))
        y0, y1 = sorted(rng.uniform(-0.2, 1.2) * height for _ in range(2))
        if x1 - x0 < width * 0.08:
            x1 = x0 + width * rng.uniform(0.08, 0.4)
        if y1 - y0 < height * 0.08:
            y1 = y0 + height * rng.uniform(0.08, 0.4)
        if kind == 0:
            draw.rectangle((x0, y0, x1, y1), fill=fill)
        elif kind == 1:
            draw.ellipse((x0, y0, x1, y1), fill=fill)
        elif kind == 2:
            points = [(rng.uniform(0, width), rng.uniform(0, height)) for _ in range(3)]
            draw.polygon(points, fill=fill)
        else:
            bar = max(2, int(min(width, height) * rng.uniform(0.02, 0.08)))
            draw.line((x0, y0, x1, y1), fill=fill, width=bar)
    picture = Image.alpha_composite(picture.convert("RGBA"), layer).convert("RGB")

    # Soften the edges, then add a little sensor-like noise.
    picture = picture.filter(ImageFilter.GaussianBlur(rng.uniform(0.4, 1.2)))
    sigma = rng.uniform(2.0, 6.0)
    noise = np.random.default_rng(seed).standard_normal((height, width, 1), dtype=np.float32)
    noisy = np.asarray(picture, np.float32) + noise * sigma
    return Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8), "RGB")


@dataclass(frozen=True, slots=True)
class CopyPlan:
    """How one re-posted copy differs from its base picture."""

    crop: tuple[float, float, float, float]
    """Fractions of the width or height cut from the left, top, right and bottom."""
    side: int
    """Long side of the copy, in pixels."""
    brightness: float
    contrast: float
    quality: int
    """JPEG quality."""

    @property
    def cropped(self) -> float:
        """The larger of the fractions of width and of height cut away."""
        left, top, right, bottom = self.crop
        return max(left + right, top + bottom)


def copy_plan(ref: str, advert_id: str) -> CopyPlan:
    """The perturbation of ``ref``'s picture in advert ``advert_id`` (same inputs, same plan).

    A share :data:`CROP_SHARE` of copies is cropped, by up to :data:`CROP_MAX` of each
    dimension split at random between the two sides; every copy is resized, re-toned and
    re-encoded.
    """
    rng = random.Random(_seed("copy", ref, advert_id))
    cropped = rng.random() < CROP_SHARE
    crop_w = rng.uniform(0.0, CROP_MAX) if cropped else 0.0
    crop_h = rng.uniform(0.0, CROP_MAX) if cropped else 0.0
    left = rng.uniform(0.0, crop_w)
    top = rng.uniform(0.0, crop_h)
    return CopyPlan(
        crop=(left, top, crop_w - left, crop_h - top),
        side=rng.randint(*COPY_SIDE),
        brightness=1.0 + rng.uniform(-TONE_MAX, TONE_MAX),
        contrast=1.0 + rng.uniform(-TONE_MAX, TONE_MAX),
        quality=rng.randint(*JPEG_QUALITY),
    )


def render_copy(picture: Image.Image, plan: CopyPlan) -> bytes:
    """JPEG bytes of ``picture`` perturbed as ``plan`` says."""
    width, height = picture.size
    left, top, right, bottom = plan.crop
    box = (
        round(left * width),
        round(top * height),
        round(width * (1.0 - right)),
        round(height * (1.0 - bottom)),
    )
    copy = picture.crop(box)
    cw, ch = copy.size
    scale = plan.side / max(cw, ch)
    size = (max(1, round(cw * scale)), max(1, round(ch * scale)))
    copy = copy.resize(size, Image.Resampling.LANCZOS)
    copy = ImageEnhance.Brightness(copy).enhance(plan.brightness)
    copy = ImageEnhance.Contrast(copy).enhance(plan.contrast)
    out = io.BytesIO()
    copy.save(out, "JPEG", quality=plan.quality)
    return out.getvalue()


def perturbed_copy(picture: Image.Image, ref: str, advert_id: str) -> bytes:
    """JPEG bytes of the copy of ``picture`` (the base picture of ``ref``) that appears in
    advert ``advert_id``: see :func:`copy_plan`."""
    return render_copy(picture, copy_plan(ref, advert_id))


class ImagePainter:
    """Writes the per-advert copies of a corpus's pictures under ``out_dir/img``."""

    def __init__(self, out_dir: Path, cache_size: int = CACHE_SIZE) -> None:
        self.out_dir = Path(out_dir)
        self.folder = self.out_dir / "img"
        self.cache_size = cache_size
        self._cache: OrderedDict[str, Image.Image] = OrderedDict()
        self.written = 0

    def picture(self, ref: str) -> Image.Image:
        cached = self._cache.get(ref)
        if cached is not None:
            self._cache.move_to_end(ref)
            return cached
        picture = base_picture(ref)
        self._cache[ref] = picture
        if len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)
        return picture

    def paint(self, advert_id: str, refs: Sequence[str]) -> list[str]:
        """Write a copy of each ref's picture for this advert; returns the new refs
        (``img/<advert id>-<k>.jpg``, relative to the output folder), in order."""
        if refs:
            self.folder.mkdir(parents=True, exist_ok=True)
        names = []
        for k, ref in enumerate(refs):
            name = f"img/{advert_id}-{k}.jpg"
            data = perturbed_copy(self.picture(ref), ref, advert_id)
            (self.out_dir / name).write_bytes(data)
            self.written += 1
            names.append(name)
        return names

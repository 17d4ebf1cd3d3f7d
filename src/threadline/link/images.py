"""PDQ hashes of an advert's pictures, their distance, and blocking keys for them.

PDQ is Meta's perceptual image hash, the one hash-sharing programmes exchange (ThreatExchange,
StopNCII): 256 bits from the signs of a 16x16 block of DCT coefficients of the picture's
luminance, downsampled to 64x64, plus a quality score 0-100 that says how much structure the
picture has. Copies of one picture (re-encoded, resized, re-toned) have hashes a small Hamming
distance apart; unrelated pictures sit near 128 of 256. Computed here with ``pdqhash`` (MIT;
bindings that compile Meta's reference C++ hashing code, BSD-style licence), pixels decoded
by Pillow (MIT-CMU).

Only pictures that are present as local files are hashed: an advert names its pictures as
written in the input (``img/a.jpg``, ``/data/case/img/a.jpg``, ``https://...``) and nothing is
ever downloaded. A reference resolves against a *root* folder (the folder the adverts were read
from); an absolute path or a symbolic link must land inside the root too, so an input file
cannot make Threadline read ``/etc/shadow``. Whatever cannot be hashed (a URL, a missing,
unreadable, oversized or non-image file, a path outside the root) comes back as a
:class:`Skipped` with its reason, never as an exception: one bad picture must not stop a batch.
Pillow's decompression-bomb limit (``Image.MAX_IMAGE_PIXELS``) is enforced as a refusal, and
files above :data:`MAX_BYTES` are not opened.

Thresholds (from Meta's reference implementation, ``facebook/ThreatExchange``,
``pdq/README.md``, "Matching", and the algorithm paper ``hashing/hashing.pdf``):

- :data:`PDQ_MATCH` = 31: two hashes at Hamming distance <= 31 of 256 bits are a match;
- :data:`MIN_QUALITY` = 50: hashes of quality <= 49 are recommended to be discarded. Here they
  are kept (an analyst may still want to see them) but :attr:`ImageHash.usable` is false and
  they yield no blocking keys, so they never link adverts.

Blocking keys (multi-index hashing). Comparing every pair of a million hashes is 5 * 10^11
popcounts; instead each hash is cut into :data:`PDQ_CHUNKS` contiguous runs of bits, and each
run is a key (``pdq12:<i>:<hex>``): two hashes become candidates when one run is identical,
and candidates are then checked with the full distance. A guarantee for every pair within 31
bits would need 32 runs of 8 bits (pigeonhole), whose chance collisions (a pair of unrelated
hashes shares one of them with probability about 32/256) make the cost quadratic. Fewer runs
trade recall for cost; any pair closer than the number of runs always shares one. Measured by
``python -m benchmarks.bench_images`` (1,500 synthetic pictures x 4 re-posted copies; figures
in ``docs/benchmarks.md``, discussion in ``docs/images-and-style.md``):

- copies of one picture that were only resized (96-160 px), re-toned (up to 8%) and
  re-encoded (JPEG quality 55-90) differ by a median of 18 bits, 95% within 31; PDQ does not
  survive crops well (cutting 3% off one side costs 40-50 bits), so pairs with a cropped
  copy (up to 6%) are matched only 20-27% of the time, whatever the blocking does; unrelated
  pictures sit at a median of 128 bits, none of 1.1 million pairs within 31;
- of the matched pairs (distance <= 31), 67% share a key with 8 runs of 32 bits, 85% with 10,
  94.5% with 12, 98% with 14 and 99.4% with 16. With 12 runs, flips at random positions would
  leave 90% sharing: the flipped bits cluster in the weak rows of the DCT (bits are stored row
  by row), so contiguous runs beat interleaved ones (90% measured);
- unrelated pictures share a key about four times more often than random bits would, and
  with 12 runs that is 1.9 * 10^-5 per pair: about 10 chance candidates per picture among a
  million pictures (one popcount each), against 60 with 14 runs and 280 with 16.

Twelve runs (four of 22 bits, eight of 21) keep the cost near-linear up to millions of
pictures for 94.5% of the matched pairs; a pair missed can still be joined through another
copy of the picture or the operation's other evidence. Near copies become one
``picture=`` key (:mod:`threadline.link.pictures`), and a stock picture shown by unrelated
posters is judged a shared key (a hub) like a help line.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import numpy as np
import pdqhash  # type: ignore[import-untyped]
from PIL import Image, ImageOps, UnidentifiedImageError

from threadline.model import Ad

NAME = "link.images"
VERSION = 1
PDQ_BITS = 256
PDQ_MATCH = 31
"""Largest Hamming distance (of 256 bits) at which two PDQ hashes are the same picture: the
threshold Meta's reference implementation recommends (ThreatExchange ``pdq/README.md``)."""
MIN_QUALITY = 50
"""PDQ quality below which a hash is kept but not used for linking (the reference recommends
discarding hashes of quality <= 49)."""
PDQ_CHUNKS = 12
"""Blocking chunks per hash (4 of 22 bits, then 8 of 21); see the module docstring."""
MAX_BYTES = 32 * 2**20
"""Files larger than this are not opened."""
MAX_SIDE = 512
"""Pictures larger than this (on either side) are reduced with a box filter before hashing,
JPEG files already while decoding (DCT scaling): PDQ itself reduces every picture to 64x64,
and a 3000x2000 JPEG photo takes 0.35 s of CPU to hash in full, 20 ms reduced. The price is a
few bits: measured on synthetic pictures, a median of 7-8 bits between the reduced and the
full-resolution hash. Every hash of a corpus is made the same way, so linking is unaffected;
to compare with hashes that other tools made at full resolution, pass ``max_side=None``."""
ALGORITHM = f"pdq/pdqhash-{pdqhash.__version__}/max-side-{MAX_SIDE}"
"""How the hashes are made, to record beside stored hashes: another implementation or another
reduction may put the same picture a few bits away."""

_URL_SCHEMES = frozenset({"http", "https", "ftp", "ftps", "data", "s3", "gs", "blob"})


@dataclass(frozen=True, slots=True)
class ImageHash:
    """The PDQ hash of one picture of an advert."""

    ref: str
    """The reference as the advert wrote it."""
    pdq: str
    """64 hexadecimal digits, most significant bit first (the reference's text form)."""
    quality: int
    """PDQ quality 0-100: how much structure the picture has."""
    width: int
    height: int
    """Size of the picture as stored (before any reduction, before EXIF rotation)."""

    @property
    def usable(self) -> bool:
        """True when the hash may link adverts (quality at least :data:`MIN_QUALITY`)."""
        return self.quality >= MIN_QUALITY


@dataclass(frozen=True, slots=True)
class Skipped:
    """A picture that was not hashed, and why."""

    ref: str
    code: str
    """``url``, ``empty``, ``bad-ref``, ``outside-root``, ``missing``, ``not-a-file``,
    ``too-large``, ``not-an-image`` or ``unreadable``."""
    reason: str

    def __str__(self) -> str:
        return f"{self.code}: {self.reason}"


def image_hashes(
    ad: Ad, root: Path, max_side: int | None = MAX_SIDE
) -> tuple[ImageHash | Skipped, ...]:
    """One result per distinct picture reference of ``ad``, in the advert's order: the hash
    of each local file under ``root``, or why it was skipped."""
    return hash_refs(ad.images, root, max_side)


def hash_refs(
    refs: Iterable[str], root: Path, max_side: int | None = MAX_SIDE
) -> tuple[ImageHash | Skipped, ...]:
    """:func:`image_hashes` for references outside an advert."""
    base = Path(root).resolve()
    out: list[ImageHash | Skipped] = []
    seen: set[str] = set()
    for ref in refs:
        if ref in seen:
            continue
        seen.add(ref)
        found = resolve(ref, base)
        out.append(found if isinstance(found, Skipped) else hash_file(found, ref, max_side))
    return tuple(out)


def resolve(ref: str, root: Path) -> Path | Skipped:
    """The local file ``ref`` names under ``root``, or why there is none to read."""
    text = ref.strip()
    if not text:
        return Skipped(ref, "empty", "empty image reference")
    if "\x00" in text:
        return Skipped(ref, "bad-ref", "NUL character in the reference")
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme == "file":
        if parts.netloc not in ("", "localhost"):
            return Skipped(ref, "url", f"file URL on another host ({parts.netloc}): not read")
        text = unquote(parts.path)
    elif scheme in _URL_SCHEMES or "://" in text or parts.netloc:
        return Skipped(ref, "url", "a URL: pictures are never downloaded, only local files hashed")
    root = Path(root).resolve()
    path = Path(text)
    try:
        target = (path if path.is_absolute() else root / path).resolve()
    except (OSError, RuntimeError, ValueError) as exc:
        return Skipped(ref, "bad-ref", f"cannot resolve the path: {exc}")
    if not target.is_relative_to(root):
        return Skipped(ref, "outside-root", f"resolves outside the image root {root}")
    try:
        if not target.exists():
            return Skipped(ref, "missing", "no such file under the image root")
        if not target.is_file():
            return Skipped(ref, "not-a-file", "not a regular file")
    except OSError as exc:
        return Skipped(ref, "unreadable", f"cannot stat the file: {exc.strerror or exc}")
    return target


def hash_file(
    path: Path, ref: str | None = None, max_side: int | None = MAX_SIDE
) -> ImageHash | Skipped:
    """The PDQ hash of the picture in ``path`` (no root check: see :func:`resolve`)."""
    ref = str(path) if ref is None else ref
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return Skipped(ref, "missing", "no such file")
    except OSError as exc:
        return Skipped(ref, "unreadable", f"cannot stat the file: {exc.strerror or exc}")
    if size > MAX_BYTES:
        return Skipped(ref, "too-large", f"{size} bytes, more than {MAX_BYTES}")
    try:
        # Pillow warns above MAX_IMAGE_PIXELS and raises above twice that; the warning is
        # made an error here, and the size checked again below in case another thread's
        # warning filters won (catch_warnings is process-wide).
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as opened:
                limit = Image.MAX_IMAGE_PIXELS
                width, height = opened.size
                if limit is not None and width * height > limit:
                    return Skipped(ref, "too-large", f"{width}x{height} pixels, above {limit}")
                picture = _decoded(opened, max_side)
        pdq, quality = pdq_hash(picture)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        return Skipped(ref, "too-large", f"decompression-bomb guard: {exc}")
    except UnidentifiedImageError:
        return Skipped(ref, "not-an-image", "not a picture format Pillow can read")
    except OSError as exc:
        return Skipped(ref, "unreadable", f"cannot read the picture: {exc}")
    except Exception as exc:  # a corrupt file can make a decoder raise almost anything
        return Skipped(ref, "unreadable", f"cannot decode the picture: {type(exc).__name__}")
    return ImageHash(ref, pdq, quality, width, height)


def _decoded(opened: Image.Image, max_side: int | None) -> Image.Image:
    """The picture as RGB pixels: upright (EXIF orientation), transparency on white, reduced
    to ``max_side`` (see :data:`MAX_SIDE`)."""
    if max_side is not None and opened.format == "JPEG":
        opened.draft("RGB", (max_side, max_side))
    picture = ImageOps.exif_transpose(opened)
    if picture.mode != "RGB":
        if "A" in picture.getbands() or "transparency" in picture.info:
            rgba = picture.convert("RGBA")
            background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
            picture = Image.alpha_composite(background, rgba)
        picture = picture.convert("RGB")
    if max_side is not None and max(picture.size) > max_side:
        picture.thumbnail((max_side, max_side), Image.Resampling.BOX)
    picture.load()
    return picture


def pdq_hash(picture: Image.Image) -> tuple[str, int]:
    """``(hex, quality)`` of a decoded picture (any mode; converted to RGB)."""
    rgb = picture if picture.mode == "RGB" else picture.convert("RGB")
    pixels = np.ascontiguousarray(np.asarray(rgb, dtype=np.uint8))
    bits, quality = pdqhash.compute(pixels)
    return np.packbits(np.asarray(bits, dtype=np.uint8)).tobytes().hex(), int(quality)


def pdq_distance(a: str, b: str) -> int:
    """Hamming distance between two PDQ hashes given as 64 hex digits (0-256)."""
    if len(a) != PDQ_BITS // 4 or len(b) != PDQ_BITS // 4:
        raise ValueError("a PDQ hash is 64 hexadecimal digits")
    return (int(a, 16) ^ int(b, 16)).bit_count()


def pdq_match(a: str, b: str) -> bool:
    """True when the two hashes are the same picture by :data:`PDQ_MATCH`."""
    return pdq_distance(a, b) <= PDQ_MATCH


def chunk_bounds(chunks: int = PDQ_CHUNKS) -> list[tuple[int, int]]:
    """``(start, stop)`` bit positions (from the most significant) of each blocking chunk:
    ``chunks`` contiguous runs as equal as possible (the first ones one bit longer)."""
    if not 1 <= chunks <= PDQ_BITS:
        raise ValueError(f"chunks must be 1..{PDQ_BITS}, got {chunks}")
    size, extra = divmod(PDQ_BITS, chunks)
    bounds, start = [], 0
    for i in range(chunks):
        stop = start + size + (1 if i < extra else 0)
        bounds.append((start, stop))
        start = stop
    return bounds


def pdq_keys(pdq: str, chunks: int = PDQ_CHUNKS) -> list[str]:
    """Blocking keys of one hash: ``pdq<chunks>:<i>:<hex value of chunk i>``. Two hashes
    that share a key agree exactly on that chunk; see the module docstring for the count."""
    if len(pdq) != PDQ_BITS // 4:
        raise ValueError("a PDQ hash is 64 hexadecimal digits")
    value = int(pdq, 16)
    keys = []
    for i, (start, stop) in enumerate(chunk_bounds(chunks)):
        part = (value >> (PDQ_BITS - stop)) & ((1 << (stop - start)) - 1)
        keys.append(f"pdq{chunks}:{i}:{part:x}")
    return keys


def image_keys(results: Iterable[ImageHash | Skipped], chunks: int = PDQ_CHUNKS) -> list[str]:
    """Blocking keys of an advert's usable hashes (low-quality hashes and skips give none)."""
    keys: set[str] = set()
    for result in results:
        if isinstance(result, ImageHash) and result.usable:
            keys.update(pdq_keys(result.pdq, chunks))
    return sorted(keys)

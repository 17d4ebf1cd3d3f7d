"""Per-advert records for linking: a MinHash of the advert's template, and exact keys.

An operation re-posts one wording with the parts that vary changed: names, ages, cities,
prices, dates, a new phone. So the template is what is compared: every identifier the
extractors found (phones, ages, prices, places...) is replaced by a placeholder of its kind,
capitalised words inside a sentence (most often names) by ``⟨name⟩``, every remaining digit
run by ``#``, and the text is case- and accent-folded before it is cut into word shingles.
Two adverts of one template then share nearly all their shingles, however their slots were
filled.

:func:`sign_doc` turns an extracted advert into the compact
:class:`~threadline.model.LinkSignature` that linking works on, with these exact keys:

- ``phone=+33612345678``, ``email=...``, ``handle=telegram:x``, ``wallet=...``,
  ``payment=...``: the identifiers that tie an advert to whoever runs it;
- ``wording=<hex>``: a hash of the advert's exact wording with only the contact details taken
  out (prices and ages by their values, so "6.000 CAD/mês" and "$6000 por mês" agree).
  Re-posting the very same text with a new phone number is what an operation rotating its
  phones does; two posters who merely share a template differ in names, places, figures or
  emoji, which the wording keeps.

The MinHash (:func:`shingle_hashes`, :func:`minhash_values`): each word is hashed once (SHA-1,
cached), a shingle's 32-bit hash mixes its three words' hashes, and 128 affine permutations
modulo 2^32 (drawn as datasketch draws its ``affine32`` ones, seed 7) after the MurmurHash3
finaliser give the minimum per permutation; numpy does it for all shingles of an advert at once,
five times faster than hashing every shingle with SHA-1. Algorithm, seed, permutations,
shingle size and masking version are recorded in every record's ``settings``, because records
made with other settings cannot be compared.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from threadline.indicators.fold import fold
from threadline.link.blocking import LINKING_KINDS, identifier_keys
from threadline.link.images import ImageHash, image_hashes, pdq_keys
from threadline.link.style import style_vectors
from threadline.model import Ad, Doc, Identifier, LinkSignature

ALGORITHM = "minhash-tok3-affine32"
"""Word 3-shingles hashed from per-word SHA-1 hashes, affine permutations modulo 2^32."""
NUM_PERM = 128
SEED = 7
SHINGLE_WORDS = 3
MASKING = 2
"""Version of the masking (:func:`template_text`) and of the wording key: a change of either
changes what a record means."""
SETTINGS = f"{ALGORITHM};seed={SEED};perm={NUM_PERM};shingle={SHINGLE_WORDS};mask={MASKING}"
"""What :attr:`LinkSignature.settings` says: records with other settings do not compare."""
MASKED_KINDS = frozenset(
    {"phone", "email", "handle", "url", "wallet", "payment", "age", "price", "place"}
)
"""Identifier kinds that fill a template's slots (language describes the whole advert)."""
WORDING_MASKED = frozenset({"phone", "email", "handle", "url", "wallet", "payment", "age", "price"})
"""Spans taken out of the wording key: contact details, and ages and prices, which count by
their normalised values (however they were written). Places and names stay as written."""
WORDING_VALUES = frozenset({"age", "price"})

_TOKEN = re.compile(r"⟨[a-z]+⟩|#|[^\W\d_]+", re.UNICODE)
_DIGITS = re.compile(r"\d+")
# A capitalised word inside a sentence is most often a name (a person's, a club's); names are
# a slot operations change between re-posts, and no extractor finds them yet, so such words
# are masked. Words capitalised because they start a sentence are kept.
_NAME = re.compile(r"(?<=[^\W\d_] )[A-ZÀ-ÖØ-Þ][^\W\d_]+")
_NOT_NAMES = frozenset({"i", "whatsapp", "telegram", "signal", "instagram", "snapchat"})
# Wording tokens: words, numbers, placeholders, and pictographs (an operation's emoji is part
# of its wording); punctuation and spacing are not, so a contact written another way does not
# change the key. Leftovers of a masked link ("https", "www") are dropped.
_SYMBOLS = "\u2190-\u21ff\u2300-\u23ff\u2600-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff"
_WORDING_TOKEN = re.compile(rf"⟨[a-z]+⟩|[^\W_]+|[{_SYMBOLS}]", re.UNICODE)
_LINK_LEFTOVERS = frozenset({"http", "https", "www"})


def _spans(identifiers: Sequence[Identifier]) -> list[tuple[int, int, str]]:
    """Non-overlapping spans of the masked kinds, in order (the first of overlapping wins)."""
    spans = sorted(
        (i.span.start, i.span.end, i.kind)
        for i in identifiers
        if i.kind in MASKED_KINDS and i.span.end > i.span.start
    )
    out: list[tuple[int, int, str]] = []
    at = 0
    for start, end, kind in spans:
        if start < at:  # overlapping spans (a phone inside a URL): the first one masks
            continue
        out.append((start, end, kind))
        at = end
    return out


def template_text(text: str, identifiers: Sequence[Identifier]) -> str:
    """``text`` with identifier spans replaced by ``⟨kind⟩``, names by ``⟨name⟩`` and digit
    runs by ``#``, folded."""
    return _template(text, fold(text), _spans(identifiers))


def _template(text: str, folded: str, spans: Sequence[tuple[int, int, str]]) -> str:
    # names are found in the original text (capitals), cut from the folded one: the fold keeps
    # every offset
    cuts = [(start, 0, end, kind) for start, end, kind in spans]
    for match in _NAME.finditer(text):
        if match.group(0).lower() not in _NOT_NAMES:
            cuts.append((match.start(), 1, match.end(), "name"))
    cuts.sort()  # an identifier starting where a name does wins
    pieces: list[str] = []
    at = 0
    for start, _, end, kind in cuts:
        if start < at:
            continue
        pieces += [folded[at:start], f" ⟨{kind}⟩ "]
        at = end
    pieces.append(folded[at:])
    return _DIGITS.sub("#", "".join(pieces))


def names_in(text: str) -> list[str]:
    """The capitalised words inside sentences that the template masks as ``⟨name⟩``."""
    return [m.group(0) for m in _NAME.finditer(text) if m.group(0).lower() not in _NOT_NAMES]


def wording_key(text: str, identifiers: Sequence[Identifier]) -> str:
    """``wording=<16 hex>``: the exact wording with contact details taken out (see above)."""
    return _wording(fold(text), _spans(identifiers), identifiers)


def _wording(
    folded: str, spans: Sequence[tuple[int, int, str]], identifiers: Sequence[Identifier]
) -> str:
    pieces: list[str] = []
    at = 0
    for start, end, kind in spans:
        if kind not in WORDING_MASKED:
            continue
        pieces += [folded[at:start], f" ⟨{kind}⟩ "]
        at = end
    pieces.append(folded[at:])
    tokens = [t for t in _WORDING_TOKEN.findall("".join(pieces)) if t not in _LINK_LEFTOVERS]
    values = sorted(f"{i.kind}:{i.value}" for i in identifiers if i.kind in WORDING_VALUES)
    digest = hashlib.blake2b(
        (" ".join(tokens) + "\x00" + "\x00".join(values)).encode("utf-8"), digest_size=8
    )
    return "wording=" + digest.hexdigest()


def shingles(template: str, size: int = SHINGLE_WORDS) -> set[str]:
    """Distinct runs of ``size`` consecutive tokens (all tokens if the text is shorter)."""
    tokens = _TOKEN.findall(template)
    if len(tokens) < size:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


U32 = np.ndarray[Any, np.dtype[np.uint32]]
_TOKEN_HASHES: dict[str, int] = {}
_TOKEN_CACHE = 1_000_000


def _token_hash(token: str) -> int:
    value = _TOKEN_HASHES.get(token)
    if value is None:
        if len(_TOKEN_HASHES) >= _TOKEN_CACHE:
            _TOKEN_HASHES.clear()
        digest = hashlib.sha1(token.encode("utf-8")).digest()
        value = _TOKEN_HASHES[token] = int.from_bytes(digest[:4], "little")
    return value


@functools.cache
def _permutations() -> tuple[U32, U32]:
    # made once: affine maps h -> a*h + b modulo 2**32 with odd a (bijections), drawn as
    # datasketch draws its affine32 permutations for a seed
    gen = np.random.RandomState(SEED)
    a = gen.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


def _fmix32(hv: U32) -> U32:
    """MurmurHash3's 32-bit finaliser: a bijection that spreads every input bit."""
    hv = hv ^ (hv >> np.uint32(16))
    hv = hv * np.uint32(0x85EBCA6B)
    hv = hv ^ (hv >> np.uint32(13))
    hv = hv * np.uint32(0xC2B2AE35)
    return hv ^ (hv >> np.uint32(16))


def shingle_hashes(tokens: Sequence[str], size: int = SHINGLE_WORDS) -> list[int]:
    """32-bit hashes of the runs of ``size`` consecutive tokens (one run if fewer tokens).

    Each token is hashed once (SHA-1, first 4 bytes little-endian; cached: a corpus has few
    distinct words), and a run's hash mixes its tokens' hashes by position, so it is the same
    for the same words in the same order, whatever advert they come from. (The finaliser in
    :func:`minhash_values` then spreads the bits.)
    """
    cache = _TOKEN_HASHES
    t = [cache.get(token) or _token_hash(token) for token in tokens]
    if size != 3:
        if len(t) < size:
            t += [0] * (size - len(t))
        return [
            sum(h * m for h, m in zip(t[i : i + size], _MULTIPLIERS, strict=False)) & 0xFFFFFFFF
            for i in range(len(t) - size + 1)
        ]
    if len(t) < 3:
        t += [0] * (3 - len(t))
    m1, m2, m3 = _MULTIPLIERS[:3]
    return [
        (x * m1 + y * m2 + z * m3) & 0xFFFFFFFF for x, y, z in zip(t, t[1:], t[2:], strict=False)
    ]


_MULTIPLIERS = (0x9E3779B1, 0x85EBCA77, 0xC2B2AE3D, 0x27D4EB2F, 0x165667B1)


def minhash_values(hashes: Sequence[int] | U32) -> U32:
    """The MinHash (``NUM_PERM`` values) of a set of 32-bit shingle hashes."""
    batch = _minhash_batch(np.asarray(hashes, dtype=np.uint32), np.zeros(1, dtype=np.intp))
    values: U32 = batch[0]
    return values


def _minhash_batch(hashes: U32, starts: np.ndarray[Any, np.dtype[np.intp]]) -> U32:
    """MinHashes of several adverts at once: ``hashes`` concatenated, advert ``i``'s from
    ``starts[i]`` (every advert has at least one)."""
    a, b = _permutations()
    if not len(hashes):
        return np.full((len(starts), NUM_PERM), 0xFFFFFFFF, dtype=np.uint32)
    with np.errstate(over="ignore"):
        values = a[:, None] * _fmix32(hashes) + b[:, None]  # wraps modulo 2**32
    result: U32 = np.minimum.reduceat(values, starts, axis=1).T
    return result


def pack(values: Iterable[int] | np.ndarray[Any, Any]) -> bytes:
    """MinHash values as little-endian uint32, packed: the form records keep them in."""
    return np.asarray(values, dtype="<u4").tobytes()


def unpack(minhash: bytes) -> U32:
    """The MinHash values of a packed record."""
    return np.frombuffer(minhash, dtype="<u4")


@dataclass(frozen=True, slots=True)
class _Prepared:
    ad: Ad
    hashes: list[int]
    keys: list[str]
    language: str
    pictures: tuple[str, ...] = ()
    names: tuple[str, ...] = ()


def shown_names(text: str, spans: Sequence[tuple[int, int, str]]) -> tuple[str, ...]:
    """The names an advert shows (capitalised words inside sentences, as the template masks
    them) outside any span an extractor read as something else (a place, a handle...), folded."""
    found = set()
    for m in _NAME.finditer(text):
        word = m.group(0)
        if word.lower() in _NOT_NAMES:
            continue
        if any(start < m.end() and m.start() < end for start, end, _ in spans):
            continue
        found.add(fold(word))
    return tuple(sorted(found))


def pictures_of(ad: Ad, root: Path | None) -> tuple[str, ...]:
    """PDQ hashes of the advert's pictures that are local files under ``root`` and good
    enough to compare (none without a root: nothing is ever downloaded)."""
    if root is None or not ad.images:
        return ()
    found = image_hashes(ad, root)
    return tuple(sorted({h.pdq for h in found if isinstance(h, ImageHash) and h.usable}))


def picture_keys(pictures: Sequence[str]) -> list[str]:
    """Blocking keys of the pictures (``pdq=<chunk>``): near copies share at least one."""
    return sorted({f"pdq={k}" for pdq in pictures for k in pdq_keys(pdq)})


def pack_style(vector: Sequence[float]) -> bytes:
    """A style vector as signed bytes (values in [-1, 1], times 127)."""
    return np.clip(np.round(np.asarray(vector) * 127), -127, 127).astype(np.int8).tobytes()


def unpack_style(style: bytes) -> npt.NDArray[np.float64]:
    return np.frombuffer(style, dtype=np.int8).astype(np.float64) / 127


def _prepare(doc: Doc, root: Path | None = None) -> _Prepared | None:
    ad = doc.ad
    if ad is None:
        return None
    text = ad.text
    folded = fold(text)
    spans = _spans(doc.identifiers)
    tokens = _TOKEN.findall(_template(text, folded, spans))
    keys = identifier_keys(doc.identifiers)
    if text.strip():
        keys.append(_wording(folded, spans, doc.identifiers))
    language = ad.language or next((i.value for i in doc.identifiers if i.kind == "language"), "")
    pictures = pictures_of(ad, root)
    keys += picture_keys(pictures)
    hashes = shingle_hashes(tokens) if tokens else []
    return _Prepared(ad, hashes, keys, language, pictures, shown_names(text, spans))


def sign_docs(
    docs: Iterable[Doc], batch: int = 2048, *, image_root: Path | None = None
) -> list[LinkSignature | None]:
    """:func:`sign_doc` over many documents, the MinHashes computed a batch at a time (the
    same records, several times faster than one by one)."""
    out: list[LinkSignature | None] = []
    chunk: list[_Prepared | None] = []
    enabled = gc.isenabled()
    gc.disable()  # many small objects, no cycles: a collection would walk every live record
    try:
        for doc in docs:
            chunk.append(_prepare(doc, image_root))
            if len(chunk) >= batch:
                out += _sign_prepared(chunk)
                chunk = []
        if chunk:
            out += _sign_prepared(chunk)
    finally:
        if enabled:
            gc.enable()
    return out


def _sign_prepared(prepared: Sequence[_Prepared | None]) -> list[LinkSignature | None]:
    with_words = [p for p in prepared if p is not None and p.hashes]
    minhashes: dict[int, bytes] = {}
    if with_words:
        sizes = np.fromiter((len(p.hashes) for p in with_words), dtype=np.intp)
        starts = np.zeros(len(sizes), dtype=np.intp)
        np.cumsum(sizes[:-1], out=starts[1:])
        hashes = np.fromiter(
            (h for p in with_words for h in p.hashes), dtype=np.uint32, count=int(sizes.sum())
        )
        values = _minhash_batch(hashes, starts).astype("<u4")
        minhashes = {id(p): values[i].tobytes() for i, p in enumerate(with_words)}
    present = [p for p in prepared if p is not None]
    styles = dict(zip(map(id, present), style_vectors([p.ad.text for p in present]), strict=True))
    out: list[LinkSignature | None] = []
    for p in prepared:
        if p is None:
            out.append(None)
            continue
        ad = p.ad
        when = ad.posted_at or ad.captured_at
        out.append(
            LinkSignature(
                ad_id=ad.id,
                settings=SETTINGS,
                minhash=minhashes.get(id(p), b""),
                shingles=len(set(p.hashes)),
                keys=tuple(p.keys),
                posted_at=when.isoformat() if when else "",
                place=ad.place or "",
                source=ad.source,
                language=p.language,
                pictures=p.pictures,
                style=pack_style(styles[id(p)]),
                names=p.names,
            )
        )
    return out


def sign_doc(doc: Doc, *, image_root: Path | None = None) -> LinkSignature | None:
    """The compact record linking works on, or None for a document without an advert.

    Keys: the linking identifiers (``phone=+33...``, ``handle=telegram:x``...) and the wording
    key. The MinHash is empty for a template without words.
    """
    return _sign_prepared([_prepare(doc, image_root)])[0]


def similarity(a: LinkSignature, b: LinkSignature) -> float:
    """Estimated Jaccard similarity of two adverts' templates (0 if either is too short)."""
    if a.settings != b.settings:
        raise ValueError("signatures made with different settings cannot be compared")
    if not a.minhash or not b.minhash:
        return 0.0
    x, y = unpack(a.minhash), unpack(b.minhash)
    return int(np.count_nonzero(x == y)) / len(x)


__all__ = [
    "LINKING_KINDS",
    "SETTINGS",
    "minhash_values",
    "names_in",
    "pack",
    "shingle_hashes",
    "shingles",
    "sign_doc",
    "sign_docs",
    "similarity",
    "template_text",
    "unpack",
    "wording_key",
]

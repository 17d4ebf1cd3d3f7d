"""Per-advert signatures for linking: a MinHash of the advert's template, and its style.

An operation re-posts one wording with the parts that vary changed: names, ages, cities,
prices, dates, a new phone. So the template is what is compared: every identifier the
extractors found (phones, ages, prices, places...) is replaced by a placeholder of its kind,
every remaining digit run by ``#``, and the text is case- and accent-folded before it is cut
into word shingles. Two adverts of one template then share nearly all their shingles, however
their slots were filled.

The MinHash comes from ``datasketch``; the algorithm, seed and number of permutations are part
of every signature, because signatures made with other settings cannot be compared.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from datasketch import MinHash  # type: ignore[import-untyped]

from threadline.indicators.fold import fold
from threadline.model import Ad, Identifier

ALGORITHM = "minhash-datasketch-affine32"
SCHEME = "affine32"
"""datasketch 2's hashing scheme, named explicitly so that a later default cannot change
what a stored signature means."""
NUM_PERM = 128
SEED = 7
SHINGLE_WORDS = 3
MASKED_KINDS = frozenset(
    {"phone", "email", "handle", "url", "wallet", "payment", "age", "price", "place"}
)
"""Identifier kinds that fill a template's slots (language describes the whole advert)."""

_TOKEN = re.compile(r"⟨[a-z]+⟩|#|[^\W\d_]+", re.UNICODE)
_DIGITS = re.compile(r"\d+")
# A capitalised word inside a sentence is most often a name (a person's, a club's); names are
# a slot operations change between re-posts, and no extractor finds them yet, so such words
# are masked. Words capitalised because they start a sentence are kept.
_NAME = re.compile(r"(?<=[^\W\d_] )[A-ZÀ-ÖØ-Þ][^\W\d_]+")
_NOT_NAMES = frozenset({"i", "whatsapp", "telegram", "signal", "instagram", "snapchat"})


@dataclass(frozen=True, slots=True)
class Signature:
    """An advert's template MinHash, with the settings it was made with."""

    ad_id: str
    hashvalues: tuple[int, ...]
    algorithm: str = ALGORITHM
    seed: int = SEED
    num_perm: int = NUM_PERM
    shingles: int = 0
    """How many distinct shingles the template had (0: too short to compare)."""

    def similarity(self, other: Signature) -> float:
        """Estimated Jaccard similarity of the two templates' shingle sets."""
        if (self.algorithm, self.seed, self.num_perm) != (
            other.algorithm,
            other.seed,
            other.num_perm,
        ):
            raise ValueError("signatures made with different settings cannot be compared")
        if not self.shingles or not other.shingles:
            return 0.0
        same = sum(a == b for a, b in zip(self.hashvalues, other.hashvalues, strict=True))
        return same / self.num_perm


def template_text(text: str, identifiers: Sequence[Identifier]) -> str:
    """``text`` with identifier spans replaced by ``⟨kind⟩`` and digit runs by ``#``, folded."""
    spans = sorted(
        (i.span.start, i.span.end, i.kind)
        for i in identifiers
        if i.kind in MASKED_KINDS and i.span.end > i.span.start
    )
    pieces: list[str] = []
    at = 0
    for start, end, kind in spans:
        if start < at:  # overlapping spans (a phone inside a URL): the first one masks
            continue
        pieces += [text[at:start], f" ⟨{kind}⟩ "]
        at = end
    pieces.append(text[at:])
    masked = _NAME.sub(_mask_name, "".join(pieces))
    return _DIGITS.sub("#", fold(masked))


def _mask_name(match: re.Match[str]) -> str:
    return "⟨name⟩" if match.group(0).lower() not in _NOT_NAMES else match.group(0)


def shingles(template: str, size: int = SHINGLE_WORDS) -> set[str]:
    """Distinct runs of ``size`` consecutive tokens (all tokens if the text is shorter)."""
    tokens = _TOKEN.findall(template)
    if len(tokens) < size:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


@functools.cache
def _permutations() -> np.ndarray[Any, Any]:
    # made once: building them is most of the cost of a fresh MinHash
    return np.asarray(MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations)


def sign(ad: Ad, identifiers: Sequence[Identifier]) -> Signature:
    """The advert's template signature."""
    found = shingles(template_text(ad.text, identifiers))
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, permutations=_permutations(), scheme=SCHEME)
    minhash.update_batch(s.encode("utf-8") for s in sorted(found))
    return Signature(ad.id, tuple(int(v) for v in minhash.hashvalues), shingles=len(found))

"""Blocking: candidate pairs of adverts without comparing every pair.

Each advert gets *keys*; adverts that share a key become candidate pairs. Two kinds of key:

- **LSH bands** of its template signature: the MinHash is cut into ``bands`` bands of ``rows``
  values, and each band is a key. Two templates with Jaccard similarity ``s`` share at least
  one band with probability ``1 - (1 - s**rows)**bands``: with 32 bands of 4 rows, about 0.98
  at ``s = 0.6`` and 0.04 at ``s = 0.2``.
- **identifier keys**: the same phone, e-mail, handle, wallet or payment tag.

A key shared by very many adverts (a hotline or agency number, boilerplate that survived
masking) would join everything to everything and make the cost quadratic. Such *hub* keys are
set aside and reported with their size, to be judged and down-weighted by the scorer, instead
of being expanded into pairs. Cost: one pass over the keys, then pairs only inside buckets no
bigger than ``max_bucket``.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import phonenumbers
from phonenumbers import PhoneNumberType

from threadline.model import Identifier

BANDS = 32
ROWS = 4
MAX_BUCKET = 200
"""Adverts sharing one key above which the key is a hub, not evidence of one operation."""
LINKING_KINDS = frozenset({"phone", "email", "handle", "wallet", "payment"})


def band_keys(minhash: bytes, bands: int = BANDS, rows: int = ROWS) -> list[str]:
    """LSH band keys of a packed MinHash (little-endian uint32 values, as
    :attr:`~threadline.model.LinkSignature.minhash`); none for an empty one."""
    if not minhash:
        return []
    width = rows * 4
    if bands * width > len(minhash):
        raise ValueError(f"{bands} bands of {rows} rows need {bands * rows} permutations")
    keys = []
    for band in range(bands):
        values = minhash[band * width : (band + 1) * width]
        digest = hashlib.blake2b(values, digest_size=8).hexdigest()
        keys.append(f"band:{band}:{digest}")
    return keys


SERVICE_LINES = frozenset(
    {
        PhoneNumberType.TOLL_FREE,
        PhoneNumberType.SHARED_COST,
        PhoneNumberType.PREMIUM_RATE,
        PhoneNumberType.UAN,
        PhoneNumberType.VOICEMAIL,
    }
)
"""Numbering-plan types of business service lines. A toll-free or shared-cost number is
leased by an organisation (a job board's help desk, an agency switchboard, a booking line)
and printed by everyone it serves; whoever runs adverts from a phone in hand uses a mobile
or a plain line. Such numbers are kept as ``line=...`` keys: weak evidence, never a join."""


@functools.lru_cache(maxsize=65_536)
def is_service_line(e164: str) -> bool:
    """True for a toll-free, shared-cost, premium-rate, UAN or voicemail number."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.number_type(number) in SERVICE_LINES


def identifier_keys(identifiers: Iterable[Identifier]) -> list[str]:
    """``kind=value`` for the identifiers that tie an advert to whoever runs it; business
    service lines as ``line=value`` (see :data:`SERVICE_LINES`)."""
    keys = set()
    for i in identifiers:
        if i.kind not in LINKING_KINDS:
            continue
        kind = "line" if i.kind == "phone" and is_service_line(i.value) else i.kind
        keys.add(f"{kind}={i.value}")
    return sorted(keys)


@dataclass(slots=True)
class Blocks:
    """Candidate pairs with the keys that made them, and the hub keys set aside."""

    pairs: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    hubs: dict[str, int] = field(default_factory=dict)
    """Keys shared by more than ``max_bucket`` adverts, with how many share each."""


def block(keys_by_ad: Mapping[str, Sequence[str]], max_bucket: int = MAX_BUCKET) -> Blocks:
    """Candidate pairs ``(a, b)`` with ``a < b``, each with every key the two share."""
    buckets: dict[str, list[str]] = defaultdict(list)
    for ad_id, keys in keys_by_ad.items():
        for key in set(keys):
            buckets[key].append(ad_id)
    out = Blocks()
    for key, members in sorted(buckets.items()):
        if len(members) < 2:
            continue
        if len(members) > max_bucket:
            out.hubs[key] = len(members)
            continue
        for a, b in _pairs(members):
            out.pairs.setdefault((a, b), []).append(key)
    return out


def _pairs(members: list[str]) -> Iterator[tuple[str, str]]:
    return itertools.combinations(sorted(set(members)), 2)

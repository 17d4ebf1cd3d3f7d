"""Pictures as linking keys: near copies of one picture, found through PDQ hashes.

Operations re-post the same photographs, re-encoded, resized or lightly cropped, so their
hashes are near, not equal. Each signature carries its pictures' PDQ hashes and, among its
keys, their multi-index blocking keys (``pdq=...``, see :mod:`threadline.link.images`). Here,
hashes that share a blocking key are compared, those within ``PDQ_MATCH`` bits are joined,
and every group of near copies becomes one exact key, ``picture=<hash prefix>``, added to the
signatures that show it. From then on a picture is judged and weighed like a phone: a stock
picture shown by many unrelated posters is recognised as shared, as a help line is.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import replace

from threadline.link.clusters import roots
from threadline.link.images import PDQ_MATCH, pdq_distance
from threadline.model import LinkSignature

MAX_BUCKET = 1000
"""Hashes sharing one blocking chunk above which the chunk is not compared pairwise (a flat
or blank picture region that many unrelated pictures share)."""
KEY_PREFIX = 16
"""Hex digits of the group's first hash that name its key."""


def with_picture_keys(signatures: Sequence[LinkSignature]) -> list[LinkSignature]:
    """The signatures, each with a ``picture=...`` key per group of near copies it shows
    (groups shown by one advert only give no key)."""
    buckets: dict[str, set[str]] = {}
    for sig in signatures:
        for key in sig.keys:
            if key.startswith("pdq="):
                buckets.setdefault(key, set()).update(sig.pictures)
    if not buckets:
        return list(signatures)
    matched: list[tuple[str, str]] = []
    checked: set[tuple[str, str]] = set()
    for hashes in buckets.values():
        if len(hashes) < 2 or len(hashes) > MAX_BUCKET:
            continue
        for pair in itertools.combinations(sorted(hashes), 2):
            if pair not in checked:
                checked.add(pair)
                if pdq_distance(*pair) <= PDQ_MATCH:
                    matched.append(pair)
    root = roots(matched)

    def find(pdq: str) -> str:
        return root.get(pdq, pdq)

    shown: dict[str, set[str]] = {}
    for sig in signatures:
        for pdq in sig.pictures:
            shown.setdefault(find(pdq), set()).add(sig.ad_id)
    out = []
    for sig in signatures:
        groups = {find(p) for p in sig.pictures}
        keys = [f"picture={g[:KEY_PREFIX]}" for g in sorted(groups) if len(shown[g]) > 1]
        out.append(replace(sig, keys=(*sig.keys, *keys)) if keys else sig)
    return out

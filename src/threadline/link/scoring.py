"""Scored links with their evidence, and operations as connected groups of strong links.

Every candidate pair from :mod:`~threadline.link.blocking` is scored from what the two adverts
share: each shared identifier and the template similarity is one piece of :class:`Evidence`
with a weight, and the pieces combine as a noisy-OR (independent reasons; none alone pushes the
weight past 1). An identifier shared by many adverts says less about any one pair: its weight
falls with the number of adverts that share it (hub keys, shared by more than the blocking
limit, never make pairs at all).

Operations are the connected components of the links at or above ``LINK_THRESHOLD``, found
with a union-find. (Splitting oversized, weakly held components by community detection is the
next step.)
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from threadline.link.blocking import Blocks, block, identifier_keys
from threadline.link.signatures import Signature, sign
from threadline.model import Doc, Evidence, Link, Operation

STAGE = "link.score@1"
KIND_WEIGHTS = {"phone": 0.9, "email": 0.9, "wallet": 0.95, "payment": 0.85, "handle": 0.8}
"""How strongly one shared identifier of each kind ties two adverts to one operator."""
SHARED_BY_FEW = 20
"""An identifier shared by up to this many adverts keeps its full weight; beyond, the weight
falls in proportion (a hotline or agency number shared by 100 adverts weighs a fifth)."""
TEMPLATE_MIN = 0.6
"""Template similarity below which a shared band is a coincidence, not evidence."""
TEMPLATE_WEIGHT = 0.6
"""A template alone never makes a strong link: several operations (and honest posters) use
one template, so its weight stays below ``LINK_THRESHOLD`` and it counts beside an identifier."""
LINK_THRESHOLD = 0.75


@dataclass(slots=True)
class Linked:
    """The links, the operations they form, and the keys set aside as hubs."""

    links: list[Link] = field(default_factory=list)
    operations: list[Operation] = field(default_factory=list)
    hubs: dict[str, int] = field(default_factory=dict)

    def operation_of(self) -> dict[str, str]:
        return {member: op.id for op in self.operations for member in op.members}


def score_pair(
    a: str,
    b: str,
    keys: Sequence[str],
    signatures: Mapping[str, Signature],
    sharing: Mapping[str, int],
) -> Link:
    """The link between adverts ``a < b`` from the keys they share."""
    evidence: list[Evidence] = []
    similarity = signatures[a].similarity(signatures[b]) if a in signatures else 0.0
    for key in keys:
        if key.startswith("band:"):
            continue
        kind, _, value = key.partition("=")
        shared = sharing.get(key, 2)
        weight = KIND_WEIGHTS.get(kind, 0.5) * min(1.0, SHARED_BY_FEW / shared)
        detail = f"shared {kind} {value}" + (f" (in {shared} adverts)" if shared > 2 else "")
        evidence.append(Evidence(kind, detail, round(weight, 4)))
    if similarity >= TEMPLATE_MIN:
        weight = TEMPLATE_WEIGHT * similarity
        evidence.append(
            Evidence("template", f"template similarity {similarity:.2f}", round(weight, 4))
        )
    weight = 1.0 - math.prod(1.0 - e.score for e in evidence)
    return Link(a, b, round(weight, 6), tuple(evidence), STAGE)


def link_docs(docs: Sequence[Doc]) -> Linked:
    """Link extracted adverts: signatures, blocking, scored links, operations.

    Candidate pairs come from shared identifiers only: a template never links alone, so pairs
    that share nothing but template bands could not reach the threshold and are not made (the
    band keys of :func:`~threadline.link.blocking.band_keys` wait for the signals that will let
    wording link on its own). Each candidate's template similarity is still weighed.
    """
    signatures: dict[str, Signature] = {}
    keys: dict[str, list[str]] = {}
    for doc in docs:
        if doc.ad is None:
            continue
        signatures[doc.ad.id] = sign(doc.ad, doc.identifiers)
        keys[doc.ad.id] = identifier_keys(doc.identifiers)
    blocks: Blocks = block(keys)
    sharing = Counter(k for ks in keys.values() for k in set(ks))
    links = [
        score_pair(a, b, shared, signatures, sharing) for (a, b), shared in blocks.pairs.items()
    ]
    strong = [link for link in links if link.weight >= LINK_THRESHOLD]
    return Linked(links, operations(strong), blocks.hubs)


def operations(links: Sequence[Link]) -> list[Operation]:
    """Connected components of ``links`` (union-find), largest first."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for link in links:
        ra, rb = find(link.a), find(link.b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = {}
    for member in parent:
        groups.setdefault(find(member), []).append(member)
    by_root: dict[str, list[Link]] = {}
    for link in links:
        by_root.setdefault(find(link.a), []).append(link)
    ops = []
    for root, members in groups.items():
        inner = by_root.get(root, [])
        score = sum(link.weight for link in inner) / len(inner) if inner else 0.0
        digest = hashlib.sha256(root.encode()).hexdigest()[:12]
        ops.append(Operation(f"op-{digest}", tuple(sorted(members)), tuple(inner), score, STAGE))
    ops.sort(key=lambda op: (-len(op.members), op.id))
    return ops

"""Scored links with their evidence, and operations as connected groups of strong links.

Linking works on :class:`~threadline.model.LinkSignature` records only (one compact record per
advert, see :func:`~threadline.link.signatures.sign_doc`), never on the adverts themselves:

1. every shared key is judged evidence or a shared line (:mod:`~threadline.link.sharing`);
2. candidate pairs: the adverts carrying each accepted key, in posting order, each paired with
   the next (a chain joins them all in ``n - 1`` pairs instead of ``n²/2``); shared lines make
   no pairs (they are reported as hubs);
3. each pair is scored from everything the two records share (:func:`score_signatures`): each
   shared identifier or wording is one piece of :class:`Evidence` with a weight, a shared line
   weighs little, template similarity counts but never links alone, and the pieces combine as
   a noisy-OR;
4. ``adjust`` (analyst judgements) may drop or add links; operations are the connected
   components of the links at or above ``LINK_THRESHOLD``
   (:func:`~threadline.link.clusters.operations`).
"""

from __future__ import annotations

import gc
import itertools
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from threadline.link.clusters import operations
from threadline.link.pictures import with_picture_keys
from threadline.link.sharing import KeyVerdict, Sharing, judge, key_kind, shared_keys
from threadline.link.signatures import NUM_PERM, sign_docs, similarity, unpack, unpack_style
from threadline.model import Doc, Evidence, Link, LinkSignature, Operation

__all__ = [
    "LINK_THRESHOLD",
    "STAGE",
    "KeyVerdict",
    "Linked",
    "Sharing",
    "key_kind",
    "link_docs",
    "link_signatures",
    "operations",
    "score_signatures",
]

STAGE = "link.score@2"
KIND_WEIGHTS = {
    "phone": 0.9,
    "email": 0.9,
    "wallet": 0.95,
    "payment": 0.85,
    "handle": 0.8,
    "wording": 0.85,
    "picture": 0.85,
}
"""How strongly one shared key of each kind ties two adverts to one operator."""
HUB_WEIGHT = 0.05
LINE_WEIGHT = 0.05
"""A business service line (toll-free, shared-cost): weak evidence, as a hub."""
"""A shared line (a key judged a hub) says almost nothing about any one pair."""
SHARED_BY_FEW = 20
"""A key never judged (no verdict in the :class:`Sharing`) keeps its full weight when shared by
up to this many adverts; beyond, the weight falls in proportion."""
TEMPLATE_MIN = 0.6
"""Template similarity below which it is a coincidence, not evidence."""
TEMPLATE_WEIGHT = 0.6
"""A template alone never makes a strong link: several operations (and honest posters) use
one template, so its weight stays below ``LINK_THRESHOLD`` and it counts beside a key."""
STYLE_MIN = 0.8
"""Writing-style similarity below which it says nothing (re-posts of one wording measure about
0.84 on average, other posters in the same language about 0.2: docs/images-and-style.md)."""
STYLE_WEIGHT = 0.25
"""Style is weak evidence: with a template it still stays below ``LINK_THRESHOLD``."""
LINK_THRESHOLD = 0.75

Adjust = Callable[[list[Link]], list[Link]]


@dataclass(slots=True)
class Linked:
    """The links, the operations they form, and the keys set aside as shared lines (hubs)."""

    links: list[Link] = field(default_factory=list)
    operations: list[Operation] = field(default_factory=list)
    hubs: dict[str, int] = field(default_factory=dict)
    """Keys judged shared lines, with how many adverts carry each."""
    verdicts: dict[str, KeyVerdict] = field(default_factory=dict)
    """How every shared key was judged (kept by the store for incremental runs)."""

    def operation_of(self) -> dict[str, str]:
        return {member: op.id for op in self.operations for member in op.members}


def _evidence(key: str, sharing: Sharing) -> Evidence:
    kind, _, value = key.partition("=")
    if kind == "line":
        return Evidence(
            kind,
            f"shared service line {value} (toll-free or shared-cost: a business line, "
            "printed by everyone it serves)",
            LINE_WEIGHT,
        )
    shared = sharing.count(key)
    what = "same wording and figures, contact details aside" if kind == "wording" else value
    where = f"in {shared} adverts" if shared > 2 else ""
    verdict = sharing.verdicts.get(key)
    if verdict is not None and verdict.hub:
        note = f"{where}; a shared line: posters printing it post at the same time"
        return Evidence(kind, f"shared {kind} {what} ({note})", HUB_WEIGHT)
    detail = f"shared {kind} {what}" if kind != "wording" else what
    weight = KIND_WEIGHTS.get(kind, 0.5)
    if verdict is None:
        weight *= min(1.0, SHARED_BY_FEW / shared)
    return Evidence(kind, detail + (f" ({where})" if where else ""), round(weight, 4))


def _link(
    a: str, b: str, keys: Sequence[str], sharing: Sharing, same: float, style: float = 0.0
) -> Link:
    evidence = [_evidence(key, sharing) for key in keys]
    if same >= TEMPLATE_MIN:
        evidence.append(
            Evidence(
                "template", f"template similarity {same:.2f}", round(TEMPLATE_WEIGHT * same, 4)
            )
        )
    if style >= STYLE_MIN:
        evidence.append(
            Evidence(
                "style", f"writing style similarity {style:.2f}", round(STYLE_WEIGHT * style, 4)
            )
        )
    weight = 1.0 - math.prod(1.0 - e.score for e in evidence)
    return Link(a, b, round(weight, 6), tuple(evidence), STAGE)


def score_signatures(a: LinkSignature, b: LinkSignature, sharing: Sharing) -> Link:
    """The link between two adverts from what their records share, with its evidence.

    ``sharing`` says how many adverts carry each key and which keys are shared lines: build it
    with ``Sharing.of(records)`` over the records concerned (for a new advert: it and the stored
    records that share a key with it, with their operations), or keep the verdicts of the last
    full run. The link's ends are ordered by id whatever the order of the arguments.
    """
    if b.ad_id < a.ad_id:
        a, b = b, a
    return _link(
        a.ad_id, b.ad_id, shared_keys(a, b), sharing, similarity(a, b), style_similarity(a, b)
    )


@contextmanager
def quiet_gc() -> Iterator[None]:
    """The cyclic garbage collector paused: linking makes many small objects and no cycles,
    and with a million records alive each collection would walk them all."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def link_signatures(
    signatures: Sequence[LinkSignature],
    *,
    adjust: Adjust | None = None,
    known: Mapping[str, KeyVerdict] | None = None,
) -> Linked:
    """Link adverts from their records: judged keys, candidate pairs, scored links, operations.

    ``adjust`` is applied to the scored links before clustering (analyst judgements: drop the
    rejected links, add the confirmed ones); only links at or above ``LINK_THRESHOLD`` group.
    ``known``: verdicts kept from an earlier run for keys whose adverts are not all among
    ``signatures`` (incremental linking of a neighbourhood).
    """
    with quiet_gc():
        return _link_signatures(signatures, adjust, known)


def _link_signatures(
    signatures: Sequence[LinkSignature],
    adjust: Adjust | None,
    known: Mapping[str, KeyVerdict] | None,
) -> Linked:
    if len({s.settings for s in signatures}) > 1:
        raise ValueError("signatures made with different settings cannot be linked together")
    signatures = with_picture_keys(signatures)
    judged = judge(signatures, known)
    sharing = judged.sharing
    pairs: set[tuple[int, int]] = set()
    for key, members in judged.members.items():
        if len(members) < 2 or sharing.is_hub(key):
            continue
        ordered = sorted(members, key=lambda i: (judged.times[i] or 0.0, signatures[i].ad_id))
        pairs.update(itertools.pairwise(ordered))
    ordered_pairs = sorted(pairs)
    sims = _similarities(signatures, ordered_pairs)
    styles = _style_similarities(signatures, ordered_pairs)
    links = []
    for (i, j), same, style in zip(ordered_pairs, sims, styles, strict=True):
        a, b = signatures[i], signatures[j]
        if b.ad_id < a.ad_id:
            a, b = b, a
        links.append(_link(a.ad_id, b.ad_id, shared_keys(a, b), sharing, same, style))
    if adjust is not None:
        links = adjust(links)
    strong = [link for link in links if link.weight >= LINK_THRESHOLD]
    return Linked(links, operations(strong), sharing.hubs, sharing.verdicts)


def _similarities(
    signatures: Sequence[LinkSignature], pairs: Sequence[tuple[int, int]], chunk: int = 65_536
) -> list[float]:
    """Template similarity of each pair, computed a chunk of pairs at a time."""
    out: list[float] = []
    empty = np.zeros(NUM_PERM, dtype=np.uint32)
    for at in range(0, len(pairs), chunk):
        part = pairs[at : at + chunk]
        rows = sorted({i for p in part for i in p})
        index = {i: n for n, i in enumerate(rows)}
        matrix: np.ndarray[Any, Any] = np.stack(
            [unpack(signatures[i].minhash) if signatures[i].minhash else empty for i in rows]
        )
        has = np.array([bool(signatures[i].minhash) for i in rows])
        left = np.array([index[i] for i, _ in part], dtype=np.intp)
        right = np.array([index[j] for _, j in part], dtype=np.intp)
        same = (matrix[left] == matrix[right]).sum(axis=1) / NUM_PERM
        same[~(has[left] & has[right])] = 0.0
        out += same.tolist()
    return out


def style_similarity(a: LinkSignature, b: LinkSignature) -> float:
    """Cosine similarity of two adverts' writing styles (0 if either has none)."""
    return _style_similarities([a, b], [(0, 1)])[0]


def _style_similarities(
    signatures: Sequence[LinkSignature], pairs: Sequence[tuple[int, int]], chunk: int = 65_536
) -> list[float]:
    """Writing-style cosine of each pair, a chunk of pairs at a time."""
    out: list[float] = []
    for at in range(0, len(pairs), chunk):
        part = pairs[at : at + chunk]
        rows = sorted({i for p in part for i in p})
        width = max((len(signatures[i].style) for i in rows), default=0)
        if not width:
            out += [0.0] * len(part)
            continue
        matrix = np.zeros((len(rows), width))
        for n, i in enumerate(rows):
            style = signatures[i].style
            if len(style) == width:
                matrix[n] = unpack_style(style)
        norms = np.linalg.norm(matrix, axis=1)
        matrix /= np.maximum(norms, 1e-12)[:, None]
        index = {i: n for n, i in enumerate(rows)}
        left = matrix[[index[i] for i, _ in part]]
        right = matrix[[index[j] for _, j in part]]
        out += np.einsum("ij,ij->i", left, right).tolist()
    return out


def link_docs(
    docs: Sequence[Doc], *, adjust: Adjust | None = None, image_root: Path | None = None
) -> Linked:
    """Link extracted adverts: :func:`~threadline.link.signatures.sign_docs` (pictures found
    as files under ``image_root`` hashed), then :func:`link_signatures`."""
    signatures = [sig for sig in sign_docs(docs, image_root=image_root) if sig is not None]
    return link_signatures(signatures, adjust=adjust)

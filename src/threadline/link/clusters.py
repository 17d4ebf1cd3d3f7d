"""Operations: groups of adverts held together by strong links.

An operation is a connected component of the strong links, found with a union-find. Its id is
derived from its smallest member, so the same adverts give the same id on every run and in
every order.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from threadline.model import Link, Operation

STAGE = "link.cluster@1"


def operation_id(members: Sequence[str]) -> str:
    """``op-`` and 12 hex digits of a hash of the smallest member: stable across runs."""
    return "op-" + hashlib.sha256(min(members).encode()).hexdigest()[:12]


def components(links: Sequence[Link]) -> list[list[str]]:
    """Connected components of ``links`` (union-find), each sorted, in no particular order."""
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
    return [sorted(g) for g in groups.values()]


def explain(links: Sequence[Link], top: int = 5) -> tuple[str, ...]:
    """What holds a group together, in words: its strongest kinds of evidence, each with how
    many of its links rest on it (``"shared phone +33...: 12 links"``)."""
    counts: dict[tuple[str, str], int] = {}
    weight: dict[tuple[str, str], float] = {}
    for link in links:
        for e in link.evidence:
            if e.kind == "template":
                continue
            what = (e.kind, e.detail.split(" (", 1)[0])
            counts[what] = counts.get(what, 0) + 1
            weight[what] = max(weight.get(what, 0.0), e.score)
    ranked = sorted(counts, key=lambda w: (-weight[w] * counts[w], w))
    lines = [f"{detail}: {counts[(kind, detail)]} links" for kind, detail in ranked[:top]]
    if len(ranked) > top:
        lines.append(f"and {len(ranked) - top} other shared keys")
    return tuple(lines)


def operations(links: Sequence[Link], stage: str = STAGE) -> list[Operation]:
    """Operations from ``links``: connected components, largest first, each with its links."""
    ops = []
    of: dict[str, int] = {}
    groups = components(links)
    for n, members in enumerate(groups):
        for m in members:
            of[m] = n
    inner: list[list[Link]] = [[] for _ in groups]
    for link in links:
        inner[of[link.a]].append(link)
    for members, held in zip(groups, inner, strict=True):
        held.sort(key=lambda link: (link.a, link.b))
        score = sum(link.weight for link in held) / len(held) if held else 0.0
        ops.append(
            Operation(
                operation_id(members),
                tuple(members),
                tuple(held),
                score,
                stage,
                explain(held),
            )
        )
    ops.sort(key=lambda op: (-len(op.members), op.id))
    return ops

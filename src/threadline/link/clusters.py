"""Operations: groups of adverts held together by strong links.

An operation starts as a connected component of the strong links (a union-find). A component
is then split, conservatively, when it is

- **weakly held** (:func:`weak_cut`): two parts of at least ``MIN_PART`` adverts each, each
  held by at least ``MIN_KEYS`` keys of its own, are joined only by the two links one key makes
  to an advert of the other part posted between two of its own uses (links follow each key in
  posting order), the key holding nothing else in that part: a picture or a contact printed
  once by another poster while its owner was still using it;
- **oversized** (:func:`oversized_parts`): more than ``SPLIT_FROM`` adverts. Its Louvain
  communities are put back together wherever they are firmly joined; what stays apart is split.

Links are made as chains in posting order (each advert linked to the next carrying a key), so a
genuine operation is often path-like: every one of its links may be a bridge, and when it
rotates a contact, the first advert of the new period often still carries the old one, making
a single link that is the only thing joining the two periods. Modularity alone would cut such
chains; the weak cut never cuts a single link.

Each part keeps the links inside it; the links cut are reported in its explanation. An
operation's id is derived from its smallest member, so the same adverts give the same id on
every run and in every order.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from threadline.model import Link, Operation

STAGE = "link.cluster@2"
SPLIT_FROM = 500
"""A component with more adverts than this is oversized: no analyst reads it whole, and it is
more likely several operations glued together. The largest operation found in the 1,500- and
5,000-advert synthetic corpora has 33 adverts; 500 leaves room for real operations fifteen
times larger before community detection, which would cut their chains, is tried at all."""
MIN_PART = 5
"""Smallest part a split may leave: below this, a few adverts hanging on by one key are more
likely the operation's own stragglers than another operation."""
CUT_LINKS = 2
"""Links a weak cut removes. Links follow each key in posting order, so a key carried by one
advert of another group makes two links when that advert was posted between two of the group's
own uses, one when it came before or after them all: what a contact rotation looks like (the
first advert of a new phone still printing the old one), which is never cut."""
MIN_KEYS = 2
"""Keys each part of a weak cut must hold of its own (each holding two or more of its links)."""
CUT_SHARE = 0.1
"""Louvain communities of an oversized group joined by at least this many links per advert of
the smaller one are put back together."""
STRONG = 0.75
"""The strong-link threshold (``scoring.LINK_THRESHOLD``, which imports this module): a key
holds a link when its evidence alone reaches it."""
SEED = 5
"""Seed of the Louvain community detection and of the cut labels: the same links, the same
groups."""
NOT_KEYS = frozenset({"template", "style"})
"""Evidence kinds that are similarities, not shared keys."""

Key = tuple[str, str]
"""A shared key as evidence names it: its kind and its detail without the count."""


def operation_id(members: Sequence[str]) -> str:
    """``op-`` and 12 hex digits of a hash of the smallest member: stable across runs."""
    return "op-" + hashlib.sha256(min(members).encode()).hexdigest()[:12]


def roots(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Union-find over ``pairs``: each member mapped to its group's smallest member."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {member: find(member) for member in parent}


def components(links: Sequence[Link]) -> list[list[str]]:
    """Connected components of ``links`` (union-find), each sorted, in no particular order."""
    groups: dict[str, list[str]] = {}
    for member, root in roots((link.a, link.b) for link in links).items():
        groups.setdefault(root, []).append(member)
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


def holding_keys(link: Link) -> frozenset[Key]:
    """The keys whose evidence alone makes ``link`` strong (shared lines and keys in very many
    adverts weigh less and hold nothing)."""
    return frozenset(
        (e.kind, e.detail.split(" (", 1)[0])
        for e in link.evidence
        if e.kind not in NOT_KEYS and e.score >= STRONG
    )


def sole_key(link: Link) -> Key | None:
    """The one key ``link`` rests on, if it rests on one alone: the only key holding it, and
    without it the rest of its evidence (other keys, template, style) stays below strong."""
    keys = holding_keys(link)
    if len(keys) != 1:
        return None
    (key,) = keys
    rest = 1.0 - math.prod(
        1.0 - e.score for e in link.evidence if (e.kind, e.detail.split(" (", 1)[0]) != key
    )
    return key if rest < STRONG else None


@dataclass(slots=True)
class _Part:
    members: list[str]
    links: list[Link]
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Cut:
    """A weak cut: the links removed, the key they rest on, and the two parts they held."""

    links: tuple[Link, ...]
    key: Key
    parts: tuple[tuple[str, ...], tuple[str, ...]]


def _order(link: Link) -> tuple[str, str, float, tuple[tuple[str, str, float], ...], str]:
    return (
        link.a,
        link.b,
        link.weight,
        tuple((e.kind, e.detail, e.score) for e in link.evidence),
        link.stage,
    )


def _say(key: Key) -> str:
    kind, detail = key
    return "shared wording" if kind == "wording" else detail


def _recurring(links: Sequence[Link], holds: dict[int, frozenset[Key]]) -> dict[Key, int]:
    counts: dict[Key, int] = {}
    for link in links:
        for key in holds[id(link)]:
            counts[key] = counts.get(key, 0) + 1
    return counts


def _candidates(
    members: Sequence[str], links: Sequence[Link], sole: Sequence[Key | None]
) -> list[tuple[int, int]]:
    """Pairs of links resting on one key alone (``sole``) whose removal disconnects the group,
    found with random cycle labels: each link off a spanning tree gets a random 64-bit label,
    each tree link the XOR of the labels of the links whose cycles pass through it. Two links
    with one non-zero label lie on exactly the same cycles, so removing both cuts the group.
    Only pairs that are the only two links of their label resting on their key are returned
    (a key thin in three places or more runs through a chain of groups: kept whole); labels may
    collide, so :func:`weak_cut` checks each pair before use."""
    index = {m: i for i, m in enumerate(members)}
    ends = [(index[link.a], index[link.b]) for link in links]
    adjacent: list[list[tuple[int, int]]] = [[] for _ in members]
    for e, (i, j) in enumerate(ends):
        adjacent[i].append((j, e))
        adjacent[j].append((i, e))
    up = [-1] * len(members)
    seen = [False] * len(members)
    seen[0] = True
    order = [0]
    for v in order:
        for w, e in adjacent[v]:
            if not seen[w]:
                seen[w] = True
                up[w] = e
                order.append(w)
    tree = set(up[1:])
    rng = random.Random(SEED)
    label = [0] * len(links)
    below = [0] * len(members)
    for e, (i, j) in enumerate(ends):
        if e not in tree:
            label[e] = rng.getrandbits(64) | 1
            below[i] ^= label[e]
            below[j] ^= label[e]
    for v in reversed(order[1:]):
        e = up[v]
        label[e] = below[v]
        i, j = ends[e]
        below[i if j == v else j] ^= below[v]
    classes: dict[tuple[int, Key], list[int]] = {}
    for e, value in enumerate(label):
        key = sole[e]
        if value and key is not None:
            classes.setdefault((value, key), []).append(e)
    return sorted((c[0], c[1]) for c in classes.values() if len(c) == CUT_LINKS)


def _pieces(members: Sequence[str], links: Sequence[Link]) -> list[list[str]]:
    found = components(links)
    alone = set(members).difference(*found)
    return sorted(found + [[m] for m in alone], key=lambda g: g[0])


def weak_cut(
    members: Sequence[str], links: Sequence[Link], holds: dict[int, frozenset[Key]] | None = None
) -> Cut | None:
    """The weak cut of a group, if it has one (the most even, if several).

    A weak cut is two links (``CUT_LINKS``), both resting on one key alone (:func:`sole_key`),
    whose removal leaves two parts of at least ``MIN_PART`` adverts; the key holds links inside
    one part and none inside the other, which carries it only at the ends of the cut (an advert
    posted between two of the first part's own uses of the key, or one before and one after
    them); and each part has at least ``MIN_KEYS`` keys holding two or more of its links.

    Never cut: a single link (a contact rotation: the new period's first advert still printing
    the old contact); a key recurring on both sides (one operation's identifier running
    through); a chain whose every link is a different key (no key of a cut recurs).
    """
    members = sorted(members)
    if len(members) < 2 * MIN_PART:
        return None
    links = sorted(links, key=_order)
    if holds is None:
        holds = {id(link): holding_keys(link) for link in links}
    everywhere = _recurring(links, holds)
    sole = [sole_key(link) for link in links]
    best: tuple[tuple[int, str, str, str, str], Cut] | None = None
    for e, f in _candidates(members, links, sole):
        key = sole[e]
        if key is None or everywhere[key] <= CUT_LINKS:
            continue
        rest = [link for n, link in enumerate(links) if n not in (e, f)]
        pieces = _pieces(members, rest)
        if len(pieces) != 2 or min(len(p) for p in pieces) < MIN_PART:
            continue
        side = {m: n for n, piece in enumerate(pieces) for m in piece}
        inner: tuple[list[Link], list[Link]] = ([], [])
        for link in rest:
            inner[side[link.a]].append(link)
        held = [_recurring(part, holds) for part in inner]
        if sum(1 for h in held if h.get(key, 0) > 0) != 1:
            continue
        if any(sum(1 for n in h.values() if n >= 2) < MIN_KEYS for h in held):
            continue
        ea, eb = links[e], links[f]
        rank = (-min(len(p) for p in pieces), ea.a, ea.b, eb.a, eb.b)
        if best is None or rank < best[0]:
            parts = (tuple(pieces[0]), tuple(pieces[1]))
            best = (rank, Cut((ea, eb), key, parts))
    return best[1] if best else None


def _split_weak(part: _Part, holds: dict[int, frozenset[Key]]) -> list[_Part]:
    cut = weak_cut(part.members, part.links, holds)
    if cut is None:
        return [part]
    where = " and ".join(f"{link.a} - {link.b}" for link in cut.links)
    count = f"{len(cut.links)} link{'s' if len(cut.links) > 1 else ''}"
    out = []
    for n, members in enumerate(cut.parts):
        inside = set(members)
        others = len(cut.parts[1 - n])
        note = (
            f"split from a group of {len(part.members)} adverts: held to {others} other adverts "
            f"by one {_say(cut.key)} only ({count}: {where})"
        )
        links = [link for link in part.links if link.a in inside and link.b in inside]
        out += _split_weak(_Part(list(members), links, [*part.notes, note]), holds)
    return out


def oversized_parts(members: Sequence[str], links: Sequence[Link]) -> list[list[str]]:
    """An oversized group's parts: its Louvain communities (weighted by link weight, seeded),
    put back together wherever they are firmly joined (by at least ``CUT_SHARE`` links per
    advert of the smaller, or by a key holding links inside both: one operation's identifier
    running through), parts under ``MIN_PART`` joined to the part they have most links with.
    One part means no split."""
    import networkx as nx  # only here: importing it takes a fifth of a second

    graph: nx.Graph[str] = nx.Graph()
    graph.add_nodes_from(sorted(members))
    for link in sorted(links, key=_order):
        if graph.has_edge(link.a, link.b):
            graph[link.a][link.b]["weight"] += link.weight
        else:
            graph.add_edge(link.a, link.b, weight=link.weight)
    found = nx.community.louvain_communities(graph, weight="weight", seed=SEED)
    groups = sorted((sorted(str(m) for m in c) for c in found), key=lambda g: g[0])
    holds = {id(link): holding_keys(link) for link in links}
    while len(groups) > 1:
        of = {m: n for n, g in enumerate(groups) for m in g}
        between: dict[tuple[int, int], list[Link]] = {}
        inside: list[set[Key]] = [set() for _ in groups]
        for link in links:
            ga, gb = of[link.a], of[link.b]
            if ga == gb:
                inside[ga].update(holds[id(link)])
            else:
                between.setdefault((min(ga, gb), max(ga, gb)), []).append(link)
        merges = []
        for (ga, gb), joining in sorted(between.items()):
            smaller = min(len(groups[ga]), len(groups[gb]))
            keys = {key for link in joining for key in holds[id(link)]}
            if keys & inside[ga] & inside[gb] or len(joining) >= CUT_SHARE * smaller:
                merges.append((ga, gb))
        if not merges:
            for n in (n for n, g in enumerate(groups) if len(g) < MIN_PART):
                near = [(len(j), pair) for pair, j in between.items() if n in pair]
                merges.append(max(near, key=lambda t: (t[0], -t[1][0], -t[1][1]))[1])
        if not merges:
            break
        joined = [Link(groups[ga][0], groups[gb][0], 1.0, (), STAGE) for ga, gb in merges]
        root = {m: min(c) for c in components(joined) for m in c}
        merged: dict[str, list[str]] = {}
        for g in groups:
            merged.setdefault(root.get(g[0], g[0]), []).extend(g)
        groups = sorted((sorted(g) for g in merged.values()), key=lambda g: g[0])
    return groups


def _split_oversized(part: _Part) -> list[_Part]:
    groups = oversized_parts(part.members, part.links)
    if len(groups) == 1:
        return [part]
    of = {m: n for n, g in enumerate(groups) for m in g}
    inner: list[list[Link]] = [[] for _ in groups]
    cut: list[list[Link]] = [[] for _ in groups]
    for link in part.links:
        ga, gb = of[link.a], of[link.b]
        if ga == gb:
            inner[ga].append(link)
        else:
            cut[ga].append(link)
            cut[gb].append(link)
    out = []
    for n, members in enumerate(groups):
        others = len({m for link in cut[n] for m in (link.a, link.b)} - set(members))
        why = ", ".join(line.rsplit(":", 1)[0] for line in explain(cut[n], top=3))
        note = (
            f"split from a group of {len(part.members)} adverts (more than {SPLIT_FROM}) into "
            f"{len(groups)} communities: {len(cut[n])} links to {others} other adverts cut"
            + (f" ({why})" if why else "")
        )
        out.append(_Part(members, inner[n], [*part.notes, note]))
    return out


def operations(links: Sequence[Link], stage: str = STAGE) -> list[Operation]:
    """Operations from ``links``: connected components, oversized or weakly held ones split
    (module docstring), largest first, each with its links and, when split, why."""
    links = sorted(links, key=_order)
    holds = {id(link): holding_keys(link) for link in links}
    groups = components(links)
    of = {m: n for n, members in enumerate(groups) for m in members}
    inner: list[list[Link]] = [[] for _ in groups]
    for link in links:
        inner[of[link.a]].append(link)
    parts: list[_Part] = []
    for members, held in zip(groups, inner, strict=True):
        whole = _Part(members, held)
        pieces = _split_oversized(whole) if len(members) > SPLIT_FROM else [whole]
        for piece in pieces:
            parts += _split_weak(piece, holds) if len(piece.members) <= SPLIT_FROM else [piece]
    ops = []
    for part in parts:
        members = sorted(part.members)
        held = sorted(part.links, key=_order)
        score = sum(link.weight for link in held) / len(held) if held else 0.0
        ops.append(
            Operation(
                operation_id(members),
                tuple(members),
                tuple(held),
                score,
                stage,
                explain(held) + tuple(part.notes),
            )
        )
    ops.sort(key=lambda op: (-len(op.members), op.id))
    return ops

"""Which shared keys are evidence of one operator, and which are shared lines (hubs).

A phone, handle or wording shared by two adverts usually means one poster. But some keys are
printed by many unrelated posters: a booking hotline, a job board's help desk, an agency
switchboard. Counting how many adverts share a key cannot tell the two apart: a large operation
prints its Telegram handle in hundreds of adverts, while a hotline may appear in only a handful
of a small file. What differs is *how* the sharing adverts spread:

- an operation's identifier ties together adverts that otherwise look like one poster's
  stream: while one phone is in use the next one is not (phones are rotated), and the key is
  in most of the adverts it touches;
- a shared line is printed in a minority of each poster's adverts, and the posters who print
  it keep posting *at the same time*, each under their own contacts.

So keys are judged in order, the least shared first (:func:`judge`). Each key's adverts are
looked at as the groups they already belong to (joined by the keys accepted so far). Two groups
are *concurrent* when the key is in under half of each group's adverts around the time it
appears there, and each group posts at least ``MIN_INTERLEAVED`` adverts inside the other's
active period. A key under which ``MIN_CONCURRENT`` or more pairs of groups are concurrent is
a hub: it is kept as weak evidence and joins nothing. Any other key is accepted and joins its
groups. The judgement needs only the keys and posting times of the records (no text), costs a
sort and one pass over the keys, and does not depend on corpus size.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from threadline.link.blocking import LINKING_KINDS
from threadline.model import LinkSignature

JUDGED_KINDS = LINKING_KINDS | {"wording", "picture"}
"""Kinds of key that can join adverts (and so are judged): identifiers, the wording and
pictures (groups of near copies, see :mod:`threadline.link.pictures`)."""
COVERAGE = 0.5
"""A group prints a shared line in under this share of its adverts around the time it does."""
MIN_INTERLEAVED = 3
"""Adverts each of two groups must post inside the other's active period to be concurrent."""
MIN_CONCURRENT = 2
"""Concurrent pairs of groups that make a key a hub. One pair is not enough: an operation
itself runs concurrent streams (two handles, two templates) that a key may join."""


def key_kind(key: str) -> str:
    """``phone`` for ``phone=+33...``."""
    return key.partition("=")[0]


@dataclass(frozen=True, slots=True)
class KeyVerdict:
    """How a key shared by two or more adverts was judged."""

    adverts: int
    """Adverts that carry it."""
    groups: int
    """Groups of adverts (joined by less shared keys) it touched when judged."""
    concurrent: int
    """Pairs of those groups found posting at the same time (counting stops at the limit)."""
    hub: bool
    """A shared line: weak evidence that joins nothing."""


def epoch(iso: str) -> float | None:
    """Seconds since 1970 of an ISO time (naive times read as UTC), None if empty or bad."""
    if not iso:
        return None
    try:
        when = datetime.fromisoformat(iso)
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.timestamp()


@dataclass(slots=True)
class Sharing:
    """What is known about each shared key: how many adverts carry it and its verdict.

    Built by :meth:`of` over the records being linked (which judges every shared key), or
    from verdicts kept from an earlier run. A key without a verdict counts as evidence.
    """

    counts: dict[str, int] = field(default_factory=dict)
    verdicts: dict[str, KeyVerdict] = field(default_factory=dict)

    @classmethod
    def of(
        cls, signatures: Sequence[LinkSignature], known: Mapping[str, KeyVerdict] | None = None
    ) -> Sharing:
        """Counts and verdicts for every key shared by two or more of ``signatures``; keys
        in ``known`` (verdicts kept from an earlier run) keep their verdict."""
        return judge(signatures, known).sharing

    def count(self, key: str) -> int:
        """Adverts carrying ``key`` (at least 2: the pair being scored shares it)."""
        return max(2, self.counts.get(key, 0))

    def is_hub(self, key: str) -> bool:
        verdict = self.verdicts.get(key)
        return verdict is not None and verdict.hub

    @property
    def hubs(self) -> dict[str, int]:
        """Keys judged shared lines, with how many adverts carry each."""
        return {k: v.adverts for k, v in sorted(self.verdicts.items()) if v.hub}


class _Groups:
    """Union-find over adverts; each group keeps its adverts' posting times, sorted."""

    __slots__ = ("parent", "times")

    def __init__(self, times: Sequence[float | None]) -> None:
        self.parent = list(range(len(times)))
        self.times: list[list[float]] = [[t] if t is not None else [] for t in times]

    def find(self, x: int) -> int:
        parent = self.parent
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, roots: Sequence[int]) -> None:
        # the largest group absorbs the others (sorted merge of the time lists)
        big = max(roots, key=lambda r: (len(self.times[r]), -r))
        merged = self.times[big]
        for r in roots:
            if r == big:
                continue
            self.parent[r] = big
            if self.times[r]:
                merged = sorted(merged + self.times[r])
            self.times[r] = []
        self.times[big] = merged


def _concurrent(groups: _Groups, candidates: Sequence[int], limit: int = MIN_CONCURRENT) -> int:
    """Pairs of ``candidates`` (roots) that post at the same time, counted up to ``limit``."""
    spans = sorted((groups.times[r][0], groups.times[r][-1], r) for r in candidates)
    found = 0
    active: list[tuple[float, float, int]] = []
    for start, end, r in spans:
        active = [a for a in active if a[1] > start]
        mine = groups.times[r]
        for a_start, a_end, a in active:
            theirs = groups.times[a]
            inside_mine = bisect.bisect_right(theirs, end) - bisect.bisect_left(theirs, start)
            inside_theirs = bisect.bisect_right(mine, a_end) - bisect.bisect_left(mine, a_start)
            if min(inside_mine, inside_theirs) >= MIN_INTERLEAVED:
                found += 1
                if found >= limit:
                    return found
        active.append((start, end, r))
    return found


@dataclass(slots=True)
class Judged:
    """What :func:`judge` found: the verdicts, the records' posting times, which records carry
    each judged key (indexes into the records), and each record's group."""

    sharing: Sharing
    times: list[float | None]
    members: dict[str, list[int]]
    group: list[int]


def judge(
    signatures: Sequence[LinkSignature], known: Mapping[str, KeyVerdict] | None = None
) -> Judged:
    """Judge every shared key of ``signatures`` (see the module text); a key in ``known``
    keeps that verdict (a hub joins nothing, any other key joins its adverts)."""
    times = [epoch(s.posted_at) for s in signatures]
    members: dict[str, list[int]] = {}
    for i, sig in enumerate(signatures):
        for key in set(sig.keys):
            if key_kind(key) in JUDGED_KINDS:
                members.setdefault(key, []).append(i)
    sharing = Sharing()
    groups = _Groups(times)
    order = sorted(members.items(), key=lambda kv: (len(kv[1]), kv[0]))
    for key, ads in order:
        sharing.counts[key] = len(ads)
    shared = [(key, ads) for key, ads in order if len(ads) > 1]
    # first pass: the least shared first; a key whose adverts are not yet in groups that
    # span time is accepted blind (nothing to judge it by)
    blind = [key for key, ads in shared if _decide(key, ads, groups, times, sharing, known)]
    if blind:
        # second pass: the keys judged with knowledge keep their verdicts; the blind ones are
        # judged again, the most shared first, once all the others have made their groups
        # (a booking line printed beside each poster's own phone, in fewer adverts than those
        # phones, is judged once the phones have made the posters' groups)
        groups = _Groups(times)
        fixed = dict(sharing.verdicts)
        again = set(blind)
        for key in again:
            del fixed[key]
        for key, ads in shared:
            if key not in again:
                _decide(key, ads, groups, times, sharing, fixed)
        for key, ads in reversed(shared):
            if key in again:
                _decide(key, ads, groups, times, sharing, known)
    return Judged(sharing, times, members, [groups.find(i) for i in range(len(signatures))])


def _decide(
    key: str,
    ads: list[int],
    groups: _Groups,
    times: Sequence[float | None],
    sharing: Sharing,
    known: Mapping[str, KeyVerdict] | None,
) -> bool:
    """Judge one key and join its groups unless it is a hub; True if it was accepted blind
    (its adverts were in fewer than two groups that span time: nothing to judge it by)."""
    per_root = Counter(groups.find(i) for i in ads)
    prior = known.get(key) if known else None
    if prior is not None:
        sharing.verdicts[key] = prior
        if not prior.hub:
            groups.union(list(per_root))
        return False
    if len(per_root) == 1:
        sharing.verdicts[key] = KeyVerdict(len(ads), 1, 0, False)
        return False
    grown = sum(1 for r in per_root if _spans_time(groups.times[r]))
    key_times: dict[int, list[float]] = {}
    for i in ads:
        t = times[i]
        if t is not None:
            key_times.setdefault(groups.find(i), []).append(t)
    candidates = [r for r, ts in key_times.items() if _minority(groups.times[r], ts, per_root[r])]
    concurrent = _concurrent(groups, candidates) if len(candidates) > 1 else 0
    hub = concurrent >= MIN_CONCURRENT
    sharing.verdicts[key] = KeyVerdict(len(ads), len(per_root), concurrent, hub)
    if not hub:
        groups.union(list(per_root))
    return not hub and grown < 2


def _spans_time(group_times: list[float]) -> bool:
    return len(group_times) > 1 and group_times[0] < group_times[-1]


def _minority(group_times: list[float], key_times: list[float], count: int) -> bool:
    """Whether the key is in under ``COVERAGE`` of the group's adverts from one advert before
    its first appearance there to one after its last (a group whose adverts span no time
    cannot be judged)."""
    if not _spans_time(group_times):
        return False
    first = max(0, bisect.bisect_left(group_times, min(key_times)) - 1)
    last = min(len(group_times), bisect.bisect_right(group_times, max(key_times)) + 1)
    return count / max(1, last - first) < COVERAGE


EVIDENCE_KINDS = JUDGED_KINDS | {"line"}
"""Kinds of key that count as evidence when two records share them: the judged kinds, and
business service lines (weak evidence that never joins, see ``blocking.SERVICE_LINES``)."""


def shared_keys(a: LinkSignature, b: LinkSignature) -> list[str]:
    """The keys two records share that count as evidence, sorted."""
    return sorted(k for k in set(a.keys) & set(b.keys) if key_kind(k) in EVIDENCE_KINDS)

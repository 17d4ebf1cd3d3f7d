"""Linking over the store: a full run, or only what new adverts and judgements touch.

A full run reads every advert's signature (the compact record the scan made), links them all,
ranks the operations and replaces what earlier runs wrote. An incremental run takes only the
adverts no run has weighed yet: it finds the stored adverts they share a key with through the
key index, scores those pairs, and re-groups only the connected groups the new links touch
(with every advert strongly linked to them), leaving the rest of the store as it was.
Judgements are applied to both; recording one re-groups the adverts it is about at once.

Incremental runs keep earlier links' weights: an identifier that new adverts make more
common weighs a little less in a full run. Run ``threadline link --full`` now and then (and
after a rule or extractor update) to weigh everything afresh.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field

from threadline.errors import ThreadlineError
from threadline.link.blocking import LINKING_KINDS, MAX_BUCKET
from threadline.link.clusters import operations as group
from threadline.link.judgements import Verdicts
from threadline.link.ranking import rank
from threadline.link.scoring import (
    LINK_THRESHOLD,
    STAGE,
    Sharing,
    key_kind,
    link_signatures,
    score_signatures,
)
from threadline.model import Judgement, Link, LinkSignature, Operation, Profile
from threadline.store.sql import SqlStore

Progress = Callable[[str], None]
"""Told the name of each step as it starts."""


class NotScanned(ThreadlineError):
    """Adverts in the store have no linking signature: they were never scanned."""


@dataclass(slots=True)
class LinkReport:
    mode: str
    """``full``, ``incremental`` or ``nothing new``."""
    adverts: int = 0
    """Adverts weighed by this run."""
    links: int = 0
    strong: int = 0
    operations: int = 0
    """Operations written by this run (all of them in a full run)."""
    replaced: int = 0
    hubs: dict[str, int] = field(default_factory=dict)


def _noop(_: str) -> None:
    pass


def link_store(store: SqlStore, *, full: bool = False, progress: Progress = _noop) -> LinkReport:
    """Link the stored adverts: everything, or (by default, once a run has been made) only the
    adverts added since."""
    unsigned = store.count_unsigned()
    if unsigned:
        raise NotScanned(
            f"{unsigned:,} stored adverts have not been scanned, so they cannot be linked yet: "
            "run `threadline scan` first"
        )
    total = store.count_signatures()
    fresh = store.count_signatures(unlinked=True)
    if not total or (not fresh and not full):
        return LinkReport("nothing new")
    verdicts = Verdicts.of(store.list_judgements())
    if full or fresh == total:
        return _full(store, verdicts, progress)
    return _incremental(store, verdicts, progress)


def _full(store: SqlStore, verdicts: Verdicts, progress: Progress) -> LinkReport:
    progress("reading signatures")
    signatures = [s for batch in store.iter_signatures() for s in batch]
    signatures = verdicts.clean(signatures)
    progress("linking")
    linked = link_signatures(
        signatures, adjust=verdicts.adjuster({s.ad_id for s in signatures}) if verdicts else None
    )
    progress("ranking")
    profiles = _profiles(store, linked.operations, {s.ad_id: s for s in signatures})
    progress("writing")
    store.replace_linking(
        linked.links,
        profiles,
        {op.id: op.members for op in linked.operations},
        STAGE,
        linked=[s.ad_id for s in signatures],
    )
    strong = sum(1 for link in linked.links if link.weight >= LINK_THRESHOLD)
    return LinkReport(
        "full",
        adverts=len(signatures),
        links=len(linked.links),
        strong=strong,
        operations=len(profiles),
        hubs=linked.hubs,
    )


def _profiles(
    store: SqlStore, ops: list[Operation], signatures: dict[str, LinkSignature]
) -> list[Profile]:
    members = [m for op in ops for m in op.members]
    return rank(ops, signatures, store.member_facts(members))


def _incremental(store: SqlStore, verdicts: Verdicts, progress: Progress) -> LinkReport:
    progress("reading new signatures")
    new = verdicts.clean([s for batch in store.iter_signatures(unlinked=True) for s in batch])
    progress("finding stored adverts that share a key")
    keys = {k for s in new for k in s.keys if key_kind(k) in LINKING_KINDS}
    holders = store.adverts_with_keys(keys, limit=MAX_BUCKET)
    hubs = {k: len(v) for k, v in holders.items() if len(v) > MAX_BUCKET}
    others = {m for k, v in holders.items() if k not in hubs for m in v}
    by_id = {
        s.ad_id: s for s in verdicts.clean(store.signatures_of(others - {s.ad_id for s in new}))
    }
    by_id.update({s.ad_id: s for s in new})
    sharing = Sharing(store.key_counts(keys - hubs.keys()))
    progress("scoring new pairs")
    pairs: set[tuple[str, str]] = set()
    new_ids = {s.ad_id for s in new}
    for key, members in holders.items():
        if key in hubs:
            continue
        for a, b in itertools.combinations(sorted(set(members)), 2):
            if (a in new_ids or b in new_ids) and a in by_id and b in by_id:
                pairs.add((a, b))
    scored = [score_signatures(by_id[a], by_id[b], sharing) for a, b in sorted(pairs)]
    # every holder of a key the new adverts carry: the key's count changed, so their links'
    # weights may have too
    touched = new_ids | {m for k, v in holders.items() if k not in hubs for m in v}
    report = _regroup(store, verdicts, touched, scored, progress)
    report.mode, report.adverts, report.hubs = "incremental", len(new), hubs
    store.mark_linked(sorted(new_ids))
    return report


def regroup(store: SqlStore, ad_ids: Collection[str], *, progress: Progress = _noop) -> LinkReport:
    """Re-group the adverts' connected groups under the judgements in force (after one was
    recorded), leaving the rest of the store as it is."""
    verdicts = Verdicts.of(store.list_judgements())
    report = _regroup(store, verdicts, set(ad_ids), [], progress)
    report.mode = "regrouped"
    return report


def _component(
    store: SqlStore, start: set[str], extra: Iterable[Link]
) -> tuple[set[str], list[Link]]:
    """Every advert joined to ``start`` by strong links (stored or new) or by a stored
    operation, with every link among them."""
    extra = list(extra)
    adjacency: dict[str, set[str]] = {}
    for link in extra:
        if link.weight >= LINK_THRESHOLD:
            adjacency.setdefault(link.a, set()).add(link.b)
            adjacency.setdefault(link.b, set()).add(link.a)
    seen: set[str] = set()
    frontier = set(start)
    while frontier:
        seen |= frontier
        grow: set[str] = set()
        for op_id in set(store.operations_of(frontier).values()):
            grow.update(store.operation_members(op_id))
        for link in store.links_touching(frontier):
            if link.weight >= LINK_THRESHOLD:
                grow.update((link.a, link.b))
        for x in frontier:
            grow |= adjacency.get(x, set())
        frontier = grow - seen
    merged = {(link.a, link.b): link for link in store.links_among(seen)}
    merged.update({(link.a, link.b): link for link in extra})
    return seen, list(merged.values())


def _regroup(
    store: SqlStore,
    verdicts: Verdicts,
    touched: set[str],
    scored: list[Link],
    progress: Progress,
) -> LinkReport:
    progress("re-grouping what changed")
    members, links = _component(store, touched, scored)
    before = set(store.operations_of(members).values())
    signatures = {s.ad_id: s for s in verdicts.clean(store.signatures_of(members))}
    links = _rescored(store, links, signatures)
    if verdicts:
        links = verdicts.adjuster(members)(links)
    strong = [link for link in links if link.weight >= LINK_THRESHOLD]
    ops = group(strong)
    progress("ranking")
    profiles = _profiles(store, ops, signatures)
    progress("writing")
    store.replace_linking(
        links, profiles, {op.id: op.members for op in ops}, STAGE, replaced=before, scope=members
    )
    return LinkReport(
        "incremental",
        links=len(scored),
        strong=len(strong),
        operations=len(ops),
        replaced=len(before),
    )


def _rescored(
    store: SqlStore, links: list[Link], signatures: dict[str, LinkSignature]
) -> list[Link]:
    """The links weighed afresh with the keys' counts as they are now (analysts' links and
    links to adverts without a signature are kept as they are)."""
    keys = {k for s in signatures.values() for k in s.keys if key_kind(k) in LINKING_KINDS}
    sharing = Sharing(store.key_counts(keys))
    out = []
    for link in links:
        a, b = signatures.get(link.a), signatures.get(link.b)
        if link.stage != STAGE or a is None or b is None:
            out.append(link)
        else:
            out.append(score_signatures(a, b, sharing))
    return out


def judge(store: SqlStore, judgement: Judgement) -> tuple[Judgement, LinkReport]:
    """Record a judgement and re-group the adverts it is about at once."""
    recorded = store.add_judgement(judgement)
    if judgement.target == "link":
        about: set[str] = set(judgement.subject.split("|"))
    elif judgement.target == "operation":
        about = set(judgement.members)
    else:
        about = set(
            store.adverts_with_keys({judgement.subject}, limit=MAX_BUCKET)[judgement.subject]
        )
    return recorded, regroup(store, about)

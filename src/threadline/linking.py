"""Linking over the store: a full run, or only the neighbourhood that new adverts and
judgements touch.

A full run reads every advert's signature (the compact record the scan made), links them all,
ranks the operations and replaces what earlier runs wrote. It also keeps how it judged each
widely shared key (a shared line or one operator's), for incremental runs.

An incremental run starts from the adverts no run has weighed yet and grows a *neighbourhood*
through the key index: every stored advert that carries one of its keys, and every member of
the operations those belong to, round after round until nothing new comes in. Keys carried by
more than ``EXPAND_LIMIT`` adverts are not followed (a help line would pull in the whole store);
the verdict a full run gave them is reused instead. The neighbourhood is linked as a whole, by
the same function as a full run, and only its operations are replaced. When the growth closes
(no key left unfollowed) the result is exactly what a full run would give for those adverts;
the tests check this, and ``threadline link --full`` weighs everything afresh at any time.
Recording a judgement re-links the neighbourhood of the adverts it is about.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field

from threadline.errors import ThreadlineError
from threadline.link.judgements import Verdicts
from threadline.link.ranking import rank
from threadline.link.scoring import LINK_THRESHOLD, STAGE, KeyVerdict, Linked, link_signatures
from threadline.link.sharing import JUDGED_KINDS, key_kind
from threadline.model import Judgement, LinkSignature, Operation, Profile
from threadline.store.sql import SqlStore

Progress = Callable[[str], None]
"""Told the name of each step as it starts."""
EXPAND_LIMIT = 200
"""Adverts carrying one key above which an incremental run does not follow the key."""
KEEP_VERDICTS_FROM = 20
"""A full run keeps its verdicts on keys carried by at least this many adverts."""
MAX_ROUNDS = 50
FOLLOWED_KINDS = JUDGED_KINDS | {"pdq"}
"""Keys a neighbourhood grows through: those that can join adverts, and picture hashes'
blocking keys (pictures become keys only when linked)."""


class NotScanned(ThreadlineError):
    """Adverts in the store have no linking signature: they were never scanned."""


@dataclass(slots=True)
class LinkReport:
    mode: str
    """``full``, ``incremental``, ``regrouped`` or ``nothing new``."""
    adverts: int = 0
    """Adverts weighed by this run (the new ones, in an incremental run)."""
    neighbourhood: int = 0
    """Adverts re-linked with them (all, in a full run)."""
    links: int = 0
    strong: int = 0
    operations: int = 0
    """Operations written by this run (all of them in a full run)."""
    replaced: int = 0
    hubs: dict[str, int] = field(default_factory=dict)
    closed: bool = True
    """False if the neighbourhood reached keys too widely shared to follow."""


def _noop(_: str) -> None:
    pass


def link_store(store: SqlStore, *, full: bool = False, progress: Progress = _noop) -> LinkReport:
    """Link the stored adverts: everything, or (by default, once a run has been made) only the
    adverts added since, into the existing operations."""
    unsigned = store.count_unsigned()
    if unsigned:
        raise NotScanned(
            f"{unsigned:,} stored adverts have not been scanned, so they cannot be linked yet: "
            "run `threadline scan` first (`threadline scan --new` reads only those)"
        )
    total = store.count_signatures()
    fresh = store.count_signatures(unlinked=True)
    if not total or (not fresh and not full):
        return LinkReport("nothing new")
    verdicts = Verdicts.of(store.list_judgements())
    if full or fresh == total:
        return _full(store, verdicts, progress)
    progress("reading new signatures")
    new = [s.ad_id for batch in store.iter_signatures(unlinked=True) for s in batch]
    report = _relink(store, verdicts, new, progress)
    report.mode, report.adverts = "incremental", len(new)
    return report


def regroup(store: SqlStore, ad_ids: Collection[str], *, progress: Progress = _noop) -> LinkReport:
    """Re-link the neighbourhood of these adverts under the judgements in force."""
    report = _relink(store, Verdicts.of(store.list_judgements()), list(ad_ids), progress)
    report.mode = "regrouped"
    return report


def judge(store: SqlStore, judgement: Judgement) -> tuple[Judgement, LinkReport]:
    """Record a judgement and re-link the adverts it is about at once."""
    recorded = store.add_judgement(judgement)
    if judgement.target == "link":
        about: set[str] = set(judgement.subject.split("|"))
    elif judgement.target == "operation":
        about = set(judgement.members)
    else:
        holders = store.adverts_with_keys({judgement.subject}, limit=EXPAND_LIMIT)
        about = set(holders[judgement.subject])
    return recorded, regroup(store, about)


def _full(store: SqlStore, verdicts: Verdicts, progress: Progress) -> LinkReport:
    progress("reading signatures")
    signatures = verdicts.clean([s for batch in store.iter_signatures() for s in batch])
    progress("linking")
    linked = _link(signatures, verdicts, None)
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
    store.replace_key_verdicts(
        [
            (key, v.adverts, v.groups, v.concurrent, v.hub)
            for key, v in sorted(linked.verdicts.items())
            if v.adverts >= KEEP_VERDICTS_FROM
        ]
    )
    return LinkReport(
        "full",
        adverts=len(signatures),
        neighbourhood=len(signatures),
        links=len(linked.links),
        strong=sum(1 for link in linked.links if link.weight >= LINK_THRESHOLD),
        operations=len(profiles),
        hubs=linked.hubs,
    )


class MixedSignatures(ThreadlineError):
    """Stored signatures were made by different versions of the signing stage."""


def _link(
    signatures: Sequence[LinkSignature],
    verdicts: Verdicts,
    known: dict[str, KeyVerdict] | None,
) -> Linked:
    settings = sorted({s.settings for s in signatures})
    if len(settings) > 1:
        raise MixedSignatures(
            f"the stored signatures were made with {len(settings)} different settings "
            f"({', '.join(settings)}), which cannot be compared: run `threadline scan` to "
            "sign every advert again, then `threadline link --full`"
        )
    adjust = verdicts.adjuster({s.ad_id for s in signatures}) if verdicts else None
    return link_signatures(signatures, adjust=adjust, known=known)


def _profiles(
    store: SqlStore, ops: list[Operation], signatures: dict[str, LinkSignature]
) -> list[Profile]:
    members = [m for op in ops for m in op.members]
    return rank(ops, signatures, store.member_facts(members))


def _neighbourhood(
    store: SqlStore, start: Collection[str], verdicts: Verdicts
) -> tuple[dict[str, LinkSignature], set[str]]:
    """The signatures of every advert reached from ``start`` through shared keys and stored
    operations, and the keys too widely shared to follow."""
    region: dict[str, LinkSignature] = {}
    frontier = set(start)
    followed: set[str] = set()
    unfollowed: set[str] = set()
    for _ in range(MAX_ROUNDS):
        if not frontier:
            break
        region.update({s.ad_id: s for s in verdicts.clean(store.signatures_of(frontier))})
        keys = {
            k
            for ad_id in frontier
            if ad_id in region
            for k in region[ad_id].keys
            if key_kind(k) in FOLLOWED_KINDS
        } - followed
        followed |= keys
        grow: set[str] = set()
        for key, holders in store.adverts_with_keys(keys, limit=EXPAND_LIMIT).items():
            if len(holders) > EXPAND_LIMIT:
                unfollowed.add(key)
            else:
                grow.update(holders)
        operations = store.operations_of(frontier | grow)
        for op_id in set(operations.values()):
            grow.update(store.operation_members(op_id))
        frontier = grow - region.keys()
    return region, unfollowed


def _relink(
    store: SqlStore, verdicts: Verdicts, start: Collection[str], progress: Progress
) -> LinkReport:
    progress("finding the neighbourhood")
    region, unfollowed = _neighbourhood(store, start, verdicts)
    kept = store.key_verdicts(unfollowed)
    known = {key: KeyVerdict(*row) for key, row in kept.items()}
    signatures = sorted(region.values(), key=lambda s: s.ad_id)
    progress("linking")
    linked = _link(signatures, verdicts, known)
    before = set(store.operations_of(region).values())
    progress("ranking")
    profiles = _profiles(store, linked.operations, region)
    progress("writing")
    store.replace_linking(
        linked.links,
        profiles,
        {op.id: op.members for op in linked.operations},
        STAGE,
        replaced=before,
        scope=region.keys(),
        linked=sorted(region),
    )
    return LinkReport(
        "incremental",
        neighbourhood=len(region),
        links=len(linked.links),
        strong=sum(1 for link in linked.links if link.weight >= LINK_THRESHOLD),
        operations=len(profiles),
        replaced=len(before),
        hubs=linked.hubs,
        closed=not unfollowed,
    )

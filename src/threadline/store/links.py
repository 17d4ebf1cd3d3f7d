"""The store's linking tables: signatures and keys, links, operations and judgements.

A mixin of :class:`~threadline.store.sql.SqlStore`, kept apart because linking is a job of its
own: signatures are written with the scan that makes them, links and operations by a linking
run (all of them, or only what new adverts touched), judgements by analysts, never by a run.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    RowMapping,
    bindparam,
    delete,
    func,
    insert,
    select,
    update,
)

from threadline.model import Evidence, Judgement, Link, LinkSignature, MemberFacts, Profile
from threadline.store.rows import to_json
from threadline.store.schema import (
    ads,
    assessments,
    identifiers,
    judgements,
    link_keys,
    link_signatures,
    link_verdicts,
    links,
    operation_members,
    operations,
)
from threadline.store.writers import Writer

LINK_COLUMNS = ("a", "b", "weight", "evidence", "stage")
SIGNATURE_COLUMNS = ("ad_id", "stage", "settings", "minhash", "data", "digest", "linked")
CHUNK = 500
"""Values per ``IN (...)`` list."""
_SIGNATURE_FIELDS = tuple(f.name for f in dataclasses.fields(LinkSignature))
_BYTES_FIELDS = frozenset(f.name for f in dataclasses.fields(LinkSignature) if f.type == "bytes")
"""Fields kept as hex text in the JSON column (the MinHash has a column of its own)."""


def _chunks(values: Sequence[str], size: int = CHUNK) -> Iterator[Sequence[str]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


def _tuples(value: Any) -> Any:
    """JSON lists back to the tuples the frozen model holds."""
    if isinstance(value, list):
        return tuple(_tuples(v) for v in value)
    return value


def signature_row(sig: LinkSignature, stage: str) -> dict[str, Any]:
    data = {
        name: getattr(sig, name).hex() if name in _BYTES_FIELDS else getattr(sig, name)
        for name in _SIGNATURE_FIELDS
        if name not in ("ad_id", "settings", "minhash")
    }
    digest = hashlib.blake2b(digest_size=16)
    for part in (sig.settings.encode(), sig.minhash, to_json(data).encode()):
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)
    return {
        "ad_id": sig.ad_id,
        "stage": stage,
        "settings": sig.settings,
        "minhash": sig.minhash,
        "data": data,
        "digest": digest.hexdigest(),
        "linked": False,
    }


def signature_from_row(row: RowMapping) -> LinkSignature:
    data: dict[str, Any] = {
        k: bytes.fromhex(v) if k in _BYTES_FIELDS else _tuples(v)
        for k, v in row["data"].items()
        if k in _SIGNATURE_FIELDS
    }
    return LinkSignature(
        ad_id=row["ad_id"], settings=row["settings"], minhash=bytes(row["minhash"]), **data
    )


def evidence_json(evidence: Iterable[Evidence]) -> list[dict[str, Any]]:
    return [{"kind": e.kind, "detail": e.detail, "score": e.score} for e in evidence]


def link_from_row(row: RowMapping) -> Link:
    evidence = tuple(Evidence(e["kind"], e["detail"], float(e["score"])) for e in row["evidence"])
    return Link(row["a"], row["b"], float(row["weight"]), evidence, row["stage"])


def profile_from_row(row: RowMapping) -> Profile:
    return Profile(
        id=row["id"],
        rank=int(row["rank"]),
        score=float(row["score"]),
        size=int(row["size"]),
        features={k: float(v) for k, v in row["features"].items()},
        explanation=tuple(row["explanation"]),
        first_posted=row["first_posted"],
        last_posted=row["last_posted"],
        risk=float(row["risk"]),
    )


class LinkTables:
    """Linking reads and writes of :class:`~threadline.store.sql.SqlStore`.

    Bulk writes (a run writes millions of links) go through the store's batch writer as
    pre-encoded rows (``COPY`` on PostgreSQL), not through per-row type processing.
    """

    _writer: Writer

    def _connect(
        self, action: str, *, write: bool = False
    ) -> AbstractContextManager[Connection]:  # pragma: no cover - provided by SqlStore
        raise NotImplementedError

    # --- signatures --------------------------------------------------------------------------

    def _write_signatures(
        self, conn: Connection, ad_ids: Sequence[str], sigs: Sequence[LinkSignature], stage: str
    ) -> None:
        """Replace these adverts' signatures and keys. A signature that a re-scan made anew
        keeps its ``linked`` mark only if nothing in it changed (same digest): an incremental
        run then weighs just the adverts that are new or read differently."""
        rows = {s.ad_id: signature_row(s, stage) for s in sigs}
        unchanged: set[str] = set()
        for chunk in _chunks(ad_ids):
            held = select(link_signatures.c.ad_id, link_signatures.c.digest).where(
                link_signatures.c.ad_id.in_(chunk), link_signatures.c.linked.is_(True)
            )
            for ad_id, digest in conn.execute(held):
                row = rows.get(ad_id)
                if row is not None and row["digest"] == digest:
                    unchanged.add(ad_id)
            conn.execute(delete(link_keys).where(link_keys.c.ad_id.in_(chunk)))
            conn.execute(delete(link_signatures).where(link_signatures.c.ad_id.in_(chunk)))
        if not sigs:
            return
        # pre-encoded rows through the batch writer: a scan writes one signature per advert
        encoded = [
            (
                r["ad_id"],
                r["stage"],
                r["settings"],
                r["minhash"],
                to_json(r["data"]),
                r["digest"],
                r["ad_id"] in unchanged,
            )
            for r in rows.values()
        ]
        self._writer.insert(conn, "link_signatures", SIGNATURE_COLUMNS, encoded)
        keys = [(k, s.ad_id) for s in sigs for k in sorted(set(s.keys))]
        self._writer.insert(conn, "link_keys", ("key", "ad_id"), keys)

    @staticmethod
    def _unsigned() -> ColumnElement[bool]:
        return ~select(link_signatures.c.ad_id).where(link_signatures.c.ad_id == ads.c.id).exists()

    def count_unsigned(self) -> int:
        """Adverts without a linking signature: stored but never scanned."""
        missing = self._unsigned()
        with self._connect("counting unscanned adverts") as conn:
            return int(
                conn.execute(select(func.count()).select_from(ads).where(missing)).scalar_one()
            )

    def count_signatures(self, *, unlinked: bool = False) -> int:
        stmt = select(func.count()).select_from(link_signatures)
        if unlinked:
            stmt = stmt.where(link_signatures.c.linked.is_(False))
        with self._connect("counting signatures") as conn:
            return int(conn.execute(stmt).scalar_one())

    def iter_signatures(
        self, *, batch_size: int = 20_000, unlinked: bool = False
    ) -> Iterator[list[LinkSignature]]:
        """Every advert's signature (or only those no linking run has weighed), by ad id."""
        last = ""
        while True:
            stmt = (
                select(link_signatures)
                .where(link_signatures.c.ad_id > last)
                .order_by(link_signatures.c.ad_id)
                .limit(batch_size)
            )
            if unlinked:
                stmt = stmt.where(link_signatures.c.linked.is_(False))
            with self._connect("reading signatures") as conn:
                rows = conn.execute(stmt).mappings().all()
            if not rows:
                return
            last = rows[-1]["ad_id"]
            yield [signature_from_row(r) for r in rows]

    def signatures_of(self, ad_ids: Collection[str]) -> list[LinkSignature]:
        out: list[LinkSignature] = []
        with self._connect("reading signatures") as conn:
            for chunk in _chunks(sorted(ad_ids)):
                stmt = select(link_signatures).where(link_signatures.c.ad_id.in_(chunk))
                out += [signature_from_row(r) for r in conn.execute(stmt).mappings()]
        return out

    def adverts_with_keys(self, keys: Collection[str], *, limit: int) -> dict[str, list[str]]:
        """For each key, the adverts that hold it; a key held by more than ``limit`` adverts
        comes back with ``limit + 1`` of them (enough to know it is a hub, no more)."""
        out: dict[str, list[str]] = {}
        with self._connect("looking up linking keys") as conn:
            for key in sorted(keys):
                stmt = (
                    select(link_keys.c.ad_id)
                    .where(link_keys.c.key == key)
                    .order_by(link_keys.c.ad_id)
                    .limit(limit + 1)
                )
                out[key] = list(conn.execute(stmt).scalars())
        return out

    def key_counts(self, keys: Collection[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        with self._connect("counting linking keys") as conn:
            for chunk in _chunks(sorted(keys)):
                stmt = (
                    select(link_keys.c.key, func.count())
                    .where(link_keys.c.key.in_(chunk))
                    .group_by(link_keys.c.key)
                )
                out.update({str(k): int(n) for k, n in conn.execute(stmt)})
        return out

    def mark_linked(self, ad_ids: Sequence[str]) -> None:
        with self._connect("marking adverts linked", write=True) as conn:
            for chunk in _chunks(ad_ids):
                conn.execute(
                    update(link_signatures)
                    .where(link_signatures.c.ad_id.in_(chunk))
                    .values(linked=True)
                )

    # --- key verdicts --------------------------------------------------------------------------

    def replace_key_verdicts(self, rows: Sequence[tuple[str, int, int, int, bool]]) -> None:
        """Keep a full run's verdicts on widely shared keys: (key, adverts, groups,
        concurrent pairs, hub)."""
        with self._connect("writing key verdicts", write=True) as conn:
            conn.execute(delete(link_verdicts))
            self._writer.insert(
                conn, "link_verdicts", ("key", "adverts", "groups", "concurrent", "hub"), list(rows)
            )

    def key_verdicts(self, keys: Collection[str]) -> dict[str, tuple[int, int, int, bool]]:
        out: dict[str, tuple[int, int, int, bool]] = {}
        with self._connect("reading key verdicts") as conn:
            for chunk in _chunks(sorted(keys)):
                stmt = select(link_verdicts).where(link_verdicts.c.key.in_(chunk))
                for r in conn.execute(stmt):
                    out[r.key] = (int(r.adverts), int(r.groups), int(r.concurrent), bool(r.hub))
        return out

    # --- links and operations ----------------------------------------------------------------

    def replace_linking(
        self,
        new_links: Sequence[Link],
        profiles: Sequence[Profile],
        members: Mapping[str, Sequence[str]],
        stage: str,
        *,
        replaced: Collection[str] | None = None,
        scope: Collection[str] = (),
        linked: Sequence[str] = (),
    ) -> None:
        """Write a linking run's output in ONE transaction.

        ``replaced`` None: a full run, and everything earlier runs wrote goes. Otherwise only
        the named operations, and the links among the adverts of ``scope``, are replaced: an
        incremental run. ``linked`` are the adverts this run weighed, marked so that the next
        run skips them. Judgements are never touched.
        """
        now = datetime.now(UTC)
        with self._connect("writing operations (nothing of it was stored)", write=True) as conn:
            if replaced is None:
                for table in (links, operation_members, operations):
                    conn.execute(delete(table))
            else:
                gone = sorted(replaced)
                touched = sorted({m for ms in members.values() for m in ms})
                for chunk in _chunks(gone):
                    conn.execute(
                        delete(operation_members).where(operation_members.c.operation_id.in_(chunk))
                    )
                    conn.execute(delete(operations).where(operations.c.id.in_(chunk)))
                for chunk in _chunks(touched):
                    conn.execute(
                        delete(operation_members).where(operation_members.c.ad_id.in_(chunk))
                    )
                old = self._links_among(conn, scope)
                if old:
                    conn.execute(
                        delete(links).where(
                            links.c.a == bindparam("x"), links.c.b == bindparam("y")
                        ),
                        [{"x": k.a, "y": k.b} for k in old],
                    )
            if new_links:
                rows = [
                    (k.a, k.b, k.weight, to_json(evidence_json(k.evidence)), k.stage)
                    for k in new_links
                ]
                self._writer.insert(conn, "links", LINK_COLUMNS, rows)
            if profiles:
                conn.execute(
                    insert(operations),
                    [
                        {
                            "id": p.id,
                            "rank": p.rank,
                            "score": p.score,
                            "risk": p.risk,
                            "size": p.size,
                            "first_posted": p.first_posted,
                            "last_posted": p.last_posted,
                            "features": dict(p.features),
                            "explanation": list(p.explanation),
                            "stage": stage,
                            "linked_at": now,
                        }
                        for p in profiles
                    ],
                )
                pairs = [(m, op) for op, ms in members.items() for m in ms]
                self._writer.insert(conn, "operation_members", ("ad_id", "operation_id"), pairs)
            for chunk in _chunks(list(linked)):
                conn.execute(
                    update(link_signatures)
                    .where(link_signatures.c.ad_id.in_(chunk))
                    .values(linked=True)
                )
            if replaced is not None:
                self._renumber(conn)

    def _renumber(self, conn: Connection) -> None:
        """Ranks 1..n by triage score after an incremental run changed some operations."""
        order = conn.execute(
            select(operations.c.id, operations.c.rank).order_by(
                operations.c.score.desc(), operations.c.id
            )
        ).all()
        changed = [{"i": op, "r": n} for n, (op, rank) in enumerate(order, 1) if rank != n]
        for row in changed:
            conn.execute(
                update(operations).where(operations.c.id == row["i"]).values(rank=row["r"])
            )

    def count_operations(self) -> int:
        with self._connect("counting operations") as conn:
            return int(conn.execute(select(func.count()).select_from(operations)).scalar_one())

    def list_operations(self, *, limit: int = 20, offset: int = 0) -> list[Profile]:
        """Operations in triage order (rank 1 first)."""
        stmt = select(operations).order_by(operations.c.rank).limit(limit).offset(offset)
        with self._connect("listing operations") as conn:
            return [profile_from_row(r) for r in conn.execute(stmt).mappings()]

    def get_operation(self, op_id: str) -> Profile | None:
        with self._connect("reading an operation") as conn:
            row = (
                conn.execute(select(operations).where(operations.c.id == op_id)).mappings().first()
            )
        return None if row is None else profile_from_row(row)

    def operation_members(self, op_id: str) -> list[str]:
        stmt = (
            select(operation_members.c.ad_id)
            .where(operation_members.c.operation_id == op_id)
            .order_by(operation_members.c.ad_id)
        )
        with self._connect("reading operation members") as conn:
            return list(conn.execute(stmt).scalars())

    def operations_of(self, ad_ids: Collection[str]) -> dict[str, str]:
        """The operation of each advert that is in one."""
        out: dict[str, str] = {}
        with self._connect("reading operations of adverts") as conn:
            for chunk in _chunks(sorted(ad_ids)):
                stmt = select(operation_members).where(operation_members.c.ad_id.in_(chunk))
                out.update({r.ad_id: r.operation_id for r in conn.execute(stmt)})
        return out

    def links_among(self, ad_ids: Collection[str]) -> list[Link]:
        """Every stored link with both ends among ``ad_ids``, strongest first."""
        with self._connect("reading links") as conn:
            out = self._links_among(conn, ad_ids)
        out.sort(key=lambda k: (-k.weight, k.a, k.b))
        return out

    def _links_among(self, conn: Connection, ad_ids: Collection[str]) -> list[Link]:
        wanted = set(ad_ids)
        out: list[Link] = []
        for chunk in _chunks(sorted(wanted)):
            stmt = select(links).where(links.c.a.in_(chunk))
            out += [link_from_row(r) for r in conn.execute(stmt).mappings() if r["b"] in wanted]
        return out

    def links_touching(self, ad_ids: Collection[str]) -> list[Link]:
        """Every stored link with at least one end among ``ad_ids``."""
        found: dict[tuple[str, str], Link] = {}
        with self._connect("reading links") as conn:
            for chunk in _chunks(sorted(ad_ids)):
                for column in (links.c.a, links.c.b):
                    for row in conn.execute(select(links).where(column.in_(chunk))).mappings():
                        link = link_from_row(row)
                        found[(link.a, link.b)] = link
        return sorted(found.values(), key=lambda k: (-k.weight, k.a, k.b))

    def member_facts(self, ad_ids: Collection[str]) -> dict[str, MemberFacts]:
        """Risk, images and places of the adverts, for ranking their operations."""
        risk: dict[str, tuple[float, bool]] = {}
        images: dict[str, int] = {}
        countries: dict[str, set[str]] = defaultdict(set)
        cities: dict[str, set[str]] = defaultdict(set)
        with self._connect("reading member facts") as conn:
            for chunk in _chunks(sorted(ad_ids)):
                stmt = select(
                    assessments.c.ad_id, assessments.c.score, assessments.c.threshold
                ).where(assessments.c.ad_id.in_(chunk))
                for ad_id, score, threshold in conn.execute(stmt):
                    risk[ad_id] = (float(score), float(score) >= float(threshold))
                for ad_id, pictures in conn.execute(
                    select(ads.c.id, ads.c.images).where(ads.c.id.in_(chunk))
                ):
                    images[ad_id] = len(pictures or ())
                # kind is tested here, not in SQL: with it there, SQLite prefers the (kind,
                # value) index and reads every place in the store once per chunk
                stmt_places = select(
                    identifiers.c.ad_id,
                    identifiers.c.kind,
                    identifiers.c.value,
                    identifiers.c.attrs,
                ).where(identifiers.c.ad_id.in_(chunk))
                for ad_id, kind, value, attrs in conn.execute(stmt_places):
                    if kind != "place":
                        continue
                    cities[ad_id].add(str(value))
                    if attrs and attrs.get("country"):
                        countries[ad_id].add(str(attrs["country"]))
        return {
            ad_id: MemberFacts(
                risk=risk.get(ad_id, (0.0, False))[0],
                flagged=risk.get(ad_id, (0.0, False))[1],
                images=images.get(ad_id, 0),
                countries=tuple(sorted(countries.get(ad_id, ()))),
                cities=tuple(sorted(cities.get(ad_id, ()))),
            )
            for ad_id in ad_ids
        }

    # --- judgements --------------------------------------------------------------------------

    def add_judgement(self, judgement: Judgement) -> Judgement:
        """Record an analyst's judgement (never replaced by a linking run)."""
        at = judgement.at or datetime.now(UTC)
        row = {
            "target": judgement.target,
            "subject": judgement.subject,
            "verdict": judgement.verdict,
            "members": list(judgement.members),
            "analyst": judgement.analyst,
            "note": judgement.note,
            "at": at,
        }
        with self._connect("recording a judgement", write=True) as conn:
            conn.execute(insert(judgements), [row])
        return dataclasses.replace(judgement, at=at)

    def list_judgements(self) -> list[Judgement]:
        """Every judgement, oldest first (a later one on the same subject overrides)."""
        with self._connect("reading judgements") as conn:
            rows = conn.execute(select(judgements).order_by(judgements.c.seq)).mappings().all()
        return [
            Judgement(
                target=r["target"],
                subject=r["subject"],
                verdict=r["verdict"],
                analyst=r["analyst"],
                note=r["note"],
                members=tuple(r["members"]),
                at=r["at"],
            )
            for r in rows
        ]

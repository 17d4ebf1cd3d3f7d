"""Analyst judgements applied to a linking run: the tool proposes, a human decides.

Judgements are read from the store before every run and applied in two places: rejected
identifiers are taken out of the signatures before pairs are made (an agency switchboard then
links nothing), and judged links and operations adjust the scored links before they are
grouped. A later judgement on the same subject overrides an earlier one.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace

from threadline.model import Evidence, Judgement, Link, LinkSignature

STAGE = "link.judged@1"


def link_subject(a: str, b: str) -> str:
    """The subject of a judgement on the link between two adverts, whatever their order."""
    x, y = sorted((a, b))
    return f"{x}|{y}"


@dataclass(slots=True)
class Verdicts:
    """The judgements in force, by what they are about."""

    confirmed_links: dict[tuple[str, str], Judgement] = field(default_factory=dict)
    rejected_links: set[tuple[str, str]] = field(default_factory=set)
    confirmed_groups: list[Judgement] = field(default_factory=list)
    rejected_groups: list[frozenset[str]] = field(default_factory=list)
    rejected_keys: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, judgements: Sequence[Judgement]) -> Verdicts:
        latest: dict[tuple[str, str], Judgement] = {}
        for j in judgements:
            latest[(j.target, j.subject)] = j
        out = cls()
        for (target, subject), j in latest.items():
            if target == "link":
                a, _, b = subject.partition("|")
                pair = (a, b)
                if j.verdict == "confirm":
                    out.confirmed_links[pair] = j
                else:
                    out.rejected_links.add(pair)
            elif target == "operation":
                if j.verdict == "confirm":
                    out.confirmed_groups.append(j)
                else:
                    out.rejected_groups.append(frozenset(j.members))
            elif j.verdict == "reject":
                out.rejected_keys.add(subject)
        return out

    def __bool__(self) -> bool:
        return bool(
            self.confirmed_links
            or self.rejected_links
            or self.confirmed_groups
            or self.rejected_groups
            or self.rejected_keys
        )

    def clean(self, signatures: Sequence[LinkSignature]) -> list[LinkSignature]:
        """The signatures without the identifiers analysts rejected as evidence."""
        if not self.rejected_keys:
            return list(signatures)
        out = []
        for sig in signatures:
            kept = tuple(k for k in sig.keys if k not in self.rejected_keys)
            out.append(sig if len(kept) == len(sig.keys) else replace(sig, keys=kept))
        return out

    def adjuster(self, present: Collection[str]) -> _Adjust:
        return _Adjust(self, frozenset(present))


def _analyst_link(a: str, b: str, j: Judgement, what: str) -> Link:
    x, y = sorted((a, b))
    when = f" on {j.at:%Y-%m-%d}" if j.at else ""
    note = f": {j.note}" if j.note else ""
    return Link(x, y, 1.0, (Evidence("analyst", f"{what} by {j.analyst}{when}{note}", 1.0),), STAGE)


@dataclass(frozen=True, slots=True)
class _Adjust:
    verdicts: Verdicts
    present: frozenset[str]

    def __call__(self, links: list[Link]) -> list[Link]:
        v = self.verdicts
        groups_of: dict[str, list[int]] = {}
        for i, group in enumerate(v.rejected_groups):
            for member in group:
                groups_of.setdefault(member, []).append(i)
        out: dict[tuple[str, str], Link] = {}
        for link in links:
            pair = (link.a, link.b)
            if pair in v.confirmed_links or pair in v.rejected_links:
                continue
            if set(groups_of.get(link.a, ())) & set(groups_of.get(link.b, ())):
                continue
            out[pair] = link
        # an analyst's link replaces whatever the evidence made of the same pair
        for (a, b), j in sorted(v.confirmed_links.items()):
            if a in self.present and b in self.present:
                out[(a, b)] = _analyst_link(a, b, j, "link confirmed")
        for j in v.confirmed_groups:
            members = sorted(m for m in j.members if m in self.present)
            for a, b in itertools.pairwise(members):
                out[(a, b)] = _analyst_link(a, b, j, "operation confirmed")
        return list(out.values())

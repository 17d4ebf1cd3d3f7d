"""Operations split when oversized or weakly held, and only then (issue 5)."""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Mapping, Sequence

import pytest

from threadline.link import clusters
from threadline.link.clusters import operations, sole_key, weak_cut
from threadline.link.scoring import KIND_WEIGHTS, LINK_THRESHOLD
from threadline.model import Evidence, Link, Operation


def chains(carriers: Mapping[str, Sequence[str]]) -> list[Link]:
    """Links as ``link_signatures`` makes them: the adverts carrying each key (``kind=value``),
    in posting order, each paired with the next; a pair gets one piece of evidence per key."""
    evidence: dict[tuple[str, str], list[Evidence]] = {}
    for key, ads in carriers.items():
        kind, _, value = key.partition("=")
        for a, b in itertools.pairwise(ads):
            pair = (min(a, b), max(a, b))
            detail = f"shared {kind} {value} (in {len(ads)} adverts)"
            evidence.setdefault(pair, []).append(Evidence(kind, detail, KIND_WEIGHTS[kind]))
    links = []
    for (a, b), found in sorted(evidence.items()):
        weight = 1.0 - math.prod(1.0 - e.score for e in found)
        links.append(Link(a, b, round(weight, 6), tuple(found), "link.score@2"))
    return links


A = [f"a{i:02d}" for i in range(8)]
B = [f"b{i:02d}" for i in range(8)]


def two_groups(picture_in_b: Sequence[str], after: int) -> list[Link]:
    """Two groups of 8 adverts, each held by two keys of its own; group A also prints a picture
    in all its adverts, and ``picture_in_b`` of B's print it too, posted after A's ``after``
    first uses of it."""
    picture = [*A[:after], *picture_in_b, *A[after:]]
    return chains(
        {
            "phone=+447000000001": A,
            "handle=snapchat:alpha": A,
            "picture=pic-1": picture,
            "phone=+447000000002": B,
            "email=beta@example.org": B,
        }
    )


def by_members(ops: Sequence[Operation]) -> dict[tuple[str, ...], Operation]:
    return {op.members: op for op in ops}


def test_two_groups_glued_by_one_picture_are_split_and_say_why() -> None:
    links = two_groups(["b03"], after=4)
    glue = {
        (link.a, link.b) for link in links if sole_key(link) == ("picture", "shared picture pic-1")
    }
    assert ("a03", "b03") in glue
    assert ("a04", "b03") in glue

    ops = by_members(operations(links))

    assert set(ops) == {tuple(A), tuple(B)}
    for members, op in ops.items():
        assert all(link.a in members and link.b in members for link in op.links)
        assert op.id == clusters.operation_id(members)
        note = op.explanation[-1]
        assert note.startswith("split from a group of 16 adverts: held to 8 other adverts")
        assert "by one shared picture pic-1 only (2 links: a03 - b03 and a04 - b03)" in note
    kept = {(link.a, link.b) for op in ops.values() for link in op.links}
    assert kept == {(link.a, link.b) for link in links} - {("a03", "b03"), ("a04", "b03")}


@pytest.mark.parametrize(
    ("picture_in_b", "after", "why"),
    [
        (["b00"], 8, "one link after the group's last use: what a rotation looks like"),
        (["b00", "b01", "b02"], 4, "the picture recurs inside both groups"),
    ],
)
def test_groups_joined_otherwise_stay_whole(picture_in_b: list[str], after: int, why: str) -> None:
    ops = operations(two_groups(picture_in_b, after))
    assert [len(op.members) for op in ops] == [16], why
    assert not any(line.startswith("split") for line in ops[0].explanation)


def test_glued_groups_too_small_or_held_by_one_key_stay_whole() -> None:
    small = chains(
        {
            "phone=+447000000001": A[:4],
            "handle=snapchat:alpha": A[:4],
            "picture=pic-1": [*A[:2], "b03", *A[2:4]],
            "phone=+447000000002": B,
            "email=beta@example.org": B,
        }
    )
    assert [len(op.members) for op in operations(small)] == [12]
    one_key = chains(
        {
            "phone=+447000000001": A,
            "handle=snapchat:alpha": A,
            "picture=pic-1": [*A[:4], "b03", *A[4:]],
            "phone=+447000000002": B,
        }
    )
    assert [len(op.members) for op in operations(one_key)] == [16]


def test_a_long_chain_of_rotating_phones_is_not_split() -> None:
    ads = [f"p{i:03d}" for i in range(200)]
    links = chains({f"phone=+4470000{i:05d}": ads[i : i + 2] for i in range(199)})
    assert len({link.evidence[0].detail for link in links}) == 199

    ops = operations(links)

    assert len(ops) == 1
    assert ops[0].members == tuple(ads)
    assert len(ops[0].links) == 199
    assert weak_cut(ads, links) is None


def test_a_long_chain_of_one_handle_with_a_second_thread_is_not_split() -> None:
    ads = [f"p{i:03d}" for i in range(300)]
    links = chains({"handle=snapchat:one": ads, "wording=w1": ads[::2]})
    ops = operations(links)
    assert [len(op.members) for op in ops] == [300]


def cliques(size: int, between: Mapping[str, tuple[str, str]]) -> list[Link]:
    """Two cliques of ``size`` adverts, each link carrying its clique's handle, joined by the
    ``between`` links (``kind=value``: the pair of adverts it joins)."""
    links = []
    for name in ("x", "y"):
        ads = [f"{name}{i:03d}" for i in range(size)]
        handle = Evidence("handle", f"shared handle snapchat:{name}", 0.8)
        for i, a in enumerate(ads):
            links += [Link(a, b, 0.8, (handle,), "t@1") for b in ads[i + 1 :]]
    for key, (a, b) in between.items():
        kind, _, value = key.partition("=")
        evidence = Evidence(kind, f"shared {kind} {value}", KIND_WEIGHTS[kind])
        links.append(Link(a, b, KIND_WEIGHTS[kind], (evidence,), "t@1"))
    return links


def test_an_oversized_blob_of_two_cliques_is_split(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clusters, "SPLIT_FROM", 60)
    links = cliques(
        40,
        {
            "phone=+447000000003": ("x001", "y002"),
            "email=z@example.org": ("x005", "y007"),
            "wallet=bc1qexample": ("x010", "y011"),
        },
    )

    ops = operations(links)

    assert {op.members for op in ops} == {
        tuple(f"x{i:03d}" for i in range(40)),
        tuple(f"y{i:03d}" for i in range(40)),
    }
    for op in ops:
        assert len(op.links) == 40 * 39 // 2
        assert (
            "split from a group of 80 adverts (more than 60) into 2 communities"
            in (op.explanation[-1])
        )
        assert "3 links to 3 other adverts cut" in op.explanation[-1]


def test_an_oversized_group_held_through_by_one_key_is_not_split(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(clusters, "SPLIT_FROM", 60)
    links = cliques(40, {"handle=snapchat:x": ("x001", "y002")})
    links += [Link("x003", "y004", 0.8, links[-1].evidence, "t@1")]
    # The handle joining the cliques holds links inside the first: not yet "through" both.
    assert len(operations(links)) == 2
    through = [
        Link(link.a, link.b, 0.8, links[0].evidence, "t@1") if link.a.startswith("y") else link
        for link in links
    ]
    ops = operations(through)
    assert [len(op.members) for op in ops] == [80]


def test_an_oversized_group_of_real_size_splits_only_between_its_operations() -> None:
    """Two operations of 300 adverts (each advert linked to its next 3, a rotating phone every
    25 adverts and one e-mail throughout), glued by three links: Louvain cuts each operation
    into several communities; they are put back together, the glue is cut."""
    links = []
    for name in ("x", "y"):
        ads = [f"{name}{i:03d}" for i in range(300)]
        for i, a in enumerate(ads):
            for b in ads[i + 1 : i + 4]:
                phone = Evidence("phone", f"shared phone {name}-{i // 25}", 0.9)
                email = Evidence("email", f"shared email {name}@example.org", 0.9)
                keep = (phone, email) if i // 25 == ads.index(b) // 25 else (email,)
                links.append(Link(a, b, 0.95, keep, "t@1"))
    for n, (a, b) in enumerate([("x010", "y100"), ("x150", "y200"), ("x290", "y050")]):
        links.append(Link(a, b, 0.85, (Evidence("picture", f"shared picture p{n}", 0.85),), "t@1"))
    assert len(links) > clusters.SPLIT_FROM

    ops = operations(links)

    assert {op.members for op in ops} == {
        tuple(f"x{i:03d}" for i in range(300)),
        tuple(f"y{i:03d}" for i in range(300)),
    }
    assert all("into 2 communities: 3 links to 3 other adverts" in op.explanation[-1] for op in ops)


def test_splits_do_not_depend_on_input_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clusters, "SPLIT_FROM", 60)
    glued = two_groups(["b03"], after=4)
    blob = cliques(
        40, {"phone=+447000000003": ("x001", "y002"), "email=z@example.org": ("x005", "y007")}
    )
    for links in (glued, blob, glued + blob):
        first = operations(links)
        assert len(first) >= 2
        for seed in range(3):
            shuffled = list(links)
            random.Random(seed).shuffle(shuffled)
            assert operations(shuffled) == first


def test_strong_is_the_link_threshold() -> None:
    assert clusters.STRONG == LINK_THRESHOLD

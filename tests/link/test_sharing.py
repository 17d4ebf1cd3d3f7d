"""Judging shared keys: an operation's identifiers join, shared lines (hubs) do not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from threadline.link.scoring import link_signatures
from threadline.link.sharing import KeyVerdict, Sharing, epoch, judge
from threadline.link.signatures import SETTINGS
from threadline.model import LinkSignature

START = datetime(2026, 1, 1, tzinfo=UTC)


def record(ad_id: str, day: float, *keys: str) -> LinkSignature:
    when = (START + timedelta(days=day)).isoformat()
    return LinkSignature(ad_id, SETTINGS, b"", 0, tuple(keys), posted_at=when)


def operation() -> list[LinkSignature]:
    """One operation: a new phone every ten days, one handle in every other advert."""
    out = []
    for n in range(30):
        keys = [f"phone=+1555000{n // 10}"]
        if n % 2:
            keys.append("handle=telegram:op")
        out.append(record(f"op-{n:02}", n, *keys))
    return out


def posters_sharing_a_line(posters: int = 3) -> list[LinkSignature]:
    """Posters each with their own phone, posting every other day all along, who print one
    booking line in a few of their adverts."""
    out = []
    for p in range(posters):
        for n in range(30):
            keys = [f"phone=+1444000{p}"]
            if n % 10 == 3 + p:
                keys.append("phone=+18005550100")
            out.append(record(f"p{p}-{n:02}", 2 * n + p * 0.3, *keys))
    return out


def test_an_operations_handle_joins_its_rotating_phones() -> None:
    judged = judge(operation())
    verdict = judged.sharing.verdicts["handle=telegram:op"]
    assert not verdict.hub
    assert verdict.adverts == 15
    assert verdict.groups == 3  # one group per phone when the handle was judged
    assert len(set(judged.group)) == 1


def test_a_line_printed_by_posters_posting_at_the_same_time_is_a_hub() -> None:
    records = posters_sharing_a_line()
    sharing = Sharing.of(records)
    line = sharing.verdicts["phone=+18005550100"]
    assert line.hub
    assert line.adverts == 9
    assert line.concurrent >= 2
    assert sharing.hubs == {"phone=+18005550100": 9}
    assert not sharing.is_hub("phone=+14440000")
    linked = link_signatures(records)
    assert len(linked.operations) == 3
    for op in linked.operations:
        assert len({m.split("-")[0] for m in op.members}) == 1
    assert linked.hubs == {"phone=+18005550100": 9}


def test_the_judgement_does_not_depend_on_how_many_adverts_share_the_key() -> None:
    # the same operation, ten times as many adverts: its handle is still joined
    big = []
    for n in range(300):
        keys = [f"phone=+1555{n // 10:04}"]
        if n % 2:
            keys.append("handle=telegram:op")
        big.append(record(f"op-{n:03}", n / 10, *keys))
    assert not Sharing.of(big).is_hub("handle=telegram:op")
    # and two posters sharing a line in a small file are still apart
    small = posters_sharing_a_line(posters=3)
    assert Sharing.of(small).is_hub("phone=+18005550100")


def test_known_verdicts_are_kept() -> None:
    records = posters_sharing_a_line()
    known = {"phone=+18005550100": KeyVerdict(9, 3, 0, False)}
    sharing = Sharing.of(records, known)
    assert not sharing.is_hub("phone=+18005550100")
    assert len(set(judge(records, known).group)) == 1


def test_times_are_read_as_utc_and_bad_ones_are_unknown() -> None:
    assert epoch("2026-01-01T00:00:00+00:00") == epoch("2026-01-01T00:00:00")
    assert epoch("") is None
    assert epoch("yesterday") is None
    undated = [record("a", 0, "phone=+1"), LinkSignature("b", SETTINGS, b"", 0, ("phone=+1",))]
    assert len(set(judge(undated).group)) == 1

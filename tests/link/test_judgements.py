"""Judgements as a run applies them: later ones win, analysts' links replace the evidence's."""

from __future__ import annotations

import pytest

from threadline.link.judgements import Verdicts, link_subject
from threadline.model import Judgement, Link, LinkSignature


def link(a: str, b: str, weight: float = 0.9) -> Link:
    return Link(a, b, weight, (), "link.score@2")


def test_the_latest_judgement_on_a_subject_wins() -> None:
    subject = link_subject("b", "a")
    assert subject == "a|b"
    v = Verdicts.of(
        [
            Judgement("link", subject, "reject", "ana"),
            Judgement("link", subject, "confirm", "bo", note="same photos"),
        ]
    )
    out = v.adjuster({"a", "b"})([link("a", "b", 0.3)])
    assert len(out) == 1
    assert out[0].weight == 1.0
    assert out[0].evidence[0].kind == "analyst"
    assert "link confirmed by bo: same photos" in out[0].evidence[0].detail


def test_rejected_links_and_operations_are_parted_but_confirmed_links_stay() -> None:
    v = Verdicts.of(
        [
            Judgement("link", "a|b", "reject", "ana"),
            Judgement("operation", "op-1", "reject", "ana", members=("c", "d", "e")),
            Judgement("link", "d|e", "confirm", "ana"),
        ]
    )
    kept = v.adjuster("abcdef")(
        [link("a", "b"), link("c", "d"), link("d", "e"), link("e", "f"), link("a", "c")]
    )
    pairs = {(k.a, k.b): k.weight for k in kept}
    assert pairs == {("d", "e"): 1.0, ("e", "f"): 0.9, ("a", "c"): 0.9}


def test_a_confirmed_operation_holds_its_members_present_in_the_run() -> None:
    v = Verdicts.of([Judgement("operation", "op-9", "confirm", "ana", members=("x", "y", "z"))])
    out = v.adjuster({"x", "z"})([link("x", "z", 0.2)])
    assert [(k.a, k.b, k.weight) for k in out] == [("x", "z", 1.0)]  # replaced, not doubled


def test_rejected_identifiers_leave_the_signatures() -> None:
    v = Verdicts.of([Judgement("identifier", "phone=+18005550100", "reject", "ana")])
    sig = LinkSignature("a", "s", b"", 0, ("phone=+18005550100", "email=x@example.org"))
    assert v.clean([sig])[0].keys == ("email=x@example.org",)
    assert not Verdicts.of([Judgement("identifier", "phone=+1", "confirm", "ana")])


def test_unknown_targets_and_verdicts_are_refused() -> None:
    with pytest.raises(ValueError, match="a judgement is about one of"):
        Judgement("advert", "a", "reject", "ana")
    with pytest.raises(ValueError, match="a verdict is one of"):
        Judgement("link", "a|b", "maybe", "ana")

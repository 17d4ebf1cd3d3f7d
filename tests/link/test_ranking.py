"""Operation features and the triage ranking: counts an analyst can check, cited weights."""

from __future__ import annotations

from threadline.indicators.rules import shipped_rulebook
from threadline.link.ranking import features, rank, shipped_ranking, triage
from threadline.model import LinkSignature, MemberFacts, Operation


def sig(ad_id: str, when: str, place: str, *keys: str) -> LinkSignature:
    return LinkSignature(ad_id, "s", b"", 0, keys, posted_at=when, place=place)


SIGS = {
    "a": sig("a", "2026-01-01T10:00:00+00:00", "Lyon", "phone=+331", "name=anna"),
    "b": sig("b", "2026-01-03T10:00:00+00:00", "Paris", "phone=+331", "name=bea"),
    "c": sig("c", "2026-01-05T10:00:00+00:00", "Lyon", "phone=+332", "wallet=btc:1x"),
    "d": sig("d", "2026-01-02T10:00:00+00:00", "Oslo", "phone=+47"),
    "e": sig("e", "2026-01-09T10:00:00+00:00", "Oslo", "phone=+47"),
}
FACTS = {
    "a": MemberFacts(risk=0.9, flagged=True, images=3, countries=("FR",), cities=("Lyon",)),
    "b": MemberFacts(risk=0.4, images=2, countries=("FR",), cities=("Paris",)),
    "c": MemberFacts(risk=0.8, flagged=True, images=1, countries=("BE",), cities=("Lyon",)),
    "d": MemberFacts(),
    "e": MemberFacts(),
}


def test_features_are_counts_of_the_members() -> None:
    found = features(["a", "b", "c"], SIGS, FACTS)
    v = found.values
    assert v["flagged_share"] == 2 / 3
    assert v["peak_risk"] == 0.9
    assert v["phones_beyond_first"] == 1
    assert v["workers_beyond_first"] == 1
    assert v["payment_channels"] == 1
    assert v["countries_beyond_first"] == 1
    assert v["city_moves"] == 2  # Lyon -> Paris -> Lyon, in posting order
    assert v["images_per_phone"] == 3.0
    assert v["adverts_per_day"] == 3 / 4
    assert found.first is not None
    assert found.first.day == 1
    assert found.last is not None
    assert found.last.day == 5


def test_ranking_puts_the_operation_with_more_reasons_first_and_says_why() -> None:
    ops = [
        Operation("op-quiet", ("d", "e"), (), 0.9, "t@1"),
        Operation("op-busy", ("a", "b", "c"), (), 0.9, "t@1"),
    ]
    profiles = rank(ops, SIGS, FACTS)
    assert [(p.id, p.rank) for p in profiles] == [("op-busy", 1), ("op-quiet", 2)]
    busy = profiles[0]
    assert busy.explanation[0] == "2 of 3 adverts flagged for trafficking indicators"
    assert 0 < profiles[1].score < busy.score < 1
    assert busy.risk == 0.9
    assert busy.size == 3


def test_every_feature_cites_known_sources_and_is_computed() -> None:
    book = shipped_ranking()
    sources = set(shipped_rulebook().sources)
    computed = set(features(["a"], SIGS, FACTS).values)
    assert set(book.features) == computed
    for name, rule in book.features.items():
        assert set(rule.citation) <= sources, name
        assert rule.reason


def test_no_reason_no_score() -> None:
    lonely = features(["d"], SIGS, {"d": MemberFacts()})
    score, why = triage(lonely)
    assert score == 0.0
    assert why == ()


def test_names_shown_leave_out_what_extractors_read_as_places() -> None:
    from threadline.link.signatures import shown_names

    text = "Meet Anna and Bea, new in Lyon this week"
    lyon = text.index("Lyon")
    assert shown_names(text, [(lyon, lyon + 4, "place")]) == ("anna", "bea")
    assert "lyon" in shown_names(text, [])

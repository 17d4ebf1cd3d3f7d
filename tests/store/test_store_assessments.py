"""Flags and risk assessments in the store, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from threadline.model import Ad, Assessment, Contribution, Doc, Flag, Span
from threadline.store.sql import SqlStore

MakeAd = Callable[..., Ad]


def flag(ad: Ad, rule: str, category: str, weight: float, start: int, end: int) -> Flag:
    return Flag(
        ad.id,
        rule,
        category,
        weight,
        Span(start, end),
        ad.text[start:end],
        "ILO (2012)",
        "ind.rules@1",
    )


def assessment(ad: Ad, score: float, stage: str = "ind.score@1", domain: str = "job") -> Assessment:
    return Assessment(
        ad_id=ad.id,
        domain=domain,
        score=score,
        threshold=0.5,
        contributions=(
            Contribution("job.fees.visa", "fees_charged", 0.45, score, Span(0, 4), "Visa", "ILO"),
            Contribution("model.jobs-1", "job_fraud_model", 0.6, 0.0, None, "P(fraud) = 0.2", "V"),
        ),
        stage=stage,
        job_fraud=0.2,
        basis="rules-abc; jobs-1",
    )


def test_assessments_and_flags_round_trip(store: SqlStore, make_ad: MakeAd) -> None:
    ad = make_ad("Visa fee 300", "Pay the visa fee first. Send passport now.")
    flags = (
        flag(ad, "job.passport", "passport_early", 0.45, 30, 43),
        flag(ad, "job.fees.visa", "fees_charged", 0.45, 0, 8),
    )
    store.write_batch([Doc(ad=ad, flags=flags, assessment=assessment(ad, 0.7))], [])
    assert store.assessment_of(ad.id) == assessment(ad, 0.7)
    assert [f.rule_id for f in store.flags_of(ad.id)] == ["job.fees.visa", "job.passport"]
    assert store.flags_of(ad.id)[0] == flags[1]
    assert store.assessment_of("nope") is None


def test_rescoring_replaces_and_never_duplicates(store: SqlStore, make_ad: MakeAd) -> None:
    ad = make_ad("Visa fee 300", "Pay the visa fee first.")
    store.write_batch([Doc(ad=ad)], [])
    first = Doc(
        ad=ad,
        flags=(flag(ad, "job.fees.visa", "fees_charged", 0.45, 0, 8),),
        assessment=assessment(ad, 0.7),
    )
    for _ in range(2):
        store.write_derived([first], [], {"ind.rules", "ind.score"})
    assert len(store.flags_of(ad.id)) == 1
    later = replace(first, flags=(), assessment=assessment(ad, 0.1, stage="ind.score@2"))
    store.write_derived([later], [], {"ind.rules", "ind.score"})
    assert store.flags_of(ad.id) == []
    scored = store.assessment_of(ad.id)
    assert scored is not None
    assert scored.score == 0.1
    assert scored.stage == "ind.score@2"
    stats = store.stats()
    assert stats.assessed == {"job": 1}
    assert stats.flagged == {}


def test_triage_order_and_stats(store: SqlStore, make_ad: MakeAd) -> None:
    ads = [make_ad(f"Advert {n}", f"Body {n}") for n in range(4)]
    scores = [0.2, 0.9, 0.55, 0.0]
    domains = ["job", "sexual_services", "job", "other"]
    store.write_batch(
        [
            Doc(
                ad=a,
                flags=(flag(a, "x.y", "movement", 0.2, 0, 6),),
                assessment=assessment(a, s, domain=d),
            )
            for a, s, d in zip(ads, scores, domains, strict=True)
        ],
        [],
    )
    ranked = store.list_assessments(limit=10)
    assert [a.score for a in ranked] == [0.9, 0.55, 0.2, 0.0]
    assert [a.score for a in store.list_assessments(min_score=0.5)] == [0.9, 0.55]
    assert [a.score for a in store.list_assessments(domain="job")] == [0.55, 0.2]
    assert [a.score for a in store.list_assessments(limit=1, offset=1)] == [0.55]
    stats = store.stats()
    assert stats.flagged == {"job": 1, "sexual_services": 1}
    assert stats.assessed == {"job": 2, "other": 1, "sexual_services": 1}
    assert stats.flag_categories == {"movement": 4}

"""The SQL store's behaviour, identical on SQLite and PostgreSQL (see ``store`` in conftest)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from threadline.errors import StoreError
from threadline.model import Ad, Doc, Quarantined
from threadline.store import MARK_END, MARK_START, SqlStore, Store, WriteResult, open_store
from threadline.store.schema import ads, flags, identifiers, quarantine

MakeAd = Callable[..., Ad]
MakeDoc = Callable[..., Doc]


def count(store: SqlStore, table: object) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def quarantined(n: int, code: str = "malformed-json") -> Quarantined:
    return Quarantined(
        stage="ingest.jsonl@1",
        code=code,
        reason=f"line {n}: unexpected end of input",
        locator=f"adverts.jsonl:{n}",
        record='{"title": "cut off',
        source="jsonl",
        size=18,
    )


def test_implements_the_store_protocol(store: SqlStore) -> None:
    as_protocol: Store = store
    for name in ("write_batch", "get_ad", "list_ads", "search", "count_ads", "stats", "close"):
        assert callable(getattr(as_protocol, name))
    assert isinstance(store.url, str)


def test_round_trip_keeps_every_field(store: SqlStore, make_ad: MakeAd, make_doc: MakeDoc) -> None:
    paris = timezone(timedelta(hours=2))
    ad = make_ad(
        "Danseuse 💃 recherchée",
        "Logement fourni. Écrire à 𝓜𝓪𝓻𝓲𝓮 — «urgent» ✅",
        source="forum-fr",
        source_id="post-17",
        url="https://example.org/p/17?x=1&y=«2»",
        captured_at=datetime(2024, 5, 1, 12, 0, 0, 123456, tzinfo=UTC),
        posted_at=datetime(2024, 4, 30, 23, 59, 59, tzinfo=paris),
        language="fr",
        place="Lyon",
        images=("img/a.jpg", "img/b 😀.png"),
        raw={"titre": "Danseuse 💃", "n": [1, 2.5, None, True], "nested": {"ключ": "значение"}},
        locator="dump.jsonl:17",
    )
    assert store.write_batch([make_doc(ad)], []) == WriteResult(1, 0, 0)
    got = store.get_ad(ad.id)
    assert got == ad
    assert got is not None
    assert got.raw == ad.raw
    assert got.posted_at == datetime(2024, 4, 30, 21, 59, 59, tzinfo=UTC)
    assert got.posted_at.utcoffset() == timedelta(0)
    assert got.captured_at == ad.captured_at
    assert got.images == ad.images


def test_round_trip_with_every_optional_field_empty(
    store: SqlStore, make_ad: MakeAd, make_doc: MakeDoc
) -> None:
    ad = make_ad("", "only a body")
    store.write_batch([make_doc(ad)], [])
    got = store.get_ad(ad.id)
    assert got == ad
    assert got is not None
    assert (got.posted_at, got.captured_at, got.url, got.language) == (None, None, None, None)
    assert got.images == ()
    assert got.raw == {}


def test_naive_datetimes_are_taken_as_utc(
    store: SqlStore, make_ad: MakeAd, make_doc: MakeDoc
) -> None:
    ad = make_ad(posted_at=datetime(2024, 1, 2, 3, 4, 5))
    store.write_batch([make_doc(ad)], [])
    got = store.get_ad(ad.id)
    assert got is not None
    assert got.posted_at == datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)


def test_unknown_id_gives_none(store: SqlStore) -> None:
    assert store.get_ad("nope") is None


def test_duplicates_within_and_across_batches(
    store: SqlStore, make_ad: MakeAd, make_doc: MakeDoc
) -> None:
    a, b, c = (make_ad(body=f"advert {i}") for i in range(3))
    first = store.write_batch([make_doc(a), make_doc(b), make_doc(a)], [])
    assert first == WriteResult(written=2, duplicate=1, quarantined=0)
    second = store.write_batch([make_doc(b), make_doc(c), make_doc(c)], [])
    assert second == WriteResult(written=1, duplicate=2, quarantined=0)
    assert store.count_ads() == 3


def test_a_duplicate_is_left_untouched(store: SqlStore, make_ad: MakeAd, make_doc: MakeDoc) -> None:
    original = make_ad(id="same", title="first")
    store.write_batch([make_doc(original, phones=("+15550001111",))], [])
    impostor = make_ad(id="same", title="second")
    result = store.write_batch([make_doc(impostor, phones=("+15550002222",), flags=("r",))], [])
    assert result == WriteResult(0, 1, 0)
    got = store.get_ad("same")
    assert got is not None
    assert got.title == "first"
    assert count(store, identifiers) == 1
    assert count(store, flags) == 0


def test_quarantine_is_idempotent_by_key(store: SqlStore) -> None:
    entries = [quarantined(1), quarantined(2), quarantined(1)]
    assert store.write_batch([], entries).quarantined == 2
    assert store.write_batch([], [quarantined(2), quarantined(3)]).quarantined == 1
    assert count(store, quarantine) == 3
    listed = store.list_quarantine()
    assert [q.locator for q in listed] == ["adverts.jsonl:3", "adverts.jsonl:2", "adverts.jsonl:1"]
    assert listed[-1] == quarantined(1)
    assert store.list_quarantine(limit=1, offset=1) == [quarantined(2)]


def test_identifiers_and_flags_are_written(
    store: SqlStore, make_ad: MakeAd, make_doc: MakeDoc
) -> None:
    ad = make_ad()
    doc = make_doc(ad, phones=("+15551234567", "+447700900123"), flags=("passport", "debt"))
    store.write_batch([doc], [])
    with store.engine.connect() as conn:
        found = conn.execute(select(identifiers).order_by(identifiers.c.value)).mappings().all()
        hits = conn.execute(select(flags).order_by(flags.c.rule_id)).mappings().all()
    assert [r["value"] for r in found] == ["+15551234567", "+447700900123"]
    first = found[0]
    ident = doc.identifiers[0]
    assert (first["ad_id"], first["kind"], first["raw"], first["stage"]) == (
        ad.id,
        "phone",
        ident.raw,
        "extract.phone@1",
    )
    assert (first["span_start"], first["span_end"]) == (ident.span.start, ident.span.end)
    assert first["confidence"] == pytest.approx(0.9)
    assert first["attrs"] == {"country": "US"}
    assert [r["rule_id"] for r in hits] == ["debt", "passport"]
    assert hits[0]["weight"] == pytest.approx(1.5)
    assert hits[0]["citation"].startswith("UNODC")
    assert hits[0]["evidence"] == doc.flags[0].evidence


def test_a_failed_batch_leaves_nothing_behind(
    store: SqlStore, make_ad: MakeAd, make_doc: MakeDoc, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.write_batch([make_doc(make_ad(body="kept from before"))], [])

    def fail_after_ads(*_args: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(store, "_insert_flags", fail_after_ads)
    docs = [
        make_doc(make_ad(body=f"lost passport {i}"), phones=("+15550000000",)) for i in range(5)
    ]
    with pytest.raises(RuntimeError, match="disk on fire"):
        store.write_batch(docs, [quarantined(9)])
    assert store.count_ads() == 1
    assert count(store, identifiers) == 0
    assert count(store, quarantine) == 0
    assert store.search("lost") == []
    monkeypatch.undo()
    assert store.write_batch(docs, [quarantined(9)]) == WriteResult(5, 0, 1)
    assert len(store.search("lost passport")) == 5


def test_a_database_error_becomes_a_store_error(
    store: SqlStore, make_ad: MakeAd, make_doc: MakeDoc
) -> None:
    ad = make_ad()
    orphan = make_doc(make_ad(id="orphan"), phones=("+1555",))
    broken = Doc(ad=ad, identifiers=orphan.identifiers)  # points at an advert never written
    with pytest.raises(StoreError, match="nothing of it was stored"):
        store.write_batch([broken], [])
    assert store.count_ads() == 0


def test_a_doc_without_an_advert_is_a_bug(store: SqlStore) -> None:
    with pytest.raises(ValueError, match="without an advert"):
        store.write_batch([Doc()], [])


def test_search_finds_ranks_and_highlights(
    store: SqlStore, make_ad: MakeAd, make_doc: MakeDoc
) -> None:
    ads_ = [
        make_ad("Passport passport passport", "They keep your passport."),
        make_ad("Waitress wanted", "Bring your passport on the first day."),
        make_ad("Driver wanted", "Clean licence, no visa needed."),
    ]
    store.write_batch([make_doc(a) for a in ads_], [])
    hits = store.search("passport")
    assert [h.ad.id for h in hits] == [ads_[0].id, ads_[1].id]
    assert hits[0].rank > hits[1].rank
    assert f"{MARK_START}passport{MARK_END}" in hits[1].snippet.lower()
    assert hits[1].ad == ads_[1]
    assert [h.ad.id for h in store.search("PASSPORT first")] == [ads_[1].id]
    assert store.search("passport visa") == []
    assert [h.ad.id for h in store.search("passport", limit=1, offset=1)] == [ads_[1].id]
    assert store.search("passport", limit=0) == []


def test_search_unicode_words(store: SqlStore, make_ad: MakeAd, make_doc: MakeDoc) -> None:
    ad = make_ad("Работа в Москве", "Жильё бесплатно, паспорт у нас. Café-bar 東京 staff")
    store.write_batch([make_doc(ad)], [])
    for query in ("паспорт", "москве", "café-bar", "Café"):
        assert [h.ad.id for h in store.search(query)] == [ad.id], query


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "'",
        '"passport',
        "AND OR NOT",
        "passport AND",
        "*",
        "pass*",
        "(",
        "passport)",
        "NEAR",
        "NEAR(passport taken, 3)",
        "title:passport",
        "-passport",
        "^passport",
        "passport & | ! <-> :*",
        "",
        "   \t\n ",
        "😀",
        "😀 passport 🔥",
        "\x00passport\x00",
        "\ud800passport",
        "ｐａｓｓｐｏｒｔ",
        "e\u0301",
        "x" * 10_000,
        "passport " * 2_000,
    ],
)
def test_search_survives_hostile_queries(
    store: SqlStore, make_ad: MakeAd, make_doc: MakeDoc, query: str
) -> None:
    store.write_batch([make_doc(make_ad("NEAR and AND", "they took my passport"))], [])
    hits = store.search(query)
    assert isinstance(hits, list)


def test_search_treats_operators_as_words(
    store: SqlStore, make_ad: MakeAd, make_doc: MakeDoc
) -> None:
    ad = make_ad("NEAR and AND", "they took my passport")
    store.write_batch([make_doc(ad)], [])
    for query in ("NEAR", "AND passport", '"passport"', "passport*", "(passport)"):
        assert [h.ad.id for h in store.search(query)] == [ad.id], query
    assert store.search("passport NOT") == []  # NOT is a word that is not in the advert


def test_search_follows_deletes_and_updates(
    store: SqlStore, make_ad: MakeAd, make_doc: MakeDoc
) -> None:
    keep, drop, edit = make_ad(body="cash job"), make_ad(body="cash daily"), make_ad(body="cash")
    store.write_batch([make_doc(keep), make_doc(drop), make_doc(edit)], [])
    with store.engine.begin() as conn:
        conn.execute(ads.delete().where(ads.c.id == drop.id))
        conn.execute(ads.update().where(ads.c.id == edit.id).values(body="visa support"))
    assert {h.ad.id for h in store.search("cash")} == {keep.id}
    assert [h.ad.id for h in store.search("visa")] == [edit.id]
    if store.dialect == "sqlite":
        raw = store.engine.raw_connection()  # the driver connection is in autocommit mode
        try:
            raw.execute("VACUUM")  # FTS points at seq, an INTEGER PRIMARY KEY: VACUUM keeps it
            raw.execute("INSERT INTO ads_fts(ads_fts) VALUES ('integrity-check')")
        finally:
            raw.close()
        assert {h.ad.id for h in store.search("cash")} == {keep.id}


def test_list_ads_newest_first(store: SqlStore, make_ad: MakeAd, make_doc: MakeDoc) -> None:
    day = datetime(2024, 3, 1, tzinfo=UTC)
    old = make_ad(body="old", posted_at=day)
    new = make_ad(body="new", posted_at=day + timedelta(days=2), source="other")
    undated = make_ad(body="undated")
    tie_a, tie_b = sorted(
        (make_ad(body=f"tie {i}", posted_at=day + timedelta(days=1)) for i in range(2)),
        key=lambda a: a.id,
    )
    store.write_batch([make_doc(a) for a in (undated, old, tie_b, new, tie_a)], [])
    assert [a.id for a in store.list_ads()] == [new.id, tie_a.id, tie_b.id, old.id, undated.id]
    assert [a.id for a in store.list_ads(limit=2, offset=1)] == [tie_a.id, tie_b.id]
    assert [a.id for a in store.list_ads(source="other")] == [new.id]
    assert store.list_ads(source="none") == []


def test_stats(store: SqlStore, make_ad: MakeAd, make_doc: MakeDoc) -> None:
    empty = store.stats()
    assert (empty.adverts, empty.first_posted, empty.flags) == (0, None, 0)
    assert empty.backend.split()[0] == store.dialect
    day = datetime(2024, 3, 1, tzinfo=UTC)
    store.write_batch(
        [
            make_doc(make_ad(body="a", language="en", posted_at=day), phones=("+1", "+2")),
            make_doc(make_ad(body="b", language="fr", source="forum"), flags=("debt",)),
            make_doc(make_ad(body="c", language="en", posted_at=day + timedelta(hours=5))),
            make_doc(make_ad(body="d")),
        ],
        [quarantined(1), quarantined(2, code="missing-text")],
    )
    stats = store.stats()
    assert stats.adverts == 4
    assert stats.sources == {"forum": 1, "test": 3}
    assert stats.languages == {"en": 2, "fr": 1, "und": 1}
    assert stats.quarantined == {"malformed-json": 1, "missing-text": 1}
    assert stats.identifiers == {"phone": 2}
    assert stats.flags == 1
    assert stats.first_posted == day
    assert stats.last_posted == day + timedelta(hours=5)


def test_text_with_nul_characters_is_stored(
    store: SqlStore, make_ad: MakeAd, make_doc: MakeDoc
) -> None:
    ad = make_ad("nul\x00title", "body\x00here", raw={"k": "v\x00"})
    assert store.write_batch([make_doc(ad)], []).written == 1
    got = store.get_ad(ad.id)
    assert got is not None
    assert got.raw == {"k": "v\x00"}
    # PostgreSQL text cannot hold NUL: it becomes U+FFFD there (JSON keeps it, escaped)
    assert got.title in ("nul\x00title", "nul\ufffdtitle")


def test_a_big_batch(store: SqlStore, make_ad: MakeAd, make_doc: MakeDoc) -> None:
    docs = [make_doc(make_ad(body=f"advert number {i}"), phones=(f"+1{i}",)) for i in range(2500)]
    assert store.write_batch(docs, []) == WriteResult(2500, 0, 0)
    assert store.write_batch(docs[::-1], []) == WriteResult(0, 2500, 0)
    assert count(store, identifiers) == 2500
    assert len(store.search("advert number", limit=3000)) == 2500


def test_two_writers_at_once_write_each_advert_once(
    store_url: str, make_ad: MakeAd, make_doc: MakeDoc
) -> None:
    docs = [make_doc(make_ad(body=f"shared {i}"), phones=("+1",)) for i in range(300)]
    stores = [open_store(store_url), open_store(store_url)]
    results: list[WriteResult] = []
    errors: list[BaseException] = []

    def ingest(s: SqlStore) -> None:
        try:
            results.extend(s.write_batch(docs[i : i + 50], []) for i in range(0, 300, 50))
        except BaseException as exc:  # reported below, in the main thread
            errors.append(exc)

    threads = [threading.Thread(target=ingest, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sum(r.written for r in results) == 300
    assert sum(r.duplicate for r in results) == 300
    assert stores[0].count_ads() == 300
    assert count(stores[0], identifiers) == 300
    for s in stores:
        s.close()

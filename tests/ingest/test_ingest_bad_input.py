"""The bad-input corpus: every case yields its reason, nothing partial is written, and a rerun
is idempotent. Inputs are written by the test itself (synthetic, no real adverts)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import event

from threadline.ingest import FieldMapping, ingest
from threadline.settings import Settings
from threadline.store import open_store

GOOD = [
    {"id": "g1", "title": "Warehouse staff wanted", "body": "Day shifts, contract, interview."},
    {"id": "g2", "title": "Cook", "body": "Restaurant in Porto seeks a cook. Apply by e-mail."},
    {
        "id": "g3",
        "title": "Driver",
        "body": "Delivery driver, own licence needed.",
        "posted_at": "2026-03-02T10:00:00Z",
        "images": ["img/a.jpg"],
    },
]


def _jsonl(path: Path, rows: list[object]) -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", "utf-8")
    return path


@pytest.fixture
def corpus(tmp_path: Path) -> dict[str, Path]:
    d = tmp_path / "in"
    d.mkdir()
    files: dict[str, Path] = {"good": _jsonl(d / "good.jsonl", list(GOOD))}
    mixed = d / "mixed.jsonl"
    lines = [
        json.dumps({"id": "m1", "body": "Cleaner needed in Lyon, references asked."}),
        '{"id": "m2", "body": "unterminated',
        "[1, 2, 3]",
        json.dumps({"id": "m4", "title": "", "body": "   "}),
        json.dumps({"id": "m5", "body": "x" * (50 * 1024 * 1024)}),
        json.dumps({"id": "m6", "body": "Farm work, season contract, fair pay."}),
    ]
    mixed.write_text("\n".join(lines) + "\n", "utf-8")
    files["mixed"] = mixed
    bom = d / "bom.csv"
    bom.write_bytes(
        "\ufeffad_ref,headline,ad_text\nc1,Camarera,Se busca camarera en Sevilla\n".encode("utf-8")
    )
    files["bom"] = bom
    latin = d / "latin1.csv"
    latin.write_bytes(
        'id,title,body\nl1,Café,"Serveur au café de la gare, logé"\n'.encode("latin-1")
    )
    files["latin1"] = latin
    broken = d / "broken.jsonl"
    broken.write_bytes(b'{"id": "b1", "body": "Montage \xe9quipe \xff OK"}\n')
    files["broken"] = broken
    binary = d / "photo.jsonl"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    files["binary"] = binary
    empty = d / "empty.jsonl"
    empty.write_bytes(b"")
    files["empty"] = empty
    files["missing"] = d / "does-not-exist.jsonl"
    rows = d / "rows.csv"
    rows.write_text("id,title,body\nr1,Painter,Painting job\nr2,too,many,fields,here\n", "utf-8")
    files["rows"] = rows
    pages = d / "pages"
    pages.mkdir()
    (pages / "ad-1.html").write_text(
        "<html><head><title>Hotel staff abroad</title></head><body><nav>Home | Jobs</nav>"
        "<article><h1>Hotel staff abroad</h1><p>Hotel in Lisbon hires reception staff for the "
        "summer season. Accommodation offered, contract and interview in person.</p>"
        "<p>Apply with your CV to the hotel's human resources office.</p></article>"
        "<footer>Site footer</footer></body></html>",
        "utf-8",
    )
    (pages / "ad-2.html").write_text("<html><body><script>x=1</script></body></html>", "utf-8")
    files["pages"] = pages
    return files


def _reasons(report_examples: dict[str, object]) -> set[str]:
    return set(report_examples)


def test_every_bad_input_yields_its_reason_and_good_records_get_in(
    corpus: dict[str, Path], tmp_path: Path
) -> None:
    store = open_store(f"sqlite:///{tmp_path / 't.db'}")
    mapping = FieldMapping.parse(["body=ad_text", "title=headline"])
    report = ingest(corpus.values(), store, mapping=mapping, settings=Settings(batch_size=4))
    assert dict(report.quarantined) == {
        "malformed-json": 1,
        "not-an-object": 1,
        "missing-text": 2,  # the blank record, and the page with no main text
        "too-large": 1,
        "binary-file": 1,
        "empty-file": 1,
        "no-such-file": 1,
        "bad-row": 1,
    }
    too_large = report.examples["too-large"]
    assert "52,428,800 characters" in too_large.reason
    assert too_large.locator.endswith("mixed.jsonl:5")
    assert too_large.size > len(too_large.record)  # kept as an excerpt, located exactly
    assert "line 3 has 5 fields; the header has 3" in report.examples["bad-row"].reason
    assert report.examples["no-such-file"].reason.endswith("does not exist")
    # good: 3 + mixed: m1, m6 + bom + latin1 + broken + rows: r1 + one page
    assert report.written == 10
    assert store.count_ads() == 10
    texts = {ad.source_id: ad for ad in store.list_ads(limit=100)}
    assert texts["c1"].title == "Camarera"  # BOM dropped, mapping applied
    assert texts["l1"].title == "Café"  # Latin-1 decoded
    assert "\ufffd" not in texts["b1"].body
    assert texts["b1"].body.startswith("Montage équipe")
    page = texts["ad-1.html"]
    assert "reception staff" in page.body
    assert "Site footer" not in page.body
    assert page.title == "Hotel staff abroad"
    assert page.raw["html"].startswith("<html>")
    assert texts["g3"].images == ("img/a.jpg",)
    assert store.stats().quarantined == dict(report.quarantined)
    store.close()


def test_rerun_is_idempotent(corpus: dict[str, Path], tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 't.db'}")
    mapping = FieldMapping.parse(["body=ad_text", "title=headline"])
    first = ingest(corpus.values(), store, mapping=mapping)
    quarantined_before = store.stats().quarantined
    second = ingest(corpus.values(), store, mapping=mapping)
    assert second.written == 0
    assert second.duplicate == first.written
    assert store.count_ads() == first.written
    assert store.stats().quarantined == quarantined_before
    store.close()


class Interrupted(Exception):
    pass


def test_interrupted_ingest_leaves_no_partial_batch_and_rerun_completes(tmp_path: Path) -> None:
    rows = [
        {"id": f"r{i}", "body": f"Kitchen porter job number {i}, fair wage."} for i in range(25)
    ]
    rows.insert(7, "not an object")  # type: ignore[arg-type]
    src = _jsonl(tmp_path / "ads.jsonl", rows)
    store = open_store(f"sqlite:///{tmp_path / 't.db'}")
    ads_inserts = 0

    def cut_power(_conn: object, _cur: object, statement: str, *_rest: object) -> None:
        # fail inside the store's transaction, right after the third batch's adverts went in
        nonlocal ads_inserts
        if statement.lstrip().upper().startswith("INSERT INTO ADS ("):
            ads_inserts += 1
            if ads_inserts == 3:
                raise Interrupted("power cut")

    event.listen(store.engine, "after_cursor_execute", cut_power)
    with pytest.raises(Interrupted):
        ingest([src], store, settings=Settings(batch_size=5))
    event.remove(store.engine, "after_cursor_execute", cut_power)
    assert store.count_ads() == 9  # two whole batches of 5 records, one of them quarantined
    report = ingest([src], store, settings=Settings(batch_size=5))
    assert store.count_ads() == 25
    assert (report.written, report.duplicate) == (16, 9)
    assert sum(store.stats().quarantined.values()) == 1
    store.close()


def test_unknown_mapping_field_is_a_clear_error() -> None:
    from threadline.errors import ConfigError

    with pytest.raises(ConfigError, match="unknown advert field 'bdy'"):
        FieldMapping.parse(["bdy=text"])
    with pytest.raises(ConfigError, match="FIELD=COLUMN"):
        FieldMapping.parse(["body"])


def test_sink_contract_counts_duplicates_within_one_run(tmp_path: Path) -> None:
    src = _jsonl(tmp_path / "dup.jsonl", [GOOD[0], GOOD[0], GOOD[1]])
    store = open_store(f"sqlite:///{tmp_path / 't.db'}")
    report = ingest([src], store)
    assert (report.written, report.duplicate) == (2, 1)
    store.close()


def test_a_folder_is_read_whole_and_page_assets_are_passed_over(tmp_path: Path) -> None:
    folder = tmp_path / "crawl"
    (folder / "pages" / "ad-1_files").mkdir(parents=True)
    _jsonl(folder / "batch.jsonl", list(GOOD[:2]))
    (folder / "pages" / "ad-1.html").write_text(
        "<html><head><title>Kitchen help</title></head><body><article><p>Restaurant in "
        "Madrid needs kitchen help for the summer, contract and fair pay.</p></article>"
        "</body></html>",
        "utf-8",
    )
    (folder / "pages" / "ad-1_files" / "style.css").write_text("body{}", "utf-8")
    (folder / "pages" / "ad-1_files" / "logo.png").write_bytes(b"\x89PNG\x00\x00")
    (tmp_path / "empty").mkdir()
    store = open_store(f"sqlite:///{tmp_path / 't.db'}")
    report = ingest([folder, tmp_path / "empty"], store)
    assert report.written == 3
    assert dict(report.quarantined) == {"empty-folder": 1}
    assert {ad.source for ad in store.list_ads()} == {"crawl"}
    store.close()

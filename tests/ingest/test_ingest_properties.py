"""Property tests: hostile bytes never crash a reader, and every record is accounted for."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from threadline.ingest import ingest_stages, read_inputs
from threadline.ingest.encoding import decode
from threadline.pipeline import process_batch

lines = st.lists(st.binary(max_size=200).filter(lambda b: b"\n" not in b), max_size=20)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines)
def test_any_jsonl_bytes_are_read_or_quarantined_never_raised(rows: list[bytes]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.jsonl"
        path.write_bytes(b"\n".join(rows))
        batch = process_batch(read_inputs([path]), ingest_stages())
    data = b"\n".join(rows)
    codes = [q.code for q in batch.quarantined]
    if not data:
        assert codes == ["empty-file"]
    elif b"\x00" in data[:8192]:
        assert codes == ["binary-file"]
    else:
        assert len(batch.docs) + len(batch.quarantined) == len([r for r in rows if r.strip()])
        for doc in batch.docs:
            assert doc.ad is not None
            assert doc.ad.title or doc.ad.body


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.text(max_size=30), min_size=1, max_size=4), max_size=10))
def test_any_csv_cells_are_read_or_quarantined_never_raised(table: list[list[str]]) -> None:
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf).writerows([["id", "title", "body"], *table])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.csv"
        path.write_text(buf.getvalue(), "utf-8", errors="surrogatepass")
        batch = process_batch(read_inputs([path]), ingest_stages())
    for q in batch.quarantined:
        assert q.code in {"bad-row", "missing-text", "empty-file", "binary-file", "malformed-csv"}
    for doc in batch.docs:
        assert doc.ad is not None
        assert doc.ad.id.startswith("ad-")


@given(st.binary(max_size=300))
def test_decode_never_raises_and_keeps_valid_utf8_intact(data: bytes) -> None:
    text = decode(data)
    try:
        expected = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return
    assert text == expected
